//===- FunctionalTestSupport.h - Helpers of the functional engine tests ---===//

#ifndef MHO_TEST_SIM_FUNCTIONAL_FUNCTIONALTESTSUPPORT_H
#define MHO_TEST_SIM_FUNCTIONAL_FUNCTIONALTESTSUPPORT_H

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/ProgramImage.h"
#include "mho/ISA/UnitConfig.h"
#include "mho/Sim/Functional/AnalogModel.h"

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace mho::sim::functional::test {

/// An MVM unit configuration. adcBits 0: just wide enough to be exact.
struct MvmShape {
  unsigned rows = 128, cols = 128;
  unsigned weightBits = 8, cellBits = 2, inputBits = 8, dacBits = 1;
  isa::WeightEncoding encoding = isa::WeightEncoding::Offset;
  unsigned adcBits = 0, adcShift = 0, accBits = 32;
};

inline isa::UnitConfig makeConfig(const MvmShape &s) {
  isa::UnitConfig c;
  c.rows = uint16_t(s.rows);
  c.cols = uint16_t(s.cols);
  c.weightBits = uint8_t(s.weightBits);
  c.cellBits = uint8_t(s.cellBits);
  c.encoding = s.encoding;
  unsigned stored = s.encoding == isa::WeightEncoding::Differential
                        ? s.weightBits - 1
                        : s.weightBits;
  c.slices = uint8_t((stored + s.cellBits - 1) / s.cellBits);
  c.inputBits = uint8_t(s.inputBits);
  c.dacBits = uint8_t(s.dacBits);
  c.planes = uint8_t((s.inputBits + s.dacBits - 1) / s.dacBits);
  unsigned adcBits = s.adcBits;
  if (adcBits == 0) {
    uint64_t maxSum = uint64_t(s.rows) * ((1u << s.dacBits) - 1) *
                      ((1u << s.cellBits) - 1);
    adcBits = 1;
    while (((uint64_t{1} << adcBits) - 1) < maxSum)
      ++adcBits;
  }
  c.adcBits = uint8_t(adcBits);
  c.adcShift = uint8_t(s.adcShift);
  c.accBits = uint8_t(s.accBits);
  c.mvmUnits = 4;
  c.spadBytes = 1 << 20;
  c.tbufBytes = 1 << 16;
  c.dramBytes = uint64_t{1} << 32;
  c.chips = 1;
  c.tiles = 4;
  c.cores = 2;
  return c;
}

inline isa::WeightBlock randomBlock(const isa::UnitConfig &config,
                                    unsigned rows, unsigned cols,
                                    std::mt19937_64 &rng) {
  isa::WeightBlock block;
  block.name = "w";
  block.rows = uint16_t(rows);
  block.cols = uint16_t(cols);
  block.bits = config.weightBits;
  int64_t lo = isa::minSigned(config.weightBits);
  int64_t hi = isa::maxSigned(config.weightBits);
  if (config.encoding == isa::WeightEncoding::Differential)
    ++lo;
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  block.values.resize(size_t(rows) * cols);
  for (int16_t &v : block.values)
    v = int16_t(dist(rng));
  block.values[0] = int16_t(lo);
  block.values.back() = int16_t(hi);
  return block;
}

inline std::vector<int8_t> randomInputs(size_t n, std::mt19937_64 &rng) {
  std::vector<int8_t> x(n);
  for (int8_t &v : x)
    v = int8_t(rng());
  if (n) {
    x[0] = -128;
    x.back() = 127;
  }
  return x;
}

/// The default preset's device, with every effect configured.
inline AnalogModel rramModel() {
  AnalogModel m;
  m.gMax = 500e-6;
  m.gMin = 0.5e-6;
  m.programmingNoise.model = arch::NoiseModelKind::Gaussian;
  m.programmingNoise.sigma = 0.01;
  m.readNoise.model = arch::NoiseModelKind::Gaussian;
  m.readNoise.sigma = 0.005;
  m.stuckAtOn = m.stuckAtOff = 0.0005;
  m.wireResistance = 0.15;
  m.adcOffsetLsb = 0.3;
  m.adcGainError = -0.02;
  m.drift.enabled = true;
  m.drift.nu = 0.01;
  m.drift.nuSigma = 0.005;
  m.drift.t0 = 20;
  m.time = 3600;
  m.seed = 42;
  return m;
}

/// The pcm-hermes preset's device.
inline AnalogModel pcmModel() {
  AnalogModel m;
  m.technology = arch::Technology::PCM;
  m.gMax = 25e-6;
  m.gMin = 0.25e-6;
  m.programmingNoise.model = arch::NoiseModelKind::PCM;
  m.programmingNoise.c0 = 0.2635e-6;
  m.programmingNoise.c1 = 1.9650e-6;
  m.programmingNoise.c2 = -1.1731e-6;
  m.readNoise.model = arch::NoiseModelKind::PCM;
  m.readNoise.qsScale = 0.0088;
  m.readNoise.qsExponent = 0.65;
  m.readNoise.qsMax = 0.2;
  m.readNoise.tRead = 250e-9;
  m.drift.enabled = true;
  m.drift.nu = 0.06;
  m.drift.nuSigma = 0.02;
  m.drift.t0 = 20;
  m.wireResistance = 0.15;
  m.time = 3600;
  m.seed = 7;
  return m;
}

#define ASSERT_NO_ERROR(expr)                                                  \
  do {                                                                         \
    if (llvm::Error err_ = (expr))                                             \
      FAIL() << llvm::toString(std::move(err_));                               \
  } while (false)

template <typename T> T unwrap(llvm::Expected<T> value) {
  if (!value) {
    ADD_FAILURE() << llvm::toString(value.takeError());
    std::abort();
  }
  return std::move(*value);
}

} // namespace mho::sim::functional::test

#endif // MHO_TEST_SIM_FUNCTIONAL_FUNCTIONALTESTSUPPORT_H
