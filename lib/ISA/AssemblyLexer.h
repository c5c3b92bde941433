//===- AssemblyLexer.h - Tokens of one assembly-listing line --------------===//
//
// Private to lib/ISA. A line is whitespace-separated words, each `name` or
// `name=value`, where a value may be a double-quoted string with escapes
// (\\, \", \xHH). `;` outside a string starts a comment.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_ISA_ASSEMBLYLEXER_H
#define MHO_LIB_ISA_ASSEMBLYLEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mho::isa::detail {

struct Token {
  std::string name;
  bool hasValue = false;
  bool quoted = false; ///< The value was a string literal.
  std::string value;
  unsigned column = 0;      ///< 1-based column of the name.
  unsigned valueColumn = 0; ///< 1-based column of the value.
};

/// Error "<line>:<column>: <message>".
llvm::Error errorAt(unsigned line, unsigned column, const llvm::Twine &message);

/// Splits one line (without its newline) into tokens. `endColumn` receives
/// the column just past the last token (for "missing ..." errors).
llvm::Expected<std::vector<Token>> lexLine(llvm::StringRef text, unsigned line,
                                           unsigned &endColumn);

/// Writes `text` as a double-quoted string literal with escapes.
void printQuoted(llvm::StringRef text, llvm::raw_ostream &os);

/// Number syntax shared by instructions and directives. Each returns false
/// when `text` is not a valid literal of the kind or is out of range.
bool parseUnsignedLiteral(llvm::StringRef text, uint64_t max, uint64_t &out);
bool parseInt32Literal(llvm::StringRef text, int32_t &out);
bool parseFloatLiteral(llvm::StringRef text, uint32_t &bits);
/// A decimal float that reads back to the same bits, or hex bits for NaNs.
std::string formatFloatLiteral(uint32_t bits);
std::string formatHex(uint64_t value);

} // namespace mho::isa::detail

#endif // MHO_LIB_ISA_ASSEMBLYLEXER_H
