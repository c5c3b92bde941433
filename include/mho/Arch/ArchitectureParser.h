//===- ArchitectureParser.h - Reading architecture YAML files -------------===//
//
// Reads an architecture file (docs/Architecture.md) with LLVM's YAML parser,
// checks it against the schema, and finalizes it (derived fields, cross-field
// checks). Every problem found is reported, not only the first.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ARCH_ARCHITECTUREPARSER_H
#define MHO_ARCH_ARCHITECTUREPARSER_H

#include "mho/Arch/Architecture.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mho::arch {

/// Loads the architecture file at `path`. On failure the error is a
/// DiagnosticsError holding every error found (or a file error when the file
/// cannot be read). Warnings (suspicious but legal settings) are printed to
/// `warnings` when it is non-null, whether or not loading succeeds.
llvm::Expected<Architecture> loadArchitecture(llvm::StringRef path,
                                              llvm::raw_ostream *warnings);

/// Parses architecture YAML held in memory; `bufferName` names it in
/// diagnostics (a path, or e.g. "<test>").
llvm::Expected<Architecture> parseArchitecture(llvm::StringRef yaml,
                                               llvm::StringRef bufferName,
                                               llvm::raw_ostream *warnings);

} // namespace mho::arch

#endif // MHO_ARCH_ARCHITECTUREPARSER_H
