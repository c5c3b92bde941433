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
    Maps f32 values to `bits`-wide two's-complement integers:

    ```
    q = clamp(roundeven(x / scale) + zero_point, -2^(bits-1), 2^(bits-1) - 1)
    x = f32(q - zero_point) * scale
    ```

    `x / scale` and the product are single f32 operations rounded to nearest
    even; `roundeven` rounds halfway cases to the even integer; NaN quantizes
    to `zero_point` and infinities saturate. `bits` is in [2, 16], `scale` is
    a finite f32 greater than zero and `zero_point` lies in the integer range.
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
  }];
}

#endif // MHO_DIALECT_CIM_IR_CIMATTRIBUTES_TD
