//===- CIMEnums.td - Enumerations of the cim dialect -------*- tablegen -*-===//

#ifndef MHO_DIALECT_CIM_IR_CIMENUMS_TD
#define MHO_DIALECT_CIM_IR_CIMENUMS_TD

include "mlir/IR/EnumAttr.td"

class CIM_I32Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::mho::cim";
  // The attribute wrappers are declared in CIMAttributes.td.
  let genSpecializedAttr = 0;
}

def CIM_Encoding : CIM_I32Enum<"Encoding", "signed-weight encoding on crossbars", [
  // w is stored as the unsigned value w + 2^(B-1); the offset is removed
  // digitally after the analog product.
  I32EnumAttrCase<"Offset", 0, "offset">,
  // |w| is stored on a positive or a negative array and the two column
  // currents are subtracted; -2^(B-1) is not representable.
  I32EnumAttrCase<"Differential", 1, "differential">
]>;

def CIM_UnaryFn : CIM_I32Enum<"UnaryFn", "elementwise function of the vector unit", [
  I32EnumAttrCase<"Exp", 0, "exp">,
  I32EnumAttrCase<"Rsqrt", 1, "rsqrt">,
  I32EnumAttrCase<"Sqrt", 2, "sqrt">,
  I32EnumAttrCase<"Recip", 3, "recip">,
  I32EnumAttrCase<"Erf", 4, "erf">,
  I32EnumAttrCase<"Tanh", 5, "tanh">,
  I32EnumAttrCase<"Sigmoid", 6, "sigmoid">,
  I32EnumAttrCase<"Gelu", 7, "gelu">,
  I32EnumAttrCase<"GeluTanh", 8, "gelu_tanh">,
  I32EnumAttrCase<"Silu", 9, "silu">,
  I32EnumAttrCase<"Relu", 10, "relu">,
  I32EnumAttrCase<"Neg", 11, "neg">,
  I32EnumAttrCase<"Abs", 12, "abs">
]>;

def CIM_BinaryFn : CIM_I32Enum<"BinaryFn", "elementwise binary function of the vector unit", [
  I32EnumAttrCase<"Add", 0, "add">,
  I32EnumAttrCase<"Sub", 1, "sub">,
  I32EnumAttrCase<"Mul", 2, "mul">,
  I32EnumAttrCase<"Div", 3, "div">,
  I32EnumAttrCase<"Max", 4, "max">,
  I32EnumAttrCase<"Min", 5, "min">
]>;

def CIM_ReduceKind : CIM_I32Enum<"ReduceKind", "reduction of the vector unit", [
  I32EnumAttrCase<"Sum", 0, "sum">,
  I32EnumAttrCase<"Max", 1, "max">,
  I32EnumAttrCase<"Min", 2, "min">
]>;

#endif // MHO_DIALECT_CIM_IR_CIMENUMS_TD
