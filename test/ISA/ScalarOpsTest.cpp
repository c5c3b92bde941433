//===- ScalarOpsTest.cpp - f32 element functions (docs/ISA.md §3.1-§3.2) --===//

#include "mho/ISA/ScalarOps.h"

#include "mho/ISA/Instruction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

using namespace mho::isa;

namespace {

float f32(uint32_t bits) { return bitsToFloat(bits); }
uint32_t bits(float x) { return floatToBits(x); }

constexpr uint32_t CanonicalNaN = 0x7FC00000;
const float Inf = std::numeric_limits<float>::infinity();

/// Size of one f32 ulp at the f32 nearest to `ref` (subnormal spacing below
/// the normal range).
double ulpAt(double ref) {
  double a = std::fabs(ref);
  if (a < 0x1p-126)
    return 0x1p-149;
  int exponent;
  std::frexp(static_cast<double>(static_cast<float>(a)), &exponent);
  return std::ldexp(1.0, exponent - 24);
}

/// Every 2^shift-th f32 bit pattern (both signs), NaNs skipped.
template <typename Fn> void sweep(unsigned shift, Fn fn) {
  for (uint64_t b = 0; b <= 0xFFFFFFFFull; b += uint64_t{1} << shift) {
    float x = f32(static_cast<uint32_t>(b));
    if (!std::isnan(x))
      fn(x);
  }
}

//===----------------------------------------------------------------------===//
// The §3.2 algorithms transcribed from docs/ISA.md, independently of lib/ISA,
// so that the library is checked against the text bit for bit.
//===----------------------------------------------------------------------===//

float docRne(float x) {
  // Exact for |x| < 2^23 in the default rounding mode (round to nearest even).
  if (!(std::fabs(x) < 0x1p23f))
    return x;
  float big = std::copysign(0x1p23f, x);
  return std::copysign((x + big) - big, x);
}

float docExp(float x) {
  if (std::isnan(x))
    return f32(CanonicalNaN);
  if (x > f32(0x42B17218))
    return Inf;
  if (x < f32(0xC2CFF0A4))
    return 0.0f;
  float n = docRne(x * f32(0x3FB8AA3B));
  float r = (x - n * f32(0x3F317200)) - n * f32(0x35BFBE8E);
  float p = ((((((f32(0x3AB60B61) * r + f32(0x3C088889)) * r +
                 f32(0x3D2AAAAB)) * r + f32(0x3E2AAAAB)) * r + 0.5f) * r +
              1.0f) * r + 1.0f);
  return std::ldexp(p, static_cast<int>(n));
}

float docTanh(float x) {
  if (std::isnan(x))
    return f32(CanonicalNaN);
  float a = std::fabs(x);
  if (a >= 9.0f)
    return std::copysign(1.0f, x);
  float e = docExp(2.0f * a);
  return std::copysign(1.0f - 2.0f / (e + 1.0f), x);
}

float docErf(float x) {
  if (std::isnan(x))
    return f32(CanonicalNaN);
  float a = std::fabs(x);
  float t = 1.0f / (1.0f + f32(0x3EA7BA05) * a);
  float poly = ((((f32(0x3F87DC22) * t + f32(0xBFBA00E3)) * t +
                  f32(0x3FB5F0E3)) * t + f32(0xBE91A98E)) * t +
                f32(0x3E827906));
  return std::copysign(1.0f - (poly * t) * docExp(-(a * a)), x);
}

TEST(ScalarOps, ConstantsAreTheDocumentedValues) {
  EXPECT_FLOAT_EQ(f32(0x3FB8AA3B), 1.0f / std::log(2.0f));
  EXPECT_NEAR(double(f32(0x3F317200)) + double(f32(0x35BFBE8E)), std::log(2.0),
              1e-12);
  EXPECT_EQ(f32(0x3F317200) * 256.0f, 177.4453125f)
      << "ln2 hi has few mantissa bits, so n * ln2hi is exact";
  EXPECT_EQ(f32(0x3E2AAAAB), 1.0f / 6.0f);
  EXPECT_EQ(f32(0x3D2AAAAB), 1.0f / 24.0f);
  EXPECT_EQ(f32(0x3C088889), 1.0f / 120.0f);
  EXPECT_EQ(f32(0x3AB60B61), 1.0f / 720.0f);
  EXPECT_EQ(f32(0x3F3504F3), static_cast<float>(1.0 / std::sqrt(2.0)));
  EXPECT_EQ(f32(0x3EA7BA05), 0.3275911f);
  EXPECT_EQ(f32(0x3E827906), 0.254829592f);
  EXPECT_EQ(f32(0xBE91A98E), -0.284496736f);
  EXPECT_EQ(f32(0x3FB5F0E3), 1.421413741f);
  EXPECT_EQ(f32(0xBFBA00E3), -1.453152027f);
  EXPECT_EQ(f32(0x3F87DC22), 1.061405429f);
  EXPECT_EQ(f32(0x42B17218), 88.72284f);
  EXPECT_EQ(f32(0xC2CFF0A4), -103.97f);
}

TEST(ScalarOps, SpecialFunctionsFollowTheDocumentBitForBit) {
  sweep(12, [](float x) {
    ASSERT_EQ(bits(expF32(x)), bits(docExp(x))) << "exp " << x;
    ASSERT_EQ(bits(tanhF32(x)), bits(docTanh(x))) << "tanh " << x;
    ASSERT_EQ(bits(erfF32(x)), bits(docErf(x))) << "erf " << x;
  });
}

TEST(ScalarOps, ExpIsWithinFourUlps) {
  double worst = 0;
  sweep(11, [&](float x) {
    if (x < -103.97f || x > 88.72f)
      return;
    double ref = std::exp(double(x));
    if (ref > std::numeric_limits<float>::max())
      return;
    double err = std::fabs(expF32(x) - ref) / ulpAt(ref);
    worst = std::max(worst, err);
    ASSERT_LE(err, 4.0) << "exp(" << x << ")";
  });
  EXPECT_GT(worst, 0.5) << "the sweep reached the interesting range";
}

TEST(ScalarOps, ExpSpecialCases) {
  EXPECT_EQ(expF32(0.0f), 1.0f);
  EXPECT_EQ(expF32(-0.0f), 1.0f);
  EXPECT_EQ(expF32(Inf), Inf);
  EXPECT_EQ(bits(expF32(-Inf)), 0u) << "+0";
  EXPECT_EQ(bits(expF32(std::nanf(""))), CanonicalNaN);
  EXPECT_EQ(bits(expF32(f32(0xFFC00123))), CanonicalNaN);
  // Overflow threshold: above it +inf; just below it finite.
  EXPECT_EQ(expF32(std::nextafter(f32(0x42B17218), Inf)), Inf);
  EXPECT_TRUE(std::isfinite(expF32(88.7f)));
  EXPECT_NEAR(expF32(88.7f) / std::exp(double(88.7f)), 1.0, 1e-6);
  // Underflow: below -103.97 exactly +0; above it subnormal results.
  EXPECT_EQ(bits(expF32(std::nextafter(-103.97f, -Inf))), 0u);
  float sub = expF32(-100.0f);
  EXPECT_GT(sub, 0.0f);
  EXPECT_LT(sub, std::numeric_limits<float>::min()) << "subnormals kept";
  EXPECT_LE(std::fabs(sub - std::exp(-100.0)), 0x1p-149);
  EXPECT_LE(std::fabs(expF32(-103.0f) - std::exp(-103.0)), 0x1p-149);
  EXPECT_EQ(expF32(1.0f), std::exp(1.0f));
}

TEST(ScalarOps, TanhIsWithinItsStatedError) {
  sweep(11, [](float x) {
    double ref = std::tanh(double(x));
    double err = std::fabs(tanhF32(x) - ref);
    ASSERT_LE(err, 2.5e-7) << "tanh(" << x << ")";
    if (std::fabs(x) >= 0.5f) {
      ASSERT_LE(err / ulpAt(ref), 5.0) << "tanh(" << x << ")";
    }
  });
  EXPECT_EQ(tanhF32(Inf), 1.0f);
  EXPECT_EQ(tanhF32(-Inf), -1.0f);
  EXPECT_EQ(tanhF32(9.0f), 1.0f);
  EXPECT_EQ(tanhF32(-9.0f), -1.0f);
  EXPECT_EQ(bits(tanhF32(-0.0f)), 0x80000000u) << "sign of x";
  EXPECT_EQ(bits(tanhF32(std::nanf(""))), CanonicalNaN);
}

TEST(ScalarOps, ErfIsWithinItsStatedError) {
  // A&S 7.1.26 is within 1.5e-7 in exact arithmetic; its f32 evaluation
  // (cancellation in the alternating polynomial) within 7e-7.
  sweep(11, [](float x) {
    double err = std::fabs(erfF32(x) - std::erf(double(x)));
    ASSERT_LE(err, 7e-7) << "erf(" << x << ")";
  });
  EXPECT_EQ(erfF32(Inf), 1.0f);
  EXPECT_EQ(erfF32(-Inf), -1.0f);
  EXPECT_EQ(erfF32(10.0f), 1.0f);
  EXPECT_EQ(bits(erfF32(-0.0f)), 0x80000000u);
  EXPECT_EQ(bits(erfF32(0.0f)), 0u);
  EXPECT_EQ(bits(erfF32(std::nanf(""))), CanonicalNaN);
}

TEST(ScalarOps, SigmoidGeluSiluAreWithinTheirStatedError) {
  sweep(11, [](float x) {
    if (std::fabs(x) > 1e30f)
      return;
    double xd = x;
    double s = 1.0 / (1.0 + std::exp(-xd));
    ASSERT_LE(std::fabs(sigmoidF32(x) - s), 2e-7) << "sigmoid(" << x << ")";
    if (s >= 0x1p-126) {
      ASSERT_LE(std::fabs(sigmoidF32(x) - s) / ulpAt(s), 5.0)
          << "sigmoid(" << x << ")";
    }
    double g = 0.5 * xd * (1.0 + std::erf(xd / std::sqrt(2.0)));
    ASSERT_LE(std::fabs(geluF32(x) - g), 5e-7 * std::max(1.0, std::fabs(g)))
        << "gelu(" << x << ")";
    double si = xd * s;
    ASSERT_LE(std::fabs(siluF32(x) - si), 3e-7 * std::max(1.0, std::fabs(si)))
        << "silu(" << x << ")";
  });
  EXPECT_EQ(sigmoidF32(-Inf), 0.0f);
  EXPECT_EQ(sigmoidF32(Inf), 1.0f);
  EXPECT_EQ(sigmoidF32(0.0f), 0.5f);
  EXPECT_EQ(sigmoidF32(-200.0f), 0.0f) << "exp(200) overflows to +inf";
  EXPECT_EQ(geluF32(0.0f), 0.0f);
  EXPECT_EQ(geluF32(Inf), Inf);
  EXPECT_EQ(bits(geluF32(-Inf)), CanonicalNaN) << "-inf * 0 is NaN";
  EXPECT_EQ(siluF32(Inf), Inf);
  EXPECT_EQ(bits(siluF32(-Inf)), CanonicalNaN) << "-inf * 0 is NaN";
  EXPECT_EQ(bits(sigmoidF32(std::nanf(""))), CanonicalNaN);
}

TEST(ScalarOps, ElementaryFunctionsAreSingleIeeeOperations) {
  float a = 0.1f, b = 0.2f;
  EXPECT_EQ(applyBinaryF32(VecFn::Add, a, b), a + b);
  EXPECT_EQ(applyBinaryF32(VecFn::Div, 1.0f, 3.0f), 1.0f / 3.0f);
  EXPECT_EQ(applyUnaryF32(VecFn::Rsqrt, 2.0f), 1.0f / std::sqrt(2.0f))
      << "two roundings";
  EXPECT_EQ(applyUnaryF32(VecFn::Recip, 0.0f), Inf);
  EXPECT_EQ(applyUnaryF32(VecFn::Recip, -0.0f), -Inf);
  EXPECT_EQ(bits(applyUnaryF32(VecFn::Sqrt, -1.0f)), CanonicalNaN);
  EXPECT_EQ(bits(applyUnaryF32(VecFn::Sqrt, -0.0f)), 0x80000000u);
  // Subnormals are kept, not flushed.
  float tiny = f32(1);
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Add, tiny, tiny)), 2u);
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Mul, 0x1p-100f, 0x1p-40f)),
            bits(0x1p-140f));
  // NaN results are canonical; copy/neg/abs are bit operations.
  float payload = f32(0x7FA00001);
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Add, payload, 1.0f)), CanonicalNaN);
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Sub, Inf, Inf)), CanonicalNaN);
  EXPECT_EQ(bits(applyUnaryF32(VecFn::Copy, payload)), 0x7FA00001u);
  EXPECT_EQ(bits(applyUnaryF32(VecFn::Neg, payload)), 0xFFA00001u);
  EXPECT_EQ(bits(applyUnaryF32(VecFn::Abs, f32(0xFFA00001))), 0x7FA00001u);
  EXPECT_EQ(bits(applyUnaryF32(VecFn::Neg, 0.0f)), 0x80000000u);
}

