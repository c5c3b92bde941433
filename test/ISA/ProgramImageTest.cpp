//===- ProgramImageTest.cpp - .mhoimg write/read and corruption -----------===//

#include "mho/ISA/ProgramImage.h"

#include "ISATestSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

using namespace mho::isa;
using namespace mho::isa::test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::vector<uint8_t> imageBytes(const ProgramImage &image) {
  std::string text;
  llvm::raw_string_ostream os(text);
  writeImage(image, os);
  os.flush();
  return std::vector<uint8_t>(text.begin(), text.end());
}

llvm::Expected<ProgramImage> readBytes(const std::vector<uint8_t> &bytes) {
  return readImage(llvm::MemoryBufferRef(
      llvm::StringRef(reinterpret_cast<const char *>(bytes.data()),
                      bytes.size()),
      "test.mhoimg"));
}

uint64_t get64(const std::vector<uint8_t> &b, size_t at) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i)
    v |= uint64_t(b[at + i]) << (8 * i);
  return v;
}
uint32_t get32(const std::vector<uint8_t> &b, size_t at) {
  return static_cast<uint32_t>(get64(b, at) & 0xFFFFFFFFu);
}
void put64(std::vector<uint8_t> &b, size_t at, uint64_t v) {
  for (unsigned i = 0; i < 8; ++i)
    b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put32(std::vector<uint8_t> &b, size_t at, uint32_t v) {
  for (unsigned i = 0; i < 4; ++i)
    b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

/// FNV-1a 64 over every byte but the checksum field, written here from
/// docs/ISA.md §5 independently of the library.
uint64_t checksumOf(const std::vector<uint8_t> &bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i >= 152 && i < 160)
      continue;
    hash ^= bytes[i];
    hash *= 1099511628211ull;
  }
  return hash;
}

/// Re-seals a patched image so that the check under test is the one to fail.
void reseal(std::vector<uint8_t> &bytes) {
  put64(bytes, 144, bytes.size());
  put64(bytes, 152, checksumOf(bytes));
}

std::string readError(std::vector<uint8_t> bytes) {
  return failureMessage(readBytes(bytes));
}

TEST(ProgramImage, SampleVerifies) {
  EXPECT_NO_ERROR(verifyImage(sampleImage()));
}

TEST(ProgramImage, WriteReadRoundTrip) {
  ProgramImage image = sampleImage();
  std::vector<uint8_t> bytes = imageBytes(image);
  ProgramImage back = takeValue(readBytes(bytes));
  EXPECT_TRUE(back == image);
  EXPECT_EQ(imageBytes(back), bytes) << "writing is deterministic";
}

TEST(ProgramImage, EmptyImageRoundTrips) {
  ProgramImage image;
  image.config = smallConfig();
  std::vector<uint8_t> bytes = imageBytes(image);
  EXPECT_EQ(bytes.size(), 160u + 8u) << "header + string table (one NUL, padded)";
  EXPECT_TRUE(takeValue(readBytes(bytes)) == image);
}

