//===- Passes.td - Passes of the cim dialect ---------------*- tablegen -*-===//
//
// cim.linear (f32) -> quantized cim.mvm -> bit-sliced -> tiled cim.mvm_tile
// -> placed on MVM units, driven by the module's #cim.target
// (docs/Compiler.md).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_TRANSFORMS_PASSES_TD
#define MHO_DIALECT_CIM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CIMSetTarget : Pass<"cim-set-target", "mlir::ModuleOp"> {
  let summary = "Attach the #cim.target of an architecture file to the module";
  let description = [{
    Loads the architecture YAML named by `arch` (docs/Architecture.md),
    validates it, and sets the module attribute `cim.target` from it: the
    crossbar geometry and bit widths of the MVM unit, the ADC resolution and
    the LSBs it drops (`adc_shift`, derived from the ADC range), MVM units
    per core, cores per tile, tiles per chip, chips, scratchpad, tile-buffer
    and off-chip memory sizes, and whether a digital matrix unit is present.
    Errors of the file are reported with their file, line and column.
  }];
  let dependentDialects = ["mho::cim::CIMDialect"];
  let options = [
    Option<"archPath", "arch", "std::string", "",
           "Architecture YAML file (e.g. hw/arch/default.yaml)">,
  ];
}

def CIMQuantize : Pass<"cim-quantize", "mlir::ModuleOp"> {
  let summary = "Quantize cim.linear to cim.quantize_dynamic + cim.mvm + "
                "cim.dequantize_acc, and cim.moe_linear to cim.moe_mvm";
  let description = [{
    Rewrites every `cim.linear %x, %w [bias %b]` into

    ```mlir
    %q, %s = cim.quantize_dynamic %x {bits = <input_bits>}
    %acc   = cim.mvm %q, %wq {slicing = <from the target>}
    %y     = cim.dequantize_acc %acc scales(%ws) input_scales(%s)
    %z     = cim.binary <add> %y, %b          // only with a bias
    ```

    Activations are quantized per row at run time (symmetric, no
    calibration). Weights are quantized at compile time, per output channel
    and symmetric: `scale[n] = max_k |w[k, n]| / (2^(wb-1) - 1)` (1 for a
    zero column) and `wq = clamp(roundeven(w * f32(1 / scale)), -(2^(wb-1)-1),
    2^(wb-1)-1)`, with `wb` the target's `weight_bits`. The weight must be a
    compile-time constant: an `arith.constant` (dense elements or a
    `dense_resource` blob) or an `ml_program.global_load_const`, possibly
    through `linalg.transpose`, `tensor.collapse_shape`,
    `tensor.expand_shape` and `tensor.extract_slice` (static), which are
    folded into the quantized constant. A `dense_resource<__elided__>`
    weight (shape only) gives `dense_resource<__elided__>` quantized weights
    and scales without touching any data. A weight that is a function
    argument takes its values from `weights-file` (a safetensors file; the
    tensor named by the argument's `mho.name` attribute, else `arg<i>`, F32,
    of the argument's shape), or is shape-only with `bind-arguments=elided`.

    Every `cim.moe_linear %x, %w, %idx` (E x K x N experts) becomes

    ```mlir
    %lists, %counts = cim.moe_dispatch %idx {experts = E}   // one per routing
    %q, %s = cim.quantize_dynamic %x {bits = <input_bits>}
    %y     = cim.moe_mvm %q scales(%s), %wq scales(%ws), %lists, %counts
                 {rows, cols = <the target's crossbar>, slicing = <the target's>}
    ```

    with every expert quantized per output channel as above.
  }];
  let dependentDialects = [
    "mho::cim::CIMDialect", "mlir::arith::ArithDialect"
  ];
  let options = [
    Option<"bindArguments", "bind-arguments", "mho::cim::BindArguments",
           "mho::cim::BindArguments::Error",
           "What a weight that is a function argument becomes",
           [{::llvm::cl::values(
             clEnumValN(mho::cim::BindArguments::Error, "error",
                        "an error: its values are unknown (default)"),
             clEnumValN(mho::cim::BindArguments::Elided, "elided",
                        "shape-only: treat it as dense_resource<__elided__>"))}]>,
    Option<"weightsFile", "weights-file", "std::string", "",
           "Bind weights that are function arguments from this safetensors "
           "file: argument i is the tensor named by its `mho.name` argument "
           "attribute, or `arg<i>`">,
  ];
}

def CIMBitslice : Pass<"cim-bitslice", "mlir::ModuleOp"> {
  let summary = "Set each crossbar product's #cim.slicing from the target";
  let description = [{
    Sets the `slicing` of every `cim.mvm`, `cim.mvm_tile` and `cim.moe_mvm`
    to the target's
    (cell bits, slices, DAC bits, planes, encoding) and checks that the
    operand widths are the target's `input_bits` and `weight_bits`. A
    constant weight that the encoding cannot store (-2^(wb-1) under
    differential encoding) is an error at the op. With `report`, each op
    gets a remark with its crossbar reads per input vector
    (planes x slices, x 2 for differential). (The passes report through
    remarks and attributes, not pass statistics: Debian's LLVM is built with
    NDEBUG, which compiles `-mlir-pass-statistics` out.)
  }];
  let dependentDialects = ["mho::cim::CIMDialect"];
  let options = [
    Option<"report", "report", "bool", "false",
           "Emit a remark per op with its crossbar reads per input vector">,
  ];
}

def CIMTile : Pass<"cim-tile", "mlir::ModuleOp"> {
  let summary = "Split cim.mvm into crossbar-sized cim.mvm_tile blocks";
  let description = [{
    Splits every `cim.mvm` with a K x N weight into blocks of at most the
    target's `rows` x `cols`: for each column block, a chain of
    `cim.mvm_tile` over the row blocks (the first `acc` a zero constant,
    each next one the previous result), and the column blocks joined with
    `tensor.concat` along the last axis. Constant weights are sliced at
    compile time into one constant per block (`dense_resource<__elided__>`
    stays elided); any other weight is sliced with `tensor.extract_slice`.
  }];
  let dependentDialects = [
    "mho::cim::CIMDialect", "mlir::arith::ArithDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def CIMPlace : Pass<"cim-place", "mlir::ModuleOp"> {
  let summary = "Assign every crossbar block a physical MVM unit";
  let description = [{
    Gives every `cim.mvm_tile` a `place = #cim.place<chip, tile, core, unit>`
    in program order (layer order), and every `cim.moe_mvm` the `places` of
    its blocks (expert, column block, row block), which must all land in
    round 0: routed experts are resident. The n-th block goes to slot n, and slots
    fill the cores of a tile round-robin first:
    `core = n % cores`, `unit = (n / cores) % mvm_units`,
    `tile = (n / (cores * mvm_units)) % tiles`, `chip = n / units_per_chip`,
    so consecutive blocks of a layer run on different cores. The capacity is
    `chips * tiles * cores * mvm_units` units; a model that needs more is
    handled by `overflow`:

    - `error` (default): the pass fails, stating blocks needed vs. units
      available;
    - `multi-chip`: as many chips as needed are used;
    - `reprogram`: units are reused round after round (`round = r` in the
      place attribute, block n in round n / capacity); the cells written per
      round (R x C x slices, x 2 for differential, per block) are reported
      as a remark.

    With `replicate=N` (N > 1) the pipeline stages are balanced: an
    `mvm_tile` chain of L blocks, whose row chunks each take L block
    multiplications, gets min(N, ceil(L / L_min)) copies (L_min the shortest
    chain), placed after all blocks in the same slot order and recorded in
    the tile's `replicas`; convert-cim-to-xbar spreads the row chunks over
    the copies. Copies must be resident (`overflow=reprogram` with too few
    units is an error).

    The module gets `cim.placement = {blocks, units_used, chips_used,
    reprogram_rounds, cells_per_round}`. Every block is placed; nothing is
    dropped.
  }];
  let dependentDialects = ["mho::cim::CIMDialect"];
  let options = [
    Option<"overflow", "overflow", "mho::cim::PlaceOverflow",
           "mho::cim::PlaceOverflow::Error",
           "What to do when the blocks exceed the target's MVM units",
           [{::llvm::cl::values(
             clEnumValN(mho::cim::PlaceOverflow::Error, "error",
                        "fail, stating blocks needed vs. available (default)"),
             clEnumValN(mho::cim::PlaceOverflow::MultiChip, "multi-chip",
                        "use as many chips as the model needs"),
             clEnumValN(mho::cim::PlaceOverflow::Reprogram, "reprogram",
                        "reuse units in rounds, reprogramming between them"))}]>,
    Option<"replicate", "replicate", "int64_t", "1",
           "Up to this many copies of a chain's blocks, in proportion to the "
           "chain's length (balances pipeline stages)">,
  ];
}

#endif // MHO_DIALECT_CIM_TRANSFORMS_PASSES_TD