TEST(ScalarOps, MaxMinAreTheDocumentedSelections) {
  float nan = f32(0x7FC00005);
  EXPECT_EQ(applyBinaryF32(VecFn::Max, 1.0f, 2.0f), 2.0f);
  EXPECT_EQ(applyBinaryF32(VecFn::Max, nan, 1.0f), 1.0f) << "x > y false: y";
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Max, 1.0f, nan)), 0x7FC00005u);
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Max, 0.0f, -0.0f)), 0x80000000u)
      << "+0 > -0 is false: y";
  EXPECT_EQ(bits(applyBinaryF32(VecFn::Min, -0.0f, 0.0f)), 0u);
  EXPECT_EQ(applyBinaryF32(VecFn::Min, nan, 1.0f), 1.0f);
}

TEST(ScalarOps, IntegerFunctionsSaturate) {
  EXPECT_EQ(applyBinaryI32(VecFn::Add, INT32_MAX, 1), INT32_MAX);
  EXPECT_EQ(applyBinaryI32(VecFn::Sub, INT32_MIN, 1), INT32_MIN);
  EXPECT_EQ(applyBinaryI32(VecFn::Mul, 65536, 65536), INT32_MAX);
  EXPECT_EQ(applyBinaryI32(VecFn::Mul, -65536, 65536), INT32_MIN);
  EXPECT_EQ(applyBinaryI32(VecFn::Mul, -3, 7), -21);
  EXPECT_EQ(applyBinaryI32(VecFn::Max, -3, 7), 7);
  EXPECT_EQ(applyBinaryI32(VecFn::Min, -3, 7), -3);
}

