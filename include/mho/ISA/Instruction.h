//===- Instruction.h - One 32-byte instruction of the mho ISA -------------===//
//
// An Instruction is the value of one 32-byte instruction word (docs/ISA.md
// §2): opcode, fn, type, flags and seven u32 operands. Builders create one
// instruction per opcode from typed operands, `get<Op>()` views read them back,
// `encode`/`decode` convert to and from the little-endian bytes, and `verify`
// checks every rule of §2-§3 (known opcode and function, legal types, unused
// operands and flags zero, ...).
//
// Builders never fail: they store what they are given. An instruction built
// from operands that break a rule (e.g. `exp` on i32) fails `verify()` with a
// message naming the rule; `decode` runs `verify` on what it reads.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_INSTRUCTION_H
#define MHO_ISA_INSTRUCTION_H

#include "mho/ISA/Opcode.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>

namespace mho::isa {

//===----------------------------------------------------------------------===//
// Typed operand views, one per instruction format
//===----------------------------------------------------------------------===//

struct BarrierOperands {
  uint32_t id = 0;
  uint32_t count = 0;
};

struct SendOperands {
  MemorySpace srcSpace = MemorySpace::Spad;
  uint32_t src = 0;
  uint32_t dstTile = 0; ///< Global tile id: chip << 16 | tile.
  uint32_t dst = 0;     ///< tbuf address in the destination tile.
  uint32_t bytes = 0;
  uint32_t tag = 0;
};

struct RecvOperands {
  uint32_t tag = 0;
  uint32_t srcTile = 0; ///< Global tile id: chip << 16 | tile.
  uint32_t bytes = 0;
};

struct WprogOperands {
  uint8_t unit = 0;
  uint32_t block = 0;
};

struct MvmOperands {
  uint8_t unit = 0;
  uint32_t src = 0;
  uint32_t dst = 0;
  uint32_t count = 0; ///< spad address of an i32 count with countIndirect.
  uint32_t srcStride = 0;
  uint32_t dstStride = 0;
  bool accumulate = false;
  bool countIndirect = false;
};

struct DmaOperands {
  MemorySpace srcSpace = MemorySpace::Spad;
  MemorySpace dstSpace = MemorySpace::Spad;
  uint64_t src = 0; ///< 48-bit address.
  uint64_t dst = 0; ///< 48-bit address.
  uint32_t rowBytes = 0;
  uint32_t rows = 0;
  uint32_t srcStride = 0;
  uint32_t dstStride = 0;
};

/// Operands of vgather and vscatter.
struct GatherOperands {
  uint32_t dst = 0;
  uint32_t src = 0;
  uint32_t index = 0; ///< spad address of `count` i32 row indices.
  uint32_t count = 0; ///< spad address of an i32 count with countIndirect.
  uint32_t rowBytes = 0;
  bool countIndirect = false;
  bool accumulate = false; ///< vscatter only: add rows in f32.
};

/// Operands of vdispatch: the token slots routed to each expert.
struct VdispatchOperands {
  uint32_t dstLists = 0;  ///< spad address of experts x capacity i32 slots.
  uint32_t dstCounts = 0; ///< spad address of experts i32 counts.
  uint32_t src = 0;       ///< spad address of `entries` i32 expert indices.
  uint32_t entries = 0;
  uint32_t experts = 0;
  uint32_t capacity = 0;
};

struct VecOperands {
  VecFn fn = VecFn::Copy;
  DataType type = DataType::F32;   ///< Element (source) type, type.lo.
  DataType toType = DataType::I8;  ///< Result type of cvt/quant/dequant, type.hi.
  Src2Mode mode = Src2Mode::Imm;
  uint32_t dst = 0;
  uint32_t src1 = 0;
  uint32_t src2 = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t imm0 = 0; ///< f32 bit pattern, or an i32 for type i32.
  uint32_t imm1 = 0; ///< quant: zero point as i32.
};

struct VredOperands {
  ReduceKind kind = ReduceKind::Sum;
  DataType type = DataType::F32;
  uint32_t dst = 0;
  uint32_t src = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
};

struct VtopkOperands {
  uint32_t dstValues = 0;
  uint32_t dstIndices = 0;
  uint32_t src = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t k = 0;
};

struct DmmOperands {
  DataType type = DataType::F32; ///< f32, or i8 with i32 results.
  uint32_t dst = 0;
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t m = 0;
  uint32_t k = 0;
  uint32_t n = 0;
  bool transposeB = false;
  bool accumulate = false;
};

//===----------------------------------------------------------------------===//
// Instruction
//===----------------------------------------------------------------------===//

/// Flag bits (byte 3) of the instructions that have them.
namespace flag {
constexpr uint8_t MvmAccumulate = 1u << 0;
constexpr uint8_t MvmCountIndirect = 1u << 1;
constexpr uint8_t GatherCountIndirect = 1u << 1;
constexpr uint8_t ScatterAccumulate = 1u << 0;
constexpr uint8_t VecModeMask = 0x3;
constexpr uint8_t DmmTransposeB = 1u << 0;
constexpr uint8_t DmmAccumulate = 1u << 1;
} // namespace flag

class Instruction {
public:
  static constexpr unsigned Size = 32;
  static constexpr unsigned NumOperands = 7;
  using Bytes = std::array<uint8_t, Size>;

