//===- InitAll.h - Register every dialect and pass mho-based tools use ----===//
//
// mho consumes ordinary upstream IR (linalg, tosa, tensor, arith, math,
// ml_program, func, ...) exactly as torch-mlir, IREE and buddy-mlir export it,
// so its tools register all upstream dialects, interfaces and passes, then
// mho's own.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_INITALL_H
#define MHO_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mho {

/// Registers every upstream dialect and extension, then mho's dialects.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers every upstream pass and pipeline, then mho's.
void registerAllPasses();

} // namespace mho

#endif // MHO_INITALL_H
