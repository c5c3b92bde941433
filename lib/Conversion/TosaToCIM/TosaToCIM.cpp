//===- TosaToCIM.cpp - The convert-tosa-to-cim pipeline -------------------===//
//
// TOSA reaches cim through linalg: upstream's TOSA lowerings produce the
// linalg-on-tensors that convert-linalg-to-cim maps, so the mapping rules live
// in one place. Only a dense mixture of experts is recognised on TOSA first
// (convert-tosa-moe-to-cim): its routing structure is clearest there.
//
//===----------------------------------------------------------------------===//

#include "mho/Conversion/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace {
struct TosaToCIMOptions : public PassPipelineOptions<TosaToCIMOptions> {
  ListOption<unsigned> weightArguments{
      *this, "weight-arguments",
      llvm::cl::desc("Indices of the entry function's arguments that are "
                     "weights")};
};
} // namespace

void mho::addTosaFrontEndPasses(OpPassManager &pm) {
  pm.addPass(createConvertTosaMoEToCIM());
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(tosa::createTosaToLinalgNamed());
  func.addPass(tosa::createTosaToLinalg());
  func.addPass(createTosaToArithPass());
  func.addPass(createTosaToTensorPass());
}

void mho::registerTosaToCIMPipeline() {
  PassPipelineRegistration<TosaToCIMOptions>(
      "convert-tosa-to-cim",
      "Lower TOSA to linalg with upstream passes, then map it onto cim",
      [](OpPassManager &pm, const TosaToCIMOptions &options) {
        addTosaFrontEndPasses(pm);
        ConvertLinalgToCIMOptions convert;
        convert.weightArguments.assign(options.weightArguments.begin(),
                                       options.weightArguments.end());
        pm.addPass(createConvertLinalgToCIM(convert));
      });
}
