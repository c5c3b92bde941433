//===- ImageChecks.h - Per-item checks shared by verifyImage and readImage ===//
//
// Private to lib/ISA: readImage runs the same checks item by item so its
// errors can name the byte offset of the offending entry.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_ISA_IMAGECHECKS_H
#define MHO_LIB_ISA_IMAGECHECKS_H

#include "mho/ISA/ProgramImage.h"

namespace mho::isa::detail {

llvm::Error verifyCoreAddress(const CoreAddress &core, const UnitConfig &config);
llvm::Error verifySymbol(const Symbol &symbol, const UnitConfig &config);
llvm::Error verifyDramInit(const DramInit &init, const UnitConfig &config);

/// The image checksum: FNV-1a 64 over every byte of the file except the
/// checksum field itself (bytes 152-159).
uint64_t imageChecksum(llvm::ArrayRef<uint8_t> file);

/// Image file layout (docs/ISA.md §5).
namespace layout {
constexpr uint64_t Magic = 0, Version = 8, Flags = 12, Config = 16,
                   NumStreams = 80, NumWeights = 84, NumSymbols = 88,
                   NumDramInits = 92, StreamTable = 96, WeightTable = 104,
                   SymbolTable = 112, DramInitTable = 120, StringTable = 128,
                   StringTableSize = 136, FileSize = 144, Checksum = 152;
constexpr uint64_t ConfigSize = 64, StreamEntry = 24, WeightEntry = 24,
                   SymbolEntry = 64, DramInitEntry = 16;
constexpr uint8_t MagicBytes[8] = {'M', 'H', 'O', 'I', 'M', 'G', 0, 1};
} // namespace layout

} // namespace mho::isa::detail

#endif // MHO_LIB_ISA_IMAGECHECKS_H
