//===- TosaMoEToCIM.cpp - Routed experts from a dense TOSA MoE ------------===//
//
// Static-shape exporters write a mixture of experts densely: all experts on
// all tokens, weighted by a top-k-masked routing matrix. The structure is
// matched on TOSA (before tosa-to-linalg scatters it over linalg.generic
// bodies) and rewritten with cim.topk, cim.moe_linear and cim.moe_combine so
// that only routed experts execute (the pass description in
// include/mho/Conversion/Passes.td states the form).
//
//===----------------------------------------------------------------------===//

#include "mho/Conversion/Passes.h"
#include "mho/Conversion/UnitDims.h"
#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/CIM/Transforms/WeightConstants.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"

namespace mho {
#define GEN_PASS_DEF_CONVERTTOSAMOETOCIM
#include "mho/Conversion/Passes.h.inc"
} // namespace mho

using namespace mlir;
using namespace mho;

/// `value`'s type when it is a statically shaped f32 tensor.
static RankedTensorType getStaticF32(Value value) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return {};
  return type;
}

/// `op` reduces the last axis of a ranked input.
template <typename ReduceOpTy> static bool reducesLastAxis(ReduceOpTy op) {
  if (!op)
    return false;
  auto type = llvm::dyn_cast<RankedTensorType>(op.getInput().getType());
  return type && static_cast<int64_t>(op.getAxis()) == type.getRank() - 1;
}

/// The operand of a binary `tosa.mul` other than `operand`, if `mul` has it.
static Value otherFactor(tosa::MulOp mul, Value operand) {
  if (mul.getInput1() == operand)
    return mul.getInput2();
  if (mul.getInput2() == operand)
    return mul.getInput1();
  return {};
}

/// `value` is `x * 1/reduce_sum(x)` over the last axis, the normalisation of
/// softmax and of Mixtral's top-k weights; returns x.
static Value matchNormalised(Value value) {
  auto mul = value.getDefiningOp<tosa::MulOp>();
  if (!mul)
    return {};
  for (Value x : {mul.getInput1(), mul.getInput2()}) {
    auto reciprocal = otherFactor(mul, x).getDefiningOp<tosa::ReciprocalOp>();
    if (!reciprocal)
      continue;
    auto sum = reciprocal.getInput1().getDefiningOp<tosa::ReduceSumOp>();
    if (reducesLastAxis(sum) && sum.getInput() == x)
      return x;
  }
  return {};
}

namespace {

/// What a dense MoE layer reduces.
struct DenseMoE {
  Value probs;   ///< P: router probabilities, [1, T, E] or [T, E]
  int64_t k = 0; ///< experts per token
  bool normalised = false;
  Value experts; ///< Y: every expert's output, [E, T, H]
};

class MoERewriter {
public:
  explicit MoERewriter(tosa::ReduceSumOp root) : root(root) {}

  /// Matches the layer at `root`; nothing is changed on failure.
  bool match();
  /// Rewrites the matched layer.
  LogicalResult rewrite();

private:
  bool matchGates(Value gates);
  bool matchThreshold(Value threshold, Value probs);
  FailureOr<Value> routeExperts(Value value, OpBuilder &builder);

