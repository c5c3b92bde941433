//===- Passes.h - Passes of the cim dialect ---------------------*- C++ -*-===//
//
// --cim-quantize, --cim-bitslice, --cim-tile, --cim-place
// (docs/Compiler.md).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_TRANSFORMS_PASSES_H
#define MHO_DIALECT_CIM_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mho::cim {

/// --cim-quantize: what a weight that is a function argument becomes.
enum class BindArguments { Error, Elided };

/// --cim-place: what to do when the blocks exceed the target's MVM units.
enum class PlaceOverflow { Error, MultiChip, Reprogram };

#define GEN_PASS_DECL
#include "mho/Dialect/CIM/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mho/Dialect/CIM/Transforms/Passes.h.inc"

} // namespace mho::cim

#endif // MHO_DIALECT_CIM_TRANSFORMS_PASSES_H
