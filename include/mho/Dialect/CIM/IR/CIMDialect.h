//===- CIMDialect.h - Compute-in-memory dialect -----------------*- C++ -*-===//
//
// The `cim` dialect: tensor-level compute-in-memory operations
// (docs/CIMDialect.md).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_IR_CIMDIALECT_H
#define MHO_DIALECT_CIM_IR_CIMDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "llvm/ADT/StringMap.h"

#include <mutex>

#include "mho/Dialect/CIM/IR/CIMDialect.h.inc"

#endif // MHO_DIALECT_CIM_IR_CIMDIALECT_H
