//===- TestArchitectures.h - Architecture YAML shared by the Arch tests ---===//
//
// A small valid architecture that tests edit one line at a time, and helpers
// to make such an edit and to find the line and column of a text in it, so
// expected diagnostics name exact locations without hard-coding line numbers.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_TEST_ARCH_TESTARCHITECTURES_H
#define MHO_TEST_ARCH_TESTARCHITECTURES_H

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace mho::arch::test {

/// Valid and free of warnings: 4 tiles of 1 core with 2 MVM units of 64 x 64
/// crossbars, 4-bit weights in 2 slices of 2-bit cells, 4-bit inputs through
/// 1-bit DACs, 8-bit ADCs (64 rows x 1 x 3 = 192 needs exactly 8 bits).
inline const char *const kMinimalArchitecture = R"(name: minimal
description: A tiny chip for unit tests.
sources: ["none"]
chip:
  tiles: 4
  mesh: {x: 2, y: 2}
  clock: 1 GHz
  noc:
    flit_bits: 32
    hop_latency_cycles: 1
    energy_per_byte_hop: 1 pJ
    router_area: 0.01 mm2
tile:
  cores: 1
  buffer:
    size: 16 KiB
    width_bits: 128
    latency_cycles: 2
    read_energy: 5 pJ
    write_energy: 6 pJ
    area: 0.02 mm2
core:
  mvm_units: 2
  scratchpad: {size: 2 KiB, width_bits: 64, latency_cycles: 1, read_energy: 1 pJ, write_energy: 1 pJ, area: 0.001 mm2}
  instruction_memory: {size: 4 KiB, read_energy: 1 pJ, area: 0.001 mm2}
  vector_unit:
    lanes: 4
    ops:
      add: {latency_cycles: 1, energy: 0.1 pJ}
      mul: {latency_cycles: 1, energy: 0.2 pJ}
      div: {latency_cycles: 8, energy: 1 pJ}
      exp: {latency_cycles: 4, energy: 0.5 pJ}
      rsqrt: {latency_cycles: 8, energy: 1 pJ}
      special: {latency_cycles: 4, energy: 0.5 pJ}
      reduce: {latency_cycles: 1, energy: 0.1 pJ}
    area: 0.002 mm2
  digital_matrix_unit: {macs_per_cycle: 16, input_bits: 8, energy_per_mac: 0.3 pJ, area: 0.01 mm2}
mvm_unit:
  rows: 64
  cols: 64
  weight_bits: 4
  cell_bits: 2
  signed_encoding: offset
  input_bits: 4
  dac_bits: 1
  adc:
    bits: 8
    count: 2
    columns_per_adc: 64
    energy: 2 pJ
    latency: 1 ns
    area: 0.001 mm2
  crossbar: {energy: 10 pJ, latency: 50 ns, area: 0.00002 mm2}
  dac: {energy: 0.1 pJ, latency: 0 ns, area: 0.0000002 mm2}
  sample_hold: {energy: 0.001 pJ, latency: 0 ns, area: 0.00000004 mm2}
  shift_add: {energy: 0.02 pJ, latency: 1 ns, area: 0.00006 mm2}
  programming: {energy_per_cell: 50 pJ, latency_per_cell: 10 ns}
device:
  technology: rram
  g_max: 100 uS
  on_off_ratio: 100
  levels: 4
  read_voltage: 0.2 V
memory:
  size: 1 GiB
  bandwidth: 10 GB/s
  latency: 50 ns
  energy_per_bit: 10 pJ
)";

/// `text` with its first occurrence of `from` replaced by `to`; fails the
/// test when `from` is absent, so a stale edit cannot pass silently.
inline std::string edit(std::string text, const std::string &from,
                        const std::string &to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in the YAML";
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

/// The 1-based line and column where `needle` first occurs in `text`.
inline std::pair<unsigned, unsigned> locate(const std::string &text,
                                            const std::string &needle) {
  size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "'" << needle << "' not in the YAML";
  unsigned line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < at && i < text.size(); ++i)
    if (text[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  return {line, static_cast<unsigned>(at - lineStart + 1)};
}

} // namespace mho::arch::test

#endif // MHO_TEST_ARCH_TESTARCHITECTURES_H
