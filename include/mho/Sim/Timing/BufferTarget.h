//===- BufferTarget.h - TLM-2.0 model of an on-chip buffer ----------------===//
//
// A loosely-timed TLM-2.0 target for an on-chip memory (a tile's eDRAM/SRAM
// buffer, a core's scratchpad). It stores real bytes, annotates each transaction
// with its access time and counts the events its energy is charged on: one
// access per bus beat, as docs/EnergyModel.md states.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_TIMING_BUFFERTARGET_H
#define MHO_SIM_TIMING_BUFFERTARGET_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <vector>

namespace mho::timing {

/// Geometry and per-event costs of a buffer; the architecture file supplies them.
struct BufferParams {
  uint64_t sizeBytes = 64 * 1024;
  unsigned busBits = 256;        ///< Bytes moved per beat = busBits / 8.
  unsigned accessCycles = 1;     ///< Cycles until the first beat.
  sc_core::sc_time clockPeriod{1, sc_core::SC_NS};
  double readEnergyPj = 0;       ///< Per beat read.
  double writeEnergyPj = 0;      ///< Per beat written.
};

/// Event counts of a buffer since construction.
struct BufferCounters {
  uint64_t reads = 0, writes = 0;           ///< Transactions.
  uint64_t readBeats = 0, writeBeats = 0;   ///< Bus beats (energy events).
  uint64_t errors = 0;                      ///< Rejected transactions.
};

class BufferTarget : public sc_core::sc_module {
public:
  tlm_utils::simple_target_socket<BufferTarget> socket;

  BufferTarget(sc_core::sc_module_name name, const BufferParams &params);

  const BufferParams &params() const { return params_; }
  const BufferCounters &counters() const { return counters_; }
  double energyPj() const;

  /// Time one access of `bytes` bytes occupies the buffer: the access latency,
  /// then one beat per cycle, the first beat overlapping the last latency cycle.
  sc_core::sc_time accessTime(uint64_t bytes) const;

private:
  void bTransport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);

  BufferParams params_;
  BufferCounters counters_;
  std::vector<unsigned char> storage_;
};

} // namespace mho::timing

#endif // MHO_SIM_TIMING_BUFFERTARGET_H
