//===- MvmUnit.h - One MVM unit of the functional engine -----------------===//
//
// An MVM unit holds one programmed weight block and multiplies batches of
// input vectors with it, following docs/ISA.md §4 read by read: weights
// bit-sliced onto crossbars, inputs streamed in DAC planes, one ADC
// conversion per (slice, polarity, plane, column), shift-and-add, digital
// offset correction. With the analog model on, every read's column sum is an
// analog value (programming noise, drift, stuck-at cells and IR drop in the
// conductances; read noise per column per read; ADC offset and gain) that the
// ISA's real-valued ADC converts.
//
// MvmArithmetic fixes, once per program, how every MVM computes (which of the
// paths below, which number grid); MvmUnit holds the state of one unit.
//
//   Exact   noise off and docs/ISA.md's canBeExact: one integer matrix
//           product per batch (an AVX-512 VNNI kernel where the CPU has it).
//   Ideal   noise off, lossy ADC: every (slice, plane) partial product,
//           converted exactly as isa::adcConvert does.
//   Analog  noise on: the same reads on analog conductances held on a grid of
//           2^-gridBits level steps, read noise per column per read.
//
// Kernels: Auto (vector kernels where the CPU has AVX-512, else portable
// C++), Portable, or Reference (the isa:: library pieces chained one read at
// a time; the specification the others are tested against). All three give
// identical results.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_FUNCTIONAL_MVMUNIT_H
#define MHO_SIM_FUNCTIONAL_MVMUNIT_H

#include "mho/ISA/Mvm.h"
#include "mho/ISA/ProgramImage.h"
#include "mho/ISA/UnitConfig.h"
#include "mho/Sim/Functional/AnalogModel.h"

#include "llvm/Support/Error.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mho::sim::functional {

class ThreadPool;

enum class KernelChoice { Auto, Portable, Reference };
llvm::StringRef getName(KernelChoice kernel);

/// Whether this CPU runs the AVX-512 kernels (F, BW, DQ, VL; POPCNT, BMI2,
/// AES-NI) and the VNNI integer product.
bool cpuHasAvx512();
bool cpuHasAvx512Vnni();
/// Whether the AVX-512 read-noise generator uses VAES (AES rounds on 512-bit
/// vectors): when the CPU has it and setVaesEnabled has not turned it off.
/// Without it the generator runs AES-NI on each 128-bit lane, with the same
/// results.
bool cpuHasVaes();
/// For tests: lets the kernels use VAES (the default) or not.
void setVaesEnabled(bool enabled);

/// How every MVM of one program computes.
class MvmArithmetic {
public:
  /// Derives the arithmetic for `config` with `model` restricted to its
  /// active effects. Fails when the analog model does not verify or the
  /// configuration cannot be simulated (e.g. a grid would not fit 32 bits).
  static llvm::Expected<MvmArithmetic> create(const isa::UnitConfig &config,
                                              const AnalogModel &model,
                                              KernelChoice kernel =
                                                  KernelChoice::Auto);

  const isa::UnitConfig &getConfig() const { return config; }
  /// The model with only the active effects left.
  const AnalogModel &getModel() const { return model; }
  EffectMask getEffects() const { return effects; }
  bool isAnalog() const { return effects != NoEffects; }
  /// Whether an active effect changes cell conductances (or needs them:
  /// PCM read noise), so programming draws every cell.
  bool hasConductanceEffects() const {
    return (effects & (unsigned(Effect::ProgrammingNoise) |
                       unsigned(Effect::Drift) | unsigned(Effect::StuckAt) |
                       unsigned(Effect::IrDrop))) != 0 ||
           pcmReadNoise;
  }
  KernelChoice getKernel() const { return kernel; }

  /// Conductances are held as integers in units of 2^-gridBits level steps
  /// (analog only).
  unsigned getGridBits() const { return gridBits; }
  /// Whether the analog pipeline fits 16-bit lanes (the fast kernel).
  bool isFixed16() const { return fixed16; }
  /// Whether batches of 10 vectors or more may run the residue kernel (the
  /// 16-bit analog pipeline from column sums mod 2^8 plus one exact product;
  /// AVX-512 VNNI).
  bool hasResidueKernel() const { return residue; }
  /// Whether no shift-and-add step can saturate, so the accumulation is a
  /// plain sum (else isa::shiftAddStep runs step by step).
  bool isShiftAddExact() const { return shiftAddExact; }
  /// The largest sum the shift-and-add can reach: every read's full-scale
  /// code times its shift weight.
  uint64_t getAccumulationBound() const { return accumulationBound; }

  /// A one-line summary: path, grid, kernels.
  std::string describe() const;

  //===--- Parameters the kernels read (docs/FunctionalEngine.md) ---------===//

