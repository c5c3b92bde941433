//===- Quantize.cpp - --cim-quantize and the weight-constant helpers ------===//
//
// cim.linear (f32) -> cim.quantize_dynamic + cim.mvm + cim.dequantize_acc
// (+ cim.binary <add> for the bias), with the weights evaluated and
// quantized at compile time (docs/Compiler.md, "--cim-quantize").
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/CIM/Transforms/WeightConstants.h"

#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/CIM/IR/QuantArithmetic.h"
#include "mho/Dialect/CIM/Transforms/Passes.h"
#include "mho/ISA/Arithmetic.h"
#include "mho/Support/TensorFiles.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

using namespace mlir;
using namespace mho::cim;

namespace mho::cim {
#define GEN_PASS_DEF_CIMQUANTIZE
#include "mho/Dialect/CIM/Transforms/Passes.h.inc"
} // namespace mho::cim

//===----------------------------------------------------------------------===//
// Weight-constant helpers (WeightConstants.h)
//===----------------------------------------------------------------------===//

DenseResourceElementsAttr mho::cim::getShapeOnlyElements(ShapedType type,
                                                         StringRef hint) {
  auto &manager =
      DenseResourceElementsHandle::getManagerInterface(type.getContext());
  // The manager makes a taken name unique by trying hint_0, hint_1, ... in
  // turn, which is quadratic over the 10^5 blocks of a large model; a counter
  // per hint makes the first try succeed (the manager still resolves names
  // the input already uses).
  auto *dialect = type.getContext()->getLoadedDialect<CIMDialect>();
  assert(dialect && "shape-only weights are made by cim passes");
  std::string name =
      (hint + "_" + Twine(dialect->takeShapeOnlyIndex(hint))).str();
  return DenseResourceElementsAttr::get(type, manager.insert(name));
}

bool mho::cim::isShapeOnly(Attribute attr) {
  auto resource = dyn_cast_if_present<DenseResourceElementsAttr>(attr);
  return resource && !resource.getRawHandle().getBlob();
}

/// Reads `count` little-endian integers of `bytes` bytes each from `data`.
static void readPacked(ArrayRef<char> data, unsigned bytes, unsigned bits,
                       int64_t count, std::vector<int64_t> &values) {
  values.resize(count);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    for (unsigned b = 0; b < bytes; ++b)
      raw |= static_cast<uint64_t>(static_cast<uint8_t>(data[i * bytes + b]))
             << (8 * b);
    values[i] = mho::isa::signExtend(raw, bits);
  }
}

std::optional<IntegerConstant>
mho::cim::readIntegerConstant(Attribute attr, std::string &problem) {
  auto elements = dyn_cast_if_present<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  auto type = cast<ShapedType>(elements.getType());
  auto element = dyn_cast<IntegerType>(type.getElementType());
  if (!element || !type.hasStaticShape())
    return std::nullopt;
  unsigned bits = element.getWidth();
  int64_t count = type.getNumElements();
  IntegerConstant result;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    if (bits == 1 || bits > 64)
      return std::nullopt;
    unsigned bytes = llvm::divideCeil(bits, 8);
    if (dense.isSplat()) {
      result.values.assign(count, dense.getSplatValue<APInt>().getSExtValue());
      return result;
    }
    readPacked(dense.getRawData(), bytes, bits, count, result.values);
    return result;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob) {
      result.shapeOnly = true;
      return result;
    }
    if (bits != 8 && bits != 16)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    if (static_cast<int64_t>(data.size()) != count * (bits / 8)) {
      llvm::raw_string_ostream os(problem);
      os << "weight resource '" << resource.getRawHandle().getKey()
         << "' holds " << data.size() << " bytes, but '" << type
         << "' needs " << count * (bits / 8);
      return std::nullopt;
    }
    readPacked(data, bits / 8, bits, count, result.values);
    return result;
  }
  return std::nullopt;
}

