//===- Passes.td - mho conversion passes -------------------*- tablegen -*-===//

#ifndef MHO_CONVERSION_PASSES_TD
#define MHO_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLinalgToCIM : Pass<"convert-linalg-to-cim", "mlir::ModuleOp"> {
  let summary = "Map linalg-on-tensors onto crossbars and the vector unit";
  let description = [{
    Rewrites the compute of an exporter's linalg-on-tensors program as `cim`
    operations:

    - `linalg.matmul` / `linalg.batch_matmul` whose right operand is a
      *stationary weight* become `cim.linear`; any other product (two
      activations, as attention's Q·Kᵀ and P·V) becomes `cim.dmm`, with a
      transpose of the last two dimensions of its right operand folded into
      `transpose_b`. A weight is stationary when it comes, through
      `linalg.transpose`, `linalg.broadcast`, `tensor.expand_shape`,
      `tensor.collapse_shape` and `tensor.extract_slice`, from an
      `arith.constant`, an `ml_program.global_load_const`, or a function
      argument marked `{mho.weight}` or listed in `weight-arguments`.
    - `linalg.generic` bodies of `arith`/`math` operations become one
      `cim.unary`/`cim.binary` per body operation on whole tensors, with
      operands broadcast as their indexing maps say; reductions become
      `cim.reduce`; a select of `-inf` on a condition over `linalg.index`
      values (a causal mask) becomes the addition of a constant mask.
    - `linalg.reduce` becomes `cim.reduce`, `linalg.softmax` `cim.softmax`.

    Data movement (`linalg.transpose`, `tensor` reshapes, slices, concats)
    stays upstream. An operation that cannot be mapped is reported at its
    location with the reason, and the pass fails.

    For TOSA input, run `tosa-to-linalg-named`, `tosa-to-linalg`,
    `tosa-to-arith` and `tosa-to-tensor` first (the `convert-tosa-to-cim`
    pipeline does).
  }];
  let dependentDialects = [
    "mho::cim::CIMDialect", "mlir::arith::ArithDialect",
    "mlir::tensor::TensorDialect"
  ];
  let options = [
    ListOption<"weightArguments", "weight-arguments", "unsigned",
               "Indices of the entry function's arguments that are weights">,
  ];
}

#endif // MHO_CONVERSION_PASSES_TD
