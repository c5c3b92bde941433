//===- ImageWriter.cpp - Writing .mhoimg program images -------------------===//
//
// Layout written (docs/ISA.md §5): header, stream table, weight table, symbol
// table, dram init table, string table, then the instruction words of every
// stream, the weight data of every block and the dram blobs, each section
// starting 8-byte aligned with zero padding.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/ProgramImage.h"
#include "mho/Support/TensorFiles.h"

#include "ImageChecks.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mho::isa;
using namespace mho::isa::detail;
namespace endian = llvm::support::endian;

namespace {

uint64_t alignTo8(uint64_t value) { return (value + 7) & ~uint64_t{7}; }

/// A growing little-endian byte buffer with absolute-offset patching.
class ByteWriter {
public:
  uint64_t size() const { return bytes.size(); }
  void pad8() { bytes.resize(alignTo8(bytes.size()), 0); }
  void reserve(uint64_t count) { bytes.resize(bytes.size() + count, 0); }
  void put8(uint64_t at, uint8_t v) { bytes[at] = v; }
  void put16(uint64_t at, uint16_t v) { endian::write16le(&bytes[at], v); }
  void put32(uint64_t at, uint32_t v) { endian::write32le(&bytes[at], v); }
  void put64(uint64_t at, uint64_t v) { endian::write64le(&bytes[at], v); }
  void append(llvm::ArrayRef<uint8_t> data) {
    bytes.insert(bytes.end(), data.begin(), data.end());
  }
  std::vector<uint8_t> bytes;
};

/// The string table: "" at offset 0, each distinct string once.
class StringPool {
public:
  StringPool() { data.push_back(0); }
  uint32_t add(llvm::StringRef text) {
    if (text.empty())
      return 0;
    auto [it, inserted] = offsets.try_emplace(text, data.size());
    if (inserted) {
      data.insert(data.end(), text.begin(), text.end());
      data.push_back(0);
    }
    return static_cast<uint32_t>(it->second);
  }
  std::vector<uint8_t> data;

private:
  llvm::StringMap<uint64_t> offsets;
};

void writeConfig(ByteWriter &w, uint64_t at, const UnitConfig &c) {
  w.put16(at + 0, c.rows);
  w.put16(at + 2, c.cols);
  w.put8(at + 4, c.weightBits);
  w.put8(at + 5, c.cellBits);
  w.put8(at + 6, c.slices);
  w.put8(at + 7, static_cast<uint8_t>(c.encoding));
  w.put8(at + 8, c.inputBits);
  w.put8(at + 9, c.dacBits);
  w.put8(at + 10, c.planes);
  w.put8(at + 11, c.adcBits);
  w.put8(at + 12, c.adcShift);
  w.put8(at + 13, c.accBits);
  w.put8(at + 14, c.mvmUnits);
  w.put32(at + 16, c.spadBytes);
  w.put32(at + 20, c.tbufBytes);
  w.put64(at + 24, c.dramBytes);
  w.put16(at + 32, c.chips);
  w.put16(at + 34, c.tiles);
  w.put16(at + 36, c.cores);
}

} // namespace