TEST(ScalarOps, RoundHalfEven) {
  EXPECT_EQ(roundHalfEvenF32(2.5f), 2.0f);
  EXPECT_EQ(roundHalfEvenF32(3.5f), 4.0f);
  EXPECT_EQ(roundHalfEvenF32(-2.5f), -2.0f);
  EXPECT_EQ(roundHalfEvenF32(-3.5f), -4.0f);
  EXPECT_EQ(roundHalfEvenF32(2.4999998f), 2.0f);
  EXPECT_EQ(roundHalfEvenF32(0.5f), 0.0f);
  EXPECT_EQ(bits(roundHalfEvenF32(-0.25f)), 0x80000000u);
  EXPECT_EQ(roundHalfEvenF32(8388607.5f), 8388608.0f);
  EXPECT_EQ(roundHalfEvenF32(1e30f), 1e30f);
  EXPECT_EQ(roundHalfEvenF32(-Inf), -Inf);
  sweep(14, [](float x) {
    ASSERT_EQ(bits(roundHalfEvenF32(x)), bits(std::nearbyint(x))) << x;
  });
}

TEST(ScalarOps, ConvertRoundsHalfEvenAndSaturates) {
  EXPECT_EQ(convertF32ToI32(2.5f), 2);
  EXPECT_EQ(convertF32ToI32(-3.5f), -4);
  EXPECT_EQ(convertF32ToI32(0.49999997f), 0);
  EXPECT_EQ(convertF32ToI32(3e9f), INT32_MAX);
  EXPECT_EQ(convertF32ToI32(-3e9f), INT32_MIN);
  EXPECT_EQ(convertF32ToI32(2147483648.0f), INT32_MAX);
  EXPECT_EQ(convertF32ToI32(-2147483648.0f), INT32_MIN);
  EXPECT_EQ(convertF32ToI32(2147483520.0f), 2147483520);
  EXPECT_EQ(convertF32ToI32(Inf), INT32_MAX);
  EXPECT_EQ(convertF32ToI32(-Inf), INT32_MIN);
  EXPECT_EQ(convertF32ToI32(std::nanf("")), 0);
  EXPECT_EQ(convertI32ToF32(16777217), 16777216.0f);
  EXPECT_EQ(convertI32ToF32(16777219), 16777220.0f);
  EXPECT_EQ(convertI32ToF32(INT32_MAX), 2147483648.0f);
}

