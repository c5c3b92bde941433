//===- MvmUnit.cpp - One MVM unit of the functional engine ---------------===//
//
// The arithmetic of an MVM (path, grid, noise multipliers), programming a
// unit (slicing with the ISA library, drawing each cell's conductance), and
// multiplying a batch: the reference chain of isa:: pieces, the portable
// kernel, and the dispatch to the AVX-512 kernels.
//
//===----------------------------------------------------------------------===//

#include "MvmKernels.h"

#include "mho/ISA/Arithmetic.h"
#include "mho/Sim/Functional/Random.h"
#include "mho/Sim/Functional/ThreadPool.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>

using namespace mho;
using namespace mho::sim::functional;
using llvm::Twine;

llvm::StringRef mho::sim::functional::getName(KernelChoice kernel) {
  switch (kernel) {
  case KernelChoice::Auto:
    return "auto";
  case KernelChoice::Portable:
    return "portable";
  case KernelChoice::Reference:
    return "reference";
  }
  return "?";
}

bool mho::sim::functional::cpuHasAvx512() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") &&
           // Present on every AVX-512 CPU so far; the kernels use them.
           __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi2") &&
           __builtin_cpu_supports("aes");
  }();
  return has;
}

namespace {
std::atomic<bool> vaesEnabled{true};
} // namespace

bool mho::sim::functional::cpuHasVaes() {
  static const bool has = [] {
    __builtin_cpu_init();
    return cpuHasAvx512() && __builtin_cpu_supports("vaes");
  }();
  return has && vaesEnabled.load(std::memory_order_relaxed);
}

void mho::sim::functional::setVaesEnabled(bool enabled) {
  vaesEnabled.store(enabled, std::memory_order_relaxed);
}

bool mho::sim::functional::cpuHasAvx512Vnni() {
  static const bool has = [] {
    __builtin_cpu_init();
    return cpuHasAvx512() && __builtin_cpu_supports("avx512vnni");
  }();
  return has;
}

//===----------------------------------------------------------------------===//
// MvmArithmetic
//===----------------------------------------------------------------------===//

namespace {
/// The fewest vectors one task of the 16-bit table kernel takes: a task
/// builds every table of its columns, and 32 vectors of 8 planes still read
/// each 256 times.
constexpr unsigned MinVectorsPerTask = 32;

/// The vectors of each of `parts` ranges of `count` (a multiple of 4; the
/// last range may be smaller).
unsigned vectorRangeStep(unsigned count, unsigned parts) {
  return std::max(4u, ((count + parts - 1) / parts + 3) / 4 * 4);
}

/// Splits `count` vectors into one range per thread (multiples of 4) and
/// runs fn(first, end) for each on the pool.
void forVectorRanges(ThreadPool *pool, unsigned count,
                     llvm::function_ref<void(unsigned, unsigned)> fn) {
  const unsigned step = vectorRangeStep(count, pool ? pool->getThreads() : 1);
  size_t tasks = (count + step - 1) / step;
  ThreadPool::run(pool, tasks, [&](size_t t) {
    unsigned first = unsigned(t) * step;
    fn(first, std::min(count, first + step));
  });
}

} // namespace

int64_t MvmArithmetic::getNoiseMultiplier(double sigmaGrid) const {
  return std::llround(sigmaGrid * (1.0 + model.adcGainError) *
                      double(1 << (15 - NormalFractionBits)));
}

