//===- ArchitectureChecks.cpp - Derived fields and cross-field checks -----===//
//
// What one key cannot check alone: the mesh against the tile count, the ADCs
// against the columns they serve, the device's levels against the cell bits.
// Also what is legal but probably not meant (an ADC too coarse for exact
// column sums, a chip that cannot multiply two activations): warnings.
//
//===----------------------------------------------------------------------===//

#include "ArchitectureChecks.h"

#include "DiagnosticSink.h"

#include "mho/Arch/Architecture.h"
#include "mho/Arch/Quantity.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace llvm;
using namespace mho::arch;

namespace {

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// Shortest exact-enough form of a dimensionless number: 0.0625, 1e-05.
std::string formatNumber(double value) {
  std::string out;
  raw_string_ostream(out) << format("%g", value);
  return out;
}

/// Reports the fields that later arithmetic divides by or shifts with, which
/// the parser range-checks but code-built architectures may leave at zero.
bool checkDivisors(const Architecture &arch, DiagnosticSink &sink) {
  bool ok = true;
  auto need = [&](bool valid, StringRef path, StringRef what) {
    if (!valid) {
      sink.error(path, what);
      ok = false;
    }
  };
  const MvmUnitSpec &mvm = arch.mvmUnit;
  need(arch.chip.tiles > 0, "chip.tiles", "must be at least 1");
  need(arch.chip.clock > 0, "chip.clock", "must be positive");
  need(arch.chip.noc.tilesPerRouter > 0, "chip.noc.tiles_per_router",
       "must be at least 1");
  need(arch.tile.cores > 0, "tile.cores", "must be at least 1");
  need(arch.core.mvmUnits > 0, "core.mvm_units", "must be at least 1");
  need(mvm.rows > 0, "mvm_unit.rows", "a crossbar needs at least 1 row");
  need(mvm.cols > 0, "mvm_unit.cols", "a crossbar needs at least 1 column");
  need(mvm.weightBits >= 1 && mvm.weightBits <= 32, "mvm_unit.weight_bits",
       "must be in [1, 32]");
  need(mvm.cellBits >= 1 && mvm.cellBits <= 16, "mvm_unit.cell_bits",
       "must be in [1, 16]");
  need(mvm.inputBits >= 1 && mvm.inputBits <= 32, "mvm_unit.input_bits",
       "must be in [1, 32]");
  need(mvm.dacBits >= 1 && mvm.dacBits <= 16, "mvm_unit.dac_bits",
       "must be in [1, 16]");
  need(mvm.adc.bits >= 1 && mvm.adc.bits <= 16, "mvm_unit.adc.bits",
       "must be in [1, 16]");
  need(mvm.adc.count > 0, "mvm_unit.adc.count", "must be at least 1");
  need(mvm.adc.columnsPerAdc > 0, "mvm_unit.adc.columns_per_adc",
       "must be at least 1");
  need(mvm.adc.range > 0 && mvm.adc.range <= 1, "mvm_unit.adc.range",
       "must be in (0, 1]");
  return ok;
}

void checkChip(const Architecture &arch, DiagnosticSink &sink) {
  const ChipSpec &chip = arch.chip;
  if (uint64_t(chip.meshX) * chip.meshY != chip.tiles)
    sink.errorAtKey("chip.mesh", Twine(chip.meshX) + " x " + Twine(chip.meshY) +
                                     " = " +
                                     Twine(uint64_t(chip.meshX) * chip.meshY) +
                                     " tiles, but chip.tiles is " +
                                     Twine(chip.tiles));
  if (chip.noc.tilesPerRouter > chip.tiles)
    sink.warning("chip.noc.tiles_per_router",
                 Twine(chip.noc.tilesPerRouter) +
                     " tiles per router, but the chip has only " +
                     Twine(chip.tiles) + " tiles");
}

void checkBuffer(const BufferSpec &buffer, StringRef path,
                 DiagnosticSink &sink) {
  std::string widthPath = (path + ".width_bits").str();
  if (buffer.widthBits % 8 != 0) {
    sink.error(widthPath, Twine("must be a multiple of 8, got ") +
                              Twine(buffer.widthBits));
    return;
  }
  uint64_t stripe = uint64_t(buffer.banks) * buffer.bytesPerBeat();
  if (stripe && buffer.size % stripe != 0)
    sink.warning((path + ".size").str(),
                 Twine(buffer.size) + " bytes do not divide into " +
                     Twine(buffer.banks) + " bank(s) of " +
                     Twine(buffer.bytesPerBeat()) + "-byte beats");
}

void checkCore(const Architecture &arch, DiagnosticSink &sink) {
  checkBuffer(arch.tile.buffer, "tile.buffer", sink);
  checkBuffer(arch.core.scratchpad, "core.scratchpad", sink);
  if (!arch.core.canMultiplyActivations())
    sink.warning("core", "no digital_matrix_unit and no "
                         "reprogrammable_arrays: attention's activation x "
                         "activation products (Q.K^T, P.V) cannot run on "
                         "this chip");
}

/// Derives the MVM unit's bit arithmetic, instance counts, timing, energy
/// and area, and checks that the ADCs can serve every column.
void deriveMvmUnit(Architecture &arch, DiagnosticSink &sink) {
  MvmUnitSpec &mvm = arch.mvmUnit;
  bool differential = mvm.signedEncoding == SignedEncoding::Differential;
  if (differential && mvm.weightBits < 2)
    sink.error("mvm_unit.weight_bits",
               "differential encoding needs at least 2 bits (a sign and a "
               "magnitude)");
  if (mvm.dacBits > mvm.inputBits)
    sink.error("mvm_unit.dac_bits", Twine(mvm.dacBits) + "-bit DACs exceed " +
                                        Twine(mvm.inputBits) +
                                        "-bit inputs (mvm_unit.input_bits)");

  mvm.storedWeightBits =
      differential ? std::max(1u, mvm.weightBits - 1) : mvm.weightBits;
  mvm.slices = ceilDiv(mvm.storedWeightBits, mvm.cellBits);
  mvm.crossbars = mvm.slices * (differential ? 2 : 1);
  mvm.planes = ceilDiv(mvm.inputBits, mvm.dacBits);
  mvm.fullScale = uint64_t(mvm.rows) * ((uint64_t(1) << mvm.dacBits) - 1) *
                  ((uint64_t(1) << mvm.cellBits) - 1);
  // Column sums are integers, so the largest one inside the range is the
  // floor of the scaled full scale.
  auto largestSum = static_cast<uint64_t>(
      std::floor(double(mvm.fullScale) * mvm.adc.range + 1e-9));
  mvm.exactAdcBits = std::max(1u, Log2_64_Ceil(largestSum + 1));
  mvm.adcDropBits =
      mvm.exactAdcBits > mvm.adc.bits ? mvm.exactAdcBits - mvm.adc.bits : 0;
  mvm.conversionsPerPlane = mvm.cols * mvm.slices;

  std::string fullScaleText =
      (Twine(mvm.rows) + " rows x (2^" + Twine(mvm.dacBits) + "-1) x (2^" +
       Twine(mvm.cellBits) + "-1) = " + Twine(mvm.fullScale))
          .str();
  std::string rangeText =
      mvm.adc.range == 1
          ? std::string()
          : (Twine(" x range ") + formatNumber(mvm.adc.range)).str();
  if (mvm.adcDropBits > 0)
    sink.warning("mvm_unit.adc.bits",
                 Twine(mvm.adc.bits) + "-bit ADC cannot resolve exact column "
                                       "sums: " +
                     fullScaleText + rangeText + " needs " +
                     Twine(mvm.exactAdcBits) + " bits; the lowest " +
                     Twine(mvm.adcDropBits) + " bit(s) are lost");
  else if (mvm.adc.bits > mvm.exactAdcBits)
    sink.warning("mvm_unit.adc.bits",
                 Twine(mvm.adc.bits) + "-bit ADC resolves more than column "
                                       "sums hold: " +
                     fullScaleText + rangeText + " needs only " +
                     Twine(mvm.exactAdcBits) + " bits");

  uint64_t covered = uint64_t(mvm.adc.count) * mvm.adc.columnsPerAdc;
  std::string columnsText =
      (Twine(mvm.cols) + " columns x " + Twine(mvm.slices) + " slice(s) = " +
       Twine(mvm.conversionsPerPlane))
          .str();
  if (covered < mvm.conversionsPerPlane)
    sink.error("mvm_unit.adc.count",
               Twine(mvm.adc.count) + " ADCs x " +
                   Twine(mvm.adc.columnsPerAdc) +
                   " columns each cover " + Twine(covered) +
                   " columns, but the MVM unit converts " + columnsText +
                   " per input plane");
  else if (covered - mvm.conversionsPerPlane >= mvm.adc.columnsPerAdc)
    sink.warning("mvm_unit.adc.count",
                 Twine(mvm.adc.count) + " ADCs x " +
                     Twine(mvm.adc.columnsPerAdc) + " columns each cover " +
                     Twine(covered) + " columns, more than the " +
                     columnsText + " converted per plane: " +
                     Twine((covered - mvm.conversionsPerPlane) /
                           mvm.adc.columnsPerAdc) +
                     " ADC(s) stay idle");

  mvm.crossbar.instances = mvm.crossbars;
  mvm.dac.instances = mvm.dac.count ? mvm.dac.count : mvm.rows * mvm.slices;
  mvm.sampleHold.instances =
      mvm.sampleHold.count ? mvm.sampleHold.count : mvm.cols * mvm.slices;
  mvm.shiftAdd.instances =
      mvm.shiftAdd.count ? mvm.shiftAdd.count : mvm.adc.count;
  mvm.dacsPerRow = mvm.rows ? double(mvm.dac.instances) / mvm.rows : 0;
  mvm.sampleHoldsPerConversion =
      mvm.conversionsPerPlane
          ? double(mvm.sampleHold.instances) / mvm.conversionsPerPlane
          : 0;

  // A plane's read (drive rows, settle, sample) overlaps the conversion of
  // the previous plane's samples, so planes follow each other at the slower
  // of the two; the last plane's conversion and accumulation end the MVM.
  double read =
      mvm.dac.latency + mvm.crossbar.latency + mvm.sampleHold.latency;
  double convert =
      double(ceilDiv(mvm.conversionsPerPlane, mvm.adc.count)) *
      mvm.adc.latency;
  mvm.planeInterval = std::max(read, convert);
  mvm.mvmLatency = read + (mvm.planes - 1) * mvm.planeInterval + convert +
                   mvm.shiftAdd.latency;
  double perPlane =
      mvm.crossbar.instances * mvm.crossbar.energy +
      mvm.dac.instances * mvm.dac.energy +
      mvm.sampleHold.instances * mvm.sampleHold.energy +
      mvm.conversionsPerPlane * (mvm.adc.energy + mvm.shiftAdd.energy);
  mvm.mvmEnergy = mvm.planes * perPlane;

  const PeripheralSpec *parts[] = {&mvm.crossbar, &mvm.dac, &mvm.sampleHold,
                                   &mvm.shiftAdd};
  mvm.area = mvm.adc.count * mvm.adc.area;
  mvm.leakage = mvm.adc.count * mvm.adc.leakage;
  for (const PeripheralSpec *part : parts) {
    mvm.area += part->instances * part->area;
    mvm.leakage += part->instances * part->leakage;
  }
}

void checkDevice(Architecture &arch, DiagnosticSink &sink) {
  DeviceSpec &dev = arch.device;
  const MvmUnitSpec &mvm = arch.mvmUnit;
  if (mvm.cellBits < 32 && dev.levels < (uint64_t(1) << mvm.cellBits))
    sink.error("device.levels",
               Twine(dev.levels) + " levels cannot hold the 2^" +
                   Twine(mvm.cellBits) + " = " +
                   Twine(uint64_t(1) << mvm.cellBits) +
                   " values of a " + Twine(mvm.cellBits) +
                   "-bit cell (mvm_unit.cell_bits)");
  if (isResistive(dev.technology)) {
    if (dev.gMin >= dev.gMax)
      sink.error(dev.gMin > 0 ? "device.g_min" : "device.g_max",
                 "g_min (" + formatQuantity(dev.gMin, Dimension::Conductance) +
                     ") must be below g_max (" +
                     formatQuantity(dev.gMax, Dimension::Conductance) + ")");
    dev.onOffRatio = dev.gMin > 0 ? dev.gMax / dev.gMin : 0;
  } else {
    dev.onOffRatio = 0;
  }
  if (dev.stuckAtOn + dev.stuckAtOff > 1)
    sink.error("device.stuck_at",
               "stuck-at-on and stuck-at-off fractions add up to more than 1");

  bool pcm = dev.technology == Technology::PCM;
  if (!pcm && dev.programmingNoise.model == NoiseModelKind::PCM)
    sink.warning("device.programming_noise.model",
                 "the PCM noise model on a " +
                     technologyName(dev.technology) + " device");
  if (!pcm && dev.readNoise.model == NoiseModelKind::PCM)
    sink.warning("device.read_noise.model",
                 "the PCM noise model on a " +
                     technologyName(dev.technology) + " device");
  constexpr double kLargeSigma = 0.2;
  if (dev.programmingNoise.model == NoiseModelKind::Gaussian &&
      dev.programmingNoise.sigma > kLargeSigma)
    sink.warning("device.programming_noise.sigma",
                 "a programming noise of " +
                     formatNumber(dev.programmingNoise.sigma) +
                     " x g_max is larger than any published device");
  if (dev.readNoise.model == NoiseModelKind::Gaussian &&
      dev.readNoise.sigma > kLargeSigma)
    sink.warning("device.read_noise.sigma",
                 "a read noise of " + formatNumber(dev.readNoise.sigma) +
                     " x g_max is larger than any published device");
  if (dev.drift.enabled && !isResistive(dev.technology))
    sink.warning("device.drift", "SRAM cells do not drift");
}

void computeTotals(Architecture &arch) {
  ArchitectureTotals &t = arch.totals;
  const ChipSpec &chip = arch.chip;
  const CoreSpec &core = arch.core;
  const MvmUnitSpec &mvm = arch.mvmUnit;
  t.cores = uint64_t(chip.tiles) * arch.tile.cores;
  t.mvmUnits = t.cores * core.mvmUnits;
  t.crossbars = t.mvmUnits * mvm.crossbars;
  t.weights = t.mvmUnits * mvm.weights();
  t.routers = ceilDiv(chip.tiles, chip.noc.tilesPerRouter);

  double coreLeakage = core.mvmUnits * mvm.leakage + core.scratchpad.leakage +
                       core.instructionMemory.leakage +
                       core.vectorUnit.leakage + core.other.leakage;
  t.coreArea = core.mvmUnits * mvm.area + core.scratchpad.area +
               core.instructionMemory.area + core.vectorUnit.area +
               core.other.area;
  if (core.digitalMatrixUnit.present) {
    t.coreArea += core.digitalMatrixUnit.area;
    coreLeakage += core.digitalMatrixUnit.leakage;
  }
  if (core.reprogrammableArrays.present) {
    t.coreArea += core.reprogrammableArrays.count *
                  core.reprogrammableArrays.area;
    coreLeakage += core.reprogrammableArrays.count *
                   core.reprogrammableArrays.leakage;
  }
  t.tileArea = arch.tile.cores * t.coreArea + arch.tile.buffer.area +
               arch.tile.other.area;
  double tileLeakage = arch.tile.cores * coreLeakage +
                       arch.tile.buffer.leakage + arch.tile.other.leakage;
  t.chipArea = chip.tiles * t.tileArea + t.routers * chip.noc.routerArea +
               chip.chipLink.area + chip.other.area;
  t.chipLeakage = chip.tiles * tileLeakage +
                  t.routers * chip.noc.routerLeakage + chip.chipLink.leakage +
                  chip.other.leakage;
  t.peakOpsPerSecond =
      mvm.mvmLatency > 0 ? 2.0 * double(t.weights) / mvm.mvmLatency : 0;
}

} // namespace

void mho::arch::finalizeArchitecture(Architecture &arch, DiagnosticSink &sink) {
  if (!checkDivisors(arch, sink))
    return;
  checkChip(arch, sink);
  checkCore(arch, sink);
  deriveMvmUnit(arch, sink);
  checkDevice(arch, sink);
  computeTotals(arch);
}