DenseElementsAttr mho::cim::makeIntegerElements(ShapedType type,
                                                ArrayRef<int64_t> values) {
  unsigned bits = type.getElementTypeBitWidth();
  // Equal values print (and are stored) as a splat.
  if (!values.empty() && llvm::all_equal(values))
    return DenseElementsAttr::get(
        type, APInt(bits, values.front(), /*isSigned=*/true));
  unsigned bytes = llvm::divideCeil(bits, 8);
  uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  std::vector<char> buffer(values.size() * bytes);
  for (auto [i, value] : llvm::enumerate(values)) {
    uint64_t raw = static_cast<uint64_t>(value) & mask;
    for (unsigned b = 0; b < bytes; ++b)
      buffer[i * bytes + b] = static_cast<char>((raw >> (8 * b)) & 0xff);
  }
  return DenseElementsAttr::getFromRawBuffer(type, buffer);
}

TypedAttr mho::cim::getConstantBlock(const IntegerConstant &constant,
                                     ShapedType blockType, int64_t offset,
                                     int64_t rowStride, int64_t r0, int64_t c0,
                                     StringRef hint) {
  if (constant.shapeOnly)
    return getShapeOnlyElements(blockType, hint);
  int64_t rn = blockType.getDimSize(0), cn = blockType.getDimSize(1);
  std::vector<int64_t> block;
  block.reserve(rn * cn);
  for (int64_t r = r0; r < r0 + rn; ++r)
    for (int64_t c = c0; c < c0 + cn; ++c)
      block.push_back(constant.values[offset + r * rowStride + c]);
  return makeIntegerElements(blockType, block);
}

void mho::cim::eraseDeadOps(ArrayRef<Operation *> roots) {
  SmallVector<Operation *> worklist(roots.begin(), roots.end());
  llvm::DenseSet<Operation *> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        worklist.push_back(producer);
    erased.insert(op);
    op->erase();
  }
}

void mho::cim::eraseDeadProducers(Value value) {
  if (Operation *producer = value.getDefiningOp())
    eraseDeadOps(producer);
}

//===----------------------------------------------------------------------===//
// Compile-time evaluation of f32 weights
//===----------------------------------------------------------------------===//

namespace {

/// An f32 weight evaluated at compile time: row-major values, or only a
/// shape (an elided resource or an argument bound as elided).
struct FloatWeight {
  SmallVector<int64_t> shape;
  bool shapeOnly = false;
  std::vector<float> values;
};

/// Row-major strides of `shape`.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Calls `fn(linear index in the result, multi-index)` for every element of
/// a row-major tensor of `shape`.
template <typename Fn> void forEachIndex(ArrayRef<int64_t> shape, Fn fn) {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < count; ++linear) {
    fn(linear, ArrayRef<int64_t>(index));
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Evaluates the weight operand of one cim.linear, reporting failures at
/// that op.
class WeightEvaluator {
public:
  /// `bound`: tensors of the weights file, when there is one.
  WeightEvaluator(Operation *user, BindArguments bind,
                  const mho::TensorSet *bound = nullptr,
                  StringRef boundPath = "")
      : user(user), bind(bind), bound(bound), boundPath(boundPath) {}

  FailureOr<FloatWeight> evaluate(Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.hasStaticShape())
      return fail() << "weight of type " << type
                    << " has a dynamic shape on its way from a constant";
    if (auto argument = dyn_cast<BlockArgument>(value))
      return evaluateArgument(argument, type);

    Operation *def = value.getDefiningOp();
    if (auto constant = dyn_cast<arith::ConstantOp>(def))
      return fromElements(constant.getValue(), type);
    if (auto load = dyn_cast<ml_program::GlobalLoadConstOp>(def))
      return evaluateGlobal(load, type);
    if (auto transpose = dyn_cast<linalg::TransposeOp>(def))
      return evaluateTranspose(transpose);
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
      return evaluateReshape(def->getOperand(0), type);
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def))
      return evaluateSlice(slice, type);
    return fail() << "weight is computed by '" << def->getName()
                  << "', which cannot be evaluated at compile time "
                     "(supported: arith.constant, "
                     "ml_program.global_load_const, linalg.transpose, "
                     "tensor.collapse_shape, tensor.expand_shape, "
                     "tensor.extract_slice)";
  }

