//===- CIMOps.h - Operations of the cim dialect -----------------*- C++ -*-===//

#ifndef MHO_DIALECT_CIM_IR_CIMOPS_H
#define MHO_DIALECT_CIM_IR_CIMOPS_H

#include "mho/Dialect/CIM/IR/CIMAttributes.h"
#include "mho/Dialect/CIM/IR/CIMDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "mho/Dialect/CIM/IR/CIMOps.h.inc"

#endif // MHO_DIALECT_CIM_IR_CIMOPS_H
