//===- AssemblyTest.cpp - Assembly listing print/parse --------------------===//

#include "mho/ISA/Assembly.h"

#include "ISATestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace mho::isa;
using namespace mho::isa::test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::string listing(const ProgramImage &image,
                    const ListingOptions &options = {}) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printProgram(image, os, options);
  return text;
}

TEST(InstructionAssembly, PrintsReadableLines) {
  EXPECT_EQ(printInstruction(Instruction::mvm(3, 0x100, 0x400, 128, 128, 512,
                                              /*accumulate=*/true)),
            "mvm unit=3 src=0x100 dst=0x400 count=128 src_stride=128 "
            "dst_stride=512 acc");
  EXPECT_EQ(printInstruction(Instruction::mvm(0, 0, 0x40, 0x2000, 64, 256,
                                              false, /*countIndirect=*/true)),
            "mvm unit=0 src=0x0 dst=0x40 count=0x2000 src_stride=64 "
            "dst_stride=256 count_indirect");
  EXPECT_EQ(printInstruction(Instruction::halt()), "halt");
  EXPECT_EQ(printInstruction(Instruction::vecBinary(
                VecFn::Add, DataType::F32, Src2Mode::PerRow, 0, 0x100, 0x200,
                4, 64)),
            "vec.add type=f32 dst=0x0 src1=0x100 src2=0x200 mode=row rows=4 "
            "cols=64");
  EXPECT_EQ(printInstruction(
                Instruction::vecBinaryImm(VecFn::Mul, 0, 0x100, 0.125f, 1, 8)),
            "vec.mul type=f32 dst=0x0 src1=0x100 rows=1 cols=8 imm=0.125");
  EXPECT_EQ(printInstruction(
                Instruction::vecBinaryImmI32(VecFn::Max, 0, 4, -7, 1, 8)),
            "vec.max type=i32 dst=0x0 src1=0x4 rows=1 cols=8 imm=-7");
  EXPECT_EQ(printInstruction(
                Instruction::quant(DataType::I8, 0x10, 0x20, 2, 3, 0.1f, -3)),
            "vec.quant type=f32 to=i8 dst=0x10 src1=0x20 rows=2 cols=3 "
            "inv_scale=0.1 zp=-3");
  EXPECT_EQ(printInstruction(Instruction::quant(DataType::I8, 0x10, 0x20, 2, 3,
                                                0.0f, 0, Src2Mode::PerRow,
                                                0x40)),
            "vec.quant type=f32 to=i8 dst=0x10 src1=0x20 src2=0x40 mode=row "
            "rows=2 cols=3 zp=0");
  EXPECT_EQ(printInstruction(Instruction::dequant(0x10, 0x20, 0.5f, 2, 3,
                                                  Src2Mode::PerCol, 0x30)),
            "vec.dequant type=i32 to=f32 dst=0x10 src1=0x20 src2=0x30 "
            "mode=col rows=2 cols=3 scale=0.5");
  EXPECT_EQ(printInstruction(Instruction::vred(ReduceKind::Max, DataType::F32,
                                               0x10, 0x20, 4, 8)),
            "vred.max type=f32 dst=0x10 src=0x20 rows=4 cols=8");
  EXPECT_EQ(printInstruction(Instruction::dma(MemorySpace::Dram,
                                              MemorySpace::Spad,
                                              0x1'0000'0000ull, 0x40, 64, 2,
                                              128, 64)),
            "dma src_space=dram dst_space=spad src=0x100000000 dst=0x40 "
            "row_bytes=64 rows=2 src_stride=128 dst_stride=64");
  EXPECT_EQ(printInstruction(Instruction::dmm(DataType::I8, 0, 0x100, 0x200,
                                              4, 8, 16, true, true)),
            "dmm type=i8 dst=0x0 a=0x100 b=0x200 m=4 k=8 n=16 trans_b acc");
  EXPECT_EQ(
      printInstruction(Instruction::vdispatch(0x100, 0x200, 0x40, 16, 4, 8)),
      "vdispatch dst_lists=0x100 dst_counts=0x200 src=0x40 entries=16 "
      "experts=4 capacity=8");
  VecOperands nan;
  nan.fn = VecFn::Add;
  nan.imm0 = 0x7FC00001;
  EXPECT_EQ(printInstruction(Instruction::vec(nan)),
            "vec.add type=f32 dst=0x0 src1=0x0 rows=0 cols=0 imm=0x7fc00001");
}

