//===- VectorOps.cpp - Whole-block semantics of the vector unit -----------===//

#include "mho/ISA/VectorOps.h"

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/ScalarOps.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

using namespace mho::isa;
using llvm::ArrayRef;
using llvm::MutableArrayRef;

//===----------------------------------------------------------------------===//
// Typed block functions
//===----------------------------------------------------------------------===//

size_t mho::isa::getSrc2Count(Src2Mode mode, size_t rows, size_t cols) {
  switch (mode) {
  case Src2Mode::Imm:
    return 0;
  case Src2Mode::Elem:
    return rows * cols;
  case Src2Mode::PerRow:
    return rows;
  case Src2Mode::PerCol:
    return cols;
  }
  llvm_unreachable("unknown src2 mode");
}

namespace {
/// s2(r, c) of §3 for a block whose second operand is `src2` or `imm`.
template <typename T>
T src2At(Src2Mode mode, ArrayRef<T> src2, T imm, size_t r, size_t c,
         size_t cols) {
  switch (mode) {
  case Src2Mode::Imm:
    return imm;
  case Src2Mode::Elem:
    return src2[r * cols + c];
  case Src2Mode::PerRow:
    return src2[r];
  case Src2Mode::PerCol:
    return src2[c];
  }
  llvm_unreachable("unknown src2 mode");
}

template <typename T, typename Fn>
void binaryBlock(Src2Mode mode, ArrayRef<T> src1, ArrayRef<T> src2, T imm,
                 size_t rows, size_t cols, MutableArrayRef<T> dst, Fn apply) {
  assert(src1.size() >= rows * cols && dst.size() >= rows * cols);
  assert(src2.size() >= getSrc2Count(mode, rows, cols));
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c)
      dst[r * cols + c] =
          apply(src1[r * cols + c], src2At(mode, src2, imm, r, c, cols));
}
} // namespace

void mho::isa::vecUnaryF32(VecFn fn, ArrayRef<float> src,
                           MutableArrayRef<float> dst) {
  assert(dst.size() >= src.size());
  for (size_t i = 0, e = src.size(); i < e; ++i)
    dst[i] = applyUnaryF32(fn, src[i]);
}

void mho::isa::vecBinaryF32(VecFn fn, Src2Mode mode, ArrayRef<float> src1,
                            ArrayRef<float> src2, float imm, size_t rows,
                            size_t cols, MutableArrayRef<float> dst) {
  binaryBlock<float>(mode, src1, src2, imm, rows, cols, dst,
                     [fn](float x, float y) { return applyBinaryF32(fn, x, y); });
}

void mho::isa::vecBinaryI32(VecFn fn, Src2Mode mode, ArrayRef<int32_t> src1,
                            ArrayRef<int32_t> src2, int32_t imm, size_t rows,
                            size_t cols, MutableArrayRef<int32_t> dst) {
  binaryBlock<int32_t>(
      mode, src1, src2, imm, rows, cols, dst,
      [fn](int32_t x, int32_t y) { return applyBinaryI32(fn, x, y); });
}

void mho::isa::convertI32ToF32(ArrayRef<int32_t> src,
                               MutableArrayRef<float> dst) {
  assert(dst.size() >= src.size());
  for (size_t i = 0, e = src.size(); i < e; ++i)
    dst[i] = convertI32ToF32(src[i]);
}

void mho::isa::convertF32ToI32(ArrayRef<float> src,
                               MutableArrayRef<int32_t> dst) {
  assert(dst.size() >= src.size());
  for (size_t i = 0, e = src.size(); i < e; ++i)
    dst[i] = convertF32ToI32(src[i]);
}

void mho::isa::quantizeF32(ArrayRef<float> src, float invScale,
                           int32_t zeroPoint, MutableArrayRef<int8_t> dst) {
  assert(dst.size() >= src.size());
  for (size_t i = 0, e = src.size(); i < e; ++i)
    dst[i] = static_cast<int8_t>(
        quantizeF32(src[i], invScale, zeroPoint, DataType::I8));
}

