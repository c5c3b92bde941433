//===- VectorOpsTest.cpp - Block semantics of the vector unit -------------===//

#include "mho/ISA/VectorOps.h"

#include "mho/ISA/ScalarOps.h"

#include "ISATestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace mho::isa;
using namespace mho::isa::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

/// A scratchpad with typed access at byte addresses.
struct Spad {
  explicit Spad(size_t size) : bytes(size, 0xEE) {}
  template <typename T> void put(uint32_t address, std::vector<T> values) {
    std::memcpy(bytes.data() + address, values.data(), values.size() * sizeof(T));
  }
  template <typename T> std::vector<T> get(uint32_t address, size_t count) {
    std::vector<T> values(count);
    std::memcpy(values.data(), bytes.data() + address, count * sizeof(T));
    return values;
  }
  std::vector<uint8_t> bytes;
};

TEST(VectorOps, BinaryModesReadTheSecondOperandAsDocumented) {
  std::vector<float> a = {1, 2, 3, 4, 5, 6}; // 2 x 3
  std::vector<float> out(6);
  vecBinaryF32(VecFn::Add, Src2Mode::Elem, a, {10, 20, 30, 40, 50, 60}, 0, 2,
               3, out);
  EXPECT_THAT(out, ElementsAre(11, 22, 33, 44, 55, 66));
  vecBinaryF32(VecFn::Sub, Src2Mode::PerRow, a, {1, 2}, 0, 2, 3, out);
  EXPECT_THAT(out, ElementsAre(0, 1, 2, 2, 3, 4));
  vecBinaryF32(VecFn::Mul, Src2Mode::PerCol, a, {1, 10, 100}, 0, 2, 3, out);
  EXPECT_THAT(out, ElementsAre(1, 20, 300, 4, 50, 600));
  vecBinaryF32(VecFn::Div, Src2Mode::Imm, a, {}, 2.0f, 2, 3, out);
  EXPECT_THAT(out, ElementsAre(0.5, 1, 1.5, 2, 2.5, 3));
  std::vector<int32_t> ia = {INT32_MAX, -5, 7};
  std::vector<int32_t> iout(3);
  vecBinaryI32(VecFn::Add, Src2Mode::Imm, ia, {}, 1, 1, 3, iout);
  EXPECT_THAT(iout, ElementsAre(INT32_MAX, -4, 8));
  vecBinaryI32(VecFn::Min, Src2Mode::PerCol, ia, {0, 0, 0}, 0, 1, 3, iout);
  EXPECT_THAT(iout, ElementsAre(0, -5, 0));
}

TEST(VectorOps, ReductionsRunLeftToRight) {
  std::vector<float> dst(2);
  // (1e8 + 1) - 1e8 = 0 in f32 left to right (1 otherwise).
  reduceF32(ReduceKind::Sum, {1e8f, 1.0f, -1e8f, 1.0f, 2.0f, 3.0f}, 2, 3, dst);
  EXPECT_THAT(dst, ElementsAre(0.0f, 6.0f));
  reduceF32(ReduceKind::Max, {1, 5, 3, -1, -7, -2}, 2, 3, dst);
  EXPECT_THAT(dst, ElementsAre(5.0f, -1.0f));
  reduceF32(ReduceKind::Min, {1, 5, 3, -1, -7, -2}, 2, 3, dst);
  EXPECT_THAT(dst, ElementsAre(1.0f, -7.0f));
  std::vector<int32_t> idst(1);
  reduceI32(ReduceKind::Sum, {INT32_MAX, 1, -1}, 1, 3, idst);
  EXPECT_EQ(idst[0], INT32_MAX - 1) << "saturates after every addition";
  reduceI32(ReduceKind::Max, {3, 9, -2}, 1, 3, idst);
  EXPECT_EQ(idst[0], 9);
}

