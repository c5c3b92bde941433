//===- ImageTranslation.h - xbar programs <-> program images ----*- C++ -*-===//
//
// Converts an `xbar.program` to the ISA library's in-memory program image
// (mho::isa::ProgramImage) and back. The binary file format and the assembly
// listing belong to the ISA library (ProgramImage.h, Assembly.h); the
// translations registered here compose the two.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_TARGET_XBAR_IMAGETRANSLATION_H
#define MHO_TARGET_XBAR_IMAGETRANSLATION_H

#include "mho/Dialect/XBar/IR/XBarOps.h"
#include "mho/ISA/ProgramImage.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"

namespace mho::xbar {

/// The image `program` describes: weight blocks, symbols, DRAM initialisers
/// and core streams, each table in program order. Verifies `program` first;
/// every failure is a diagnostic at the offending op.
mlir::FailureOr<isa::ProgramImage> exportProgram(ProgramOp program);

/// A module holding one `xbar.program` equal to `image`, or null after
/// emitting a diagnostic at `loc`. Importing the export of a program gives the
/// program back when its ops are grouped as the image orders them (weight
/// blocks, symbols, dram_inits, cores) and each dram_init's value has the type
/// of the symbol at its address, or is i8.
mlir::OwningOpRef<mlir::ModuleOp> importProgram(const isa::ProgramImage &image,
                                                mlir::MLIRContext *context,
                                                mlir::Location loc);

/// Registers the mho-translate translations: --xbar-to-image, --image-to-xbar,
/// --xbar-to-asm and --asm-to-xbar.
void registerXBarTranslations();

} // namespace mho::xbar

#endif // MHO_TARGET_XBAR_IMAGETRANSLATION_H