void mho::isa::writeImage(const ProgramImage &image, llvm::raw_ostream &os) {
  using namespace layout;
  ByteWriter w;
  w.reserve(ImageHeaderSize);
  std::memcpy(w.bytes.data(), MagicBytes, sizeof(MagicBytes));
  w.put32(Version, IsaVersion);
  w.put32(Flags, 0);
  writeConfig(w, Config, image.config);
  w.put32(NumStreams, static_cast<uint32_t>(image.streams.size()));
  w.put32(NumWeights, static_cast<uint32_t>(image.weights.size()));
  w.put32(NumSymbols, static_cast<uint32_t>(image.symbols.size()));
  w.put32(NumDramInits, static_cast<uint32_t>(image.dramInits.size()));

  // Tables (entry sizes are multiples of 8, so they stay aligned).
  uint64_t streamTable = w.size();
  w.reserve(StreamEntry * image.streams.size());
  uint64_t weightTable = w.size();
  w.reserve(WeightEntry * image.weights.size());
  uint64_t symbolTable = w.size();
  w.reserve(SymbolEntry * image.symbols.size());
  uint64_t dramInitTable = w.size();
  w.reserve(DramInitEntry * image.dramInits.size());
  w.put64(StreamTable, streamTable);
  w.put64(WeightTable, weightTable);
  w.put64(SymbolTable, symbolTable);
  w.put64(DramInitTable, dramInitTable);

  StringPool strings;
  std::vector<uint32_t> weightNames, symbolNames;
  for (const WeightBlock &block : image.weights)
    weightNames.push_back(strings.add(block.name));
  for (const Symbol &symbol : image.symbols)
    symbolNames.push_back(strings.add(symbol.name));
  uint64_t stringTable = w.size();
  w.append(strings.data);
  w.put64(StringTable, stringTable);
  w.put64(StringTableSize, strings.data.size());
  w.pad8();

  for (auto [s, stream] : llvm::enumerate(image.streams)) {
    uint64_t entry = streamTable + StreamEntry * s;
    w.put16(entry + 0, stream.core.chip);
    w.put16(entry + 2, stream.core.tile);
    w.put16(entry + 4, stream.core.core);
    w.put64(entry + 8, w.size());
    w.put64(entry + 16, stream.instructions.size());
    for (const Instruction &inst : stream.instructions) {
      uint64_t at = w.size();
      w.reserve(Instruction::Size);
      inst.encode(&w.bytes[at]);
    }
  }

  for (auto [b, block] : llvm::enumerate(image.weights)) {
    uint64_t entry = weightTable + WeightEntry * b;
    w.put16(entry + 0, block.rows);
    w.put16(entry + 2, block.cols);
    w.put8(entry + 4, block.bits);
    w.put8(entry + 5, block.elided ? 1 : 0);
    w.put32(entry + 16, weightNames[b]);
    if (block.elided)
      continue; // shape only: offset 0, no data
    w.put64(entry + 8, w.size());
    bool wide = block.bits > 8;
    uint64_t at = w.size();
    w.reserve(block.values.size() * (wide ? 2 : 1));
    for (int16_t value : block.values) {
      if (wide) {
        w.put16(at, static_cast<uint16_t>(value));
        at += 2;
      } else {
        w.put8(at++, static_cast<uint8_t>(value));
      }
    }
    w.pad8();
  }

  for (auto [i, symbol] : llvm::enumerate(image.symbols)) {
    uint64_t entry = symbolTable + SymbolEntry * i;
    w.put32(entry + 0, symbolNames[i]);
    w.put8(entry + 4, static_cast<uint8_t>(symbol.kind));
    w.put8(entry + 5, static_cast<uint8_t>(symbol.type));
    w.put8(entry + 6, symbol.rank);
    for (unsigned d = 0; d < Symbol::MaxRank; ++d)
      w.put32(entry + 8 + 4 * d, symbol.dims[d]);
    w.put8(entry + 32, static_cast<uint8_t>(symbol.space));
    w.put64(entry + 40, symbol.address);
    w.put32(entry + 48, symbol.scaleBits);
    w.put32(entry + 52, static_cast<uint32_t>(symbol.zeroPoint));
  }

  for (auto [i, init] : llvm::enumerate(image.dramInits)) {
    uint64_t entry = dramInitTable + DramInitEntry * i;
    w.put64(entry + 0, init.address);
    w.put64(entry + 8, w.size());
    uint64_t at = w.size();
    w.reserve(8);
    w.put64(at, init.bytes.size());
    w.append(init.bytes);
    w.pad8();
  }

  w.put64(FileSize, w.size());
  w.put64(Checksum, imageChecksum(w.bytes));
  os.write(reinterpret_cast<const char *>(w.bytes.data()), w.bytes.size());
}

llvm::Error mho::isa::writeImageFile(const ProgramImage &image,
                                     llvm::StringRef path) {
  if (llvm::Error err = verifyImage(image))
    return err;
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  writeImage(image, os);
  return mho::writeFileAtomically(path, os.str());
}
