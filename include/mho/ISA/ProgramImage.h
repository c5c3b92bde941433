//===- ProgramImage.h - A compiled program: streams, weights, symbols -----===//
//
// The in-memory form of a program image (docs/ISA.md §5) and its binary file
// format (.mhoimg): one instruction stream per core, the weight table, the
// host symbols and the DRAM initialisation blobs, under one unit
// configuration.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_PROGRAMIMAGE_H
#define MHO_ISA_PROGRAMIMAGE_H

#include "mho/ISA/Instruction.h"
#include "mho/ISA/UnitConfig.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mho::isa {

/// Address of a core: (chip, tile within the chip, core within the tile).
struct CoreAddress {
  uint16_t chip = 0;
  uint16_t tile = 0;
  uint16_t core = 0;

  /// Global tile id: chip << 16 | tile (send/recv operands).
  uint32_t getGlobalTile() const { return uint32_t(chip) << 16 | tile; }

  friend bool operator==(const CoreAddress &a, const CoreAddress &b) {
    return a.chip == b.chip && a.tile == b.tile && a.core == b.core;
  }
  friend bool operator!=(const CoreAddress &a, const CoreAddress &b) {
    return !(a == b);
  }
};

/// The instructions one core executes.
struct InstructionStream {
  CoreAddress core;
  std::vector<Instruction> instructions;

  friend bool operator==(const InstructionStream &a,
                         const InstructionStream &b) {
    return a.core == b.core && a.instructions == b.instructions;
  }
};

/// One weight block of the weight table: a rows x cols integer matrix,
/// row-major, each value a `bits`-wide two's-complement integer.
struct WeightBlock {
  std::string name;
  uint16_t rows = 0;
  uint16_t cols = 0;
  uint8_t bits = 8; ///< 2..16; stored as one byte when <= 8, else two.
  /// Shape only: the compiler had no values (weights elided, e.g. to compile
  /// a model too large to hold). `values` is then empty; engines that need
  /// values refuse such a block, timing and energy models run it.
  bool elided = false;
  std::vector<int16_t> values; ///< rows * cols, row-major, unless elided.

  int16_t at(unsigned row, unsigned col) const {
    return values[size_t(row) * cols + col];
  }

  friend bool operator==(const WeightBlock &a, const WeightBlock &b) {
    return a.name == b.name && a.rows == b.rows && a.cols == b.cols &&
           a.bits == b.bits && a.elided == b.elided && a.values == b.values;
  }
};

enum class SymbolKind : uint8_t { Input = 0, Output = 1, Constant = 2 };

llvm::StringRef getName(SymbolKind kind);
std::optional<SymbolKind> parseSymbolKind(llvm::StringRef name);

/// Where the host puts an input or finds an output (or a named constant).
struct Symbol {
  static constexpr unsigned MaxRank = 6;

  std::string name;
  SymbolKind kind = SymbolKind::Input;
  DataType type = DataType::F32;
  uint8_t rank = 0;
  std::array<uint32_t, MaxRank> dims{}; ///< dims[rank..] are 0.
  MemorySpace space = MemorySpace::Dram;
  uint64_t address = 0;
  uint32_t scaleBits = 0x3F800000; ///< f32 bit pattern of the scale (1.0).
  int32_t zeroPoint = 0;

  float getScale() const { return bitsToFloat(scaleBits); }
  void setScale(float scale) { scaleBits = floatToBits(scale); }

  friend bool operator==(const Symbol &a, const Symbol &b) {
    return a.name == b.name && a.kind == b.kind && a.type == b.type &&
           a.rank == b.rank && a.dims == b.dims && a.space == b.space &&
           a.address == b.address && a.scaleBits == b.scaleBits &&
           a.zeroPoint == b.zeroPoint;
  }
};

/// Bytes the host writes to DRAM before the program runs.
struct DramInit {
  uint64_t address = 0;
  std::vector<uint8_t> bytes;

  friend bool operator==(const DramInit &a, const DramInit &b) {
    return a.address == b.address && a.bytes == b.bytes;
  }
};

struct ProgramImage {
  UnitConfig config;
  std::vector<InstructionStream> streams;
  std::vector<WeightBlock> weights;
  std::vector<Symbol> symbols;
  std::vector<DramInit> dramInits;

  friend bool operator==(const ProgramImage &a, const ProgramImage &b) {
    return a.config == b.config && a.streams == b.streams &&
           a.weights == b.weights && a.symbols == b.symbols &&
           a.dramInits == b.dramInits;
  }
};

//===----------------------------------------------------------------------===//
// Verification
//===----------------------------------------------------------------------===//

/// Checks a weight block against the configuration: 2 <= bits <= 16,
/// bits <= W, rows <= config.rows, cols <= config.cols, values.size() ==
/// rows*cols, every value fits `bits`, and with differential encoding no value
/// equals -2^(W-1).
llvm::Error verifyWeightBlock(const WeightBlock &block,
                              const UnitConfig &config);

/// Checks what of an instruction depends on the configuration: MVM unit
/// index < mvm_units, wprog block index < numWeightBlocks, vec/vred/vtopk/dmm
/// blocks, vdispatch lists and gather/scatter rows inside the scratchpad size
/// where they are immediates. `inst` must already verify().
llvm::Error verifyInstruction(const Instruction &inst, const UnitConfig &config,
                              size_t numWeightBlocks);

/// Checks a whole image: the configuration, every instruction (verify() and
/// the configuration-dependent checks), core addresses inside the topology and
/// unique, weight blocks, symbols (rank <= 6, unused dims 0, legal kind, type,
/// space, address + size within the space) and DRAM init records (inside DRAM).
/// Messages say which stream/instruction/block/symbol/record.
llvm::Error verifyImage(const ProgramImage &image);

//===----------------------------------------------------------------------===//
// Binary file (.mhoimg, §5)
//===----------------------------------------------------------------------===//

/// Size of the file header (§5).
constexpr uint64_t ImageHeaderSize = 160;

/// Writes `image` in the .mhoimg format. The image is not verified first; an
/// image that does not verify writes a file that readImage rejects.
void writeImage(const ProgramImage &image, llvm::raw_ostream &os);

/// Writes the image to `path` atomically (a temporary file in the same
/// directory, renamed over `path` once complete). Runs verifyImage first.
llvm::Error writeImageFile(const ProgramImage &image, llvm::StringRef path);

/// Parses and fully checks a .mhoimg buffer: magic, version, flags, sizes,
/// every table offset and length, checksum, string references, every
/// instruction (decode) and finally verifyImage. Errors name the byte offset
/// of the first violation, e.g. "image byte 0x98: checksum mismatch (...)".
llvm::Expected<ProgramImage> readImage(llvm::MemoryBufferRef buffer);

/// readImage on a file's contents; errors start with the path.
llvm::Expected<ProgramImage> readImageFile(llvm::StringRef path);

/// FNV-1a 64-bit hash of `bytes` (the image checksum).
uint64_t fnv1a64(llvm::ArrayRef<uint8_t> bytes);

} // namespace mho::isa

#endif // MHO_ISA_PROGRAMIMAGE_H