private:
  InFlightDiagnostic fail() { return user->emitOpError(); }

  FailureOr<FloatWeight> shapeOnly(RankedTensorType type) {
    FloatWeight weight;
    weight.shape.assign(type.getShape().begin(), type.getShape().end());
    weight.shapeOnly = true;
    return weight;
  }

  FailureOr<FloatWeight> evaluateArgument(BlockArgument argument,
                                          RankedTensorType type) {
    Operation *owner = argument.getOwner()->getParentOp();
    if (!isa_and_present<FunctionOpInterface>(owner))
      return fail() << "weight is an argument of a '" << owner->getName()
                    << "' region, not a compile-time constant";
    if (bound)
      return evaluateBound(argument, type);
    if (bind == BindArguments::Elided)
      return shapeOnly(type);
    return fail() << "weight is a function argument: bind its values (make "
                     "it an arith.constant, a dense_resource blob or an "
                     "ml_program.global, or pass weights-file=<safetensors>), "
                     "or pass bind-arguments=elided for shape-only "
                     "compilation";
  }

  /// The tensor named by the argument's `mho.name` attribute, or
  /// `arg<number>`, in the weights file.
  FailureOr<FloatWeight> evaluateBound(BlockArgument argument,
                                       RankedTensorType type) {
    auto function =
        cast<FunctionOpInterface>(argument.getOwner()->getParentOp());
    std::string name = "arg" + std::to_string(argument.getArgNumber());
    if (auto named = function.getArgAttrOfType<StringAttr>(
            argument.getArgNumber(), "mho.name"))
      name = named.str();
    auto it = bound->tensors.find(name);
    if (it == bound->tensors.end())
      return fail() << "weight argument " << argument.getArgNumber()
                    << " is bound by name '" << name
                    << "', which weights file '" << boundPath
                    << "' does not hold";
    const mho::HostTensor &tensor = it->second;
    if (ArrayRef<int64_t>(tensor.shape) != type.getShape() ||
        tensor.type != mho::ElementType::F32)
      return fail() << "weight '" << name << "' in '" << boundPath << "' is "
                    << tensor.describe() << " but argument "
                    << argument.getArgNumber() << " is " << type;
    FloatWeight weight;
    weight.shape.assign(type.getShape().begin(), type.getShape().end());
    weight.values.assign(tensor.data<float>(),
                         tensor.data<float>() + tensor.numElements());
    return weight;
  }

  FailureOr<FloatWeight> fromElements(Attribute attr, RankedTensorType type) {
    FloatWeight weight;
    weight.shape.assign(type.getShape().begin(), type.getShape().end());
    int64_t count = type.getNumElements();
    if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
      if (dense.isSplat()) {
        weight.values.assign(count, dense.getSplatValue<float>());
      } else {
        weight.values.resize(count);
        ArrayRef<char> raw = dense.getRawData();
        std::memcpy(weight.values.data(), raw.data(), count * sizeof(float));
      }
      return weight;
    }
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
      const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      StringRef key = resource.getRawHandle().getKey();
      // A resource without a blob (`__elided__`, or a key the file's
      // dialect_resources do not define) is a shape-only weight.
      if (!blob)
        return shapeOnly(type);
      ArrayRef<char> data = blob->getData();
      int64_t expected = count * static_cast<int64_t>(sizeof(float));
      if (static_cast<int64_t>(data.size()) != expected)
        return fail() << "weight resource '" << key << "' holds "
                      << data.size() << " bytes, but " << type << " needs "
                      << expected;
      weight.values.resize(count);
      std::memcpy(weight.values.data(), data.data(), expected);
      return weight;
    }
    return fail() << "weight constant is a '" << attr.getAbstractAttribute()
                                                      .getName()
                  << "'; --cim-quantize reads dense elements and "
                     "dense_resource blobs";
  }

  FailureOr<FloatWeight> evaluateGlobal(ml_program::GlobalLoadConstOp load,
                                        RankedTensorType type) {
    auto global = SymbolTable::lookupNearestSymbolFrom<ml_program::GlobalOp>(
        load, load.getGlobalAttr());
    // The load's verifier guarantees an immutable global, which has a value.
    assert(global && global.getValue() && "verified by global_load_const");
    Attribute value = *global.getValue();
    if (isa<ml_program::ExternAttr>(value))
      return fail() << "weight global " << load.getGlobalAttr()
                    << " is external (#ml_program.extern): bind its values";
    return fromElements(value, type);
  }

  FailureOr<FloatWeight> evaluateTranspose(linalg::TransposeOp transpose) {
    FailureOr<FloatWeight> input = evaluate(transpose.getInput());
    if (failed(input))
      return failure();
    ArrayRef<int64_t> permutation = transpose.getPermutation();
    FloatWeight result;
    for (int64_t dim : permutation)
      result.shape.push_back(input->shape[dim]);
    result.shapeOnly = input->shapeOnly;
    if (result.shapeOnly)
      return result;
    SmallVector<int64_t> inputStrides = stridesOf(input->shape);
    result.values.resize(input->values.size());
    forEachIndex(result.shape, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t source = 0;
      for (auto [d, i] : llvm::enumerate(index))
        source += i * inputStrides[permutation[d]];
      result.values[linear] = input->values[source];
    });
    return result;
  }

  FailureOr<FloatWeight> evaluateReshape(Value source, RankedTensorType type) {
    FailureOr<FloatWeight> input = evaluate(source);
    if (failed(input))
      return failure();
    input->shape.assign(type.getShape().begin(), type.getShape().end());
    return input;
  }

  FailureOr<FloatWeight> evaluateSlice(tensor::ExtractSliceOp slice,
                                       RankedTensorType type) {
    ArrayRef<int64_t> offsets = slice.getStaticOffsets();
    ArrayRef<int64_t> sizes = slice.getStaticSizes();
    ArrayRef<int64_t> strides = slice.getStaticStrides();
    auto isDynamic = [](int64_t v) { return ShapedType::isDynamic(v); };
    if (llvm::any_of(offsets, isDynamic) || llvm::any_of(sizes, isDynamic) ||
        llvm::any_of(strides, isDynamic))
      return fail() << "weight is a tensor.extract_slice with dynamic "
                       "offsets, sizes or strides";
    FailureOr<FloatWeight> input = evaluate(slice.getSource());
    if (failed(input))
      return failure();
    FloatWeight result;
    result.shape.assign(type.getShape().begin(), type.getShape().end());
    result.shapeOnly = input->shapeOnly;
    if (result.shapeOnly)
      return result;
    // Walk the unreduced slice shape; rank reduction keeps the order.
    SmallVector<int64_t> inputStrides = stridesOf(input->shape);
    result.values.resize(type.getNumElements());
    forEachIndex(sizes, [&](int64_t linear, ArrayRef<int64_t> index) {
      int64_t source = 0;
      for (auto [d, i] : llvm::enumerate(index))
        source += (offsets[d] + i * strides[d]) * inputStrides[d];
      result.values[linear] = input->values[source];
    });
    return result;
  }

  Operation *user;
  BindArguments bind;
  const mho::TensorSet *bound;
  StringRef boundPath;
};