TEST(ProgramImage, HeaderFollowsTheDocumentedLayout) {
  ProgramImage image = sampleImage();
  std::vector<uint8_t> bytes = imageBytes(image);
  const uint8_t magic[8] = {'M', 'H', 'O', 'I', 'M', 'G', 0, 1};
  EXPECT_EQ(std::memcmp(bytes.data(), magic, 8), 0);
  EXPECT_EQ(get32(bytes, 8), 1u);
  EXPECT_EQ(get32(bytes, 12), 0u);
  // Unit configuration at 16.
  EXPECT_EQ(bytes[16] | bytes[17] << 8, 256);
  EXPECT_EQ(bytes[20], 12) << "weight_bits";
  EXPECT_EQ(bytes[26], 8) << "planes";
  EXPECT_EQ(get32(bytes, 32), 1u << 16) << "spad_bytes";
  EXPECT_EQ(get64(bytes, 40), uint64_t{1} << 32) << "dram_bytes";
  EXPECT_EQ(bytes[50], 4) << "tiles";
  EXPECT_EQ(get32(bytes, 80), 2u);
  EXPECT_EQ(get32(bytes, 84), 3u);
  EXPECT_EQ(get32(bytes, 88), 3u);
  EXPECT_EQ(get32(bytes, 92), 3u);
  for (size_t field = 96; field <= 128; field += 8)
    EXPECT_EQ(get64(bytes, field) % 8, 0u) << "table offset at " << field;
  EXPECT_EQ(get64(bytes, 144), bytes.size());
  EXPECT_EQ(get64(bytes, 152), checksumOf(bytes));

  // The first stream entry points at its instruction words.
  uint64_t streamTable = get64(bytes, 96);
  EXPECT_EQ(streamTable, 160u);
  EXPECT_EQ(bytes[streamTable + 2], 3) << "tile";
  uint64_t code = get64(bytes, streamTable + 8);
  EXPECT_EQ(get64(bytes, streamTable + 16), 8u);
  Instruction::Bytes first = Instruction::wprog(0, 0).encode();
  EXPECT_EQ(std::memcmp(bytes.data() + code, first.data(), 32), 0);

  // The 16-bit block stores two bytes per value.
  uint64_t weightEntry = get64(bytes, 104) + 24;
  uint64_t data = get64(bytes, weightEntry + 8);
  EXPECT_EQ(bytes[weightEntry + 4], 12);
  EXPECT_EQ(bytes[data] | bytes[data + 1] << 8, 0xF800) << "-2048";

  // A dram blob is its u64 length then the bytes.
  uint64_t dramEntry = get64(bytes, 120);
  EXPECT_EQ(get64(bytes, dramEntry), 0x2000u);
  uint64_t blob = get64(bytes, dramEntry + 8);
  EXPECT_EQ(get64(bytes, blob), 3u);
  EXPECT_EQ(bytes[blob + 8 + 2], 3);
}

TEST(ProgramImage, RejectsTruncatedFiles) {
  std::vector<uint8_t> bytes = imageBytes(sampleImage());
  EXPECT_EQ(readError({bytes.begin(), bytes.begin() + 100}),
            "image byte 0x64: file is truncated: 100 bytes, the header alone "
            "is 160");
  EXPECT_THAT(readError({bytes.begin(), bytes.end() - 8}),
              StartsWith("image byte 0x90: header says the file is"));
  EXPECT_THAT(readError({bytes.begin(), bytes.end() - 8}),
              HasSubstr("(truncated)"));
  EXPECT_THAT(readError({}), StartsWith("image byte 0x0: file is truncated"));
}

TEST(ProgramImage, RejectsBadMagicVersionAndFlags) {
  std::vector<uint8_t> bytes = imageBytes(sampleImage());
  std::vector<uint8_t> magic = bytes;
  magic[3] = 'X';
  EXPECT_EQ(readError(magic),
            "image byte 0x0: bad magic (not an mho program image)");
  std::vector<uint8_t> version = bytes;
  put32(version, 8, 2);
  EXPECT_EQ(readError(version), "image byte 0x8: ISA version 2 is not "
                                "supported (this build reads 1)");
  std::vector<uint8_t> flags = bytes;
  put32(flags, 12, 4);
  EXPECT_EQ(readError(flags), "image byte 0xc: flags are 0x4 (must be 0)");
}

TEST(ProgramImage, ChecksumCoversEveryByteButItself) {
  std::vector<uint8_t> bytes = imageBytes(sampleImage());
  // One flipped bit anywhere, header included, is caught.
  for (size_t at : {size_t(20), size_t(200), bytes.size() - 1}) {
    std::vector<uint8_t> flipped = bytes;
    flipped[at] ^= 0x10;
    EXPECT_THAT(readError(flipped),
                StartsWith("image byte 0x98: checksum mismatch (stored"))
        << at;
  }
  std::vector<uint8_t> checksum = bytes;
  checksum[152] ^= 1;
  EXPECT_THAT(readError(checksum), StartsWith("image byte 0x98: checksum"));
}

