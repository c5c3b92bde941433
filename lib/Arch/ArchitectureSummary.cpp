//===- ArchitectureSummary.cpp - A human-readable architecture summary ----===//

#include "mho/Arch/ArchitectureSummary.h"

#include "mho/Arch/Quantity.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace mho::arch;

namespace {

std::string q(double si, Dimension dim) { return formatQuantity(si, dim); }

/// Counts in thousands/millions keep the totals line readable.
std::string bigCount(uint64_t n) {
  std::string out;
  raw_string_ostream os(out);
  if (n >= 1000000)
    os << format("%.2f M", n / 1e6);
  else if (n >= 100000)
    os << format("%.1f k", n / 1e3);
  else
    os << n;
  return out;
}

/// The first sentence of `text`, for a one-line description.
StringRef firstSentence(StringRef text) {
  text = text.trim();
  size_t end = text.find(". ");
  return end == StringRef::npos ? text : text.take_front(end + 1);
}

/// "1 tile", "168 tiles".
std::string plural(uint64_t n, StringRef noun) {
  return std::to_string(n) + " " + noun.str() + (n == 1 ? "" : "s");
}

std::string number(double value) {
  std::string out;
  raw_string_ostream(out) << format("%g", value);
  return out;
}

/// Prints `text` after `column` characters already on the line, breaking at
/// spaces before column 80 and indenting continuation lines by 2.
void printWrapped(raw_ostream &os, StringRef text, size_t column) {
  constexpr size_t kWidth = 79;
  SmallVector<StringRef> words;
  text.split(words, ' ', -1, /*KeepEmpty=*/false);
  for (StringRef word : words) {
    if (column + 1 + word.size() > kWidth && column > 2) {
      os << "\n  ";
      column = 2;
    } else {
      os << ' ';
      ++column;
    }
    os << word;
    column += word.size();
  }
}

raw_ostream &label(raw_ostream &os, StringRef name) {
  return os << "  " << left_justify(name, 10);
}

} // namespace

