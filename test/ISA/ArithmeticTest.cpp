//===- ArithmeticTest.cpp - Tests of the ISA's exact arithmetic -----------===//

#include "mho/ISA/Arithmetic.h"

#include <gtest/gtest.h>

using namespace mho::isa;

TEST(Arithmetic, SignedRange) {
  EXPECT_EQ(maxSigned(8), 127);
  EXPECT_EQ(minSigned(8), -128);
  EXPECT_EQ(maxSigned(32), 2147483647);
  EXPECT_EQ(minSigned(32), -2147483648LL);
}

TEST(Arithmetic, Saturate) {
  EXPECT_EQ(saturate(200, 8), 127);
  EXPECT_EQ(saturate(-200, 8), -128);
  EXPECT_EQ(saturate(-5, 8), -5);
  EXPECT_EQ(saturate(int64_t{1} << 40, 32), maxSigned(32));
}

TEST(Arithmetic, SignExtend) {
  EXPECT_EQ(signExtend(0x3ff, 10), -1);
  EXPECT_EQ(signExtend(0x200, 10), -512);
  EXPECT_EQ(signExtend(0x1ff, 10), 511);
  EXPECT_EQ(signExtend(0xfff, 10), -1) << "bits above the width are ignored";
}

TEST(Arithmetic, ShiftAddAccumulatesBitPlanes) {
  // 8-bit two's-complement input x = -3 (0b11111101) times a weight column
  // whose read yields code 5 on every plane: sum_j bit_j(x) * 5 * 2^j with the
  // sign plane negated must equal -15.
  ShiftAddConfig config;
  ShiftAddState state;
  uint8_t x = static_cast<uint8_t>(-3);
  for (unsigned plane = 0; plane < 8; ++plane) {
    int64_t code = ((x >> plane) & 1) ? 5 : 0;
    state = shiftAddStep(config, state, /*valid=*/true, /*clear=*/plane == 0,
                         /*negate=*/plane == 7, code, plane);
  }
  EXPECT_EQ(state.acc, -15);
  EXPECT_FALSE(state.saturated);
}

TEST(Arithmetic, ShiftAddSaturatesAndClears) {
  ShiftAddConfig config{10, 5, 16};
  ShiftAddState state;
  state = shiftAddStep(config, state, true, true, false, 511, 10);
  EXPECT_EQ(state.acc, maxSigned(16));
  EXPECT_TRUE(state.saturated);
  state = shiftAddStep(config, state, true, false, true, 1, 0);
  EXPECT_EQ(state.acc, maxSigned(16) - 1);
  EXPECT_TRUE(state.saturated) << "saturation flag is sticky";
  state = shiftAddStep(config, state, false, true, false, 0, 0);
  EXPECT_EQ(state.acc, 0);
  EXPECT_FALSE(state.saturated);
  state = shiftAddStep(config, state, true, false, true, -512, 31);
  EXPECT_EQ(state.acc, maxSigned(16)) << "-(-512 << 31) clamps high";
}

TEST(Arithmetic, ShiftAddIdleCycleHoldsValue) {
  ShiftAddConfig config;
  ShiftAddState state = shiftAddStep(config, {}, true, true, false, 7, 3);
  ShiftAddState held = shiftAddStep(config, state, false, false, true, 100, 9);
  EXPECT_EQ(held.acc, 56);
}
