//===- ImageReader.cpp - Reading and checking .mhoimg program images ------===//
//
// Every check names the byte offset of what failed. Order: header (size,
// magic, version, flags, file size, checksum, reserved bytes, unit
// configuration), table placements, then each stream, weight block, symbol
// and dram init record with the checks of verifyImage.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/ProgramImage.h"

#include "ImageChecks.h"

#include "mho/ISA/Arithmetic.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mho::isa;
using namespace mho::isa::detail;
using llvm::Twine;
namespace endian = llvm::support::endian;

namespace {

std::string hex(uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex(value, 0);
  return text;
}

llvm::Error failAt(uint64_t offset, const Twine &message) {
  return llvm::createStringError("image byte " + hex(offset) + ": " + message);
}

class ImageReader {
public:
  explicit ImageReader(llvm::ArrayRef<uint8_t> file) : file(file) {}

  llvm::Expected<ProgramImage> read();

private:
  uint8_t u8(uint64_t at) const { return file[at]; }
  uint16_t u16(uint64_t at) const { return endian::read16le(&file[at]); }
  uint32_t u32(uint64_t at) const { return endian::read32le(&file[at]); }
  uint64_t u64(uint64_t at) const { return endian::read64le(&file[at]); }

  /// Checks that `count` entries of `entrySize` bytes at the offset stored
  /// at header field `field` lie, 8-byte aligned, after the header and inside
  /// the file; returns the offset.
  llvm::Expected<uint64_t> placeTable(llvm::StringRef name, uint64_t field,
                                      uint64_t count, uint64_t entrySize);
  /// Checks that [offset, offset + bytes) lies inside the file; `at` is where
  /// the offset was read (for the message).
  llvm::Error checkSpan(uint64_t at, llvm::StringRef what, uint64_t offset,
                        uint64_t count, uint64_t elemSize, bool aligned);
  /// Reads a string-table reference stored at `at`.
  llvm::Expected<std::string> readString(uint64_t at);
  llvm::Error checkZero(uint64_t at, uint64_t size, llvm::StringRef what);

  llvm::Error readHeader(ProgramImage &image);
  llvm::Error readStreams(ProgramImage &image);
  llvm::Error readWeights(ProgramImage &image);
  llvm::Error readSymbols(ProgramImage &image);
  llvm::Error readDramInits(ProgramImage &image);