TEST(ProgramImage, RejectsBadTableOffsets) {
  std::vector<uint8_t> bytes = imageBytes(sampleImage());
  std::vector<uint8_t> outside = bytes;
  put64(outside, 104, bytes.size() - 8);
  reseal(outside);
  EXPECT_THAT(readError(outside),
              StartsWith("image byte 0x68: weight table at"));
  EXPECT_THAT(readError(outside), HasSubstr("(3 x 24 bytes) is not inside"));

  std::vector<uint8_t> misaligned = bytes;
  put64(misaligned, 112, get64(bytes, 112) + 4);
  reseal(misaligned);
  EXPECT_THAT(readError(misaligned),
              StartsWith("image byte 0x70: symbol table offset"));
  EXPECT_THAT(readError(misaligned), HasSubstr("is not 8-byte aligned"));

  std::vector<uint8_t> inHeader = bytes;
  put64(inHeader, 96, 8);
  reseal(inHeader);
  EXPECT_THAT(readError(inHeader), StartsWith("image byte 0x60: stream table"));

  std::vector<uint8_t> huge = bytes;
  put64(huge, 120, ~uint64_t{7});
  reseal(huge);
  EXPECT_THAT(readError(huge), StartsWith("image byte 0x78: dram init table"));

  std::vector<uint8_t> manyStreams = bytes;
  put32(manyStreams, 80, 0x7FFFFFFF);
  reseal(manyStreams);
  EXPECT_THAT(readError(manyStreams), StartsWith("image byte 0x60: stream "
                                                 "table"));

  std::vector<uint8_t> strings = bytes;
  put64(strings, 136, bytes.size());
  reseal(strings);
  EXPECT_THAT(readError(strings), StartsWith("image byte 0x80: string table"));

  // An entry's data offset.
  std::vector<uint8_t> code = bytes;
  put64(code, 160 + 8, bytes.size() + 64);
  reseal(code);
  EXPECT_THAT(readError(code), StartsWith("image byte 0xa8: stream 0 "
                                          "instructions at"));
}

TEST(ProgramImage, RejectsBadUnitConfiguration) {
  std::vector<uint8_t> bytes = imageBytes(sampleImage());
  std::vector<uint8_t> planes = bytes;
  planes[16 + 10] = 3;
  reseal(planes);
  EXPECT_EQ(readError(planes),
            "image byte 0x10: unit configuration: planes is 3, must be "
            "ceil(input_bits / dac_bits) = 8");
  std::vector<uint8_t> encoding = bytes;
  encoding[16 + 7] = 2;
  reseal(encoding);
  EXPECT_THAT(readError(encoding), StartsWith("image byte 0x17: weight "
                                              "encoding 2"));
  std::vector<uint8_t> reserved = bytes;
  reserved[16 + 40] = 1;
  reseal(reserved);
  EXPECT_THAT(readError(reserved),
              StartsWith("image byte 0x38: unit configuration reserved byte "
                         "is 0x1"));
}

