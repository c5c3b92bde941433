//===- UnitDims.h - Reshapes that add or drop unit dimensions --*- C++ -*-===//
//
// Shared by the conversions into cim: exporters' shapes and cim's differ
// only in unit dimensions (a batch of one, keep-dims reductions).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_CONVERSION_UNITDIMS_H
#define MHO_CONVERSION_UNITDIMS_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <cassert>

namespace mho {

/// Reshapes between shapes that differ only in unit dimensions, which always
/// have a reassociation.
inline mlir::Value reshapeUnitDims(mlir::OpBuilder &rewriter,
                                   mlir::Location loc, mlir::Value value,
                                   llvm::ArrayRef<int64_t> shape) {
  auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto target = mlir::RankedTensorType::get(shape, type.getElementType());
  bool expand = target.getRank() > type.getRank();
  auto reassociation = mlir::getReassociationIndicesForReshape(
      expand ? llvm::cast<mlir::ShapedType>(target)
             : llvm::cast<mlir::ShapedType>(type),
      expand ? llvm::cast<mlir::ShapedType>(type)
             : llvm::cast<mlir::ShapedType>(target));
  assert(reassociation && "shapes differ in more than unit dimensions");
  if (expand)
    return mlir::tensor::ExpandShapeOp::create(rewriter, loc, target, value,
                                               *reassociation)
        .getResult();
  return mlir::tensor::CollapseShapeOp::create(rewriter, loc, target, value,
                                               *reassociation)
      .getResult();
}

} // namespace mho

#endif // MHO_CONVERSION_UNITDIMS_H
