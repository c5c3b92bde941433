//===- Arithmetic.h - Exact integer arithmetic of the mho ISA -------------===//
//
// The arithmetic that the functional engine executes and the RTL implements,
// written once. Every function here is the reference the RTL is checked against
// bit for bit (docs/ISA.md, "Arithmetic").
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_ARITHMETIC_H
#define MHO_ISA_ARITHMETIC_H

#include <cstdint>

namespace mho::isa {

/// Largest and smallest values of a `bits`-wide two's-complement integer.
constexpr int64_t maxSigned(unsigned bits) {
  return static_cast<int64_t>((uint64_t{1} << (bits - 1)) - 1);
}
constexpr int64_t minSigned(unsigned bits) { return -maxSigned(bits) - 1; }

/// Clamps `value` to a `bits`-wide two's-complement integer (1 <= bits <= 63).
constexpr int64_t saturate(int64_t value, unsigned bits) {
  return value > maxSigned(bits)   ? maxSigned(bits)
         : value < minSigned(bits) ? minSigned(bits)
                                   : value;
}

/// Sign-extends the low `bits` bits of `raw`.
constexpr int64_t signExtend(uint64_t raw, unsigned bits) {
  uint64_t sign = uint64_t{1} << (bits - 1);
  uint64_t low = raw & ((sign << 1) - 1);
  return static_cast<int64_t>(low ^ sign) - static_cast<int64_t>(sign);
}

/// One step of an MVM unit's shift-and-add accumulator.
struct ShiftAddState {
  int64_t acc = 0;        ///< accBits-wide two's-complement accumulator.
  bool saturated = false; ///< Sticky: set when a step clamped, reset by clear.
};

/// Parameters of the shift-and-add datapath; the RTL block mho_shift_add has
/// the same three parameters.
struct ShiftAddConfig {
  unsigned codeBits = 10; ///< Width of the signed partial-sum code (InW).
  unsigned shiftBits = 5; ///< Width of the shift amount (ShiftW).
  unsigned accBits = 32;  ///< Width of the accumulator (AccW).
};

/// Applies one accumulator cycle. `code` is a signed codeBits-wide value,
/// `shift` < 2^shiftBits. With `clear` the previous value is discarded first;
/// with `valid` false only `clear` acts. The term code << shift (negated when
/// `negate`) is added at full precision and the sum saturates to accBits.
ShiftAddState shiftAddStep(const ShiftAddConfig &config, ShiftAddState state,
                           bool valid, bool clear, bool negate, int64_t code,
                           unsigned shift);

} // namespace mho::isa

#endif // MHO_ISA_ARITHMETIC_H
