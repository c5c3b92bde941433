//===- MvmTest.cpp - Bit-sliced MVM arithmetic (docs/ISA.md §4) -----------===//

#include "mho/ISA/Mvm.h"

#include "ISATestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace mho::isa;
using namespace mho::isa::test;
using ::testing::HasSubstr;

namespace {

struct Shape {
  unsigned weightBits, cellBits, inputBits, dacBits;
  WeightEncoding encoding;
};

/// A configuration for `shape` with the ADC wide enough to be exact (k = 0)
/// unless adcBits/adcShift are given.
UnitConfig configFor(const Shape &shape, unsigned adcBits = 0,
                     unsigned adcShift = 0, unsigned accBits = 32) {
  UnitConfig config = smallConfig();
  config.weightBits = static_cast<uint8_t>(shape.weightBits);
  config.cellBits = static_cast<uint8_t>(shape.cellBits);
  config.encoding = shape.encoding;
  unsigned magnitude = shape.encoding == WeightEncoding::Differential
                           ? shape.weightBits - 1
                           : shape.weightBits;
  config.slices =
      static_cast<uint8_t>((magnitude + shape.cellBits - 1) / shape.cellBits);
  config.inputBits = static_cast<uint8_t>(shape.inputBits);
  config.dacBits = static_cast<uint8_t>(shape.dacBits);
  config.planes = static_cast<uint8_t>((shape.inputBits + shape.dacBits - 1) /
                                       shape.dacBits);
  if (adcBits == 0) {
    uint64_t maxSum = uint64_t(config.rows) * ((1u << shape.dacBits) - 1) *
                      ((1u << shape.cellBits) - 1);
    adcBits = 1;
    while (((uint64_t{1} << adcBits) - 1) < maxSum)
      ++adcBits;
  }
  config.adcBits = static_cast<uint8_t>(adcBits);
  config.adcShift = static_cast<uint8_t>(adcShift);
  config.accBits = static_cast<uint8_t>(accBits);
  return config;
}

WeightBlock randomBlock(const UnitConfig &config, unsigned rows, unsigned cols,
                        std::mt19937_64 &rng) {
  WeightBlock block;
  block.name = "random";
  block.rows = static_cast<uint16_t>(rows);
  block.cols = static_cast<uint16_t>(cols);
  block.bits = config.weightBits;
  int64_t lo = minSigned(config.weightBits), hi = maxSigned(config.weightBits);
  if (config.encoding == WeightEncoding::Differential)
    ++lo;
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  block.values.resize(size_t(rows) * cols);
  for (int16_t &value : block.values)
    value = static_cast<int16_t>(dist(rng));
  // The extremes appear in every block.
  block.values[0] = static_cast<int16_t>(lo);
  block.values.back() = static_cast<int16_t>(hi);
  return block;
}

std::vector<int8_t> randomInput(unsigned rows, std::mt19937_64 &rng) {
  std::vector<int8_t> input(rows);
  for (int8_t &x : input)
    x = static_cast<int8_t>(rng());
  input[0] = -128;
  input.back() = 127;
  return input;
}

/// sum_i x[i] * w[i][j], inputs saturated to I bits.
std::vector<int64_t> exactProduct(const UnitConfig &config,
                                  const WeightBlock &block,
                                  const std::vector<int8_t> &input) {
  std::vector<int64_t> y(block.cols, 0);
  for (unsigned i = 0; i < block.rows; ++i) {
    int64_t x = std::clamp<int64_t>(input[i], minSigned(config.inputBits),
                                    maxSigned(config.inputBits));
    for (unsigned j = 0; j < block.cols; ++j)
      y[j] += x * block.at(i, j);
  }
  return y;
}

/// docs/ISA.md §4 written out directly, one column and one read at a time,
/// sharing no code with lib/ISA.
std::vector<int32_t> referenceMvm(const UnitConfig &c, const WeightBlock &block,
                                  const std::vector<int8_t> &input) {
  const unsigned R = block.rows, C = block.cols, W = c.weightBits,
                 b = c.cellBits, S = c.slices, I = c.inputBits, d = c.dacBits,
                 P = c.planes, A = c.adcBits, k = c.adcShift;
  const bool diff = c.encoding == WeightEncoding::Differential;
  const int64_t Ow = diff ? 0 : int64_t(1) << (W - 1);
  const int64_t Ox = int64_t(1) << (I - 1);
  const int64_t accMax = (int64_t(1) << (c.accBits - 1)) - 1;
  const int64_t accMin = -accMax - 1;
  const int64_t adcMax = (int64_t(1) << A) - 1;

  std::vector<int64_t> xu(R);
  int64_t X = 0;
  for (unsigned i = 0; i < R; ++i) {
    int64_t x = input[i];
    x = std::min<int64_t>(std::max<int64_t>(x, -Ox), Ox - 1);
    xu[i] = x + Ox;
    X += xu[i];
  }
  std::vector<int32_t> y(C);
  for (unsigned j = 0; j < C; ++j) {
    int64_t U = 0;
    for (unsigned i = 0; i < R; ++i)
      U += diff ? block.at(i, j) : block.at(i, j) + Ow;
    int64_t acc = 0;
    for (unsigned s = 0; s < S; ++s) {
      for (unsigned sigma = 0; sigma < (diff ? 2u : 1u); ++sigma) {
        for (unsigned p = 0; p < P; ++p) {
          int64_t a = 0;
          for (unsigned i = 0; i < R; ++i) {
            int64_t w = block.at(i, j);
            int64_t stored = diff ? (sigma == 0 ? std::max<int64_t>(w, 0)
                                                : std::max<int64_t>(-w, 0))
                                  : w + Ow;
            int64_t cell = (stored >> (s * b)) & ((1 << b) - 1);
            int64_t dac = (xu[i] >> (p * d)) & ((1 << d) - 1);
            a += dac * cell;
          }
          int64_t code = k > 0 ? (a + (int64_t(1) << (k - 1))) >> k : a;
          code = std::min(code, adcMax);
          int64_t term = code * (int64_t(1) << (k + s * b + p * d));
          acc += sigma == 1 ? -term : term;
          acc = std::min(std::max(acc, accMin), accMax);
        }
      }
    }
    int64_t value = acc - Ow * X - Ox * U + int64_t(R) * Ox * Ow;
    y[j] = static_cast<int32_t>(
        std::min<int64_t>(std::max<int64_t>(value, INT32_MIN), INT32_MAX));
  }
  return y;
}

const Shape exactShapes[] = {
    {8, 1, 8, 1, WeightEncoding::Offset},
    {8, 2, 8, 2, WeightEncoding::Offset},
    {8, 4, 8, 1, WeightEncoding::Offset},
    {4, 2, 4, 2, WeightEncoding::Offset},
    {6, 3, 5, 2, WeightEncoding::Offset},
    {7, 1, 3, 3, WeightEncoding::Offset},
    {8, 1, 8, 1, WeightEncoding::Differential},
    {8, 2, 8, 4, WeightEncoding::Differential},
    {5, 4, 6, 1, WeightEncoding::Differential},
    {2, 1, 1, 1, WeightEncoding::Differential},
    {16, 4, 8, 2, WeightEncoding::Differential},
    {12, 3, 7, 1, WeightEncoding::Offset},
};

TEST(Mvm, IdealEqualsTheExactProductWithAWideAdc) {
  std::mt19937_64 rng(7);
  for (const Shape &shape : exactShapes) {
    UnitConfig config = configFor(shape);
    ASSERT_EQ(errorMessage(verifyUnitConfig(config)), "");
    for (int trial = 0; trial < 6; ++trial) {
      unsigned rows = 1 + rng() % 256, cols = 1 + rng() % 256;
      if (trial == 0)
        rows = cols = 256;
      ASSERT_TRUE(canBeExact(config, rows))
          << "W=" << shape.weightBits << " b=" << shape.cellBits
          << " I=" << shape.inputBits << " d=" << shape.dacBits
          << " R=" << rows;
      WeightBlock block = randomBlock(config, rows, cols, rng);
      std::vector<int8_t> input = randomInput(rows, rng);
      std::vector<int32_t> y = takeValue(mvmIdeal(config, block, input));
      std::vector<int64_t> expected = exactProduct(config, block, input);
      ASSERT_EQ(y.size(), cols);
      for (unsigned j = 0; j < cols; ++j)
        ASSERT_EQ(y[j], expected[j])
            << "column " << j << " of " << rows << "x" << cols << ", W="
            << shape.weightBits << " b=" << shape.cellBits
            << " I=" << shape.inputBits << " d=" << shape.dacBits
            << (shape.encoding == WeightEncoding::Differential ? " diff"
                                                               : " offset");
    }
  }
}

TEST(Mvm, SixteenBitOffsetWeightsNeedAWiderAccumulator) {
  // R*(2^8-1)*(2^16-1) exceeds i32: exact only with acc_bits > 33.
  Shape shape{16, 4, 8, 2, WeightEncoding::Offset};
  EXPECT_FALSE(canBeExact(configFor(shape), 256));
  UnitConfig wide = configFor(shape, 0, 0, /*accBits=*/40);
  ASSERT_TRUE(canBeExact(wide, 64));
  std::mt19937_64 rng(8);
  WeightBlock block = randomBlock(wide, 64, 32, rng);
  std::vector<int8_t> input = randomInput(64, rng);
  std::vector<int32_t> y = takeValue(mvmIdeal(wide, block, input));
  std::vector<int64_t> expected = exactProduct(wide, block, input);
  for (unsigned j = 0; j < 32; ++j)
    EXPECT_EQ(y[j], expected[j]);
}

TEST(Mvm, FewAdcBitsMatchTheStraightforwardReference) {
  std::mt19937_64 rng(11);
  struct Case {
    Shape shape;
    unsigned adcBits, adcShift, accBits;
  };
  const Case cases[] = {
      {{8, 2, 8, 1, WeightEncoding::Offset}, 6, 3, 32},
      {{8, 2, 8, 1, WeightEncoding::Offset}, 4, 0, 32},
      {{8, 4, 8, 2, WeightEncoding::Offset}, 8, 5, 32},
      {{8, 1, 8, 1, WeightEncoding::Differential}, 5, 2, 32},
      {{8, 2, 8, 4, WeightEncoding::Differential}, 7, 4, 32},
      {{4, 2, 4, 2, WeightEncoding::Differential}, 3, 1, 20},
      {{16, 4, 8, 2, WeightEncoding::Offset}, 9, 4, 32}, // saturates acc
      {{8, 1, 8, 1, WeightEncoding::Offset}, 1, 1, 12},
  };
  for (const Case &c : cases) {
    UnitConfig config = configFor(c.shape, c.adcBits, c.adcShift, c.accBits);
    ASSERT_EQ(errorMessage(verifyUnitConfig(config)), "");
    EXPECT_FALSE(canBeExact(config, 256));
    for (int trial = 0; trial < 4; ++trial) {
      unsigned rows = 1 + rng() % 256, cols = 1 + rng() % 64;
      WeightBlock block = randomBlock(config, rows, cols, rng);
      std::vector<int8_t> input = randomInput(rows, rng);
      std::vector<int32_t> y = takeValue(mvmIdeal(config, block, input));
      EXPECT_EQ(y, referenceMvm(config, block, input))
          << "A=" << c.adcBits << " k=" << c.adcShift << " R=" << rows;
    }
  }
}

TEST(Mvm, ScratchReuseGivesTheSameResults) {
  UnitConfig config = configFor({8, 2, 8, 1, WeightEncoding::Offset}, 6, 2);
  std::mt19937_64 rng(5);
  MvmScratch scratch;
  for (unsigned rows : {200u, 17u, 256u}) {
    WeightBlock block = randomBlock(config, rows, 100, rng);
    SlicedWeights sliced = takeValue(sliceWeights(config, block));
    std::vector<int8_t> input = randomInput(rows, rng);
    std::vector<int32_t> y(100);
    mvmIdeal(config, sliced, input, y, scratch);
    EXPECT_EQ(y, referenceMvm(config, block, input));
  }
}

TEST(Mvm, SlicesAndPlanesFollowTheEncoding) {
  UnitConfig offset = configFor({8, 2, 8, 1, WeightEncoding::Offset});
  WeightBlock block;
  block.rows = 1;
  block.cols = 2;
  block.bits = 8;
  block.values = {-128 + 0b10'01'11'00, 5};
  SlicedWeights sliced = takeValue(sliceWeights(offset, block));
  ASSERT_EQ(sliced.slices, 4u);
  ASSERT_EQ(sliced.polarities, 1u);
  EXPECT_EQ(sliced.weightOffset, 128);
  // u = 0b10011100: slices (LSB first) 00, 11, 01, 10.
  EXPECT_EQ(sliced.getLevels(0, 0)[0], 0);
  EXPECT_EQ(sliced.getLevels(1, 0)[0], 3);
  EXPECT_EQ(sliced.getLevels(2, 0)[0], 1);
  EXPECT_EQ(sliced.getLevels(3, 0)[0], 2);
  EXPECT_EQ(sliced.columnWeightSums[1], 5 + 128);

  UnitConfig diff = configFor({8, 2, 8, 1, WeightEncoding::Differential});
  block.values = {-0b1'10'01, 0b11'00'11};
  sliced = takeValue(sliceWeights(diff, block));
  ASSERT_EQ(sliced.polarities, 2u);
  EXPECT_EQ(sliced.weightOffset, 0);
  EXPECT_EQ(sliced.getLevels(0, 0)[0], 0) << "no positive part";
  EXPECT_EQ(sliced.getLevels(0, 1)[0], 1);
  EXPECT_EQ(sliced.getLevels(1, 1)[0], 2);
  EXPECT_EQ(sliced.getLevels(2, 1)[0], 1);
  EXPECT_EQ(sliced.getLevels(2, 0)[1], 3);
  EXPECT_EQ(sliced.columnWeightSums[0], -0b11001);

  InputPlanes planes;
  UnitConfig twoBitDac = configFor({8, 2, 8, 2, WeightEncoding::Offset});
  std::vector<int8_t> x = {-128, 0, 127, -1};
  encodeInput(twoBitDac, x, planes);
  ASSERT_EQ(planes.planes, 4u);
  EXPECT_EQ(planes.inputSum, 0 + 128 + 255 + 127);
  // x_u = 127 = 0b01'11'11'11.
  EXPECT_EQ(planes.getPlane(0)[3], 3);
  EXPECT_EQ(planes.getPlane(3)[3], 1);
  EXPECT_EQ(planes.getPlane(3)[1], 2) << "x_u = 128";

  UnitConfig fourBitInputs = configFor({8, 2, 4, 2, WeightEncoding::Offset});
  encodeInput(fourBitInputs, x, planes);
  EXPECT_EQ(planes.inputSum, 0 + 8 + 15 + 7) << "inputs saturate to 4 bits";
}

TEST(Mvm, ShapeOnlyBlocksCannotBeSliced) {
  UnitConfig config = configFor({8, 2, 8, 1, WeightEncoding::Offset});
  WeightBlock block;
  block.name = "elided";
  block.rows = 4;
  block.cols = 3;
  block.elided = true;
  llvm::Expected<SlicedWeights> sliced = sliceWeights(config, block);
  ASSERT_FALSE(bool(sliced));
  EXPECT_THAT(llvm::toString(sliced.takeError()),
              HasSubstr("weight block 'elided' is shape only (elided)"));
  llvm::Expected<std::vector<int32_t>> product =
      mvmIdeal(config, block, std::vector<int8_t>(4, 1));
  ASSERT_FALSE(bool(product));
  llvm::consumeError(product.takeError());
}

TEST(Mvm, ReadOrderIsSliceThenPolarityThenPlane) {
  UnitConfig config = configFor({8, 4, 4, 2, WeightEncoding::Differential}, 6,
                                1);
  std::vector<MvmRead> order = getReadOrder(config);
  ASSERT_EQ(order.size(), 2u * 2 * 2);
  EXPECT_EQ(config.getReadsPerVector(), 8u);
  unsigned index = 0;
  for (unsigned s = 0; s < 2; ++s)
    for (unsigned pol = 0; pol < 2; ++pol)
      for (unsigned p = 0; p < 2; ++p, ++index) {
        EXPECT_EQ(order[index].slice, s);
        EXPECT_EQ(order[index].polarity, pol);
        EXPECT_EQ(order[index].plane, p);
        EXPECT_EQ(order[index].negate, pol == 1);
        EXPECT_EQ(order[index].shift, 1 + 4 * s + 2 * p);
      }
}

TEST(Mvm, AdcConversion) {
  UnitConfig config = smallConfig();
  config.adcBits = 4;
  config.adcShift = 0;
  EXPECT_EQ(adcConvert(config, 0), 0);
  EXPECT_EQ(adcConvert(config, 15), 15);
  EXPECT_EQ(adcConvert(config, 16), 15) << "clips at full scale";
  config.adcShift = 2;
  EXPECT_EQ(adcConvert(config, 5), 1);
  EXPECT_EQ(adcConvert(config, 6), 2) << "round half up";
  EXPECT_EQ(adcConvert(config, 9), 2);
  EXPECT_EQ(adcConvert(config, 10), 3);
  EXPECT_EQ(adcConvert(config, 61), 15);
  EXPECT_EQ(adcConvert(config, 62), 15);
  EXPECT_EQ(adcConvert(config, 1000), 15);

  // The real-valued ADC agrees with the integer one on integers.
  for (int64_t a = 0; a < 100; ++a)
    EXPECT_EQ(adcConvertReal(config, double(a)), adcConvert(config, a)) << a;
  EXPECT_EQ(adcConvertReal(config, 5.999), 1);
  EXPECT_EQ(adcConvertReal(config, 6.0), 2);
  EXPECT_EQ(adcConvertReal(config, -3.0), 0) << "negative noise clamps to 0";
  EXPECT_EQ(adcConvertReal(config, 1e300), 15);
  EXPECT_EQ(adcConvertReal(config, NAN), 0);
  config.adcShift = 0;
  // 0.49999999999999994 + 0.5 rounds up in double; the ADC must not.
  EXPECT_EQ(adcConvertReal(config, 0.49999999999999994), 0);
  EXPECT_EQ(adcConvertReal(config, 0.5), 1);
}

TEST(Mvm, CorrectionAndSaturatingAccumulate) {
  UnitConfig config = configFor({8, 2, 8, 1, WeightEncoding::Offset});
  // One row: x = -1 (x_u = 127), w = 2 (u = 130): acc = 127 * 130.
  EXPECT_EQ(correctColumn(config, 1, 128, 127, 130, 127 * 130), -2);
  EXPECT_EQ(correctColumn(config, 1, 128, 0, 0, int64_t{1} << 40), INT32_MAX);
  EXPECT_EQ(addSaturate32(INT32_MAX, 1), INT32_MAX);
  EXPECT_EQ(addSaturate32(INT32_MIN, -1), INT32_MIN);
  EXPECT_EQ(addSaturate32(-5, 3), -2);
}

TEST(Mvm, AddSaturate32OnColumnsEqualsScalar) {
  // Every pair of edge values, at an odd byte offset (scratchpad addresses
  // need not be aligned).
  const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -65536,        -1,       0,
                           1,         65535,         INT32_MAX - 1, INT32_MAX};
  std::vector<int32_t> a, b;
  for (int32_t x : edges)
    for (int32_t y : edges) {
      a.push_back(x);
      b.push_back(y);
    }
  std::vector<uint8_t> bytes(4 * a.size() + 1);
  std::memcpy(bytes.data() + 1, a.data(), 4 * a.size());
  addSaturate32(bytes.data() + 1, b.data(), b.size());
  for (size_t j = 0; j < a.size(); ++j) {
    int32_t got;
    std::memcpy(&got, bytes.data() + 1 + 4 * j, 4);
    EXPECT_EQ(got, addSaturate32(a[j], b[j])) << a[j] << " + " << b[j];
  }
}

TEST(Mvm, RejectsBadBlocksAndInputs) {
  UnitConfig diff = configFor({8, 2, 8, 1, WeightEncoding::Differential});
  WeightBlock block;
  block.name = "w";
  block.rows = 1;
  block.cols = 2;
  block.bits = 8;
  block.values = {-128, 0};
  EXPECT_THAT(failureMessage(sliceWeights(diff, block)),
              HasSubstr("value -128 at [0][0] is -2^(W-1)"));
  block.values = {1, 2};
  EXPECT_THAT(failureMessage(mvmIdeal(diff, block, std::vector<int8_t>{1, 2})),
              HasSubstr("input has 2 elements, the block has 1 rows"));
  block.bits = 9;
  EXPECT_THAT(failureMessage(sliceWeights(diff, block)),
              HasSubstr("bits 9 exceeds weight_bits 8"));
  block.bits = 8;
  block.rows = 300;
  EXPECT_THAT(failureMessage(sliceWeights(diff, block)),
              HasSubstr("rows is 300, must be in [1, 256]"));
}

TEST(Mvm, CanBeExactNeedsNoShiftNoClipNoSaturation) {
  UnitConfig config = configFor({8, 2, 8, 1, WeightEncoding::Offset});
  EXPECT_TRUE(canBeExact(config, 256));
  config.adcShift = 1;
  EXPECT_FALSE(canBeExact(config, 256));
  config.adcShift = 0;
  config.adcBits = 9; // 2^9-1 = 511 < 256*3
  EXPECT_FALSE(canBeExact(config, 256));
  EXPECT_TRUE(canBeExact(config, 170));
}

TEST(UnitConfig, VerifyNamesTheField) {
  UnitConfig config = smallConfig();
  EXPECT_NO_ERROR(verifyUnitConfig(config));
  auto check = [](UnitConfig c, const char *message) {
    EXPECT_ERROR_CONTAINS(verifyUnitConfig(c), message);
  };
  UnitConfig c = config;
  c.slices = 3;
  check(c, "slices is 3, must be in [4, 16]");
  c = config;
  c.encoding = WeightEncoding::Differential;
  c.slices = 3;
  check(c, "slices is 3, must be in [4, 16]"); // ceil(7/2) = 4
  c = config;
  c.dacBits = 9;
  check(c, "dac_bits is 9, must be in [1, 8]");
  c = config;
  c.adcBits = 30;
  check(c, "adc_bits is 30, must be in [1, 29]");
  c = config;
  c.adcShift = 20;
  check(c, "largest shift adc_shift + (slices-1)*cell_bits + "
           "(planes-1)*dac_bits is 33, must be < 32");
  c = config;
  c.rows = 65535;
  c.cellBits = 8;
  c.dacBits = 8;
  c.planes = 1;
  c.slices = 1;
  check(c, "does not fit in i32");
  c = config;
  c.cores = 0;
  check(c, "cores is 0");
  c = config;
  c.dramBytes = uint64_t{1} << 48;
  check(c, "exceeds the 48-bit address space");
}

} // namespace
