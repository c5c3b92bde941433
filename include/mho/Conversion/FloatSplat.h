//===- FloatSplat.h - A constant tensor's float fill value -----*- C++ -*-===//
//
// Shared by the conversions into cim, which accept splat constants where
// exporters write them (zero points, masks, fill values).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_CONVERSION_FLOATSPLAT_H
#define MHO_CONVERSION_FLOATSPLAT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <optional>

namespace mho {

/// The float splat value of a constant, if it is one.
inline std::optional<llvm::APFloat> getFloatSplat(mlir::Value value) {
  mlir::DenseElementsAttr dense;
  if (mlir::matchPattern(value, mlir::m_Constant(&dense)) && dense.isSplat() &&
      llvm::isa<mlir::FloatType>(dense.getElementType()))
    return dense.getSplatValue<llvm::APFloat>();
  return std::nullopt;
}

} // namespace mho

#endif // MHO_CONVERSION_FLOATSPLAT_H
