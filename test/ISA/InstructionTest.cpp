//===- InstructionTest.cpp - Encoding, decoding and checks ----------------===//

#include "mho/ISA/Instruction.h"
#include "mho/ISA/InstructionFormat.h"

#include "ISATestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace mho::isa;
using namespace mho::isa::test;
using ::testing::HasSubstr;

namespace {

using Bytes = Instruction::Bytes;

/// The bytes of an instruction built by hand, per docs/ISA.md §2.
Bytes rawBytes(uint8_t opcode, uint8_t fn, uint8_t type, uint8_t flags,
               std::array<uint32_t, 7> ops) {
  Bytes bytes{};
  bytes[0] = opcode;
  bytes[1] = fn;
  bytes[2] = type;
  bytes[3] = flags;
  for (unsigned i = 0; i < 7; ++i)
    for (unsigned b = 0; b < 4; ++b)
      bytes[4 + 4 * i + b] = static_cast<uint8_t>(ops[i] >> (8 * b));
  return bytes;
}

std::string decodeError(const Bytes &bytes) {
  return failureMessage(Instruction::decode(bytes));
}

TEST(Instruction, IsOneWord) {
  EXPECT_EQ(sizeof(Instruction), 32u);
  EXPECT_EQ(Instruction().encode(), Bytes{});
}

TEST(Instruction, EncodingMatchesTheByteLayout) {
  Instruction mvm = Instruction::mvm(3, 0x100, 0x400, 128, 128, 512,
                                     /*accumulate=*/true);
  EXPECT_EQ(mvm.encode(), rawBytes(0x11, 3, 0, 0x1, {0x100, 0x400, 128, 128, 512, 0, 0}));

  Instruction dma = Instruction::dma(MemorySpace::Dram, MemorySpace::Spad,
                                     0xABCD'1234'5678ull, 0x12'0000'0010ull, 64,
                                     8, 256, 64);
  EXPECT_EQ(dma.encode(), rawBytes(0x20, 0, 0x02, 0,
                                   {0x12345678, 0x10, 0x0012ABCD, 64, 8, 256, 64}));
  DmaOperands ops = dma.getDma();
  EXPECT_EQ(ops.src, 0xABCD'1234'5678ull);
  EXPECT_EQ(ops.dst, 0x12'0000'0010ull);
  EXPECT_EQ(ops.srcSpace, MemorySpace::Dram);

  Instruction quant = Instruction::quant(DataType::I16, 1, 2, 3, 4, 0.5f, -7);
  EXPECT_EQ(quant.encode(),
            rawBytes(0x30, 33, 0x32, 0, {1, 2, 0, 3, 4, 0x3F000000, 0xFFFFFFF9}));

  Instruction bcast = Instruction::vecBinary(VecFn::Add, DataType::F32,
                                             Src2Mode::PerRow, 10, 20, 30, 4, 8);
  EXPECT_EQ(bcast.encode(), rawBytes(0x30, 1, 0x02, 0x2, {10, 20, 30, 4, 8, 0, 0}));

  Instruction send = Instruction::send(MemorySpace::Tbuf, 1, 0x10002, 3, 4, 5);
  EXPECT_EQ(send.encode(), rawBytes(0x03, 0, 0x10, 0, {1, 0x10002, 3, 4, 5, 0, 0}));

  Instruction dispatch = Instruction::vdispatch(0x100, 0x200, 0x10, 8, 4, 2);
  EXPECT_EQ(dispatch.encode(),
            rawBytes(0x23, 0, 0, 0, {0x100, 0x200, 0x10, 8, 4, 2, 0}));
}

TEST(Instruction, TypedViewsReturnTheBuilderOperands) {
  MvmOperands mvm =
      Instruction::mvm(7, 1, 2, 3, 4, 5, false, true).getMvm();
  EXPECT_EQ(mvm.unit, 7);
  EXPECT_EQ(mvm.count, 3u);
  EXPECT_FALSE(mvm.accumulate);
  EXPECT_TRUE(mvm.countIndirect);

  GatherOperands scatter =
      Instruction::vscatter(1, 2, 3, 4, 8, true, false).getGather();
  EXPECT_TRUE(scatter.accumulate);
  EXPECT_FALSE(scatter.countIndirect);
  EXPECT_FALSE(Instruction::vgather(1, 2, 3, 4, 8, true).getGather().accumulate);

  DmmOperands dmm =
      Instruction::dmm(DataType::I8, 1, 2, 3, 4, 5, 6, true, false).getDmm();
  EXPECT_EQ(dmm.type, DataType::I8);
  EXPECT_TRUE(dmm.transposeB);
  EXPECT_EQ(dmm.n, 6u);

  VecOperands dq = Instruction::dequant(1, 2, 0.25f, 3, 4, Src2Mode::PerCol, 9)
                       .getVec();
  EXPECT_EQ(dq.fn, VecFn::Dequant);
  EXPECT_EQ(dq.mode, Src2Mode::PerCol);
  EXPECT_EQ(dq.src2, 9u);
  EXPECT_EQ(bitsToFloat(dq.imm0), 0.25f);

  VdispatchOperands dispatch =
      Instruction::vdispatch(1, 2, 3, 4, 5, 6).getVdispatch();
  EXPECT_EQ(dispatch.dstLists, 1u);
  EXPECT_EQ(dispatch.dstCounts, 2u);
  EXPECT_EQ(dispatch.src, 3u);
  EXPECT_EQ(dispatch.entries, 4u);
  EXPECT_EQ(dispatch.experts, 5u);
  EXPECT_EQ(dispatch.capacity, 6u);

  VtopkOperands topk = Instruction::vtopk(1, 2, 3, 4, 5, 2).getVtopk();
  EXPECT_EQ(topk.k, 2u);
  VredOperands vred =
      Instruction::vred(ReduceKind::Max, DataType::I32, 1, 2, 3, 4).getVred();
  EXPECT_EQ(vred.kind, ReduceKind::Max);
  EXPECT_EQ(vred.cols, 4u);
}

TEST(Instruction, RandomRoundTripOfEveryOpcode) {
  std::mt19937_64 rng(1234);
  for (Opcode opcode : AllOpcodes) {
    for (int trial = 0; trial < 500; ++trial) {
      Instruction inst = randomInstruction(opcode, rng);
      ASSERT_EQ(errorMessage(inst.verify()), "") << getName(opcode).str();
      Bytes bytes = inst.encode();
      EXPECT_EQ(bytes[0], static_cast<uint8_t>(opcode));
      Instruction back = takeValue(Instruction::decode(bytes));
      EXPECT_EQ(back, inst) << getName(opcode).str();
      EXPECT_EQ(back.encode(), bytes);
    }
  }
}

TEST(Instruction, DecodeNeedsExactlyOneWord) {
  Bytes bytes = Instruction::halt().encode();
  EXPECT_THAT(failureMessage(Instruction::decode(
                  llvm::ArrayRef<uint8_t>(bytes).take_front(31))),
              HasSubstr("32 bytes, got 31"));
}

TEST(Instruction, DecodeRejectsUnknownOpcodes) {
  for (unsigned code = 0; code < 256; ++code) {
    bool known = isValidOpcode(static_cast<uint8_t>(code));
    Bytes bytes = rawBytes(static_cast<uint8_t>(code), 0, 0, 0, {});
    std::string message = errorMessage(
        Instruction::decode(bytes).takeError());
    if (!known)
      EXPECT_EQ(message, "unknown opcode " + [&] {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "0x%x", code);
        return std::string(buf);
      }());
    else
      EXPECT_THAT(message, ::testing::Not(HasSubstr("unknown opcode")));
  }
}

