//===- SetTarget.cpp - Attach an architecture file's #cim.target ----------===//

#include "mho/Arch/ArchitectureParser.h"
#include "mho/Dialect/CIM/IR/CIMAttributes.h"
#include "mho/Dialect/CIM/IR/CIMDialect.h"
#include "mho/Dialect/CIM/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mho::cim {
#define GEN_PASS_DEF_CIMSETTARGET
#include "mho/Dialect/CIM/Transforms/Passes.h.inc"
} // namespace mho::cim

using namespace mlir;
using namespace mho;
using namespace mho::cim;

namespace {
struct CIMSetTargetPass
    : public mho::cim::impl::CIMSetTargetBase<CIMSetTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (archPath.empty()) {
      module.emitError("--cim-set-target needs arch=<architecture file>");
      return signalPassFailure();
    }
    std::string warnings;
    llvm::raw_string_ostream warningStream(warnings);
    llvm::Expected<arch::Architecture> loaded =
        arch::loadArchitecture(archPath, &warningStream);
    if (!loaded) {
      module.emitError("cannot use architecture '")
          << archPath << "':\n" << llvm::toString(loaded.takeError());
      return signalPassFailure();
    }
    if (!warnings.empty())
      module.emitWarning(warningStream.str());
    const arch::Architecture &a = *loaded;
    const arch::MvmUnitSpec &mvm = a.mvmUnit;
    // The `mvm` instruction reads i8 inputs (docs/ISA.md §3).
    if (mvm.inputBits > 8) {
      module.emitError("architecture '")
          << archPath << "': mvm_unit.input_bits = " << mvm.inputBits
          << " is not supported: the mvm instruction reads 8-bit inputs";
      return signalPassFailure();
    }
    auto emitError = [&] { return module.emitError(); };
    Encoding encoding = mvm.signedEncoding == arch::SignedEncoding::Offset
                            ? Encoding::Offset
                            : Encoding::Differential;
    TargetAttr target = TargetAttr::getChecked(
        emitError, module.getContext(), int64_t(mvm.rows), int64_t(mvm.cols),
        int64_t(mvm.weightBits), int64_t(mvm.cellBits), encoding,
        int64_t(mvm.inputBits), int64_t(mvm.dacBits), int64_t(mvm.adc.bits),
        int64_t(a.core.mvmUnits), int64_t(a.tile.cores),
        int64_t(a.chip.tiles), int64_t(a.chip.chips),
        int64_t(a.core.scratchpad.size), int64_t(a.tile.buffer.size),
        BoolAttr::get(module.getContext(), a.core.digitalMatrixUnit.present),
        int64_t(mvm.adcDropBits), int64_t(mvm.accumulatorBits),
        int64_t(a.memory.size));
    if (!target)
      return signalPassFailure();
    module->setAttr(TargetAttr::getAttrName(), target);
  }
};
} // namespace
