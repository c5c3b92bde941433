//===- XBarOps.h - xbar structure and instruction ops -----------*- C++ -*-===//
//
// Operations of the xbar dialect: the program image structure (program, core,
// weight_block, symbol, dram_init) and one op per ISA instruction.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_XBAR_IR_XBAROPS_H
#define MHO_DIALECT_XBAR_IR_XBAROPS_H

#include "mho/Dialect/XBar/IR/XBarDialect.h"
#include "mho/ISA/Instruction.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

#include <optional>
#include <vector>

#include "mho/Dialect/XBar/IR/XBarOpInterfaces.h.inc"

#define GET_OP_CLASSES
#include "mho/Dialect/XBar/IR/XBarOps.h.inc"

namespace mho::xbar {

/// The ISA data type of an MLIR element type (i8, i16, i32, f32, bf16, f16),
/// if it has one.
std::optional<DataType> getDataType(mlir::Type type);

/// Creates the op of one ISA instruction at the builder's insertion point (the
/// inverse of InstructionOpInterface::getInstruction); `blockName` is the
/// xbar.weight_block a `wprog` programs. Optional `vec` attributes are set
/// exactly for the fields the instruction uses (isa::getUsedFields).
mlir::Operation *createInstructionOp(mlir::OpBuilder &builder,
                                     mlir::Location loc,
                                     const isa::Instruction &inst,
                                     llvm::StringRef blockName = {});

} // namespace mho::xbar

#endif // MHO_DIALECT_XBAR_IR_XBAROPS_H