llvm::Expected<MvmArithmetic>
MvmArithmetic::create(const isa::UnitConfig &config, const AnalogModel &model,
                      KernelChoice kernel) {
  if (llvm::Error err = isa::verifyUnitConfig(config))
    return std::move(err);
  MvmArithmetic arith;
  arith.config = config;
  arith.kernel = kernel;
  arith.effects = model.getActiveEffects();
  arith.model = model.restrictedTo(arith.effects);
  if (arith.isAnalog())
    if (llvm::Error err = arith.model.verify())
      return std::move(err);

  // The shift-and-add never saturates when the largest possible sum of all
  // reads fits the accumulator (and an i32 for the vector kernels).
  const uint64_t fullScale = (uint64_t{1} << config.adcBits) - 1;
  for (const isa::MvmRead &read : isa::getReadOrder(config))
    arith.accumulationBound += fullScale << read.shift;
  arith.shiftAddExact =
      arith.accumulationBound <= uint64_t(isa::maxSigned(config.accBits)) &&
      arith.accumulationBound <= uint64_t(INT32_MAX);
  if (!arith.isAnalog())
    return arith;

  const AnalogModel &m = arith.model;
  const unsigned b = config.cellBits, d = config.dacBits, k = config.adcShift;
  arith.levelConductance = m.getLevelConductance(b);
  if (m.readNoise.model == arch::NoiseModelKind::Gaussian)
    arith.readSigmaLevels = m.readNoise.sigma * m.gMax / arith.levelConductance;
  arith.pcmReadNoise = m.readNoise.model == arch::NoiseModelKind::PCM;

  // The largest |conductance| a cell can have, in level steps (the levels
  // themselves when no effect changes a conductance, e.g. ADC errors alone
  // on an SRAM device without g_max), times the ADC gain the grid holds.
  double maxLevel = double((1u << b) - 1);
  if (arith.hasConductanceEffects())
    maxLevel = std::max((m.gCeiling * m.gMax - m.gMin) / arith.levelConductance,
                        m.gMin / arith.levelConductance);
  maxLevel *= 1 + m.adcGainError;
  const double rows = config.rows;
  const int64_t dacMax = (int64_t{1} << d) - 1;

  // Largest grid that keeps the whole conversion in 16-bit lanes.
  for (unsigned f = 8; f >= 4 && !arith.fixed16; --f) {
    int64_t cellMax = int64_t(std::ceil(std::ldexp(maxLevel, int(f)))) + 1;
    int64_t sumMax = int64_t(rows) * cellMax * dacMax;
    int64_t mult = arith.getNoiseMultiplier(
        std::ldexp(arith.readSigmaLevels * std::sqrt(rows) * double(dacMax),
                   int(f)));
    int64_t offset = std::llround(std::ldexp(m.adcOffsetLsb, int(f + k)));
    int64_t constant = std::abs(offset) + (int64_t{1} << (f + k - 1));
    bool fits = !arith.pcmReadNoise && f + k + config.adcBits <= 15 &&
                mult <= 32767 && sumMax + getMaxNoise(mult) + constant <= 32767;
    if (fits) {
      arith.fixed16 = true;
      arith.gridBits = f;
      arith.offsetGrid = offset;
    }
  }
  if (!arith.fixed16) {
    // Generic arithmetic: 64-bit sums, a fine grid (cells fit an i32).
    unsigned f = 12;
    while (f > 1 && std::ldexp(maxLevel, int(f)) > double(INT32_MAX) / 2)
      --f;
    arith.gridBits = f;
    arith.offsetGrid = std::llround(std::ldexp(m.adcOffsetLsb, int(f + k)));
  }
  if (arith.readSigmaLevels > 0 && d == 1)
    for (unsigned n = 0; n <= config.rows; ++n)
      arith.drivenRowMultipliers.push_back(arith.getNoiseMultiplier(
          arith.readSigmaLevels * std::sqrt(double(n)) *
          std::ldexp(1.0, int(arith.gridBits))));
  arith.residue = residueKernelFits(arith);
  return arith;
}

std::string MvmArithmetic::describe() const {
  std::string kernels;
  VectorKernel vk = selectVectorKernel(*this);
  if (kernel == KernelChoice::Reference)
    kernels = "reference (isa:: pieces, one read at a time)";
  else if (vk == VectorKernel::IdealU8)
    kernels = "AVX-512 8-bit saturating table kernel";
  else if (vk == VectorKernel::Int16 && residue)
    kernels = "AVX-512 8-bit residue table kernel plus a VNNI product "
              "(batches of 10 vectors or more; reads that may clip converted "
              "exactly; batches where more than 1/8 may clip, and smaller "
              "ones: 16-bit table kernel)";
  else if (vk == VectorKernel::Int16)
    kernels = "AVX-512 16-bit table kernel";
  else
    kernels = "portable";
  if (!isAnalog()) {
    const bool vnni = kernel == KernelChoice::Auto && cpuHasAvx512Vnni() &&
                      config.weightBits <= 8;
    std::string product = vnni ? "AVX-512 VNNI" : "portable";
    if (kernel != KernelChoice::Reference && isa::canBeExact(config, config.rows))
      return "noise off; exact ADC: one integer product per batch (" +
             product + ")";
    if (vnni && config.adcShift == 0 && shiftAddExact)
      return "noise off; the ADC only clips (k = 0): integer product (" +
             product + ") minus what the reads that reach full scale lose; "
             "batches where many reads can clip: " + kernels;
    return "noise off; bit-sliced reads: " + kernels;
  }
  return llvm::formatv("noise on ({0}); conductance grid 2^-{1} level; {2} "
                       "arithmetic; {3}",
                       printEffects(effects), gridBits,
                       fixed16 ? "16-bit" : "64-bit", kernels)
      .str();
}

//===----------------------------------------------------------------------===//
// The canonical analog conversion
//===----------------------------------------------------------------------===//

uint64_t MultiplyContext::getReadKeyId(unsigned v, unsigned array,
                                       unsigned plane) const {
  return (uint64_t(firstVector + v) * block.arrays + array) *
             arith.getConfig().planes +
         plane;
}

//===----------------------------------------------------------------------===//
// MvmUnit: programming
//===----------------------------------------------------------------------===//

