//===- VectorOps.h - Whole-block semantics of the vector unit -------------===//
//
// vec, vred, vtopk, dmm, vgather, vscatter and vdispatch of docs/ISA.md §3 on
// whole blocks, in two layers:
//
//  * typed block functions on spans (row-major, contiguous), built from the
//    element functions of ScalarOps.h;
//  * execute* functions that run one instruction on a core's scratchpad
//    bytes: bounds-checked, little-endian, unaligned addresses allowed, every
//    source read before the destination is written (so dst may alias a
//    source). The functional engine calls these.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_VECTOROPS_H
#define MHO_ISA_VECTOROPS_H

#include "mho/ISA/Instruction.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace mho::isa {

//===----------------------------------------------------------------------===//
// Typed block functions
//===----------------------------------------------------------------------===//

/// The number of src2 elements a binary vec function reads for a rows x cols
/// block: rows*cols (Elem), rows (PerRow), cols (PerCol), 0 (Imm).
size_t getSrc2Count(Src2Mode mode, size_t rows, size_t cols);

/// dst[r][c] = fn(src1[r][c]) for a unary f32 function (0-17).
void vecUnaryF32(VecFn fn, llvm::ArrayRef<float> src,
                 llvm::MutableArrayRef<float> dst);

/// dst[r][c] = fn(src1[r][c], s2(r, c)) for add sub mul div max min; with
/// mode Imm, s2 = imm and src2 is ignored.
void vecBinaryF32(VecFn fn, Src2Mode mode, llvm::ArrayRef<float> src1,
                  llvm::ArrayRef<float> src2, float imm, size_t rows,
                  size_t cols, llvm::MutableArrayRef<float> dst);
void vecBinaryI32(VecFn fn, Src2Mode mode, llvm::ArrayRef<int32_t> src1,
                  llvm::ArrayRef<int32_t> src2, int32_t imm, size_t rows,
                  size_t cols, llvm::MutableArrayRef<int32_t> dst);

void convertI32ToF32(llvm::ArrayRef<int32_t> src,
                     llvm::MutableArrayRef<float> dst);
void convertF32ToI32(llvm::ArrayRef<float> src,
                     llvm::MutableArrayRef<int32_t> dst);

void quantizeF32(llvm::ArrayRef<float> src, float invScale, int32_t zeroPoint,
                 llvm::MutableArrayRef<int8_t> dst);
void quantizeF32(llvm::ArrayRef<float> src, float invScale, int32_t zeroPoint,
                 llvm::MutableArrayRef<int16_t> dst);

/// dst[r][c] = (f32(acc[r][c]) * scale) * s2(r, c); mode Imm omits s2.
void dequantizeI32(llvm::ArrayRef<int32_t> acc, float scale, Src2Mode mode,
                   llvm::ArrayRef<float> src2, size_t rows, size_t cols,
                   llvm::MutableArrayRef<float> dst);

/// dst[r] = src[r][0] op src[r][1] op ... left to right (cols >= 1). Sum of
/// i32 saturates after every addition; max/min are `x > y ? x : y` /
/// `x < y ? x : y` with x the running value.
void reduceF32(ReduceKind kind, llvm::ArrayRef<float> src, size_t rows,
               size_t cols, llvm::MutableArrayRef<float> dst);
void reduceI32(ReduceKind kind, llvm::ArrayRef<int32_t> src, size_t rows,
               size_t cols, llvm::MutableArrayRef<int32_t> dst);

/// Per row, the k largest values in descending order and their column
/// indices; ties (including -0 == +0) go to the lower index, NaNs rank below
/// every number.
void topK(llvm::ArrayRef<float> src, size_t rows, size_t cols, size_t k,
          llvm::MutableArrayRef<float> values,
          llvm::MutableArrayRef<int32_t> indices);

/// dst[m][n] (+)= sum over k ascending of a[m][k] * b[k][n] (b[n][k] with
/// transposeB). f32: s = a0*b0, s = s + ak*bk for k >= 1 (K = 0 gives +0),
/// accumulate: dst = dst + s. i8: exact sum, saturated to i32, accumulate adds
/// with i32 saturation.
void dmmF32(llvm::ArrayRef<float> a, llvm::ArrayRef<float> b, size_t m,
            size_t k, size_t n, bool transposeB, bool accumulate,
            llvm::MutableArrayRef<float> dst);
void dmmI8(llvm::ArrayRef<int8_t> a, llvm::ArrayRef<int8_t> b, size_t m,
           size_t k, size_t n, bool transposeB, bool accumulate,
           llvm::MutableArrayRef<int32_t> dst);

//===----------------------------------------------------------------------===//
// Instructions on a scratchpad
//===----------------------------------------------------------------------===//

/// Runs a vec instruction (operands as getVec() returns them) on `spad`.
/// Errors name the operand and the out-of-range address.
llvm::Error executeVec(const VecOperands &ops,
                       llvm::MutableArrayRef<uint8_t> spad);
llvm::Error executeVred(const VredOperands &ops,
                        llvm::MutableArrayRef<uint8_t> spad);
llvm::Error executeVtopk(const VtopkOperands &ops,
                         llvm::MutableArrayRef<uint8_t> spad);
llvm::Error executeDmm(const DmmOperands &ops,
                       llvm::MutableArrayRef<uint8_t> spad);

/// vgather with the count already resolved (read from spad when
/// countIndirect): row index[i] of src to row i of dst; index < 0 writes zeros.
llvm::Error executeGather(const GatherOperands &ops, uint32_t count,
                          llvm::MutableArrayRef<uint8_t> spad);
/// vscatter with the count resolved: row i of src to row index[i] of dst
/// (added in f32 with accumulate), i ascending; index < 0 is skipped.
llvm::Error executeScatter(const GatherOperands &ops, uint32_t count,
                           llvm::MutableArrayRef<uint8_t> spad);

/// vdispatch: lists[e][j] = the j-th entry i (ascending) with src[i] == e,
/// padded with -1 to capacity, and counts[e] = how many; src[i] < 0 is
/// skipped. An expert index >= experts or more than capacity entries for one
/// expert is an error, and then nothing is written.
llvm::Error executeVdispatch(const VdispatchOperands &ops,
                             llvm::MutableArrayRef<uint8_t> spad);

} // namespace mho::isa

#endif // MHO_ISA_VECTOROPS_H
