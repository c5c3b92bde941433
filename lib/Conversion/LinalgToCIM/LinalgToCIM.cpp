//===- LinalgToCIM.cpp - Map linalg-on-tensors onto cim ops ---------------===//
//
// Products with a stationary weight go to crossbars (cim.linear), products of
// two activations to the digital matrix unit (cim.dmm), element-wise bodies
// and reductions to the vector unit (cim.unary / cim.binary / cim.reduce).
// Data movement stays upstream.
//
//===----------------------------------------------------------------------===//

#include "mho/Conversion/Passes.h"
#include "mho/Conversion/UnitDims.h"
#include "mho/Dialect/CIM/IR/CIMOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

namespace mho {
#define GEN_PASS_DEF_CONVERTLINALGTOCIM
#include "mho/Conversion/Passes.h.inc"
} // namespace mho

using namespace mlir;
using namespace mho;
using namespace mho::cim;

static constexpr llvm::StringLiteral kWeightAttr = "mho.weight";

//===----------------------------------------------------------------------===//
// Operand classification
//===----------------------------------------------------------------------===//

/// The float a tensor is filled with, when it is a splat.
static std::optional<APFloat> splatValue(Value value) {
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    value = fill.getInputs()[0];
  APFloat splat(0.0f);
  if (matchPattern(value, m_ConstantFloat(&splat)))
    return splat;
  return std::nullopt;
}

static bool isSplatOf(Value value, double expected) {
  std::optional<APFloat> splat = splatValue(value);
  if (!splat)
    return false;
  if (std::isinf(expected))
    return splat->isInfinity() && splat->isNegative() == (expected < 0);
  return splat->convertToDouble() == expected;
}

namespace {

class LinalgToCIM {
public:
  LinalgToCIM(ModuleOp module, ArrayRef<unsigned> weightArguments)
      : module(module), rewriter(module.getContext()),
        weightArguments(weightArguments.begin(), weightArguments.end()) {}

  LogicalResult run();

private:
  bool isStationary(Value value) const;
  LogicalResult convert(Operation *op);
  LogicalResult convertProduct(linalg::LinalgOp op, Value lhs, Value rhs,
                               Value init);
  Value stationaryProduct(Location loc, Value lhs, Value rhs,
                          RankedTensorType resultType);
  LogicalResult convertGeneric(linalg::GenericOp op);
  LogicalResult convertReduce(linalg::ReduceOp op);
  Value reduceDims(Location loc, Value value, ReduceKind kind,
                   ArrayRef<int64_t> dims, bool keepDims);
  Value combineWithInit(Location loc, Value value, Value init,
                        ReduceKind kind);

  ModuleOp module;
  IRRewriter rewriter;
  llvm::SmallDenseSet<unsigned> weightArguments;
};

/// Rewrites the body of one linalg.generic into whole-tensor cim ops over the
/// loop space. Every value is materialized as a tensor whose rank is the
/// number of loops, with size 1 in the loops it does not vary along, so that
/// numpy broadcasting in cim.binary lines operands up.
class BodyMaterializer {
public:
  BodyMaterializer(RewriterBase &rewriter, linalg::GenericOp op)
      : rewriter(rewriter), op(op), loops(op.getStaticLoopRanges()) {}

  FailureOr<Value> materialize(Value value);

private:
  FailureOr<Value> broadcastOperand(OpOperand &operand);
  Value scalarTensor(Location loc, FloatAttr value);
  FailureOr<Value> maskFor(arith::SelectOp select, bool maskWhenTrue);
  FailureOr<int64_t> evalIndex(Value value, ArrayRef<int64_t> point);

  RewriterBase &rewriter;
  linalg::GenericOp op;
  SmallVector<int64_t> loops;
  llvm::DenseMap<Value, Value> tensors;
};

} // namespace