  llvm::ArrayRef<uint8_t> file;
  uint64_t stringTable = 0, stringTableSize = 0;
  uint64_t tables[4] = {};
  uint32_t counts[4] = {};
};

llvm::Error ImageReader::checkSpan(uint64_t at, llvm::StringRef what,
                                   uint64_t offset, uint64_t count,
                                   uint64_t elemSize, bool aligned) {
  if (aligned && offset % 8 != 0)
    return failAt(at, Twine(what) + " offset " + hex(offset) +
                          " is not 8-byte aligned");
  if (offset < ImageHeaderSize || offset > file.size() ||
      count > (file.size() - offset) / elemSize)
    return failAt(at, Twine(what) + " at " + hex(offset) + " (" +
                          Twine(count) + " x " + Twine(elemSize) +
                          " bytes) is not inside the file after the header "
                          "(file size " +
                          Twine(file.size()) + ")");
  return llvm::Error::success();
}

llvm::Expected<uint64_t> ImageReader::placeTable(llvm::StringRef name,
                                                 uint64_t field, uint64_t count,
                                                 uint64_t entrySize) {
  uint64_t offset = u64(field);
  if (llvm::Error err = checkSpan(field, name, offset, count, entrySize,
                                  /*aligned=*/true))
    return std::move(err);
  return offset;
}

llvm::Expected<std::string> ImageReader::readString(uint64_t at) {
  uint32_t offset = u32(at);
  if (offset >= stringTableSize)
    return failAt(at, "string offset " + Twine(offset) +
                          " is outside the string table (" +
                          Twine(stringTableSize) + " bytes)");
  llvm::ArrayRef<uint8_t> rest =
      file.slice(stringTable + offset, stringTableSize - offset);
  const uint8_t *end =
      static_cast<const uint8_t *>(std::memchr(rest.data(), 0, rest.size()));
  if (!end)
    return failAt(at, "string at table offset " + Twine(offset) +
                          " has no terminating NUL inside the string table");
  return std::string(reinterpret_cast<const char *>(rest.data()),
                     end - rest.data());
}

llvm::Error ImageReader::checkZero(uint64_t at, uint64_t size,
                                   llvm::StringRef what) {
  for (uint64_t i = 0; i < size; ++i)
    if (file[at + i] != 0)
      return failAt(at + i, Twine(what) + " is " + hex(file[at + i]) +
                                " (reserved, must be 0)");
  return llvm::Error::success();
}

llvm::Error ImageReader::readHeader(ProgramImage &image) {
  using namespace layout;
  if (file.size() < ImageHeaderSize)
    return failAt(file.size(), "file is truncated: " + Twine(file.size()) +
                                   " bytes, the header alone is " +
                                   Twine(ImageHeaderSize));
  if (std::memcmp(file.data(), MagicBytes, sizeof(MagicBytes)) != 0)
    return failAt(Magic, "bad magic (not an mho program image)");
  if (uint32_t version = u32(Version); version != IsaVersion)
    return failAt(Version, "ISA version " + Twine(version) +
                               " is not supported (this build reads " +
                               Twine(IsaVersion) + ")");
  if (uint32_t flags = u32(Flags); flags != 0)
    return failAt(Flags, "flags are " + hex(flags) + " (must be 0)");
  if (uint64_t size = u64(FileSize); size != file.size())
    return failAt(FileSize, "header says the file is " + Twine(size) +
                                " bytes, it is " + Twine(file.size()) +
                                (size > file.size() ? " (truncated)" : ""));
  if (uint64_t stored = u64(Checksum), actual = imageChecksum(file);
      stored != actual)
    return failAt(Checksum, "checksum mismatch (stored " + hex(stored) +
                                ", computed " + hex(actual) + ")");

  // Unit configuration.
  UnitConfig &c = image.config;
  const uint64_t at = Config;
  c.rows = u16(at + 0);
  c.cols = u16(at + 2);
  c.weightBits = u8(at + 4);
  c.cellBits = u8(at + 5);
  c.slices = u8(at + 6);
  if (!isValidWeightEncoding(u8(at + 7)))
    return failAt(at + 7, "weight encoding " + Twine(unsigned(u8(at + 7))) +
                              " is neither 0 (offset) nor 1 (differential)");
  c.encoding = static_cast<WeightEncoding>(u8(at + 7));
  c.inputBits = u8(at + 8);
  c.dacBits = u8(at + 9);
  c.planes = u8(at + 10);
  c.adcBits = u8(at + 11);
  c.adcShift = u8(at + 12);
  c.accBits = u8(at + 13);
  c.mvmUnits = u8(at + 14);
  if (llvm::Error err = checkZero(at + 15, 1, "unit configuration byte 15"))
    return err;
  c.spadBytes = u32(at + 16);
  c.tbufBytes = u32(at + 20);
  c.dramBytes = u64(at + 24);
  c.chips = u16(at + 32);
  c.tiles = u16(at + 34);
  c.cores = u16(at + 36);
  if (llvm::Error err =
          checkZero(at + 38, ConfigSize - 38, "unit configuration reserved byte"))
    return err;
  if (llvm::Error err = verifyUnitConfig(c))
    return failAt(Config, llvm::toString(std::move(err)));

  // Tables.
  static const struct {
    llvm::StringRef name;
    uint64_t countField, offsetField, entrySize;
  } tableInfo[4] = {
      {"stream table", NumStreams, StreamTable, StreamEntry},
      {"weight table", NumWeights, WeightTable, WeightEntry},
      {"symbol table", NumSymbols, SymbolTable, SymbolEntry},
      {"dram init table", NumDramInits, DramInitTable, DramInitEntry},
  };
  for (unsigned t = 0; t < 4; ++t) {
    counts[t] = u32(tableInfo[t].countField);
    auto offset = placeTable(tableInfo[t].name, tableInfo[t].offsetField,
                             counts[t], tableInfo[t].entrySize);
    if (!offset)
      return offset.takeError();
    tables[t] = *offset;
  }
  stringTableSize = u64(StringTableSize);
  stringTable = u64(StringTable);
  if (llvm::Error err = checkSpan(StringTable, "string table", stringTable,
                                  stringTableSize, 1, /*aligned=*/true))
    return err;
  return llvm::Error::success();
}

llvm::Error ImageReader::readStreams(ProgramImage &image) {
  const UnitConfig &config = image.config;
  llvm::DenseSet<uint64_t> cores;
  image.streams.resize(counts[0]);
  for (uint32_t s = 0; s < counts[0]; ++s) {
    uint64_t entry = tables[0] + layout::StreamEntry * s;
    std::string where = "stream " + std::to_string(s);
    InstructionStream &stream = image.streams[s];
    stream.core = {u16(entry), u16(entry + 2), u16(entry + 4)};
    if (llvm::Error err = checkZero(entry + 6, 2, where + " reserved"))
      return err;
    if (llvm::Error err = verifyCoreAddress(stream.core, config))
      return failAt(entry, where + ": " + llvm::toString(std::move(err)));
    uint64_t key = uint64_t(stream.core.chip) << 32 |
                   uint64_t(stream.core.tile) << 16 | stream.core.core;
    if (!cores.insert(key).second)
      return failAt(entry, where + ": a stream for this core already exists");
    uint64_t offset = u64(entry + 8), count = u64(entry + 16);
    if (llvm::Error err = checkSpan(entry + 8, where + " instructions",
                                    offset, count, Instruction::Size,
                                    /*aligned=*/true))
      return err;
    stream.instructions.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t at = offset + Instruction::Size * i;
      llvm::Expected<Instruction> inst =
          Instruction::decode(file.slice(at, Instruction::Size));
      llvm::Error err = inst ? verifyInstruction(*inst, config, counts[1])
                             : inst.takeError();
      if (err)
        return failAt(at, where + " instruction " + Twine(i) + ": " +
                              llvm::toString(std::move(err)));
      stream.instructions.push_back(*inst);
    }
  }
  return llvm::Error::success();
}