TEST(ProgramImage, RejectsBadEntries) {
  ProgramImage image = sampleImage();
  std::vector<uint8_t> bytes = imageBytes(image);
  uint64_t streamTable = get64(bytes, 96);
  uint64_t code = get64(bytes, streamTable + 8);

  std::vector<uint8_t> opcode = bytes;
  opcode[code + 32 * 2] = 0x05;
  reseal(opcode);
  char expected[96];
  std::snprintf(expected, sizeof(expected),
                "image byte 0x%llx: stream 0 instruction 2: unknown opcode 0x5",
                static_cast<unsigned long long>(code + 64));
  EXPECT_EQ(readError(opcode), expected);

  std::vector<uint8_t> unit = bytes;
  unit[code + 1] = 9; // wprog unit 9 of 4
  reseal(unit);
  EXPECT_THAT(readError(unit), HasSubstr("stream 0 instruction 0: wprog: unit "
                                         "9 does not exist (mvm_units 4)"));

  std::vector<uint8_t> core = bytes;
  core[streamTable + 4] = 5;
  reseal(core);
  EXPECT_THAT(readError(core),
              StartsWith("image byte 0xa0: stream 0: core (chip 0, tile 3, "
                         "core 5) is outside the system"));

  std::vector<uint8_t> duplicate = bytes;
  duplicate[streamTable + 24 + 2] = 3;
  duplicate[streamTable + 24 + 4] = 1;
  reseal(duplicate);
  EXPECT_THAT(readError(duplicate),
              StartsWith("image byte 0xb8: stream 1: a stream for this core "
                         "already exists"));

  uint64_t weightTable = get64(bytes, 104);
  std::vector<uint8_t> value = bytes;
  uint64_t wideData = get64(bytes, weightTable + 24 + 8);
  value[wideData + 1] = 0x7F; // 0x7f00 does not fit 12 bits
  reseal(value);
  std::snprintf(expected, sizeof(expected),
                "image byte 0x%llx: weight block 1: value 32512 does not fit "
                "12 bits",
                static_cast<unsigned long long>(wideData));
  EXPECT_EQ(readError(value), expected);

  std::vector<uint8_t> bits = bytes;
  bits[weightTable + 4] = 1;
  reseal(bits);
  EXPECT_THAT(readError(bits), HasSubstr("weight block 0: bits 1 is not in "
                                         "[2, 16]"));

  std::vector<uint8_t> name = bytes;
  put32(name, weightTable + 16, 1u << 20);
  reseal(name);
  EXPECT_THAT(readError(name), HasSubstr("is outside the string table"));

  std::vector<uint8_t> reservedWeight = bytes;
  reservedWeight[weightTable + 6] = 1;
  reseal(reservedWeight);
  EXPECT_THAT(readError(reservedWeight),
              HasSubstr("weight block 0 reserved is 0x1"));

  uint64_t symbolTable = get64(bytes, 112);
  std::vector<uint8_t> rank = bytes;
  rank[symbolTable + 6] = 7;
  reseal(rank);
  EXPECT_THAT(readError(rank), HasSubstr("symbol 0: rank 7 exceeds 6"));
  std::vector<uint8_t> dims = bytes;
  put32(dims, symbolTable + 8 + 4 * 5, 3);
  reseal(dims);
  EXPECT_THAT(readError(dims),
              HasSubstr("symbol 0: dims[5] beyond the rank is 3"));
  std::vector<uint8_t> space = bytes;
  space[symbolTable + 32] = 3;
  reseal(space);
  EXPECT_THAT(readError(space), HasSubstr("symbol 0: space code 3"));
  std::vector<uint8_t> kind = bytes;
  kind[symbolTable + 4] = 3;
  reseal(kind);
  EXPECT_THAT(readError(kind), HasSubstr("symbol 0: kind 3"));

  uint64_t dramTable = get64(bytes, 120);
  std::vector<uint8_t> blob = bytes;
  put64(blob, get64(bytes, dramTable + 8), 1u << 30);
  reseal(blob);
  EXPECT_THAT(readError(blob), HasSubstr("dram init 0 blob data at"));
  std::vector<uint8_t> address = bytes;
  put64(address, dramTable, (uint64_t{1} << 32) - 1);
  reseal(address);
  EXPECT_THAT(readError(address),
              HasSubstr("dram init 0: dram init [0xffffffff, +3 bytes) is "
                        "outside dram"));
}

TEST(ProgramImage, VerifyCatchesConfigurationDependentErrors) {
  ProgramImage image = sampleImage();
  image.streams[0].instructions[0] = Instruction::wprog(0, 3);
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "stream 0 instruction 0: wprog: block 3 does not "
                        "exist (3 blocks)");
  image = sampleImage();
  image.streams[0].instructions.push_back(Instruction::vecUnary(
      VecFn::Exp, DataType::F32, 0xFFF0, 0, 1, 8));
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "vec.exp: dst [0xfff0, +32 bytes) is outside spad "
                        "(65536 bytes)");
  // vdispatch: entries i32 sources, experts x capacity i32 lists, experts
  // i32 counts.
  image = sampleImage();
  image.streams[0].instructions.push_back(
      Instruction::vdispatch(0xFFC0, 0xFFF0, 0xFFE0, 8, 4, 4));
  EXPECT_NO_ERROR(verifyImage(image));
  image.streams[0].instructions.back() =
      Instruction::vdispatch(0x0, 0x100, 0xFFF0, 5, 4, 4);
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "vdispatch: src [0xfff0, +20 bytes) is outside spad");
  image.streams[0].instructions.back() =
      Instruction::vdispatch(0xFFC4, 0x100, 0x0, 5, 4, 4);
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "vdispatch: dst_lists [0xffc4, +64 bytes) is outside "
                        "spad");
  image.streams[0].instructions.back() =
      Instruction::vdispatch(0x0, 0xFFF4, 0x100, 5, 4, 4);
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "vdispatch: dst_counts [0xfff4, +16 bytes) is outside "
                        "spad");
  image = sampleImage();
  image.streams[1].instructions[0] = Instruction::recv(7, 0x10003, 20);
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "recv: src_tile 0x10003 (chip 1, tile 3) is outside "
                        "the system");
  image = sampleImage();
  image.weights[0].values[0] = 300;
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "weight block 0: weight block 'layer0.wq': value 300 "
                        "at [0][0] does not fit 8 bits");
  image = sampleImage();
  image.config.encoding = WeightEncoding::Differential;
  image.config.weightBits = 8;
  image.config.slices = 4;
  image.weights.erase(image.weights.begin() + 1);
  EXPECT_ERROR_CONTAINS(verifyImage(image),
                        "value -128 at [0][0] is -2^(W-1), which differential "
                        "encoding cannot hold");
}

