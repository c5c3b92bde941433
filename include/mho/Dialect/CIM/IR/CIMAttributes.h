//===- CIMAttributes.h - Attributes of the cim dialect ----------*- C++ -*-===//
//
// Enumerations (encoding, unary_fn, binary_fn, reduce_kind) and the
// #cim.quant and #cim.slicing attributes.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_IR_CIMATTRIBUTES_H
#define MHO_DIALECT_CIM_IR_CIMATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "mho/Dialect/CIM/IR/CIMEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mho/Dialect/CIM/IR/CIMAttributes.h.inc"

#endif // MHO_DIALECT_CIM_IR_CIMATTRIBUTES_H