bool LinalgToCIM::isStationary(Value value) const {
  while (true) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
      if (!func || arg.getOwner() != &func.getBody().front())
        return false;
      return func.getArgAttr(arg.getArgNumber(), kWeightAttr) ||
             weightArguments.contains(arg.getArgNumber());
    }
    Operation *def = value.getDefiningOp();
    if (isa<arith::ConstantOp, ml_program::GlobalLoadConstOp>(def))
      return true;
    if (auto t = dyn_cast<linalg::TransposeOp>(def))
      value = t.getInput();
    else if (auto b = dyn_cast<linalg::BroadcastOp>(def))
      value = b.getInput();
    else if (auto e = dyn_cast<tensor::ExpandShapeOp>(def))
      value = e.getSrc();
    else if (auto c = dyn_cast<tensor::CollapseShapeOp>(def))
      value = c.getSrc();
    else if (auto s = dyn_cast<tensor::ExtractSliceOp>(def))
      value = s.getSource();
    else
      return false;
  }
}

FailureOr<Value> BodyMaterializer::broadcastOperand(OpOperand &operand) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  Value tensor = operand.get();
  if (isa<FloatType>(tensor.getType())) {
    FloatAttr constant;
    if (matchPattern(tensor, m_Constant(&constant)))
      return scalarTensor(op.getLoc(), constant);
    return tensor::FromElementsOp::create(
               rewriter, op.getLoc(),
               RankedTensorType::get({}, tensor.getType()), tensor)
        .getResult();
  }
  // Mapped body ops take floats, so a non-scalar operand that reaches here
  // is a ranked tensor (linalg.generic's verifier checks the rest).
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<int64_t> shape(loops.size(), 1);
  int64_t lastDim = -1;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (static_cast<int64_t>(dim.getPosition()) <= lastDim)
        return op.emitError("cannot map linalg.generic: operand #")
                   << operand.getOperandNumber()
                   << " is read through a permuted indexing map; transpose it "
                      "with linalg.transpose first",
               failure();
      lastDim = dim.getPosition();
      shape[dim.getPosition()] = type.getDimSize(i);
      continue;
    }
    auto constant = dyn_cast<AffineConstantExpr>(expr);
    if (!constant || constant.getValue() != 0 || type.getDimSize(i) != 1) {
      std::string text;
      llvm::raw_string_ostream(text) << expr;
      return op.emitError("cannot map linalg.generic: operand #")
                 << operand.getOperandNumber() << " has indexing expression "
                 << text << " (only loop dimensions and 0 are mapped)",
             failure();
    }
  }
  // Numpy broadcasting adds leading unit dimensions by itself.
  ArrayRef<int64_t> needed(shape);
  while (!needed.empty() && needed.front() == 1 &&
         static_cast<int64_t>(needed.size()) > type.getRank())
    needed = needed.drop_front();
  if (type.getRank() == 0 || needed == type.getShape())
    return tensor;
  return reshapeUnitDims(rewriter, op.getLoc(), tensor, shape);
}

Value BodyMaterializer::scalarTensor(Location loc, FloatAttr value) {
  auto type = RankedTensorType::get({}, value.getType());
  return arith::ConstantOp::create(rewriter, loc,
                                   DenseElementsAttr::get(type, value))
      .getResult();
}

FailureOr<int64_t> BodyMaterializer::evalIndex(Value value,
                                               ArrayRef<int64_t> point) {
  if (auto index = value.getDefiningOp<linalg::IndexOp>())
    return point[index.getDim()];
  IntegerAttr constant;
  if (matchPattern(value, m_Constant(&constant)))
    return constant.getInt();
  Operation *def = value.getDefiningOp();
  if (!def || def->getNumOperands() != 2)
    return failure();
  FailureOr<int64_t> a = evalIndex(def->getOperand(0), point);
  FailureOr<int64_t> b = evalIndex(def->getOperand(1), point);
  if (failed(a) || failed(b))
    return failure();
  if (isa<arith::AddIOp>(def))
    return *a + *b;
  if (isa<arith::SubIOp>(def))
    return *a - *b;
  if (isa<arith::MulIOp>(def))
    return *a * *b;
  if (auto cmp = dyn_cast<arith::CmpIOp>(def)) {
    uint64_t ua = *a, ub = *b;
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::eq:
      return *a == *b;
    case arith::CmpIPredicate::ne:
      return *a != *b;
    case arith::CmpIPredicate::slt:
      return *a < *b;
    case arith::CmpIPredicate::sle:
      return *a <= *b;
    case arith::CmpIPredicate::sgt:
      return *a > *b;
    case arith::CmpIPredicate::sge:
      return *a >= *b;
    case arith::CmpIPredicate::ult:
      return ua < ub;
    case arith::CmpIPredicate::ule:
      return ua <= ub;
    case arith::CmpIPredicate::ugt:
      return ua > ub;
    case arith::CmpIPredicate::uge:
      return ua >= ub;
    }
  }
  return failure();
}