TEST(ProgramImage, FileWriteIsAtomicAndReadsBack) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mho-isa-test", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "program.mhoimg");
  ProgramImage image = sampleImage();
  EXPECT_NO_ERROR(writeImageFile(image, path));
  // Overwriting an existing image replaces it.
  EXPECT_NO_ERROR(writeImageFile(image, path));
  EXPECT_TRUE(takeValue(readImageFile(path)) == image);

  // Nothing but the image is left in the directory (no temporaries).
  std::error_code ec;
  unsigned entries = 0;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    ++entries;
  EXPECT_EQ(entries, 1u);

  // An invalid image is refused before anything is written.
  ProgramImage bad = image;
  bad.config.planes = 1;
  llvm::SmallString<128> badPath(dir);
  llvm::sys::path::append(badPath, "bad.mhoimg");
  EXPECT_ERROR_CONTAINS(writeImageFile(bad, badPath), "planes is 1");
  EXPECT_FALSE(llvm::sys::fs::exists(badPath));

  EXPECT_THAT(failureMessage(readImageFile(badPath)), StartsWith(badPath.str().str()));
  llvm::SmallString<128> unwritable(dir);
  llvm::sys::path::append(unwritable, "missing-dir", "x.mhoimg");
  EXPECT_ERROR_CONTAINS(writeImageFile(image, unwritable),
                        "missing-dir/x.mhoimg': No such file or directory");
  llvm::sys::fs::remove_directories(dir);
}

TEST(ProgramImage, Fnv1a64MatchesPublishedVectors) {
  EXPECT_EQ(fnv1a64({}), 0xcbf29ce484222325ull);
  const uint8_t a[] = {'a'};
  EXPECT_EQ(fnv1a64(a), 0xaf63dc4c8601ec8cull);
  const uint8_t foobar[] = {'f', 'o', 'o', 'b', 'a', 'r'};
  EXPECT_EQ(fnv1a64(foobar), 0x85944171f73967e8ull);
}

} // namespace

namespace {

TEST(ProgramImage, ShapeOnlyBlocksRoundTrip) {
  ProgramImage image = sampleImage();
  image.weights[0].elided = true;
  image.weights[0].values.clear();
  EXPECT_NO_ERROR(verifyImage(image));
  std::vector<uint8_t> bytes = imageBytes(image);
  uint64_t weightTable = get64(bytes, 104);
  EXPECT_EQ(bytes[weightTable + 5], 1) << "flag bit 0 marks the block";
  EXPECT_EQ(get64(bytes, weightTable + 8), 0u) << "no data offset";
  llvm::Expected<ProgramImage> back = readBytes(bytes);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(back->weights[0].elided);
  EXPECT_TRUE(back->weights[0].values.empty());
  EXPECT_EQ(*back, image);

  std::vector<uint8_t> offset = bytes;
  put64(offset, weightTable + 8, 64);
  reseal(offset);
  EXPECT_THAT(readError(offset),
              HasSubstr("weight block 0: an elided block has data offset 64, "
                        "expected 0"));
  std::vector<uint8_t> flags = bytes;
  flags[weightTable + 5] = 3;
  reseal(flags);
  EXPECT_THAT(readError(flags),
              HasSubstr("weight block 0: flags 3 has bits other than 0 "
                        "(elided) set"));

  image.weights[0].values.assign(
      size_t(image.weights[0].rows) * image.weights[0].cols, 0);
  EXPECT_THAT(llvm::toString(verifyImage(image)),
              HasSubstr("is elided (shape only) but has values"));
}

} // namespace