  /// A `nop`.
  Instruction() = default;

  /// Assembles the raw fields without checking them (see verify()).
  static Instruction fromFields(uint8_t opcode, uint8_t fn, uint8_t type,
                                uint8_t flags,
                                const std::array<uint32_t, NumOperands> &ops);

  //===--- Builders, one per instruction -----------------------------------===//

  static Instruction nop();
  static Instruction halt();
  static Instruction barrier(uint32_t id, uint32_t count);
  static Instruction send(MemorySpace srcSpace, uint32_t src, uint32_t dstTile,
                          uint32_t dst, uint32_t bytes, uint32_t tag);
  static Instruction recv(uint32_t tag, uint32_t srcTile, uint32_t bytes);
  static Instruction wprog(uint8_t unit, uint32_t block);
  static Instruction mvm(uint8_t unit, uint32_t src, uint32_t dst,
                         uint32_t count, uint32_t srcStride, uint32_t dstStride,
                         bool accumulate = false, bool countIndirect = false);
  static Instruction dma(MemorySpace srcSpace, MemorySpace dstSpace,
                         uint64_t src, uint64_t dst, uint32_t rowBytes,
                         uint32_t rows, uint32_t srcStride, uint32_t dstStride);
  static Instruction vgather(uint32_t dst, uint32_t src, uint32_t index,
                             uint32_t count, uint32_t rowBytes,
                             bool countIndirect = false);
  static Instruction vscatter(uint32_t dst, uint32_t src, uint32_t index,
                              uint32_t count, uint32_t rowBytes,
                              bool accumulate = false,
                              bool countIndirect = false);
  static Instruction vdispatch(uint32_t dstLists, uint32_t dstCounts,
                               uint32_t src, uint32_t entries, uint32_t experts,
                               uint32_t capacity);
  /// The general vec form; the helpers below cover the usual cases.
  static Instruction vec(const VecOperands &operands);
  /// dst = fn(src1) for a unary f32 (or i32 copy) function.
  static Instruction vecUnary(VecFn fn, DataType type, uint32_t dst,
                              uint32_t src, uint32_t rows, uint32_t cols);
  /// dst = fn(src1, src2) with src2 read per `mode` (not Imm).
  static Instruction vecBinary(VecFn fn, DataType type, Src2Mode mode,
                               uint32_t dst, uint32_t src1, uint32_t src2,
                               uint32_t rows, uint32_t cols);
  /// dst = fn(src1, imm) with an f32 immediate.
  static Instruction vecBinaryImm(VecFn fn, uint32_t dst, uint32_t src1,
                                  float imm, uint32_t rows, uint32_t cols);
  /// dst = fn(src1, imm) with an i32 immediate (type i32).
  static Instruction vecBinaryImmI32(VecFn fn, uint32_t dst, uint32_t src1,
                                     int32_t imm, uint32_t rows, uint32_t cols);
  /// i32 <-> f32 conversion.
  static Instruction cvt(DataType from, DataType to, uint32_t dst, uint32_t src,
                         uint32_t rows, uint32_t cols);
  /// f32 -> i8/i16: sat(rne(x * m) + zeroPoint) with m = invScale for mode
  /// Imm, else s2(r, c) (per-row scales of dynamic quantization).
  static Instruction quant(DataType to, uint32_t dst, uint32_t src,
                           uint32_t rows, uint32_t cols, float invScale,
                           int32_t zeroPoint, Src2Mode mode = Src2Mode::Imm,
                           uint32_t src2 = 0);
  /// i32 -> f32: (f32(acc) * scale) [* s2(r, c) unless mode is Imm].
  static Instruction dequant(uint32_t dst, uint32_t src, float scale,
                             uint32_t rows, uint32_t cols,
                             Src2Mode mode = Src2Mode::Imm, uint32_t src2 = 0);
  static Instruction vred(ReduceKind kind, DataType type, uint32_t dst,
                          uint32_t src, uint32_t rows, uint32_t cols);
  static Instruction vtopk(uint32_t dstValues, uint32_t dstIndices,
                           uint32_t src, uint32_t rows, uint32_t cols,
                           uint32_t k);
  static Instruction dmm(DataType type, uint32_t dst, uint32_t a, uint32_t b,
                         uint32_t m, uint32_t k, uint32_t n,
                         bool transposeB = false, bool accumulate = false);