/// A select between -inf and a value on a condition over loop indices is an
/// additive mask: 0 where the value is kept, -inf where it is masked.
FailureOr<Value> BodyMaterializer::maskFor(arith::SelectOp select,
                                           bool maskWhenTrue) {
  // The mask varies only along the loops whose linalg.index feeds it.
  SmallVector<int64_t> shape(loops.size(), 1);
  SmallVector<Value> worklist = {select.getCondition()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (auto index = v.getDefiningOp<linalg::IndexOp>()) {
      shape[index.getDim()] = loops[index.getDim()];
      continue;
    }
    if (Operation *def = v.getDefiningOp())
      if (def->getBlock() == op.getBody())
        llvm::append_range(worklist, def->getOperands());
  }
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  SmallVector<float> mask(count);
  SmallVector<int64_t> point(loops.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    for (int64_t d = loops.size() - 1, rest = flat; d >= 0; --d) {
      point[d] = rest % shape[d];
      rest /= shape[d];
    }
    FailureOr<int64_t> cond = evalIndex(select.getCondition(), point);
    if (failed(cond))
      return select.emitError("cannot map arith.select in linalg.generic: its "
                              "condition is not a function of linalg.index "
                              "values and constants"),
             failure();
    bool masked = (*cond != 0) == maskWhenTrue;
    mask[flat] = masked ? -std::numeric_limits<float>::infinity() : 0.0f;
  }
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  return arith::ConstantOp::create(
             rewriter, select.getLoc(),
             DenseElementsAttr::get(type, ArrayRef<float>(mask)))
      .getResult();
}

static bool isNegInfConstant(Value value) {
  FloatAttr constant;
  return matchPattern(value, m_Constant(&constant)) &&
         constant.getValue().isInfinity() && constant.getValue().isNegative();
}

static std::optional<UnaryFn> unaryFnFor(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<UnaryFn>>(op)
      .Case([](arith::NegFOp) { return UnaryFn::Neg; })
      .Case([](math::AbsFOp) { return UnaryFn::Abs; })
      .Case([](math::ExpOp) { return UnaryFn::Exp; })
      .Case([](math::ErfOp) { return UnaryFn::Erf; })
      .Case([](math::TanhOp) { return UnaryFn::Tanh; })
      .Case([](math::RsqrtOp) { return UnaryFn::Rsqrt; })
      .Case([](math::SqrtOp) { return UnaryFn::Sqrt; })
      .Default([](Operation *) { return std::nullopt; });
}

static std::optional<BinaryFn> binaryFnFor(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<BinaryFn>>(op)
      .Case([](arith::AddFOp) { return BinaryFn::Add; })
      .Case([](arith::SubFOp) { return BinaryFn::Sub; })
      .Case([](arith::MulFOp) { return BinaryFn::Mul; })
      .Case([](arith::DivFOp) { return BinaryFn::Div; })
      .Case<arith::MaximumFOp, arith::MaxNumFOp>(
          [](Operation *) { return BinaryFn::Max; })
      .Case<arith::MinimumFOp, arith::MinNumFOp>(
          [](Operation *) { return BinaryFn::Min; })
      .Default([](Operation *) { return std::nullopt; });
}

