//===- InstructionVerify.cpp - The encoding rules of docs/ISA.md §2-§3 ----===//

#include "mho/ISA/Instruction.h"
#include "mho/ISA/InstructionFormat.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mho::isa;
using llvm::Twine;

namespace {

std::string hex(uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex(value, 0);
  return text;
}

/// The bits an instruction's used fields occupy.
struct CoveredBits {
  bool fn = false;
  bool typeLo = false;
  bool typeHi = false;
  uint8_t flags = 0;
  bool operands[Instruction::NumOperands] = {};
};

CoveredBits getCoveredBits(const Instruction &inst) {
  const InstructionFormat &format = getFormat(inst.getOpcode());
  CoveredBits covered;
  covered.fn = format.subFunction != SubFunction::None;
  uint32_t used = getUsedFields(inst);
  for (auto [index, field] : llvm::enumerate(format.fields)) {
    if (!(used >> index & 1))
      continue;
    switch (field.slot) {
    case FieldSlot::Fn:
      covered.fn = true;
      break;
    case FieldSlot::TypeLo:
      covered.typeLo = true;
      break;
    case FieldSlot::TypeHi:
      covered.typeHi = true;
      break;
    case FieldSlot::Flags:
      covered.flags |= field.flagMask;
      break;
    case FieldSlot::DmaSrc:
      covered.operands[0] = covered.operands[2] = true;
      break;
    case FieldSlot::DmaDst:
      covered.operands[1] = covered.operands[2] = true;
      break;
    default:
      covered.operands[static_cast<unsigned>(field.slot) -
                       static_cast<unsigned>(FieldSlot::A0)] = true;
      break;
    }
  }
  return covered;
}

llvm::Error fail(const Instruction &inst, const Twine &message) {
  return llvm::createStringError(Twine(getMnemonic(inst)) + ": " + message);
}

llvm::Error checkSpace(const Instruction &inst, llvm::StringRef field,
                       uint8_t code) {
  if (!isValidMemorySpace(code))
    return fail(inst, Twine(field) + " " + Twine(unsigned(code)) +
                          " is not a memory space (0 spad, 1 tbuf, 2 dram)");
  return llvm::Error::success();
}

llvm::Error checkType(const Instruction &inst, llvm::StringRef field,
                      uint8_t code,
                      std::initializer_list<DataType> allowed) {
  for (DataType type : allowed)
    if (static_cast<uint8_t>(type) == code)
      return llvm::Error::success();
  std::string names;
  for (DataType type : allowed)
    names += (names.empty() ? "" : ", ") + getName(type).str();
  std::string given = isValidDataType(code)
                          ? getName(static_cast<DataType>(code)).str()
                          : "code " + std::to_string(code);
  return fail(inst, Twine(field) + " " + given + " is not legal (" + names +
                        ")");
}

llvm::Error verifyVec(const Instruction &inst) {
  VecOperands ops = inst.getVec();
  uint8_t lo = inst.getTypeLo(), hi = inst.getTypeHi();
  switch (ops.fn) {
  case VecFn::Copy:
  case VecFn::Add:
  case VecFn::Sub:
  case VecFn::Mul:
  case VecFn::Max:
  case VecFn::Min:
    return checkType(inst, "type", lo, {DataType::F32, DataType::I32});
  case VecFn::Cvt:
    if (lo == static_cast<uint8_t>(DataType::I32))
      return checkType(inst, "to", hi, {DataType::F32});
    if (lo == static_cast<uint8_t>(DataType::F32))
      return checkType(inst, "to", hi, {DataType::I32});
    return checkType(inst, "type", lo, {DataType::I32, DataType::F32});
  case VecFn::Quant:
    if (llvm::Error err = checkType(inst, "type", lo, {DataType::F32}))
      return err;
    return checkType(inst, "to", hi, {DataType::I8, DataType::I16});
  case VecFn::Dequant:
    if (llvm::Error err = checkType(inst, "type", lo, {DataType::I32}))
      return err;
    return checkType(inst, "to", hi, {DataType::F32});
  default:
    return checkType(inst, "type", lo, {DataType::F32});
  }
}

llvm::Error verifySemantics(const Instruction &inst) {
  switch (inst.getOpcode()) {
  case Opcode::Barrier:
    if (inst.getOperand(1) == 0)
      return fail(inst, "count must be at least 1");
    return llvm::Error::success();
  case Opcode::Send:
    return checkSpace(inst, "src_space", inst.getTypeHi());
  case Opcode::Dma:
    if (llvm::Error err = checkSpace(inst, "src_space", inst.getTypeLo()))
      return err;
    return checkSpace(inst, "dst_space", inst.getTypeHi());
  case Opcode::Vscatter:
    if ((inst.getFlags() & flag::ScatterAccumulate) &&
        inst.getOperand(4) % 4 != 0)
      return fail(inst, "row_bytes " + Twine(inst.getOperand(4)) +
                            " must be a multiple of 4 with acc (f32 rows)");
    return llvm::Error::success();
  case Opcode::Vdispatch: {
    VdispatchOperands ops = inst.getVdispatch();
    if (ops.entries == 0)
      return fail(inst, "entries must be at least 1");
    if (ops.experts == 0)
      return fail(inst, "experts must be at least 1");
    if (ops.capacity == 0)
      return fail(inst, "capacity must be at least 1");
    // The lists hold entry positions as i32.
    if (ops.entries > uint32_t(INT32_MAX))
      return fail(inst, "entries does not fit an i32 index");
    return llvm::Error::success();
  }
  case Opcode::Vec:
    return verifyVec(inst);
  case Opcode::Vred:
    if (inst.getOperand(4) == 0)
      return fail(inst, "cols must be at least 1");
    return checkType(inst, "type", inst.getTypeLo(),
                     {DataType::F32, DataType::I32});
  case Opcode::Vtopk:
    if (inst.getOperand(5) > inst.getOperand(4))
      return fail(inst, "k " + Twine(inst.getOperand(5)) +
                            " is larger than cols " +
                            Twine(inst.getOperand(4)));
    if (inst.getOperand(4) > uint32_t(INT32_MAX))
      return fail(inst, "cols does not fit an i32 index");
    return llvm::Error::success();
  case Opcode::Dmm:
    return checkType(inst, "type", inst.getTypeLo(),
                     {DataType::F32, DataType::I8});
  default:
    return llvm::Error::success();
  }
}

} // namespace

