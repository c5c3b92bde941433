//===- InstructionFormat.cpp - The table of instruction formats -----------===//
//
// The one place that names every operand field of every opcode.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/InstructionFormat.h"

#include "llvm/Support/ErrorHandling.h"

using namespace mho::isa;

namespace {
using S = FieldSlot;
using K = FieldKind;

const FieldInfo barrierFields[] = {
    {"id", S::A0, K::Count},
    {"count", S::A1, K::Count},
};
const FieldInfo sendFields[] = {
    {"src_space", S::TypeHi, K::Space}, {"src", S::A0, K::Address},
    {"dst_tile", S::A1, K::Address},    {"dst", S::A2, K::Address},
    {"bytes", S::A3, K::Count},         {"tag", S::A4, K::Count},
};
const FieldInfo recvFields[] = {
    {"tag", S::A0, K::Count},
    {"src_tile", S::A1, K::Address},
    {"bytes", S::A2, K::Count},
};
const FieldInfo wprogFields[] = {
    {"unit", S::Fn, K::Count},
    {"block", S::A0, K::Count},
};
const FieldInfo mvmFields[] = {
    {"unit", S::Fn, K::Count},
    {"src", S::A0, K::Address},
    {"dst", S::A1, K::Address},
    {"count", S::A2, K::Count},
    {"src_stride", S::A3, K::Count},
    {"dst_stride", S::A4, K::Count},
    {"acc", S::Flags, K::Flag, flag::MvmAccumulate},
    {"count_indirect", S::Flags, K::Flag, flag::MvmCountIndirect},
};
const FieldInfo dmaFields[] = {
    {"src_space", S::TypeLo, K::Space}, {"dst_space", S::TypeHi, K::Space},
    {"src", S::DmaSrc, K::Address},     {"dst", S::DmaDst, K::Address},
    {"row_bytes", S::A3, K::Count},     {"rows", S::A4, K::Count},
    {"src_stride", S::A5, K::Count},    {"dst_stride", S::A6, K::Count},
};
const FieldInfo vgatherFields[] = {
    {"dst", S::A0, K::Address},
    {"src", S::A1, K::Address},
    {"index", S::A2, K::Address},
    {"count", S::A3, K::Count},
    {"row_bytes", S::A4, K::Count},
    {"count_indirect", S::Flags, K::Flag, flag::GatherCountIndirect},
};
const FieldInfo vscatterFields[] = {
    {"dst", S::A0, K::Address},
    {"src", S::A1, K::Address},
    {"index", S::A2, K::Address},
    {"count", S::A3, K::Count},
    {"row_bytes", S::A4, K::Count},
    {"acc", S::Flags, K::Flag, flag::ScatterAccumulate},
    {"count_indirect", S::Flags, K::Flag, flag::GatherCountIndirect},
};
const FieldInfo vdispatchFields[] = {
    {"dst_lists", S::A0, K::Address}, {"dst_counts", S::A1, K::Address},
    {"src", S::A2, K::Address},       {"entries", S::A3, K::Count},
    {"experts", S::A4, K::Count},     {"capacity", S::A5, K::Count},
};
// Indices into vecFields, used by getUsedFields.
enum VecField : unsigned {
  VecType,
  VecTo,
  VecDst,
  VecSrc1,
  VecSrc2,
  VecMode,
  VecRows,
  VecCols,
  VecImm,
  VecInvScale,
  VecScale,
  VecZp,
};
const FieldInfo vecFields[] = {
    {"type", S::TypeLo, K::Type},
    {"to", S::TypeHi, K::Type},
    {"dst", S::A0, K::Address},
    {"src1", S::A1, K::Address},
    {"src2", S::A2, K::Address},
    {"mode", S::Flags, K::Mode, flag::VecModeMask},
    {"rows", S::A3, K::Count},
    {"cols", S::A4, K::Count},
    {"imm", S::A5, K::Imm},
    {"inv_scale", S::A5, K::Float32},
    {"scale", S::A5, K::Float32},
    {"zp", S::A6, K::Int32},
};
const FieldInfo vredFields[] = {
    {"type", S::TypeLo, K::Type}, {"dst", S::A0, K::Address},
    {"src", S::A1, K::Address},   {"rows", S::A3, K::Count},
    {"cols", S::A4, K::Count},
};
const FieldInfo vtopkFields[] = {
    {"dst_values", S::A0, K::Address}, {"dst_indices", S::A1, K::Address},
    {"src", S::A2, K::Address},        {"rows", S::A3, K::Count},
    {"cols", S::A4, K::Count},         {"k", S::A5, K::Count},
};
const FieldInfo dmmFields[] = {
    {"type", S::TypeLo, K::Type},
    {"dst", S::A0, K::Address},
    {"a", S::A1, K::Address},
    {"b", S::A2, K::Address},
    {"m", S::A3, K::Count},
    {"k", S::A4, K::Count},
    {"n", S::A5, K::Count},
    {"trans_b", S::Flags, K::Flag, flag::DmmTransposeB},
    {"acc", S::Flags, K::Flag, flag::DmmAccumulate},
};

const InstructionFormat formats[] = {
    {Opcode::Nop, "nop", SubFunction::None, {}},
    {Opcode::Halt, "halt", SubFunction::None, {}},
    {Opcode::Barrier, "barrier", SubFunction::None, barrierFields},
    {Opcode::Send, "send", SubFunction::None, sendFields},
    {Opcode::Recv, "recv", SubFunction::None, recvFields},
    {Opcode::Wprog, "wprog", SubFunction::None, wprogFields},
    {Opcode::Mvm, "mvm", SubFunction::None, mvmFields},
    {Opcode::Dma, "dma", SubFunction::None, dmaFields},
    {Opcode::Vgather, "vgather", SubFunction::None, vgatherFields},
    {Opcode::Vscatter, "vscatter", SubFunction::None, vscatterFields},
    {Opcode::Vdispatch, "vdispatch", SubFunction::None, vdispatchFields},
    {Opcode::Vec, "vec", SubFunction::Vec, vecFields},
    {Opcode::Vred, "vred", SubFunction::Reduce, vredFields},
    {Opcode::Vtopk, "vtopk", SubFunction::None, vtopkFields},
    {Opcode::Dmm, "dmm", SubFunction::None, dmmFields},
};

uint32_t allFields(const InstructionFormat &format) {
  return format.fields.size() >= 32 ? ~0u
                                    : (1u << format.fields.size()) - 1u;
}

unsigned operandIndex(FieldSlot slot) {
  return static_cast<unsigned>(slot) - static_cast<unsigned>(FieldSlot::A0);
}
} // namespace