namespace {
/// ProgrammedBlock::sums32 for cells of at most `maxCell` in magnitude.
bool sumsFitInt32(const isa::UnitConfig &config, const ProgrammedBlock &pb,
                  uint64_t maxCell) {
  const uint64_t dacMax = (uint64_t{1} << config.dacBits) - 1;
  return uint64_t(pb.rows) * dacMax * maxCell <= uint64_t(INT32_MAX);
}
/// What the kernels derive from an analog block's grid: its i16 copy, the
/// residue kernel's state, and whether its sums fit an i32.
void finishAnalogBlock(const MvmArithmetic &arith, ProgrammedBlock &pb) {
  if (arith.isFixed16())
    pb.grid16.assign(pb.grid.begin(), pb.grid.end());
  if (arith.hasResidueKernel())
    prepareResidue(arith, pb);
  uint64_t largest = 0;
  for (int32_t g : pb.grid)
    largest = std::max<uint64_t>(largest, uint64_t(std::abs(int64_t(g))));
  pb.sums32 = sumsFitInt32(arith.getConfig(), pb, largest);
}
} // namespace

MvmUnit::MvmUnit() = default;
MvmUnit::~MvmUnit() = default;
MvmUnit::MvmUnit(MvmUnit &&) = default;
MvmUnit &MvmUnit::operator=(MvmUnit &&) = default;

unsigned MvmUnit::getRows() const { return state ? state->rows : 0; }
unsigned MvmUnit::getCols() const { return state ? state->cols : 0; }
const isa::SlicedWeights &MvmUnit::getSliced() const {
  assert(state && "unit not programmed");
  return state->sliced;
}
const ProgrammingStats &MvmUnit::getProgrammingStats() const {
  assert(state && "unit not programmed");
  return state->stats;
}

double MvmUnit::getCellLevel(unsigned array, unsigned row,
                             unsigned col) const {
  assert(state && !state->grid.empty() && "not an analog unit");
  return double(state->getGrid(array)[size_t(row) * state->cols + col]);
}

namespace {

/// Draws every cell of one array (docs/FunctionalEngine.md, "Programming").
/// Writes conductances in siemens to `g` and counts stuck cells.
void drawArray(const MvmArithmetic &arith, const uint8_t *levels, size_t cells,
               uint64_t key, double *g, uint64_t &stuckOn,
               uint64_t &stuckOff) {
  const AnalogModel &m = arith.getModel();
  const EffectMask fx = arith.getEffects();
  const double dg = arith.levelConductance;
  const double ceiling = m.gCeiling * m.gMax;
  const bool stuckAt = fx & unsigned(Effect::StuckAt);
  const bool programming = fx & unsigned(Effect::ProgrammingNoise);
  const bool drift = fx & unsigned(Effect::Drift);
  const double logTime = drift ? std::log(m.time / m.drift.t0) : 0;
  for (size_t c = 0; c < cells; ++c) {
    double g0 = m.gMin + double(levels[c]) * dg;
    if (stuckAt) {
      double u = toUnit(streamWord(key, 3 * c));
      if (u < m.stuckAtOn) {
        g[c] = m.gMax;
        ++stuckOn;
        continue;
      }
      if (u < m.stuckAtOn + m.stuckAtOff) {
        g[c] = m.gMin;
        ++stuckOff;
        continue;
      }
    }
    double value = g0;
    if (programming || drift) {
      auto [z1, z2] = boxMuller(streamWord(key, 3 * c + 1),
                                streamWord(key, 3 * c + 2));
      if (programming) {
        double sigma;
        if (m.programmingNoise.model == arch::NoiseModelKind::Gaussian) {
          sigma = m.programmingNoise.sigma * m.gMax;
        } else {
          double x = g0 / m.gMax;
          sigma = std::max(0.0, m.programmingNoise.c0 +
                                    m.programmingNoise.c1 * x +
                                    m.programmingNoise.c2 * x * x);
        }
        value = std::clamp(value + sigma * z1, 0.0, ceiling);
      }
      if (drift) {
        double nu = std::max(0.0, m.drift.nu + m.drift.nuSigma * z2);
        value *= std::exp(-nu * logTime);
      }
    }
    g[c] = value;
  }
}

/// PCM 1/f read-noise variance of one cell, in level steps^2.
double pcmReadVariance(const MvmArithmetic &arith, double g) {
  const AnalogModel &m = arith.getModel();
  if (g <= 0)
    return 0;
  double ratio = (m.time + m.readNoise.tRead) / (2 * m.readNoise.tRead);
  double logTerm = ratio > 1 ? std::log(ratio) : 0;
  double qs = std::min(m.readNoise.qsScale /
                           std::pow(g / m.gMax, m.readNoise.qsExponent),
                       m.readNoise.qsMax);
  double sigma = qs * std::sqrt(logTerm) * g / arith.levelConductance;
  return sigma * sigma;
}

} // namespace

