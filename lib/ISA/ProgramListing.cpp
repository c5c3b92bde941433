//===- ProgramListing.cpp - A whole program image as an assembly listing --===//
//
// docs/ISA.md §7. Directives, in the order printed:
//
//   .unit   <every unit-configuration field>=<value>
//   .weight <index> name="..." rows=R cols=C bits=B   + R lines `.hex <row>`
//   .weight <index> name="..." rows=R cols=C bits=B shape_only   (no values)
//   .symbol name="..." kind=... type=... shape=[d0,d1] space=... address=...
//           scale=... zp=...
//   .dram   address=A size=N                         + `.hex` lines, 64 B each
//   .stream chip=.. tile=.. core=..                  + one instruction a line
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/Assembly.h"

#include "AssemblyLexer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

#include <functional>

using namespace mho::isa;
using namespace mho::isa::detail;
using llvm::Twine;

namespace {

constexpr size_t DramBytesPerLine = 64;

/// One `.unit` field: name, largest value, printed in hex, accessors.
struct ConfigField {
  llvm::StringRef name;
  uint64_t max;
  bool hex;
  std::function<uint64_t(const UnitConfig &)> get;
  std::function<void(UnitConfig &, uint64_t)> set;
};

#define MHO_CONFIG_FIELD(NAME, MEMBER, TYPE, HEX)                              \
  ConfigField {                                                                \
    NAME, uint64_t(std::numeric_limits<TYPE>::max()), HEX,                     \
        [](const UnitConfig &c) { return uint64_t(c.MEMBER); },                \
        [](UnitConfig &c, uint64_t v) { c.MEMBER = static_cast<TYPE>(v); }     \
  }

const std::vector<ConfigField> &getConfigFields() {
  static const std::vector<ConfigField> fields = {
      MHO_CONFIG_FIELD("rows", rows, uint16_t, false),
      MHO_CONFIG_FIELD("cols", cols, uint16_t, false),
      MHO_CONFIG_FIELD("weight_bits", weightBits, uint8_t, false),
      MHO_CONFIG_FIELD("cell_bits", cellBits, uint8_t, false),
      MHO_CONFIG_FIELD("slices", slices, uint8_t, false),
      // encoding is written by name, see below.
      MHO_CONFIG_FIELD("input_bits", inputBits, uint8_t, false),
      MHO_CONFIG_FIELD("dac_bits", dacBits, uint8_t, false),
      MHO_CONFIG_FIELD("planes", planes, uint8_t, false),
      MHO_CONFIG_FIELD("adc_bits", adcBits, uint8_t, false),
      MHO_CONFIG_FIELD("adc_shift", adcShift, uint8_t, false),
      MHO_CONFIG_FIELD("acc_bits", accBits, uint8_t, false),
      MHO_CONFIG_FIELD("mvm_units", mvmUnits, uint8_t, false),
      MHO_CONFIG_FIELD("spad_bytes", spadBytes, uint32_t, true),
      MHO_CONFIG_FIELD("tbuf_bytes", tbufBytes, uint32_t, true),
      MHO_CONFIG_FIELD("dram_bytes", dramBytes, uint64_t, true),
      MHO_CONFIG_FIELD("chips", chips, uint16_t, false),
      MHO_CONFIG_FIELD("tiles", tiles, uint16_t, false),
      MHO_CONFIG_FIELD("cores", cores, uint16_t, false),
  };
  return fields;
}
#undef MHO_CONFIG_FIELD

void printHexBytes(llvm::ArrayRef<uint8_t> bytes, llvm::raw_ostream &os) {
  for (uint8_t byte : bytes)
    os << llvm::hexdigit(byte >> 4, true) << llvm::hexdigit(byte & 0xF, true);
}

void printWeightRow(const WeightBlock &block, unsigned row,
                    llvm::raw_ostream &os) {
  bool wide = block.bits > 8;
  for (unsigned col = 0; col < block.cols; ++col) {
    auto bits = static_cast<uint16_t>(block.at(row, col));
    if (wide)
      os << llvm::hexdigit(bits >> 12, true)
         << llvm::hexdigit((bits >> 8) & 0xF, true);
    os << llvm::hexdigit((bits >> 4) & 0xF, true)
       << llvm::hexdigit(bits & 0xF, true);
  }
}

} // namespace

