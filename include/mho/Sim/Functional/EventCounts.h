//===- EventCounts.h - Events an executed program caused, per core -------===//
//
// docs/ISA.md §6: every event that costs time or energy, counted per core and
// per unit kind while the functional engine executes a program. The SystemC
// model and the energy model multiply these counts by the per-event figures of
// the architecture file (docs/Architecture.md, "Energy convention"), so every
// field names its event and its unit.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_FUNCTIONAL_EVENTCOUNTS_H
#define MHO_SIM_FUNCTIONAL_EVENTCOUNTS_H

#include "mho/ISA/Opcode.h"
#include "mho/ISA/ProgramImage.h"

#include "llvm/Support/JSON.h"

#include <array>
#include <cstdint>

namespace mho::sim::functional {

/// The vector unit's operation classes, in the order of the architecture
/// file's `vector_unit.ops` (mho::arch::VectorOp).
enum class VectorClass : uint8_t { Add, Mul, Div, Exp, Rsqrt, Special, Reduce };
constexpr unsigned NumVectorClasses = 7;
llvm::StringRef getName(VectorClass cls);
/// The class one element of a `vec` function costs (docs/FunctionalEngine.md
/// lists the mapping).
VectorClass getVectorClass(isa::VecFn fn);

/// MVM units of one core (all units summed).
struct MvmEvents {
  uint64_t programs = 0;          ///< wprog instructions
  uint64_t cellsProgrammed = 0;   ///< R*C*S (x2 differential) per wprog
  uint64_t weightBytesRead = 0;   ///< weight bytes read from the image's copy
  uint64_t vectors = 0;           ///< input vectors multiplied
  uint64_t macs = 0;              ///< logical multiply-accumulates R*C per vector
  uint64_t dacActivations = 0;    ///< P*R per vector (one row driver, one plane)
  uint64_t crossbarReads = 0;     ///< P*S (x2) per vector (one array, one plane)
  uint64_t adcConversions = 0;    ///< P*S*C (x2) per vector
  uint64_t shiftAddSteps = 0;     ///< one per ADC result accumulated
};

/// Bytes read and written in one memory.
struct MemoryEvents {
  uint64_t readBytes = 0;
  uint64_t writeBytes = 0;
};

/// Traffic between tiles and chips.
struct NetworkEvents {
  uint64_t sends = 0;
  uint64_t recvs = 0;
  uint64_t bytes = 0;        ///< payload bytes sent
  uint64_t byteHops = 0;     ///< bytes x mesh hops on the XY route (on-chip)
  uint64_t chipLinkBytes = 0; ///< bytes sent to a tile of another chip
};

/// The vector unit and the digital matrix unit.
struct VectorEvents {
  std::array<uint64_t, NumVectorClasses> elementOps{}; ///< per VectorClass
  uint64_t dmmMacs = 0;     ///< M*K*N per dmm
  uint64_t gatherBytes = 0; ///< count * row bytes moved by vgather/vscatter

  uint64_t &ops(VectorClass cls) { return elementOps[unsigned(cls)]; }
  uint64_t ops(VectorClass cls) const { return elementOps[unsigned(cls)]; }
};

struct SyncEvents {
  uint64_t barriers = 0;  ///< barrier instructions executed
  uint64_t blockedSwitches = 0; ///< times the core blocked (recv/barrier)
};

/// Everything one core caused.
struct CoreEvents {
  uint64_t instructions = 0; ///< instructions executed, halt included
  std::array<uint64_t, 256> perOpcode{}; ///< by opcode byte
  MvmEvents mvm;
  MemoryEvents spad, tbuf, dram;
  NetworkEvents noc;
  VectorEvents vector;
  SyncEvents sync;

  CoreEvents &operator+=(const CoreEvents &other);
};

/// Events of a whole run: one entry per stream (core), in image order.
struct EventCounts {
  std::vector<isa::CoreAddress> cores;
  std::vector<CoreEvents> perCore;

  CoreEvents total() const;
};

llvm::json::Value toJSON(const CoreEvents &events);
/// {"total": {...}, "cores": [{"chip":0,"tile":0,"core":0, ...}, ...]}
llvm::json::Value toJSON(const EventCounts &events);

} // namespace mho::sim::functional

#endif // MHO_SIM_FUNCTIONAL_EVENTCOUNTS_H
