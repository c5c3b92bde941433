//===- NoiseModelTest.cpp - Statistics of every analog effect ------------===//
//
// Each noise model alone, with fixed seeds and enough samples for tight
// tolerances: mean and variance of the programmed conductances (Gaussian and
// PCM programming noise, drift), stuck-at fractions, the IR-drop
// attenuation formula, the variance of read noise through a whole MVM
// (Gaussian and PCM 1/f), ADC offset and gain, and the random number
// generators themselves.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Functional/MvmUnit.h"
#include "mho/Sim/Functional/Random.h"
#include "mho/Sim/Functional/ThreadPool.h"

#include "FunctionalTestSupport.h"

#include <gtest/gtest.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <cmath>

using namespace mho;
using namespace mho::sim::functional;
using namespace mho::sim::functional::test;

namespace {

struct Moments {
  double mean = 0, variance = 0, kurtosis = 0;
};

Moments moments(const std::vector<double> &x) {
  Moments m;
  for (double v : x)
    m.mean += v;
  m.mean /= double(x.size());
  double m4 = 0;
  for (double v : x) {
    double d = v - m.mean;
    m.variance += d * d;
    m4 += d * d * d * d;
  }
  m.variance /= double(x.size() - 1);
  m.kurtosis = m4 / double(x.size()) / (m.variance * m.variance);
  return m;
}

/// A 128 x 128 block of one weight, programmed with `model` (its effects
/// only); returns the unit and the arithmetic.
struct Programmed {
  MvmArithmetic arith;
  MvmUnit unit;
};

Programmed programUniform(const AnalogModel &model, int16_t weight,
                          ThreadPool *pool = nullptr) {
  isa::UnitConfig config = makeConfig(MvmShape{});
  MvmArithmetic arith = unwrap(MvmArithmetic::create(config, model));
  isa::WeightBlock block;
  block.rows = block.cols = 128;
  block.bits = 8;
  block.values.assign(128 * 128, weight);
  MvmUnit unit;
  if (llvm::Error err = unit.program(arith, block, 5, pool))
    ADD_FAILURE() << llvm::toString(std::move(err));
  return {std::move(arith), std::move(unit)};
}

/// Every cell of one array in level steps.
std::vector<double> cellLevels(const Programmed &p, unsigned array) {
  double scale = std::ldexp(1.0, -int(p.arith.getGridBits()));
  std::vector<double> levels;
  for (unsigned i = 0; i < 128; ++i)
    for (unsigned j = 0; j < 128; ++j)
      levels.push_back(p.unit.getCellLevel(array, i, j) * scale);
  return levels;
}

AnalogModel only(AnalogModel model, Effect effect) {
  return model.restrictedTo(unsigned(effect));
}

// w = -1 is u = 127 = 01 11 11 11: slices 0-2 hold level 3, slice 3 level 1.
constexpr int16_t MinusOne = -1;

TEST(NoiseModel, GaussianProgrammingNoise) {
  AnalogModel model = rramModel();
  model.programmingNoise.sigma = 0.05;
  Programmed p =
      programUniform(only(model, Effect::ProgrammingNoise), MinusOne);
  const double levelSigma = 0.05 * model.gMax / p.arith.levelConductance;
  for (auto [array, level] : {std::pair{0u, 3.0}, std::pair{3u, 1.0}}) {
    Moments m = moments(cellLevels(p, array));
    EXPECT_NEAR(m.mean, level, 0.006) << "slice " << array;
    EXPECT_NEAR(m.variance / (levelSigma * levelSigma), 1.0, 0.05)
        << "slice " << array;
    EXPECT_NEAR(m.kurtosis, 3.0, 0.15);
  }
}

TEST(NoiseModel, PcmProgrammingNoise) {
  // aihwkit: sigma(g) = c0 + c1 x + c2 x^2, x = g / g_max, in siemens.
  AnalogModel model = pcmModel();
  Programmed p =
      programUniform(only(model, Effect::ProgrammingNoise), MinusOne);
  const double dg = p.arith.levelConductance;
  for (auto [array, level] : {std::pair{0u, 3.0}, std::pair{3u, 1.0}}) {
    double x = (model.gMin + level * dg) / model.gMax;
    double sigma = (model.programmingNoise.c0 + model.programmingNoise.c1 * x +
                    model.programmingNoise.c2 * x * x) /
                   dg;
    Moments m = moments(cellLevels(p, array));
    EXPECT_NEAR(m.mean, level, 4 * sigma / 128) << "slice " << array;
    EXPECT_NEAR(m.variance / (sigma * sigma), 1.0, 0.05) << "slice " << array;
  }
}

TEST(NoiseModel, StuckAtFractions) {
  AnalogModel model = rramModel();
  model.stuckAtOn = 0.01;
  model.stuckAtOff = 0.02;
  Programmed p = programUniform(only(model, Effect::StuckAt), MinusOne);
  const ProgrammingStats &stats = p.unit.getProgrammingStats();
  const double cells = 128.0 * 128 * 4;
  EXPECT_EQ(stats.cells, uint64_t(cells));
  for (auto [count, fraction] : {std::pair{stats.stuckOn, 0.01},
                                 std::pair{stats.stuckOff, 0.02}}) {
    double expected = cells * fraction;
    double sd = std::sqrt(cells * fraction * (1 - fraction));
    EXPECT_NEAR(double(count), expected, 4 * sd);
  }
  // In slice 3 (level 1), stuck-on cells read g_max (level 3) and stuck-off
  // cells g_min (level 0); the others are untouched.
  unsigned on = 0, off = 0, other = 0;
  for (double level : cellLevels(p, 3)) {
    if (level == 3.0)
      ++on;
    else if (level == 0.0)
      ++off;
    else if (level != 1.0)
      ++other;
  }
  EXPECT_EQ(other, 0u);
  EXPECT_NEAR(on, 16384 * 0.01, 4 * std::sqrt(16384 * 0.01));
  EXPECT_NEAR(off, 16384 * 0.02, 4 * std::sqrt(16384 * 0.02));
}

TEST(NoiseModel, Drift) {
  AnalogModel model = rramModel();
  model.drift.nu = 0.1;
  model.drift.nuSigma = 0;
  model.drift.t0 = 20;
  model.time = 20 * std::exp(2.0); // ln(t / t0) = 2
  Programmed fixed = programUniform(only(model, Effect::Drift), MinusOne);
  const double dg = fixed.arith.levelConductance;
  const double factor = std::exp(-0.1 * 2);
  for (double level : cellLevels(fixed, 0))
    ASSERT_NEAR(level, (model.gMax * factor - model.gMin) / dg, 1.0 / 128);

  // nu ~ N(0.1, 0.02): ln(g / g0) = -2 nu has mean -0.2 and sd 0.04.
  model.drift.nuSigma = 0.02;
  Programmed spread = programUniform(only(model, Effect::Drift), MinusOne);
  std::vector<double> logs;
  for (double level : cellLevels(spread, 0))
    logs.push_back(std::log((model.gMin + level * dg) / model.gMax));
  Moments m = moments(logs);
  EXPECT_NEAR(m.mean, -0.2, 0.002);
  EXPECT_NEAR(std::sqrt(m.variance), 0.04, 0.002);

  // Before t0 nothing drifts: the arithmetic drops the effect.
  model.time = 10;
  MvmArithmetic early = unwrap(
      MvmArithmetic::create(makeConfig(MvmShape{}), only(model, Effect::Drift)));
  EXPECT_FALSE(early.isAnalog());
}

TEST(NoiseModel, IrDropAttenuation) {
  // All cells at g_max (w = 127: u = 255, level 3 in every slice), so the
  // mean conductance is g_max and the attenuation is the formula's, divided by
  // its column's mean (the calibrated column gain).
  AnalogModel model = only(rramModel(), Effect::IrDrop);
  Programmed p = programUniform(model, 127);
  const double dg = p.arith.levelConductance, r = model.wireResistance;
  const double R = 128, C = 128, rho = model.irDropActivity;
  auto alphaAt = [&](unsigned i, unsigned j) {
    double row = (j + 1.0) * C - double(j) * (j + 1) / 2;
    double column = rho * (R * (R + 1) - double(i) * (i + 1)) / 2;
    return 1 / (1 + r * model.gMax * (row + column));
  };
  double sum = 0;
  for (unsigned j : {0u, 64u, 127u}) {
    double columnSum = 0;
    for (unsigned i = 0; i < 128; ++i)
      columnSum += alphaAt(i, j);
    for (unsigned i : {0u, 17u, 127u}) {
      double alpha = alphaAt(i, j);
      double expected = (alpha * R / columnSum * model.gMax - model.gMin) / dg;
      double got =
          p.unit.getCellLevel(2, i, j) * std::ldexp(1.0, -int(p.arith.getGridBits()));
      EXPECT_NEAR(got, expected, 1.0 / 128) << i << "," << j;
      sum += alpha;
    }
  }
  // Along a column, attenuation grows away from the sense amplifier (row
  // R-1); the calibrated column keeps its mean level.
  for (unsigned j : {0u, 127u}) {
    EXPECT_GT(p.unit.getCellLevel(0, 127, j), p.unit.getCellLevel(0, 0, j));
    double mean = 0;
    for (unsigned i = 0; i < 128; ++i)
      mean += p.unit.getCellLevel(0, i, j);
    mean *= std::ldexp(1.0, -int(p.arith.getGridBits())) / 128;
    EXPECT_NEAR(mean, (model.gMax - model.gMin) / dg, 0.02) << j;
  }
  EXPECT_LT(p.unit.getProgrammingStats().meanAttenuation, 1.0);
  EXPECT_GT(p.unit.getProgrammingStats().meanAttenuation, sum / 9 - 0.1);
}

TEST(NoiseModel, ProgrammingDoesNotDependOnThreads) {
  AnalogModel model = rramModel();
  ThreadPool pool(3);
  Programmed one = programUniform(model, 37);
  Programmed three = programUniform(model, 37, &pool);
  for (unsigned a = 0; a < 4; ++a)
    EXPECT_EQ(cellLevels(one, a), cellLevels(three, a));
}

//===----------------------------------------------------------------------===//
// Read noise and ADC errors through a whole MVM
//===----------------------------------------------------------------------===//

/// 64 rows x 4 columns of 2-bit weights 1 (u = 3), one slice; 1-bit inputs
/// 0 (x_u = 1, every row driven), one plane; a 12-bit ADC. The ideal column
/// sum is 192 and y = code - 192, so y is the ADC's error.
std::vector<double> readErrors(const AnalogModel &model, unsigned vectors) {
  MvmShape s;
  s.rows = 64;
  s.cols = 4;
  s.weightBits = 2;
  s.cellBits = 2;
  s.inputBits = 1;
  s.dacBits = 1;
  s.adcBits = 12;
  isa::UnitConfig config = makeConfig(s);
  MvmArithmetic arith = unwrap(MvmArithmetic::create(config, model));
  isa::WeightBlock block;
  block.rows = 64;
  block.cols = 4;
  block.bits = 2;
  block.values.assign(64 * 4, 1);
  MvmUnit unit;
  if (llvm::Error err = unit.program(arith, block, 1))
    ADD_FAILURE() << llvm::toString(std::move(err));
  std::vector<int8_t> zeros(64, 0);
  std::vector<int32_t> y(size_t(vectors) * 4);
  unit.multiply(arith, zeros.data(), 0, vectors, y.data(), 0);
  return std::vector<double>(y.begin(), y.end());
}

/// Variance of round(n) for n ~ N(0, sigma^2).
double roundedVariance(double sigma) {
  double v = 0;
  for (int k = -60; k <= 60; ++k) {
    double p = 0.5 * (std::erfc(-(k + 0.5) / (sigma * std::sqrt(2.0))) -
                      std::erfc(-(k - 0.5) / (sigma * std::sqrt(2.0))));
    v += double(k) * k * p;
  }
  return v;
}

TEST(NoiseModel, GaussianReadNoisePerColumnFromTheSummedVariance) {
  // sigma_col = sigma_cell * sqrt(64 driven rows) = 3 LSB.
  AnalogModel model = rramModel();
  double dg = (model.gMax - model.gMin) / 3;
  model.readNoise.sigma = 0.375 * dg / model.gMax;
  std::vector<double> errors =
      readErrors(only(model, Effect::ReadNoise), 10000);
  Moments m = moments(errors);
  EXPECT_NEAR(m.mean, 0.0, 0.1);
  EXPECT_NEAR(m.variance / roundedVariance(3.0), 1.0, 0.04);
  EXPECT_NEAR(m.kurtosis, 3.0, 0.2);
}

TEST(NoiseModel, PcmReadNoise) {
  // Q_s = min(0.0088 / (g/g_max)^0.65, 0.2) = 0.0088 at g_max; relative
  // sigma Q_s sqrt(ln((t + t_read) / (2 t_read))) per cell.
  AnalogModel model = pcmModel();
  model.time = 1000;
  MvmArithmetic probe = unwrap(MvmArithmetic::create(
      makeConfig(MvmShape{}), only(model, Effect::ReadNoise)));
  double g = model.gMin + 3 * probe.levelConductance; // level 3: g_max
  double relative =
      0.0088 * std::sqrt(std::log((1000 + 250e-9) / (2 * 250e-9)));
  double sigmaCell = relative * g / probe.levelConductance;
  double sigmaColumn = sigmaCell * 8;
  std::vector<double> errors =
      readErrors(only(model, Effect::ReadNoise), 10000);
  Moments m = moments(errors);
  EXPECT_NEAR(m.mean, 0.0, 0.05);
  EXPECT_NEAR(m.variance / roundedVariance(sigmaColumn), 1.0, 0.05);
}

TEST(NoiseModel, AdcOffsetAndGain) {
  AnalogModel model = rramModel();
  for (auto [gain, offset, expected] :
       {std::tuple{-0.01, 0.3, -2.0}, std::tuple{0.02, -0.7, 3.0},
        std::tuple{0.0, 0.6, 1.0}, std::tuple{0.0, -0.4, 0.0}}) {
    model.adcGainError = gain;
    model.adcOffsetLsb = offset;
    for (double e : readErrors(only(model, Effect::AdcError), 3))
      EXPECT_EQ(e, expected) << "gain " << gain << " offset " << offset;
  }
}

//===----------------------------------------------------------------------===//
// Random numbers
//===----------------------------------------------------------------------===//

TEST(Random, DiscreteNormalExactMoments) {
  // The sum of four table draws, by exact convolution of the table.
  double var1 = 0, m4 = 0;
  for (int8_t q : NormalQuantiles) {
    var1 += double(q) * q / 16;
    m4 += std::pow(double(q), 4) / 16;
  }
  const double scale = std::ldexp(1.0, NormalFractionBits);
  // A sample is four times the sum of four draws.
  double variance = 16 * 4 * var1 / (scale * scale);
  EXPECT_NEAR(variance, 1.0, 2e-4);
  // Kurtosis of a sum of 4 i.i.d.: 3 + (k1 - 3) / 4.
  double kurtosis = 3 + (m4 / (var1 * var1) - 3) / 4;
  EXPECT_NEAR(kurtosis, 2.859, 0.001);
  int sum = 0;
  for (int8_t q : NormalQuantiles) {
    sum += q;
    // The AVX-512 kernel adds two entries in a signed byte.
    EXPECT_LE(std::abs(2 * q), 127);
  }
  EXPECT_EQ(sum, 0);
  EXPECT_EQ(16 * NormalQuantiles[15], MaxNormalSample);
}

TEST(Random, ReadNoiseSamplesAreIndependentNormals) {
  std::vector<double> x;
  const double scale = std::ldexp(1.0, NormalFractionBits);
  for (uint64_t read = 0; read < 2000; ++read) {
    uint64_t key = deriveKey(12345, read);
    for (unsigned j = 0; j < 128; ++j)
      x.push_back(readNoiseSample(key, j) / scale);
  }
  Moments m = moments(x);
  EXPECT_NEAR(m.mean, 0.0, 0.01);
  EXPECT_NEAR(m.variance, 0.9999, 0.015);
  EXPECT_NEAR(m.kurtosis, 2.859, 0.05);
  double correlation = 0;
  for (size_t i = 1; i < x.size(); ++i)
    correlation += x[i] * x[i - 1];
  correlation /= double(x.size() - 1);
  EXPECT_NEAR(correlation, 0.0, 0.01);
}

TEST(Random, AesRoundFollowsFips197) {
  // FIPS 197, appendix B: the state at the start of round 1, round key 1, and
  // the state at the start of round 2, as bytes in order.
  auto block = [](std::initializer_list<uint8_t> bytes) {
    AesBlock b;
    unsigned i = 0;
    for (uint8_t x : bytes) {
      (i < 8 ? b.low : b.high) |= uint64_t(x) << (8 * (i % 8));
      ++i;
    }
    return b;
  };
  AesBlock start = block({0x19, 0x3d, 0xe3, 0xbe, 0xa0, 0xf4, 0xe2, 0x2b, 0x9a,
                          0xc6, 0x8d, 0x2a, 0xe9, 0xf8, 0x48, 0x08});
  AesBlock key = block({0xa0, 0xfa, 0xfe, 0x17, 0x88, 0x54, 0x2c, 0xb1, 0x23,
                        0xa3, 0x39, 0x39, 0x2a, 0x6c, 0x76, 0x05});
  AesBlock next = block({0xa4, 0x9c, 0x7f, 0xf2, 0x68, 0x9f, 0x35, 0x2b, 0x6b,
                         0x5b, 0xea, 0x43, 0x02, 0x6a, 0x50, 0x49});
  EXPECT_EQ(aesRound(start, key), next);
}

#if defined(__x86_64__)
__attribute__((target("aes,sse4.1"))) AesBlock aesni(AesBlock state,
                                                     AesBlock key) {
  __m128i s = _mm_set_epi64x(int64_t(state.high), int64_t(state.low));
  __m128i k = _mm_set_epi64x(int64_t(key.high), int64_t(key.low));
  __m128i r = _mm_aesenc_si128(s, k);
  return {uint64_t(_mm_cvtsi128_si64(r)), uint64_t(_mm_extract_epi64(r, 1))};
}

TEST(Random, AesRoundIsAesenc) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("aes"))
    GTEST_SKIP() << "no AES-NI";
  for (uint64_t i = 0; i < 1000; ++i) {
    AesBlock state{streamWord(1, 4 * i), streamWord(1, 4 * i + 1)};
    AesBlock key{streamWord(1, 4 * i + 2), streamWord(1, 4 * i + 3)};
    EXPECT_EQ(aesRound(state, key), aesni(state, key)) << i;
  }
}
#endif

TEST(Random, ReadNoiseSamplesOfARangeAreThoseOfEachColumn) {
  std::vector<int32_t> range(45);
  readNoiseSamples(99, 3, 45, range.data());
  for (unsigned j = 0; j < 45; ++j)
    EXPECT_EQ(range[j], readNoiseSample(99, 3 + j)) << j;
}

TEST(Random, BoxMullerPairs) {
  std::vector<double> a, b;
  double cross = 0;
  for (uint64_t i = 0; i < 100000; ++i) {
    auto [z1, z2] = boxMuller(streamWord(7, 2 * i), streamWord(7, 2 * i + 1));
    a.push_back(z1);
    b.push_back(z2);
    cross += z1 * z2;
  }
  for (const auto &x : {a, b}) {
    Moments m = moments(x);
    EXPECT_NEAR(m.mean, 0.0, 0.015);
    EXPECT_NEAR(m.variance, 1.0, 0.02);
    EXPECT_NEAR(m.kurtosis, 3.0, 0.1);
  }
  EXPECT_NEAR(cross / 100000, 0.0, 0.015);
}

} // namespace
