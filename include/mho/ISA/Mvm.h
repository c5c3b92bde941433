//===- Mvm.h - Bit-sliced matrix-vector product of an MVM unit ------------===//
//
// docs/ISA.md §4, in pieces the functional engine reuses with noise:
//
//   sliceWeights   weight block -> per (slice, polarity) u8 cell levels
//   encodeInput    i8 input vector -> offset-encoded DAC planes
//   columnSums     one ideal crossbar read (plane x slice)
//   adcConvert     column sum -> ADC code (integer, or real-valued with noise)
//   getReadOrder   the order of reads and the shift of each
//   accumulateRead codes of one read into the per-column shift-and-add
//   correctColumn  the digital offset correction
//
// and mvmIdeal, the noise-free reference that chains them.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_MVM_H
#define MHO_ISA_MVM_H

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/ProgramImage.h"
#include "mho/ISA/UnitConfig.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace mho::isa {

/// A weight block as the crossbars hold it.
struct SlicedWeights {
  unsigned rows = 0;       ///< R
  unsigned cols = 0;       ///< C
  unsigned slices = 0;     ///< S
  unsigned polarities = 0; ///< 1 (offset) or 2 (differential: +, -)
  /// Cell levels in [0, 2^b), laid out [slice][polarity][row][col].
  std::vector<uint8_t> levels;
  /// U_j: per column, sum of u[i][j] (offset) or of w[i][j] (differential).
  std::vector<int64_t> columnWeightSums;
  /// O_w: 2^(W-1) (offset) or 0 (differential).
  int64_t weightOffset = 0;

  /// The R x C levels (row-major) of one slice and polarity (0 = +, 1 = -).
  const uint8_t *getLevels(unsigned slice, unsigned polarity) const {
    return levels.data() +
           (size_t(slice) * polarities + polarity) * size_t(rows) * cols;
  }
};

/// Encodes a block per §4 (offset: u = w + 2^(W-1) split into b-bit slices;
/// differential: slices of max(w, 0) and max(-w, 0)). Fails, naming the
/// element, when verifyWeightBlock does, and for a shape-only (elided) block.
llvm::Expected<SlicedWeights> sliceWeights(const UnitConfig &config,
                                           const WeightBlock &block);

/// An input vector as the DACs see it.
struct InputPlanes {
  unsigned rows = 0;   ///< R
  unsigned planes = 0; ///< P
  /// DAC levels d_p[i] in [0, 2^d), laid out [plane][row].
  std::vector<uint8_t> levels;
  /// X = sum_i x_u[i] (the unit's input adder).
  int64_t inputSum = 0;

  const uint8_t *getPlane(unsigned plane) const {
    return levels.data() + size_t(plane) * rows;
  }
};

/// Saturates each i8 input to I bits, offsets it (x_u = x + 2^(I-1)) and
/// splits it into P planes of d bits. Reuses `out`'s storage.
void encodeInput(const UnitConfig &config, llvm::ArrayRef<int8_t> input,
                 InputPlanes &out);

/// One crossbar read: which slice, polarity and input plane, and where its
/// codes go in the shift-and-add (shift = k + s*b + p*d, negate = polarity -).
struct MvmRead {
  unsigned slice = 0;
  unsigned polarity = 0;
  unsigned plane = 0;
  unsigned shift = 0;
  bool negate = false;
};

/// All S * polarities * P reads in shift-and-add order: slice ascending, then
/// polarity (+ before -), then plane ascending.
std::vector<MvmRead> getReadOrder(const UnitConfig &config);

/// Ideal column sums of one read: out[j] = sum_i plane[i] * levels[i][j] for
/// j < cols (levels row-major, rows x cols).
void columnSums(const uint8_t *plane, const uint8_t *levels, unsigned rows,
                unsigned cols, int32_t *out);

/// ADC conversion of an ideal (integer) column sum:
/// min((a + 2^(k-1)) >> k, 2^A - 1), or min(a, 2^A - 1) for k = 0.
int32_t adcConvert(const UnitConfig &config, int64_t columnSum);

/// ADC conversion of a real-valued (noisy) column sum:
/// clamp(floor(a / 2^k + 1/2), 0, 2^A - 1); NaN converts to 0.
int32_t adcConvertReal(const UnitConfig &config, double columnSum);

/// Adds the codes of one read to the per-column accumulators with
/// shiftAddStep (clearing them first when `first`).
void accumulateRead(const UnitConfig &config, const MvmRead &read, bool first,
                    llvm::ArrayRef<int32_t> codes,
                    llvm::MutableArrayRef<ShiftAddState> acc);

/// The digital correction of one column:
/// sat32(acc - O_w*X - O_x*U_j + R*O_x*O_w).
int32_t correctColumn(const UnitConfig &config, unsigned rows,
                      int64_t weightOffset, int64_t inputSum,
                      int64_t columnWeightSum, int64_t acc);

/// The i32 saturating add of `mvm ... acc` (and of dmm i8 accumulate).
int32_t addSaturate32(int32_t a, int32_t b);
/// addSaturate32 on n columns: the i32 at acc + 4j (any alignment, e.g. a
/// scratchpad address) becomes addSaturate32(it, values[j]). Branch-free, so
/// compilers vectorise it for any x86-64 (a clamp of an i64 sum does not
/// vectorise without SSE4.2).
void addSaturate32(void *acc, const int32_t *values, size_t n);

/// Working storage of mvmIdeal, reused across calls (no allocation once it
/// has grown to the largest shape).
struct MvmScratch {
  InputPlanes input;
  std::vector<int32_t> sums;
  std::vector<int32_t> codes;
  std::vector<ShiftAddState> acc;
  std::vector<MvmRead> order;
};

/// The noise-free product of one input vector (length R) with a sliced block:
/// writes C results to `output`.
void mvmIdeal(const UnitConfig &config, const SlicedWeights &weights,
              llvm::ArrayRef<int8_t> input, llvm::MutableArrayRef<int32_t> output,
              MvmScratch &scratch);

/// Convenience form: slices `block` and returns the C results. Fails if the
/// block does not verify or `input` does not have R elements.
llvm::Expected<std::vector<int32_t>> mvmIdeal(const UnitConfig &config,
                                              const WeightBlock &block,
                                              llvm::ArrayRef<int8_t> input);

/// Whether mvmIdeal equals the exact product sum_i x[i]*w[i][j] for every
/// I-bit input and W-bit weight block with `rows` rows: k = 0, the ADC never
/// clips (2^A - 1 >= rows*(2^d-1)*(2^b-1)) and the shift-and-add accumulator
/// never saturates (docs/ISA.md §4).
bool canBeExact(const UnitConfig &config, unsigned rows);

} // namespace mho::isa

#endif // MHO_ISA_MVM_H