  /// Level step (g_max - g_min) / (2^b - 1), S.
  double levelConductance = 0;
  /// Gaussian read noise: sigma of one fully driven cell, in level steps.
  double readSigmaLevels = 0;
  /// Whether read noise uses the PCM 1/f model (per-cell variance).
  bool pcmReadNoise = false;
  /// ADC offset in grid units. (The ADC gain error scales the column
  /// current, so the grid holds every cell times 1 + gain error.)
  int64_t offsetGrid = 0;
  /// The analog conversion (analogCode): code = clamp((sum + noise +
  /// getCodeConstant()) >> getCodeShift(), 0, 2^A - 1), with the shift r =
  /// gridBits + k and the constant offset + 2^(r-1) (the rounding).
  unsigned getCodeShift() const { return gridBits + config.adcShift; }
  int64_t getCodeConstant() const {
    return offsetGrid + (int64_t{1} << (getCodeShift() - 1));
  }
  /// Noise multiplier for a column whose read-noise standard deviation is
  /// `sigmaGrid` grid units: round(sigmaGrid * (1 + gain) * 2^(15-8)).
  int64_t getNoiseMultiplier(double sigmaGrid) const;
  /// Gaussian read noise with 1-bit DACs: the multiplier of a read that
  /// drives n rows, for n = 0..rows (a plane's sum of squared DAC levels is
  /// its popcount), so batches look it up instead of rounding a square root
  /// per (vector, plane).
  std::vector<int64_t> drivenRowMultipliers;

private:
  MvmArithmetic() = default;

  isa::UnitConfig config;
  AnalogModel model;
  EffectMask effects = NoEffects;
  KernelChoice kernel = KernelChoice::Auto;
  unsigned gridBits = 0;
  bool fixed16 = false;
  bool residue = false;
  bool shiftAddExact = false;
  uint64_t accumulationBound = 0;
};

/// The analog conversion every kernel computes (docs/FunctionalEngine.md):
/// column sum `sum` in grid units (the ADC gain error included), noise
/// multiplier m, read-noise sample z:
///   value = sum + ((z * m + 2^14) >> 15) + offset
///   code  = clamp((value + 2^(r-1)) >> r, 0, 2^A - 1),  r = gridBits + k,
/// which is isa::adcConvertReal(config, value * 2^-gridBits). Inline: the
/// portable kernel's per-column loops vectorise with it.
inline int32_t analogCode(const MvmArithmetic &arith, int64_t sum,
                          int64_t multiplier, int32_t sample) {
  const int64_t noise = (int64_t(sample) * multiplier + (1 << 14)) >> 15;
  const int64_t code =
      (sum + noise + arith.getCodeConstant()) >> arith.getCodeShift();
  const int64_t fullScale = (int64_t{1} << arith.getConfig().adcBits) - 1;
  return static_cast<int32_t>(std::clamp<int64_t>(code, 0, fullScale));
}

/// The per-cell view of a programmed array (for tests and statistics).
struct ProgrammingStats {
  uint64_t cells = 0;
  uint64_t stuckOn = 0;
  uint64_t stuckOff = 0;
  double meanAttenuation = 1; ///< mean IR-drop factor over the cells
};

struct ProgrammedBlock;

/// What one multiply ran (for tests and statistics).
struct MultiplyStats {
  /// Whether the residue kernel ran (MvmArithmetic::hasResidueKernel), and
  /// how many of its reads of a 64-column chunk may clip and were converted
  /// exactly instead.
  bool residueKernel = false;
  uint64_t exactReads = 0;
};

class MvmUnit {
public:
  MvmUnit();
  ~MvmUnit();
  MvmUnit(MvmUnit &&);
  MvmUnit &operator=(MvmUnit &&);

  /// Programs `block` (docs/ISA.md `wprog`): slices it, and with the analog
  /// model draws each cell's conductance. `unitId` names the unit in the
  /// random streams (the engine numbers units globally); every programming
  /// of a unit draws new cells. Fails when the block does not fit the
  /// configuration.
  llvm::Error program(const MvmArithmetic &arith, const isa::WeightBlock &block,
                      uint64_t unitId, ThreadPool *pool = nullptr);

  bool isProgrammed() const { return state != nullptr; }
  unsigned getRows() const;
  unsigned getCols() const;
  /// The programmed (integer) block as the crossbars hold it.
  const isa::SlicedWeights &getSliced() const;
  const ProgrammingStats &getProgrammingStats() const;
  /// Effective conductance of a cell as the analog reads see it: (g_eff -
  /// g_min) / level step, times 1 + the ADC gain error, in grid units
  /// (2^-gridBits); `array` = slice * polarities + polarity. Analog units
  /// only.
  double getCellLevel(unsigned array, unsigned row, unsigned col) const;

  /// Multiplies `count` input vectors (R i8 each, vector v at inputs +
  /// v * inputStride) and writes count x C i32 results, row-major, to
  /// `outputs`. `invocation` and `firstVector` name the reads in the random
  /// streams: the engine passes the unit's mvm instruction count and the
  /// vector's index within the instruction.
  void multiply(const MvmArithmetic &arith, const int8_t *inputs,
                size_t inputStride, unsigned count, int32_t *outputs,
                uint64_t invocation, unsigned firstVector = 0,
                ThreadPool *pool = nullptr,
                MultiplyStats *stats = nullptr) const;

private:
  std::unique_ptr<ProgrammedBlock> state;
  uint64_t unitId = 0;
  uint64_t programCount = 0;
};

} // namespace mho::sim::functional

#endif // MHO_SIM_FUNCTIONAL_MVMUNIT_H