llvm::Error MvmUnit::program(const MvmArithmetic &arith,
                             const isa::WeightBlock &block, uint64_t id,
                             ThreadPool *pool) {
  const isa::UnitConfig &config = arith.getConfig();
  llvm::Expected<isa::SlicedWeights> sliced = isa::sliceWeights(config, block);
  if (!sliced)
    return sliced.takeError();

  auto next = std::make_unique<ProgrammedBlock>();
  ProgrammedBlock &pb = *next;
  pb.sliced = std::move(*sliced);
  pb.rows = block.rows;
  pb.cols = block.cols;
  pb.arrays = pb.sliced.slices * pb.sliced.polarities;
  pb.weightBits = block.bits;
  const size_t cells = size_t(pb.rows) * pb.cols;
  pb.stats.cells = cells * pb.arrays;

  if (unitId != id) {
    unitId = id;
    programCount = 0;
  }
  uint64_t programIndex = programCount++;

  if (!arith.isAnalog()) {
    const bool exact = isa::canBeExact(config, pb.rows);
    const bool vnni = arith.getKernel() == KernelChoice::Auto &&
                      cpuHasAvx512Vnni() && block.bits <= 8;
    // With k = 0 the ADC only clips: reads that cannot reach full scale are
    // exact, so the product is the exact one minus what the few reads that
    // can clip lose (needs the VNNI product to pay off).
    pb.clipOnly = !exact && vnni && config.adcShift == 0 &&
                  arith.isShiftAddExact() && config.inputBits <= 8;
    if (exact || pb.clipOnly) {
      pb.weights.assign(block.values.begin(), block.values.end());
      if (vnni)
        packVnni(pb);
    }
    if (pb.clipOnly) {
      const uint64_t fullScale = (uint64_t{1} << config.adcBits) - 1;
      const uint64_t dacMax = (uint64_t{1} << config.dacBits) - 1;
      pb.clipColumns.resize(pb.arrays);
      for (unsigned a = 0; a < pb.arrays; ++a) {
        const uint8_t *levels = pb.sliced.getLevels(
            a / pb.sliced.polarities, a % pb.sliced.polarities);
        std::vector<uint64_t> sums(pb.cols, 0);
        for (unsigned i = 0; i < pb.rows; ++i)
          for (unsigned j = 0; j < pb.cols; ++j)
            sums[j] += levels[size_t(i) * pb.cols + j];
        for (unsigned j = 0; j < pb.cols; ++j)
          if (dacMax * sums[j] > fullScale)
            pb.clipColumns[a].push_back(j);
      }
    }
    if (!exact && selectVectorKernel(arith) == VectorKernel::Int16)
      pb.levels16.assign(pb.sliced.levels.begin(), pb.sliced.levels.end());
    pb.sums32 = sumsFitInt32(config, pb, (uint64_t{1} << config.cellBits) - 1);
    state = std::move(next);
    return llvm::Error::success();
  }

  // The ADC gain error scales the column current (docs/FunctionalEngine.md,
  // "Number representation"): the grid holds it.
  const double scale =
      std::ldexp(1.0 + arith.getModel().adcGainError, int(arith.getGridBits()));
  // Analog without conductance effects: the grid holds the levels.
  if (!arith.hasConductanceEffects()) {
    pb.grid.resize(cells * pb.arrays);
    for (size_t c = 0; c < pb.grid.size(); ++c)
      pb.grid[c] = int32_t(std::llround(pb.sliced.levels[c] * scale));
    finishAnalogBlock(arith, pb);
    state = std::move(next);
    return llvm::Error::success();
  }

  // Analog: each cell's conductance, then the IR-drop attenuation of its
  // position, then the grid.
  const AnalogModel &m = arith.getModel();
  const EffectMask fx = arith.getEffects();
  std::vector<double> g(cells * pb.arrays);
  std::vector<uint64_t> stuckOn(pb.arrays), stuckOff(pb.arrays);
  uint64_t unitKey = deriveKey(
      deriveKey(deriveKey(m.seed, uint64_t(Stream::Programming)), unitId),
      programIndex);
  ThreadPool::run(pool, pb.arrays, [&](size_t a) {
    unsigned s = unsigned(a) / pb.sliced.polarities;
    unsigned pol = unsigned(a) % pb.sliced.polarities;
    drawArray(arith, pb.sliced.getLevels(s, pol), cells, deriveKey(unitKey, a),
              g.data() + a * cells, stuckOn[a], stuckOff[a]);
  });
  for (unsigned a = 0; a < pb.arrays; ++a) {
    pb.stats.stuckOn += stuckOn[a];
    pb.stats.stuckOff += stuckOff[a];
  }

  const bool pcm = arith.pcmReadNoise;
  if (pcm)
    pb.readVariance.resize(cells * pb.arrays);
  pb.grid.resize(cells * pb.arrays);
  const double dg = arith.levelConductance;
  const bool irDrop = fx & unsigned(Effect::IrDrop);
  const double R = pb.rows, C = pb.cols;
  std::vector<double> attenuationSum(pb.arrays);
  ThreadPool::run(pool, pb.arrays, [&](size_t a) {
    const double *ga = g.data() + a * cells;
    double mean = 0;
    for (size_t c = 0; c < cells; ++c)
      mean += ga[c];
    mean /= double(cells);
    double rg = m.wireResistance * mean;
    auto attenuation = [&](unsigned i, unsigned j) {
      if (!irDrop)
        return 1.0;
      double column = m.irDropActivity * (R * (R + 1) - double(i) * (i + 1)) / 2;
      double row = (double(j) + 1) * C - double(j) * (j + 1) / 2;
      return 1 / (1 + rg * (row + column));
    };
    // Each column's sensing gain is trimmed at calibration to its mean
    // attenuation, as chips calibrate per-column gain; what remains is the
    // variation along the column.
    std::vector<double> columnGain(pb.cols, 1.0);
    if (irDrop)
      for (unsigned j = 0; j < pb.cols; ++j) {
        double sum = 0;
        for (unsigned i = 0; i < pb.rows; ++i)
          sum += attenuation(i, j);
        columnGain[j] = R / sum;
      }
    for (unsigned i = 0; i < pb.rows; ++i) {
      for (unsigned j = 0; j < pb.cols; ++j) {
        size_t c = size_t(i) * pb.cols + j;
        double alpha = attenuation(i, j);
        attenuationSum[a] += alpha;
        alpha *= columnGain[j];
        double level = (alpha * ga[c] - m.gMin) / dg;
        pb.grid[a * cells + c] = int32_t(std::llround(level * scale));
        if (pcm)
          pb.readVariance[a * cells + c] = pcmReadVariance(arith, ga[c]);
      }
    }
  });
  double total = 0;
  for (double s : attenuationSum)
    total += s;
  pb.stats.meanAttenuation = total / double(pb.stats.cells);
  finishAnalogBlock(arith, pb);
  state = std::move(next);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// MvmUnit: multiplying
//===----------------------------------------------------------------------===//

namespace {

void prepareBatch(const MvmArithmetic &arith, const ProgrammedBlock &pb,
                  const int8_t *inputs, size_t inputStride, unsigned count,
                  bool vectorKernels, bool residue, uint64_t invocationKey,
                  unsigned firstVector, InputBatch &batch, ThreadPool *pool) {
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned bits = config.inputBits, planes = config.planes;
  const unsigned d = config.dacBits;
  batch.reset(count, pb.rows, bits);
  // The residue kernel's product reads x_u as bytes (avx512PrepareMasks).
  batch.paddedRows = residue ? (pb.rows + 3) / 4 * 4 : 0;
  batch.offsetInputs.assign(size_t(count) * batch.paddedRows, 0);
  const bool gaussianNoise = arith.isAnalog() && arith.readSigmaLevels > 0;
  const bool readNoise = gaussianNoise || (arith.isAnalog() && arith.pcmReadNoise);
  batch.noiseMultipliers.assign(gaussianNoise ? size_t(count) * planes : 0, 0);
  batch.readKeys.assign(readNoise ? size_t(count) * pb.arrays * planes : 0, 0);
  const double scale = std::ldexp(1.0, int(arith.getGridBits()));
  const MultiplyContext ids{arith, pb, batch, invocationKey, firstVector};

  forVectorRanges(pool, count, [&](unsigned first, unsigned end) {
    if (vectorKernels) {
      avx512PrepareMasks(inputs, inputStride, first, end, batch);
    } else {
      const int32_t offset = 1 << (bits - 1);
      for (unsigned v = first; v < end; ++v) {
        const int8_t *x = inputs + v * inputStride;
        int64_t sum = 0;
        for (unsigned i = 0; i < pb.rows; ++i) {
          auto xu = uint32_t(isa::saturate(x[i], bits) + offset);
          sum += xu;
          for (unsigned t = 0; t < bits; ++t)
            if ((xu >> t) & 1) {
              batch.masks[(size_t(v) * bits + t) * batch.words + i / 64] |=
                  uint64_t{1} << (i % 64);
              ++batch.planeOnes[size_t(v) * bits + t];
            }
        }
        batch.inputSums[v] = sum;
      }
    }
    for (unsigned v = first; v < end && gaussianNoise; ++v)
      for (unsigned p = 0; p < planes; ++p) {
        int64_t &multiplier = batch.noiseMultipliers[size_t(v) * planes + p];
        if (d == 1) {
          multiplier =
              arith.drivenRowMultipliers[batch.planeOnes[size_t(v) * bits + p]];
          continue;
        }
        double sumSquares = 0;
        for (unsigned i = 0; i < pb.rows; ++i) {
          double level = batch.getDacLevel(v, p, d, i);
          sumSquares += level * level;
        }
        multiplier = arith.getNoiseMultiplier(arith.readSigmaLevels *
                                              std::sqrt(sumSquares) * scale);
      }
    // The keys of one vector's reads are consecutive in the stream ids.
    if (readNoise) {
      const size_t reads = size_t(pb.arrays) * planes;
      uint64_t *out = batch.readKeys.data() + first * reads;
      const uint64_t id = ids.getReadKeyId(first, 0, 0);
      if (vectorKernels)
        avx512DeriveKeys(invocationKey, id, (end - first) * reads, out);
      else
        for (size_t i = 0; i < (end - first) * reads; ++i)
          out[i] = deriveKey(invocationKey, id + i);
    }
  });
}

/// The reference: isa::mvmIdeal, or the same chain of isa:: pieces with the
/// analog column sums, one vector and one read at a time.
void referenceMultiply(const MultiplyContext &ctx, const int8_t *inputs,
                       size_t inputStride, int32_t *outputs) {
  const MvmArithmetic &arith = ctx.arith;
  const ProgrammedBlock &pb = ctx.block;
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols;
  isa::MvmScratch scratch;
  std::vector<int64_t> sums(C);
  std::vector<int32_t> codes(C);
  std::vector<double> variance(C);
  std::vector<int32_t> samples(C);
  const std::vector<isa::MvmRead> order = isa::getReadOrder(config);
  const double scale = std::ldexp(1.0, int(arith.getGridBits()));
  for (unsigned v = 0; v < ctx.batch.count; ++v) {
    llvm::ArrayRef<int8_t> input(inputs + v * inputStride, R);
    llvm::MutableArrayRef<int32_t> output(outputs + size_t(v) * C, C);
    if (!arith.isAnalog()) {
      isa::mvmIdeal(config, pb.sliced, input, output, scratch);
      continue;
    }
    isa::InputPlanes &planes = scratch.input;
    isa::encodeInput(config, input, planes);
    scratch.acc.assign(C, isa::ShiftAddState());
    for (size_t r = 0; r < order.size(); ++r) {
      const isa::MvmRead &read = order[r];
      unsigned array = read.slice * pb.sliced.polarities + read.polarity;
      const uint8_t *plane = planes.getPlane(read.plane);
      const int32_t *grid = pb.getGrid(array);
      std::fill(sums.begin(), sums.end(), 0);
      std::fill(variance.begin(), variance.end(), 0.0);
      double sumSquares = 0;
      for (unsigned i = 0; i < R; ++i) {
        int64_t dac = plane[i];
        sumSquares += double(dac * dac);
        for (unsigned j = 0; j < C; ++j) {
          sums[j] += dac * grid[size_t(i) * C + j];
          if (arith.pcmReadNoise)
            variance[j] += double(dac * dac) *
                           pb.getReadVariance(array)[size_t(i) * C + j];
        }
      }
      // The key derived here, not taken from the batch: the reference
      // checks the kernels' key derivation too.
      uint64_t key =
          deriveKey(ctx.invocationKey, ctx.getReadKeyId(v, array, read.plane));
      readNoiseSamples(key, 0, C, samples.data());
      const int64_t gaussian =
          arith.readSigmaLevels > 0
              ? arith.getNoiseMultiplier(arith.readSigmaLevels *
                                         std::sqrt(sumSquares) * scale)
              : 0;
      for (unsigned j = 0; j < C; ++j) {
        int64_t multiplier = gaussian;
        if (arith.readSigmaLevels <= 0 && arith.pcmReadNoise)
          multiplier = arith.getNoiseMultiplier(std::sqrt(variance[j]) * scale);
        int64_t noise = 0;
        if (multiplier != 0)
          noise = (int64_t(samples[j]) * multiplier + (1 << 14)) >> 15;
        int64_t value = sums[j] + noise + arith.offsetGrid;
        codes[j] = isa::adcConvertReal(
            config, std::ldexp(double(value), -int(arith.getGridBits())));
      }
      isa::accumulateRead(config, read, r == 0, codes, scratch.acc);
    }
    for (unsigned j = 0; j < C; ++j)
      output[j] = isa::correctColumn(config, R, pb.sliced.weightOffset,
                                     planes.inputSum,
                                     pb.sliced.columnWeightSums[j],
                                     scratch.acc[j].acc);
  }
}

} // namespace

namespace {

/// y = sum_i x_sat[i] * w[i][j] for vectors [first, end) (the exact
/// product), written to outputs rows [first, end).
void exactProduct(const ProgrammedBlock &pb, const isa::UnitConfig &config,
                  const int8_t *inputs, size_t inputStride, unsigned first,
                  unsigned end, int32_t *outputs) {
  const unsigned R = pb.rows, C = pb.cols, count = end - first;
  const int8_t *x = inputs + first * inputStride;
  int32_t *y = outputs + size_t(first) * C;
  if (pb.vnniWeights.empty()) {
    portableExact(pb, config, x, inputStride, count, 0, C, y);
    return;
  }
  InputBatch batch;
  batch.count = count;
  batch.rows = R;
  batch.paddedRows = (R + 3) / 4 * 4;
  batch.offsetInputs.assign(size_t(count) * batch.paddedRows, 0);
  const int lo = -(1 << (config.inputBits - 1));
  const int hi = (1 << (config.inputBits - 1)) - 1;
  for (unsigned v = 0; v < count; ++v) {
    const int8_t *row = x + v * inputStride;
    uint8_t *xu = batch.offsetInputs.data() + size_t(v) * batch.paddedRows;
    for (unsigned i = 0; i < R; ++i)
      xu[i] = uint8_t(std::clamp<int>(row[i], lo, hi) + 128);
  }
  avx512ExactChunk(pb, batch, 0, C, y);
}

/// The clip-only path: the exact product, minus (a - (2^A - 1)) << shift for
/// every column sum a of a read that exceeds full scale. Returns false
/// (computing nothing) when so many reads may clip that the table kernel is
/// faster.
bool clipOnlyMultiply(const MvmArithmetic &arith, const ProgrammedBlock &pb,
                      const int8_t *inputs, size_t inputStride, unsigned count,
                      int32_t *outputs, InputBatch &batch, ThreadPool *pool) {
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols, P = config.planes;
  const unsigned d = config.dacBits;
  const int64_t fullScale = (int64_t{1} << config.adcBits) - 1;
  const int64_t cellMax = (int64_t{1} << config.cellBits) - 1;

  // Bit planes of every vector and, per (vector, plane), the sum of its DAC
  // levels: a read can only clip when cellMax * that sum exceeds full scale.
  batch.reset(count, R, config.inputBits);
  std::vector<int64_t> planeSums(size_t(count) * P, 0);
  forVectorRanges(pool, count, [&](unsigned first, unsigned end) {
    avx512PrepareMasks(inputs, inputStride, first, end, batch);
    for (unsigned v = first; v < end; ++v)
      for (unsigned p = 0; p < P; ++p)
        for (unsigned t = 0; t < d && p * d + t < config.inputBits; ++t)
          planeSums[size_t(v) * P + p] +=
              int64_t(batch.planeOnes[size_t(v) * batch.bits + p * d + t]) << t;
  });
  uint64_t work = 0;
  size_t clippingColumns = 0;
  for (unsigned a = 0; a < pb.arrays; ++a)
    clippingColumns += pb.clipColumns[a].size();
  if (clippingColumns != 0)
    for (unsigned v = 0; v < count; ++v)
      for (unsigned p = 0; p < P; ++p)
        if (cellMax * planeSums[size_t(v) * P + p] > fullScale)
          work += clippingColumns;
  if (work * 8 > uint64_t(count) * pb.arrays * P * C)
    return false;

  forVectorRanges(pool, count, [&](unsigned first, unsigned end) {
    exactProduct(pb, config, inputs, inputStride, first, end, outputs);
    if (work == 0)
      return;
    std::vector<int64_t> sums, lost(C);
    for (unsigned v = first; v < end; ++v) {
      std::fill(lost.begin(), lost.end(), 0);
      for (unsigned p = 0; p < P; ++p) {
        if (cellMax * planeSums[size_t(v) * P + p] <= fullScale)
          continue;
        for (unsigned a = 0; a < pb.arrays; ++a) {
          const std::vector<uint32_t> &cols = pb.clipColumns[a];
          if (cols.empty())
            continue;
          const unsigned slice = a / pb.sliced.polarities;
          const unsigned polarity = a % pb.sliced.polarities;
          const uint8_t *levels = pb.sliced.getLevels(slice, polarity);
          sums.assign(cols.size(), 0);
          for (unsigned i = 0; i < R; ++i) {
            int64_t level = batch.getDacLevel(v, p, d, i);
            if (level == 0)
              continue;
            const uint8_t *row = levels + size_t(i) * C;
            for (size_t k = 0; k < cols.size(); ++k)
              sums[k] += level * row[cols[k]];
          }
          const unsigned shift = slice * config.cellBits + p * d;
          for (size_t k = 0; k < cols.size(); ++k)
            if (sums[k] > fullScale) {
              int64_t excess = (sums[k] - fullScale) << shift;
              lost[cols[k]] += polarity ? -excess : excess;
            }
        }
      }
      int32_t *y = outputs + size_t(v) * C;
      for (unsigned j = 0; j < C; ++j)
        if (lost[j] != 0)
          y[j] = int32_t(std::clamp<int64_t>(int64_t(y[j]) - lost[j],
                                             INT32_MIN, INT32_MAX));
    }
  });
  return true;
}

} // namespace

void MvmUnit::multiply(const MvmArithmetic &arith, const int8_t *inputs,
                       size_t inputStride, unsigned count, int32_t *outputs,
                       uint64_t invocation, unsigned firstVector,
                       ThreadPool *pool, MultiplyStats *stats) const {
  assert(state && "multiply on an unprogrammed unit");
  if (count == 0)
    return;
  const ProgrammedBlock &pb = *state;
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols;
  const KernelChoice kernel = arith.getKernel();

  // Exact integer product, and the clip-only path built on it.
  if (!arith.isAnalog() && kernel != KernelChoice::Reference) {
    if (isa::canBeExact(config, R) && !pb.weights.empty()) {
      forVectorRanges(pool, count, [&](unsigned first, unsigned end) {
        exactProduct(pb, config, inputs, inputStride, first, end, outputs);
      });
      return;
    }
  }
  // The clip-only path prepares the bit planes; when it declines, the table
  // kernels reuse them.
  InputBatch batch;
  if (!arith.isAnalog() && kernel != KernelChoice::Reference && pb.clipOnly &&
      clipOnlyMultiply(arith, pb, inputs, inputStride, count, outputs, batch,
                       pool))
    return;

  const VectorKernel vk =
      kernel == KernelChoice::Reference ? VectorKernel::None
                                        : selectVectorKernel(arith);
  uint64_t invocationKey = deriveKey(
      deriveKey(deriveKey(arith.getModel().seed, uint64_t(Stream::ReadNoise)),
                unitId),
      invocation);
  bool residue =
      vk == VectorKernel::Int16 && pb.residue && count >= Table6MinBatch;
  if (batch.masks.empty() || vk == VectorKernel::None)
    prepareBatch(arith, pb, inputs, inputStride, count,
                 vk != VectorKernel::None, residue, invocationKey, firstVector,
                 batch, pool);
  uint64_t exactReads = 0;
  residue = residue && residueKernelSuits(pb, batch, exactReads);
  if (stats) {
    stats->residueKernel = residue;
    stats->exactReads = exactReads;
  }
  MultiplyContext ctx{arith, pb, batch, invocationKey, firstVector};

  if (kernel == KernelChoice::Reference) {
    referenceMultiply(ctx, inputs, inputStride, outputs);
    return;
  }

  const int64_t weightOffset = pb.sliced.weightOffset;
  const int64_t inputOffset = int64_t{1} << (config.inputBits - 1);
  const int64_t constant = int64_t(R) * inputOffset * weightOffset;
  if (vk != VectorKernel::None) {
    std::vector<int32_t> acc(size_t(count) * C, 0);
    const unsigned width = vk == VectorKernel::IdealU8 ? U8ChunkWidth
                           : residue                   ? ResidueChunkWidth
                                                       : I16ChunkWidth;
    // Tasks split the columns into runs of consecutive chunks (a chunk kernel
    // fetches the grid rows of the chunk after it while it runs) and, for
    // the 16-bit and residue kernels, the vectors into one range per thread
    // but no more ranges than MinVectorsPerTask-vector groups fit (each range
    // builds every table again, but reads only its own vectors' bit planes,
    // keys and accumulators). Measured, noise on, 2 threads, 16-bit kernel:
    // 14.0 GMAC/s with one chunk per task, 15.3 with runs of chunks, 15.6-16
    // with vector ranges too; residue kernel: 17.5-18.3 with runs of chunks,
    // 17.9-18.8 with vector ranges too.
    const unsigned threads = pool ? pool->getThreads() : 1;
    const unsigned chunks = (C + width - 1) / width;
    const unsigned vectorGroups =
        vk == VectorKernel::Int16
            ? std::max(1u, std::min(threads, count / MinVectorsPerTask))
            : 1;
    const unsigned step = vectorRangeStep(count, vectorGroups);
    const unsigned ranges = (count + step - 1) / step;
    const unsigned columnGroups =
        std::min(chunks, (threads + ranges - 1) / ranges);
    ThreadPool::run(pool, size_t(ranges) * columnGroups, [&](size_t t) {
      const unsigned vFirst = unsigned(t / columnGroups) * step;
      const unsigned vEnd = std::min(count, vFirst + step);
      const size_t g = t % columnGroups;
      for (unsigned c = unsigned(g * chunks / columnGroups),
                    end = unsigned((g + 1) * chunks / columnGroups);
           c < end; ++c) {
        unsigned c0 = c * width;
        unsigned w = std::min(width, C - c0);
        if (vk == VectorKernel::IdealU8)
          avx512IdealU8Chunk(ctx, c0, w, acc.data());
        else if (residue)
          avx512ResidueChunk(ctx, c0, w, vFirst, vEnd, acc.data());
        else
          avx512Int16Chunk(ctx, c0, w, vFirst, vEnd, acc.data());
      }
    });
    // The digital correction (isa::correctColumn, vectorised): the column
    // and vector parts of the constant first.
    std::vector<int64_t> columnTerms(C), vectorTerms(count);
    for (unsigned j = 0; j < C; ++j)
      columnTerms[j] = constant - inputOffset * pb.sliced.columnWeightSums[j];
    for (unsigned v = 0; v < count; ++v)
      vectorTerms[v] = -weightOffset * batch.inputSums[v];
    forVectorRanges(pool, count, [&](unsigned first, unsigned end) {
      avx512Correct(acc.data() + size_t(first) * C, columnTerms.data(),
                    vectorTerms.data() + first, end - first, C,
                    outputs + size_t(first) * C);
    });
    return;
  }

  std::vector<isa::ShiftAddState> acc(size_t(count) * C);
  const unsigned width = 32;
  size_t tasks = (C + width - 1) / width;
  ThreadPool::run(pool, tasks, [&](size_t t) {
    unsigned c0 = unsigned(t) * width;
    portableChunk(ctx, c0, std::min(width, C - c0), acc.data());
  });
  for (unsigned v = 0; v < count; ++v)
    for (unsigned j = 0; j < C; ++j)
      outputs[size_t(v) * C + j] = isa::correctColumn(
          config, R, weightOffset, batch.inputSums[v],
          pb.sliced.columnWeightSums[j], acc[size_t(v) * C + j].acc);
}