FailureOr<Value> BodyMaterializer::materialize(Value value) {
  if (Value known = tensors.lookup(value))
    return known;
  FailureOr<Value> result = failure();
  auto arg = dyn_cast<BlockArgument>(value);
  bool inBody = arg ? arg.getOwner() == op.getBody()
                    : value.getDefiningOp()->getBlock() == op.getBody();
  FloatAttr constant;
  if (arg && inBody) {
    result = broadcastOperand(op->getOpOperand(arg.getArgNumber()));
  } else if (matchPattern(value, m_Constant(&constant))) {
    result = scalarTensor(op.getLoc(), constant);
  } else if (!inBody) {
    // A scalar computed outside the body and captured by it; mapped body ops
    // only take floats, so that is what it is.
    result = tensor::FromElementsOp::create(
                 rewriter, op.getLoc(),
                 RankedTensorType::get({}, value.getType()), value)
                 .getResult();
  } else {
    Operation *def = value.getDefiningOp();
    Location loc = def->getLoc();
    if (std::optional<UnaryFn> fn = unaryFnFor(def)) {
      FailureOr<Value> input = materialize(def->getOperand(0));
      if (failed(input))
        return failure();
      result = UnaryOp::create(rewriter, loc, input->getType(), *fn, *input)
                   .getResult();
    } else if (std::optional<BinaryFn> fn = binaryFnFor(def)) {
      FailureOr<Value> lhs = materialize(def->getOperand(0));
      FailureOr<Value> rhs = materialize(def->getOperand(1));
      if (failed(lhs) || failed(rhs))
        return failure();
      result = BinaryOp::create(rewriter, loc, *fn, *lhs, *rhs).getResult();
    } else if (auto select = dyn_cast<arith::SelectOp>(def)) {
      bool trueMasks = isNegInfConstant(select.getTrueValue());
      bool falseMasks = isNegInfConstant(select.getFalseValue());
      if (!trueMasks && !falseMasks)
        return select.emitError(
                   "cannot map arith.select in linalg.generic: only a select "
                   "of -inf on an index condition (a mask) is mapped"),
               failure();
      FailureOr<Value> mask = maskFor(select, trueMasks);
      FailureOr<Value> kept = materialize(trueMasks ? select.getFalseValue()
                                                    : select.getTrueValue());
      if (failed(mask) || failed(kept))
        return failure();
      result =
          BinaryOp::create(rewriter, loc, BinaryFn::Add, *kept, *mask)
              .getResult();
    } else {
      return def->emitError("cannot map '")
                 << def->getName()
                 << "' in linalg.generic to the CIM vector unit",
             failure();
    }
  }
  if (succeeded(result))
    tensors[value] = *result;
  return result;
}

//===----------------------------------------------------------------------===//
// Products
//===----------------------------------------------------------------------===//

/// A stationary right operand [..., K, N] as a K x N weight; batched weights
/// (one matrix per batch element, as in a dense mixture of experts) give one
/// cim.linear per batch element, concatenated.
Value LinalgToCIM::stationaryProduct(Location loc, Value lhs, Value rhs,
                                     RankedTensorType resultType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t rank = rhsType.getRank();
  if (rank == 2)
    return LinearOp::create(rewriter, loc, resultType, lhs, rhs, Value())
        .getResult();
  int64_t batch = rhsType.getDimSize(0);
  int64_t k = rhsType.getDimSize(1), n = rhsType.getDimSize(2);
  auto weightType = RankedTensorType::get({k, n}, rhsType.getElementType());
  SmallVector<ReassociationIndices> dropBatch = {{0, 1}, {2}};
  if (batch == 1) {
    Value weight = tensor::CollapseShapeOp::create(rewriter, loc, weightType,
                                                   rhs, dropBatch);
    return LinearOp::create(rewriter, loc, resultType, lhs, weight, Value())
        .getResult();
  }
  SmallVector<Value> parts;
  int64_t m = lhsType.getDimSize(1);
  for (int64_t b = 0; b < batch; ++b) {
    auto slice = [&](Value v, RankedTensorType type) {
      SmallVector<OpFoldResult> offsets(3, rewriter.getIndexAttr(0)),
          sizes, strides(3, rewriter.getIndexAttr(1));
      offsets[0] = rewriter.getIndexAttr(b);
      sizes = {rewriter.getIndexAttr(1),
               rewriter.getIndexAttr(type.getDimSize(1)),
               rewriter.getIndexAttr(type.getDimSize(2))};
      return tensor::ExtractSliceOp::create(rewriter, loc, v, offsets, sizes,
                                            strides)
          .getResult();
    };
    Value x = slice(lhs, lhsType);
    Value w = tensor::CollapseShapeOp::create(rewriter, loc, weightType,
                                              slice(rhs, rhsType), dropBatch);
    auto partType = RankedTensorType::get({1, m, n}, resultType.getElementType());
    parts.push_back(
        LinearOp::create(rewriter, loc, partType, x, w, Value()).getResult());
  }
  return tensor::ConcatOp::create(rewriter, loc, /*dim=*/0, parts).getResult();
}

