//===- QuantArithmeticTest.cpp - Exact quantization arithmetic ------------===//
//
// The arithmetic --cim-quantize, cim.quantize_dynamic and #cim.quant share
// (include/mho/Dialect/CIM/IR/QuantArithmetic.h): the ISA `quant` function,
// symmetric scales and per-column weight quantization.
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/CIM/IR/QuantArithmetic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace mho::cim;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(QuantArithmetic, QuantizeRoundsHalfToEven) {
  EXPECT_EQ(quant::quantize(0.5f, 1.0f, 0, -128, 127), 0);
  EXPECT_EQ(quant::quantize(1.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quant::quantize(2.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quant::quantize(-0.5f, 1.0f, 0, -128, 127), 0);
  EXPECT_EQ(quant::quantize(-1.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quant::quantize(-2.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quant::quantize(2.4999998f, 1.0f, 0, -128, 127), 2);
  // The zero point is added after rounding.
  EXPECT_EQ(quant::quantize(2.5f, 1.0f, 3, -128, 127), 5);
}

TEST(QuantArithmetic, QuantizeMultipliesByTheF32Reciprocal) {
  // 2.25 / 0.3 rounds to 7.4999995 (-> 7), but 2.25 * f32(1 / 0.3) rounds
  // to exactly 7.5 (-> 8): the ISA multiplies by the reciprocal.
  float scale = 0.3f;
  float recip = quant::reciprocal(scale);
  EXPECT_EQ(recip, 1.0f / 0.3f);
  EXPECT_EQ(quant::quantize(2.25f, recip, 0, -128, 127), 8);
  EXPECT_EQ(std::nearbyint(2.25f / scale), 7.0f);
}

TEST(QuantArithmetic, QuantizeSaturatesAndMapsNaNToZeroPoint) {
  EXPECT_EQ(quant::quantize(1000.0f, 1.0f, 0, -128, 127), 127);
  EXPECT_EQ(quant::quantize(-1000.0f, 1.0f, 0, -128, 127), -128);
  EXPECT_EQ(quant::quantize(kInf, 1.0f, 0, -8, 7), 7);
  EXPECT_EQ(quant::quantize(-kInf, 1.0f, 0, -8, 7), -8);
  EXPECT_EQ(quant::quantize(kNaN, 1.0f, -2, -8, 7), -2);
  // 0 * inf is NaN: the zero point.
  EXPECT_EQ(quant::quantize(0.0f, kInf, 0, -8, 7), 0);
  // An overflowing product saturates.
  EXPECT_EQ(quant::quantize(3.0e38f, 1.0e30f, 0, -128, 127), 127);
}

TEST(QuantArithmetic, SymmetricScale) {
  EXPECT_EQ(quant::symmetricMax(8), 127);
  EXPECT_EQ(quant::symmetricMax(4), 7);
  EXPECT_EQ(quant::symmetricScale(127.0f, 8), 1.0f);
  EXPECT_EQ(quant::symmetricScale(2.0f, 8), 2.0f / 127.0f);
  // A zero maximum, or one whose quotient underflows to zero, gives 1.
  EXPECT_EQ(quant::symmetricScale(0.0f, 8), 1.0f);
  EXPECT_EQ(quant::symmetricScale(std::numeric_limits<float>::denorm_min(), 8),
            1.0f);
  EXPECT_TRUE(std::isnan(quant::symmetricScale(kNaN, 8)));
}

TEST(QuantArithmetic, RowMaxAbsFollowsTheIsaMaxLeftToRight) {
  EXPECT_EQ(quant::rowMaxAbs({}), 0.0f);
  EXPECT_EQ(quant::rowMaxAbs({1.0f, -3.0f, 2.0f}), 3.0f);
  EXPECT_EQ(quant::rowMaxAbs({-0.0f, 0.0f}), 0.0f);
  // m = (m > a) ? m : a: a NaN is replaced by the next element, and survives
  // only in the last position.
  EXPECT_EQ(quant::rowMaxAbs({kNaN, 2.0f}), 2.0f);
  EXPECT_EQ(quant::rowMaxAbs({2.0f, kNaN, 1.0f}), 1.0f);
  EXPECT_TRUE(std::isnan(quant::rowMaxAbs({2.0f, kNaN})));
}

TEST(QuantArithmetic, QuantizeRow) {
  std::vector<int64_t> q(3);
  // s = 2.54 / 127 = 0.02, f32(1 / s) = 50: 0.5 -> 0, 1.5 -> 2.
  EXPECT_EQ(quant::quantizeRow({0.01f, 0.03f, -2.54f}, 8, q), 0.02f);
  EXPECT_EQ(q, (std::vector<int64_t>{0, 2, -127}));
  // A zero row has scale 1 and zero values.
  EXPECT_EQ(quant::quantizeRow({0.0f, -0.0f, 0.0f}, 8, q), 1.0f);
  EXPECT_EQ(q, (std::vector<int64_t>{0, 0, 0}));
  // NaN elements quantize to 0.
  EXPECT_EQ(quant::quantizeRow({1.0f, kNaN, -1.0f}, 4, q), 1.0f / 7.0f);
  EXPECT_EQ(q, (std::vector<int64_t>{7, 0, -7}));
}

TEST(QuantArithmetic, WeightsPerColumnSymmetric) {
  // Columns: max 127 (scale 1, halves to even), max 1 (scale 1/127), zero.
  const std::vector<float> w = {127.0f, 1.0f,  0.0f, //
                                -3.5f,  -1.0f, 0.0f, //
                                2.5f,   0.25f, 0.0f};
  std::vector<int64_t> q(9);
  std::vector<float> scales(3);
  quant::WeightCheck check = quant::quantizeWeights(w, 3, 3, 8, q, scales);
  EXPECT_EQ(check.firstNonFinite, -1);
  EXPECT_EQ(scales, (std::vector<float>{1.0f, 1.0f / 127.0f, 1.0f}));
  // 0.25 * f32(1 / f32(1 / 127)) = 0.25 * 127 = 31.75 -> 32.
  EXPECT_EQ(q, (std::vector<int64_t>{127, 127, 0, //
                                     -4, -127, 0,  //
                                     2, 32, 0}));
}

TEST(QuantArithmetic, WeightsStayInTheSymmetricRange) {
  // The most negative value maps to -Q, never -2^(bits-1), so the weight is
  // representable under differential encoding too.
  const std::vector<float> w = {-1.0f, 0.5f};
  std::vector<int64_t> q(2);
  std::vector<float> scales(1);
  quant::quantizeWeights(w, 2, 1, 4, q, scales);
  EXPECT_EQ(q, (std::vector<int64_t>{-7, 3}));
  for (unsigned bits : {2u, 3u, 8u, 16u}) {
    const std::vector<float> extremes = {-5.0f, 5.0f, -4.9999995f};
    std::vector<int64_t> out(3);
    quant::quantizeWeights(extremes, 3, 1, bits, out, scales);
    int64_t top = quant::symmetricMax(bits);
    EXPECT_EQ(out[0], -top) << bits;
    EXPECT_EQ(out[1], top) << bits;
    EXPECT_GE(out[2], -top) << bits;
  }
}

TEST(QuantArithmetic, WeightsReportTheFirstNonFiniteValue) {
  const std::vector<float> w = {1.0f, 2.0f, kInf, kNaN};
  std::vector<int64_t> q(4);
  std::vector<float> scales(2);
  EXPECT_EQ(quant::quantizeWeights(w, 2, 2, 8, q, scales).firstNonFinite, 2);
}

} // namespace
