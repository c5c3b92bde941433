//===- Opcode.cpp - Names of the ISA's opcodes and operand enums ----------===//

#include "mho/ISA/Opcode.h"

#include "llvm/Support/ErrorHandling.h"

using namespace mho::isa;
using llvm::StringRef;

unsigned mho::isa::getArity(VecFn fn) {
  switch (fn) {
  case VecFn::Add:
  case VecFn::Sub:
  case VecFn::Mul:
  case VecFn::Div:
  case VecFn::Max:
  case VecFn::Min:
  case VecFn::Quant:
  case VecFn::Dequant:
    return 2;
  default:
    return 1;
  }
}

unsigned mho::isa::getByteSize(DataType type) {
  switch (type) {
  case DataType::I8:
    return 1;
  case DataType::I16:
  case DataType::BF16:
  case DataType::F16:
    return 2;
  case DataType::I32:
  case DataType::F32:
    return 4;
  }
  llvm_unreachable("unknown data type");
}

StringRef mho::isa::getName(Opcode opcode) {
  switch (opcode) {
  case Opcode::Nop:
    return "nop";
  case Opcode::Halt:
    return "halt";
  case Opcode::Barrier:
    return "barrier";
  case Opcode::Send:
    return "send";
  case Opcode::Recv:
    return "recv";
  case Opcode::Wprog:
    return "wprog";
  case Opcode::Mvm:
    return "mvm";
  case Opcode::Dma:
    return "dma";
  case Opcode::Vgather:
    return "vgather";
  case Opcode::Vscatter:
    return "vscatter";
  case Opcode::Vdispatch:
    return "vdispatch";
  case Opcode::Vec:
    return "vec";
  case Opcode::Vred:
    return "vred";
  case Opcode::Vtopk:
    return "vtopk";
  case Opcode::Dmm:
    return "dmm";
  }
  return "<invalid opcode>";
}

StringRef mho::isa::getName(VecFn fn) {
  switch (fn) {
  case VecFn::Copy:
    return "copy";
  case VecFn::Add:
    return "add";
  case VecFn::Sub:
    return "sub";
  case VecFn::Mul:
    return "mul";
  case VecFn::Div:
    return "div";
  case VecFn::Max:
    return "max";
  case VecFn::Min:
    return "min";
  case VecFn::Neg:
    return "neg";
  case VecFn::Abs:
    return "abs";
  case VecFn::Exp:
    return "exp";
  case VecFn::Recip:
    return "recip";
  case VecFn::Sqrt:
    return "sqrt";
  case VecFn::Rsqrt:
    return "rsqrt";
  case VecFn::Tanh:
    return "tanh";
  case VecFn::Sigmoid:
    return "sigmoid";
  case VecFn::Erf:
    return "erf";
  case VecFn::Gelu:
    return "gelu";
  case VecFn::Silu:
    return "silu";
  case VecFn::Cvt:
    return "cvt";
  case VecFn::Quant:
    return "quant";
  case VecFn::Dequant:
    return "dequant";
  }
  return "<invalid vec fn>";
}

StringRef mho::isa::getName(DataType type) {
  switch (type) {
  case DataType::I8:
    return "i8";
  case DataType::I32:
    return "i32";
  case DataType::F32:
    return "f32";
  case DataType::I16:
    return "i16";
  case DataType::BF16:
    return "bf16";
  case DataType::F16:
    return "f16";
  }
  return "<invalid type>";
}

StringRef mho::isa::getName(MemorySpace space) {
  switch (space) {
  case MemorySpace::Spad:
    return "spad";
  case MemorySpace::Tbuf:
    return "tbuf";
  case MemorySpace::Dram:
    return "dram";
  }
  return "<invalid space>";
}

StringRef mho::isa::getName(ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Sum:
    return "sum";
  case ReduceKind::Max:
    return "max";
  case ReduceKind::Min:
    return "min";
  }
  return "<invalid reduction>";
}

StringRef mho::isa::getName(Src2Mode mode) {
  switch (mode) {
  case Src2Mode::Imm:
    return "imm";
  case Src2Mode::Elem:
    return "elem";
  case Src2Mode::PerRow:
    return "row";
  case Src2Mode::PerCol:
    return "col";
  }
  return "<invalid mode>";
}

StringRef mho::isa::getName(WeightEncoding encoding) {
  switch (encoding) {
  case WeightEncoding::Offset:
    return "offset";
  case WeightEncoding::Differential:
    return "differential";
  }
  return "<invalid encoding>";
}

bool mho::isa::isValidOpcode(uint8_t code) {
  for (Opcode opcode : AllOpcodes)
    if (static_cast<uint8_t>(opcode) == code)
      return true;
  return false;
}

bool mho::isa::isValidVecFn(uint8_t code) {
  return code <= static_cast<uint8_t>(VecFn::Silu) ||
         (code >= static_cast<uint8_t>(VecFn::Cvt) &&
          code <= static_cast<uint8_t>(VecFn::Dequant));
}

bool mho::isa::isValidDataType(uint8_t code) {
  return code <= static_cast<uint8_t>(DataType::F16);
}

bool mho::isa::isValidMemorySpace(uint8_t code) {
  return code <= static_cast<uint8_t>(MemorySpace::Dram);
}

bool mho::isa::isValidReduceKind(uint8_t code) {
  return code <= static_cast<uint8_t>(ReduceKind::Min);
}

bool mho::isa::isValidWeightEncoding(uint8_t code) {
  return code <= static_cast<uint8_t>(WeightEncoding::Differential);
}

namespace {
/// Finds the enum value named `name` among codes 0..maxCode.
template <typename Enum>
std::optional<Enum> parseByName(StringRef name, unsigned maxCode,
                                bool (*isValid)(uint8_t)) {
  for (unsigned code = 0; code <= maxCode; ++code) {
    if (isValid && !isValid(static_cast<uint8_t>(code)))
      continue;
    Enum value = static_cast<Enum>(code);
    if (getName(value) == name)
      return value;
  }
  return std::nullopt;
}
} // namespace

std::optional<Opcode> mho::isa::parseOpcode(StringRef name) {
  return parseByName<Opcode>(name, 0xFF, isValidOpcode);
}
std::optional<VecFn> mho::isa::parseVecFn(StringRef name) {
  return parseByName<VecFn>(name, 0xFF, isValidVecFn);
}
std::optional<DataType> mho::isa::parseDataType(StringRef name) {
  return parseByName<DataType>(name, 5, nullptr);
}
std::optional<MemorySpace> mho::isa::parseMemorySpace(StringRef name) {
  return parseByName<MemorySpace>(name, 2, nullptr);
}
std::optional<ReduceKind> mho::isa::parseReduceKind(StringRef name) {
  return parseByName<ReduceKind>(name, 2, nullptr);
}
std::optional<Src2Mode> mho::isa::parseSrc2Mode(StringRef name) {
  return parseByName<Src2Mode>(name, 3, nullptr);
}
std::optional<WeightEncoding> mho::isa::parseWeightEncoding(StringRef name) {
  return parseByName<WeightEncoding>(name, 1, nullptr);
}
