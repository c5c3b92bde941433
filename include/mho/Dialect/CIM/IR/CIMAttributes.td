//===- CIMAttributes.td - Attributes of the cim dialect ----*- tablegen -*-===//

#ifndef MHO_DIALECT_CIM_IR_CIMATTRIBUTES_TD
#define MHO_DIALECT_CIM_IR_CIMATTRIBUTES_TD

include "mho/Dialect/CIM/IR/CIMDialect.td"
include "mho/Dialect/CIM/IR/CIMEnums.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class CIM_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<CIM_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// Enumeration attributes: #cim.encoding<offset>, #cim.unary_fn<exp>, ...
// Inside an op's assembly they print stripped: `cim.unary <exp> %x`.
//===----------------------------------------------------------------------===//

def CIM_EncodingAttr : EnumAttr<CIM_Dialect, CIM_Encoding, "encoding"> {
  let assemblyFormat = "`<` $value `>`";
}
def CIM_UnaryFnAttr : EnumAttr<CIM_Dialect, CIM_UnaryFn, "unary_fn"> {
  let assemblyFormat = "`<` $value `>`";
}
def CIM_BinaryFnAttr : EnumAttr<CIM_Dialect, CIM_BinaryFn, "binary_fn"> {
  let assemblyFormat = "`<` $value `>`";
}
def CIM_ReduceKindAttr : EnumAttr<CIM_Dialect, CIM_ReduceKind, "reduce_kind"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// #cim.quant
//===----------------------------------------------------------------------===//

def CIM_QuantAttr : CIM_Attr<"Quant", "quant"> {
  let summary = "per-tensor affine quantization to a signed integer";
  let description = [{
    Maps f32 values to `bits`-wide two's-complement integers exactly as the
    ISA's `quant` and `dequant` vector functions do:

    ```
    q = clamp(roundeven(x * f32(1 / scale)) + zero_point, -2^(bits-1), 2^(bits-1) - 1)
    x = f32(q - zero_point) * scale
    ```

    `f32(1 / scale)` (the instruction's immediate), the product `x * f32(1 / scale)`
    and the dequantizing product are single f32 operations rounded to nearest
    even; `roundeven` rounds halfway cases to the even integer; NaN quantizes
    to `zero_point` and infinities saturate. `bits` is in [2, 16], `scale` is
    a finite f32 greater than zero whose reciprocal is a finite f32, and
    `zero_point` lies in the integer range.
    An unsigned range (e.g. uint8 after ReLU) is expressed by shifting the
    zero point by -2^(bits-1).

    Example: `#cim.quant<bits = 8, scale = 5.000000e-02 : f32, zero_point = 3>`
    (`zero_point` defaults to 0 and is then omitted).
  }];
  let parameters = (ins
    "unsigned":$bits,
    "::mlir::FloatAttr":$scale,
    DefaultValuedParameter<"int64_t", "0">:$zero_point
  );
  let builders = [
    AttrBuilder<(ins "unsigned":$bits, "float":$scale,
                     CArg<"int64_t", "0">:$zeroPoint), [{
      return $_get($_ctxt, bits,
                   ::mlir::FloatAttr::get(::mlir::Float32Type::get($_ctxt), scale),
                   zeroPoint);
    }]>
  ];
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Smallest and largest quantized values.
    int64_t getMinValue() const;
    int64_t getMaxValue() const;
    /// The scale as a host float.
    float getScaleValue() const;
    /// The f32 reciprocal of the scale (the ISA `quant` immediate).
    float getReciprocalScale() const;
    /// Quantizes one value (see the attribute's description).
    int64_t quantize(float x) const;
    /// Maps one quantized value back to f32.
    float dequantize(int64_t q) const;
  }];
}

//===----------------------------------------------------------------------===//
// #cim.slicing
//===----------------------------------------------------------------------===//

def CIM_SlicingAttr : CIM_Attr<"Slicing", "slicing"> {
  let summary = "how an integer weight and its inputs are split into bits";
  let description = [{
    Describes how a stationary `weight_bits`-wide signed weight is stored on
    crossbars and how `input_bits`-wide signed inputs are applied:

    - the weight's magnitude bits (`weight_bits` for `offset` encoding,
      `weight_bits - 1` for `differential`) are split into `slices` slices of
      `cell_bits` bits each, one slice per physical crossbar (LSB first);
    - inputs are streamed through `dac_bits`-wide DACs in `planes` steps.

    The numbers are exact: `slices = ceil(magnitude_bits / cell_bits)` and
    `planes = ceil(input_bits / dac_bits)`, so a mapping never reserves idle
    arrays or cycles. `weight_bits` and `input_bits` are in [2, 16],
    `cell_bits` and `dac_bits` in [1, 8].

    Under `differential` encoding the most negative weight -2^(weight_bits-1)
    cannot be stored; weights must lie in the symmetric range. This is not a
    verifier check (a weight is usually not a constant); the placement pass
    rejects a constant weight that violates it (`isWeightRepresentable`).

    Example:
    `#cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8,
    dac_bits = 1, planes = 8, encoding = offset>`
  }];
  let parameters = (ins
    "unsigned":$weight_bits,
    "unsigned":$cell_bits,
    "unsigned":$slices,
    "unsigned":$input_bits,
    "unsigned":$dac_bits,
    "unsigned":$planes,
    EnumParameter<CIM_Encoding>:$encoding
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of weight bits held on the crossbars: weight_bits for offset
    /// encoding, weight_bits - 1 (the magnitude) for differential encoding.
    unsigned getMagnitudeBits() const;
    /// Range of weights the encoding can store.
    int64_t getWeightMin() const;
    int64_t getWeightMax() const;
    /// Whether `weight` can be stored under this slicing.
    bool isWeightRepresentable(int64_t weight) const;
    /// Physical crossbars per MVM unit: one per slice, twice for
    /// differential.
    int64_t getArraysPerUnit() const;
  }];
}