//===----------------------------------------------------------------------===//
// --cim-quantize
//===----------------------------------------------------------------------===//

struct CIMQuantizePass : public mho::cim::impl::CIMQuantizeBase<CIMQuantizePass> {
  using CIMQuantizeBase::CIMQuantizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = TargetAttr::lookup(module);
    if (!target)
      return signalPassFailure();

    dispatches.clear();
    bound.reset();
    if (!weightsFile.empty()) {
      llvm::Expected<mho::TensorSet> file =
          mho::readSafetensorsFile(weightsFile);
      if (!file) {
        mlir::emitError(module.getLoc())
            << "cannot bind weights: " << llvm::toString(file.takeError());
        return signalPassFailure();
      }
      bound = std::move(*file);
    }

    bool failedAny = false;
    SmallVector<LinearOp> linears;
    module.walk([&](LinearOp linear) { linears.push_back(linear); });
    for (LinearOp linear : linears)
      if (failed(quantize(linear, target)))
        failedAny = true;
    SmallVector<MoELinearOp> moes;
    module.walk([&](MoELinearOp moe) { moes.push_back(moe); });
    for (MoELinearOp moe : moes)
      if (failed(quantize(moe, target)))
        failedAny = true;
    if (failedAny)
      signalPassFailure();
  }

  WeightEvaluator getEvaluator(Operation *user) {
    return WeightEvaluator(user, bindArguments, bound ? &*bound : nullptr,
                           weightsFile);
  }

  /// Quantizes `weight` (`[E,] K x N`) per expert and output channel into
  /// constants of `intType` and `scaleType` at `op`.
  FailureOr<std::pair<Value, Value>>
  quantizeWeight(Operation *op, const FloatWeight &weight,
                 RankedTensorType intType, RankedTensorType scaleType,
                 unsigned weightBits, OpBuilder &builder) {
    TypedAttr weights, scales;
    if (weight.shapeOnly) {
      weights = getShapeOnlyElements(intType, "weight_q");
      scales = getShapeOnlyElements(scaleType, "weight_scale");
    } else {
      int64_t n = intType.getShape().back();
      int64_t k = intType.getShape().drop_back().back();
      int64_t experts = intType.getNumElements() / (k * n);
      std::vector<int64_t> quantized(intType.getNumElements());
      std::vector<float> channelScales(scaleType.getNumElements());
      for (int64_t e = 0; e < experts; ++e) {
        ArrayRef<float> values(weight.values.data() + e * k * n, k * n);
        quant::WeightCheck check = quant::quantizeWeights(
            values, k, n, weightBits,
            MutableArrayRef<int64_t>(quantized).slice(e * k * n, k * n),
            MutableArrayRef<float>(channelScales).slice(e * n, n));
        if (check.firstNonFinite >= 0) {
          InFlightDiagnostic diag = op->emitOpError()
                                    << "weight has the non-finite value "
                                    << values[check.firstNonFinite] << " at [";
          if (intType.getRank() == 3)
            diag << e << ", ";
          return diag << check.firstNonFinite / n << ", "
                      << check.firstNonFinite % n << "]";
        }
      }
      weights = makeIntegerElements(intType, quantized);
      scales =
          DenseElementsAttr::get(scaleType, ArrayRef<float>(channelScales));
    }
    Location loc = op->getLoc();
    Value weightConstant =
        arith::ConstantOp::create(builder, loc, intType, weights);
    Value scaleConstant =
        arith::ConstantOp::create(builder, loc, scaleType, scales);
    return std::make_pair(weightConstant, scaleConstant);
  }

  /// The exact sum of K products must fit i32 (cim.mvm's verifier rule).
  LogicalResult checkAccumulation(Operation *op, int64_t k, TargetAttr target) {
    unsigned productBits = target.getWeightBits() + target.getInputBits() - 2;
    if (k > (std::numeric_limits<int32_t>::max() >> productBits))
      return op->emitOpError()
             << "accumulating K = " << k << " products of i"
             << target.getInputBits() << " x i" << target.getWeightBits()
             << " can overflow the i32 accumulator of cim.mvm";
    return success();
  }

  /// moe_linear -> moe_dispatch (one per routing) + quantize_dynamic +
  /// moe_mvm.
  LogicalResult quantize(MoELinearOp moe, TargetAttr target) {
    if (moe.getBias())
      return moe.emitOpError()
             << "has a bias, which --cim-quantize does not map yet (Mixtral-"
                "style experts have none)";
    RankedTensorType weightType = moe.getWeight().getType();
    RankedTensorType indicesType = moe.getIndices().getType();
    RankedTensorType resultType = moe.getType();
    if (!indicesType.hasStaticShape() || !resultType.hasStaticShape() ||
        !moe.getInput().getType().hasStaticShape())
      return moe.emitOpError() << "needs static shapes to be quantized";
    int64_t experts = weightType.getDimSize(0), k = weightType.getDimSize(1),
            n = weightType.getDimSize(2);
    if (failed(checkAccumulation(moe, k, target)))
      return failure();
    WeightEvaluator evaluator = getEvaluator(moe);
    FailureOr<FloatWeight> weight = evaluator.evaluate(moe.getWeight());
    if (failed(weight))
      return failure();

    MLIRContext *context = &getContext();
    OpBuilder builder(moe);
    Location loc = moe.getLoc();
    auto intType = RankedTensorType::get(
        {experts, k, n}, IntegerType::get(context, target.getWeightBits()));
    auto scaleType =
        RankedTensorType::get({experts, n}, Float32Type::get(context));
    MoEDispatchOp &dispatch = dispatches[{moe.getIndices(), experts}];
    if (!dispatch) {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointAfterValue(moe.getIndices());
      auto i32 = IntegerType::get(context, 32);
      dispatch = MoEDispatchOp::create(
          builder, loc,
          RankedTensorType::get({experts, indicesType.getNumElements()}, i32),
          RankedTensorType::get({experts}, i32), moe.getIndices(),
          builder.getI64IntegerAttr(experts));
    }
    auto dynamic = QuantizeDynamicOp::create(builder, loc, moe.getInput(),
                                             target.getInputBits());
    FailureOr<std::pair<Value, Value>> quantized = quantizeWeight(
        moe, *weight, intType, scaleType, target.getWeightBits(), builder);
    if (failed(quantized)) {
      dynamic.erase();
      return failure();
    }
    auto mvm = MoEMVMOp::create(
        builder, loc, resultType, dynamic.getResult(), dynamic.getScales(),
        quantized->first, quantized->second, dispatch.getLists(),
        dispatch.getCounts(), builder.getI64IntegerAttr(target.getRows()),
        builder.getI64IntegerAttr(target.getCols()), target.getSlicing(),
        /*places=*/ArrayAttr());
    Value oldWeight = moe.getWeight();
    moe.replaceAllUsesWith(mvm.getResult());
    moe.erase();
    eraseDeadProducers(oldWeight);
    return success();
  }

  LogicalResult quantize(LinearOp linear, TargetAttr target) {
    RankedTensorType weightType = linear.getWeight().getType();
    int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
    unsigned inputBits = target.getInputBits();
    if (failed(checkAccumulation(linear, k, target)))
      return failure();
    WeightEvaluator evaluator = getEvaluator(linear);
    FailureOr<FloatWeight> weight = evaluator.evaluate(linear.getWeight());
    if (failed(weight))
      return failure();

    MLIRContext *context = &getContext();
    auto intType = RankedTensorType::get(
        {k, n}, IntegerType::get(context, target.getWeightBits()));
    auto scaleType = RankedTensorType::get({n}, Float32Type::get(context));
    OpBuilder builder(linear);
    Location loc = linear.getLoc();
    auto dynamic = QuantizeDynamicOp::create(builder, loc, linear.getInput(),
                                             inputBits);
    FailureOr<std::pair<Value, Value>> quantized = quantizeWeight(
        linear, *weight, intType, scaleType, target.getWeightBits(), builder);
    if (failed(quantized)) {
      dynamic.erase();
      return failure();
    }
    auto [weightConstant, scaleConstant] = *quantized;
    auto mvm = MVMOp::create(builder, loc, dynamic.getResult(), weightConstant,
                             target.getSlicing());
    auto dequantize = DequantizeAccOp::create(
        builder, loc, linear.getType(), mvm, scaleConstant, /*offsets=*/Value(),
        /*input_scales=*/dynamic.getScales(), /*input_scale=*/FloatAttr());
    Value result = dequantize;
    if (Value bias = linear.getBias())
      result = BinaryOp::create(builder, loc, BinaryFn::Add, result, bias);

    Value oldWeight = linear.getWeight();
    linear.replaceAllUsesWith(result);
    linear.erase();
    eraseDeadProducers(oldWeight);
    return success();
  }

  std::optional<mho::TensorSet> bound;
  /// One dispatch per (routing, number of experts).
  llvm::DenseMap<std::pair<Value, int64_t>, MoEDispatchOp> dispatches;
};

} // namespace