void mho::isa::quantizeF32(ArrayRef<float> src, float invScale,
                           int32_t zeroPoint, MutableArrayRef<int16_t> dst) {
  assert(dst.size() >= src.size());
  for (size_t i = 0, e = src.size(); i < e; ++i)
    dst[i] = static_cast<int16_t>(
        quantizeF32(src[i], invScale, zeroPoint, DataType::I16));
}

void mho::isa::dequantizeI32(ArrayRef<int32_t> acc, float scale, Src2Mode mode,
                             ArrayRef<float> src2, size_t rows, size_t cols,
                             MutableArrayRef<float> dst) {
  assert(acc.size() >= rows * cols && dst.size() >= rows * cols);
  bool hasFactor = mode != Src2Mode::Imm;
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c)
      dst[r * cols + c] = dequantizeI32(
          acc[r * cols + c], scale, hasFactor,
          hasFactor ? src2At<float>(mode, src2, 0.0f, r, c, cols) : 0.0f);
}

void mho::isa::reduceF32(ReduceKind kind, ArrayRef<float> src, size_t rows,
                         size_t cols, MutableArrayRef<float> dst) {
  assert(cols >= 1 && src.size() >= rows * cols && dst.size() >= rows);
  VecFn fn = kind == ReduceKind::Sum   ? VecFn::Add
             : kind == ReduceKind::Max ? VecFn::Max
                                       : VecFn::Min;
  for (size_t r = 0; r < rows; ++r) {
    float acc = src[r * cols];
    for (size_t c = 1; c < cols; ++c)
      acc = applyBinaryF32(fn, acc, src[r * cols + c]);
    dst[r] = acc;
  }
}

void mho::isa::reduceI32(ReduceKind kind, ArrayRef<int32_t> src, size_t rows,
                         size_t cols, MutableArrayRef<int32_t> dst) {
  assert(cols >= 1 && src.size() >= rows * cols && dst.size() >= rows);
  VecFn fn = kind == ReduceKind::Sum   ? VecFn::Add
             : kind == ReduceKind::Max ? VecFn::Max
                                       : VecFn::Min;
  for (size_t r = 0; r < rows; ++r) {
    int32_t acc = src[r * cols];
    for (size_t c = 1; c < cols; ++c)
      acc = applyBinaryI32(fn, acc, src[r * cols + c]);
    dst[r] = acc;
  }
}

void mho::isa::topK(ArrayRef<float> src, size_t rows, size_t cols, size_t k,
                    MutableArrayRef<float> values,
                    MutableArrayRef<int32_t> indices) {
  assert(k <= cols && src.size() >= rows * cols);
  assert(values.size() >= rows * k && indices.size() >= rows * k);
  std::vector<int32_t> order(cols);
  for (size_t r = 0; r < rows; ++r) {
    const float *row = src.data() + r * cols;
    std::iota(order.begin(), order.end(), 0);
    // "a ranks before b": larger value, NaNs last, ties to the lower index.
    auto before = [row](int32_t a, int32_t b) {
      float x = row[a], y = row[b];
      bool xNaN = std::isnan(x), yNaN = std::isnan(y);
      if (xNaN || yNaN)
        return xNaN && yNaN ? a < b : yNaN;
      if (x != y)
        return x > y;
      return a < b;
    };
    std::partial_sort(order.begin(), order.begin() + k, order.end(), before);
    for (size_t i = 0; i < k; ++i) {
      values[r * k + i] = row[order[i]];
      indices[r * k + i] = order[i];
    }
  }
}

void mho::isa::dmmF32(ArrayRef<float> a, ArrayRef<float> b, size_t m,
                      size_t k, size_t n, bool transposeB, bool accumulate,
                      MutableArrayRef<float> dst) {
  assert(a.size() >= m * k && b.size() >= k * n && dst.size() >= m * n);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      auto bAt = [&](size_t kk) {
        return transposeB ? b[j * k + kk] : b[kk * n + j];
      };
      float s = 0.0f;
      if (k > 0) {
        s = a[i * k] * bAt(0);
        for (size_t kk = 1; kk < k; ++kk)
          s = s + a[i * k + kk] * bAt(kk);
      }
      if (accumulate)
        s = dst[i * n + j] + s;
      // NaN results are the canonical quiet NaN, as for every f32 function.
      dst[i * n + j] = std::isnan(s) ? bitsToFloat(0x7FC00000) : s;
    }
  }
}

