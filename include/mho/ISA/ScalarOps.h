//===- ScalarOps.h - One element of each vector-unit function -------------===//
//
// The element functions of docs/ISA.md §3.1-§3.2: every `+ - * /` is one IEEE
// binary32 operation rounded to nearest even, no fused multiply-add (lib/ISA is
// built with -ffp-contract=off), subnormals kept. The special functions are
// the fixed algorithms of §3.2, so every engine and the RTL agree bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_SCALAROPS_H
#define MHO_ISA_SCALAROPS_H

#include "mho/ISA/Opcode.h"

#include <cstdint>

namespace mho::isa {

/// §3.2 special functions.
float expF32(float x);
float tanhF32(float x);
float erfF32(float x);
/// 1 / (1 + exp(-x))
float sigmoidF32(float x);
/// (x * 0.5) * (1 + erf(x * 0x3F3504F3))
float geluF32(float x);
/// x * sigmoid(x)
float siluF32(float x);

/// Rounds to an integral f32, ties to even (independent of the FP
/// environment); NaN and infinities are returned unchanged.
float roundHalfEvenF32(float x);

/// A unary f32 vec function (copy ... silu). `fn` must have arity 1 and be
/// one of functions 0-17.
float applyUnaryF32(VecFn fn, float x);
/// A binary f32 vec function (add sub mul div max min).
float applyBinaryF32(VecFn fn, float x, float y);
/// A binary i32 vec function (add sub mul max min), exact with saturation.
int32_t applyBinaryI32(VecFn fn, int32_t x, int32_t y);

/// cvt i32 -> f32, round to nearest even.
float convertI32ToF32(int32_t x);
/// cvt f32 -> i32, round half to even, saturating, NaN -> 0.
int32_t convertF32ToI32(float x);

/// quant: sat(rne(x * invScale) + zeroPoint) to the range of `to` (I8 or
/// I16); NaN gives sat(zeroPoint).
int32_t quantizeF32(float x, float invScale, int32_t zeroPoint, DataType to);

/// dequant: (f32(acc) * scale), then * factor when `hasFactor`.
float dequantizeI32(int32_t acc, float scale, bool hasFactor, float factor);

} // namespace mho::isa

#endif // MHO_ISA_SCALAROPS_H
