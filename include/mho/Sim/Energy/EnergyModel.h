//===- EnergyModel.h - Dynamic energy from event counts ---------*- C++ -*-===//
//
// The energy an executed program's events cost on an architecture: every
// component's event count times the architecture file's energy per event
// (docs/Architecture.md, "Energy convention"), per core and in total, so
// every figure breaks down to component x events x energy per event
// (docs/EnergyModel.md). Static (leakage) energy needs the run's duration,
// which the timing model gives; this model leaves it out and says so.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_ENERGY_ENERGYMODEL_H
#define MHO_SIM_ENERGY_ENERGYMODEL_H

#include "mho/Arch/Architecture.h"
#include "mho/Sim/Functional/EventCounts.h"

#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace mho::sim::energy {

/// One component's share: `events` of the component's event (fractional
/// where instances share a logical event, e.g. DACs per logical row) at
/// `perEvent` joules each.
struct ComponentEnergy {
  std::string component; ///< "mvm.adc", "memory", "vector.exp", ...
  std::string event;     ///< what one event is
  double events = 0;
  double perEvent = 0; ///< J
  double joules() const { return events * perEvent; }
};

/// The dynamic energy of one core, or of the whole run.
struct EnergyBreakdown {
  std::vector<ComponentEnergy> components; ///< in a fixed order
  double total() const;
};

struct EnergyReport {
  std::vector<isa::CoreAddress> cores;
  std::vector<EnergyBreakdown> perCore;
  EnergyBreakdown total;
  /// Events counted that this model cannot price from counts alone (e.g.
  /// `dmm` on reprogrammable arrays, whose cost depends on each product's
  /// shape); their energy is not in the totals.
  std::vector<std::string> notModelled;
};

/// The dynamic energy of `events` on `arch`.
EnergyBreakdown computeEnergy(const arch::Architecture &arch,
                              const functional::CoreEvents &events,
                              std::vector<std::string> *notModelled = nullptr);
EnergyReport computeEnergy(const arch::Architecture &arch,
                           const functional::EventCounts &events);

/// One line: the total, the total per row of the first output when `rows`
/// is positive, and the four largest components; then a line per event not
/// modelled.
void printSummary(llvm::raw_ostream &os, const EnergyReport &report,
                  int64_t rows);

/// {"unit": "J", "dynamic": total, "components": [...], "cores": [...],
///  "not_modelled": [...], "static": "..."}
llvm::json::Value toJSON(const EnergyReport &report);

} // namespace mho::sim::energy

#endif // MHO_SIM_ENERGY_ENERGYMODEL_H