TEST(InstructionAssembly, RandomRoundTripOfEveryOpcode) {
  std::mt19937_64 rng(99);
  for (Opcode opcode : AllOpcodes) {
    for (int trial = 0; trial < 300; ++trial) {
      Instruction inst = randomInstruction(opcode, rng);
      std::string text = printInstruction(inst);
      llvm::Expected<Instruction> back = parseInstruction(text);
      ASSERT_TRUE(static_cast<bool>(back))
          << text << ": " << llvm::toString(back.takeError());
      EXPECT_EQ(*back, inst) << text;
      EXPECT_EQ(printInstruction(*back), text);
    }
  }
}

TEST(InstructionAssembly, ParsesAnyFieldOrderNumbersAndComments) {
  Instruction expected = Instruction::mvm(3, 0x100, 0x400, 128, 128, 512, true);
  EXPECT_EQ(takeValue(parseInstruction(
                "  mvm acc dst_stride=0x200 count=128 src=256 dst=0x400 "
                "src_stride=128 unit=3 ; comment")),
            expected);
  EXPECT_EQ(takeValue(parseInstruction(
                "vec.mul type=f32 dst=0 src1=0 rows=1 cols=1 imm=0x3e000000")),
            Instruction::vecBinaryImm(VecFn::Mul, 0, 0, 0.125f, 1, 1));
  EXPECT_EQ(takeValue(parseInstruction(
                "vec.mul type=f32 dst=0 src1=0 rows=1 cols=1 imm=-inf")),
            Instruction::vecBinaryImm(VecFn::Mul, 0, 0, -INFINITY, 1, 1));
  EXPECT_EQ(takeValue(parseInstruction(
                "vdispatch capacity=2 experts=3 entries=5 src=0x10 "
                "dst_counts=32 dst_lists=0x40")),
            Instruction::vdispatch(0x40, 32, 0x10, 5, 3, 2));
  EXPECT_EQ(takeValue(parseInstruction(
                "vec.add type=f32 dst=0 src1=0 src2=4 mode=elem rows=1 cols=1")),
            Instruction::vecBinary(VecFn::Add, DataType::F32, Src2Mode::Elem, 0,
                                   0, 4, 1, 1));
}

struct ParseErrorCase {
  const char *text;
  const char *message;
};

