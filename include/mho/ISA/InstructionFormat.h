//===- InstructionFormat.h - Mnemonics and operand fields per opcode ------===//
//
// The one table of instruction formats: for every opcode its mnemonic and its
// named operand fields (where each lives in the 32-byte word and how it is
// written). The assembly printer and parser, the decoder's reserved-bit check
// and anything else that needs field names (e.g. an MLIR dialect) read it.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ISA_INSTRUCTIONFORMAT_H
#define MHO_ISA_INSTRUCTIONFORMAT_H

#include "mho/ISA/Instruction.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mho::isa {

/// Where a field's bits live in the instruction word.
enum class FieldSlot : uint8_t {
  Fn,     ///< byte 1
  TypeLo, ///< byte 2, bits 0-3
  TypeHi, ///< byte 2, bits 4-7
  Flags,  ///< byte 3, the bits of FieldInfo::flagMask
  A0,
  A1,
  A2,
  A3,
  A4,
  A5,
  A6,
  DmaSrc, ///< 48 bits: a0 | (a2 bits 0-15) << 32
  DmaDst, ///< 48 bits: a1 | (a2 bits 16-31) << 32
};

/// How a field's value is written in assembly.
enum class FieldKind : uint8_t {
  Address, ///< unsigned, printed in hex ("0x100")
  Count,   ///< unsigned, printed in decimal
  Int32,   ///< two's-complement i32, printed in signed decimal
  Float32, ///< binary32 bit pattern, printed as a decimal float (hex bits if
           ///< that would not round-trip, e.g. NaN payloads)
  Imm,     ///< vec imm0: Int32 when the vec type is i32, else Float32
  Space,   ///< a MemorySpace name
  Type,    ///< a DataType name
  Mode,    ///< a Src2Mode name
  Flag,    ///< a bare word, present when the flag bit is set
};

struct FieldInfo {
  llvm::StringRef name; ///< assembly name, e.g. "src_stride"
  FieldSlot slot;
  FieldKind kind;
  uint8_t flagMask = 0; ///< Flags slot only: the bits the field occupies.
};

/// The sub-function carried in the `fn` byte and written as a mnemonic suffix
/// ("vec.gelu", "vred.max"), if any.
enum class SubFunction : uint8_t { None, Vec, Reduce };

struct InstructionFormat {
  Opcode opcode;
  llvm::StringRef mnemonic; ///< e.g. "mvm", "vec"
  SubFunction subFunction;
  llvm::ArrayRef<FieldInfo> fields; ///< in printing order
};

/// The format of an opcode.
const InstructionFormat &getFormat(Opcode opcode);

/// The fields of getFormat(inst.getOpcode()).fields that `inst` uses, as a
/// bit mask over their indices. Some fields depend on other fields (a vec
/// function's arity and src2 mode select src2/imm; count is an address with
/// count_indirect). The opcode must be valid.
uint32_t getUsedFields(const Instruction &inst);

/// Reads or writes the value of a field (48-bit for DmaSrc/DmaDst; the
/// flag bits shifted down for Flags; Flag fields read 0 or 1).
uint64_t getFieldValue(const Instruction &inst, const FieldInfo &field);
void setFieldValue(Instruction &inst, const FieldInfo &field, uint64_t value);

/// Largest value a field's slot can hold.
uint64_t getFieldMax(const FieldInfo &field);

/// The full mnemonic of an instruction: "mvm", "vec.gelu", "vred.sum".
std::string getMnemonic(const Instruction &inst);

} // namespace mho::isa

#endif // MHO_ISA_INSTRUCTIONFORMAT_H
