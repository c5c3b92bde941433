//===- InstructionAssembly.cpp - One instruction as one listing line ------===//
//
// Printing and parsing are both driven by the format table
// (InstructionFormat.h): `<mnemonic> field=value ... flag ...`, fields in
// table order, only the fields the instruction uses; flags and a non-default
// src2 mode only when set.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/Assembly.h"

#include "AssemblyLexer.h"

#include "mho/ISA/InstructionFormat.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

using namespace mho::isa;
using namespace mho::isa::detail;
using llvm::Twine;

namespace {

/// Whether a vec imm field holds an i32 (type i32) rather than an f32.
bool immIsInt32(const Instruction &inst) {
  return inst.getOpcode() == Opcode::Vec &&
         inst.getTypeLo() == static_cast<uint8_t>(DataType::I32);
}

/// Whether `count` is an address (count_indirect set).
bool countIsAddress(const Instruction &inst, const FieldInfo &field) {
  if (field.name != "count")
    return false;
  switch (inst.getOpcode()) {
  case Opcode::Mvm:
    return inst.getFlags() & flag::MvmCountIndirect;
  case Opcode::Vgather:
  case Opcode::Vscatter:
    return inst.getFlags() & flag::GatherCountIndirect;
  default:
    return false;
  }
}

std::string formatValue(const Instruction &inst, const FieldInfo &field) {
  uint64_t value = getFieldValue(inst, field);
  switch (field.kind) {
  case FieldKind::Address:
    return formatHex(value);
  case FieldKind::Count:
    return countIsAddress(inst, field) ? formatHex(value)
                                       : std::to_string(value);
  case FieldKind::Int32:
    return std::to_string(static_cast<int32_t>(static_cast<uint32_t>(value)));
  case FieldKind::Float32:
    return formatFloatLiteral(static_cast<uint32_t>(value));
  case FieldKind::Imm:
    return immIsInt32(inst)
               ? std::to_string(static_cast<int32_t>(static_cast<uint32_t>(value)))
               : formatFloatLiteral(static_cast<uint32_t>(value));
  case FieldKind::Space:
    return getName(static_cast<MemorySpace>(value)).str();
  case FieldKind::Type:
    return getName(static_cast<DataType>(value)).str();
  case FieldKind::Mode:
    return getName(static_cast<Src2Mode>(value)).str();
  case FieldKind::Flag:
    return "";
  }
  return "";
}

/// Parses a field's value text; on failure returns what was expected.
std::optional<std::string> parseValue(const Instruction &inst,
                                      const FieldInfo &field,
                                      llvm::StringRef text, uint64_t &value) {
  auto unsignedValue = [&]() -> std::optional<std::string> {
    if (parseUnsignedLiteral(text, getFieldMax(field), value))
      return std::nullopt;
    return "an unsigned integer (decimal or 0x hex) up to " +
           formatHex(getFieldMax(field));
  };
  auto int32Value = [&]() -> std::optional<std::string> {
    int32_t v;
    if (!parseInt32Literal(text, v))
      return std::string("an i32 (decimal, or 0x hex bits)");
    value = static_cast<uint32_t>(v);
    return std::nullopt;
  };
  auto floatValue = [&]() -> std::optional<std::string> {
    uint32_t bits;
    if (!parseFloatLiteral(text, bits))
      return std::string("an f32 (decimal, inf, nan, or 0x hex bits)");
    value = bits;
    return std::nullopt;
  };
  switch (field.kind) {
  case FieldKind::Address:
  case FieldKind::Count:
    return unsignedValue();
  case FieldKind::Int32:
    return int32Value();
  case FieldKind::Float32:
    return floatValue();
  case FieldKind::Imm:
    return immIsInt32(inst) ? int32Value() : floatValue();
  case FieldKind::Space:
    if (auto space = parseMemorySpace(text)) {
      value = static_cast<uint64_t>(*space);
      return std::nullopt;
    }
    return std::string("a memory space (spad, tbuf, dram)");
  case FieldKind::Type:
    if (auto type = parseDataType(text)) {
      value = static_cast<uint64_t>(*type);
      return std::nullopt;
    }
    return std::string("a data type (i8, i16, i32, f32, bf16, f16)");
  case FieldKind::Mode:
    if (auto mode = parseSrc2Mode(text)) {
      value = static_cast<uint64_t>(*mode);
      return std::nullopt;
    }
    return std::string("a src2 mode (imm, elem, row, col)");
  case FieldKind::Flag:
    return std::string("no value");
  }
  return std::string("a value");
}

std::string fieldList(const InstructionFormat &format) {
  std::string names;
  for (const FieldInfo &field : format.fields)
    names += (names.empty() ? "" : ", ") + field.name.str();
  return names.empty() ? "none" : names;
}

} // namespace

