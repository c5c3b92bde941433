//===- XBarDialect.h - The xbar dialect, enums, attributes ------*- C++ -*-===//
//
// The `xbar` dialect is the mho ISA (docs/ISA.md) as MLIR operations.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_XBAR_IR_XBARDIALECT_H
#define MHO_DIALECT_XBAR_IR_XBARDIALECT_H

#include "mho/ISA/UnitConfig.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "mho/Dialect/XBar/IR/XBarDialect.h.inc"
#include "mho/Dialect/XBar/IR/XBarEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mho/Dialect/XBar/IR/XBarAttributes.h.inc"

#endif // MHO_DIALECT_XBAR_IR_XBARDIALECT_H