  tosa::ReduceSumOp root;
  DenseMoE moe;
  int64_t tokens = 0, numExperts = 0;
  Value indices;
  DenseMap<Value, Value> routed;
};

bool MoERewriter::match() {
  if (root.getAxis() != 0)
    return false;
  auto weighted = root.getInput().getDefiningOp<tosa::MulOp>();
  RankedTensorType yType = getStaticF32(root.getInput());
  if (!weighted || !yType || yType.getRank() != 3)
    return false;
  numExperts = yType.getDimSize(0);
  tokens = yType.getDimSize(1);
  for (Value y : {weighted.getInput1(), weighted.getInput2()}) {
    Value gates = otherFactor(weighted, y);
    RankedTensorType gType = getStaticF32(gates);
    if (y.getType() != yType || !gType ||
        gType.getShape() != ArrayRef<int64_t>{numExperts, tokens, 1})
      continue;
    // [E, T, 1] <- reshape? <- transpose (experts first) <- R.
    if (auto reshape = gates.getDefiningOp<tosa::ReshapeOp>())
      gates = reshape.getInput1();
    auto transpose = gates.getDefiningOp<tosa::TransposeOp>();
    if (!transpose)
      continue;
    ArrayRef<int32_t> perms = transpose.getPerms();
    bool expertsFirst =
        perms == ArrayRef<int32_t>{2, 1, 0} || perms == ArrayRef<int32_t>{1, 0};
    if (!expertsFirst || !matchGates(transpose.getInput1()))
      continue;
    moe.experts = y;
    return true;
  }
  return false;
}

/// R = select(P >= threshold, P, 0), optionally normalised.
bool MoERewriter::matchGates(Value gates) {
  Value unnormalised = matchNormalised(gates);
  auto select =
      (unnormalised ? unnormalised : gates).getDefiningOp<tosa::SelectOp>();
  if (!select)
    return false;
  auto keep = select.getInput1().getDefiningOp<tosa::GreaterEqualOp>();
  Value probs = select.getInput2();
  if (!keep || !matchPattern(select.getInput3(), m_AnyZeroFloat()) ||
      keep.getInput1() != probs)
    return false;
  RankedTensorType type = getStaticF32(probs);
  if (!type)
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  bool routerShape = (shape == ArrayRef<int64_t>{1, tokens, numExperts}) ||
                     (shape == ArrayRef<int64_t>{tokens, numExperts});
  if (!routerShape || !matchThreshold(keep.getInput2(), probs))
    return false;
  moe.probs = probs;
  moe.normalised = static_cast<bool>(unnormalised);
  return true;
}

/// The k-th largest probability per token: reduce_max of P with the larger
/// ones masked out by a constant below every probability, k - 1 times.
bool MoERewriter::matchThreshold(Value threshold, Value probs) {
  // Softmax outputs are non-negative, so any negative mask works; for other
  // routers only -inf is below every value.
  Value exponentials = matchNormalised(probs);
  bool nonNegative = exponentials && exponentials.getDefiningOp<tosa::ExpOp>();
  int64_t k = 1;
  while (true) {
    auto max = threshold.getDefiningOp<tosa::ReduceMaxOp>();
    if (!reducesLastAxis(max))
      return false;
    Value masked = max.getInput();
    if (masked == probs)
      break;
    auto select = masked.getDefiningOp<tosa::SelectOp>();
    if (!select)
      return false;
    auto larger = select.getInput1().getDefiningOp<tosa::GreaterEqualOp>();
    APFloat mask(0.0f);
    Value previous = select.getInput3();
    if (!larger || !matchPattern(select.getInput2(), m_ConstantFloat(&mask)) ||
        larger.getInput1() != previous)
      return false;
    bool below =
        !mask.isNaN() && (mask.isInfinity() ? mask.isNegative()
                                            : nonNegative && mask.isNegative());
    if (!below)
      return false;
    auto previousMax = larger.getInput2().getDefiningOp<tosa::ReduceMaxOp>();
    if (!previousMax || previousMax.getInput() != previous)
      return false;
    threshold = larger.getInput2();
    ++k;
  }
  if (k > numExperts)
    return false;
  moe.k = k;
  return true;
}

/// The routed form of an expert value `value` ([E, T, F] -> [T, k, F]).
FailureOr<Value> MoERewriter::routeExperts(Value value, OpBuilder &builder) {
  if (Value known = routed.lookup(value))
    return known;
  Operation *op = value.getDefiningOp();
  RankedTensorType type = getStaticF32(value);
  if (!op || !type || type.getRank() != 3 || type.getDimSize(0) != numExperts ||
      type.getDimSize(1) != tokens)
    return failure();
  auto slotType = RankedTensorType::get({tokens, moe.k, type.getDimSize(2)},
                                        type.getElementType());
  Value result;
  if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
    RankedTensorType weightType = getStaticF32(matmul.getB());
    if (!weightType || weightType.getRank() != 3 ||
        weightType.getDimSize(0) != numExperts ||
        !matchPattern(matmul.getAZp(), m_AnyZeroFloat()) ||
        !matchPattern(matmul.getBZp(), m_AnyZeroFloat()))
      return failure();
    int64_t k = weightType.getDimSize(1);
    Value input;
    // The first expert layer reads the token's row: x [1, T, K] tiled
    // [E, 1, 1] times.
    if (auto tile = matmul.getA().getDefiningOp<tosa::TileOp>()) {
      RankedTensorType xType = getStaticF32(tile.getInput1());
      auto multiples = tile.getMultiples().getDefiningOp<tosa::ConstShapeOp>();
      if (!xType || xType.getShape() != ArrayRef<int64_t>{1, tokens, k} ||
          !multiples ||
          llvm::to_vector(multiples.getValues().getValues<int64_t>()) !=
              SmallVector<int64_t>{numExperts, 1, 1})
        return failure();
      input =
          reshapeUnitDims(builder, op->getLoc(), tile.getInput1(), {tokens, k});
    } else {
      FailureOr<Value> a = routeExperts(matmul.getA(), builder);
      if (failed(a))
        return failure();
      input = *a;
    }
    result = cim::MoELinearOp::create(builder, op->getLoc(), slotType, input,
                                      matmul.getB(), indices, Value());
  } else if (op->hasTrait<OpTrait::tosa::TosaElementwiseOperator>() ||
             isa<tosa::MulOp>(op)) {
    // Position-independent: the same op on the routed slots.
    IRMapping mapping;
    for (OpOperand &operand : op->getOpOperands()) {
      auto mul = dyn_cast<tosa::MulOp>(op);
      if (mul && operand.get() == mul.getShift())
        continue;
      FailureOr<Value> slots = routeExperts(operand.get(), builder);
      if (failed(slots))
        return failure();
      mapping.map(operand.get(), *slots);
    }
    Operation *clone = builder.clone(*op, mapping);
    clone->getResult(0).setType(slotType);
    result = clone->getResult(0);
  } else {
    return failure();
  }
  routed[value] = result;
  return result;
}

