//===- XBarAttributes.td - xbar enums, unit configuration -*- tablegen -*-===//
//
// Enumerations mirror the ISA's field codes (docs/ISA.md §1, §3): each case's
// value is the code the instruction encoding uses.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_XBAR_IR_XBARATTRIBUTES_TD
#define MHO_DIALECT_XBAR_IR_XBARATTRIBUTES_TD

include "mho/Dialect/XBar/IR/XBarDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enumerations
//===----------------------------------------------------------------------===//

// The attributes are integer attributes holding the ISA code (as upstream's
// arith predicates): op syntax prints the case name as a bare keyword, the
// generic form the code.
class XBar_I32Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::mho::xbar";
}

def XBar_MemorySpace : XBar_I32Enum<"MemorySpace", "memory space (ISA §1)", [
  I32EnumAttrCase<"spad", 0>,
  I32EnumAttrCase<"tbuf", 1>,
  I32EnumAttrCase<"dram", 2>
]>;

def XBar_DataType : XBar_I32Enum<"DataType", "data type (ISA §1)", [
  I32EnumAttrCase<"i8", 0>,
  I32EnumAttrCase<"i32", 1>,
  I32EnumAttrCase<"f32", 2>,
  I32EnumAttrCase<"i16", 3>,
  I32EnumAttrCase<"bf16", 4>,
  I32EnumAttrCase<"f16", 5>
]>;

def XBar_VecFunction : XBar_I32Enum<"VecFunction",
                                    "vector unit function (ISA §3.1)", [
  I32EnumAttrCase<"copy", 0>,
  I32EnumAttrCase<"add", 1>,
  I32EnumAttrCase<"sub", 2>,
  I32EnumAttrCase<"mul", 3>,
  I32EnumAttrCase<"div", 4>,
  I32EnumAttrCase<"max", 5>,
  I32EnumAttrCase<"min", 6>,
  I32EnumAttrCase<"neg", 7>,
  I32EnumAttrCase<"abs", 8>,
  I32EnumAttrCase<"exp", 9>,
  I32EnumAttrCase<"recip", 10>,
  I32EnumAttrCase<"sqrt", 11>,
  I32EnumAttrCase<"rsqrt", 12>,
  I32EnumAttrCase<"tanh", 13>,
  I32EnumAttrCase<"sigmoid", 14>,
  I32EnumAttrCase<"erf", 15>,
  I32EnumAttrCase<"gelu", 16>,
  I32EnumAttrCase<"silu", 17>,
  I32EnumAttrCase<"cvt", 32>,
  I32EnumAttrCase<"quant", 33>,
  I32EnumAttrCase<"dequant", 34>
]>;

// Mode 0 of the ISA (no second operand, or the immediate imm0 for a binary
// function) is the absence of this attribute. Names as in the listing.
def XBar_Src2Mode : XBar_I32Enum<"Src2Mode",
                                 "where vec's second operand comes from", [
  I32EnumAttrCase<"elem", 1>,  // src2[r][c]
  I32EnumAttrCase<"row", 2>,   // src2[r]: one value per row
  I32EnumAttrCase<"col", 3>    // src2[c]: one row vector for every row
]>;

def XBar_ReduceKind : XBar_I32Enum<"ReduceKind", "vred reduction", [
  I32EnumAttrCase<"sum", 0>,
  I32EnumAttrCase<"max", 1>,
  I32EnumAttrCase<"min", 2>
]>;

def XBar_WeightEncoding : XBar_I32Enum<"WeightEncoding",
                                       "signed weight encoding (ISA §4)", [
  I32EnumAttrCase<"offset", 0>,
  I32EnumAttrCase<"differential", 1>
]>;

def XBar_SymbolKind : XBar_I32Enum<"SymbolKind", "host symbol kind (ISA §5)", [
  I32EnumAttrCase<"input", 0>,
  I32EnumAttrCase<"output", 1>,
  I32EnumAttrCase<"constant", 2>
]>;

//===----------------------------------------------------------------------===//
// Unit configuration
//===----------------------------------------------------------------------===//

def XBar_UnitConfigAttr : AttrDef<XBar_Dialect, "UnitConfig"> {
  let mnemonic = "unit_config";
  let summary = "the chip parameters an xbar program is compiled for (ISA §5)";
  let description = [{
    The 64-byte unit configuration of a program image, field for field
    (`mho::isa::UnitConfig`): crossbar geometry and bit slicing of every MVM
    unit, DAC/ADC and accumulator widths, MVM units per core, memory sizes and
    the system's chip × tile × core counts. The verifier checks that each
    field fits its encoding, then applies the ISA library's
    `verifyUnitConfig` (ranges, slices cover the weight bits, planes cover
    the input bits, shifts fit the shift-and-add datapath, ...).

    ```mlir
    #xbar.unit_config<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2,
      slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8,
      adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 8,
      spad_bytes = 65536, tbuf_bytes = 1048576, dram_bytes = 1073741824,
      chips = 1, tiles = 16, cores = 8>
    ```
  }];
  let parameters = (ins
    "unsigned":$rows,
    "unsigned":$cols,
    "unsigned":$weight_bits,
    "unsigned":$cell_bits,
    "unsigned":$slices,
    EnumParameter<XBar_WeightEncoding>:$encoding,
    "unsigned":$input_bits,
    "unsigned":$dac_bits,
    "unsigned":$planes,
    "unsigned":$adc_bits,
    "unsigned":$adc_shift,
    "unsigned":$acc_bits,
    "unsigned":$mvm_units,
    "uint64_t":$spad_bytes,
    "uint64_t":$tbuf_bytes,
    "uint64_t":$dram_bytes,
    "unsigned":$chips,
    "unsigned":$tiles,
    "unsigned":$cores
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The configuration as the ISA library holds it. Only meaningful for a
    /// verified attribute (every field fits).
    ::mho::isa::UnitConfig getIsaConfig() const;

    /// The attribute holding `config`.
    static UnitConfigAttr get(::mlir::MLIRContext *context,
                              const ::mho::isa::UnitConfig &config);

    /// Size in bytes of `space`.
    uint64_t getSpaceBytes(MemorySpace space) const;
  }];
}

#endif // MHO_DIALECT_XBAR_IR_XBARATTRIBUTES_TD