  //===--- Raw fields -------------------------------------------------------===//

  /// The opcode; only meaningful after verify() (or decode) succeeded.
  Opcode getOpcode() const { return static_cast<Opcode>(opcode); }
  uint8_t getRawOpcode() const { return opcode; }
  uint8_t getFn() const { return fn; }
  uint8_t getType() const { return type; }
  uint8_t getTypeLo() const { return type & 0xF; }
  uint8_t getTypeHi() const { return type >> 4; }
  uint8_t getFlags() const { return flags; }
  uint32_t getOperand(unsigned i) const { return operands[i]; }
  const std::array<uint32_t, NumOperands> &getOperands() const {
    return operands;
  }

  void setFn(uint8_t value) { fn = value; }
  void setType(uint8_t value) { type = value; }
  void setFlags(uint8_t value) { flags = value; }
  void setOperand(unsigned i, uint32_t value) { operands[i] = value; }

  //===--- Typed views (assert the opcode) ---------------------------------===//

  BarrierOperands getBarrier() const;
  SendOperands getSend() const;
  RecvOperands getRecv() const;
  WprogOperands getWprog() const;
  MvmOperands getMvm() const;
  DmaOperands getDma() const;
  /// vgather or vscatter.
  GatherOperands getGather() const;
  VdispatchOperands getVdispatch() const;
  VecOperands getVec() const;
  VredOperands getVred() const;
  VtopkOperands getVtopk() const;
  DmmOperands getDmm() const;

  //===--- Encoding ---------------------------------------------------------===//

  /// The 32 little-endian bytes of §2.
  Bytes encode() const;
  void encode(uint8_t *out) const;

  /// Reads 32 bytes (fewer is an error) and verifies them.
  static llvm::Expected<Instruction> decode(llvm::ArrayRef<uint8_t> bytes);

  /// Checks every encoding rule of docs/ISA.md §2-§3 that does not need the
  /// unit configuration; the message names the first broken rule, e.g.
  /// "vec.exp: type i32 is not legal (f32 only)". See also
  /// verifyInstruction(inst, config) in ProgramImage.h.
  llvm::Error verify() const;

  friend bool operator==(const Instruction &a, const Instruction &b) {
    return a.opcode == b.opcode && a.fn == b.fn && a.type == b.type &&
           a.flags == b.flags && a.operands == b.operands;
  }
  friend bool operator!=(const Instruction &a, const Instruction &b) {
    return !(a == b);
  }

private:
  uint8_t opcode = 0;
  uint8_t fn = 0;
  uint8_t type = 0;
  uint8_t flags = 0;
  std::array<uint32_t, NumOperands> operands{};
};

static_assert(sizeof(Instruction) == Instruction::Size,
              "an Instruction is exactly one 32-byte instruction word");

/// f32 <-> bit pattern (immediates are binary32 patterns).
uint32_t floatToBits(float value);
float bitsToFloat(uint32_t bits);

} // namespace mho::isa

#endif // MHO_ISA_INSTRUCTION_H
