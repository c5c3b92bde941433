//===- CIMDialect.td - Compute-in-memory dialect definition -*- tablegen -*-===//
//
// The `cim` dialect: tensor-level compute-in-memory operations, between
// upstream linalg/TOSA and the `xbar` ISA dialect.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_CIM_IR_CIMDIALECT_TD
#define MHO_DIALECT_CIM_IR_CIMDIALECT_TD

include "mlir/IR/DialectBase.td"

def CIM_Dialect : Dialect {
  let name = "cim";
  let cppNamespace = "::mho::cim";
  let summary = "Tensor-level compute-in-memory operations";
  let description = [{
    The `cim` dialect expresses a model in terms a compute-in-memory chip
    executes, before anything is placed on tiles or cores: matrix products
    against weights held stationary on crossbars (`cim.linear`, `cim.mvm`,
    `cim.mvm_tile`), quantization between the float and integer domains,
    digital activation-by-activation products (`cim.dmm`), vector-unit work
    (`cim.unary`, `cim.binary`, `cim.reduce`, `cim.softmax`, `cim.layer_norm`,
    `cim.rms_norm`, `cim.rope`) and mixture-of-experts routing (`cim.topk`,
    `cim.moe_linear`, `cim.moe_combine`).

    Operations take and return ranked tensors (value semantics). Pure data
    movement (reshape, slice, concatenation, transposition, broadcast) uses
    the upstream `tensor` and `linalg` operations. See docs/CIMDialect.md.
  }];

  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // Checks the module attributes `cim.target` and `cim.placement`.
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The next suffix for a shape-only weight constant named after `hint`
    /// (getShapeOnlyElements). Counted per context, so a compilation's names
    /// do not depend on what the process compiled before.
    uint64_t takeShapeOnlyIndex(::llvm::StringRef hint);

  private:
    std::mutex shapeOnlyMutex;
    ::llvm::StringMap<uint64_t> shapeOnlyIndices;

  public:
  }];
}

#endif // MHO_DIALECT_CIM_IR_CIMDIALECT_TD