llvm::Error ImageReader::readWeights(ProgramImage &image) {
  image.weights.resize(counts[1]);
  for (uint32_t b = 0; b < counts[1]; ++b) {
    uint64_t entry = tables[1] + layout::WeightEntry * b;
    std::string where = "weight block " + std::to_string(b);
    WeightBlock &block = image.weights[b];
    block.rows = u16(entry);
    block.cols = u16(entry + 2);
    block.bits = u8(entry + 4);
    uint8_t flags = u8(entry + 5);
    if (flags > 1)
      return failAt(entry + 5, where + ": flags " + Twine(unsigned(flags)) +
                                   " has bits other than 0 (elided) set");
    block.elided = flags & 1;
    if (llvm::Error err = checkZero(entry + 6, 2, where + " reserved"))
      return err;
    if (llvm::Error err = checkZero(entry + 20, 4, where + " reserved"))
      return err;
    llvm::Expected<std::string> name = readString(entry + 16);
    if (!name)
      return name.takeError();
    block.name = std::move(*name);
    if (block.bits < 2 || block.bits > 16)
      return failAt(entry + 4, where + ": bits " +
                                   Twine(unsigned(block.bits)) +
                                   " is not in [2, 16]");
    unsigned size = block.bits > 8 ? 2 : 1;
    uint64_t offset = u64(entry + 8), count = uint64_t(block.rows) * block.cols;
    if (block.elided) {
      if (offset != 0)
        return failAt(entry + 8, where + ": an elided block has data offset " +
                                     Twine(offset) + ", expected 0");
      if (llvm::Error err = verifyWeightBlock(block, image.config))
        return failAt(entry, where + ": " + llvm::toString(std::move(err)));
      continue;
    }
    if (llvm::Error err = checkSpan(entry + 8, where + " data", offset, count,
                                    size, /*aligned=*/true))
      return err;
    block.values.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t at = offset + size * i;
      int64_t value = size == 2 ? int16_t(u16(at)) : int8_t(u8(at));
      if (value < minSigned(block.bits) || value > maxSigned(block.bits))
        return failAt(at, where + ": value " + Twine(value) + " does not fit " +
                              Twine(unsigned(block.bits)) + " bits");
      block.values[i] = static_cast<int16_t>(value);
    }
    if (llvm::Error err = verifyWeightBlock(block, image.config))
      return failAt(entry, where + ": " + llvm::toString(std::move(err)));
  }
  return llvm::Error::success();
}