llvm::Error Instruction::verify() const {
  if (!isValidOpcode(opcode))
    return llvm::createStringError("unknown opcode " + hex(opcode));
  const InstructionFormat &format = getFormat(getOpcode());
  if (format.subFunction == SubFunction::Vec && !isValidVecFn(fn))
    return llvm::createStringError("vec: unknown function " +
                                   Twine(unsigned(fn)));
  if (format.subFunction == SubFunction::Reduce && !isValidReduceKind(fn))
    return llvm::createStringError("vred: unknown reduction " +
                                   Twine(unsigned(fn)) +
                                   " (0 sum, 1 max, 2 min)");

  CoveredBits covered = getCoveredBits(*this);
  if (!covered.fn && fn != 0)
    return fail(*this, "fn byte is " + hex(fn) + " (must be 0)");
  if (!covered.typeLo && getTypeLo() != 0)
    return fail(*this, "type bits 0-3 are " + hex(getTypeLo()) +
                           " (must be 0)");
  if (!covered.typeHi && getTypeHi() != 0)
    return fail(*this, "type bits 4-7 are " + hex(getTypeHi()) +
                           " (must be 0)");
  if (uint8_t reserved = flags & ~covered.flags)
    return fail(*this, "reserved flag bits " + hex(reserved) + " are set");
  for (unsigned i = 0; i < NumOperands; ++i)
    if (!covered.operands[i] && operands[i] != 0)
      return fail(*this, "unused operand a" + Twine(i) + " is " +
                             hex(operands[i]) + " (must be 0)");
  return verifySemantics(*this);
}
