//===- Opcode.h - Opcodes and operand enumerations of the mho ISA ---------===//
//
// The numeric codes of docs/ISA.md §1-§3 and their assembly names. Every enum
// value is the code stored in an instruction's bytes; names are the spellings
// used by the assembly listing (docs/ISA.md §7).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_OPCODE_H
#define MHO_ISA_OPCODE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace mho::isa {

/// The ISA version this library implements (program image header, §5).
constexpr uint32_t IsaVersion = 1;

/// Instruction opcodes (byte 0 of an instruction, §3).
enum class Opcode : uint8_t {
  Nop = 0x00,
  Halt = 0x01,
  Barrier = 0x02,
  Send = 0x03,
  Recv = 0x04,
  Wprog = 0x10,
  Mvm = 0x11,
  Dma = 0x20,
  Vgather = 0x21,
  Vscatter = 0x22,
  Vdispatch = 0x23,
  Vec = 0x30,
  Vred = 0x31,
  Vtopk = 0x32,
  Dmm = 0x33,
};

/// Every opcode, in code order.
constexpr Opcode AllOpcodes[] = {
    Opcode::Nop,     Opcode::Halt,     Opcode::Barrier,   Opcode::Send,
    Opcode::Recv,    Opcode::Wprog,    Opcode::Mvm,       Opcode::Dma,
    Opcode::Vgather, Opcode::Vscatter, Opcode::Vdispatch, Opcode::Vec,
    Opcode::Vred,    Opcode::Vtopk,    Opcode::Dmm};

/// Functions of the `vec` instruction (its `fn` byte, §3.1).
enum class VecFn : uint8_t {
  Copy = 0,
  Add = 1,
  Sub = 2,
  Mul = 3,
  Div = 4,
  Max = 5,
  Min = 6,
  Neg = 7,
  Abs = 8,
  Exp = 9,
  Recip = 10,
  Sqrt = 11,
  Rsqrt = 12,
  Tanh = 13,
  Sigmoid = 14,
  Erf = 15,
  Gelu = 16,
  Silu = 17,
  Cvt = 32,
  Quant = 33,
  Dequant = 34,
};

/// Every vec function, in code order.
constexpr VecFn AllVecFns[] = {
    VecFn::Copy,  VecFn::Add,     VecFn::Sub,   VecFn::Mul,  VecFn::Div,
    VecFn::Max,   VecFn::Min,     VecFn::Neg,   VecFn::Abs,  VecFn::Exp,
    VecFn::Recip, VecFn::Sqrt,    VecFn::Rsqrt, VecFn::Tanh, VecFn::Sigmoid,
    VecFn::Erf,   VecFn::Gelu,    VecFn::Silu,  VecFn::Cvt,  VecFn::Quant,
    VecFn::Dequant};

/// Number of element operands a vec function reads: 1 (unary) or 2 (binary).
/// `dequant` is binary (its second factor is optional, by src2 mode).
unsigned getArity(VecFn fn);

/// Data types (4-bit codes, §1). BF16 and F16 are reserved: no instruction
/// accepts them in ISA v1.
enum class DataType : uint8_t {
  I8 = 0,
  I32 = 1,
  F32 = 2,
  I16 = 3,
  BF16 = 4,
  F16 = 5,
};

/// Size of one element in bytes.
unsigned getByteSize(DataType type);

/// Memory spaces (3-bit codes, §1).
enum class MemorySpace : uint8_t {
  Spad = 0,
  Tbuf = 1,
  Dram = 2,
};

/// Reductions of `vred` (its `fn` byte).
enum class ReduceKind : uint8_t {
  Sum = 0,
  Max = 1,
  Min = 2,
};

/// Where a binary `vec` function takes its second operand (flags bits 0-1).
enum class Src2Mode : uint8_t {
  Imm = 0,     ///< The immediate imm0 (binary) or nothing (unary).
  Elem = 1,    ///< src2[r][c]
  PerRow = 2,  ///< src2[r]
  PerCol = 3,  ///< src2[c]
};

/// How an MVM unit stores signed weights (§4).
enum class WeightEncoding : uint8_t {
  Offset = 0,
  Differential = 1,
};

/// Assembly names, e.g. "mvm", "gelu", "f32", "spad", "sum", "row",
/// "differential".
llvm::StringRef getName(Opcode opcode);
llvm::StringRef getName(VecFn fn);
llvm::StringRef getName(DataType type);
llvm::StringRef getName(MemorySpace space);
llvm::StringRef getName(ReduceKind kind);
llvm::StringRef getName(Src2Mode mode);
llvm::StringRef getName(WeightEncoding encoding);

/// Whether a raw code names a value of the enum.
bool isValidOpcode(uint8_t code);
bool isValidVecFn(uint8_t code);
bool isValidDataType(uint8_t code);
bool isValidMemorySpace(uint8_t code);
bool isValidReduceKind(uint8_t code);
bool isValidWeightEncoding(uint8_t code);

/// Inverse of getName; std::nullopt for an unknown name.
std::optional<Opcode> parseOpcode(llvm::StringRef name);
std::optional<VecFn> parseVecFn(llvm::StringRef name);
std::optional<DataType> parseDataType(llvm::StringRef name);
std::optional<MemorySpace> parseMemorySpace(llvm::StringRef name);
std::optional<ReduceKind> parseReduceKind(llvm::StringRef name);
std::optional<Src2Mode> parseSrc2Mode(llvm::StringRef name);
std::optional<WeightEncoding> parseWeightEncoding(llvm::StringRef name);

} // namespace mho::isa

#endif // MHO_ISA_OPCODE_H
