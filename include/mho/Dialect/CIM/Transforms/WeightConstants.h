//===- WeightConstants.h - Constant weights of the cim passes ---*- C++ -*-===//
//
// Helpers the cim passes share to read and write constant weights: dense
// elements, dense_resource blobs and shape-only `dense_resource<__elided__>`.
// Implemented in lib/Dialect/CIM/Transforms/Quantize.cpp; convert-cim-to-xbar
// slices experts' weights into blocks with them.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_TRANSFORMS_WEIGHTCONSTANTS_H
#define MHO_DIALECT_CIM_TRANSFORMS_WEIGHTCONSTANTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mho::cim {

/// `dense_resource<key> : type` without a blob: a constant with a type and no
/// data. Each call makes a new key from `hint` (hint_0, hint_1, ...): distinct
/// weights must stay distinct values, or CSE would merge layers whose
/// shape-only weights look alike.
mlir::DenseResourceElementsAttr getShapeOnlyElements(mlir::ShapedType type,
                                                     llvm::StringRef hint);

/// Whether `attr` is a `dense_resource` without data.
bool isShapeOnly(mlir::Attribute attr);

/// A constant integer tensor read into host memory: row-major values,
/// sign-extended, or shape only.
struct IntegerConstant {
  bool shapeOnly = false;
  std::vector<int64_t> values;
};

/// Reads a dense integer elements attribute, a dense_resource blob of i8 or
/// i16, or a shape-only resource. Returns nullopt for anything else, and
/// then sets `problem` when `attr` is such a blob but malformed (its size
/// does not match its type).
std::optional<IntegerConstant> readIntegerConstant(mlir::Attribute attr,
                                                   std::string &problem);

/// A dense elements attribute of signless integers of `type` holding
/// `values` (row-major, each within the element type's signed range).
mlir::DenseElementsAttr makeIntegerElements(mlir::ShapedType type,
                                            llvm::ArrayRef<int64_t> values);

/// The block of `constant` (rows of `rowStride` elements, starting at
/// element `offset`) of `blockType`'s shape at row `r0`, column `c0`: dense
/// elements, or shape-only (a new key from `hint`) for a shape-only constant.
mlir::TypedAttr getConstantBlock(const IntegerConstant &constant,
                                 mlir::ShapedType blockType, int64_t offset,
                                 int64_t rowStride, int64_t r0, int64_t c0,
                                 llvm::StringRef hint);

/// Erases each of `roots` that is trivially dead, then, recursively, the
/// producers of its operands that became dead; an op named by several
/// operands is erased once.
void eraseDeadOps(llvm::ArrayRef<mlir::Operation *> roots);

/// eraseDeadOps from the producer of `value`.
void eraseDeadProducers(mlir::Value value);

} // namespace mho::cim

#endif // MHO_DIALECT_CIM_TRANSFORMS_WEIGHTCONSTANTS_H