TEST(InstructionAssembly, ParseErrorsGiveLineColumnAndExpectation) {
  const ParseErrorCase cases[] = {
      {"", "7:1: expected an instruction mnemonic"},
      {"   ; only a comment", "7:1: expected an instruction mnemonic"},
      {"jump x=1", "7:1: unknown mnemonic 'jump'"},
      {"halt.now", "7:1: 'halt' takes no sub-function suffix"},
      {"vec type=f32", "7:1: expected 'vec.<function>'"},
      {"vec.pow type=f32", "7:1: expected 'vec.<function>'"},
      {"vred.avg type=f32", "7:1: expected 'vred.sum', 'vred.max' or "
                            "'vred.min', found 'vred.avg'"},
      {"mvm unit=1 bogus=2", "7:12: unknown field 'bogus' for mvm (fields: "
                             "unit, src, dst, count, src_stride, dst_stride, "
                             "acc, count_indirect)"},
      {"barrier id=1 id=2 count=1", "7:14: field 'id' given twice"},
      {"mvm unit=1 acc=1", "7:12: flag 'acc' takes no value"},
      {"barrier id count=1", "7:9: expected 'id=<value>'"},
      {"barrier id=-1 count=1",
       "7:12: expected an unsigned integer (decimal or 0x hex) up to "
       "0xffffffff for 'id', found '-1'"},
      {"wprog unit=256 block=0",
       "7:12: expected an unsigned integer (decimal or 0x hex) up to 0xff "
       "for 'unit', found '256'"},
      {"barrier id=0x count=1", "7:12: expected an unsigned integer"},
      {"barrier id=1 count=4294967296", "7:20: expected an unsigned integer"},
      {"send src_space=hbm src=0 dst_tile=0 dst=0 bytes=0 tag=0",
       "7:16: expected a memory space (spad, tbuf, dram) for 'src_space', "
       "found 'hbm'"},
      {"vec.add type=f33 dst=0 src1=0 rows=1 cols=1 imm=0",
       "7:14: expected a data type"},
      {"vec.add type=f32 dst=0 src1=0 rows=1 cols=1 imm=one",
       "7:49: expected an f32 (decimal, inf, nan, or 0x hex bits) for 'imm', "
       "found 'one'"},
      {"vec.add type=i32 dst=0 src1=0 rows=1 cols=1 imm=1.5",
       "7:49: expected an i32"},
      {"vec.quant type=f32 to=i8 dst=0 src1=0 rows=1 cols=1 inv_scale=1 "
       "zp=2147483648",
       "7:68: expected an i32"},
      {"vec.add type=f32 dst=0 src1=0 mode=diag rows=1 cols=1",
       "7:36: expected a src2 mode (imm, elem, row, col)"},
      {"barrier id=1", "7:13: missing field 'count' of barrier"},
      {"vec.exp type=f32 dst=0 src1=0 src2=0 rows=1 cols=1",
       "7:31: field 'src2' is not used by vec.exp"},
      {"vec.add type=f32 dst=0 src1=0 rows=1 cols=1",
       "7:44: missing field 'imm' of vec.add"},
      {"vec.add type=f32 dst=0 src1=0 src2=0 mode=row rows=1 cols=1 imm=1",
       "7:61: field 'imm' is not used by vec.add"},
      {"vec.exp type=i32 dst=0 src1=0 rows=1 cols=1",
       "7:1: vec.exp: type i32 is not legal (f32)"},
      {"vtopk dst_values=0 dst_indices=0 src=0 rows=1 cols=2 k=3",
       "7:1: vtopk: k 3 is larger than cols 2"},
      {"vdispatch dst_lists=0 dst_counts=0 src=0 entries=4 experts=2 "
       "capacity=0",
       "7:1: vdispatch: capacity must be at least 1"},
      {"vdispatch dst_lists=0 dst_counts=0 src=0 entries=4 experts=2",
       "7:61: missing field 'capacity' of vdispatch"},
      {"barrier id=\"x\" count=1", "7:12: field 'id' takes no string"},
      {"barrier id=1 count=1 !", "7:22: expected a word, found '!'"},
      {"barrier id=1 count=1!", "7:20: expected an unsigned integer (decimal or 0x hex) up to 0xffffffff for 'count', found '1!'"},
      {"barrier id=1 count=\"1\"x", "7:23: unexpected 'x'"},
      {"barrier id= count=1", "7:12: expected a value after 'id='"},
  };
  for (const ParseErrorCase &c : cases)
    EXPECT_THAT(failureMessage(parseInstruction(c.text, 7)),
                StartsWith(c.message))
        << "input: " << c.text;
}

TEST(ProgramListing, RoundTripsTheSampleImage) {
  ProgramImage image = sampleImage();
  ASSERT_EQ(errorMessage(verifyImage(image)), "");
  std::string text = listing(image);
  llvm::Expected<ProgramImage> back = parseProgram(text);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError())
                                       << "\n" << text;
  EXPECT_TRUE(*back == image) << text;
  EXPECT_EQ(listing(*back), text);
}

TEST(ProgramListing, LooksLikeTheDocumentedSyntax) {
  std::string text = listing(sampleImage());
  EXPECT_THAT(text, StartsWith("; mho program image, ISA v1: 2 streams, 3 "
                               "weight blocks, 3 symbols, 3 dram init "
                               "records\n.unit rows=256 cols=256 "
                               "weight_bits=12 cell_bits=2 slices=6 "
                               "encoding=offset input_bits=8"));
  EXPECT_THAT(text, HasSubstr("\n.weight 0 name=\"layer0.wq\" rows=3 cols=5 "
                              "bits=8\n  .hex 80ff00017f\n  .hex 05fb40c003\n"));
  EXPECT_THAT(text, HasSubstr("\n.weight 1 name=\"layer0.ffn \\\"up\\\"\" "
                              "rows=2 cols=2 bits=12\n  .hex f80007ff\n"
                              "  .hex 03e8ffff\n"));
  EXPECT_THAT(text, HasSubstr(".symbol name=\"logits\\x09\\xc2\\xb5\" "
                              "kind=output type=i8 shape=[1,4,7] space=tbuf "
                              "address=0x40 scale=0.0123 zp=-3\n"));
  EXPECT_THAT(text, HasSubstr(".symbol name=\"eps\" kind=constant type=f32 "
                              "shape=[] space=dram address=0x2000 "
                              "scale=0x7fc00001 zp=0\n"));
  EXPECT_THAT(text, HasSubstr("\n.dram address=0x2000 size=3\n  .hex 010203\n"));
  EXPECT_THAT(text, HasSubstr("\n.dram address=0x3000 size=0\n"));
  EXPECT_THAT(text, HasSubstr("\n.stream chip=0 tile=3 core=1\n  wprog unit=0 "
                              "block=0\n  mvm unit=0 src=0x100"));
}