void mho::isa::dmmI8(ArrayRef<int8_t> a, ArrayRef<int8_t> b, size_t m,
                     size_t k, size_t n, bool transposeB, bool accumulate,
                     MutableArrayRef<int32_t> dst) {
  assert(a.size() >= m * k && b.size() >= k * n && dst.size() >= m * n);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      int64_t s = 0;
      for (size_t kk = 0; kk < k; ++kk)
        s += int64_t(a[i * k + kk]) *
             (transposeB ? b[j * k + kk] : b[kk * n + j]);
      int32_t y = static_cast<int32_t>(saturate(s, 32));
      if (accumulate)
        y = static_cast<int32_t>(saturate(int64_t(dst[i * n + j]) + y, 32));
      dst[i * n + j] = y;
    }
  }
}

//===----------------------------------------------------------------------===//
// Scratchpad access
//===----------------------------------------------------------------------===//

namespace {

std::string hex(uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex(value, 0);
  return text;
}

/// Checks that `count` elements of `elemSize` bytes at `address` lie inside
/// the scratchpad.
llvm::Error checkRange(llvm::StringRef what, uint64_t address, uint64_t count,
                       unsigned elemSize, size_t spadSize) {
  if (address <= spadSize && count <= (spadSize - address) / elemSize)
    return llvm::Error::success();
  return llvm::createStringError(
      llvm::Twine(what) + " [" + hex(address) + ", +" + llvm::Twine(count) +
      " x " + llvm::Twine(elemSize) + " bytes) is outside the scratchpad (" +
      llvm::Twine(spadSize) + " bytes)");
}

template <typename T>
llvm::Expected<std::vector<T>> load(llvm::StringRef what,
                                    ArrayRef<uint8_t> spad, uint64_t address,
                                    uint64_t count) {
  if (llvm::Error err = checkRange(what, address, count, sizeof(T), spad.size()))
    return std::move(err);
  std::vector<T> values(count);
  if (count)
    std::memcpy(values.data(), spad.data() + address, count * sizeof(T));
  // The host is little-endian (checked in store()); memory is little-endian.
  return values;
}

template <typename T>
llvm::Error store(llvm::StringRef what, MutableArrayRef<uint8_t> spad,
                  uint64_t address, ArrayRef<T> values) {
  static_assert(llvm::endianness::native == llvm::endianness::little,
                "the scratchpad layout assumes a little-endian host");
  if (llvm::Error err =
          checkRange(what, address, values.size(), sizeof(T), spad.size()))
    return err;
  if (!values.empty())
    std::memcpy(spad.data() + address, values.data(),
                values.size() * sizeof(T));
  return llvm::Error::success();
}

llvm::Error prefix(llvm::StringRef mnemonic, llvm::Error err) {
  if (!err)
    return err;
  return llvm::createStringError(llvm::Twine(mnemonic) + ": " +
                                 llvm::toString(std::move(err)));
}

llvm::Error executeVecImpl(const VecOperands &ops,
                           MutableArrayRef<uint8_t> spad) {
  uint64_t count = uint64_t(ops.rows) * ops.cols;
  size_t src2Count = getArity(ops.fn) == 2
                         ? getSrc2Count(ops.mode, ops.rows, ops.cols)
                         : 0;
  switch (ops.fn) {
  case VecFn::Copy: {
    auto bytes = load<uint8_t>("src1", spad, ops.src1,
                               llvm::SaturatingMultiply(count, uint64_t{4}));
    if (!bytes)
      return bytes.takeError();
    return store<uint8_t>("dst", spad, ops.dst, *bytes);
  }
  case VecFn::Cvt:
    if (ops.type == DataType::I32) {
      auto src = load<int32_t>("src1", spad, ops.src1, count);
      if (!src)
        return src.takeError();
      std::vector<float> dst(count);
      convertI32ToF32(*src, dst);
      return store<float>("dst", spad, ops.dst, dst);
    } else {
      auto src = load<float>("src1", spad, ops.src1, count);
      if (!src)
        return src.takeError();
      std::vector<int32_t> dst(count);
      convertF32ToI32(*src, dst);
      return store<int32_t>("dst", spad, ops.dst, dst);
    }
  case VecFn::Quant: {
    auto src = load<float>("src1", spad, ops.src1, count);
    if (!src)
      return src.takeError();
    auto zeroPoint = static_cast<int32_t>(ops.imm1);
    if (ops.mode != Src2Mode::Imm) {
      // Per-element multipliers: dynamic (per-row) quantization.
      auto src2 = load<float>("src2", spad, ops.src2, src2Count);
      if (!src2)
        return src2.takeError();
      unsigned size = getByteSize(ops.toType);
      std::vector<uint8_t> dst(count * size);
      for (size_t r = 0; r < ops.rows; ++r)
        for (size_t c = 0; c < ops.cols; ++c) {
          size_t i = r * ops.cols + c;
          int32_t q = quantizeF32(
              (*src)[i], src2At<float>(ops.mode, *src2, 0.0f, r, c, ops.cols),
              zeroPoint, ops.toType);
          if (size == 1)
            dst[i] = static_cast<uint8_t>(q);
          else
            llvm::support::endian::write16le(dst.data() + i * size,
                                             static_cast<uint16_t>(q));
        }
      return store<uint8_t>("dst", spad, ops.dst, dst);
    }
    float invScale = bitsToFloat(ops.imm0);
    if (ops.toType == DataType::I16) {
      std::vector<int16_t> dst(count);
      quantizeF32(*src, invScale, zeroPoint, MutableArrayRef<int16_t>(dst));
      return store<int16_t>("dst", spad, ops.dst, dst);
    }
    std::vector<int8_t> dst(count);
    quantizeF32(*src, invScale, zeroPoint, MutableArrayRef<int8_t>(dst));
    return store<int8_t>("dst", spad, ops.dst, dst);
  }
  case VecFn::Dequant: {
    auto src = load<int32_t>("src1", spad, ops.src1, count);
    if (!src)
      return src.takeError();
    auto src2 = load<float>("src2", spad, ops.src2, src2Count);
    if (!src2)
      return src2.takeError();
    std::vector<float> dst(count);
    dequantizeI32(*src, bitsToFloat(ops.imm0), ops.mode, *src2, ops.rows,
                  ops.cols, dst);
    return store<float>("dst", spad, ops.dst, dst);
  }
  default:
    break;
  }

  if (getArity(ops.fn) == 1) {
    auto src = load<float>("src1", spad, ops.src1, count);
    if (!src)
      return src.takeError();
    vecUnaryF32(ops.fn, *src, *src);
    return store<float>("dst", spad, ops.dst, *src);
  }
  if (ops.type == DataType::I32) {
    auto src1 = load<int32_t>("src1", spad, ops.src1, count);
    if (!src1)
      return src1.takeError();
    auto src2 = load<int32_t>("src2", spad, ops.src2, src2Count);
    if (!src2)
      return src2.takeError();
    std::vector<int32_t> dst(count);
    vecBinaryI32(ops.fn, ops.mode, *src1, *src2, static_cast<int32_t>(ops.imm0),
                 ops.rows, ops.cols, dst);
    return store<int32_t>("dst", spad, ops.dst, dst);
  }
  auto src1 = load<float>("src1", spad, ops.src1, count);
  if (!src1)
    return src1.takeError();
  auto src2 = load<float>("src2", spad, ops.src2, src2Count);
  if (!src2)
    return src2.takeError();
  std::vector<float> dst(count);
  vecBinaryF32(ops.fn, ops.mode, *src1, *src2, bitsToFloat(ops.imm0), ops.rows,
               ops.cols, dst);
  return store<float>("dst", spad, ops.dst, dst);
}

} // namespace

