//===- ReferenceExecutor.cpp - Run the input model on the host ------------===//

#include "mho/Reference/ReferenceExecutor.h"
#include "mho/InitAll.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"

#include <mutex>

using namespace mlir;
using namespace mho;
using namespace mho::reference;

// Upstream lowering of exporter IR to the LLVM dialect, in two halves so that
// precision emulation can be inserted on linalg-on-tensors between them. Both
// nest under the module pass manager they are parsed into.
static constexpr llvm::StringLiteral kToLinalg =
    "func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,"
    "tosa-to-tensor)";
static constexpr llvm::StringLiteral kToLLVM =
    "symbol-dce,one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{modify-public-functions hoist-static-allocs},"
    "buffer-deallocation-pipeline,func.func(convert-linalg-to-loops),"
    "expand-strided-metadata,lower-affine,"
    "convert-scf-to-cf,"
    "convert-math-to-llvm,convert-math-to-libm,convert-to-llvm,"
    "reconcile-unrealized-casts";
// memrefCopy and friends, which lowered copies call.
static constexpr llvm::StringLiteral kRunnerUtils =
    "/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so";

llvm::StringRef mho::reference::precisionName(Precision precision) {
  switch (precision) {
  case Precision::F32:
    return "fp32";
  case Precision::BF16:
    return "bf16";
  case Precision::F16:
    return "fp16";
  }
  llvm_unreachable("unknown precision");
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string locationText(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

static std::optional<ElementType> elementTypeOf(Type type) {
  if (type.isF32())
    return ElementType::F32;
  if (type.isF64())
    return ElementType::F64;
  if (type.isF16())
    return ElementType::F16;
  if (type.isBF16())
    return ElementType::BF16;
  if (type.isSignlessInteger(8))
    return ElementType::I8;
  if (type.isSignlessInteger(16))
    return ElementType::I16;
  if (type.isSignlessInteger(32))
    return ElementType::I32;
  if (type.isSignlessInteger(64))
    return ElementType::I64;
  return std::nullopt;
}

static llvm::Expected<TensorSignature> signatureOf(Type type,
                                                   const llvm::Twine &what) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return makeError(what + " must be a statically shaped tensor");
  std::optional<ElementType> element = elementTypeOf(tensor.getElementType());
  if (!element)
    return makeError(what + " has an unsupported element type");
  return TensorSignature{*element, llvm::SmallVector<int64_t, 4>(
                                       tensor.getShape().begin(),
                                       tensor.getShape().end())};
}

/// Weights shipped as dense_resource<__elided__> have shapes but no values.
static llvm::Error checkNoElidedResources(ModuleOp module) {
  std::string where;
  module.walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs()) {
      auto resource = dyn_cast<DenseResourceElementsAttr>(attr.getValue());
      if (resource && !resource.getRawHandle().getBlob()) {
        where = locationText(op->getLoc());
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  if (!where.empty())
    return makeError(where + ": weight values are elided (dense_resource without "
                           "a blob); the reference needs real weights");
  return llvm::Error::success();
}

/// One-shot bufferization does not handle global_load_const; immutable
/// globals are constants, so load them as such.
static llvm::Error inlineConstantGlobals(ModuleOp module) {
  SymbolTable symbols(module);
  llvm::SmallVector<ml_program::GlobalLoadConstOp> loads;
  module.walk([&](ml_program::GlobalLoadConstOp op) { loads.push_back(op); });
  for (ml_program::GlobalLoadConstOp load : loads) {
    auto global = symbols.lookup<ml_program::GlobalOp>(
        load.getGlobal().getLeafReference());
    auto value = global ? dyn_cast_or_null<ElementsAttr>(global.getValueAttr())
                        : ElementsAttr();
    if (!value)
      return makeError(locationText(load.getLoc()) +
                     ": global has no constant tensor value to load");
    OpBuilder builder(load);
    auto constant = arith::ConstantOp::create(builder, load.getLoc(),
                                              cast<TypedAttr>(value));
    load.getResult().replaceAllUsesWith(constant.getResult());
    load.erase();
  }
  return llvm::Error::success();
}

/// Rounds `value` (an f32 tensor) to `narrow` and back, element-wise.
static void roundThrough(OpBuilder &builder, Value value, FloatType narrow) {
  auto type = cast<RankedTensorType>(value.getType());
  Location loc = value.getLoc();
  Value init = tensor::EmptyOp::create(builder, loc, type.getShape(),
                                       type.getElementType());
  AffineMap identity = builder.getMultiDimIdentityMap(type.getRank());
  llvm::SmallVector<utils::IteratorType> parallel(
      type.getRank(), utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      builder, loc, TypeRange{type}, ValueRange{value}, ValueRange{init},
      ArrayRef<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value low = arith::TruncFOp::create(b, l, narrow, args[0]);
        Value back = arith::ExtFOp::create(b, l, b.getF32Type(), low);
        linalg::YieldOp::create(b, l, back);
      });
  value.replaceAllUsesExcept(generic.getResult(0), generic);
}

/// Emulates a GPU number format at op boundaries: function inputs, constants
/// (weights) and the result of every computing linalg op are rounded.
static void emulatePrecision(func::FuncOp func, FloatType narrow) {
  auto isF32Tensor = [](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.getElementType().isF32();
  };
  llvm::SmallVector<Value> values;
  for (BlockArgument arg : func.getArguments())
    if (isF32Tensor(arg))
      values.push_back(arg);
  func.walk([&](Operation *op) {
    bool computes = isa<linalg::LinalgOp>(op) &&
                    !isa<linalg::FillOp, linalg::TransposeOp,
                         linalg::BroadcastOp, linalg::CopyOp>(op);
    if (computes || isa<arith::ConstantOp>(op))
      for (Value result : op->getResults())
        if (isF32Tensor(result))
          values.push_back(result);
  });
  OpBuilder builder(func.getContext());
  for (Value value : values) {
    builder.setInsertionPointAfterValue(value);
    roundThrough(builder, value, narrow);
  }
}

static llvm::Error runPipeline(ModuleOp module, llvm::StringRef pipeline) {
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    os << locationText(diag.getLocation()) << ": " << diag << "\n";
    return success();
  });
  // The pipelines are spelled as text, so their passes must be registered.
  static std::once_flag registered;
  std::call_once(registered, [] { mho::registerAllPasses(); });
  PassManager pm(module.getContext());
  if (failed(parsePassPipeline(pipeline, pm, os)) || failed(pm.run(module)))
    return makeError("lowering the model for the reference executor failed:\n" +
                   os.str());
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<ReferenceExecutor>>
ReferenceExecutor::create(OwningOpRef<ModuleOp> module,
                          const ReferenceOptions &options) {
  MLIRContext *context = module->getContext();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);

  func::FuncOp entry;
  for (auto func : module->getOps<func::FuncOp>()) {
    if (func.isDeclaration())
      continue;
    if (options.entry.empty() ? func.isPublic()
                              : func.getSymName() == options.entry) {
      if (entry)
        return makeError("the module has several public functions; choose one "
                       "with the entry option");
      entry = func;
    }
  }
  if (!entry)
    return makeError(options.entry.empty()
                       ? "the module has no public function to run"
                       : "no function named '" + options.entry + "'");

  std::unique_ptr<ReferenceExecutor> executor(new ReferenceExecutor());
  executor->entry_ = entry.getSymName().str();
  FunctionType fnType = entry.getFunctionType();
  for (auto [i, type] : llvm::enumerate(fnType.getInputs())) {
    auto sig = signatureOf(type, llvm::formatv("argument #{0} of @{1}", i,
                                               executor->entry_));
    if (!sig)
      return sig.takeError();
    executor->inputs_.push_back(*sig);
  }
  for (auto [i, type] : llvm::enumerate(fnType.getResults())) {
    auto sig = signatureOf(type, llvm::formatv("result #{0} of @{1}", i,
                                               executor->entry_));
    if (!sig)
      return sig.takeError();
    executor->outputs_.push_back(*sig);
  }

  if (llvm::Error e = checkNoElidedResources(*module))
    return std::move(e);
  if (llvm::Error e = inlineConstantGlobals(*module))
    return std::move(e);
  if (llvm::Error e = runPipeline(*module, kToLinalg))
    return std::move(e);
  if (options.precision != Precision::F32) {
    Builder b(context);
    FloatType narrow = options.precision == Precision::BF16
                           ? FloatType(b.getBF16Type())
                           : FloatType(b.getF16Type());
    emulatePrecision(entry, narrow);
  }
  entry->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                 UnitAttr::get(context));
  if (llvm::Error e = runPipeline(*module, kToLLVM))
    return std::move(e);

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto transformer = makeOptimizingTransformer(/*optLevel=*/2, /*sizeLevel=*/0,
                                               /*targetMachine=*/nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  llvm::SmallVector<llvm::StringRef, 1> libs = {kRunnerUtils};
  engineOptions.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return makeError("JIT compilation failed: " +
                   llvm::toString(engine.takeError()));
  executor->engine_ = std::move(*engine);
  return executor;
}

