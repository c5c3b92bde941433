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

/// Adds convert-tosa-moe-to-cim (mixture-of-experts layers straight to cim)
/// and then upstream's TOSA-to-linalg lowerings (tosa-to-linalg-named,
/// tosa-to-linalg, tosa-to-arith, tosa-to-tensor) on each function.
void addTosaFrontEndPasses(mlir::OpPassManager &pm);

/// Registers `cim-compile`: exporter IR (linalg or TOSA) to one xbar.program
/// (import, canonicalize, cse, cim-quantize, cim-bitslice, cim-tile,
/// cim-place, convert-cim-to-xbar).
void registerCIMCompilePipeline();

} // namespace mho

#endif // MHO_CONVERSION_PASSES_H
