//===- AssemblyLexer.cpp - Tokens of one assembly-listing line ------------===//

#include "AssemblyLexer.h"

#include "mho/ISA/Instruction.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mho::isa;
using namespace mho::isa::detail;

llvm::Error detail::errorAt(unsigned line, unsigned column,
                            const llvm::Twine &message) {
  return llvm::createStringError(llvm::Twine(line) + ":" + llvm::Twine(column) +
                                 ": " + message);
}

namespace {
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool isNameChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-';
}
} // namespace

llvm::Expected<std::vector<Token>>
detail::lexLine(llvm::StringRef text, unsigned line, unsigned &endColumn) {
  std::vector<Token> tokens;
  size_t pos = 0, size = text.size();
  endColumn = 1;
  while (true) {
    while (pos < size && isSpace(text[pos]))
      ++pos;
    if (pos >= size || text[pos] == ';')
      break;
    Token token;
    token.column = static_cast<unsigned>(pos + 1);
    size_t start = pos;
    while (pos < size && isNameChar(text[pos]))
      ++pos;
    if (pos == start)
      return errorAt(line, token.column,
                     "expected a word, found '" + text.substr(pos, 1) + "'");
    token.name = text.slice(start, pos).str();
    if (pos < size && text[pos] == '=') {
      ++pos;
      token.hasValue = true;
      token.valueColumn = static_cast<unsigned>(pos + 1);
      if (pos < size && text[pos] == '"') {
        token.quoted = true;
        ++pos;
        bool closed = false;
        while (pos < size) {
          char c = text[pos];
          if (c == '"') {
            ++pos;
            closed = true;
            break;
          }
          if (c != '\\') {
            token.value += c;
            ++pos;
            continue;
          }
          if (pos + 1 < size && (text[pos + 1] == '\\' || text[pos + 1] == '"')) {
            token.value += text[pos + 1];
            pos += 2;
            continue;
          }
          if (pos + 3 < size && text[pos + 1] == 'x' &&
              llvm::isHexDigit(text[pos + 2]) &&
              llvm::isHexDigit(text[pos + 3])) {
            token.value += static_cast<char>(
                llvm::hexFromNibbles(text[pos + 2], text[pos + 3]));
            pos += 4;
            continue;
          }
          return errorAt(line, static_cast<unsigned>(pos + 1),
                         "bad escape in string (expected \\\\, \\\" or "
                         "\\x with two hex digits)");
        }
        if (!closed)
          return errorAt(line, token.valueColumn,
                         "unterminated string (expected a closing '\"')");
      } else {
        size_t valueStart = pos;
        while (pos < size && !isSpace(text[pos]) && text[pos] != ';')
          ++pos;
        token.value = text.slice(valueStart, pos).str();
        if (token.value.empty())
          return errorAt(line, token.valueColumn,
                         "expected a value after '" + token.name + "='");
      }
    }
    if (pos < size && !isSpace(text[pos]) && text[pos] != ';')
      return errorAt(line, static_cast<unsigned>(pos + 1),
                     "unexpected '" + text.substr(pos, 1) + "'");
    tokens.push_back(std::move(token));
    endColumn = static_cast<unsigned>(pos + 1);
  }
  return tokens;
}

void detail::printQuoted(llvm::StringRef text, llvm::raw_ostream &os) {
  os << '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\')
      os << '\\' << c;
    else if (byte < 0x20 || byte >= 0x7F)
      os << "\\x" << llvm::hexdigit(byte >> 4, true)
         << llvm::hexdigit(byte & 0xF, true);
    else
      os << c;
  }
  os << '"';
}

bool detail::parseUnsignedLiteral(llvm::StringRef text, uint64_t max,
                                  uint64_t &out) {
  if (text.empty() || !llvm::isDigit(text[0]))
    return false;
  unsigned radix = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    radix = 16;
    text = text.drop_front(2);
    if (text.empty())
      return false;
  }
  // getAsInteger accepts a leading sign and radix prefixes; reject both.
  for (char c : text)
    if (!(radix == 16 ? llvm::isHexDigit(c) : llvm::isDigit(c)))
      return false;
  uint64_t value;
  if (text.getAsInteger(radix, value) || value > max)
    return false;
  out = value;
  return true;
}

bool detail::parseInt32Literal(llvm::StringRef text, int32_t &out) {
  if (text.starts_with("0x") || text.starts_with("0X")) {
    uint64_t bits;
    if (!parseUnsignedLiteral(text, 0xFFFFFFFFu, bits))
      return false;
    out = static_cast<int32_t>(static_cast<uint32_t>(bits));
    return true;
  }
  bool negative = text.consume_front("-");
  uint64_t magnitude;
  if (!parseUnsignedLiteral(text, negative ? 0x80000000u : 0x7FFFFFFFu,
                            magnitude))
    return false;
  out = static_cast<int32_t>(negative ? -int64_t(magnitude) : int64_t(magnitude));
  return true;
}

bool detail::parseFloatLiteral(llvm::StringRef text, uint32_t &bits) {
  if (text.starts_with("0x") || text.starts_with("0X")) {
    uint64_t value;
    if (!parseUnsignedLiteral(text, 0xFFFFFFFFu, value))
      return false;
    bits = static_cast<uint32_t>(value);
    return true;
  }
  if (text.empty())
    return false;
  // Decimal only: digits, sign, point, exponent, or inf/nan words.
  for (char c : text)
    if (!(llvm::isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' ||
          c == 'E' || c == 'i' || c == 'n' || c == 'f' || c == 'a'))
      return false;
  std::string copy = text.str();
  char *end = nullptr;
  errno = 0;
  float value = std::strtof(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size())
    return false;
  bits = floatToBits(value);
  return true;
}

std::string detail::formatFloatLiteral(uint32_t bits) {
  float value = bitsToFloat(bits);
  if (std::isnan(value))
    return formatHex(bits);
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  char buffer[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", digits, double(value));
    uint32_t back;
    if (parseFloatLiteral(buffer, back) && back == bits)
      break;
  }
  return buffer;
}

std::string detail::formatHex(uint64_t value) {
  return "0x" + llvm::utohexstr(value, /*LowerCase=*/true);
}
