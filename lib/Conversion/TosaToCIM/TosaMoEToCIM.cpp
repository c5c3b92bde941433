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

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"

namespace mho {
#define GEN_PASS_DEF_CONVERTTOSAMOETOCIM
#include "mho/Conversion/Passes.h.inc"
} // namespace mho

using namespace mlir;
using namespace mho;

namespace {

/// The f32 splat value of a constant, if it is one.
std::optional<APFloat> getSplat(Value value) {
  DenseElementsAttr dense;
  if (matchPattern(value, m_Constant(&dense)) && dense.isSplat() &&
      llvm::isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>();
  return std::nullopt;
}

int64_t lastAxis(Value value) {
  return llvm::cast<RankedTensorType>(value.getType()).getRank() - 1;
}

/// `op` reduces the last axis of its input.
template <typename ReduceOpTy> bool reducesLastAxis(ReduceOpTy op) {
  return op && static_cast<int64_t>(op.getAxis()) == lastAxis(op.getInput());
}

/// The operand of a binary `tosa.mul` other than `operand`, if `mul` has it.
Value otherFactor(tosa::MulOp mul, Value operand) {
  if (mul.getInput1() == operand)
    return mul.getInput2();
  if (mul.getInput2() == operand)
    return mul.getInput1();
  return {};
}

/// `value` is `x * 1/reduce_sum(x)` over the last axis, the normalisation of
/// softmax and of Mixtral's top-k weights; returns x.
Value matchNormalised(Value value) {
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
  if (!weighted)
    return false;
  auto yType = llvm::cast<RankedTensorType>(root.getInput().getType());
  if (yType.getRank() != 3 || !yType.hasStaticShape())
    return false;
  numExperts = yType.getDimSize(0);
  tokens = yType.getDimSize(1);
  for (Value y : {weighted.getInput1(), weighted.getInput2()}) {
    Value gates = otherFactor(weighted, y);
    auto gType = llvm::cast<RankedTensorType>(gates.getType());
    if (llvm::cast<RankedTensorType>(y.getType()) != yType ||
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
  if (Value unnormalised = matchNormalised(gates)) {
    moe.normalised = true;
    gates = unnormalised;
  }
  auto select = gates.getDefiningOp<tosa::SelectOp>();
  if (!select)
    return false;
  auto keep = select.getInput1().getDefiningOp<tosa::GreaterEqualOp>();
  std::optional<APFloat> zero = getSplat(select.getInput3());
  Value probs = select.getInput2();
  if (!keep || !zero || !zero->isZero() || keep.getInput1() != probs)
    return false;
  auto type = llvm::cast<RankedTensorType>(probs.getType());
  ArrayRef<int64_t> shape = type.getShape();
  bool routerShape = (shape == ArrayRef<int64_t>{1, tokens, numExperts}) ||
                     (shape == ArrayRef<int64_t>{tokens, numExperts});
  if (!routerShape || !matchThreshold(keep.getInput2(), probs))
    return false;
  moe.probs = probs;
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
    std::optional<APFloat> mask = getSplat(select.getInput2());
    Value previous = select.getInput3();
    if (!larger || !mask || larger.getInput1() != previous)
      return false;
    bool below = mask->isInfinity() ? mask->isNegative()
                                    : nonNegative && mask->isNegative();
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
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (!op || type.getRank() != 3 || type.getDimSize(0) != numExperts ||
      type.getDimSize(1) != tokens)
    return failure();
  auto slotType = RankedTensorType::get({tokens, moe.k, type.getDimSize(2)},
                                        type.getElementType());
  Value result;
  if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
    auto weightType = llvm::cast<RankedTensorType>(matmul.getB().getType());
    std::optional<APFloat> aZp = getSplat(matmul.getAZp());
    std::optional<APFloat> bZp = getSplat(matmul.getBZp());
    if (weightType.getRank() != 3 || weightType.getDimSize(0) != numExperts ||
        !aZp || !aZp->isZero() || !bZp || !bZp->isZero())
      return failure();
    Value input;
    // The first expert layer reads the token's row: x tiled E times.
    if (auto tile = matmul.getA().getDefiningOp<tosa::TileOp>()) {
      auto xType = llvm::cast<RankedTensorType>(tile.getInput1().getType());
      if (xType.getRank() != 3 || xType.getDimSize(0) != 1)
        return failure();
      input = reshapeUnitDims(builder, op->getLoc(), tile.getInput1(),
                              {tokens, xType.getDimSize(2)});
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
  auto hidden = llvm::cast<RankedTensorType>(experts->getType()).getDimSize(2);
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
    getOperation().walk([&](tosa::ReduceSumOp op) { roots.push_back(op); });
    for (tosa::ReduceSumOp root : roots) {
      MoERewriter rewriter(root);
      if (!rewriter.match() || failed(rewriter.rewrite()))
        continue;
      // The dense experts and the masking are dead now.
      Block *block = root->getBlock();
      bool erased = true;
      while (erased) {
        erased = false;
        for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*block)))
          if (isOpTriviallyDead(&op)) {
            op.erase();
            erased = true;
          }
      }
    }
  }
};

} // namespace
