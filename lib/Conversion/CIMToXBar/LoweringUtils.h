//===- LoweringUtils.h - Helpers of the cim-to-xbar lowerings --*- C++ -*-===//
//
// Not installed: small helpers the op lowerings of convert-cim-to-xbar share
// (element sizes, rows x cols readings of shapes and views, splat constants).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_CONVERSION_CIMTOXBAR_LOWERINGUTILS_H
#define MHO_LIB_CONVERSION_CIMTOXBAR_LOWERINGUTILS_H

#include "mho/Conversion/CIMToXBar/Schedule.h"
#include "mho/Dialect/XBar/IR/XBarOps.h"
#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/ProgramImage.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

#include <optional>

namespace mho::cimtoxbar {

using llvm::APFloat;
using llvm::APInt;
using llvm::dyn_cast;
using mlir::ArrayRef;
using mlir::DenseElementsAttr;
using mlir::IntegerType;
using mlir::m_Constant;
using mlir::matchPattern;
using mlir::Type;
using mlir::Value;

/// The fewest rows a vector op gives one core (docs/Compiler.md).
constexpr int64_t kMinRowsPerCore = 8;

/// Bytes one element of `type` occupies in memory: f32/i32 4, i9..i16 and
/// f16/bf16 2, i2..i8 1 (narrow integers are held in a byte).
inline std::optional<unsigned> getElementBytes(Type type) {
  if (type.isF32())
    return 4;
  if (type.isF16() || type.isBF16())
    return 2;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width >= 2 && width <= 8)
      return 1;
    if (width > 8 && width <= 16)
      return 2;
    if (width > 16 && width <= 32)
      return 4;
  }
  return std::nullopt;
}

/// Rows x cols reading of a shape: cols is the last dimension (1 for rank 0).
inline int64_t getRows(ArrayRef<int64_t> shape) {
  return shape.empty() ? 1 : mlir::computeProduct(shape.drop_back());
}
inline int64_t getCols(ArrayRef<int64_t> shape) {
  return shape.empty() ? 1 : shape.back();
}

/// The size of a scratchpad chunk: grown from 1 while the next size, up to
/// `limit`, still `fits`. Callers check that 1 fits and report it if not.
template <typename Fits> int64_t largestFitting(int64_t limit, Fits fits) {
  int64_t n = 1;
  while (n < limit && fits(n + 1))
    ++n;
  return n;
}

/// A splat constant's value as an ISA immediate (f32 bits or i32).
inline std::optional<uint32_t> getSplatImmediate(Value value) {
  DenseElementsAttr dense;
  if (!matchPattern(value, m_Constant(&dense)) || !dense.isSplat())
    return std::nullopt;
  Type element = dense.getElementType();
  if (element.isF32())
    return isa::floatToBits(dense.getSplatValue<APFloat>().convertToFloat());
  if (element.isSignlessInteger(32))
    return static_cast<uint32_t>(dense.getSplatValue<APInt>().getSExtValue());
  return std::nullopt;
}

/// The view with its dimensions from `from` on replaced by one of size 1
/// (the per-row values of a rows x cols reading).
inline View rowScalars(const View &view, size_t from) {
  View result = view;
  result.shape.resize(from);
  result.strides.resize(from);
  result.shape.push_back(1);
  result.strides.push_back(view.elementBytes);
  return result;
}

/// The view with trailing size-1 dimensions beyond `rank` dropped.
inline View dropTrailingUnitDims(const View &view, size_t rank) {
  View result = view;
  while (result.shape.size() > rank && result.shape.back() == 1) {
    result.shape.pop_back();
    result.strides.pop_back();
  }
  return result;
}

/// `view` reshaped to `shape` by dropping size-1 dimensions (those a
/// rank-reducing slice drops).
inline View dropUnitDims(const View &view, ArrayRef<int64_t> shape) {
  if (view.shape.size() == shape.size())
    return view;
  View result = view;
  result.shape.clear();
  result.strides.clear();
  size_t next = 0;
  for (size_t d = 0; d < view.shape.size(); ++d) {
    if (next < shape.size() && view.shape[d] == shape[next] &&
        (view.shape[d] != 1 ||
         view.shape.size() - d - 1 < shape.size() - next)) {
      result.shape.push_back(view.shape[d]);
      result.strides.push_back(view.strides[d]);
      ++next;
    }
  }
  return result;
}

/// The view's last dimension alone.
inline View lastDim(const View &view) {
  View result = view;
  if (view.shape.empty()) {
    result.shape = {1};
    result.strides = {view.elementBytes};
    return result;
  }
  result.shape = {view.shape.back()};
  result.strides = {view.strides.back()};
  return result;
}

/// The 2-D view of batch element `index` of a [B..., M, N] view.
inline View batchElement(const View &view, int64_t index) {
  size_t batchDims = view.shape.size() - 2;
  View result = view;
  for (size_t d = batchDims; d-- > 0;) {
    result.address += (index % view.shape[d]) * view.strides[d];
    index /= view.shape[d];
  }
  result.shape.erase(result.shape.begin(), result.shape.begin() + batchDims);
  result.strides.erase(result.strides.begin(),
                       result.strides.begin() + batchDims);
  return result;
}

/// Rows [first, first + count) of `view` into the scratchpad at `at`, packed
/// row-major (`intoSpad`), or back out of it: one copy per contiguous piece.
inline void copyRows(std::vector<isa::Instruction> &code, const View &view,
                     int64_t first, int64_t count, uint64_t at, bool intoSpad) {
  for (const View &piece : view.rowPieces(first, count)) {
    View block = View::spad(at, piece.shape, piece.elementBytes);
    if (intoSpad)
      appendCopy(code, piece, block);
    else
      appendCopy(code, block, piece);
    at += piece.getNumElements() * piece.elementBytes;
  }
}

/// `type` when a value of it can be a program image's symbol (an input or
/// an output), else null; SymbolTypeRule says what that takes.
inline mlir::RankedTensorType getSymbolType(Type type) {
  auto ranked = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!ranked || !xbar::getDataType(ranked.getElementType()) ||
      ranked.getRank() > isa::Symbol::MaxRank)
    return {};
  return ranked;
}
constexpr const char *SymbolTypeRule =
    "cannot be an image symbol (element types i8, i16, i32, f32, bf16, f16; "
    "rank <= 6)";

} // namespace mho::cimtoxbar

#endif // MHO_LIB_CONVERSION_CIMTOXBAR_LOWERINGUTILS_H
