//===- ScalarOps.cpp - One element of each vector-unit function -----------===//
//
// Built with -ffp-contract=off (lib/ISA/CMakeLists.txt): every `+ - * /` below
// is one IEEE binary32 operation, as docs/ISA.md §3.1 requires.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/ScalarOps.h"

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/Instruction.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>
#include <limits>

using namespace mho::isa;

namespace {

constexpr uint32_t CanonicalNaNBits = 0x7FC00000;

float f32(uint32_t bits) { return bitsToFloat(bits); }

/// Every NaN an arithmetic function produces is the canonical quiet NaN, so
/// engines on different hosts and the RTL agree bit for bit.
float canonical(float x) { return std::isnan(x) ? f32(CanonicalNaNBits) : x; }

// §3.2 constants.
const float ExpOverflow = f32(0x42B17218);  // 88.72284
const float ExpUnderflow = f32(0xC2CFF0A4); // -103.97
const float Log2E = f32(0x3FB8AA3B);
const float Ln2Hi = f32(0x3F317200);
const float Ln2Lo = f32(0x35BFBE8E);
const float ExpC2 = f32(0x3F000000);
const float ExpC3 = f32(0x3E2AAAAB);
const float ExpC4 = f32(0x3D2AAAAB);
const float ExpC5 = f32(0x3C088889);
const float ExpC6 = f32(0x3AB60B61);
const float ErfP = f32(0x3EA7BA05);
const float ErfA1 = f32(0x3E827906);
const float ErfA2 = f32(0xBE91A98E);
const float ErfA3 = f32(0x3FB5F0E3);
const float ErfA4 = f32(0xBFBA00E3);
const float ErfA5 = f32(0x3F87DC22);
const float InvSqrt2 = f32(0x3F3504F3);

/// exp without canonicalisation (NaN in gives that NaN out).
float expRaw(float x) {
  if (std::isnan(x))
    return x;
  if (x > ExpOverflow)
    return std::numeric_limits<float>::infinity();
  if (x < ExpUnderflow)
    return 0.0f;
  float n = roundHalfEvenF32(x * Log2E);
  float r = (x - n * Ln2Hi) - n * Ln2Lo;
  float p = ExpC6;
  p = p * r + ExpC5;
  p = p * r + ExpC4;
  p = p * r + ExpC3;
  p = p * r + ExpC2;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // Exact scaling by 2^n with one rounding (to a subnormal or zero).
  return std::ldexp(p, static_cast<int>(n));
}

float erfRaw(float x) {
  float a = std::fabs(x);
  float t = 1.0f / (1.0f + ErfP * a);
  float poly = ErfA5;
  poly = poly * t + ErfA4;
  poly = poly * t + ErfA3;
  poly = poly * t + ErfA2;
  poly = poly * t + ErfA1;
  float y = 1.0f - (poly * t) * expRaw(-(a * a));
  return std::copysign(y, x);
}

float sigmoidRaw(float x) { return 1.0f / (1.0f + expRaw(-x)); }

} // namespace

float mho::isa::roundHalfEvenF32(float x) {
  // |x| >= 2^23 is already integral (and covers infinities); NaN stays.
  if (std::isnan(x) || !(std::fabs(x) < 8388608.0f))
    return x;
  float low = std::floor(x);
  float diff = x - low; // exact: the fraction of a float is a float
  float result = low;
  if (diff > 0.5f || (diff == 0.5f && std::fmod(low, 2.0f) != 0.0f))
    result = low + 1.0f;
  return std::copysign(result, x);
}

float mho::isa::expF32(float x) { return canonical(expRaw(x)); }

float mho::isa::tanhF32(float x) {
  float a = std::fabs(x);
  if (a >= 9.0f)
    return std::copysign(1.0f, x);
  float e = expRaw(2.0f * a);
  float t = 1.0f - 2.0f / (e + 1.0f);
  return canonical(std::copysign(t, x));
}

float mho::isa::erfF32(float x) { return canonical(erfRaw(x)); }

float mho::isa::sigmoidF32(float x) { return canonical(sigmoidRaw(x)); }