llvm::Error mho::isa::executeVec(const VecOperands &ops,
                                 MutableArrayRef<uint8_t> spad) {
  return prefix("vec." + getName(ops.fn).str(), executeVecImpl(ops, spad));
}

llvm::Error mho::isa::executeVred(const VredOperands &ops,
                                  MutableArrayRef<uint8_t> spad) {
  auto run = [&]() -> llvm::Error {
    uint64_t count = uint64_t(ops.rows) * ops.cols;
    if (ops.type == DataType::I32) {
      auto src = load<int32_t>("src", spad, ops.src, count);
      if (!src)
        return src.takeError();
      std::vector<int32_t> dst(ops.rows);
      reduceI32(ops.kind, *src, ops.rows, ops.cols, dst);
      return store<int32_t>("dst", spad, ops.dst, dst);
    }
    auto src = load<float>("src", spad, ops.src, count);
    if (!src)
      return src.takeError();
    std::vector<float> dst(ops.rows);
    reduceF32(ops.kind, *src, ops.rows, ops.cols, dst);
    return store<float>("dst", spad, ops.dst, dst);
  };
  return prefix("vred." + getName(ops.kind).str(), run());
}

llvm::Error mho::isa::executeVtopk(const VtopkOperands &ops,
                                   MutableArrayRef<uint8_t> spad) {
  auto run = [&]() -> llvm::Error {
    auto src = load<float>("src", spad, ops.src, uint64_t(ops.rows) * ops.cols);
    if (!src)
      return src.takeError();
    size_t outCount = size_t(ops.rows) * ops.k;
    std::vector<float> values(outCount);
    std::vector<int32_t> indices(outCount);
    topK(*src, ops.rows, ops.cols, ops.k, values, indices);
    if (llvm::Error err = store<float>("dst_values", spad, ops.dstValues, values))
      return err;
    return store<int32_t>("dst_indices", spad, ops.dstIndices, indices);
  };
  return prefix("vtopk", run());
}

