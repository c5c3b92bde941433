//===- ExposeIntermediates.cpp - Return intermediate tensors --------------===//
//
// Layer-by-layer accuracy needs the same intermediate tensors from every
// engine; returning them from the entry function is the one interface all
// engines already share.
//
//===----------------------------------------------------------------------===//

#include "mho/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

namespace mho {
#define GEN_PASS_DEF_EXPOSEINTERMEDIATES
#include "mho/Transforms/Passes.h.inc"
} // namespace mho

using namespace mlir;

namespace {
struct ExposeIntermediatesPass
    : public mho::impl::ExposeIntermediatesBase<ExposeIntermediatesPass> {
  using Base::Base;

  void runOnOperation() override {
    llvm::StringSet<> names;
    for (const std::string &name : ops)
      names.insert(name);
    if (names.empty())
      for (llvm::StringRef name : {"linalg.matmul", "linalg.batch_matmul"})
        names.insert(name);

    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isDeclaration() || !func.isPublic())
        continue;
      SmallVector<Value> exposed;
      SmallVector<std::string> origins;
      func.walk([&](Operation *op) {
        if (!names.contains(op->getName().getStringRef()))
          return;
        for (Value result : op->getResults()) {
          exposed.push_back(result);
          std::string origin;
          llvm::raw_string_ostream os(origin);
          os << op->getName() << "@";
          if (auto file = dyn_cast<FileLineColLoc>(op->getLoc()))
            os << llvm::sys::path::filename(file.getFilename().getValue())
               << ":" << file.getLine() << ":" << file.getColumn();
          else
            op->getLoc().print(os);
          origins.push_back(os.str());
        }
      });
      if (exposed.empty())
        continue;
      auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
      unsigned first = ret.getNumOperands();
      SmallVector<Value> operands(ret.getOperands());
      operands.append(exposed.begin(), exposed.end());
      OpBuilder builder(ret);
      func::ReturnOp::create(builder, ret.getLoc(), operands);
      ret.erase();
      SmallVector<Type> results(func.getResultTypes());
      for (Value v : exposed)
        results.push_back(v.getType());
      func.setType(builder.getFunctionType(func.getArgumentTypes(), results));
      for (auto [i, origin] : llvm::enumerate(origins))
        func.setResultAttr(first + i, "mho.name",
                           builder.getStringAttr(origin));
    }
  }
};
} // namespace