TEST(VectorOps, TopKBreaksTiesToTheLowerIndexAndRanksNaNLast) {
  std::vector<float> values(3);
  std::vector<int32_t> indices(3);
  topK({1, 3, 3, 2}, 1, 4, 2, values, indices);
  EXPECT_THAT(llvm::ArrayRef(values).take_front(2), ElementsAre(3, 3));
  EXPECT_THAT(llvm::ArrayRef(indices).take_front(2), ElementsAre(1, 2));
  float nan = std::nanf("");
  topK({nan, -INFINITY, 0.0f, -0.0f}, 1, 4, 3, values, indices);
  EXPECT_THAT(indices, ElementsAre(2, 3, 1)) << "+0 == -0: lower index first";
  topK({nan, nan, 1.0f}, 1, 3, 3, values, indices);
  EXPECT_THAT(indices, ElementsAre(2, 0, 1));
  std::vector<float> rows(4);
  std::vector<int32_t> rowIndices(4);
  topK({5, 1, 9, 2, 4, 4}, 2, 3, 2, rows, rowIndices);
  EXPECT_THAT(rows, ElementsAre(9, 5, 4, 4));
  EXPECT_THAT(rowIndices, ElementsAre(2, 0, 1, 2));
}

TEST(VectorOps, DmmSumsInAscendingKWithoutFusedMultiplyAdd) {
  std::vector<float> dst(1);
  // s = a0*b0 = 1e8; s + 1 = 1e8; s - 1e8 = 0.
  dmmF32({1e8f, 1.0f, -1e8f}, {1, 1, 1}, 1, 3, 1, false, false, dst);
  EXPECT_EQ(dst[0], 0.0f);
  // A fused a*b + s would keep the low bits of a*b here.
  float x = 1.0f + 0x1p-12f;
  dmmF32({x, -1.0f}, {x, 1.0f + 0x1p-11f}, 1, 2, 1, false, false, dst);
  EXPECT_EQ(dst[0], (x * x) + (-1.0f * (1.0f + 0x1p-11f)));
  EXPECT_EQ(dst[0], 0.0f);
  // Empty sum is +0; accumulate adds to dst.
  dst[0] = -0.0f;
  dmmF32({}, {}, 1, 0, 1, false, true, dst);
  EXPECT_EQ(floatToBits(dst[0]), 0u);

  // 2x3 * 3x2, and the transposed layout of b.
  std::vector<float> a = {1, 2, 3, 4, 5, 6};
  std::vector<float> b = {7, 8, 9, 10, 11, 12};
  std::vector<float> bT = {7, 9, 11, 8, 10, 12};
  std::vector<float> c(4, 100.0f);
  dmmF32(a, b, 2, 3, 2, false, false, c);
  EXPECT_THAT(c, ElementsAre(58, 64, 139, 154));
  dmmF32(a, bT, 2, 3, 2, true, true, c);
  EXPECT_THAT(c, ElementsAre(116, 128, 278, 308));
}

TEST(VectorOps, DmmI8IsExactAndSaturates) {
  std::vector<int8_t> a = {-128, 127, 5};
  std::vector<int8_t> b = {-128, -1, 3};
  std::vector<int32_t> dst(1, 0);
  dmmI8(a, b, 1, 3, 1, false, false, dst);
  EXPECT_EQ(dst[0], 16384 - 127 + 15);
  size_t k = 140000; // 127*127*k > 2^31
  std::vector<int8_t> big(k, 127);
  dmmI8(big, big, 1, k, 1, true, false, dst);
  EXPECT_EQ(dst[0], INT32_MAX);
  dst[0] = INT32_MIN;
  dmmI8(a, b, 1, 3, 1, false, true, dst);
  EXPECT_EQ(dst[0], INT32_MIN + 16272);
}

