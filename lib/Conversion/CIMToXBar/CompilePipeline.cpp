//===- CompilePipeline.cpp - The cim-compile pipeline ---------------------===//
//
// Exporter IR (linalg-on-tensors, or TOSA) to one xbar.program:
//
//   [cim-set-target{arch}] convert-linalg-to-cim | convert-tosa-to-cim,
//   canonicalize, cse, cim-quantize, cse, cim-bitslice, cim-tile, cim-place,
//   convert-cim-to-xbar
//
// The target is the module's `cim.target`, the architecture file of the
// `arch` option (cim-set-target), or the `target` option (the attribute's
// text, for tests).
//
//===----------------------------------------------------------------------===//

#include "mho/Conversion/Passes.h"
#include "mho/Dialect/CIM/IR/CIMAttributes.h"
#include "mho/Dialect/CIM/IR/CIMDialect.h"
#include "mho/Dialect/CIM/Transforms/Passes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {

struct CIMCompileOptions : public PassPipelineOptions<CIMCompileOptions> {
  Option<std::string> arch{
      *this, "arch",
      llvm::cl::desc("Architecture YAML file to compile for (runs "
                     "cim-set-target); default: the module's cim.target")};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("The #cim.target attribute to compile for (its text); "
                     "default: the module's cim.target")};
  Option<bool> tosa{*this, "tosa",
                    llvm::cl::desc("The input is TOSA: import with the "
                                   "convert-tosa-to-cim pipeline"),
                    llvm::cl::init(false)};
  ListOption<unsigned> weightArguments{
      *this, "weight-arguments",
      llvm::cl::desc("Indices of the entry function's arguments that are "
                     "weights (convert-linalg-to-cim)")};
  Option<mho::cim::BindArguments> bindArguments{
      *this, "bind-arguments",
      llvm::cl::desc("What a weight that is a function argument becomes "
                     "(cim-quantize)"),
      llvm::cl::init(mho::cim::BindArguments::Error),
      llvm::cl::values(
          clEnumValN(mho::cim::BindArguments::Error, "error",
                     "an error: its values are unknown (default)"),
          clEnumValN(mho::cim::BindArguments::Elided, "elided",
                     "shape-only: treat it as dense_resource<__elided__>"))};
  Option<int64_t> replicate{
      *this, "replicate",
      llvm::cl::desc("Up to this many copies of a chain's crossbar blocks, "
                     "balancing pipeline stages (cim-place)"),
      llvm::cl::init(1)};
  Option<std::string> weightsFile{
      *this, "weights-file",
      llvm::cl::desc("Bind weight arguments from this safetensors file "
                     "(cim-quantize)")};
  Option<mho::cim::PlaceOverflow> overflow{
      *this, "overflow",
      llvm::cl::desc("What to do when the weight blocks exceed the target's "
                     "MVM units (cim-place)"),
      llvm::cl::init(mho::cim::PlaceOverflow::Error),
      llvm::cl::values(
          clEnumValN(mho::cim::PlaceOverflow::Error, "error",
                     "fail, stating blocks needed vs. available (default)"),
          clEnumValN(mho::cim::PlaceOverflow::MultiChip, "multi-chip",
                     "use as many chips as the model needs"),
          clEnumValN(mho::cim::PlaceOverflow::Reprogram, "reprogram",
                     "reuse units in rounds, reprogramming between them"))};
};

/// Sets the module's cim.target from the attribute's text.
struct SetTargetText
    : public PassWrapper<SetTargetText, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SetTargetText)

  explicit SetTargetText(std::string text) : text(std::move(text)) {}
  StringRef getArgument() const override { return "cim-compile-set-target"; }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<mho::cim::CIMDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Attribute attr = parseAttribute(text, &getContext());
    auto target = dyn_cast_if_present<mho::cim::TargetAttr>(attr);
    if (!target) {
      mlir::emitError(module.getLoc()) << "cim-compile: target='" << text
                         << "' is not a #cim.target attribute";
      return signalPassFailure();
    }
    module->setAttr(mho::cim::TargetAttr::getAttrName(), target);
  }

  std::string text;
};

} // namespace

void mho::registerCIMCompilePipeline() {
  PassPipelineRegistration<CIMCompileOptions>(
      "cim-compile",
      "Compile exporter IR (linalg, or TOSA with tosa=true) to one "
      "xbar.program for the module's #cim.target (or target=...)",
      [](OpPassManager &pm, const CIMCompileOptions &options) {
        if (!options.arch.empty()) {
          cim::CIMSetTargetOptions setTarget;
          setTarget.archPath = options.arch;
          pm.addPass(cim::createCIMSetTarget(setTarget));
        }
        if (!options.target.empty())
          pm.addPass(std::make_unique<SetTargetText>(options.target));
        if (options.tosa)
          addTosaFrontEndPasses(pm);
        ConvertLinalgToCIMOptions convert;
        convert.weightArguments.assign(options.weightArguments.begin(),
                                       options.weightArguments.end());
        pm.addPass(createConvertLinalgToCIM(convert));
        pm.addPass(createCanonicalizerPass());
        pm.addPass(createCSEPass());
        cim::CIMQuantizeOptions quantize;
        quantize.bindArguments = options.bindArguments;
        quantize.weightsFile = options.weightsFile;
        pm.addPass(cim::createCIMQuantize(quantize));
        pm.addPass(createCSEPass());
        pm.addPass(cim::createCIMBitslice());
        pm.addPass(cim::createCIMTile());
        cim::CIMPlaceOptions place;
        place.overflow = options.overflow;
        place.replicate = options.replicate;
        pm.addPass(cim::createCIMPlace(place));
        pm.addPass(createConvertCIMToXBar());
      });
}
