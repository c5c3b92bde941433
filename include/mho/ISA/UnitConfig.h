//===- UnitConfig.h - Chip parameters a program image carries -------------===//
//
// The unit configuration of docs/ISA.md §4-§5: every chip parameter an
// instruction's meaning depends on, copied by the compiler from the
// architecture file into the program image.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_UNITCONFIG_H
#define MHO_ISA_UNITCONFIG_H

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/Opcode.h"

#include "llvm/Support/Error.h"

#include <cstdint>

namespace mho::isa {

struct UnitConfig {
  // MVM units (§4).
  uint16_t rows = 0;          ///< Crossbar rows (largest block R).
  uint16_t cols = 0;          ///< Crossbar columns (largest block C).
  uint8_t weightBits = 8;     ///< W, 2..16.
  uint8_t cellBits = 1;       ///< b, bits per cell, 1..8.
  uint8_t slices = 8;         ///< S; S*b covers W (offset) or W-1 bits.
  WeightEncoding encoding = WeightEncoding::Offset;
  uint8_t inputBits = 8;      ///< I, 1..8.
  uint8_t dacBits = 1;        ///< d, 1..I.
  uint8_t planes = 8;         ///< P = ceil(I / d).
  uint8_t adcBits = 8;        ///< A, 1..29.
  uint8_t adcShift = 0;       ///< k, LSBs the ADC drops.
  uint8_t accBits = 32;       ///< Shift-and-add accumulator width, 2..62.
  uint8_t mvmUnits = 1;       ///< MVM units per core.
  // Memories and topology (§1).
  uint32_t spadBytes = 0;     ///< Scratchpad bytes per core.
  uint32_t tbufBytes = 0;     ///< Tile-buffer bytes per tile.
  uint64_t dramBytes = 0;     ///< Off-chip bytes (< 2^48).
  uint16_t chips = 1;
  uint16_t tiles = 1;         ///< Per chip.
  uint16_t cores = 1;         ///< Per tile.

  /// Polarities per slice: 1 (offset) or 2 (differential).
  unsigned getPolarities() const {
    return encoding == WeightEncoding::Differential ? 2 : 1;
  }
  /// Crossbar reads per input vector: S * polarities * P.
  unsigned getReadsPerVector() const {
    return unsigned(slices) * getPolarities() * planes;
  }
  /// Largest shift of a shift-and-add step: k + (S-1)*b + (P-1)*d.
  unsigned getMaxShift() const {
    return adcShift + (slices - 1u) * cellBits + (planes - 1u) * dacBits;
  }
  /// The shift-and-add datapath parameters (codes are A+1-bit signed, the
  /// shift is 5 bits as in hw/rtl/mho_shift_add.sv).
  ShiftAddConfig getShiftAddConfig() const {
    return ShiftAddConfig{adcBits + 1u, ShiftBits, accBits};
  }
  /// Size of a memory space in bytes.
  uint64_t getSpaceBytes(MemorySpace space) const;

  /// Shift width of the shift-and-add datapath; getMaxShift() must fit.
  static constexpr unsigned ShiftBits = 5;

  friend bool operator==(const UnitConfig &a, const UnitConfig &b);
  friend bool operator!=(const UnitConfig &a, const UnitConfig &b) {
    return !(a == b);
  }
};

/// Checks the configuration's ranges and consistency (docs/ISA.md §4): bit
/// widths in range, P = ceil(I/d), S*b covers the weight magnitude, the
/// largest shift fits the shift-and-add datapath, an ideal column sum
/// rows*(2^d-1)*(2^b-1) fits in i32, nonzero topology. The message names the
/// field.
llvm::Error verifyUnitConfig(const UnitConfig &config);

} // namespace mho::isa

#endif // MHO_ISA_UNITCONFIG_H
