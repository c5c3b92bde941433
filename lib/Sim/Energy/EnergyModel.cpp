//===- EnergyModel.cpp - Dynamic energy from event counts -----------------===//
//
// docs/EnergyModel.md states the mapping from counted events to the
// architecture file's per-event energies. Where an MVM unit's parts come in
// instances other than one per logical event (DACs per logical row,
// sample-and-holds per converted column), the count is scaled by the
// instances per logical event, so that a full-block MVM of one vector costs
// exactly the architecture's own `mvmEnergy`.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Energy/EnergyModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mho;
using namespace mho::sim;
using namespace mho::sim::energy;

// The engine counts vector ops in the architecture file's classes and order.
static_assert(functional::NumVectorClasses == arch::kNumVectorOps);
static_assert(
    unsigned(functional::VectorClass::Add) == unsigned(arch::VectorOp::Add) &&
    unsigned(functional::VectorClass::Mul) == unsigned(arch::VectorOp::Mul) &&
    unsigned(functional::VectorClass::Div) == unsigned(arch::VectorOp::Div) &&
    unsigned(functional::VectorClass::Exp) == unsigned(arch::VectorOp::Exp) &&
    unsigned(functional::VectorClass::Rsqrt) ==
        unsigned(arch::VectorOp::Rsqrt) &&
    unsigned(functional::VectorClass::Special) ==
        unsigned(arch::VectorOp::Special) &&
    unsigned(functional::VectorClass::Reduce) ==
        unsigned(arch::VectorOp::Reduce));

double EnergyBreakdown::total() const {
  double sum = 0;
  for (const ComponentEnergy &c : components)
    sum += c.joules();
  return sum;
}

EnergyBreakdown
mho::sim::energy::computeEnergy(const arch::Architecture &arch,
                                const functional::CoreEvents &ev,
                                std::vector<std::string> *notModelled) {
  const arch::MvmUnitSpec &mvm = arch.mvmUnit;
  const arch::CoreSpec &core = arch.core;
  EnergyBreakdown b;
  auto add = [&](std::string component, const char *event, double events,
                 double perEvent) {
    b.components.push_back({std::move(component), event, events, perEvent});
  };
  add("mvm.crossbar", "array read for one input plane",
      double(ev.mvm.crossbarReads), mvm.crossbar.energy);
  add("mvm.dac", "row driver activation for one input plane",
      double(ev.mvm.dacActivations) * mvm.dacsPerRow, mvm.dac.energy);
  add("mvm.sample_hold", "column sample for one input plane",
      double(ev.mvm.adcConversions) * mvm.sampleHoldsPerConversion,
      mvm.sampleHold.energy);
  add("mvm.adc", "conversion", double(ev.mvm.adcConversions), mvm.adc.energy);
  add("mvm.shift_add", "accumulated ADC result", double(ev.mvm.shiftAddSteps),
      mvm.shiftAdd.energy);
  add("mvm.programming", "cell programmed", double(ev.mvm.cellsProgrammed),
      mvm.programming.energyPerCell);
  add("core.instruction_memory", "instruction fetched", double(ev.instructions),
      core.instructionMemory.readEnergy);
  auto beats = [](uint64_t bytes, const arch::BufferSpec &buffer) {
    unsigned width = buffer.bytesPerBeat();
    return width ? double(bytes) / width : 0.0;
  };
  add("core.scratchpad.read", "beat read",
      beats(ev.spad.readBytes, core.scratchpad), core.scratchpad.readEnergy);
  add("core.scratchpad.write", "beat written",
      beats(ev.spad.writeBytes, core.scratchpad), core.scratchpad.writeEnergy);
  add("tile.buffer.read", "beat read",
      beats(ev.tbuf.readBytes, arch.tile.buffer), arch.tile.buffer.readEnergy);
  add("tile.buffer.write", "beat written",
      beats(ev.tbuf.writeBytes, arch.tile.buffer),
      arch.tile.buffer.writeEnergy);
  for (unsigned c = 0; c < functional::NumVectorClasses; ++c) {
    auto op = static_cast<arch::VectorOp>(c);
    add(("vector." + arch::vectorOpName(op)).str(), "element operation",
        double(ev.vector.elementOps[c]), core.vectorUnit.op(op).energy);
  }
  if (core.digitalMatrixUnit.present)
    add("core.digital_matrix_unit", "multiply-accumulate",
        double(ev.vector.dmmMacs), core.digitalMatrixUnit.energyPerMac);
  else if (ev.vector.dmmMacs != 0 && notModelled)
    notModelled->push_back(
        "dmm on reprogrammable arrays (" + std::to_string(ev.vector.dmmMacs) +
        " MACs): the write and read energy depend on each product's shape");
  add("noc", "byte moved one hop", double(ev.noc.byteHops),
      arch.chip.noc.energyPerByteHop);
  add("chip_link", "bit moved", 8.0 * double(ev.noc.chipLinkBytes),
      arch.chip.chipLink.energyPerBit);
  add("memory", "bit transferred",
      8.0 * double(ev.dram.readBytes + ev.dram.writeBytes),
      arch.memory.energyPerBit);
  // `wprog` reads its block from the program image, which lives in the
  // off-chip memory.
  add("memory.weights", "bit of a weight block read for programming",
      8.0 * double(ev.mvm.weightBytesRead), arch.memory.energyPerBit);
  return b;
}

