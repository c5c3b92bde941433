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

def ConvertTosaMoEToCIM : Pass<"convert-tosa-moe-to-cim", "mlir::ModuleOp"> {
  let summary = "Recognise a dense TOSA mixture of experts as routed cim ops";
  let description = [{
    Exporters emit a mixture-of-experts feed-forward layer with static shapes
    densely: every expert runs on every token, its output weighted by a
    routing weight that is zero unless the expert is among the token's top
    k. This pass finds that form and rewrites it so that only routed experts
    execute:

    ```
    P     = softmax(router logits)                       [1, T, E] or [T, E]
    thr   = reduce_max(P); then k - 1 times:
            M = select(P' >= thr, c, P'); thr = reduce_max(M)   (c < 0: P >= 0)
    R     = select(P >= thr, P, 0)            (optionally R * 1/reduce_sum(R))
    X     = tile(x, [E, 1, 1]);  Y = expert chain of batched tosa.matmul with
            [E, K, N] weights and element-wise ops        [E, T, H]
    out   = reduce_sum(Y * reshape(transpose(R)), axis 0)
    ```

    becomes `cim.topk` of P (k values and expert indices per token), the
    routing weights (normalised the same way), the expert chain with every
    batched matmul a `cim.moe_linear` on [T, k, ...] slots and the
    element-wise ops on the slots, and `cim.moe_combine`. The dense form
    keeps every expert tied with the k-th probability, `cim.topk` exactly k
    (the lower index on ties); ties of f32 softmax outputs are the only
    difference. A structure that only partly matches is left alone (the
    import then reports the ops it cannot map).
  }];
  let dependentDialects = [
    "mho::cim::CIMDialect", "mlir::tensor::TensorDialect"
  ];
}

def ConvertCIMToXBar : Pass<"convert-cim-to-xbar", "mlir::ModuleOp"> {
  let summary = "Schedule placed cim IR as one xbar.program (per-core ISA "
                "instruction streams)";
  let description = [{
    Replaces the body of a module holding placed, quantized `cim` IR (the
    output of `cim-quantize`, `cim-bitslice`, `cim-tile` and `cim-place`)
    by one `xbar.program` for the module's `#cim.target`:

    - the unit configuration comes from the target (crossbar, slicing,
      `adc_shift`, `acc_bits`, memories, topology; chips grow to cover a
      multi-chip placement);
    - one `xbar.weight_block` per `cim.mvm_tile` (elided `dense_resource`
      weights stay elided: shape-only compilation), programmed by `wprog` at
      the start of its core's stream, or before its first use in its round
      when `cim-place` reprograms;
    - `xbar.symbol`s: the entry's arguments (`input<i>`), its results
      (`output<i>`) and the constants it reads (`c<i>`, with
      `xbar.dram_init`);
    - one `xbar.core` per core with work: every tensor gets a DRAM buffer
      (reshapes alias it; a concat's operands are written into the concat),
      every compute op runs out of the scratchpad in row chunks (DMA in,
      compute, DMA out), and the cores meet at a `barrier` between
      dependence levels.

    docs/Compiler.md ("Scheduling and emission") states the schedule and
    what each cim op becomes. Errors are reported at the op: a missing
    target, an unplaced `cim.mvm_tile`, an unsupported op or axis, a row that
    does not fit the scratchpad, DRAM exhausted, several public functions or
    dynamic shapes.

    With `tile-buffers` (the default), every intermediate buffer that only
    the cores of one tile read and write lives in that tile's buffer
    (`tbuf_bytes`, first come first served, never reused), and one that one
    tile writes and another reads goes over the NoC (`send`/`recv`) into the
    reader's; the others, and the inputs, outputs and constants the host
    sees, stay in DRAM.
  }];
  let dependentDialects = ["mho::xbar::XBarDialect"];
  let options = [
    Option<"tileBuffers", "tile-buffers", "bool", "true",
           "Keep buffers used within one tile in its tile buffer, and send "
           "those one tile writes and another reads over the NoC">,
  ];
}

#endif // MHO_CONVERSION_PASSES_TD