llvm::Error mho::isa::executeDmm(const DmmOperands &ops,
                                 MutableArrayRef<uint8_t> spad) {
  auto run = [&]() -> llvm::Error {
    uint64_t aCount = uint64_t(ops.m) * ops.k, bCount = uint64_t(ops.k) * ops.n,
             dstCount = uint64_t(ops.m) * ops.n;
    if (ops.type == DataType::I8) {
      auto a = load<int8_t>("a", spad, ops.a, aCount);
      if (!a)
        return a.takeError();
      auto b = load<int8_t>("b", spad, ops.b, bCount);
      if (!b)
        return b.takeError();
      auto dst = load<int32_t>("dst", spad, ops.dst, dstCount);
      if (!dst)
        return dst.takeError();
      dmmI8(*a, *b, ops.m, ops.k, ops.n, ops.transposeB, ops.accumulate, *dst);
      return store<int32_t>("dst", spad, ops.dst, *dst);
    }
    auto a = load<float>("a", spad, ops.a, aCount);
    if (!a)
      return a.takeError();
    auto b = load<float>("b", spad, ops.b, bCount);
    if (!b)
      return b.takeError();
    auto dst = load<float>("dst", spad, ops.dst, dstCount);
    if (!dst)
      return dst.takeError();
    dmmF32(*a, *b, ops.m, ops.k, ops.n, ops.transposeB, ops.accumulate, *dst);
    return store<float>("dst", spad, ops.dst, *dst);
  };
  return prefix("dmm", run());
}