llvm::Error ImageReader::readSymbols(ProgramImage &image) {
  image.symbols.resize(counts[2]);
  for (uint32_t i = 0; i < counts[2]; ++i) {
    uint64_t entry = tables[2] + layout::SymbolEntry * i;
    std::string where = "symbol " + std::to_string(i);
    Symbol &symbol = image.symbols[i];
    llvm::Expected<std::string> name = readString(entry);
    if (!name)
      return name.takeError();
    symbol.name = std::move(*name);
    if (u8(entry + 4) > 2)
      return failAt(entry + 4, where + ": kind " + Twine(unsigned(u8(entry + 4))) +
                                   " is not 0, 1 or 2");
    symbol.kind = static_cast<SymbolKind>(u8(entry + 4));
    if (!isValidDataType(u8(entry + 5)))
      return failAt(entry + 5, where + ": type code " +
                                   Twine(unsigned(u8(entry + 5))) +
                                   " is unknown");
    symbol.type = static_cast<DataType>(u8(entry + 5));
    symbol.rank = u8(entry + 6);
    if (symbol.rank > Symbol::MaxRank)
      return failAt(entry + 6, where + ": rank " + Twine(unsigned(symbol.rank)) +
                                   " exceeds 6");
    if (llvm::Error err = checkZero(entry + 7, 1, where + " reserved"))
      return err;
    for (unsigned d = 0; d < Symbol::MaxRank; ++d) {
      symbol.dims[d] = u32(entry + 8 + 4 * d);
      if (d >= symbol.rank && symbol.dims[d] != 0)
        return failAt(entry + 8 + 4 * d,
                      where + ": dims[" + Twine(d) + "] beyond the rank is " +
                          Twine(symbol.dims[d]) + " (must be 0)");
    }
    if (!isValidMemorySpace(u8(entry + 32)))
      return failAt(entry + 32, where + ": space code " +
                                    Twine(unsigned(u8(entry + 32))) +
                                    " is unknown");
    symbol.space = static_cast<MemorySpace>(u8(entry + 32));
    if (llvm::Error err = checkZero(entry + 33, 7, where + " reserved"))
      return err;
    symbol.address = u64(entry + 40);
    symbol.scaleBits = u32(entry + 48);
    symbol.zeroPoint = static_cast<int32_t>(u32(entry + 52));
    if (llvm::Error err = checkZero(entry + 56, 8, where + " reserved"))
      return err;
    if (llvm::Error err = verifySymbol(symbol, image.config))
      return failAt(entry, where + ": " + llvm::toString(std::move(err)));
  }
  return llvm::Error::success();
}

llvm::Error ImageReader::readDramInits(ProgramImage &image) {
  image.dramInits.resize(counts[3]);
  for (uint32_t i = 0; i < counts[3]; ++i) {
    uint64_t entry = tables[3] + layout::DramInitEntry * i;
    std::string where = "dram init " + std::to_string(i);
    DramInit &init = image.dramInits[i];
    init.address = u64(entry);
    uint64_t offset = u64(entry + 8);
    if (llvm::Error err = checkSpan(entry + 8, where + " blob", offset, 1, 8,
                                    /*aligned=*/true))
      return err;
    uint64_t length = u64(offset);
    if (llvm::Error err = checkSpan(offset, where + " blob data", offset + 8,
                                    length, 1, /*aligned=*/false))
      return err;
    init.bytes.assign(file.begin() + offset + 8,
                      file.begin() + offset + 8 + length);
    if (llvm::Error err = verifyDramInit(init, image.config))
      return failAt(entry, where + ": " + llvm::toString(std::move(err)));
  }
  return llvm::Error::success();
}

llvm::Expected<ProgramImage> ImageReader::read() {
  ProgramImage image;
  if (llvm::Error err = readHeader(image))
    return std::move(err);
  if (llvm::Error err = readStreams(image))
    return std::move(err);
  if (llvm::Error err = readWeights(image))
    return std::move(err);
  if (llvm::Error err = readSymbols(image))
    return std::move(err);
  if (llvm::Error err = readDramInits(image))
    return std::move(err);
  return image;
}

} // namespace

llvm::Expected<ProgramImage> mho::isa::readImage(llvm::MemoryBufferRef buffer) {
  llvm::ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>(buffer.getBufferStart()),
      buffer.getBufferSize());
  return ImageReader(bytes).read();
}

llvm::Expected<ProgramImage> mho::isa::readImageFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(path + ": " + buffer.getError().message());
  llvm::Expected<ProgramImage> image = readImage(**buffer);
  if (!image)
    return llvm::createStringError(path + ": " +
                                   llvm::toString(image.takeError()));
  return image;
}