void mho::isa::printInstruction(const Instruction &inst,
                                llvm::raw_ostream &os) {
  const InstructionFormat &format = getFormat(inst.getOpcode());
  os << getMnemonic(inst);
  uint32_t used = getUsedFields(inst);
  for (auto [index, field] : llvm::enumerate(format.fields)) {
    if (!(used >> index & 1))
      continue;
    if (field.kind == FieldKind::Flag) {
      if (getFieldValue(inst, field))
        os << ' ' << field.name;
      continue;
    }
    if (field.kind == FieldKind::Mode && getFieldValue(inst, field) == 0)
      continue;
    os << ' ' << field.name << '=' << formatValue(inst, field);
  }
}

std::string mho::isa::printInstruction(const Instruction &inst) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printInstruction(inst, os);
  return text;
}

llvm::Expected<Instruction> mho::isa::parseInstruction(llvm::StringRef text,
                                                       unsigned line) {
  unsigned endColumn;
  llvm::Expected<std::vector<Token>> tokens = lexLine(text, line, endColumn);
  if (!tokens)
    return tokens.takeError();
  if (tokens->empty())
    return errorAt(line, endColumn, "expected an instruction mnemonic");

  const Token &head = tokens->front();
  if (head.hasValue)
    return errorAt(line, head.column,
                   "expected an instruction mnemonic, found '" + head.name +
                       "='");
  auto [base, suffix] = llvm::StringRef(head.name).split('.');
  std::optional<Opcode> opcode = parseOpcode(base);
  if (!opcode)
    return errorAt(line, head.column, "unknown mnemonic '" + head.name + "'");
  const InstructionFormat &format = getFormat(*opcode);
  Instruction inst = Instruction::fromFields(static_cast<uint8_t>(*opcode), 0,
                                             0, 0, {});
  bool hasDot = head.name.find('.') != std::string::npos;
  switch (format.subFunction) {
  case SubFunction::None:
    if (hasDot)
      return errorAt(line, head.column,
                     "'" + base + "' takes no sub-function suffix");
    break;
  case SubFunction::Vec: {
    std::optional<VecFn> fn = parseVecFn(suffix);
    if (!fn)
      return errorAt(line, head.column,
                     "expected 'vec.<function>' with a function of ISA.md "
                     "§3.1 (e.g. vec.add, vec.gelu), found '" +
                         head.name + "'");
    inst.setFn(static_cast<uint8_t>(*fn));
    break;
  }
  case SubFunction::Reduce: {
    std::optional<ReduceKind> kind = parseReduceKind(suffix);
    if (!kind)
      return errorAt(line, head.column,
                     "expected 'vred.sum', 'vred.max' or 'vred.min', found '" +
                         head.name + "'");
    inst.setFn(static_cast<uint8_t>(*kind));
    break;
  }
  }

  // Match tokens to fields; imm waits until the type is known.
  llvm::SmallVector<const Token *, 12> given(format.fields.size(), nullptr);
  for (const Token &token : llvm::drop_begin(*tokens)) {
    const auto *it = llvm::find_if(format.fields, [&](const FieldInfo &field) {
      return field.name == token.name;
    });
    if (it == format.fields.end())
      return errorAt(line, token.column,
                     "unknown field '" + token.name + "' for " + base +
                         " (fields: " + fieldList(format) + ")");
    size_t index = it - format.fields.begin();
    if (given[index])
      return errorAt(line, token.column,
                     "field '" + token.name + "' given twice");
    if (it->kind == FieldKind::Flag && token.hasValue)
      return errorAt(line, token.column,
                     "flag '" + token.name + "' takes no value");
    if (it->kind != FieldKind::Flag && !token.hasValue)
      return errorAt(line, token.column,
                     "expected '" + token.name + "=<value>'");
    if (token.quoted)
      return errorAt(line, token.valueColumn,
                     "field '" + token.name + "' takes no string");
    given[index] = &token;
  }
  for (bool immPass : {false, true}) {
    for (auto [index, field] : llvm::enumerate(format.fields)) {
      const Token *token = given[index];
      if (!token || (field.kind == FieldKind::Imm) != immPass)
        continue;
      uint64_t value = 1;
      if (field.kind != FieldKind::Flag)
        if (std::optional<std::string> expected =
                parseValue(inst, field, token->value, value))
          return errorAt(line, token->valueColumn,
                         "expected " + *expected + " for '" + field.name +
                             "', found '" + token->value + "'");
      setFieldValue(inst, field, value);
    }
  }

  // Exactly the fields the instruction uses (flags and mode optional).
  uint32_t used = getUsedFields(inst);
  for (auto [index, field] : llvm::enumerate(format.fields)) {
    bool isUsed = used >> index & 1;
    if (given[index] && !isUsed)
      return errorAt(line, given[index]->column,
                     "field '" + field.name + "' is not used by " +
                         getMnemonic(inst));
    if (!given[index] && isUsed && field.kind != FieldKind::Flag &&
        field.kind != FieldKind::Mode)
      return errorAt(line, endColumn,
                     "missing field '" + field.name + "' of " +
                         getMnemonic(inst));
  }
  if (llvm::Error err = inst.verify())
    return errorAt(line, head.column, llvm::toString(std::move(err)));
  return inst;
}