ReferenceExecutor::~ReferenceExecutor() = default;

/// A strided memref descriptor of any rank, laid out as the C interface
/// expects: allocated, aligned, offset, sizes[rank], strides[rank].
static std::vector<int64_t> descriptorFor(void *data,
                                          llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> d(3 + 2 * shape.size());
  d[0] = d[1] = reinterpret_cast<int64_t>(data);
  d[2] = 0;
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    d[3 + i] = shape[i];
    d[3 + shape.size() + i] = stride;
    stride *= shape[i];
  }
  return d;
}

llvm::Expected<std::vector<HostTensor>>
ReferenceExecutor::run(llvm::ArrayRef<HostTensor> args) {
  if (args.size() != inputs_.size())
    return makeError(llvm::formatv("@{0} takes {1} inputs, {2} given", entry_,
                                 inputs_.size(), args.size()));
  for (auto [i, arg] : llvm::enumerate(args)) {
    const TensorSignature &sig = inputs_[i];
    HostTensor expected(sig.type, sig.shape);
    if (arg.type != sig.type || arg.shape != sig.shape)
      return makeError(llvm::formatv("input #{0} of @{1}: expected {2}, got {3}",
                                   i, entry_, expected.describe(),
                                   arg.describe()));
  }
  // The callee only reads inputs; copies keep the API const-correct.
  std::vector<HostTensor> in(args.begin(), args.end());
  std::vector<HostTensor> out;
  for (const TensorSignature &sig : outputs_)
    out.emplace_back(sig.type, sig.shape);

  std::vector<std::vector<int64_t>> descriptors;
  for (HostTensor &t : in)
    descriptors.push_back(descriptorFor(t.bytes.data(), t.shape));
  for (HostTensor &t : out)
    descriptors.push_back(descriptorFor(t.bytes.data(), t.shape));
  std::vector<void *> pointers;
  for (auto &d : descriptors)
    pointers.push_back(d.data());
  llvm::SmallVector<void *> packed;
  for (void *&p : pointers)
    packed.push_back(&p);
  if (llvm::Error e = engine_->invokePacked("_mlir_ciface_" + entry_, packed))
    return std::move(e);
  return out;
}