//===----------------------------------------------------------------------===//
// #cim.target
//===----------------------------------------------------------------------===//

def CIM_TargetAttr : CIM_Attr<"Target", "target"> {
  let summary = "the architecture facts the cim passes map onto";
  let description = [{
    Attached to the module as `cim.target` (by `--cim-set-target`, or written
    inline in tests); `--cim-quantize`, `--cim-bitslice`, `--cim-tile` and
    `--cim-place` read it. Every parameter is required and they may be
    written in any order:

    | parameter | meaning | range |
    |---|---|---|
    | `rows`, `cols` | crossbar (MVM unit) size | [1, 65535] |
    | `weight_bits` | stored weight width | [2, 16] |
    | `cell_bits` | bits per crossbar cell | [1, 8] |
    | `encoding` | `offset` or `differential` | |
    | `input_bits` | activation width (the `mvm` instruction reads i8) | [2, 8] |
    | `dac_bits` | DAC resolution | [1, 8] |
    | `adc_bits` | ADC resolution | [1, 32] |
    | `mvm_units` | MVM units per core | [1, 255] |
    | `cores` | cores per tile | [1, 65535] |
    | `tiles` | tiles per chip | [1, 65535] |
    | `chips` | chips in the system | [1, 65535] |
    | `spad_bytes` | scratchpad per core | [1, 2^32 - 1], holds one input and one output vector |
    | `tbuf_bytes` | tile buffer per tile | [1, 2^32 - 1] |
    | `dmu` | a digital matrix unit is present | `true` / `false` |
    | `adc_shift` | LSBs the ADC drops (docs/ISA.md §4), default 0 | [0, 31] |
    | `acc_bits` | shift-and-add accumulator width, default 32 | [2, 62] |
    | `dram_bytes` | off-chip memory, default 4 GiB | [1, 2^48] |

    The ranges are the fields of the ISA's unit configuration (docs/ISA.md
    §5). The verifier also rejects a crossbar whose exact accumulation over
    `rows` products of `input_bits` x `weight_bits` could overflow i32, and a
    scratchpad smaller than one input vector (`rows` bytes) plus one output
    vector (`4 * cols` bytes). Slices and DAC planes are derived:
    `slices = ceil(stored / cell_bits)` (stored = `weight_bits`, or
    `weight_bits - 1` under differential encoding) and
    `planes = ceil(input_bits / dac_bits)`.

    ```mlir
    module attributes {cim.target = #cim.target<rows = 128, cols = 128,
        weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8,
        dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256,
        chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {}
    ```
  }];
  let parameters = (ins
    "int64_t":$rows,
    "int64_t":$cols,
    "int64_t":$weight_bits,
    "int64_t":$cell_bits,
    EnumParameter<CIM_Encoding>:$encoding,
    "int64_t":$input_bits,
    "int64_t":$dac_bits,
    "int64_t":$adc_bits,
    "int64_t":$mvm_units,
    "int64_t":$cores,
    "int64_t":$tiles,
    "int64_t":$chips,
    "int64_t":$spad_bytes,
    "int64_t":$tbuf_bytes,
    "::mlir::BoolAttr":$dmu,
    DefaultValuedParameter<"int64_t", "0">:$adc_shift,
    DefaultValuedParameter<"int64_t", "32">:$acc_bits,
    DefaultValuedParameter<"int64_t", "4294967296">:$dram_bytes
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The module attribute's name.
    static constexpr ::llvm::StringLiteral getAttrName() { return "cim.target"; }
    /// The target of the module holding `op` (or `op` itself when it is a
    /// module). Emits an error at the module and returns null when the
    /// attribute is missing or of another kind.
    static TargetAttr lookup(::mlir::Operation *op);
    /// Crossbar arrays per weight bit-slice and planes per input vector.
    int64_t getSlices() const;
    int64_t getPlanes() const;
    /// The slicing every MVM unit of this target uses.
    SlicingAttr getSlicing() const;
    /// Physical crossbars per MVM unit: slices, twice for differential.
    int64_t getArraysPerUnit() const;
    /// MVM units per chip and in the whole system.
    int64_t getUnitsPerChip() const;
    int64_t getUnitsPerSystem() const;
    bool hasDMU() const { return getDmu().getValue(); }
  }];
}

//===----------------------------------------------------------------------===//
// #cim.place
//===----------------------------------------------------------------------===//

def CIM_PlaceAttr : CIM_Attr<"Place", "place"> {
  let summary = "the physical MVM unit a weight block is programmed on";
  let description = [{
    Set by `--cim-place` on every `cim.mvm_tile`: the unit `unit` of core
    `core` of tile `tile` of chip `chip` (all zero-based). `round` (default
    0, then not printed) is the reprogramming round when the model does not
    fit the chip and `--cim-place=overflow=reprogram` reuses units: the
    scheduler programs round r's blocks after round r-1's have run.

    Example: `#cim.place<chip = 0, tile = 3, core = 1, unit = 5>`,
    `#cim.place<chip = 0, tile = 0, core = 0, unit = 0, round = 2>`.
  }];
  let parameters = (ins
    "int64_t":$chip,
    "int64_t":$tile,
    "int64_t":$core,
    "int64_t":$unit,
    DefaultValuedParameter<"int64_t", "0">:$round
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // MHO_DIALECT_CIM_IR_CIMATTRIBUTES_TD