TEST(ProgramListing, ElidedDataPrintsButDoesNotParse) {
  std::string text = listing(sampleImage(), ListingOptions{true});
  EXPECT_THAT(text, HasSubstr(".weight 0 name=\"layer0.wq\" rows=3 cols=5 "
                              "bits=8 elided\n"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr(".hex")));
  EXPECT_THAT(failureMessage(parseProgram(text, "x.mhoasm")),
              HasSubstr("x.mhoasm:4:49: the weight data was elided"));
}

TEST(ProgramListing, ParseErrorsNameBufferLineAndColumn) {
  std::string unit = listing(ProgramImage{smallConfig(), {}, {}, {}, {}});
  // Line 1 is the comment, line 2 .unit.
  const ParseErrorCase cases[] = {
      {"halt\n", "f:1:1: expected .unit before anything else"},
      {".stream chip=0 tile=0 core=0\n",
       "f:1:1: expected .unit before anything else"},
      {"", "f:1:1: the listing has no .unit directive"},
  };
  for (const ParseErrorCase &c : cases)
    EXPECT_THAT(failureMessage(parseProgram(c.text, "f")),
                StartsWith(c.message))
        << c.text;

  const ParseErrorCase afterUnit[] = {
      {"halt\n", "f:3:1: instruction outside a .stream"},
      {".stream chip=0 tile=0 core=0\n  halt x=1\n",
       "f:4:8: unknown field 'x' for halt"},
      {".stream chip=0 tile=0\n", "f:3:22: missing field 'core' of .stream"},
      {".stream chip=0 tile=0 core=0 chip=1\n",
       "f:3:30: field 'chip' given twice"},
      {".stream chip=0 tile=0 core=70000\n",
       "f:3:28: expected an unsigned integer up to 0xffff for 'core'"},
      {".stream chip=0 tile=9 core=0\n  halt\n",
       "f: stream 0: core (chip 0, tile 9, core 0) is outside the system"},
      {".weight 1 name=\"w\" rows=1 cols=1 bits=8\n  .hex 00\n",
       "f:3:9: expected block index 0 (blocks are listed in order)"},
      {".weight 0 name=w rows=1 cols=1 bits=8\n",
       "f:3:16: expected a quoted string for 'name'"},
      {".weight 0 name=\"w\" rows=2 cols=2 bits=8\n  .hex 0102\n.stream "
       "chip=0 tile=0 core=0\n",
       "f:5:1: weight block 0 has 1 .hex rows, expected 2"},
      {".weight 0 name=\"w\" rows=1 cols=2 bits=8\n  .hex 010\n",
       "f:4:8: expected 2 values of 2 hex digits (4 digits), found 3 digits"},
      {".weight 0 name=\"w\" rows=1 cols=2 bits=8\n  .hex 01g2\n",
       "f:4:10: expected a hex digit, found 'g'"},
      {".weight 0 name=\"w\" rows=1 cols=1 bits=8\n  .hex 01\n  .hex 02\n",
       "f:5:3: .hex outside the data of a .weight or .dram directive"},
      {".weight 0 name=\"w\" rows=2 cols=1 bits=8\n  .hex 01\n",
       "f:5:1: weight block 0 has 1 .hex rows, expected 2"},
      {".weight 0 name=\"w\" rows=1 cols=1 bits=4\n  .hex 7f\n",
       "f: weight block 0: weight block 'w': value 127 at [0][0] does not fit "
       "4 bits"},
      {".dram address=0x10 size=3\n  .hex 01020304\n",
       "f:4:8: more .hex data than the .dram size 3"},
      {".dram address=0x10 size=3\n  .hex 010\n",
       "f:4:8: expected whole bytes"},
      {".symbol name=\"s\" kind=weird type=f32 shape=[1] space=dram "
       "address=0 scale=1 zp=0\n",
       "f:3:23: expected input, output or constant for 'kind'"},
      {".symbol name=\"s\" kind=input type=f32 shape=1x2 space=dram "
       "address=0 scale=1 zp=0\n",
       "f:3:44: expected a shape like [1,128]"},
      {".symbol name=\"s\" kind=input type=f32 shape=[1,x] space=dram "
       "address=0 scale=1 zp=0\n",
       "f:3:44: expected unsigned dimensions in 'shape', found 'x'"},
      {".symbol name=\"s\" kind=input type=f32 shape=[1,2,3,4,5,6,7] "
       "space=dram address=0 scale=1 zp=0\n",
       "f:3:44: a shape has at most 6 dimensions"},
      {".symbol name=\"s\" kind=input type=f32 shape=[4] space=spad "
       "address=0xfffc scale=1 zp=0\n",
       "f: symbol 0: symbol 's': [0xfffc, +16 bytes) is outside spad (65536 "
       "bytes)"},
      {".symbol name=\"unterminated\n", "f:3:14: unterminated string"},
      {".symbol name=\"bad\\q\"\n", "f:3:18: bad escape in string"},
      {".unit rows=1\n", "f:3:1: a second .unit directive"},
      {".frobnicate\n", "f:3:1: unknown directive '.frobnicate'"},
      {".hex 00\n", "f:3:1: .hex outside the data"},
  };
  for (const ParseErrorCase &c : afterUnit)
    EXPECT_THAT(failureMessage(parseProgram(unit + c.text, "f")),
                StartsWith(c.message))
        << c.text;
}