struct DecodeErrorCase {
  const char *what;
  Bytes bytes;
  const char *message;
};

TEST(Instruction, DecodeNamesEachBrokenRule) {
  const DecodeErrorCase cases[] = {
      {"unknown vec function", rawBytes(0x30, 18, 0x02, 0, {}),
       "vec: unknown function 18"},
      {"unknown reduction", rawBytes(0x31, 3, 0x02, 0, {0, 0, 0, 1, 1}),
       "vred: unknown reduction 3"},
      {"fn of an opcode without one", rawBytes(0x20, 1, 0, 0, {}),
       "dma: fn byte is 0x1 (must be 0)"},
      {"type of mvm", rawBytes(0x11, 0, 0x01, 0, {}),
       "mvm: type bits 0-3 are 0x1 (must be 0)"},
      {"type.lo of send", rawBytes(0x03, 0, 0x01, 0, {}),
       "send: type bits 0-3 are 0x1 (must be 0)"},
      {"type.hi of recv", rawBytes(0x04, 0, 0x10, 0, {}),
       "recv: type bits 4-7 are 0x1 (must be 0)"},
      {"reserved mvm flag", rawBytes(0x11, 0, 0, 0x04, {}),
       "mvm: reserved flag bits 0x4 are set"},
      {"vgather accumulate flag", rawBytes(0x21, 0, 0, 0x01, {}),
       "vgather: reserved flag bits 0x1 are set"},
      {"unused operand", rawBytes(0x11, 0, 0, 0, {0, 0, 0, 0, 0, 9, 0}),
       "mvm: unused operand a5 is 0x9 (must be 0)"},
      {"halt operand", rawBytes(0x01, 0, 0, 0, {0, 0, 0, 0, 0, 0, 1}),
       "halt: unused operand a6 is 0x1 (must be 0)"},
      {"vred a2", rawBytes(0x31, 0, 0x02, 0, {0, 0, 5, 1, 1}),
       "vred.sum: unused operand a2 is 0x5 (must be 0)"},
      {"unary vec with src2 mode", rawBytes(0x30, 9, 0x02, 0x1, {}),
       "vec.exp: reserved flag bits 0x1 are set"},
      {"unary vec with src2", rawBytes(0x30, 9, 0x02, 0, {0, 0, 4}),
       "vec.exp: unused operand a2 is 0x4 (must be 0)"},
      {"binary vec src2 with imm mode", rawBytes(0x30, 1, 0x02, 0, {0, 0, 4}),
       "vec.add: unused operand a2 is 0x4 (must be 0)"},
      {"binary vec imm with src2 mode",
       rawBytes(0x30, 1, 0x02, 0x1, {0, 0, 4, 0, 0, 0x3F800000}),
       "vec.add: unused operand a5 is 0x3f800000 (must be 0)"},
      {"exp on i32", rawBytes(0x30, 9, 0x01, 0, {}),
       "vec.exp: type i32 is not legal (f32)"},
      {"div on i32", rawBytes(0x30, 4, 0x01, 0, {}),
       "vec.div: type i32 is not legal (f32)"},
      {"add on reserved bf16", rawBytes(0x30, 1, 0x04, 0, {}),
       "vec.add: type bf16 is not legal (f32, i32)"},
      {"add on an unknown type", rawBytes(0x30, 1, 0x09, 0, {}),
       "vec.add: type code 9 is not legal (f32, i32)"},
      {"to of a non-conversion", rawBytes(0x30, 1, 0x22, 0, {}),
       "vec.add: type bits 4-7 are 0x2 (must be 0)"},
      {"cvt f32 to f32", rawBytes(0x30, 32, 0x22, 0, {}),
       "vec.cvt: to f32 is not legal (i32)"},
      {"cvt from i8", rawBytes(0x30, 32, 0x20, 0, {}),
       "vec.cvt: type i8 is not legal (i32, f32)"},
      {"quant to f32", rawBytes(0x30, 33, 0x22, 0, {}),
       "vec.quant: to f32 is not legal (i8, i16)"},
      {"quant from i32", rawBytes(0x30, 33, 0x01, 0, {}),
       "vec.quant: type i32 is not legal (f32)"},
      {"dequant from f32", rawBytes(0x30, 34, 0x22, 0, {}),
       "vec.dequant: type f32 is not legal (i32)"},
      {"dequant imm1", rawBytes(0x30, 34, 0x21, 0, {0, 0, 0, 0, 0, 0, 1}),
       "vec.dequant: unused operand a6 is 0x1 (must be 0)"},
      {"barrier of nobody", rawBytes(0x02, 0, 0, 0, {5, 0}),
       "barrier: count must be at least 1"},
      {"send from space 3", rawBytes(0x03, 0, 0x30, 0, {}),
       "send: src_space 3 is not a memory space"},
      {"dma to space 7", rawBytes(0x20, 0, 0x70, 0, {}),
       "dma: dst_space 7 is not a memory space"},
      {"f32 scatter of odd rows", rawBytes(0x22, 0, 0, 0x1, {0, 0, 0, 1, 6}),
       "vscatter: row_bytes 6 must be a multiple of 4"},
      {"vtopk k > cols", rawBytes(0x32, 0, 0, 0, {0, 0, 0, 1, 4, 5}),
       "vtopk: k 5 is larger than cols 4"},
      {"vdispatch of no entries", rawBytes(0x23, 0, 0, 0, {0, 0, 0, 0, 4, 2}),
       "vdispatch: entries must be at least 1"},
      {"vdispatch to no experts", rawBytes(0x23, 0, 0, 0, {0, 0, 0, 8, 0, 2}),
       "vdispatch: experts must be at least 1"},
      {"vdispatch of no capacity", rawBytes(0x23, 0, 0, 0, {0, 0, 0, 8, 4, 0}),
       "vdispatch: capacity must be at least 1"},
      {"vdispatch of too many entries",
       rawBytes(0x23, 0, 0, 0, {0, 0, 0, 0x80000000, 4, 2}),
       "vdispatch: entries does not fit an i32 index"},
      {"vdispatch a6", rawBytes(0x23, 0, 0, 0, {0, 0, 0, 8, 4, 2, 3}),
       "vdispatch: unused operand a6 is 0x3 (must be 0)"},
      {"vdispatch flags", rawBytes(0x23, 0, 0, 0x2, {0, 0, 0, 8, 4, 2}),
       "vdispatch: reserved flag bits 0x2 are set"},
      {"vdispatch fn", rawBytes(0x23, 1, 0, 0, {0, 0, 0, 8, 4, 2}),
       "vdispatch: fn byte is 0x1 (must be 0)"},
      {"vdispatch type", rawBytes(0x23, 0, 0x01, 0, {0, 0, 0, 8, 4, 2}),
       "vdispatch: type bits 0-3 are 0x1 (must be 0)"},
      {"vred of no columns", rawBytes(0x31, 0, 0x02, 0, {0, 0, 0, 1, 0}),
       "vred.sum: cols must be at least 1"},
      {"vred on i8", rawBytes(0x31, 0, 0x00, 0, {0, 0, 0, 1, 1}),
       "vred.sum: type i8 is not legal (f32, i32)"},
      {"dmm on i32", rawBytes(0x33, 0, 0x01, 0, {}),
       "dmm: type i32 is not legal (f32, i8)"},
  };
  for (const DecodeErrorCase &c : cases)
    EXPECT_THAT(decodeError(c.bytes), ::testing::StartsWith(c.message))
        << c.what;
}