LogicalResult LinalgToCIM::convertProduct(linalg::LinalgOp op, Value lhs,
                                          Value rhs, Value init) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType.getElementType().isF32() ||
      !cast<RankedTensorType>(lhs.getType()).getElementType().isF32())
    return op->emitError("cannot map ")
           << op->getName() << ": only f32 products are mapped";
  if (!resultType.hasStaticShape())
    return op->emitError("cannot map ")
           << op->getName() << ": dynamic shapes are not mapped";
  Location loc = op->getLoc();
  Value product;
  if (isStationary(rhs)) {
    product = stationaryProduct(loc, lhs, rhs, resultType);
  } else {
    // Fold a transpose of the last two dimensions into the digital unit's
    // transposed read (attention's K^T).
    bool transposeB = false;
    if (auto t = rhs.getDefiningOp<linalg::TransposeOp>()) {
      ArrayRef<int64_t> perm = t.getPermutation();
      int64_t r = perm.size();
      bool swapsLastTwo = r >= 2 && perm[r - 1] == r - 2 && perm[r - 2] == r - 1;
      for (int64_t i = 0; i + 2 < r; ++i)
        swapsLastTwo &= perm[i] == i;
      if (swapsLastTwo) {
        rhs = t.getInput();
        transposeB = true;
      }
    }
    product = DMMOp::create(rewriter, loc, resultType, lhs, rhs, transposeB)
                  .getResult();
  }
  if (!isSplatOf(init, 0.0))
    product = BinaryOp::create(rewriter, loc, BinaryFn::Add, product, init)
                  .getResult();
  rewriter.replaceOp(op, product);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions and element-wise bodies
//===----------------------------------------------------------------------===//

static std::optional<ReduceKind> reduceKindFor(Operation *combiner) {
  return llvm::TypeSwitch<Operation *, std::optional<ReduceKind>>(combiner)
      .Case([](arith::AddFOp) { return ReduceKind::Sum; })
      .Case<arith::MaximumFOp, arith::MaxNumFOp>(
          [](Operation *) { return ReduceKind::Max; })
      .Case<arith::MinimumFOp, arith::MinNumFOp>(
          [](Operation *) { return ReduceKind::Min; })
      .Default([](Operation *) { return std::nullopt; });
}

static double identityOf(ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Sum:
    return 0.0;
  case ReduceKind::Max:
    return -std::numeric_limits<double>::infinity();
  case ReduceKind::Min:
    return std::numeric_limits<double>::infinity();
  }
  llvm_unreachable("unknown reduction");
}

static BinaryFn binaryFnOf(ReduceKind kind) {
  switch (kind) {
  case ReduceKind::Sum:
    return BinaryFn::Add;
  case ReduceKind::Max:
    return BinaryFn::Max;
  case ReduceKind::Min:
    return BinaryFn::Min;
  }
  llvm_unreachable("unknown reduction");
}