float mho::isa::geluF32(float x) {
  return canonical((x * 0.5f) * (1.0f + erfRaw(x * InvSqrt2)));
}

float mho::isa::siluF32(float x) { return canonical(x * sigmoidRaw(x)); }

float mho::isa::applyUnaryF32(VecFn fn, float x) {
  switch (fn) {
  case VecFn::Copy:
    return x;
  case VecFn::Neg:
    return bitsToFloat(floatToBits(x) ^ 0x80000000u);
  case VecFn::Abs:
    return bitsToFloat(floatToBits(x) & 0x7FFFFFFFu);
  case VecFn::Exp:
    return expF32(x);
  case VecFn::Recip:
    return canonical(1.0f / x);
  case VecFn::Sqrt:
    return canonical(std::sqrt(x));
  case VecFn::Rsqrt:
    return canonical(1.0f / std::sqrt(x));
  case VecFn::Tanh:
    return tanhF32(x);
  case VecFn::Sigmoid:
    return sigmoidF32(x);
  case VecFn::Erf:
    return erfF32(x);
  case VecFn::Gelu:
    return geluF32(x);
  case VecFn::Silu:
    return siluF32(x);
  default:
    llvm_unreachable("applyUnaryF32: not a unary f32 function");
  }
}

float mho::isa::applyBinaryF32(VecFn fn, float x, float y) {
  switch (fn) {
  case VecFn::Add:
    return canonical(x + y);
  case VecFn::Sub:
    return canonical(x - y);
  case VecFn::Mul:
    return canonical(x * y);
  case VecFn::Div:
    return canonical(x / y);
  case VecFn::Max:
    return x > y ? x : y;
  case VecFn::Min:
    return x < y ? x : y;
  default:
    llvm_unreachable("applyBinaryF32: not a binary f32 function");
  }
}

int32_t mho::isa::applyBinaryI32(VecFn fn, int32_t x, int32_t y) {
  switch (fn) {
  case VecFn::Add:
    return static_cast<int32_t>(saturate(int64_t(x) + y, 32));
  case VecFn::Sub:
    return static_cast<int32_t>(saturate(int64_t(x) - y, 32));
  case VecFn::Mul:
    return static_cast<int32_t>(saturate(int64_t(x) * y, 32));
  case VecFn::Max:
    return x > y ? x : y;
  case VecFn::Min:
    return x < y ? x : y;
  default:
    llvm_unreachable("applyBinaryI32: not a binary i32 function");
  }
}

float mho::isa::convertI32ToF32(int32_t x) {
  // One correctly rounded conversion (round to nearest even).
  return static_cast<float>(x);
}

namespace {
/// Rounds half to even and clamps to [lo, hi]; NaN is handled by the caller.
int64_t roundToClampedInt(float x, int64_t lo, int64_t hi) {
  float r = roundHalfEvenF32(x);
  if (r >= static_cast<float>(hi))
    return hi;
  if (r <= static_cast<float>(lo))
    return lo;
  return static_cast<int64_t>(r);
}
} // namespace

int32_t mho::isa::convertF32ToI32(float x) {
  if (std::isnan(x))
    return 0;
  // 2^31 is exactly representable; every float below it in magnitude fits.
  return static_cast<int32_t>(roundToClampedInt(x, INT32_MIN, INT32_MAX));
}

int32_t mho::isa::quantizeF32(float x, float invScale, int32_t zeroPoint,
                              DataType to) {
  unsigned bits = to == DataType::I16 ? 16 : 8;
  float product = x * invScale;
  if (std::isnan(product))
    return static_cast<int32_t>(saturate(zeroPoint, bits));
  // Clamp far outside any i32 + zero point, then add exactly.
  int64_t q = roundToClampedInt(product, -(int64_t{1} << 40),
                                int64_t{1} << 40);
  return static_cast<int32_t>(saturate(q + zeroPoint, bits));
}

float mho::isa::dequantizeI32(int32_t acc, float scale, bool hasFactor,
                              float factor) {
  float y = static_cast<float>(acc) * scale;
  if (hasFactor)
    y = y * factor;
  return canonical(y);
}