/// Remembers what a builder creates, to undo a rewrite that fails halfway.
struct CreatedOps : public OpBuilder::Listener {
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    ops.push_back(op);
  }
  SmallVector<Operation *> ops;
};

LogicalResult MoERewriter::rewrite() {
  OpBuilder builder(root);
  CreatedOps created;
  builder.setListener(&created);
  Location loc = root.getLoc();
  auto f32 = builder.getF32Type();
  Value probs = reshapeUnitDims(builder, loc, moe.probs, {tokens, numExperts});
  auto topk = cim::TopKOp::create(
      builder, loc, RankedTensorType::get({tokens, moe.k}, f32),
      RankedTensorType::get({tokens, moe.k}, builder.getI32Type()), probs,
      moe.k);
  indices = topk.getIndices();
  Value weights = topk.getValues();
  if (moe.normalised) {
    auto sum = cim::ReduceOp::create(
        builder, loc, RankedTensorType::get({tokens, 1}, f32),
        cim::ReduceKind::Sum, weights, /*axis=*/1, /*keep_dims=*/true);
    auto reciprocal = cim::UnaryOp::create(builder, loc, sum.getType(),
                                           cim::UnaryFn::Recip, sum);
    weights = cim::BinaryOp::create(builder, loc, cim::BinaryFn::Mul, weights,
                                    reciprocal);
  }

  FailureOr<Value> experts = routeExperts(moe.experts, builder);
  if (failed(experts)) {
    for (Operation *op : llvm::reverse(created.ops))
      op->erase();
    return failure();
  }
  int64_t hidden =
      llvm::cast<RankedTensorType>(experts->getType()).getDimSize(2);
  Value combined = cim::MoECombineOp::create(
      builder, loc, RankedTensorType::get({tokens, hidden}, f32), *experts,
      weights);
  auto resultType = llvm::cast<RankedTensorType>(root.getType());
  root.replaceAllUsesWith(
      reshapeUnitDims(builder, loc, combined, resultType.getShape()));
  return success();
}

struct ConvertTosaMoEToCIMPass
    : public mho::impl::ConvertTosaMoEToCIMBase<ConvertTosaMoEToCIMPass> {
  void runOnOperation() override {
    SmallVector<tosa::ReduceSumOp> roots;
    SmallVector<Operation *> rewritten;
    getOperation().walk([&](tosa::ReduceSumOp op) { roots.push_back(op); });
    for (tosa::ReduceSumOp root : roots) {
      MoERewriter rewriter(root);
      if (rewriter.match() && succeeded(rewriter.rewrite()))
        rewritten.push_back(root);
    }
    // The dense experts and the masking are dead now; only what fed a
    // rewritten layer is erased (after all matching: roots must stay alive).
    cim::eraseDeadOps(rewritten);
  }
};

} // namespace