TEST(Instruction, BuildersDoNotValidateButVerifyDoes) {
  Instruction bad = Instruction::vecUnary(VecFn::Exp, DataType::I32, 0, 0, 1, 1);
  EXPECT_EQ(errorMessage(bad.verify()),
            "vec.exp: type i32 is not legal (f32)");
  EXPECT_EQ(errorMessage(Instruction::vecBinaryImmI32(VecFn::Add, 0, 0, -5, 1, 1)
                             .verify()),
            "");
}

TEST(InstructionFormat, EveryOpcodeHasAFormatWithUniqueFieldNames) {
  for (Opcode opcode : AllOpcodes) {
    const InstructionFormat &format = getFormat(opcode);
    EXPECT_EQ(format.opcode, opcode);
    EXPECT_EQ(format.mnemonic, getName(opcode));
    for (size_t i = 0; i < format.fields.size(); ++i)
      for (size_t j = i + 1; j < format.fields.size(); ++j)
        EXPECT_NE(format.fields[i].name, format.fields[j].name)
            << format.mnemonic.str();
  }
}

TEST(InstructionFormat, FieldValuesReadAndWriteTheirSlots) {
  Instruction dma = Instruction::dma(MemorySpace::Spad, MemorySpace::Tbuf, 0,
                                     0, 1, 1, 1, 1);
  const InstructionFormat &format = getFormat(Opcode::Dma);
  setFieldValue(dma, format.fields[2], 0xFFFF'0000'0001ull); // src
  setFieldValue(dma, format.fields[3], 0x8000'0000'0002ull); // dst
  EXPECT_EQ(dma.getDma().src, 0xFFFF'0000'0001ull);
  EXPECT_EQ(dma.getDma().dst, 0x8000'0000'0002ull);
  EXPECT_EQ(dma.getOperand(2), 0x8000FFFFu);
  EXPECT_EQ(getFieldMax(format.fields[2]), (uint64_t{1} << 48) - 1);
}

TEST(Opcode, NamesRoundTrip) {
  for (Opcode opcode : AllOpcodes)
    EXPECT_EQ(parseOpcode(getName(opcode)), opcode);
  for (VecFn fn : AllVecFns)
    EXPECT_EQ(parseVecFn(getName(fn)), fn);
  for (unsigned code = 0; code < 6; ++code)
    EXPECT_EQ(parseDataType(getName(static_cast<DataType>(code))),
              static_cast<DataType>(code));
  EXPECT_EQ(parseMemorySpace("tbuf"), MemorySpace::Tbuf);
  EXPECT_EQ(parseReduceKind("min"), ReduceKind::Min);
  EXPECT_EQ(parseSrc2Mode("col"), Src2Mode::PerCol);
  EXPECT_EQ(parseWeightEncoding("differential"), WeightEncoding::Differential);
  EXPECT_EQ(parseOpcode("bogus"), std::nullopt);
  EXPECT_EQ(getArity(VecFn::Dequant), 2u);
  EXPECT_EQ(getArity(VecFn::Gelu), 1u);
  EXPECT_EQ(getByteSize(DataType::I16), 2u);
}

} // namespace
