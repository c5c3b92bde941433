//===- QuantArithmetic.cpp - Exact quantization arithmetic of cim ---------===//

#include "mho/Dialect/CIM/IR/QuantArithmetic.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mho::cim;

// The host's float arithmetic is IEEE binary32 with round to nearest even
// (x86-64 SSE, AArch64); `volatile` keeps the compiler from contracting or
// widening the single operations below.
float quant::reciprocal(float scale) {
  volatile float quotient = 1.0f / scale;
  return quotient;
}

int64_t quant::quantize(float x, float reciprocal, int64_t zeroPoint,
                        int64_t lo, int64_t hi) {
  volatile float product = x * reciprocal;
  float scaled = product;
  if (std::isnan(scaled))
    return zeroPoint;
  // nearbyint rounds halfway cases to even in the default rounding mode; a
  // float's integral part is exact in a double, and so is adding the zero
  // point, so the clamp sees the exact value (or an infinity).
  double shifted = std::nearbyint(static_cast<double>(scaled)) +
                   static_cast<double>(zeroPoint);
  double clamped =
      std::clamp(shifted, static_cast<double>(lo), static_cast<double>(hi));
  return static_cast<int64_t>(clamped);
}

float quant::symmetricScale(float maxAbs, unsigned bits) {
  volatile float quotient = maxAbs / static_cast<float>(symmetricMax(bits));
  float scale = quotient;
  return scale == 0.0f ? 1.0f : scale;
}

float quant::rowMaxAbs(llvm::ArrayRef<float> row) {
  if (row.empty())
    return 0.0f;
  float m = std::fabs(row.front());
  for (float x : row.drop_front()) {
    float a = std::fabs(x);
    m = m > a ? m : a;
  }
  return m;
}

float quant::quantizeRow(llvm::ArrayRef<float> row, unsigned bits,
                         llvm::MutableArrayRef<int64_t> out) {
  assert(row.size() == out.size() && "one output per input");
  float scale = symmetricScale(rowMaxAbs(row), bits);
  float r = reciprocal(scale);
  int64_t lo = minSigned(bits), hi = maxSigned(bits);
  for (auto [x, q] : llvm::zip_equal(row, out))
    q = quantize(x, r, /*zeroPoint=*/0, lo, hi);
  return scale;
}

quant::WeightCheck
quant::quantizeWeights(llvm::ArrayRef<float> w, int64_t k, int64_t n,
                       unsigned bits, llvm::MutableArrayRef<int64_t> q,
                       llvm::MutableArrayRef<float> scales) {
  assert(static_cast<int64_t>(w.size()) == k * n &&
         static_cast<int64_t>(q.size()) == k * n &&
         static_cast<int64_t>(scales.size()) == n && "K x N weights");
  WeightCheck check;
  for (int64_t i = 0; i < k * n; ++i)
    if (!std::isfinite(w[i])) {
      check.firstNonFinite = i;
      return check;
    }
  llvm::SmallVector<float> maxAbs(n, 0.0f);
  for (int64_t row = 0; row < k; ++row)
    for (int64_t col = 0; col < n; ++col)
      maxAbs[col] = std::max(maxAbs[col], std::fabs(w[row * n + col]));
  llvm::SmallVector<float> recip(n);
  for (int64_t col = 0; col < n; ++col) {
    scales[col] = symmetricScale(maxAbs[col], bits);
    recip[col] = reciprocal(scales[col]);
  }
  int64_t top = symmetricMax(bits);
  for (int64_t row = 0; row < k; ++row)
    for (int64_t col = 0; col < n; ++col)
      q[row * n + col] =
          quantize(w[row * n + col], recip[col], /*zeroPoint=*/0, -top, top);
  return check;
}
