//===- Arithmetic.cpp - Exact integer arithmetic of the mho ISA -----------===//

#include "mho/ISA/Arithmetic.h"

#include <cassert>

using namespace mho::isa;

ShiftAddState mho::isa::shiftAddStep(const ShiftAddConfig &config,
                                     ShiftAddState state, bool valid,
                                     bool clear, bool negate, int64_t code,
                                     unsigned shift) {
  assert(config.accBits >= 2 && config.accBits <= 62 && "accumulator width");
  assert(config.codeBits + (1u << config.shiftBits) <= 62 &&
         "shifted code must fit in 62 bits");
  assert(code >= minSigned(config.codeBits) &&
         code <= maxSigned(config.codeBits) && "code out of range");
  assert(shift < (1u << config.shiftBits) && "shift out of range");

  ShiftAddState next = clear ? ShiftAddState{} : state;
  if (!valid)
    return next;
  int64_t term = static_cast<int64_t>(static_cast<uint64_t>(code) << shift);
  if (negate)
    term = -term;
  int64_t sum = next.acc + term;
  next.acc = saturate(sum, config.accBits);
  next.saturated |= next.acc != sum;
  return next;
}
