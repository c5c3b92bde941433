//===- Assembly.h - Text listing of instructions and program images -------===//
//
// The assembly listing of docs/ISA.md §7: one readable line per instruction,
// e.g.
//
//   mvm unit=3 src=0x100 dst=0x400 count=128 src_stride=128 dst_stride=512 acc
//
// and a whole program image as directives (.unit, .stream, .weight, .symbol,
// .dram) with hex data lines. Printing then parsing gives back the same
// instruction / image exactly.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_ASSEMBLY_H
#define MHO_ISA_ASSEMBLY_H

#include "mho/ISA/Instruction.h"
#include "mho/ISA/ProgramImage.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mho::isa {

/// Prints one instruction as one line, without indentation or newline. The
/// instruction must verify().
void printInstruction(const Instruction &inst, llvm::raw_ostream &os);
std::string printInstruction(const Instruction &inst);

/// Parses one instruction line (a trailing `; comment` is allowed) and
/// verifies it. Errors read "<line>:<column>: <what was expected>", with
/// `line` as given (1 for a lone line).
llvm::Expected<Instruction> parseInstruction(llvm::StringRef text,
                                             unsigned line = 1);

struct ListingOptions {
  /// Replace weight and dram data lines by a count (for reading only; such a
  /// listing does not parse back).
  bool elideData = false;
};

/// Prints a whole image as an assembly listing.
void printProgram(const ProgramImage &image, llvm::raw_ostream &os,
                  const ListingOptions &options = {});

/// Parses a listing back into an image and runs verifyImage on it. Errors are
/// "<bufferName>:<line>:<column>: <message>".
llvm::Expected<ProgramImage> parseProgram(llvm::StringRef text,
                                          llvm::StringRef bufferName =
                                              "<listing>");

} // namespace mho::isa

#endif // MHO_ISA_ASSEMBLY_H