TEST(VectorOps, ExecuteVecOnAScratchpad) {
  Spad spad(256);
  spad.put<float>(0, {-1.0f, 0.0f, 0.5f, 2.0f});
  // In place: dst aliases src1.
  EXPECT_NO_ERROR(executeVec(
      Instruction::vecUnary(VecFn::Gelu, DataType::F32, 0, 0, 2, 2).getVec(),
      spad.bytes));
  std::vector<float> out = spad.get<float>(0, 4);
  EXPECT_EQ(out[0], geluF32(-1.0f));
  EXPECT_EQ(out[3], geluF32(2.0f));

  // Unaligned addresses are fine.
  spad.put<float>(101, {1.0f, 2.0f});
  spad.put<float>(131, {10.0f});
  EXPECT_NO_ERROR(executeVec(Instruction::vecBinary(VecFn::Add, DataType::F32,
                                                    Src2Mode::PerRow, 121, 101,
                                                    131, 1, 2)
                                 .getVec(),
                             spad.bytes));
  EXPECT_THAT(spad.get<float>(121, 2), ElementsAre(11.0f, 12.0f));

  // quant writes one byte per element, dequant reads i32.
  spad.put<float>(0, {1.5f, -2.5f, 300.0f});
  EXPECT_NO_ERROR(executeVec(
      Instruction::quant(DataType::I8, 200, 0, 1, 3, 1.0f, 0).getVec(),
      spad.bytes));
  EXPECT_THAT(spad.get<int8_t>(200, 4), ElementsAre(2, -2, 127, int8_t(0xEE)));
  // Per-row multipliers (dynamic quantization): row 0 x 2, row 1 x 0.5.
  spad.put<float>(0, {1.25f, -3.0f, 10.0f, -5.0f});
  spad.put<float>(64, {2.0f, 0.5f});
  EXPECT_NO_ERROR(executeVec(Instruction::quant(DataType::I16, 208, 0, 2, 2,
                                                0.0f, 1, Src2Mode::PerRow, 64)
                                 .getVec(),
                             spad.bytes));
  EXPECT_THAT(spad.get<int16_t>(208, 4), ElementsAre(3, -5, 6, -1));
  spad.put<int32_t>(16, {3, -4});
  spad.put<float>(24, {0.5f, 2.0f});
  EXPECT_NO_ERROR(executeVec(Instruction::dequant(32, 16, 0.25f, 1, 2,
                                                  Src2Mode::PerCol, 24)
                                 .getVec(),
                             spad.bytes));
  EXPECT_THAT(spad.get<float>(32, 2), ElementsAre(0.375f, -2.0f));
  // cvt both ways and i32 copy.
  spad.put<float>(40, {2.5f, -7.5f});
  EXPECT_NO_ERROR(executeVec(
      Instruction::cvt(DataType::F32, DataType::I32, 48, 40, 1, 2).getVec(),
      spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(48, 2), ElementsAre(2, -8));
  EXPECT_NO_ERROR(executeVec(
      Instruction::vecUnary(VecFn::Copy, DataType::I32, 56, 48, 1, 2).getVec(),
      spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(56, 2), ElementsAre(2, -8));
  EXPECT_NO_ERROR(executeVec(
      Instruction::cvt(DataType::I32, DataType::F32, 56, 56, 1, 2).getVec(),
      spad.bytes));
  EXPECT_THAT(spad.get<float>(56, 2), ElementsAre(2.0f, -8.0f));
  EXPECT_NO_ERROR(executeVec(
      Instruction::vecBinaryImmI32(VecFn::Mul, 64, 48, -3, 1, 2).getVec(),
      spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(64, 2), ElementsAre(-6, 24));
}

TEST(VectorOps, ExecuteReportsOutOfBoundsOperands) {
  Spad spad(64);
  EXPECT_ERROR_CONTAINS(
      executeVec(
          Instruction::vecUnary(VecFn::Exp, DataType::F32, 0, 60, 1, 2).getVec(),
          spad.bytes),
      "vec.exp: src1 [0x3c, +2 x 4 bytes) is outside the scratchpad (64 "
      "bytes)");
  EXPECT_ERROR_CONTAINS(
      executeVec(Instruction::vecBinary(VecFn::Add, DataType::F32,
                                        Src2Mode::Elem, 0, 0, 40, 2, 4)
                     .getVec(),
                 spad.bytes),
      "vec.add: src2 [0x28, +8 x 4 bytes)");
  EXPECT_ERROR_CONTAINS(
      executeVred(Instruction::vred(ReduceKind::Sum, DataType::F32, 62, 0, 1,
                                    2)
                      .getVred(),
                  spad.bytes),
      "vred.sum: dst [0x3e, +1 x 4 bytes)");
  EXPECT_ERROR_CONTAINS(
      executeVtopk(Instruction::vtopk(0, 60, 0, 1, 4, 2).getVtopk(), spad.bytes),
      "vtopk: dst_indices [0x3c, +2 x 4 bytes)");
  EXPECT_ERROR_CONTAINS(
      executeDmm(Instruction::dmm(DataType::F32, 0, 0, 0, 5, 5, 5).getDmm(),
                 spad.bytes),
      "dmm: a [0x0, +25 x 4 bytes)");
  EXPECT_ERROR_CONTAINS(
      executeVec(Instruction::vecUnary(VecFn::Exp, DataType::F32, 0, 0,
                                       0xFFFFFFFFu, 0xFFFFFFFFu)
                     .getVec(),
                 spad.bytes),
      "is outside the scratchpad");
}

TEST(VectorOps, ExecuteVtopkAndDmm) {
  Spad spad(256);
  spad.put<float>(0, {0.1f, 0.7f, 0.7f, 0.2f});
  EXPECT_NO_ERROR(executeVtopk(Instruction::vtopk(16, 32, 0, 1, 4, 2).getVtopk(),
                               spad.bytes));
  EXPECT_THAT(spad.get<float>(16, 2), ElementsAre(0.7f, 0.7f));
  EXPECT_THAT(spad.get<int32_t>(32, 2), ElementsAre(1, 2));

  spad.put<int8_t>(64, {1, 2, 3, 4});
  spad.put<int8_t>(68, {5, 6, 7, 8});
  spad.put<int32_t>(80, {1, 1, 1, 1});
  EXPECT_NO_ERROR(executeDmm(
      Instruction::dmm(DataType::I8, 80, 64, 68, 2, 2, 2, false, true).getDmm(),
      spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(80, 4), ElementsAre(20, 23, 44, 51));
}

TEST(VectorOps, GatherAndScatterRows) {
  Spad spad(256);
  spad.put<uint8_t>(0, {1, 2, 3, 4, 5, 6}); // three 2-byte rows
  spad.put<int32_t>(16, {2, -1, 0});
  GatherOperands gather = Instruction::vgather(32, 0, 16, 3, 2).getGather();
  EXPECT_NO_ERROR(executeGather(gather, 3, spad.bytes));
  EXPECT_THAT(spad.get<uint8_t>(32, 6), ElementsAre(5, 6, 0, 0, 1, 2));
  spad.put<int32_t>(16, {200, 0, 0});
  EXPECT_ERROR_CONTAINS(executeGather(gather, 3, spad.bytes),
                        "vgather: src row 200 [0x190, +2 x 1 bytes)");

  // Scatter-accumulate in f32, duplicates in index order, negatives skipped.
  spad.put<float>(64, {1.0f, 2.0f, 3.0f});
  spad.put<int32_t>(16, {1, -1, 1});
  spad.put<float>(96, {0.0f, 0.0f});
  GatherOperands scatter =
      Instruction::vscatter(96, 64, 16, 3, 4, /*accumulate=*/true).getGather();
  EXPECT_NO_ERROR(executeScatter(scatter, 3, spad.bytes));
  EXPECT_THAT(spad.get<float>(96, 2), ElementsAre(0.0f, 4.0f));
  GatherOperands copy = Instruction::vscatter(96, 64, 16, 3, 4).getGather();
  EXPECT_NO_ERROR(executeScatter(copy, 3, spad.bytes));
  EXPECT_THAT(spad.get<float>(96, 2), ElementsAre(0.0f, 3.0f)) << "last wins";
}

TEST(VectorOps, DispatchListsEachExpertsEntriesInOrder) {
  Spad spad(256);
  spad.put<int32_t>(0, {2, 0, -1, 2, 0, 3});
  EXPECT_NO_ERROR(executeVdispatch(
      Instruction::vdispatch(64, 128, 0, 6, 4, 3).getVdispatch(), spad.bytes));
  // Ascending entry positions, -1 padding; the -1 entry is skipped and
  // expert 1 receives nothing.
  EXPECT_THAT(spad.get<int32_t>(64, 12),
              ElementsAre(1, 4, -1, -1, -1, -1, 0, 3, -1, 5, -1, -1));
  EXPECT_THAT(spad.get<int32_t>(128, 4), ElementsAre(2, 0, 2, 1));
  EXPECT_THAT(spad.get<uint8_t>(144, 1), ElementsAre(0xEE))
      << "nothing past the counts";
}

TEST(VectorOps, DispatchReadsItsSourceBeforeWriting) {
  Spad spad(256);
  // The lists overwrite the source as it is read unless it is read first.
  spad.put<int32_t>(0, {1, 0, 1, 1});
  EXPECT_NO_ERROR(executeVdispatch(
      Instruction::vdispatch(0, 32, 0, 4, 2, 3).getVdispatch(), spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(0, 6), ElementsAre(1, -1, -1, 0, 2, 3));
  EXPECT_THAT(spad.get<int32_t>(32, 2), ElementsAre(1, 3));

  // So do the counts.
  spad.put<int32_t>(0, {1, 1, 0});
  EXPECT_NO_ERROR(executeVdispatch(
      Instruction::vdispatch(64, 0, 0, 3, 3, 2).getVdispatch(), spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(64, 6), ElementsAre(2, -1, 0, 1, -1, -1));
  EXPECT_THAT(spad.get<int32_t>(0, 3), ElementsAre(1, 2, 0));
}

TEST(VectorOps, DispatchRejectsUnknownExpertsAndOverflowWithoutWriting) {
  Spad spad(256);
  spad.put<int32_t>(0, {0, -3, 4});
  VdispatchOperands ops =
      Instruction::vdispatch(64, 128, 0, 3, 4, 2).getVdispatch();
  EXPECT_ERROR_CONTAINS(executeVdispatch(ops, spad.bytes),
                        "vdispatch: entry 2 names expert 4, outside [0, 4)");
  EXPECT_THAT(spad.get<uint8_t>(64, 1), ElementsAre(0xEE));
  EXPECT_THAT(spad.get<uint8_t>(128, 1), ElementsAre(0xEE));

  spad.put<int32_t>(0, {3, 3, 3});
  EXPECT_ERROR_CONTAINS(executeVdispatch(ops, spad.bytes),
                        "vdispatch: entry 2 overflows expert 3 (capacity 2)");
  EXPECT_THAT(spad.get<uint8_t>(64, 1), ElementsAre(0xEE));

  // Exactly full is fine.
  ops.entries = 2;
  EXPECT_NO_ERROR(executeVdispatch(ops, spad.bytes));
  EXPECT_THAT(spad.get<int32_t>(88, 2), ElementsAre(0, 1));
  EXPECT_THAT(spad.get<int32_t>(140, 1), ElementsAre(2));

  EXPECT_ERROR_CONTAINS(
      executeVdispatch(
          Instruction::vdispatch(64, 250, 0, 2, 4, 2).getVdispatch(),
          spad.bytes),
      "vdispatch: dst_counts [0xfa, +4 x 4 bytes) is outside the scratchpad");
  EXPECT_ERROR_CONTAINS(
      executeVdispatch(
          Instruction::vdispatch(240, 0, 0, 2, 4, 2).getVdispatch(),
          spad.bytes),
      "vdispatch: dst_lists [0xf0, +8 x 4 bytes)");
  EXPECT_ERROR_CONTAINS(
      executeVdispatch(
          Instruction::vdispatch(0, 0, 240, 5, 4, 2).getVdispatch(),
          spad.bytes),
      "vdispatch: src [0xf0, +5 x 4 bytes)");
}

} // namespace
