//===- Passes.h - mho passes on upstream IR ---------------------*- C++ -*-===//

#ifndef MHO_TRANSFORMS_PASSES_H
#define MHO_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mho {

#define GEN_PASS_DECL
#include "mho/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mho/Transforms/Passes.h.inc"

} // namespace mho

#endif // MHO_TRANSFORMS_PASSES_H
