//===- CIMOps.td - Operations of the cim dialect -----------*- tablegen -*-===//

#ifndef MHO_DIALECT_CIM_IR_CIMOPS_TD
#define MHO_DIALECT_CIM_IR_CIMOPS_TD

include "mho/Dialect/CIM/IR/CIMAttributes.td"
include "mho/Dialect/CIM/IR/CIMDialect.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def CIM_F32Tensor : RankedTensorOf<[F32]>;
def CIM_IntTensor : RankedTensorOf<[AnySignlessInteger]>;
def CIM_I32Tensor : RankedTensorOf<[I32]>;
def CIM_NumericTensor : RankedTensorOf<[F32, AnySignlessInteger]>;

class CIM_Op<string mnemonic, list<Trait> traits = []>
    : Op<CIM_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Stationary-weight matrix products
//===----------------------------------------------------------------------===//

def CIM_LinearOp : CIM_Op<"linear", [Pure]> {
  let summary = "float matrix product with a crossbar-stationary weight";
  let description = [{
    `result[..., n] = sum_k input[..., k] * weight[k, n] (+ bias[n])` in f32.
    The input has any number of leading (batch) dimensions and its last
    dimension is K; the weight is a statically shaped K x N matrix that will
    be held on crossbars; the optional bias has shape N. The summation order
    is unspecified, and so is the sign of a zero result; a zero bias folds
    away. Later passes quantize the operands and lower the product to
    `cim.mvm`.

    ```mlir
    %y = cim.linear %x, %w bias %b
        : tensor<2x8x64xf32>, tensor<64x32xf32>, tensor<32xf32> -> tensor<2x8x32xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_F32Tensor:$weight,
                       Optional<CIM_F32Tensor>:$bias);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight,
                   CArg<"::mlir::Value", "{}">:$bias)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_QuantizeOp : CIM_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "quantize f32 values to signed integers (per tensor)";
  let description = [{
    Applies `#cim.quant` elementwise, exactly as the ISA `quant` function:
    `q = clamp(roundeven(x * f32(1 / scale)) + zero_point, -2^(bits-1), 2^(bits-1)-1)`,
    with the reciprocal and the product single f32 operations rounded to
    nearest even, halfway cases rounded to the even integer, NaN mapped to
    `zero_point` and infinities saturated. The result element type is `i<bits>`. Folds on constant
    operands and folds `quantize(dequantize(q))` with the same parameters
    back to `q` when that is exact.

    ```mlir
    %q = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 5.000000e-02 : f32>}
        : tensor<4x64xf32> -> tensor<4x64xi8>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_QuantAttr:$quant);
  let results = (outs CIM_IntTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "QuantAttr":$quant)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_DequantizeOp : CIM_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "map signed integers back to f32 (per tensor)";
  let description = [{
    The inverse map of `cim.quantize`: `x = f32(q - zero_point) * scale`,
    where the difference is exact and the product is one f32 multiplication
    rounded to nearest even. The operand's element type is `i<bits>`. Folds
    on a constant operand.

    ```mlir
    %x = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 5.000000e-02 : f32>}
        : tensor<4x64xi8> -> tensor<4x64xf32>
    ```
  }];
  let arguments = (ins CIM_IntTensor:$input, CIM_QuantAttr:$quant);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "QuantAttr":$quant)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_QuantizeDynamicOp : CIM_Op<"quantize_dynamic", [Pure]> {
  let summary = "quantize each row with its own symmetric scale";
  let description = [{
    Dynamic per-row (per-token) symmetric quantization: no calibration data,
    the scale of each row (the last axis, K elements) comes from the row
    itself. With Q = 2^(bits-1) - 1, for each row `x[0..K-1]`, in this exact
    f32 order (every operation one IEEE binary32 operation rounded to nearest
    even):

    ```
    m    = |x[0]|;  m = (m > |x[i]|) ? m : |x[i]|   for i = 1 .. K-1   (ISA vred max, left to right)
    s0   = m / f32(Q)
    s    = (s0 == 0) ? 1.0 : s0                      (an all-zero row gets scale 1)
    r    = 1 / s
    q[i] = clamp(roundeven(x[i] * r), -2^(bits-1), 2^(bits-1) - 1)   (NaN -> 0)
    ```

    The results are `q` (the input's shape, `i<bits>`) and `s` (the input's
    shape with the last dimension 1, f32). On the vector unit this is `vec
    abs`, `vred max`, `vec div` by Q, the zero-row select, `vec recip` and
    `vec quant` with the per-row multipliers r (src2 mode row; docs/ISA.md
    §3.1). `bits` is in [2, 16]. Folds when the input is a constant.

    ```mlir
    %q, %s = cim.quantize_dynamic %x {bits = 8 : i64}
        : tensor<4x64xf32> -> tensor<4x64xi8>, tensor<4x1xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, I64Attr:$bits);
  let results = (outs CIM_IntTensor:$result, CIM_F32Tensor:$scales);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result) `,` type($scales)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "unsigned":$bits)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_DequantizeAccOp : CIM_Op<"dequantize_acc",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "scale i32 accumulations to f32 per output channel (and row)";
  let description = [{
    Turns the i32 accumulations of `cim.mvm` (or integer `cim.dmm`) back into
    f32. N is the last dimension of the input. The activation scale is
    either one `input_scale` for the whole tensor (attribute) or one scale
    per row, `input_scales`, shaped like the input with a last dimension of
    1 (the second result of `cim.quantize_dynamic`); exactly one is given.

    ```
    input_scale:   result[..., n] = f32(input[..., n] + offsets[n]) * f32(scales[n] * input_scale)
    input_scales:  result[..., n] = (f32(input[..., n] + offsets[n]) * scales[n]) * input_scales[..., 0]
    ```

    The integer sum is exact (offsets default to 0; they carry the
    `-zero_point * sum_k w[k, n]` correction of an asymmetric input); its
    conversion to f32 and every product round to nearest even. `scales` are
    the per-output-channel weight scales. The per-row form is two ISA
    instructions, exactly: `dequant` with immediate 1.0 and a per-column
    `scales` operand, then a per-row `vec mul` by `input_scales`; the
    per-tensor form is one `dequant` with the combined per-column scales
    `f32(scales[n] * input_scale)`. Folds when every operand is constant.

    ```mlir
    %y = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) {input_scale = 5.000000e-02 : f32}
        : tensor<4x32xi32> -> tensor<4x32xf32>
    %z = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) input_scales(%r : tensor<4x1xf32>)
        : tensor<4x32xi32> -> tensor<4x32xf32>
    ```
  }];
  let arguments = (ins CIM_I32Tensor:$input, CIM_F32Tensor:$scales,
                       Optional<CIM_I32Tensor>:$offsets,
                       Optional<CIM_F32Tensor>:$input_scales,
                       OptionalAttr<F32Attr>:$input_scale);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = [{
    $input `scales` `(` $scales `:` type($scales) `)`
    (`offsets` `(` $offsets^ `:` type($offsets) `)`)?
    (`input_scales` `(` $input_scales^ `:` type($input_scales) `)`)?
    attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_MVMOp : CIM_Op<"mvm", [Pure]> {
  let summary = "exact integer product with a crossbar-stationary weight";
  let description = [{
    `result[..., n] = sum_k input[..., k] * weight[k, n]`, exact, in i32.
    The input is `i<input_bits>` with any leading dimensions, the weight a
    statically shaped K x N matrix of `i<weight_bits>`, both signed, with the
    widths given by `slicing`. The slicing states how the hardware computes
    the product (bit slices, DAC planes, encoding); the value is the exact
    integer product whatever the slicing, and analog error is the functional
    engine's business. The verifier rejects shapes whose worst-case sum could
    overflow i32. Under `differential` encoding the weight must not contain
    -2^(weight_bits-1); that is checked by the placement pass, not here.

    ```mlir
    %acc = cim.mvm %xq, %wq {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2,
        slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>}
        : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
    ```
  }];
  let arguments = (ins CIM_IntTensor:$input, CIM_IntTensor:$weight,
                       CIM_SlicingAttr:$slicing);
  let results = (outs CIM_I32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight,
                   "SlicingAttr":$slicing)>
  ];
  let hasVerifier = 1;
}

def CIM_MVMTileOp : CIM_Op<"mvm_tile", [Pure, AllTypesMatch<["acc", "result"]>]> {
  let summary = "one crossbar-sized block of a stationary-weight product";
  let description = [{
    One MVM unit's share of a `cim.mvm` after tiling: the weight block is
    R x C with R <= `rows` and C <= `cols` (the unit's logical weight block,
    whatever the number of bit slices), it reads input rows
    [`row_offset`, `row_offset` + R) of the last input dimension, and adds its
    product to the partial sums `acc`:

    ```
    result[..., c] = sat_i32(acc[..., c] + sum_r input[..., row_offset + r] * weight[r, c])
    ```

    The sum is exact and saturates to i32 like the shift-and-add accumulator
    (a tiling of a verified `cim.mvm` never saturates). The first block of a
    column takes a zero `acc`; column blocks are joined with `tensor.concat`.
    `--cim-place` records the physical unit in the optional `place`
    attribute (`#cim.place<chip = 0, tile = 0, core = 1, unit = 0>`), and
    with `replicate` the further units holding copies of the block in
    `replicas` (row chunks are spread over the copies).

    ```mlir
    // #s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4,
    //                    input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
    %p1 = cim.mvm_tile %xq[128], %wblk, %p0 {rows = 128, cols = 128, slicing = #s8}
        : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
    ```
  }];
  let arguments = (ins CIM_IntTensor:$input, I64Attr:$row_offset,
                       CIM_IntTensor:$weight, CIM_I32Tensor:$acc, I64Attr:$rows,
                       I64Attr:$cols, CIM_SlicingAttr:$slicing,
                       OptionalAttr<CIM_PlaceAttr>:$place,
                       OptionalAttr<TypedArrayAttrBase<CIM_PlaceAttr,
                           "array of #cim.place">>:$replicas);
  let results = (outs CIM_I32Tensor:$result);
  let assemblyFormat = [{
    $input `[` $row_offset `]` `,` $weight `,` $acc attr-dict `:` type($input)
    `,` type($weight) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// The tile before this one in its chain: the mvm_tile whose partial
    /// sums are this tile's `acc` and nothing else's. Null at a chain's
    /// first tile.
    MVMTileOp getChainPredecessor();
    /// The tile after this one in its chain (null at the last tile).
    MVMTileOp getChainSuccessor();
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Digital matrix products
//===----------------------------------------------------------------------===//

def CIM_DMMOp : CIM_Op<"dmm", [Pure]> {
  let summary = "activation-by-activation matrix product on the digital unit";
  let description = [{
    Batched matrix product of two activations (e.g. Q.K^T and P.V):
    `result[b..., m, n] = sum_k a[b..., m, k] * b[b..., k, n]`, or with
    `transpose_b`, `sum_k a[b..., m, k] * b[b..., n, k]`. Both operands have
    rank >= 2 and the same batch dimensions (no broadcasting). Either all
    three types are f32, or the operands are signed integers and the result
    is i32 with an exact sum (the verifier rejects shapes that could
    overflow).

    ```mlir
    %s = cim.dmm %q, %k {transpose_b}
        : tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x8xf32>
    ```
  }];
  let arguments = (ins CIM_NumericTensor:$a, CIM_NumericTensor:$b,
                       UnitAttr:$transpose_b);
  let results = (outs CIM_NumericTensor:$result);
  let assemblyFormat = [{
    $a `,` $b attr-dict `:` type($a) `,` type($b) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Vector-unit operations
//===----------------------------------------------------------------------===//

def CIM_UnaryOp : CIM_Op<"unary", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise function on the vector unit";
  let description = [{
    Applies `fn` to every element (f32). `gelu` is `x * (1 + erf(x/sqrt 2)) / 2`,
    `gelu_tanh` its tanh approximation, `silu` is `x * sigmoid(x)`, `recip`
    is `1 / x`, `relu` is `x > 0 ? x : +0.0` with NaN passed through. The
    op denotes the mathematical function rounded to f32; the
    vector unit's approximation error is modelled by the engines. Folds on
    splat constants (computed in double, rounded to f32), `neg(neg x)`,
    `abs(abs x)`, `abs(neg x)` and `relu(relu x)`.

    ```mlir
    %y = cim.unary <gelu> %x : tensor<4x64xf32>
    ```
  }];
  let arguments = (ins CIM_UnaryFnAttr:$fn, CIM_F32Tensor:$input);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = "$fn $input attr-dict `:` type($result)";
  let hasFolder = 1;
}

def CIM_BinaryOp : CIM_Op<"binary", [Pure]> {
  let summary = "elementwise binary function with numpy broadcasting";
  let description = [{
    Applies `fn` elementwise after numpy-style broadcasting: shapes are
    aligned at their last dimension and a dimension of size 1 stretches to
    the other operand's size. Operands and result share one element type:
    f32, or a signless integer (two's-complement wrap-around for `add`,
    `sub`, `mul`; signed `max`/`min`; `div` is float only). Float `max` and
    `min` propagate NaN and order -0.0 below +0.0 (IEEE 754-2019 maximum and
    minimum). Integer `add` accumulates partial sums. Folds on splat constants and the exact
    identities `x + (-0.0)`, `x - 0.0`, `x * 1`, `x / 1`, integer `x + 0`,
    `x - 0`, and `max(x, x)`, `min(x, x)`.

    ```mlir
    %y = cim.binary <add> %x, %b : tensor<4x64xf32>, tensor<64xf32> -> tensor<4x64xf32>
    ```
  }];
  let arguments = (ins CIM_BinaryFnAttr:$fn, CIM_NumericTensor:$lhs,
                       CIM_NumericTensor:$rhs);
  let results = (outs CIM_NumericTensor:$result);
  let assemblyFormat = [{
    $fn $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "BinaryFn":$fn, "::mlir::Value":$lhs, "::mlir::Value":$rhs)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_ReduceOp : CIM_Op<"reduce", [Pure]> {
  let summary = "reduction along one axis on the vector unit";
  let description = [{
    Reduces `axis` with `kind` (sum, max, min). The result drops the axis, or
    keeps it with size 1 under `keep_dims`. f32 sums are accumulated in f32
    in an unspecified order; integer sums wrap. Folds to its operand when the
    axis has size 1 and `keep_dims` is set.

    ```mlir
    %m = cim.reduce <max> %x {axis = 1 : i64, keep_dims} : tensor<4x64xf32> -> tensor<4x1xf32>
    ```
  }];
  let arguments = (ins CIM_ReduceKindAttr:$kind, CIM_NumericTensor:$input,
                       I64Attr:$axis, UnitAttr:$keep_dims);
  let results = (outs CIM_NumericTensor:$result);
  let assemblyFormat = "$kind $input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CIM_SoftmaxOp : CIM_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis`, in f32. Masks are added
    beforehand with `cim.binary <add>`.

    ```mlir
    %p = cim.softmax %s {axis = 2 : i64} : tensor<2x8x8xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, I64Attr:$axis);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def CIM_LayerNormOp : CIM_Op<"layer_norm", [Pure,
    AllTypesMatch<["input", "result"]>, AllTypesMatch<["gamma", "beta"]>]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions [`axis`, rank) (ONNX convention):
    `(x - mean) / sqrt(var + epsilon) * gamma + beta`, with the biased
    variance, in f32. `gamma` and `beta` have the normalized shape
    `input.shape[axis:]`.

    ```mlir
    %y = cim.layer_norm %x, %g, %b {axis = 1 : i64, epsilon = 9.99999974E-6 : f32}
        : tensor<8x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_F32Tensor:$gamma,
                       CIM_F32Tensor:$beta, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta attr-dict `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def CIM_RMSNormOp : CIM_Op<"rms_norm", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "RMS normalization over the last dimension";
  let description = [{
    `x / sqrt(mean(x^2) + epsilon) * gamma` over the last dimension, in f32;
    `gamma` has the shape of that dimension.

    ```mlir
    %y = cim.rms_norm %x, %g {epsilon = 9.99999997E-7 : f32} : tensor<8x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_F32Tensor:$gamma,
                       F32Attr:$epsilon);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = "$input `,` $gamma attr-dict `:` type($input) `,` type($gamma)";
  let hasVerifier = 1;
}

def CIM_RoPEOp : CIM_Op<"rope", [Pure, AllTypesMatch<["input", "result"]>,
                                 AllTypesMatch<["cos", "sin"]>]> {
  let summary = "rotary position embedding (rotate-half convention)";
  let description = [{
    With D the (even) last dimension, `x1 = x[..., :D/2]`, `x2 = x[..., D/2:]`
    and `rotate_half(x) = concat(-x2, x1)`:
    `result = x * cos + rotate_half(x) * sin` (the Hugging Face / GPT-NeoX
    convention; `cos` and `sin` hold each frequency twice). `cos` and `sin`
    have the same type, their last dimension is D, and they broadcast (numpy
    rules) to the input's shape, e.g. `[S, D]` against `[B, H, S, D]`.

    ```mlir
    %y = cim.rope %q, %cos, %sin : tensor<2x8x16xf32>, tensor<8x16xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_F32Tensor:$cos,
                       CIM_F32Tensor:$sin);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = "$input `,` $cos `,` $sin attr-dict `:` type($input) `,` type($cos)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Mixture of experts
//===----------------------------------------------------------------------===//

def CIM_TopKOp : CIM_Op<"topk", [Pure]> {
  let summary = "k largest values along the last axis, and their indices";
  let description = [{
    Returns the `k` largest elements of each row (last axis) in descending
    order and their i32 positions; ties go to the lower index and NaN counts
    as larger than every number. Used by mixture-of-experts routers.

    ```mlir
    %v, %i = cim.topk %logits {k = 2 : i64} : tensor<8x4xf32> -> tensor<8x2xf32>, tensor<8x2xi32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, I64Attr:$k);
  let results = (outs CIM_F32Tensor:$values, CIM_I32Tensor:$indices);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($values) `,` type($indices)
  }];
  let hasVerifier = 1;
}

def CIM_MoELinearOp : CIM_Op<"moe_linear", [NoMemoryEffect]> {
  let summary = "routed expert matrix products with all experts resident";
  let description = [{
    Every expert's K x N weight stays on crossbars (`weight` is E x K x N);
    for each token t and routing slot j only expert `indices[t, j]` fires:

    ```
    result[t, j, n] = sum_k in[t, (j,) k] * weight[indices[t, j], k, n] (+ bias[indices[t, j], n])
    ```

    A T x K input is shared by the k slots of a token (the first expert
    layer); a T x k x K input has one row per slot (later expert layers).
    `indices` is T x k i32 with k <= E; an index outside [0, E) is undefined
    behaviour, so the op is not speculatable.

    ```mlir
    %h = cim.moe_linear %x, %w, %idx : tensor<8x64xf32>, tensor<4x64x128xf32>,
        tensor<8x2xi32> -> tensor<8x2x128xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_F32Tensor:$weight,
                       CIM_I32Tensor:$indices, Optional<CIM_F32Tensor>:$bias);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $indices (`bias` $bias^)? attr-dict `:` type($input)
    `,` type($weight) `,` type($indices) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def CIM_MoEDispatchOp : CIM_Op<"moe_dispatch", [Pure]> {
  let summary = "the token slots routed to each expert";
  let description = [{
    From a router's T x k expert indices, for every expert e < E the slots
    s = t * k + j with `indices[t, j] = e`, in ascending order, in row e of
    `lists` (E x T*k, padded with -1), and their number in `counts[e]`.
    One ISA `vdispatch` (docs/ISA.md). A negative index is skipped (a
    padding slot); an index >= E is an execution error there and undefined
    here, so the op is only pure for valid routings.

    ```mlir
    %lists, %counts = cim.moe_dispatch %idx {experts = 4 : i64}
        : tensor<8x2xi32> -> tensor<4x16xi32>, tensor<4xi32>
    ```
  }];
  let arguments = (ins CIM_I32Tensor:$indices, I64Attr:$experts);
  let results = (outs CIM_I32Tensor:$lists, CIM_I32Tensor:$counts);
  let assemblyFormat = [{
    $indices attr-dict `:` type($indices) `->` type($lists) `,` type($counts)
  }];
  let hasVerifier = 1;
}

def CIM_MoEMVMOp : CIM_Op<"moe_mvm", [NoMemoryEffect]> {
  let summary = "quantized routed expert products on resident crossbars";
  let description = [{
    The quantized form of `cim.moe_linear`: every expert's weight block
    `weight[e]` (K x N, `i<weight_bits>`, per-channel scales
    `weight_scales[e]`) is resident on crossbars, tiled into `rows` x `cols`
    blocks; for each expert e only the `counts[e]` slots in `lists[e]` (a
    `cim.moe_dispatch`) are multiplied. For slot s = t * k + j of expert e,
    with `x` the input row of the slot (row t of a T x K input, shared by
    the k slots of a token, or row (t, j) of a T x k x K input) and
    `sx` its per-row scale (`cim.quantize_dynamic`):

    ```
    acc[n]          = sum_k x[k] * weight[e, k, n]                 (exact, i32)
    result[t, j, n] = (f32(acc[n]) * weight_scales[e, n]) * sx
    ```

    which is `cim.mvm` then `cim.dequantize_acc` with `input_scales`,
    bit for bit. Slots in no list are +0. On the hardware the slots of an
    expert are gathered (`vgather`), multiplied with `mvm count_indirect`
    (the count is `counts[e]`, read at run time), dequantized and scattered
    back (`vscatter`). `--cim-place` records the physical unit of every block
    in `places`, in the order expert, column block, row block.

    ```mlir
    %y = cim.moe_mvm %q scales(%s), %wq scales(%ws), %lists, %counts
        {rows = 128 : i64, cols = 128 : i64, slicing = #s8}
        : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>,
          tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
    ```
  }];
  let arguments = (ins CIM_IntTensor:$input, CIM_F32Tensor:$input_scales,
                       CIM_IntTensor:$weight, CIM_F32Tensor:$weight_scales,
                       CIM_I32Tensor:$lists, CIM_I32Tensor:$counts,
                       I64Attr:$rows, I64Attr:$cols, CIM_SlicingAttr:$slicing,
                       OptionalAttr<TypedArrayAttrBase<CIM_PlaceAttr,
                           "array of #cim.place">>:$places);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = [{
    $input `scales` `(` $input_scales `)` `,` $weight `scales` `(`
    $weight_scales `)` `,` $lists `,` $counts attr-dict `:` type($input) `,`
    type($input_scales) `,` type($weight) `,` type($weight_scales) `,`
    type($lists) `,` type($counts) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// Row and column blocks of one expert's K x N weight.
    int64_t getRowBlocks();
    int64_t getColBlocks();
    /// The number of blocks: experts x column blocks x row blocks.
    int64_t getNumBlocks();
    /// The index of a block in that order (of `places` and of the weight
    /// blocks).
    int64_t getBlockIndex(int64_t expert, int64_t colBlock, int64_t rowBlock);
  }];
  let hasVerifier = 1;
}

def CIM_MoECombineOp : CIM_Op<"moe_combine", [Pure]> {
  let summary = "weighted sum of the routed experts' outputs";
  let description = [{
    `result[t, n] = sum_j weights[t, j] * input[t, j, n]`, summed in slot
    order j = 0 .. k-1 in f32. `input` is T x k x N, `weights` (the router
    probabilities of the chosen experts) T x k.

    ```mlir
    %y = cim.moe_combine %h, %p : tensor<8x2x64xf32>, tensor<8x2xf32> -> tensor<8x64xf32>
    ```
  }];
  let arguments = (ins CIM_F32Tensor:$input, CIM_F32Tensor:$weights);
  let results = (outs CIM_F32Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weights attr-dict `:` type($input) `,` type($weights) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // MHO_DIALECT_CIM_IR_CIMOPS_TD