TEST(ProgramListing, UnitErrorsAreChecked) {
  std::string text = listing(ProgramImage{smallConfig(), {}, {}, {}, {}});
  std::string badPlanes = text;
  badPlanes.replace(badPlanes.find("planes=8"), 8, "planes=4");
  EXPECT_THAT(failureMessage(parseProgram(badPlanes, "f")),
              StartsWith("f:2:1: unit configuration: planes is 4, must be "
                         "ceil(input_bits / dac_bits) = 8"));
  std::string badEncoding = text;
  badEncoding.replace(badEncoding.find("encoding=offset"), 15,
                      "encoding=signed");
  EXPECT_THAT(failureMessage(parseProgram(badEncoding, "f")),
              HasSubstr("expected 'offset' or 'differential' for 'encoding'"));
  std::string missing = text;
  missing.replace(missing.find(" chips=1"), 8, "");
  EXPECT_THAT(failureMessage(parseProgram(missing, "f")),
              HasSubstr("missing field 'chips' of .unit"));
}

} // namespace

namespace {

// The example of docs/ISA.md §7, verbatim.
const char *const DocumentedListing = R"(; mho program image, ISA v1: 1 streams, 1 weight blocks, 1 symbols, 1 dram init records
.unit rows=256 cols=256 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x10000 tbuf_bytes=0x100000 dram_bytes=0x100000000 chips=1 tiles=4 cores=2

.weight 0 name="layer0.wq" rows=2 cols=3 bits=8
  .hex 80ff00
  .hex 017f05

.symbol name="input_ids" kind=input type=i32 shape=[1,128] space=dram address=0x1000 scale=1 zp=0

.dram address=0x2000 size=3
  .hex 010203

.stream chip=0 tile=3 core=1
  wprog unit=0 block=0
  mvm unit=0 src=0x100 dst=0x400 count=4 src_stride=2 dst_stride=12
  halt
)";

TEST(ProgramListing, TheDocumentedExampleParsesAndPrintsBack) {
  ProgramImage image = takeValue(parseProgram(DocumentedListing));
  ASSERT_EQ(image.weights.size(), 1u);
  EXPECT_THAT(image.weights[0].values, ::testing::ElementsAre(-128, -1, 0, 1, 127, 5));
  EXPECT_EQ(image.symbols[0].dims[1], 128u);
  EXPECT_EQ(image.streams[0].instructions[1],
            Instruction::mvm(0, 0x100, 0x400, 4, 2, 12));
  // The example has one stream; the comment line says what printProgram says.
  std::string text;
  llvm::raw_string_ostream os(text);
  printProgram(image, os);
  EXPECT_THAT(text, HasSubstr(".weight 0 name=\"layer0.wq\" rows=2 cols=3 "
                              "bits=8\n  .hex 80ff00\n  .hex 017f05\n"));
}

} // namespace