llvm::Error mho::isa::executeGather(const GatherOperands &ops, uint32_t count,
                                    MutableArrayRef<uint8_t> spad) {
  auto run = [&]() -> llvm::Error {
    auto index = load<int32_t>("index", spad, ops.index, count);
    if (!index)
      return index.takeError();
    // Check dst before allocating the rows it will receive.
    if (llvm::Error err = checkRange("dst", ops.dst,
                                     uint64_t(count) * ops.rowBytes, 1,
                                     spad.size()))
      return err;
    std::vector<uint8_t> rows(uint64_t(count) * ops.rowBytes, 0);
    for (uint32_t i = 0; i < count; ++i) {
      int32_t row = (*index)[i];
      if (row < 0)
        continue;
      uint64_t address = ops.src + uint64_t(row) * ops.rowBytes;
      if (llvm::Error err = checkRange("src row " + std::to_string(row),
                                       address, ops.rowBytes, 1, spad.size()))
        return err;
      std::memcpy(rows.data() + uint64_t(i) * ops.rowBytes,
                  spad.data() + address, ops.rowBytes);
    }
    return store<uint8_t>("dst", spad, ops.dst, rows);
  };
  return prefix("vgather", run());
}

llvm::Error mho::isa::executeScatter(const GatherOperands &ops, uint32_t count,
                                     MutableArrayRef<uint8_t> spad) {
  auto run = [&]() -> llvm::Error {
    auto index = load<int32_t>("index", spad, ops.index, count);
    if (!index)
      return index.takeError();
    auto rows = load<uint8_t>("src", spad, ops.src, uint64_t(count) * ops.rowBytes);
    if (!rows)
      return rows.takeError();
    for (uint32_t i = 0; i < count; ++i) {
      int32_t row = (*index)[i];
      if (row < 0)
        continue;
      uint64_t address = ops.dst + uint64_t(row) * ops.rowBytes;
      if (llvm::Error err = checkRange("dst row " + std::to_string(row),
                                       address, ops.rowBytes, 1, spad.size()))
        return err;
      const uint8_t *from = rows->data() + uint64_t(i) * ops.rowBytes;
      uint8_t *to = spad.data() + address;
      if (!ops.accumulate) {
        std::memcpy(to, from, ops.rowBytes);
        continue;
      }
      for (uint32_t byte = 0; byte + 4 <= ops.rowBytes; byte += 4) {
        float x, y;
        std::memcpy(&x, to + byte, 4);
        std::memcpy(&y, from + byte, 4);
        float sum = applyBinaryF32(VecFn::Add, x, y);
        std::memcpy(to + byte, &sum, 4);
      }
    }
    return llvm::Error::success();
  };
  return prefix("vscatter", run());
}

llvm::Error mho::isa::executeVdispatch(const VdispatchOperands &ops,
                                       MutableArrayRef<uint8_t> spad) {
  auto run = [&]() -> llvm::Error {
    auto src = load<int32_t>("src", spad, ops.src, ops.entries);
    if (!src)
      return src.takeError();
    // Check both destinations before allocating what they will receive.
    uint64_t slots = uint64_t(ops.experts) * ops.capacity;
    if (llvm::Error err =
            checkRange("dst_lists", ops.dstLists, slots, 4, spad.size()))
      return err;
    if (llvm::Error err = checkRange("dst_counts", ops.dstCounts, ops.experts,
                                     4, spad.size()))
      return err;
    std::vector<int32_t> lists(slots, -1);
    std::vector<int32_t> counts(ops.experts, 0);
    for (uint32_t i = 0; i < ops.entries; ++i) {
      int32_t expert = (*src)[i];
      if (expert < 0)
        continue;
      if (uint32_t(expert) >= ops.experts)
        return llvm::createStringError(
            "entry " + llvm::Twine(i) + " names expert " + llvm::Twine(expert) +
            ", outside [0, " + llvm::Twine(ops.experts) + ")");
      int32_t &count = counts[expert];
      if (uint32_t(count) == ops.capacity)
        return llvm::createStringError("entry " + llvm::Twine(i) +
                                       " overflows expert " +
                                       llvm::Twine(expert) + " (capacity " +
                                       llvm::Twine(ops.capacity) + ")");
      lists[uint64_t(expert) * ops.capacity + count] = int32_t(i);
      ++count;
    }
    if (llvm::Error err =
            store<int32_t>("dst_lists", spad, ops.dstLists, lists))
      return err;
    return store<int32_t>("dst_counts", spad, ops.dstCounts, counts);
  };
  return prefix("vdispatch", run());
}
