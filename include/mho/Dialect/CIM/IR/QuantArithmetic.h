//===- QuantArithmetic.h - Exact quantization arithmetic of cim -*- C++ -*-===//
//
// The f32 quantization arithmetic shared by the cim folders, --cim-quantize
// and (through them) the engines, written once with the exact operation order
// of the ISA's `quant`/`dequant` vector functions (docs/ISA.md §3.1). Plain
// C++ (no MLIR), so it can be unit tested and reused anywhere.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_IR_QUANTARITHMETIC_H
#define MHO_DIALECT_CIM_IR_QUANTARITHMETIC_H

#include "mho/ISA/Arithmetic.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace mho::cim::quant {

/// Smallest and largest `bits`-wide two's-complement values.
using mho::isa::maxSigned;
using mho::isa::minSigned;

/// The largest level of a symmetric range, Q = 2^(bits-1) - 1.
inline int64_t symmetricMax(unsigned bits) { return maxSigned(bits); }

/// One IEEE binary32 division 1 / scale (the `quant` immediate).
float reciprocal(float scale);

/// The ISA `quant` function: roundeven(x * reciprocal) computed as one f32
/// product rounded to nearest even, then rounded half to even to an integer,
/// plus `zeroPoint`, saturated to [lo, hi]. NaN (including 0 * inf) gives
/// `zeroPoint`; infinities saturate.
int64_t quantize(float x, float reciprocal, int64_t zeroPoint, int64_t lo,
                 int64_t hi);

/// The scale of a symmetric quantization whose largest magnitude is
/// `maxAbs`: s = maxAbs / f32(Q) (one f32 division), or 1 when that is zero
/// (an all-zero row or column). NaN propagates.
float symmetricScale(float maxAbs, unsigned bits);

/// The ISA `vred max` of |x| over a row, left to right:
/// m = |x[0]|, m = (m > |x[i]|) ? m : |x[i]|. An empty row gives 0.
float rowMaxAbs(llvm::ArrayRef<float> row);

/// `cim.quantize_dynamic` on one row: returns the row's scale and writes
/// q[i] = clamp(roundeven(x[i] * f32(1 / s)), -2^(bits-1), 2^(bits-1) - 1)
/// (NaN -> 0) to `out` (same length as `row`).
float quantizeRow(llvm::ArrayRef<float> row, unsigned bits,
                  llvm::MutableArrayRef<int64_t> out);

/// Outcome of `quantizeWeights`.
struct WeightCheck {
  /// Index (row-major) of the first non-finite weight, or -1.
  int64_t firstNonFinite = -1;
};

/// Per-output-channel symmetric quantization of a row-major K x N matrix:
/// for each column n, scale[n] = symmetricScale(max_k |w[k, n]|, bits) and
/// q[k, n] = clamp(roundeven(w[k, n] * f32(1 / scale[n])), -Q, Q) (the
/// symmetric range, representable under both encodings). Stops and reports
/// the first non-finite weight. `q` has K * N entries, `scales` N.
WeightCheck quantizeWeights(llvm::ArrayRef<float> w, int64_t k, int64_t n,
                            unsigned bits, llvm::MutableArrayRef<int64_t> q,
                            llvm::MutableArrayRef<float> scales);

} // namespace mho::cim::quant

#endif // MHO_DIALECT_CIM_IR_QUANTARITHMETIC_H