TEST(ScalarOps, QuantRoundsTheProductHalfEvenThenAddsTheZeroPoint) {
  EXPECT_EQ(quantizeF32(2.5f, 1.0f, 0, DataType::I8), 2);
  EXPECT_EQ(quantizeF32(3.5f, 1.0f, 0, DataType::I8), 4);
  EXPECT_EQ(quantizeF32(-2.5f, 1.0f, 0, DataType::I8), -2);
  EXPECT_EQ(quantizeF32(1.25f, 2.0f, 1, DataType::I8), 3) << "rne(2.5)+1";
  EXPECT_EQ(quantizeF32(0.1f, 10.0f, 0, DataType::I8), 1)
      << "0.1f * 10 rounds to 1.0f in f32 first";
  EXPECT_EQ(quantizeF32(1000.0f, 1.0f, 0, DataType::I8), 127);
  EXPECT_EQ(quantizeF32(-1000.0f, 1.0f, 0, DataType::I8), -128);
  EXPECT_EQ(quantizeF32(126.0f, 1.0f, 5, DataType::I8), 127)
      << "saturation after the zero point";
  EXPECT_EQ(quantizeF32(1000.0f, 1.0f, 0, DataType::I16), 1000);
  EXPECT_EQ(quantizeF32(40000.5f, 1.0f, 0, DataType::I16), 32767);
  EXPECT_EQ(quantizeF32(-40000.0f, 1.0f, 0, DataType::I16), -32768);
  EXPECT_EQ(quantizeF32(Inf, 1.0f, 0, DataType::I8), 127);
  EXPECT_EQ(quantizeF32(-Inf, 1.0f, 0, DataType::I8), -128);
  EXPECT_EQ(quantizeF32(3e38f, 1e10f, -5, DataType::I16), 32767);
  EXPECT_EQ(quantizeF32(std::nanf(""), 1.0f, -7, DataType::I8), -7);
  EXPECT_EQ(quantizeF32(std::nanf(""), 1.0f, 300, DataType::I8), 127);
  EXPECT_EQ(quantizeF32(Inf, 0.0f, 3, DataType::I8), 3) << "inf * 0 is NaN";
  EXPECT_EQ(quantizeF32(1.0f, 1.0f, INT32_MIN, DataType::I16), -32768);
}

TEST(ScalarOps, DequantMultipliesInTheDocumentedOrder) {
  EXPECT_EQ(dequantizeI32(16777217, 1.0f, false, 0.0f), 16777216.0f)
      << "f32(acc) rounds to nearest even";
  // (a * b) * c differs from a * (b * c) here.
  float scale = 0x1p-100f, factor = 0x1p100f;
  int32_t acc = 3;
  EXPECT_EQ(dequantizeI32(acc, scale, true, factor),
            (static_cast<float>(acc) * scale) * factor);
  float s = 1.1f, c = 1.3f;
  int32_t big = 123456789;
  EXPECT_EQ(bits(dequantizeI32(big, s, true, c)),
            bits((static_cast<float>(big) * s) * c));
  EXPECT_NE(bits((static_cast<float>(big) * s) * c),
            bits(static_cast<float>(big) * (s * c)))
      << "the check above distinguishes the orders";
}

} // namespace
