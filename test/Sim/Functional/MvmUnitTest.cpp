//===- MvmUnitTest.cpp - MVM units: exactness and kernel agreement -------===//
//
// Noise off, every kernel equals isa::mvmIdeal bit for bit (random shapes,
// both encodings, lossy and exact ADCs); the exact fast path equals the
// bit-sliced reads; with noise on, the vector, portable and reference kernels
// agree bit for bit and results do not depend on the number of threads.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Functional/MvmUnit.h"
#include "mho/Sim/Functional/Random.h"
#include "mho/Sim/Functional/ThreadPool.h"

#include "FunctionalTestSupport.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mho;
using namespace mho::sim::functional;
using namespace mho::sim::functional::test;

namespace {

constexpr KernelChoice AllKernels[] = {KernelChoice::Auto,
                                       KernelChoice::Portable,
                                       KernelChoice::Reference};

/// Multiplies `count` random vectors with a random R x C block on a unit of
/// `config` with `model` and `kernel`.
std::vector<int32_t> multiplyWith(const isa::UnitConfig &config,
                                  const AnalogModel &model, KernelChoice kernel,
                                  const isa::WeightBlock &block,
                                  const std::vector<int8_t> &inputs,
                                  unsigned count, ThreadPool *pool = nullptr,
                                  uint64_t invocation = 0,
                                  MultiplyStats *stats = nullptr) {
  MvmArithmetic arith = unwrap(MvmArithmetic::create(config, model, kernel));
  MvmUnit unit;
  if (llvm::Error err = unit.program(arith, block, /*unitId=*/3, pool)) {
    ADD_FAILURE() << llvm::toString(std::move(err));
    return {};
  }
  std::vector<int32_t> out(size_t(count) * block.cols);
  unit.multiply(arith, inputs.data(), block.rows, count, out.data(), invocation,
                0, pool, stats);
  return out;
}

std::vector<int32_t> idealOutputs(const isa::UnitConfig &config,
                                  const isa::WeightBlock &block,
                                  const std::vector<int8_t> &inputs,
                                  unsigned count) {
  std::vector<int32_t> out;
  for (unsigned v = 0; v < count; ++v) {
    llvm::ArrayRef<int8_t> x(inputs.data() + size_t(v) * block.rows,
                             block.rows);
    std::vector<int32_t> y = unwrap(isa::mvmIdeal(config, block, x));
    out.insert(out.end(), y.begin(), y.end());
  }
  return out;
}

struct IdealCase {
  const char *name;
  MvmShape shape;
};

class IdealMvm : public ::testing::TestWithParam<IdealCase> {};

TEST_P(IdealMvm, EveryKernelEqualsMvmIdeal) {
  const MvmShape &shape = GetParam().shape;
  isa::UnitConfig config = makeConfig(shape);
  ASSERT_NO_ERROR(isa::verifyUnitConfig(config));
  std::mt19937_64 rng(1234 + shape.rows);
  const unsigned sizes[][3] = {{shape.rows, shape.cols, 7},
                               {1, 1, 1},
                               {shape.rows - 1, shape.cols - 3, 5},
                               {std::max(1u, shape.rows / 3), 17, 4},
                               {65 % shape.rows + 1, shape.cols, 9},
                               {shape.rows - 1, shape.cols, 12}};
  for (const auto &size : sizes) {
    unsigned R = size[0], C = size[1], count = size[2];
    isa::WeightBlock block = randomBlock(config, R, C, rng);
    std::vector<int8_t> inputs = randomInputs(size_t(R) * count, rng);
    std::vector<int32_t> expected = idealOutputs(config, block, inputs, count);
    for (KernelChoice kernel : AllKernels) {
      std::vector<int32_t> got =
          multiplyWith(config, AnalogModel(), kernel, block, inputs, count);
      ASSERT_EQ(got, expected) << GetParam().name << " R=" << R << " C=" << C
                               << " kernel " << getName(kernel).str();
    }
  }
}

MvmShape shape(unsigned rows, unsigned cols, unsigned w, unsigned b,
               unsigned i, unsigned d, isa::WeightEncoding e, unsigned adcBits,
               unsigned adcShift, unsigned accBits = 32) {
  MvmShape s;
  s.rows = rows;
  s.cols = cols;
  s.weightBits = w;
  s.cellBits = b;
  s.inputBits = i;
  s.dacBits = d;
  s.encoding = e;
  s.adcBits = adcBits;
  s.adcShift = adcShift;
  s.accBits = accBits;
  return s;
}

constexpr auto Off = isa::WeightEncoding::Offset;
constexpr auto Diff = isa::WeightEncoding::Differential;

INSTANTIATE_TEST_SUITE_P(
    Shapes, IdealMvm,
    ::testing::Values(
        // ISAAC-like: 8-bit ADC clips at 255 (default preset, range 0.5).
        IdealCase{"isaac_clip", shape(128, 128, 8, 2, 8, 1, Off, 8, 0)},
        // ISAAC-like, range full: the ADC drops one bit.
        IdealCase{"isaac_round", shape(128, 128, 8, 2, 8, 1, Off, 8, 1)},
        // Exact ADC: the integer-product fast path.
        IdealCase{"exact", shape(128, 128, 8, 2, 8, 1, Off, 9, 0)},
        IdealCase{"exact_diff", shape(64, 96, 8, 1, 8, 1, Diff, 0, 0)},
        // Differential, lossy, wide DACs (PRIME-like).
        IdealCase{"prime", shape(256, 64, 8, 4, 6, 3, Diff, 6, 6)},
        IdealCase{"diff_clip", shape(128, 64, 6, 2, 7, 1, Diff, 5, 0)},
        IdealCase{"dac2_round", shape(100, 70, 8, 2, 8, 2, Off, 7, 2)},
        // 16-bit weights, 1-bit cells, saturating 20-bit accumulator.
        IdealCase{"w16_acc20", shape(64, 40, 16, 1, 8, 1, Off, 6, 1, 20)},
        // One analog plane (PCM-like DAC).
        IdealCase{"dac8", shape(32, 50, 8, 7, 8, 8, Diff, 10, 6)},
        IdealCase{"cell3", shape(96, 33, 9, 3, 5, 1, Off, 8, 1)}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(MvmUnit, ExactFastPathEqualsBitSlicedReads) {
  // The same block and inputs through the integer product (exact ADC) and
  // through per-read conversions that happen to be exact (portable kernel).
  isa::UnitConfig config = makeConfig(shape(128, 128, 8, 2, 8, 1, Off, 9, 0));
  ASSERT_TRUE(isa::canBeExact(config, 128));
  std::mt19937_64 rng(5);
  isa::WeightBlock block = randomBlock(config, 128, 128, rng);
  std::vector<int8_t> inputs = randomInputs(128 * 64, rng);
  std::vector<int32_t> fast =
      multiplyWith(config, AnalogModel(), KernelChoice::Auto, block, inputs, 64);
  std::vector<int32_t> exact(64 * 128, 0);
  for (unsigned v = 0; v < 64; ++v)
    for (unsigned j = 0; j < 128; ++j)
      for (unsigned i = 0; i < 128; ++i)
        exact[v * 128 + j] += int32_t(inputs[v * 128 + i]) * block.at(i, j);
  EXPECT_EQ(fast, exact);
  EXPECT_EQ(multiplyWith(config, AnalogModel(), KernelChoice::Reference, block,
                         inputs, 64),
            exact);
}

TEST(MvmUnit, ClippingReadsAreExactOnEveryPath) {
  // k = 0, 8-bit ADC: reads clip at 255. Columns of -1 weights (u = 127:
  // levels 3, 3, 3, 1) and inputs of -1 (x_u = 127: seven dense planes)
  // make column sums of 384. One dense vector among sparse ones takes the
  // exact-product-and-correction path; all-dense batches the table kernel.
  isa::UnitConfig config = makeConfig(shape(128, 128, 8, 2, 8, 1, Off, 8, 0));
  std::mt19937_64 rng(21);
  isa::WeightBlock block = randomBlock(config, 128, 128, rng);
  for (unsigned i = 0; i < 128; ++i)
    for (unsigned j = 0; j < 128; j += 3)
      block.values[i * 128 + j] = -1;
  for (unsigned dense : {1u, 16u}) {
    std::vector<int8_t> inputs(128 * 16);
    std::uniform_int_distribution<int> small(-3, 3);
    for (int8_t &x : inputs)
      x = int8_t(small(rng));
    for (unsigned v = 0; v < dense; ++v)
      for (unsigned i = 0; i < 128; ++i)
        inputs[v * 128 + i] = i % 5 == 0 ? int8_t(small(rng)) : int8_t(-1);
    std::vector<int32_t> expected = idealOutputs(config, block, inputs, 16);
    // Clipping happened: the result differs from the exact product.
    bool clipped = false;
    for (unsigned j = 0; j < 128 && !clipped; j += 3) {
      int32_t exact = 0;
      for (unsigned i = 0; i < 128; ++i)
        exact += int32_t(inputs[i]) * block.at(i, j);
      clipped = exact != expected[j];
    }
    EXPECT_TRUE(clipped);
    for (KernelChoice kernel : AllKernels)
      EXPECT_EQ(multiplyWith(config, AnalogModel(), kernel, block, inputs, 16),
                expected)
          << dense << " dense vectors, kernel " << getName(kernel).str();
  }
}

TEST(MvmUnit, SaturatedInputsFollowInputBits) {
  // 5-bit inputs: i8 values outside [-16, 15] saturate before the DACs.
  isa::UnitConfig config = makeConfig(shape(16, 8, 8, 2, 5, 1, Off, 0, 0));
  std::mt19937_64 rng(9);
  isa::WeightBlock block = randomBlock(config, 16, 8, rng);
  std::vector<int8_t> inputs = randomInputs(16 * 3, rng);
  std::vector<int32_t> expected = idealOutputs(config, block, inputs, 3);
  for (KernelChoice kernel : AllKernels)
    EXPECT_EQ(multiplyWith(config, AnalogModel(), kernel, block, inputs, 3),
              expected);
}

//===----------------------------------------------------------------------===//
// Analog: kernels agree, threads do not matter
//===----------------------------------------------------------------------===//

struct AnalogCase {
  const char *name;
  MvmShape shape;
  bool pcm;
};

class AnalogMvm : public ::testing::TestWithParam<AnalogCase> {};

TEST_P(AnalogMvm, KernelsAgreeBitForBit) {
  const AnalogCase &param = GetParam();
  isa::UnitConfig config = makeConfig(param.shape);
  AnalogModel model = param.pcm ? pcmModel() : rramModel();
  std::mt19937_64 rng(77);
  // Batches of 10 or more take the six-row tables of the AVX-512 kernel.
  for (auto [R, C, count] :
       {std::tuple<unsigned, unsigned, unsigned>{param.shape.rows,
                                                 param.shape.cols, 6},
        {param.shape.rows / 2 + 3, std::min(45u, param.shape.cols - 1), 3},
        {param.shape.rows, param.shape.cols, 11},
        {param.shape.rows - 5, param.shape.cols, 12},
        {param.shape.rows / 2 + 3, param.shape.cols - 1, 10}}) {
    isa::WeightBlock block = randomBlock(config, R, C, rng);
    std::vector<int8_t> inputs = randomInputs(size_t(R) * count, rng);
    std::vector<int32_t> reference = multiplyWith(
        config, model, KernelChoice::Reference, block, inputs, count);
    EXPECT_EQ(multiplyWith(config, model, KernelChoice::Portable, block,
                           inputs, count),
              reference)
        << param.name;
    EXPECT_EQ(multiplyWith(config, model, KernelChoice::Auto, block, inputs,
                           count),
              reference)
        << param.name;
    // The AES-NI form of the read-noise generator (CPUs without VAES).
    if (cpuHasVaes()) {
      setVaesEnabled(false);
      EXPECT_EQ(
          multiplyWith(config, model, KernelChoice::Auto, block, inputs, count),
          reference)
          << param.name << " without VAES";
      setVaesEnabled(true);
    }
    // Noise changes the result (the analog path did run).
    EXPECT_NE(reference, idealOutputs(config, block, inputs, count));
  }
}

TEST_P(AnalogMvm, ThreadsDoNotChangeResults) {
  const AnalogCase &param = GetParam();
  isa::UnitConfig config = makeConfig(param.shape);
  AnalogModel model = param.pcm ? pcmModel() : rramModel();
  std::mt19937_64 rng(78);
  isa::WeightBlock block =
      randomBlock(config, param.shape.rows, param.shape.cols, rng);
  // 70 vectors: the 16-bit kernel splits them into ranges as well.
  std::vector<int8_t> inputs =
      randomInputs(size_t(param.shape.rows) * 70, rng);
  std::vector<int32_t> one =
      multiplyWith(config, model, KernelChoice::Auto, block, inputs, 8);
  std::vector<int32_t> many =
      multiplyWith(config, model, KernelChoice::Auto, block, inputs, 70);
  for (unsigned threads : {2u, 3u}) {
    ThreadPool pool(threads);
    EXPECT_EQ(multiplyWith(config, model, KernelChoice::Auto, block, inputs, 8,
                           &pool),
              one)
        << threads << " threads";
    EXPECT_EQ(multiplyWith(config, model, KernelChoice::Auto, block, inputs,
                           70, &pool),
              many)
        << threads << " threads, 70 vectors";
  }
  // Another invocation draws other read noise.
  EXPECT_NE(multiplyWith(config, model, KernelChoice::Auto, block, inputs, 8,
                         nullptr, 1),
            one);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AnalogMvm,
    ::testing::Values(
        AnalogCase{"isaac", shape(128, 128, 8, 2, 8, 1, Off, 8, 0), false},
        AnalogCase{"isaac_round", shape(128, 96, 8, 2, 8, 1, Off, 8, 1), false},
        AnalogCase{"diff", shape(64, 64, 8, 2, 8, 1, Diff, 7, 0), false},
        AnalogCase{"rows256", shape(256, 64, 8, 2, 8, 1, Off, 8, 0), false},
        AnalogCase{"dac2", shape(64, 40, 8, 2, 8, 2, Off, 8, 1), false},
        AnalogCase{"hermes", shape(64, 48, 8, 7, 8, 8, Diff, 8, 9), true}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(MvmUnit, IdealModelOnTheAnalogPathEqualsNoiseOff) {
  // ADC error configured but zero-sized effects elsewhere: an offset of 0 LSB
  // with a gain of 0 is ideal; the arithmetic then takes the ideal path.
  AnalogModel model = rramModel().restrictedTo(NoEffects);
  isa::UnitConfig config = makeConfig(shape(128, 64, 8, 2, 8, 1, Off, 8, 0));
  MvmArithmetic arith = unwrap(MvmArithmetic::create(config, model));
  EXPECT_FALSE(arith.isAnalog());
  // Only the ADC offset, below half an LSB: codes never change.
  model.adcOffsetLsb = 0.25;
  arith = unwrap(MvmArithmetic::create(config, model));
  ASSERT_TRUE(arith.isAnalog());
  std::mt19937_64 rng(3);
  isa::WeightBlock block = randomBlock(config, 128, 64, rng);
  std::vector<int8_t> inputs = randomInputs(128 * 5, rng);
  for (KernelChoice kernel : AllKernels)
    EXPECT_EQ(multiplyWith(config, model, kernel, block, inputs, 5),
              idealOutputs(config, block, inputs, 5))
        << getName(kernel).str();
  // The same on a device without conductances (an SRAM macro's ADC).
  AnalogModel sram;
  sram.technology = arch::Technology::SRAM;
  sram.adcOffsetLsb = 0.25;
  for (KernelChoice kernel : AllKernels)
    EXPECT_EQ(multiplyWith(config, sram, kernel, block, inputs, 5),
              idealOutputs(config, block, inputs, 5))
        << "sram, " << getName(kernel).str();
}

TEST(MvmUnit, AnalogCodeIsTheIsaRealAdc) {
  // The integer conversion equals isa::adcConvertReal of the grid value.
  std::mt19937_64 rng(11);
  for (unsigned k : {0u, 1u, 3u}) {
    isa::UnitConfig config = makeConfig(shape(128, 8, 8, 2, 8, 1, Off, 8, k));
    AnalogModel model = rramModel();
    MvmArithmetic arith = unwrap(MvmArithmetic::create(config, model));
    const unsigned f = arith.getGridBits();
    for (int i = 0; i < 20000; ++i) {
      int64_t sum = int64_t(rng() % 40000) - 5000;
      int64_t m = int64_t(rng() % 2000);
      int32_t z = int32_t(rng() % 2497) - 1248;
      int64_t noise = (int64_t(z) * m + (1 << 14)) >> 15;
      double value =
          std::ldexp(double(sum + noise + arith.offsetGrid), -int(f));
      ASSERT_EQ(analogCode(arith, sum, m, z),
                isa::adcConvertReal(config, value))
          << "k=" << k << " sum=" << sum;
    }
  }
}

TEST(MvmUnit, DefaultPresetUsesTheSixteenBitGrid) {
  isa::UnitConfig config = makeConfig(shape(128, 128, 8, 2, 8, 1, Off, 8, 0));
  MvmArithmetic arith = unwrap(MvmArithmetic::create(config, rramModel()));
  EXPECT_TRUE(arith.isFixed16());
  EXPECT_EQ(arith.getGridBits(), 6u);
  EXPECT_TRUE(arith.isShiftAddExact());
  EXPECT_EQ(arith.hasResidueKernel(), cpuHasAvx512() && cpuHasAvx512Vnni());
  // PCM read noise needs per-column variances: the generic 64-bit pipeline.
  MvmArithmetic pcm = unwrap(MvmArithmetic::create(config, pcmModel()));
  EXPECT_FALSE(pcm.isFixed16());
  EXPECT_EQ(pcm.getGridBits(), 12u);
  EXPECT_FALSE(pcm.hasResidueKernel());
}

TEST(MvmUnit, ResidueKernelEqualsTheReferenceOnRandomConfigurations) {
  // Random blocks, ADCs, effects, ADC offsets and gains of either sign, and
  // inputs from dense to empty: wherever the residue kernel runs, it gives
  // the reference's bits. (A review's stress run of the same kind, 32,000
  // residue runs, found no difference, and found one when the clipping
  // bound's noise term was cut by two grid units; this test is its fast
  // subset.)
  if (!cpuHasAvx512() || !cpuHasAvx512Vnni())
    GTEST_SKIP() << "the residue kernel needs AVX-512 VNNI";
  std::mt19937_64 rng(2026);
  auto pick = [&](std::initializer_list<int> values) {
    return *(values.begin() + rng() % values.size());
  };
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * double(rng() >> 11) * 0x1p-53;
  };
  ThreadPool pool(2);
  unsigned residueRuns = 0, withExactReads = 0;
  for (unsigned trial = 0; trial < 200; ++trial) {
    const unsigned R = unsigned(pick({5, 33, 64, 100, 128, 200, 256}));
    const unsigned C = unsigned(pick({1, 31, 33, 64, 65, 100, 128}));
    MvmShape shape;
    shape.rows = R;
    shape.cols = C;
    shape.adcBits = unsigned(pick({6, 7, 8, 9}));
    shape.cellBits = unsigned(pick({1, 2, 2, 3}));
    shape.inputBits = unsigned(pick({4, 8, 8}));
    isa::UnitConfig config = makeConfig(shape);
    AnalogModel model = rramModel();
    model.seed = rng();
    model.readNoise.sigma = uniform(0, 0.02);
    model.programmingNoise.sigma = uniform(0, 0.03);
    model.stuckAtOn = model.stuckAtOff = uniform(0, 0.01);
    model.wireResistance = pick({0, 1}) * 0.15;
    model.drift.enabled = rng() % 2;
    model.adcOffsetLsb = uniform(-0.5, 0.5);
    model.adcGainError = uniform(-0.05, 0.05);
    isa::WeightBlock block = randomBlock(config, R, C, rng);
    const int pattern = pick({0, 0, 1, 2, 3});
    const unsigned count = unsigned(pick({10, 16, 37}));
    std::vector<int8_t> inputs = randomInputs(size_t(R) * count, rng);
    for (size_t i = 0; i < inputs.size(); ++i)
      if (pattern == 1 || (pattern == 3 && i < R))
        inputs[i] = 127; // every row driven in every plane
      else if (pattern == 2)
        inputs[i] = int8_t(-128 + rng() % 3); // almost no row driven
    const std::string name = "trial " + std::to_string(trial) +
                             ": R=" + std::to_string(R) +
                             " C=" + std::to_string(C);
    MultiplyStats stats;
    std::vector<int32_t> got =
        multiplyWith(config, model, KernelChoice::Auto, block, inputs, count,
                     trial % 2 ? &pool : nullptr, trial, &stats);
    if (!stats.residueKernel)
      continue;
    ++residueRuns;
    withExactReads += stats.exactReads != 0;
    ASSERT_EQ(got, multiplyWith(config, model, KernelChoice::Reference, block,
                                inputs, count, nullptr, trial))
        << name;
  }
  EXPECT_GE(residueRuns, 30u);
  EXPECT_GE(withExactReads, 5u);
}

TEST(MvmUnit, ResidueKernelConvertsReadsThatMayClipExactly) {
  // Columns 0-5 hold the largest weight (every slice at level 3): a read
  // that drives more than about 85 of their 128 rows may clip, and vectors
  // of 127 drive all of them in every plane. Those reads (in the first
  // 64-column chunk) are converted exactly; the rest from column sums mod
  // 2^8. Every case equals the reference bit for bit.
  if (!cpuHasAvx512() || !cpuHasAvx512Vnni())
    GTEST_SKIP() << "the residue kernel needs AVX-512 VNNI";
  // With k = 1 the residues have 7 bits: the sums over planes of 2^p * (w -
  // q) no longer fit 16-bit lanes.
  EXPECT_FALSE(unwrap(MvmArithmetic::create(
                          makeConfig(shape(128, 128, 8, 2, 8, 1, Off, 8, 1)),
                          rramModel()))
                   .hasResidueKernel());
  for (auto [R, C, encoding] :
       {std::tuple<unsigned, unsigned, isa::WeightEncoding>{128, 128, Off},
        {128, 100, Off},
        {100, 70, Off},
        {128, 96, Diff}}) {
    isa::UnitConfig config = makeConfig(
        shape(R, C, 8, 2, 8, 1, encoding, encoding == Diff ? 7 : 8, 0));
    MvmArithmetic arith = unwrap(MvmArithmetic::create(config, rramModel()));
    ASSERT_TRUE(arith.hasResidueKernel()) << arith.describe();
    std::mt19937_64 rng(R + C);
    isa::WeightBlock block = randomBlock(config, R, C, rng);
    for (unsigned i = 0; i < R; ++i)
      for (unsigned j = 0; j < 6; ++j)
        block.values[size_t(i) * C + j] =
            int16_t(isa::maxSigned(config.weightBits));
    const std::string name =
        "R=" + std::to_string(R) + " C=" + std::to_string(C);
    for (unsigned full : {3u, 40u}) {
      std::vector<int8_t> inputs = randomInputs(size_t(R) * 40, rng);
      std::fill(inputs.begin(), inputs.begin() + size_t(R) * full, 127);
      std::vector<int32_t> reference = multiplyWith(
          config, rramModel(), KernelChoice::Reference, block, inputs, 40);
      ThreadPool pool(2);
      for (ThreadPool *p : {static_cast<ThreadPool *>(nullptr), &pool}) {
        MultiplyStats stats;
        EXPECT_EQ(multiplyWith(config, rramModel(), KernelChoice::Auto, block,
                               inputs, 40, p, 0, &stats),
                  reference)
            << name << ", " << full << " vectors of 127";
        // A few such vectors: the residue kernel, with exact conversions;
        // all of them: too many reads may clip, the 16-bit kernel runs. So
        // it does with differential weights: about half of each array's
        // cells are at level 0, whose noise can take a column sum below 0.
        EXPECT_EQ(stats.residueKernel, full == 3 && encoding == Off) << name;
        if (stats.residueKernel) {
          EXPECT_GE(stats.exactReads, 3u * 8) << name;
        }
      }
    }
  }
}

} // namespace