EnergyReport
mho::sim::energy::computeEnergy(const arch::Architecture &arch,
                                const functional::EventCounts &events) {
  EnergyReport report;
  report.cores = events.cores;
  // What is not modelled is reported once, for the whole run.
  for (const functional::CoreEvents &core : events.perCore)
    report.perCore.push_back(computeEnergy(arch, core));
  report.total = computeEnergy(arch, events.total(), &report.notModelled);
  return report;
}

void mho::sim::energy::printSummary(llvm::raw_ostream &os,
                                    const EnergyReport &report, int64_t rows) {
  double total = report.total.total();
  std::vector<const ComponentEnergy *> largest;
  for (const ComponentEnergy &c : report.total.components)
    if (c.joules() > 0)
      largest.push_back(&c);
  llvm::sort(largest, [](const ComponentEnergy *a, const ComponentEnergy *b) {
    return a->joules() > b->joules();
  });
  os << llvm::formatv("energy (dynamic, from event counts): {0:f3} uJ",
                      total * 1e6);
  if (rows > 0)
    os << llvm::formatv(" ({0:f3} uJ per row of output0)",
                        total * 1e6 / double(rows));
  for (size_t i = 0; i < std::min<size_t>(4, largest.size()); ++i)
    os << llvm::formatv("{0} {1} {2:f1} %", i ? "," : ";",
                        largest[i]->component,
                        100 * largest[i]->joules() / total);
  os << "\n";
  for (const std::string &text : report.notModelled)
    os << "energy not modelled: " << text << "\n";
}

static llvm::json::Value toJSON(const EnergyBreakdown &b) {
  llvm::json::Array components;
  for (const ComponentEnergy &c : b.components)
    components.push_back(llvm::json::Object{{"component", c.component},
                                            {"event", c.event},
                                            {"events", c.events},
                                            {"per_event_J", c.perEvent},
                                            {"J", c.joules()}});
  return llvm::json::Object{{"dynamic_J", b.total()},
                            {"components", std::move(components)}};
}

llvm::json::Value mho::sim::energy::toJSON(const EnergyReport &report) {
  llvm::json::Array cores;
  for (size_t i = 0; i < report.perCore.size(); ++i) {
    llvm::json::Object core = *::toJSON(report.perCore[i]).getAsObject();
    core["chip"] = int64_t(report.cores[i].chip);
    core["tile"] = int64_t(report.cores[i].tile);
    core["core"] = int64_t(report.cores[i].core);
    cores.push_back(std::move(core));
  }
  llvm::json::Array notModelled;
  for (const std::string &text : report.notModelled)
    notModelled.push_back(text);
  return llvm::json::Object{
      {"total", ::toJSON(report.total)},
      {"cores", std::move(cores)},
      {"not_modelled", std::move(notModelled)},
      {"static",
       "leakage x run time: not included (the run has no duration without "
       "the timing model)"}};
}
