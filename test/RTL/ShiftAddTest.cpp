//===- ShiftAddTest.cpp - mho_shift_add RTL against the ISA library -------===//
//
// Drives the verilated shift-and-add accumulator with random stimulus and
// checks every cycle against mho::isa::shiftAddStep, bit for bit.
//
//===----------------------------------------------------------------------===//

#include "Vmho_shift_add.h"
#include "mho/ISA/Arithmetic.h"
#include "verilated.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

using namespace mho::isa;

namespace {

// The parameters hw/CMakeLists.txt verilates mho_shift_add with (its defaults).
constexpr ShiftAddConfig kConfig{10, 5, 32};

class ShiftAddRtl {
public:
  ShiftAddRtl() : context_(std::make_unique<VerilatedContext>()) {
    top_ = std::make_unique<Vmho_shift_add>(context_.get());
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->valid_i = 0;
    top_->clear_i = 0;
    top_->eval();
    top_->rst_ni = 1;
    top_->eval();
  }
  ~ShiftAddRtl() { top_->final(); }

  ShiftAddState cycle(bool valid, bool clear, bool negate, int64_t code,
                      unsigned shift) {
    top_->valid_i = valid;
    top_->clear_i = clear;
    top_->negate_i = negate;
    top_->code_i = static_cast<uint16_t>(code & ((1 << kConfig.codeBits) - 1));
    top_->shift_i = shift;
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    top_->eval();
    return {signExtend(top_->acc_o, kConfig.accBits), top_->sat_o != 0};
  }

private:
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vmho_shift_add> top_;
};

TEST(ShiftAddRtl, ResetsToZero) {
  ShiftAddRtl rtl;
  ShiftAddState state = rtl.cycle(false, false, false, 0, 0);
  EXPECT_EQ(state.acc, 0);
  EXPECT_FALSE(state.saturated);
}

// Shifts are drawn from a narrow range most of the time so that long runs stay
// unsaturated, and occasionally from the full range to exercise clamping.
TEST(ShiftAddRtl, MatchesIsaModelOnRandomStimulus) {
  ShiftAddRtl rtl;
  ShiftAddState model;
  std::mt19937_64 rng(0x6d686f);
  std::uniform_int_distribution<int64_t> code(minSigned(kConfig.codeBits),
                                              maxSigned(kConfig.codeBits));
  std::uniform_int_distribution<unsigned> smallShift(0, 12), fullShift(0, 31),
      percent(0, 99);
  unsigned saturations = 0;
  for (int i = 0; i < 200000; ++i) {
    bool valid = percent(rng) < 90;
    bool clear = percent(rng) < 3;
    bool negate = percent(rng) < 20;
    int64_t c = code(rng);
    unsigned shift = percent(rng) < 2 ? fullShift(rng) : smallShift(rng);
    model = shiftAddStep(kConfig, model, valid, clear, negate, c, shift);
    ShiftAddState hw = rtl.cycle(valid, clear, negate, c, shift);
    ASSERT_EQ(hw.acc, model.acc) << "cycle " << i;
    ASSERT_EQ(hw.saturated, model.saturated) << "cycle " << i;
    saturations += model.saturated;
  }
  EXPECT_GT(saturations, 0u) << "stimulus must exercise saturation";
}

TEST(ShiftAddRtl, ExtremesOfCodeAndShift) {
  ShiftAddRtl rtl;
  ShiftAddState model;
  const int64_t codes[] = {minSigned(kConfig.codeBits), -1, 0, 1,
                           maxSigned(kConfig.codeBits)};
  for (int64_t c : codes)
    for (unsigned shift : {0u, 1u, 21u, 22u, 31u})
      for (bool negate : {false, true}) {
        model = shiftAddStep(kConfig, model, true, true, negate, c, shift);
        ShiftAddState hw = rtl.cycle(true, true, negate, c, shift);
        ASSERT_EQ(hw.acc, model.acc) << c << " << " << shift;
        ASSERT_EQ(hw.saturated, model.saturated) << c << " << " << shift;
      }
}

} // namespace