/// Reduces `dims` (ascending) of `value`, last first so indices stay valid.
Value LinalgToCIM::reduceDims(Location loc, Value value, ReduceKind kind,
                              ArrayRef<int64_t> dims, bool keepDims) {
  for (int64_t dim : llvm::reverse(dims)) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape(type.getShape());
    if (keepDims)
      shape[dim] = 1;
    else
      shape.erase(shape.begin() + dim);
    auto resultType = RankedTensorType::get(shape, type.getElementType());
    value = ReduceOp::create(rewriter, loc, resultType, kind, value, dim,
                             keepDims)
                .getResult();
  }
  return value;
}

Value LinalgToCIM::combineWithInit(Location loc, Value value, Value init,
                                   ReduceKind kind) {
  if (isSplatOf(init, identityOf(kind)))
    return value;
  return BinaryOp::create(rewriter, loc, binaryFnOf(kind), value, init)
      .getResult();
}

LogicalResult LinalgToCIM::convertGeneric(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumResults() != 1)
    return op.emitError("cannot map linalg.generic with ")
           << op.getNumDpsInits() << " outputs (one is mapped)";
  auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
  if (!resultType.getElementType().isF32() || !resultType.hasStaticShape())
    return op.emitError("cannot map linalg.generic: only static f32 results "
                        "are mapped");
  SmallVector<int64_t> reductionDims;
  for (auto [i, it] : llvm::enumerate(op.getIteratorTypesArray()))
    if (it == utils::IteratorType::reduction)
      reductionDims.push_back(i);
  AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  Value yielded = op.getBody()->getTerminator()->getOperand(0);
  Value init = op.getDpsInits()[0];
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  BodyMaterializer body(rewriter, op);

  if (reductionDims.empty()) {
    if (!outputMap.isIdentity())
      return op.emitError("cannot map linalg.generic: the output is written "
                          "through a non-identity indexing map");
    FailureOr<Value> value = body.materialize(yielded);
    if (failed(value))
      return failure();
    if (cast<RankedTensorType>(value->getType()).getShape() !=
        resultType.getShape())
      return op.emitError("cannot map linalg.generic: it only broadcasts an "
                          "operand; express that with linalg.broadcast");
    rewriter.replaceOp(op, *value);
    return success();
  }

  Operation *combiner = yielded.getDefiningOp();
  std::optional<ReduceKind> kind =
      combiner ? reduceKindFor(combiner) : std::nullopt;
  BlockArgument out = op.getBody()->getArguments().back();
  if (!kind || combiner->getBlock() != op.getBody() ||
      !llvm::is_contained(combiner->getOperands(), out))
    return op.emitError("cannot map linalg.generic: a reduction body must end "
                        "in addf/maximumf/minimumf of the output and a value");
  Value contribution = combiner->getOperand(0) == out
                           ? combiner->getOperand(1)
                           : combiner->getOperand(0);
  FailureOr<Value> value = body.materialize(contribution);
  if (failed(value))
    return failure();
  // The output keeps the reduced loops as size-1 dimensions (map results of
  // 0) or drops them.
  bool keepDims = outputMap.getNumResults() == op.getNumLoops();
  Value reduced = reduceDims(loc, *value, *kind, reductionDims, keepDims);
  if (cast<RankedTensorType>(reduced.getType()).getShape() !=
      resultType.getShape())
    return op.emitError("cannot map linalg.generic: its reduction result ")
           << reduced.getType() << " does not match the output " << resultType;
  rewriter.replaceOp(op, combineWithInit(loc, reduced, init, *kind));
  return success();
}