void mho::arch::printSummary(const Architecture &arch, raw_ostream &os) {
  const ChipSpec &chip = arch.chip;
  const CoreSpec &core = arch.core;
  const MvmUnitSpec &mvm = arch.mvmUnit;
  const DeviceSpec &dev = arch.device;
  const ArchitectureTotals &t = arch.totals;
  const char *indent = "            ";

  os << arch.name << ':';
  if (!arch.description.empty())
    printWrapped(os, firstSentence(arch.description), arch.name.size() + 1);
  os << '\n';
  if (!arch.sources.empty())
    label(os, "sources") << arch.sources.size() << " cited\n";

  label(os, "chip") << plural(chip.tiles, "tile") << " (" << chip.meshX << " x "
                    << chip.meshY << " mesh) at " << q(chip.clock,
                                                       Dimension::Frequency)
                    << ", " << plural(chip.chips, "chip") << " per system\n";
  os << indent << "NoC " << chip.noc.flitBits << "-bit flits, "
     << plural(chip.noc.hopLatencyCycles, "cycle") << "/hop, "
     << q(chip.noc.energyPerByteHop, Dimension::Energy) << "/byte/hop, "
     << plural(chip.noc.tilesPerRouter, "tile") << "/router\n";
  if (chip.chipLink.present)
    os << indent << "chip link " << chip.chipLink.links << " x "
       << q(chip.chipLink.bandwidth, Dimension::Bandwidth) << ", "
       << q(chip.chipLink.energyPerBit, Dimension::Energy) << "/bit\n";

  const BufferSpec &buf = arch.tile.buffer;
  label(os, "tile") << plural(arch.tile.cores, "core") << "; buffer "
                    << q(double(buf.size), Dimension::Size) << " in "
                    << plural(buf.banks, "bank") << ", " << buf.widthBits
                    << "-bit beats, " << q(buf.readEnergy, Dimension::Energy)
                    << "/read beat\n";

  const BufferSpec &pad = core.scratchpad;
  label(os, "core") << plural(core.mvmUnits, "MVM unit") << "; scratchpad "
                    << q(double(pad.size), Dimension::Size) << "; instruction "
                    << "memory "
                    << q(double(core.instructionMemory.size), Dimension::Size)
                    << '\n';
  os << indent << "vector unit " << plural(core.vectorUnit.lanes, "lane") << ", "
     << q(core.vectorUnit.op(VectorOp::Add).energy, Dimension::Energy)
     << "/add, exp in "
     << plural(core.vectorUnit.op(VectorOp::Exp).latencyCycles, "cycle")
     << '\n';
  os << indent << "digital matrix unit: ";
  if (core.digitalMatrixUnit.present)
    os << core.digitalMatrixUnit.macsPerCycle << " MAC/cycle, "
       << core.digitalMatrixUnit.inputBits << "-bit, "
       << q(core.digitalMatrixUnit.energyPerMac, Dimension::Energy) << "/MAC\n";
  else
    os << "none\n";
  os << indent << "reprogrammable arrays: ";
  const ReprogrammableArraySpec &ra = core.reprogrammableArrays;
  if (ra.present)
    os << ra.count << " x " << ra.rows << " x " << ra.cols << ", "
       << q(ra.writeEnergyPerCell, Dimension::Energy) << "/cell written\n";
  else
    os << "none\n";

  label(os, "mvm unit") << mvm.rows << " x " << mvm.cols << " crossbars; "
                        << mvm.weightBits << "-bit weights in "
                        << plural(mvm.slices, "slice") << " of " << mvm.cellBits << "-bit cells ("
                        << signedEncodingName(mvm.signedEncoding) << "), "
                        << plural(mvm.crossbars, "crossbar") << '\n';
  os << indent << mvm.inputBits << "-bit inputs in "
     << plural(mvm.planes, "plane") << " of " << plural(mvm.dacBits, "bit")
     << "; ADC " << mvm.adc.bits << "-bit x " << mvm.adc.count << " ("
     << plural(mvm.adc.columnsPerAdc, "column") << " each, range ";
  if (mvm.adc.range == 1)
    os << "full";
  else
    os << number(mvm.adc.range);
  os << ")\n";
  os << indent << "exact column sums need " << mvm.exactAdcBits
     << " bits (ADC drops " << mvm.adcDropBits << ")\n";
  os << indent << "one MVM: " << q(mvm.mvmLatency, Dimension::Time) << ", "
     << q(mvm.mvmEnergy, Dimension::Energy) << "; unit area "
     << q(mvm.area, Dimension::Area) << '\n';

  label(os, "device") << technologyName(dev.technology);
  if (isResistive(dev.technology))
    os << ", g " << q(dev.gMin, Dimension::Conductance) << " .. "
       << q(dev.gMax, Dimension::Conductance) << " (on/off "
       << number(dev.onOffRatio) << ")";
  os << ", " << dev.levels << " levels\n";
  os << indent << "noise: programming "
     << noiseModelName(dev.programmingNoise.model) << ", read "
     << noiseModelName(dev.readNoise.model) << ", drift "
     << (dev.drift.enabled ? "on" : "none") << "; stuck-at "
     << number(dev.stuckAtOn) << " on / " << number(dev.stuckAtOff) << " off\n";

  label(os, "memory") << (arch.memory.kind.empty() ? "off-chip"
                                                   : arch.memory.kind)
                      << ": " << q(double(arch.memory.size), Dimension::Size)
                      << ", " << q(arch.memory.bandwidth, Dimension::Bandwidth)
                      << ", " << q(arch.memory.latency, Dimension::Time)
                      << ", " << q(arch.memory.energyPerBit, Dimension::Energy)
                      << "/bit\n";

  label(os, "totals") << bigCount(t.mvmUnits) << " MVM units, "
                      << bigCount(t.crossbars) << " crossbars, "
                      << bigCount(t.weights) << " weights per chip\n";
  os << indent << "area " << q(t.chipArea, Dimension::Area) << ", leakage "
     << q(t.chipLeakage, Dimension::Power) << ", peak "
     << format("%.4g", t.peakOpsPerSecond / 1e12) << " TOPS (MVM, "
     << mvm.weightBits << "-bit x " << mvm.inputBits << "-bit)\n";
}