const InstructionFormat &mho::isa::getFormat(Opcode opcode) {
  for (const InstructionFormat &format : formats)
    if (format.opcode == opcode)
      return format;
  llvm_unreachable("getFormat: invalid opcode");
}

uint32_t mho::isa::getUsedFields(const Instruction &inst) {
  const InstructionFormat &format = getFormat(inst.getOpcode());
  if (inst.getOpcode() != Opcode::Vec)
    return allFields(format);

  auto fn = static_cast<VecFn>(inst.getFn());
  auto mode = static_cast<Src2Mode>(inst.getFlags() & flag::VecModeMask);
  auto bit = [](VecField field) { return 1u << field; };
  uint32_t used = bit(VecType) | bit(VecDst) | bit(VecSrc1) | bit(VecRows) |
                  bit(VecCols);
  if (fn == VecFn::Cvt || fn == VecFn::Quant || fn == VecFn::Dequant)
    used |= bit(VecTo);
  if (getArity(fn) == 2) {
    used |= bit(VecMode);
    if (mode != Src2Mode::Imm)
      used |= bit(VecSrc2);
  }
  if (fn == VecFn::Quant)
    used |= bit(VecZp) | (mode == Src2Mode::Imm ? bit(VecInvScale) : 0);
  else if (fn == VecFn::Dequant)
    used |= bit(VecScale);
  else if (getArity(fn) == 2 && mode == Src2Mode::Imm)
    used |= bit(VecImm);
  return used;
}