LogicalResult LinalgToCIM::convertReduce(linalg::ReduceOp op) {
  Block &combinerBlock = op.getCombiner().front();
  Operation *combiner = combinerBlock.getTerminator()->getOperand(0).getDefiningOp();
  std::optional<ReduceKind> kind =
      combiner ? reduceKindFor(combiner) : std::nullopt;
  auto type = cast<RankedTensorType>(op.getInputs()[0].getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return op.emitError("cannot map linalg.reduce: only static f32 inputs "
                        "are mapped");
  if (op.getInputs().size() != 1 || !kind ||
      &combinerBlock.front() != combiner)
    return op.emitError("cannot map linalg.reduce: only single-input sum, "
                        "max and min reductions are mapped");
  // GCC cannot see that `kind` is engaged here.
  ReduceKind reduceKind = kind.value_or(ReduceKind::Sum);
  rewriter.setInsertionPoint(op);
  SmallVector<int64_t> dims(op.getDimensions());
  llvm::sort(dims);
  Value reduced =
      reduceDims(op.getLoc(), op.getInputs()[0], reduceKind, dims, false);
  rewriter.replaceOp(op, combineWithInit(op.getLoc(), reduced,
                                         op.getInits()[0], reduceKind));
  return success();
}

LogicalResult LinalgToCIM::convert(Operation *op) {
  rewriter.setInsertionPoint(op);
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
    if (!llvm::equal(matmul.getIndexingMapsArray(),
                     linalg::MatmulOp::getDefaultIndexingMaps(op->getContext())))
      return op->emitError("cannot map linalg.matmul with custom indexing maps");
    return convertProduct(matmul, matmul.getInputs()[0], matmul.getInputs()[1],
                          matmul.getOutputs()[0]);
  }
  if (auto bmm = dyn_cast<linalg::BatchMatmulOp>(op)) {
    if (!llvm::equal(bmm.getIndexingMapsArray(),
                     linalg::BatchMatmulOp::getDefaultIndexingMaps(
                         op->getContext())))
      return op->emitError(
          "cannot map linalg.batch_matmul with custom indexing maps");
    return convertProduct(bmm, bmm.getInputs()[0], bmm.getInputs()[1],
                          bmm.getOutputs()[0]);
  }
  if (auto generic = dyn_cast<linalg::GenericOp>(op))
    return convertGeneric(generic);
  if (auto reduce = dyn_cast<linalg::ReduceOp>(op))
    return convertReduce(reduce);
  if (auto softmax = dyn_cast<linalg::SoftmaxOp>(op)) {
    Value result = SoftmaxOp::create(rewriter, op->getLoc(),
                                     softmax.getInput(), softmax.getDimension())
                       .getResult();
    rewriter.replaceOp(op, result);
    return success();
  }
  return success();
}

LogicalResult LinalgToCIM::run() {
  SmallVector<Operation *> work;
  module.walk([&](Operation *op) {
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::GenericOp,
            linalg::ReduceOp, linalg::SoftmaxOp>(op))
      work.push_back(op);
  });
  bool failedAny = false;
  for (Operation *op : work)
    failedAny |= failed(convert(op));
  if (failedAny)
    return failure();

  // Fills left over after their consumers were rewritten are either dead
  // (matmul and reduction inits) or data: splat constants.
  SmallVector<linalg::FillOp> fills;
  module.walk([&](linalg::FillOp fill) { fills.push_back(fill); });
  for (linalg::FillOp fill : fills) {
    if (fill->use_empty()) {
      rewriter.eraseOp(fill);
      continue;
    }
    auto type = cast<RankedTensorType>(fill.getResult(0).getType());
    Attribute scalar;
    if (!type.hasStaticShape() ||
        !matchPattern(fill.getInputs()[0], m_Constant(&scalar)))
      return fill.emitError("cannot map linalg.fill of a non-constant value");
    rewriter.setInsertionPoint(fill);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        fill, DenseElementsAttr::get(type, scalar));
  }
  // Inits of rewritten ops are now dead.
  SmallVector<tensor::EmptyOp> empties;
  module.walk([&](tensor::EmptyOp e) { empties.push_back(e); });
  for (tensor::EmptyOp e : empties)
    if (e->use_empty())
      rewriter.eraseOp(e);
  return success();
}

namespace {
struct ConvertLinalgToCIMPass
    : public mho::impl::ConvertLinalgToCIMBase<ConvertLinalgToCIMPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(LinalgToCIM(getOperation(), weightArguments).run()))
      signalPassFailure();
  }
};
} // namespace
