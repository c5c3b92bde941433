//===- Passes.h - mho conversion passes -------------------------*- C++ -*-===//

#ifndef MHO_CONVERSION_PASSES_H
#define MHO_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mho {

#define GEN_PASS_DECL
#include "mho/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mho/Conversion/Passes.h.inc"

/// Registers `convert-tosa-to-cim`: upstream TOSA-to-linalg passes followed by
/// convert-linalg-to-cim.
void registerTosaToCIMPipeline();

} // namespace mho

#endif // MHO_CONVERSION_PASSES_H