void mho::isa::printProgram(const ProgramImage &image, llvm::raw_ostream &os,
                            const ListingOptions &options) {
  const UnitConfig &config = image.config;
  os << "; mho program image, ISA v" << IsaVersion << ": "
     << image.streams.size() << " streams, " << image.weights.size()
     << " weight blocks, " << image.symbols.size() << " symbols, "
     << image.dramInits.size() << " dram init records\n";
  os << ".unit";
  for (const ConfigField &field : getConfigFields()) {
    uint64_t value = field.get(config);
    os << ' ' << field.name << '='
       << (field.hex ? formatHex(value) : std::to_string(value));
    if (field.name == "slices")
      os << " encoding=" << getName(config.encoding);
  }
  os << '\n';

  for (auto [b, block] : llvm::enumerate(image.weights)) {
    os << "\n.weight " << b << " name=";
    printQuoted(block.name, os);
    os << " rows=" << block.rows << " cols=" << block.cols
       << " bits=" << unsigned(block.bits);
    if (block.elided) {
      os << " shape_only\n";
      continue;
    }
    if (options.elideData) {
      os << " elided\n";
      continue;
    }
    os << '\n';
    for (unsigned row = 0; row < block.rows; ++row) {
      os << "  .hex ";
      printWeightRow(block, row, os);
      os << '\n';
    }
  }

  if (!image.symbols.empty())
    os << '\n';
  for (const Symbol &symbol : image.symbols) {
    os << ".symbol name=";
    printQuoted(symbol.name, os);
    os << " kind=" << getName(symbol.kind) << " type=" << getName(symbol.type)
       << " shape=[";
    for (unsigned d = 0; d < symbol.rank; ++d)
      os << (d ? "," : "") << symbol.dims[d];
    os << "] space=" << getName(symbol.space)
       << " address=" << formatHex(symbol.address)
       << " scale=" << formatFloatLiteral(symbol.scaleBits)
       << " zp=" << symbol.zeroPoint << '\n';
  }

  for (const DramInit &init : image.dramInits) {
    os << "\n.dram address=" << formatHex(init.address)
       << " size=" << init.bytes.size();
    if (options.elideData) {
      os << " elided\n";
      continue;
    }
    os << '\n';
    llvm::ArrayRef<uint8_t> rest(init.bytes);
    while (!rest.empty()) {
      os << "  .hex ";
      printHexBytes(rest.take_front(DramBytesPerLine), os);
      os << '\n';
      rest = rest.drop_front(std::min(rest.size(), DramBytesPerLine));
    }
  }

  for (const InstructionStream &stream : image.streams) {
    os << "\n.stream chip=" << stream.core.chip << " tile=" << stream.core.tile
       << " core=" << stream.core.core << '\n';
    for (const Instruction &inst : stream.instructions) {
      os << "  ";
      printInstruction(inst, os);
      os << '\n';
    }
  }
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

namespace {

class ListingParser {
public:
  explicit ListingParser(llvm::StringRef bufferName) : bufferName(bufferName) {}

  llvm::Expected<ProgramImage> parse(llvm::StringRef text);

private:
  enum class Data { None, Weight, Dram };

  llvm::Error parseLine(llvm::StringRef text);
  llvm::Error parseUnit(llvm::ArrayRef<Token> tokens);
  llvm::Error parseWeight(llvm::ArrayRef<Token> tokens);
  llvm::Error parseSymbol(llvm::ArrayRef<Token> tokens);
  llvm::Error parseDram(llvm::ArrayRef<Token> tokens);
  llvm::Error parseStream(llvm::ArrayRef<Token> tokens);
  llvm::Error parseHex(llvm::ArrayRef<Token> tokens);
  /// Errors unless the pending weight/dram data is complete.
  llvm::Error finishData(unsigned column);

  /// Matches `name=value` tokens of a directive against `names`: every name
  /// exactly once, nothing else. `values[i]` receives the token of names[i].
  llvm::Error matchFields(const Token &directive, llvm::ArrayRef<Token> tokens,
                          llvm::ArrayRef<llvm::StringRef> names,
                          llvm::SmallVectorImpl<const Token *> &values);
  llvm::Error unsignedField(const Token &token, uint64_t max, uint64_t &out);
  llvm::Error errorAt(unsigned column, const Twine &message) {
    return llvm::createStringError(bufferName + ":" + Twine(line) + ":" +
                                   Twine(column) + ": " + message);
  }

  std::string bufferName;
  unsigned line = 0;
  unsigned endColumn = 1;
  ProgramImage image;
  bool haveUnit = false;
  bool inStream = false;
  Data data = Data::None;
  uint64_t dataLinesSeen = 0; ///< weight rows or dram bytes received
  uint64_t dramSize = 0;      ///< bytes the current .dram announced
};

llvm::Error ListingParser::matchFields(
    const Token &directive, llvm::ArrayRef<Token> tokens,
    llvm::ArrayRef<llvm::StringRef> names,
    llvm::SmallVectorImpl<const Token *> &values) {
  values.assign(names.size(), nullptr);
  for (const Token &token : tokens) {
    const auto *it = llvm::find(names, token.name);
    if (it == names.end()) {
      std::string list;
      for (llvm::StringRef name : names)
        list += (list.empty() ? "" : ", ") + name.str();
      return errorAt(token.column, "unknown field '" + token.name + "' of " +
                                       directive.name + " (fields: " + list +
                                       ")");
    }
    size_t index = it - names.begin();
    if (values[index])
      return errorAt(token.column, "field '" + token.name + "' given twice");
    if (!token.hasValue)
      return errorAt(token.column, "expected '" + token.name + "=<value>'");
    values[index] = &token;
  }
  for (auto [index, name] : llvm::enumerate(names))
    if (!values[index])
      return errorAt(endColumn, "missing field '" + name + "' of " +
                                    directive.name);
  return llvm::Error::success();
}

llvm::Error ListingParser::unsignedField(const Token &token, uint64_t max,
                                         uint64_t &out) {
  if (token.quoted || !parseUnsignedLiteral(token.value, max, out))
    return errorAt(token.valueColumn,
                   "expected an unsigned integer up to " + formatHex(max) +
                       " for '" + token.name + "', found '" + token.value +
                       "'");
  return llvm::Error::success();
}

llvm::Error ListingParser::finishData(unsigned column) {
  if (data == Data::Weight) {
    const WeightBlock &block = image.weights.back();
    if (dataLinesSeen != block.rows)
      return errorAt(column, "weight block " +
                                 Twine(image.weights.size() - 1) + " has " +
                                 Twine(dataLinesSeen) + " .hex rows, expected " +
                                 Twine(block.rows));
  } else if (data == Data::Dram) {
    if (dataLinesSeen != dramSize)
      return errorAt(column, "dram init " + Twine(image.dramInits.size() - 1) +
                                 " has " + Twine(dataLinesSeen) +
                                 " bytes of .hex data, expected " +
                                 Twine(dramSize));
  }
  data = Data::None;
  return llvm::Error::success();
}

llvm::Error ListingParser::parseUnit(llvm::ArrayRef<Token> tokens) {
  if (haveUnit)
    return errorAt(tokens[0].column, "a second .unit directive");
  haveUnit = true;
  llvm::SmallVector<llvm::StringRef> names;
  for (const ConfigField &field : getConfigFields())
    names.push_back(field.name);
  names.push_back("encoding");
  llvm::SmallVector<const Token *> values;
  if (llvm::Error err = matchFields(tokens[0], tokens.drop_front(), names, values))
    return err;
  for (auto [index, field] : llvm::enumerate(getConfigFields())) {
    uint64_t value;
    if (llvm::Error err = unsignedField(*values[index], field.max, value))
      return err;
    field.set(image.config, value);
  }
  const Token &encoding = *values.back();
  std::optional<WeightEncoding> parsed = parseWeightEncoding(encoding.value);
  if (!parsed || encoding.quoted)
    return errorAt(encoding.valueColumn,
                   "expected 'offset' or 'differential' for 'encoding', "
                   "found '" +
                       encoding.value + "'");
  image.config.encoding = *parsed;
  if (llvm::Error err = verifyUnitConfig(image.config))
    return errorAt(tokens[0].column, llvm::toString(std::move(err)));
  return llvm::Error::success();
}

llvm::Error ListingParser::parseWeight(llvm::ArrayRef<Token> tokens) {
  const Token &directive = tokens[0];
  if (tokens.size() < 2 || tokens[1].hasValue)
    return errorAt(tokens.size() < 2 ? endColumn : tokens[1].column,
                   "expected the block index after .weight");
  uint64_t index;
  if (!parseUnsignedLiteral(tokens[1].name, UINT32_MAX, index) ||
      index != image.weights.size())
    return errorAt(tokens[1].column,
                   "expected block index " + Twine(image.weights.size()) +
                       " (blocks are listed in order), found '" +
                       tokens[1].name + "'");
  llvm::ArrayRef<Token> rest = tokens.drop_front(2);
  if (!rest.empty() && rest.back().name == "elided" && !rest.back().hasValue)
    return errorAt(rest.back().column,
                   "the weight data was elided from this listing; it cannot "
                   "be assembled");
  WeightBlock block;
  if (!rest.empty() && rest.back().name == "shape_only" &&
      !rest.back().hasValue) {
    block.elided = true;
    rest = rest.drop_back();
  }
  llvm::SmallVector<const Token *> values;
  if (llvm::Error err = matchFields(directive, rest,
                                    {"name", "rows", "cols", "bits"}, values))
    return err;
  if (!values[0]->quoted)
    return errorAt(values[0]->valueColumn, "expected a quoted string for "
                                           "'name'");
  block.name = values[0]->value;
  uint64_t rows, cols, bits;
  if (llvm::Error err = unsignedField(*values[1], UINT16_MAX, rows))
    return err;
  if (llvm::Error err = unsignedField(*values[2], UINT16_MAX, cols))
    return err;
  if (llvm::Error err = unsignedField(*values[3], 16, bits))
    return err;
  if (bits < 2)
    return errorAt(values[3]->valueColumn, "bits must be in [2, 16]");
  block.rows = static_cast<uint16_t>(rows);
  block.cols = static_cast<uint16_t>(cols);
  block.bits = static_cast<uint8_t>(bits);
  // No reservation: the size is only trusted once the .hex lines supply it.
  bool elided = block.elided;
  image.weights.push_back(std::move(block));
  data = rows == 0 || elided ? Data::None : Data::Weight;
  dataLinesSeen = 0;
  return llvm::Error::success();
}

llvm::Error ListingParser::parseSymbol(llvm::ArrayRef<Token> tokens) {
  llvm::SmallVector<const Token *> values;
  if (llvm::Error err = matchFields(tokens[0], tokens.drop_front(),
                                    {"name", "kind", "type", "shape", "space",
                                     "address", "scale", "zp"},
                                    values))
    return err;
  Symbol symbol;
  if (!values[0]->quoted)
    return errorAt(values[0]->valueColumn,
                   "expected a quoted string for 'name'");
  symbol.name = values[0]->value;
  std::optional<SymbolKind> kind = parseSymbolKind(values[1]->value);
  if (!kind)
    return errorAt(values[1]->valueColumn,
                   "expected input, output or constant for 'kind', found '" +
                       values[1]->value + "'");
  symbol.kind = *kind;
  std::optional<DataType> type = parseDataType(values[2]->value);
  if (!type)
    return errorAt(values[2]->valueColumn,
                   "expected a data type for 'type', found '" +
                       values[2]->value + "'");
  symbol.type = *type;

  llvm::StringRef shape = values[3]->value;
  if (!shape.consume_front("[") || !shape.consume_back("]"))
    return errorAt(values[3]->valueColumn,
                   "expected a shape like [1,128] (or [] for a scalar), "
                   "found '" +
                       values[3]->value + "'");
  llvm::SmallVector<llvm::StringRef, 6> dims;
  if (!shape.empty())
    shape.split(dims, ',');
  if (dims.size() > Symbol::MaxRank)
    return errorAt(values[3]->valueColumn,
                   "a shape has at most 6 dimensions");
  symbol.rank = static_cast<uint8_t>(dims.size());
  for (auto [d, text] : llvm::enumerate(dims)) {
    uint64_t dim;
    if (!parseUnsignedLiteral(text, UINT32_MAX, dim))
      return errorAt(values[3]->valueColumn,
                     "expected unsigned dimensions in 'shape', found '" +
                         text + "'");
    symbol.dims[d] = static_cast<uint32_t>(dim);
  }

  std::optional<MemorySpace> space = parseMemorySpace(values[4]->value);
  if (!space)
    return errorAt(values[4]->valueColumn,
                   "expected spad, tbuf or dram for 'space', found '" +
                       values[4]->value + "'");
  symbol.space = *space;
  if (llvm::Error err = unsignedField(*values[5], UINT64_MAX, symbol.address))
    return err;
  if (!parseFloatLiteral(values[6]->value, symbol.scaleBits))
    return errorAt(values[6]->valueColumn,
                   "expected an f32 for 'scale', found '" + values[6]->value +
                       "'");
  if (!parseInt32Literal(values[7]->value, symbol.zeroPoint))
    return errorAt(values[7]->valueColumn,
                   "expected an i32 for 'zp', found '" + values[7]->value +
                       "'");
  image.symbols.push_back(std::move(symbol));
  return llvm::Error::success();
}

llvm::Error ListingParser::parseDram(llvm::ArrayRef<Token> tokens) {
  llvm::ArrayRef<Token> rest = tokens.drop_front();
  if (!rest.empty() && rest.back().name == "elided" && !rest.back().hasValue)
    return errorAt(rest.back().column,
                   "the dram data was elided from this listing; it cannot be "
                   "assembled");
  llvm::SmallVector<const Token *> values;
  if (llvm::Error err =
          matchFields(tokens[0], rest, {"address", "size"}, values))
    return err;
  DramInit init;
  uint64_t size;
  if (llvm::Error err = unsignedField(*values[0], UINT64_MAX, init.address))
    return err;
  if (llvm::Error err = unsignedField(*values[1], UINT32_MAX, size))
    return err;
  // The bytes are appended as .hex lines supply them, up to `size`.
  image.dramInits.push_back(std::move(init));
  dramSize = size;
  data = size == 0 ? Data::None : Data::Dram;
  dataLinesSeen = 0;
  return llvm::Error::success();
}

llvm::Error ListingParser::parseStream(llvm::ArrayRef<Token> tokens) {
  llvm::SmallVector<const Token *> values;
  if (llvm::Error err = matchFields(tokens[0], tokens.drop_front(),
                                    {"chip", "tile", "core"}, values))
    return err;
  uint64_t fields[3];
  for (unsigned i = 0; i < 3; ++i)
    if (llvm::Error err = unsignedField(*values[i], UINT16_MAX, fields[i]))
      return err;
  InstructionStream stream;
  stream.core = {static_cast<uint16_t>(fields[0]),
                 static_cast<uint16_t>(fields[1]),
                 static_cast<uint16_t>(fields[2])};
  image.streams.push_back(std::move(stream));
  inStream = true;
  return llvm::Error::success();
}

llvm::Error ListingParser::parseHex(llvm::ArrayRef<Token> tokens) {
  if (data == Data::None)
    return errorAt(tokens[0].column,
                   ".hex outside the data of a .weight or .dram directive (or "
                   "more lines than it has)");
  if (tokens.size() < 2)
    return errorAt(endColumn, "expected hex digits after .hex");
  if (tokens[1].hasValue || tokens.size() > 2)
    return errorAt(tokens[tokens[1].hasValue ? 1 : 2].column,
                   "expected one run of hex digits after .hex");
  llvm::StringRef digits = tokens[1].name;
  unsigned column = tokens[1].column;
  for (auto [i, c] : llvm::enumerate(digits))
    if (!llvm::isHexDigit(c))
      return errorAt(column + static_cast<unsigned>(i),
                     "expected a hex digit, found '" + Twine(c) + "'");

  if (data == Data::Weight) {
    WeightBlock &block = image.weights.back();
    unsigned width = block.bits > 8 ? 4 : 2;
    if (digits.size() != size_t(width) * block.cols)
      return errorAt(column, "expected " + Twine(block.cols) + " values of " +
                                 Twine(width) + " hex digits (" +
                                 Twine(width * block.cols) + " digits), found " +
                                 Twine(digits.size()) + " digits");
    for (unsigned col = 0; col < block.cols; ++col) {
      uint64_t bits = 0;
      digits.substr(col * width, width).getAsInteger(16, bits);
      int16_t value = width == 4 ? static_cast<int16_t>(bits)
                                 : static_cast<int8_t>(bits);
      block.values.push_back(value);
    }
    if (++dataLinesSeen == block.rows)
      data = Data::None;
    return llvm::Error::success();
  }

  DramInit &init = image.dramInits.back();
  if (digits.size() % 2 != 0)
    return errorAt(column, "expected whole bytes (an even number of hex "
                           "digits)");
  uint64_t count = digits.size() / 2;
  if (count > dramSize - dataLinesSeen)
    return errorAt(column,
                   "more .hex data than the .dram size " + Twine(dramSize));
  for (uint64_t i = 0; i < count; ++i)
    init.bytes.push_back(
        llvm::hexFromNibbles(digits[2 * i], digits[2 * i + 1]));
  dataLinesSeen += count;
  if (dataLinesSeen == dramSize)
    data = Data::None;
  return llvm::Error::success();
}

llvm::Error ListingParser::parseLine(llvm::StringRef text) {
  llvm::Expected<std::vector<Token>> tokens = lexLine(text, line, endColumn);
  if (!tokens)
    return llvm::createStringError(bufferName + ":" +
                                   llvm::toString(tokens.takeError()));
  if (tokens->empty())
    return llvm::Error::success();
  const Token &head = tokens->front();
  if (head.name == ".hex")
    return parseHex(*tokens);
  if (llvm::Error err = finishData(head.column))
    return err;

  if (!llvm::StringRef(head.name).starts_with(".")) {
    if (!haveUnit)
      return errorAt(head.column, "expected .unit before anything else");
    if (!inStream)
      return errorAt(head.column,
                     "instruction outside a .stream (expected a directive)");
    llvm::Expected<Instruction> inst = parseInstruction(text, line);
    if (!inst)
      return llvm::createStringError(bufferName + ":" +
                                     llvm::toString(inst.takeError()));
    image.streams.back().instructions.push_back(*inst);
    return llvm::Error::success();
  }

  if (head.hasValue)
    return errorAt(head.column, "expected a directive name, found '" +
                                    head.name + "='");
  if (head.name == ".unit")
    return parseUnit(*tokens);
  if (!haveUnit)
    return errorAt(head.column, "expected .unit before anything else");
  inStream = false;
  if (head.name == ".weight")
    return parseWeight(*tokens);
  if (head.name == ".symbol")
    return parseSymbol(*tokens);
  if (head.name == ".dram")
    return parseDram(*tokens);
  if (head.name == ".stream")
    return parseStream(*tokens);
  return errorAt(head.column,
                 "unknown directive '" + head.name +
                     "' (expected .unit, .weight, .hex, .symbol, .dram or "
                     ".stream)");
}

llvm::Expected<ProgramImage> ListingParser::parse(llvm::StringRef text) {
  while (!text.empty()) {
    ++line;
    auto [current, rest] = text.split('\n');
    text = rest;
    if (llvm::Error err = parseLine(current))
      return std::move(err);
  }
  ++line;
  endColumn = 1;
  if (llvm::Error err = finishData(1))
    return std::move(err);
  if (!haveUnit)
    return errorAt(1, "the listing has no .unit directive");
  if (llvm::Error err = verifyImage(image))
    return llvm::createStringError(bufferName + ": " +
                                   llvm::toString(std::move(err)));
  return std::move(image);
}

} // namespace

llvm::Expected<ProgramImage> mho::isa::parseProgram(llvm::StringRef text,
                                                    llvm::StringRef bufferName) {
  return ListingParser(bufferName).parse(text);
}