uint64_t mho::isa::getFieldValue(const Instruction &inst,
                                 const FieldInfo &field) {
  switch (field.slot) {
  case FieldSlot::Fn:
    return inst.getFn();
  case FieldSlot::TypeLo:
    return inst.getTypeLo();
  case FieldSlot::TypeHi:
    return inst.getTypeHi();
  case FieldSlot::Flags: {
    uint8_t bits = inst.getFlags() & field.flagMask;
    unsigned shift = 0;
    while (shift < 8 && !((field.flagMask >> shift) & 1))
      ++shift;
    return bits >> shift;
  }
  case FieldSlot::DmaSrc:
    return uint64_t(inst.getOperand(2) & 0xFFFF) << 32 | inst.getOperand(0);
  case FieldSlot::DmaDst:
    return uint64_t(inst.getOperand(2) >> 16) << 32 | inst.getOperand(1);
  default:
    return inst.getOperand(operandIndex(field.slot));
  }
}

void mho::isa::setFieldValue(Instruction &inst, const FieldInfo &field,
                             uint64_t value) {
  switch (field.slot) {
  case FieldSlot::Fn:
    inst.setFn(static_cast<uint8_t>(value));
    return;
  case FieldSlot::TypeLo:
    inst.setType((inst.getType() & 0xF0) | (value & 0xF));
    return;
  case FieldSlot::TypeHi:
    inst.setType((inst.getType() & 0x0F) | ((value & 0xF) << 4));
    return;
  case FieldSlot::Flags: {
    unsigned shift = 0;
    while (shift < 8 && !((field.flagMask >> shift) & 1))
      ++shift;
    uint8_t bits = static_cast<uint8_t>(value << shift) & field.flagMask;
    inst.setFlags((inst.getFlags() & ~field.flagMask) | bits);
    return;
  }
  case FieldSlot::DmaSrc:
    inst.setOperand(0, static_cast<uint32_t>(value));
    inst.setOperand(2, (inst.getOperand(2) & 0xFFFF0000u) |
                           static_cast<uint32_t>((value >> 32) & 0xFFFF));
    return;
  case FieldSlot::DmaDst:
    inst.setOperand(1, static_cast<uint32_t>(value));
    inst.setOperand(2, (inst.getOperand(2) & 0x0000FFFFu) |
                           static_cast<uint32_t>(((value >> 32) & 0xFFFF) << 16));
    return;
  default:
    inst.setOperand(operandIndex(field.slot), static_cast<uint32_t>(value));
    return;
  }
}

uint64_t mho::isa::getFieldMax(const FieldInfo &field) {
  switch (field.slot) {
  case FieldSlot::Fn:
    return 0xFF;
  case FieldSlot::TypeLo:
  case FieldSlot::TypeHi:
    return 0xF;
  case FieldSlot::Flags: {
    unsigned shift = 0;
    while (shift < 8 && !((field.flagMask >> shift) & 1))
      ++shift;
    return field.flagMask >> shift;
  }
  case FieldSlot::DmaSrc:
  case FieldSlot::DmaDst:
    return (uint64_t{1} << 48) - 1;
  default:
    return 0xFFFFFFFFu;
  }
}

std::string mho::isa::getMnemonic(const Instruction &inst) {
  const InstructionFormat &format = getFormat(inst.getOpcode());
  std::string mnemonic = format.mnemonic.str();
  if (format.subFunction == SubFunction::Vec)
    mnemonic += "." + getName(static_cast<VecFn>(inst.getFn())).str();
  else if (format.subFunction == SubFunction::Reduce)
    mnemonic += "." + getName(static_cast<ReduceKind>(inst.getFn())).str();
  return mnemonic;
}
