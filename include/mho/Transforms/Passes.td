//===- Passes.td - mho passes on upstream IR ---------------*- tablegen -*-===//

#ifndef MHO_TRANSFORMS_PASSES_TD
#define MHO_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExposeIntermediates : Pass<"mho-expose-intermediates", "mlir::ModuleOp"> {
  let summary = "Return chosen intermediate tensors from the entry function";
  let description = [{
    Appends the results of every operation named in `ops` (by default each
    linear layer: `linalg.matmul` and `linalg.batch_matmul`) to the results of
    each public function, in program order, so that every engine returns
    them. Comparing an engine's extra outputs with the FP32 reference's gives
    accuracy layer by layer (`mho-sim --compare`/`--compare-ref` reports each
    output). Each appended result gets the result attribute
    `mho.name = "<op name>@<file>:<line>:<col>"` naming where it came from.
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "Operation names whose results to return "
               "(default: linalg.matmul,linalg.batch_matmul)">,
  ];
}

#endif // MHO_TRANSFORMS_PASSES_TD
