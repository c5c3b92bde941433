//===- CIMOps.cpp - Operations of the cim dialect -------------------------===//
//
// Builders, verifiers and folders of the cim operations. Each verifier emits
// one message per broken invariant; test/Dialect/CIM/invalid.mlir has a case
// for every message.
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/CIM/IR/QuantArithmetic.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>
#include <string>

using namespace mlir;
using namespace mho::cim;

//===----------------------------------------------------------------------===//
// Shared verification helpers
//===----------------------------------------------------------------------===//

static bool isDynamic(int64_t dim) { return ShapedType::isDynamic(dim); }

/// Two dimensions agree when either is dynamic or both are equal.
static bool dimsCompatible(int64_t lhs, int64_t rhs) {
  return isDynamic(lhs) || isDynamic(rhs) || lhs == rhs;
}

/// The static one of two compatible dimensions, if any.
static int64_t mergeDims(int64_t lhs, int64_t rhs) {
  return isDynamic(lhs) ? rhs : lhs;
}

static std::string dimToString(int64_t dim) {
  return isDynamic(dim) ? "?" : std::to_string(dim);
}

static std::string shapeToString(ArrayRef<int64_t> shape) {
  std::string result = "[";
  for (auto [i, dim] : llvm::enumerate(shape))
    result += (i ? ", " : "") + dimToString(dim);
  return result + "]";
}

/// Checks that `actual` is a ranked tensor of `elementType` whose shape is
/// compatible with `shape`.
static LogicalResult verifyResultType(Operation *op, Type actual,
                                      ArrayRef<int64_t> shape,
                                      Type elementType,
                                      StringRef name = "result") {
  auto expected = RankedTensorType::get(shape, elementType);
  if (getElementTypeOrSelf(actual) != elementType ||
      failed(verifyCompatibleShape(actual, expected)))
    return op->emitOpError() << name << " type " << actual
                             << " does not match the expected " << expected;
  return success();
}

static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError() << "axis " << axis
                             << " is out of range for a rank-" << rank
                             << " input";
  return success();
}

static LogicalResult verifyEpsilon(Operation *op, const APFloat &epsilon) {
  if (!epsilon.isFinite() || epsilon.isNegative())
    return op->emitOpError()
           << "epsilon must be finite and non-negative, got "
           << epsilon.convertToFloat();
  return success();
}

static LogicalResult verifyNonScalar(Operation *op, RankedTensorType type,
                                     StringRef name = "input") {
  if (type.getRank() < 1)
    return op->emitOpError() << name << " must have at least one dimension";
  return success();
}

/// Verifies `input[..., K]` against a stationary `weight[K, N]` and returns
/// the result shape `[..., N]`.
static LogicalResult verifyStationaryOperands(Operation *op,
                                              RankedTensorType input,
                                              RankedTensorType weight,
                                              SmallVectorImpl<int64_t> &shape) {
  if (weight.getRank() != 2 || !weight.hasStaticShape())
    return op->emitOpError()
           << "weight must be a statically shaped K x N matrix, got "
           << weight;
  if (failed(verifyNonScalar(op, input)))
    return failure();
  int64_t k = input.getShape().back();
  if (!dimsCompatible(k, weight.getDimSize(0)))
    return op->emitOpError()
           << "input's last dimension (K = " << dimToString(k)
           << ") does not match the weight's K = " << weight.getDimSize(0);
  shape.assign(input.getShape().begin(), input.getShape().end());
  shape.back() = weight.getDimSize(1);
  return success();
}

/// Verifies that the integer element types of a stationary product have the
/// widths `slicing` states.
static LogicalResult verifySlicedWidths(Operation *op, Type inputElement,
                                        Type weightElement,
                                        SlicingAttr slicing) {
  if (inputElement.getIntOrFloatBitWidth() != slicing.getInputBits())
    return op->emitOpError() << "input element type " << inputElement
                             << " does not match the slicing's input_bits = "
                             << slicing.getInputBits();
  if (weightElement.getIntOrFloatBitWidth() != slicing.getWeightBits())
    return op->emitOpError() << "weight element type " << weightElement
                             << " does not match the slicing's weight_bits = "
                             << slicing.getWeightBits();
  return success();
}

/// Rejects an exact integer sum of `terms` products of signed `lhsBits` x
/// `rhsBits` values that could leave i32. The worst case is every term being
/// (-2^(lhsBits-1)) * (-2^(rhsBits-1)) = 2^(lhsBits+rhsBits-2).
static LogicalResult verifyI32Accumulation(Operation *op, int64_t terms,
                                           unsigned lhsBits,
                                           unsigned rhsBits) {
  if (isDynamic(terms) || terms == 0)
    return success();
  unsigned productBits = lhsBits + rhsBits - 2;
  int64_t limit = std::numeric_limits<int32_t>::max();
  if (productBits >= 31 || terms > (limit >> productBits))
    return op->emitOpError()
           << "accumulating " << terms << " products of i" << lhsBits
           << " x i" << rhsBits << " can overflow i32";
  return success();
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

void LinearOp::build(OpBuilder &builder, OperationState &state, Value input,
                     Value weight, Value bias) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  SmallVector<int64_t> shape(inputType.getShape());
  shape.back() = weightType.getDimSize(1);
  build(builder, state,
        RankedTensorType::get(shape, inputType.getElementType()), input,
        weight, bias);
}

LogicalResult LinearOp::verify() {
  SmallVector<int64_t> shape;
  RankedTensorType weightType = getWeight().getType();
  if (failed(verifyStationaryOperands(*this, getInput().getType(), weightType,
                                      shape)))
    return failure();
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    int64_t n = weightType.getDimSize(1);
    if (biasType.getRank() != 1 || !dimsCompatible(biasType.getDimSize(0), n))
      return emitOpError() << "bias must have shape N = " << n << ", got "
                           << biasType;
  }
  return verifyResultType(*this, getType(), shape,
                          getInput().getType().getElementType());
}

OpFoldResult LinearOp::fold(FoldAdaptor adaptor) {
  // A zero bias adds nothing (the sign of a zero result is unspecified).
  if (getBias() && adaptor.getBias() &&
      matchPattern(adaptor.getBias(), m_AnyZeroFloat())) {
    getBiasMutable().clear();
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp / DequantizeAccOp
//===----------------------------------------------------------------------===//

void QuantizeOp::build(OpBuilder &builder, OperationState &state, Value input,
                       QuantAttr quant) {
  auto inputType = cast<RankedTensorType>(input.getType());
  build(builder, state, inputType.clone(builder.getIntegerType(quant.getBits())),
        input, quant);
}

LogicalResult QuantizeOp::verify() {
  Type element = getType().getElementType();
  if (element.getIntOrFloatBitWidth() != getQuant().getBits())
    return emitOpError() << "result element type " << element
                         << " does not match the quantization's "
                         << getQuant().getBits() << " bits";
  return success();
}

/// Whether dequantizing any `bits`-wide value and quantizing it again gives
/// it back. With n = q - zero_point (|n| <= 2^16) and s the scale, quantize
/// computes f32(f32(n * s) * f32(1 / s)) = n (1 + d1)(1 + d2)(1 + d3) with
/// |di| <= 2^-24 as long as n * s and 1 / s stay normal f32 values: the
/// error is below 2^16 * 3.001 * 2^-24 < 0.5, so rounding returns n.
static bool isRoundTripExact(QuantAttr quant) {
  double scale = quant.getScaleValue();
  return scale >= std::numeric_limits<float>::min() &&
         scale * std::ldexp(1.0, quant.getBits()) <
             std::numeric_limits<float>::max() / 2;
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  QuantAttr quant = getQuant();
  if (auto dequantize = getInput().getDefiningOp<DequantizeOp>())
    if (dequantize.getQuant() == quant &&
        dequantize.getInput().getType() == getType() &&
        isRoundTripExact(quant))
      return dequantize.getInput();

  auto input = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  RankedTensorType type = getType();
  if (!input || !type.hasStaticShape())
    return {};
  unsigned bits = quant.getBits();
  auto quantize = [&](const APFloat &x) {
    return APInt(bits, quant.quantize(x.convertToFloat()), /*isSigned=*/true);
  };
  if (input.isSplat())
    return DenseElementsAttr::get(type, quantize(input.getSplatValue<APFloat>()));
  SmallVector<APInt> values;
  values.reserve(input.getNumElements());
  for (const APFloat &x : input.getValues<APFloat>())
    values.push_back(quantize(x));
  return DenseElementsAttr::get(type, values);
}

void DequantizeOp::build(OpBuilder &builder, OperationState &state,
                         Value input, QuantAttr quant) {
  auto inputType = cast<RankedTensorType>(input.getType());
  build(builder, state, inputType.clone(builder.getF32Type()), input, quant);
}

LogicalResult DequantizeOp::verify() {
  Type element = getInput().getType().getElementType();
  if (element.getIntOrFloatBitWidth() != getQuant().getBits())
    return emitOpError() << "input element type " << element
                         << " does not match the quantization's "
                         << getQuant().getBits() << " bits";
  return success();
}

OpFoldResult DequantizeOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  RankedTensorType type = getType();
  if (!input || !type.hasStaticShape())
    return {};
  QuantAttr quant = getQuant();
  auto dequantize = [&](const APInt &q) {
    return APFloat(quant.dequantize(q.getSExtValue()));
  };
  if (input.isSplat())
    return DenseElementsAttr::get(type,
                                  dequantize(input.getSplatValue<APInt>()));
  SmallVector<APFloat> values;
  values.reserve(input.getNumElements());
  for (const APInt &q : input.getValues<APInt>())
    values.push_back(dequantize(q));
  return DenseElementsAttr::get(type, values);
}

void QuantizeDynamicOp::build(OpBuilder &builder, OperationState &state,
                              Value input, unsigned bits) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> scaleShape(inputType.getShape());
  if (!scaleShape.empty())
    scaleShape.back() = 1;
  build(builder, state, inputType.clone(builder.getIntegerType(bits)),
        RankedTensorType::get(scaleShape, builder.getF32Type()), input,
        builder.getI64IntegerAttr(bits));
}

LogicalResult QuantizeDynamicOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyNonScalar(*this, inputType)))
    return failure();
  int64_t bits = getBits();
  if (bits < 2 || bits > 16)
    return emitOpError() << "bits must be in [2, 16], got " << bits;
  if (failed(verifyResultType(*this, getResult().getType(),
                              inputType.getShape(),
                              IntegerType::get(getContext(), bits))))
    return failure();
  SmallVector<int64_t> scaleShape(inputType.getShape());
  scaleShape.back() = 1;
  return verifyResultType(*this, getScales().getType(), scaleShape,
                          Float32Type::get(getContext()), "scales");
}

LogicalResult
QuantizeDynamicOp::fold(FoldAdaptor adaptor,
                        SmallVectorImpl<OpFoldResult> &results) {
  auto input = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  RankedTensorType type = getResult().getType();
  if (!input || !type.hasStaticShape())
    return failure();
  int64_t k = type.getShape().back();
  int64_t rows = k == 0 ? 0 : type.getNumElements() / k;
  unsigned bits = getBits();
  SmallVector<float> values;
  values.reserve(type.getNumElements());
  for (const APFloat &x : input.getValues<APFloat>())
    values.push_back(x.convertToFloat());
  SmallVector<int64_t> quantized(values.size());
  SmallVector<APInt> q;
  SmallVector<APFloat> scales;
  q.reserve(values.size());
  for (int64_t row = 0; row < rows; ++row) {
    ArrayRef<float> x = ArrayRef<float>(values).slice(row * k, k);
    MutableArrayRef<int64_t> out =
        MutableArrayRef<int64_t>(quantized).slice(row * k, k);
    scales.push_back(APFloat(quant::quantizeRow(x, bits, out)));
  }
  if (rows == 0)
    scales.assign(getScales().getType().getNumElements(), APFloat(1.0f));
  for (int64_t value : quantized)
    q.push_back(APInt(bits, value, /*isSigned=*/true));
  results.push_back(DenseElementsAttr::get(type, q));
  results.push_back(DenseElementsAttr::get(getScales().getType(), scales));
  return success();
}

LogicalResult DequantizeAccOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyNonScalar(*this, inputType)))
    return failure();
  int64_t n = inputType.getShape().back();
  auto verifyChannels = [&](RankedTensorType type,
                            StringRef name) -> LogicalResult {
    if (type.getRank() != 1 || !dimsCompatible(type.getDimSize(0), n))
      return emitOpError() << name << " must have shape N = " << dimToString(n)
                           << ", got " << type;
    return success();
  };
  if (failed(verifyChannels(getScales().getType(), "scales")))
    return failure();
  if (getOffsets() && failed(verifyChannels(getOffsets().getType(), "offsets")))
    return failure();
  std::optional<APFloat> inputScale = getInputScale();
  Value inputScales = getInputScales();
  if (inputScale && inputScales)
    return emitOpError() << "takes either the 'input_scale' attribute or the "
                            "'input_scales' operand, not both";
  if (!inputScale && !inputScales)
    return emitOpError() << "needs an activation scale: the 'input_scale' "
                            "attribute or the 'input_scales' operand";
  if (inputScale &&
      (!inputScale->isFiniteNonZero() || inputScale->isNegative()))
    return emitOpError()
           << "input_scale must be finite and greater than zero, got "
           << inputScale->convertToFloat();
  if (inputScales) {
    auto scalesType = cast<RankedTensorType>(inputScales.getType());
    SmallVector<int64_t> rowShape(inputType.getShape());
    rowShape.back() = 1;
    if (failed(verifyCompatibleShape(scalesType.getShape(), rowShape)))
      return emitOpError() << "input_scales must have shape "
                           << shapeToString(rowShape)
                           << " (one scale per row of the input), got "
                           << scalesType;
  }
  return verifyResultType(*this, getType(), inputType.getShape(),
                          Float32Type::get(getContext()));
}

OpFoldResult DequantizeAccOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  auto scales = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getScales());
  DenseIntElementsAttr offsets;
  if (getOffsets()) {
    offsets = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getOffsets());
    if (!offsets)
      return {};
  }
  DenseFPElementsAttr rowScales;
  if (getInputScales()) {
    rowScales =
        dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInputScales());
    if (!rowScales)
      return {};
  }
  RankedTensorType type = getType();
  if (!input || !scales || !type.hasStaticShape() || type.getNumElements() == 0)
    return {};

  int64_t channels = type.getShape().back();
  SmallVector<float> channelScales;
  for (const APFloat &scale : scales.getValues<APFloat>())
    channelScales.push_back(scale.convertToFloat());
  // Per-tensor form: combine the scales first (one product per channel).
  if (std::optional<APFloat> inputScale = getInputScale())
    for (float &scale : channelScales)
      scale *= inputScale->convertToFloat();
  SmallVector<float> perRow;
  if (rowScales)
    for (const APFloat &scale : rowScales.getValues<APFloat>())
      perRow.push_back(scale.convertToFloat());
  SmallVector<int64_t> shifts(channels, 0);
  if (offsets)
    for (auto [i, offset] : llvm::enumerate(offsets.getValues<APInt>()))
      shifts[i] = offset.getSExtValue();

  SmallVector<APFloat> values;
  values.reserve(type.getNumElements());
  for (auto [i, acc] : llvm::enumerate(input.getValues<APInt>())) {
    int64_t channel = static_cast<int64_t>(i) % channels;
    float sum = static_cast<float>(acc.getSExtValue() + shifts[channel]);
    float value = sum * channelScales[channel];
    if (rowScales)
      value = value * perRow[static_cast<int64_t>(i) / channels];
    values.push_back(APFloat(value));
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// MVMOp / MVMTileOp
//===----------------------------------------------------------------------===//

void MVMOp::build(OpBuilder &builder, OperationState &state, Value input,
                  Value weight, SlicingAttr slicing) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  SmallVector<int64_t> shape(inputType.getShape());
  shape.back() = weightType.getDimSize(1);
  build(builder, state, RankedTensorType::get(shape, builder.getI32Type()),
        input, weight, slicing);
}

LogicalResult MVMOp::verify() {
  SmallVector<int64_t> shape;
  RankedTensorType inputType = getInput().getType();
  RankedTensorType weightType = getWeight().getType();
  SlicingAttr slicing = getSlicing();
  if (failed(verifyStationaryOperands(*this, inputType, weightType, shape)) ||
      failed(verifySlicedWidths(*this, inputType.getElementType(),
                                weightType.getElementType(), slicing)) ||
      failed(verifyI32Accumulation(*this, weightType.getDimSize(0),
                                   slicing.getInputBits(),
                                   slicing.getWeightBits())))
    return failure();
  return verifyResultType(*this, getType(), shape,
                          IntegerType::get(getContext(), 32));
}

MVMTileOp MVMTileOp::getChainPredecessor() {
  auto previous = getAcc().getDefiningOp<MVMTileOp>();
  return previous && previous.getResult().hasOneUse() ? previous : MVMTileOp();
}

MVMTileOp MVMTileOp::getChainSuccessor() {
  if (!getResult().hasOneUse())
    return {};
  auto next = dyn_cast<MVMTileOp>(*getResult().getUsers().begin());
  return next && next.getAcc() == getResult() ? next : MVMTileOp();
}

LogicalResult MVMTileOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType weightType = getWeight().getType();
  SlicingAttr slicing = getSlicing();
  if (weightType.getRank() != 2 || !weightType.hasStaticShape())
    return emitOpError()
           << "weight must be a statically shaped K x N matrix, got "
           << weightType;
  if (failed(verifyNonScalar(*this, inputType)))
    return failure();

  int64_t rows = getRows(), cols = getCols();
  if (rows < 1 || cols < 1)
    return emitOpError() << "MVM unit size rows x cols = " << rows << " x "
                         << cols << " must be positive";
  int64_t blockRows = weightType.getDimSize(0);
  int64_t blockCols = weightType.getDimSize(1);
  if (blockRows > rows || blockCols > cols)
    return emitOpError() << "weight block " << blockRows << " x " << blockCols
                         << " does not fit the " << rows << " x " << cols
                         << " MVM unit";

  int64_t offset = getRowOffset();
  if (offset < 0)
    return emitOpError() << "row_offset must be non-negative, got " << offset;
  int64_t k = inputType.getShape().back();
  if (!isDynamic(k) && offset + blockRows > k)
    return emitOpError() << "input rows [" << offset << ", "
                         << offset + blockRows
                         << ") exceed the input's last dimension " << k;

  if (failed(verifySlicedWidths(*this, inputType.getElementType(),
                                weightType.getElementType(), slicing)) ||
      failed(verifyI32Accumulation(*this, blockRows, slicing.getInputBits(),
                                   slicing.getWeightBits())))
    return failure();
  SmallVector<int64_t> shape(inputType.getShape());
  shape.back() = blockCols;
  return verifyResultType(*this, getType(), shape,
                          IntegerType::get(getContext(), 32));
}

//===----------------------------------------------------------------------===//
// DMMOp
//===----------------------------------------------------------------------===//

LogicalResult DMMOp::verify() {
  RankedTensorType aType = getA().getType();
  RankedTensorType bType = getB().getType();
  if (aType.getRank() < 2 || bType.getRank() < 2)
    return emitOpError() << "operands must have rank >= 2, got " << aType
                         << " and " << bType;
  if (aType.getRank() != bType.getRank())
    return emitOpError() << "operands must have the same rank (batch "
                            "dimensions are not broadcast), got "
                         << aType << " and " << bType;

  Type aElement = aType.getElementType(), bElement = bType.getElementType();
  bool isFloat = llvm::isa<FloatType>(aElement);
  if (isFloat != llvm::isa<FloatType>(bElement))
    return emitOpError() << "operands must both be f32 or both be integers, "
                            "got "
                         << aElement << " and " << bElement;

  int64_t rank = aType.getRank();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank - 2; ++i) {
    int64_t aDim = aType.getDimSize(i), bDim = bType.getDimSize(i);
    if (!dimsCompatible(aDim, bDim))
      return emitOpError() << "batch dimension " << i << " differs: "
                           << aDim << " vs " << bDim;
    shape.push_back(mergeDims(aDim, bDim));
  }
  int64_t m = aType.getDimSize(rank - 2), k = aType.getDimSize(rank - 1);
  bool transposed = getTransposeB();
  int64_t bK = bType.getDimSize(transposed ? rank - 1 : rank - 2);
  int64_t n = bType.getDimSize(transposed ? rank - 2 : rank - 1);
  if (!dimsCompatible(k, bK))
    return emitOpError() << "contraction dimensions differ: a has K = "
                         << dimToString(k) << ", b"
                         << (transposed ? " (transposed)" : "")
                         << " has K = " << dimToString(bK);
  shape.push_back(m);
  shape.push_back(n);

  if (isFloat)
    return verifyResultType(*this, getType(), shape, aElement);
  if (failed(verifyI32Accumulation(*this, mergeDims(k, bK),
                                   aElement.getIntOrFloatBitWidth(),
                                   bElement.getIntOrFloatBitWidth())))
    return failure();
  return verifyResultType(*this, getType(), shape,
                          IntegerType::get(getContext(), 32));
}

//===----------------------------------------------------------------------===//
// UnaryOp
//===----------------------------------------------------------------------===//

/// The mathematical function, evaluated in double.
static double evaluateUnary(UnaryFn fn, double x) {
  switch (fn) {
  case UnaryFn::Exp:
    return std::exp(x);
  case UnaryFn::Rsqrt:
    return 1.0 / std::sqrt(x);
  case UnaryFn::Sqrt:
    return std::sqrt(x);
  case UnaryFn::Recip:
    return 1.0 / x;
  case UnaryFn::Erf:
    return std::erf(x);
  case UnaryFn::Tanh:
    return std::tanh(x);
  case UnaryFn::Sigmoid:
    return 1.0 / (1.0 + std::exp(-x));
  case UnaryFn::Gelu:
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  case UnaryFn::GeluTanh: {
    const double c = std::sqrt(2.0 / llvm::numbers::pi);
    return 0.5 * x * (1.0 + std::tanh(c * (x + 0.044715 * x * x * x)));
  }
  case UnaryFn::Silu:
    return x / (1.0 + std::exp(-x));
  case UnaryFn::Relu:
    return std::isnan(x) || x > 0.0 ? x : 0.0;
  case UnaryFn::Neg:
    return -x;
  case UnaryFn::Abs:
    return std::fabs(x);
  }
  llvm_unreachable("unknown unary function");
}

OpFoldResult UnaryOp::fold(FoldAdaptor adaptor) {
  UnaryFn fn = getFn();
  if (auto inner = getInput().getDefiningOp<UnaryOp>()) {
    UnaryFn innerFn = inner.getFn();
    if (fn == UnaryFn::Neg && innerFn == UnaryFn::Neg)
      return inner.getInput();
    if ((fn == UnaryFn::Abs || fn == UnaryFn::Relu) && innerFn == fn)
      return getInput();
    if (fn == UnaryFn::Abs && innerFn == UnaryFn::Neg) {
      getInputMutable().assign(inner.getInput());
      return getResult();
    }
  }
  auto input = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  double x = input.getSplatValue<APFloat>().convertToDouble();
  APFloat result(static_cast<float>(evaluateUnary(fn, x)));
  return DenseElementsAttr::get(getType(), result);
}

//===----------------------------------------------------------------------===//
// BinaryOp
//===----------------------------------------------------------------------===//

void BinaryOp::build(OpBuilder &builder, OperationState &state, BinaryFn fn,
                     Value lhs, Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    shape.assign(lhsType.getShape().begin(), lhsType.getShape().end());
  build(builder, state, lhsType.clone(shape), fn, lhs, rhs);
}

LogicalResult BinaryOp::verify() {
  RankedTensorType lhsType = getLhs().getType();
  RankedTensorType rhsType = getRhs().getType();
  Type element = lhsType.getElementType();
  if (rhsType.getElementType() != element ||
      getType().getElementType() != element)
    return emitOpError() << "operand and result element types must match, got "
                         << element << ", " << rhsType.getElementType()
                         << " and " << getType().getElementType();
  if (getFn() == BinaryFn::Div && !llvm::isa<FloatType>(element))
    return emitOpError() << "'div' is defined on f32 operands only";
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    return emitOpError() << "operand shapes " << lhsType << " and " << rhsType
                         << " are not broadcast-compatible";
  return verifyResultType(*this, getType(), shape, element);
}

static APFloat foldFloat(BinaryFn fn, APFloat lhs, const APFloat &rhs) {
  constexpr auto rounding = llvm::RoundingMode::NearestTiesToEven;
  switch (fn) {
  case BinaryFn::Add:
    lhs.add(rhs, rounding);
    return lhs;
  case BinaryFn::Sub:
    lhs.subtract(rhs, rounding);
    return lhs;
  case BinaryFn::Mul:
    lhs.multiply(rhs, rounding);
    return lhs;
  case BinaryFn::Div:
    lhs.divide(rhs, rounding);
    return lhs;
  case BinaryFn::Max:
    return llvm::maximum(lhs, rhs);
  case BinaryFn::Min:
    return llvm::minimum(lhs, rhs);
  }
  llvm_unreachable("unknown binary function");
}

static APInt foldInteger(BinaryFn fn, const APInt &lhs, const APInt &rhs) {
  switch (fn) {
  case BinaryFn::Add:
    return lhs + rhs;
  case BinaryFn::Sub:
    return lhs - rhs;
  case BinaryFn::Mul:
    return lhs * rhs;
  case BinaryFn::Max:
    return llvm::APIntOps::smax(lhs, rhs);
  case BinaryFn::Min:
    return llvm::APIntOps::smin(lhs, rhs);
  case BinaryFn::Div:
    break;
  }
  llvm_unreachable("integer division is rejected by the verifier");
}

OpFoldResult BinaryOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getType();
  bool isFloat = llvm::isa<FloatType>(type.getElementType());
  BinaryFn fn = getFn();

  auto lhsSplat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getLhs());
  auto rhsSplat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getRhs());
  if (lhsSplat && rhsSplat && type.hasStaticShape()) {
    if (isFloat)
      return DenseElementsAttr::get(
          type, foldFloat(fn, lhsSplat.getSplatValue<APFloat>(),
                          rhsSplat.getSplatValue<APFloat>()));
    return DenseElementsAttr::get(
        type, foldInteger(fn, lhsSplat.getSplatValue<APInt>(),
                          rhsSplat.getSplatValue<APInt>()));
  }

  // Exact identities; the surviving operand must already have the result
  // type (no broadcast left to do).
  Value lhs = getLhs(), rhs = getRhs();
  Attribute lhsAttr = adaptor.getLhs(), rhsAttr = adaptor.getRhs();
  bool lhsSurvives = lhs.getType() == type, rhsSurvives = rhs.getType() == type;
  auto matches = [](Attribute attr, auto pattern) {
    return attr && matchPattern(attr, pattern);
  };
  switch (fn) {
  case BinaryFn::Add:
    // x + (-0.0) is x for every x, including -0.0; x + 0.0 is not.
    if (isFloat) {
      if (lhsSurvives && matches(rhsAttr, m_NegZeroFloat()))
        return lhs;
      if (rhsSurvives && matches(lhsAttr, m_NegZeroFloat()))
        return rhs;
    } else {
      if (lhsSurvives && matches(rhsAttr, m_Zero()))
        return lhs;
      if (rhsSurvives && matches(lhsAttr, m_Zero()))
        return rhs;
    }
    break;
  case BinaryFn::Sub:
    if (lhsSurvives && (isFloat ? matches(rhsAttr, m_PosZeroFloat())
                                : matches(rhsAttr, m_Zero())))
      return lhs;
    break;
  case BinaryFn::Mul:
    if (isFloat) {
      if (lhsSurvives && matches(rhsAttr, m_OneFloat()))
        return lhs;
      if (rhsSurvives && matches(lhsAttr, m_OneFloat()))
        return rhs;
    } else {
      if (lhsSurvives && matches(rhsAttr, m_One()))
        return lhs;
      if (rhsSurvives && matches(lhsAttr, m_One()))
        return rhs;
    }
    break;
  case BinaryFn::Div:
    if (lhsSurvives && matches(rhsAttr, m_OneFloat()))
      return lhs;
    break;
  case BinaryFn::Max:
  case BinaryFn::Min:
    if (lhs == rhs && lhsSurvives)
      return lhs;
    break;
  }
  return {};
}

//===----------------------------------------------------------------------===//
// ReduceOp / SoftmaxOp / LayerNormOp / RMSNormOp / RoPEOp
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::verify() {
  RankedTensorType inputType = getInput().getType();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, inputType.getRank())))
    return failure();
  SmallVector<int64_t> shape(inputType.getShape());
  if (getKeepDims())
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  return verifyResultType(*this, getType(), shape,
                          inputType.getElementType());
}

OpFoldResult ReduceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType inputType = getInput().getType();
  int64_t axisSize = inputType.getDimSize(getAxis());
  // Reducing one element gives that element.
  if (getKeepDims() && axisSize == 1 && inputType == getType())
    return getInput();
  // The max or min of copies of one value is that value.
  auto input = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput());
  if (input && getKind() != ReduceKind::Sum && axisSize > 0 &&
      getType().hasStaticShape())
    return DenseElementsAttr::get(getType(),
                                  input.getSplatValue<Attribute>());
  return {};
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), getType().getRank());
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType inputType = getInput().getType();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, inputType.getRank())))
    return failure();
  ArrayRef<int64_t> normalized = inputType.getShape().drop_front(axis);
  RankedTensorType gammaType = getGamma().getType();
  if (failed(verifyCompatibleShape(gammaType.getShape(), normalized)))
    return emitOpError() << "gamma and beta must have the normalized shape "
                         << shapeToString(normalized) << ", got "
                         << gammaType;
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult RMSNormOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyNonScalar(*this, inputType)))
    return failure();
  int64_t d = inputType.getShape().back();
  RankedTensorType gammaType = getGamma().getType();
  if (gammaType.getRank() != 1 || !dimsCompatible(gammaType.getDimSize(0), d))
    return emitOpError() << "gamma must have shape D = " << dimToString(d)
                         << ", got " << gammaType;
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult RoPEOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyNonScalar(*this, inputType)))
    return failure();
  int64_t d = inputType.getShape().back();
  if (!isDynamic(d) && d % 2 != 0)
    return emitOpError() << "rotate-half needs an even last dimension, got "
                         << d;
  RankedTensorType tableType = getCos().getType();
  if (tableType.getRank() < 1 ||
      !dimsCompatible(tableType.getShape().back(), d))
    return emitOpError() << "cos and sin must have the input's last dimension "
                         << dimToString(d) << ", got " << tableType;
  ArrayRef<int64_t> inputShape = inputType.getShape();
  ArrayRef<int64_t> tableShape = tableType.getShape();
  bool broadcasts = tableShape.size() <= inputShape.size();
  for (size_t i = 1; broadcasts && i <= tableShape.size(); ++i) {
    int64_t table = tableShape[tableShape.size() - i];
    broadcasts = table == 1 ||
                 dimsCompatible(table, inputShape[inputShape.size() - i]);
  }
  if (!broadcasts)
    return emitOpError() << "cos and sin of type " << tableType
                         << " do not broadcast to the input shape "
                         << shapeToString(inputShape);
  return success();
}

//===----------------------------------------------------------------------===//
// TopKOp / MoELinearOp / MoECombineOp
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyNonScalar(*this, inputType)))
    return failure();
  int64_t k = getK();
  if (k < 1)
    return emitOpError() << "k must be at least 1, got " << k;
  int64_t n = inputType.getShape().back();
  if (!isDynamic(n) && k > n)
    return emitOpError() << "k = " << k << " exceeds the last dimension " << n;
  SmallVector<int64_t> shape(inputType.getShape());
  shape.back() = k;
  if (failed(verifyResultType(*this, getValues().getType(), shape,
                              inputType.getElementType(), "values")))
    return failure();
  return verifyResultType(*this, getIndices().getType(), shape,
                          IntegerType::get(getContext(), 32), "indices");
}

/// Experts' weights are a statically shaped E x K x N tensor.
static LogicalResult verifyExpertWeights(Operation *op,
                                         RankedTensorType weightType) {
  if (weightType.getRank() != 3 || !weightType.hasStaticShape())
    return op->emitOpError()
           << "weight must be a statically shaped E x K x N tensor, got "
           << weightType;
  return success();
}

LogicalResult MoELinearOp::verify() {
  RankedTensorType weightType = getWeight().getType();
  if (failed(verifyExpertWeights(*this, weightType)))
    return failure();
  int64_t experts = weightType.getDimSize(0);
  int64_t k = weightType.getDimSize(1), n = weightType.getDimSize(2);

  RankedTensorType indicesType = getIndices().getType();
  if (indicesType.getRank() != 2)
    return emitOpError() << "indices must be a T x k matrix, got "
                         << indicesType;
  int64_t tokens = indicesType.getDimSize(0);
  int64_t slots = indicesType.getDimSize(1);
  if (!isDynamic(slots) && slots > experts)
    return emitOpError() << "routes k = " << slots
                         << " experts per token but only E = " << experts
                         << " exist";

  RankedTensorType inputType = getInput().getType();
  int64_t rank = inputType.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError() << "input must be T x K or T x k x K, got "
                         << inputType;
  if (!dimsCompatible(inputType.getDimSize(0), tokens))
    return emitOpError() << "input has T = "
                         << dimToString(inputType.getDimSize(0))
                         << " tokens but indices have T = "
                         << dimToString(tokens);
  if (rank == 3 && !dimsCompatible(inputType.getDimSize(1), slots))
    return emitOpError() << "input has " << dimToString(inputType.getDimSize(1))
                         << " slots per token but indices route k = "
                         << dimToString(slots);
  if (!dimsCompatible(inputType.getShape().back(), k))
    return emitOpError() << "input's last dimension (K = "
                         << dimToString(inputType.getShape().back())
                         << ") does not match the weight's K = " << k;

  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (failed(verifyCompatibleShape(biasType.getShape(), {experts, n})))
      return emitOpError() << "bias must have shape E x N = " << experts
                           << " x " << n << ", got " << biasType;
  }
  int64_t resultSlots =
      rank == 3 ? mergeDims(slots, inputType.getDimSize(1)) : slots;
  SmallVector<int64_t> shape = {mergeDims(tokens, inputType.getDimSize(0)),
                                resultSlots, n};
  return verifyResultType(*this, getType(), shape,
                          inputType.getElementType());
}

LogicalResult MoEDispatchOp::verify() {
  RankedTensorType indicesType = getIndices().getType();
  if (indicesType.getRank() != 2 || !indicesType.hasStaticShape())
    return emitOpError() << "indices must be a statically shaped T x k "
                            "matrix, got "
                         << indicesType;
  int64_t experts = getExperts();
  if (experts < 1)
    return emitOpError() << "experts must be at least 1, got " << experts;
  int64_t slots = indicesType.getNumElements();
  if (failed(verifyResultType(*this, getLists().getType(), {experts, slots},
                              indicesType.getElementType(), "lists")))
    return failure();
  return verifyResultType(*this, getCounts().getType(), {experts},
                          indicesType.getElementType(), "counts");
}

int64_t MoEMVMOp::getRowBlocks() {
  return llvm::divideCeil(getWeight().getType().getDimSize(1),
                          static_cast<int64_t>(getRows()));
}

int64_t MoEMVMOp::getColBlocks() {
  return llvm::divideCeil(getWeight().getType().getDimSize(2),
                          static_cast<int64_t>(getCols()));
}

int64_t MoEMVMOp::getNumBlocks() {
  return getWeight().getType().getDimSize(0) * getRowBlocks() * getColBlocks();
}

int64_t MoEMVMOp::getBlockIndex(int64_t expert, int64_t colBlock,
                                int64_t rowBlock) {
  return (expert * getColBlocks() + colBlock) * getRowBlocks() + rowBlock;
}

LogicalResult MoEMVMOp::verify() {
  RankedTensorType weightType = getWeight().getType();
  if (failed(verifyExpertWeights(*this, weightType)))
    return failure();
  int64_t experts = weightType.getDimSize(0);
  int64_t k = weightType.getDimSize(1), n = weightType.getDimSize(2);
  // The attributes are signless: read them signed so that -1 is rejected.
  int64_t rows = getRows(), cols = getCols();
  if (rows < 1 || cols < 1)
    return emitOpError() << "MVM unit size rows x cols = " << rows << " x "
                         << cols << " must be positive";

  RankedTensorType resultType = getType();
  if (resultType.getRank() != 3 || !resultType.hasStaticShape())
    return emitOpError() << "result must be a statically shaped T x k x N "
                            "tensor, got "
                         << resultType;
  int64_t tokens = resultType.getDimSize(0);
  int64_t slots = resultType.getDimSize(1);

  RankedTensorType inputType = getInput().getType();
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> rowShape = {tokens};
  if (rank == 3)
    rowShape.push_back(slots);
  SmallVector<int64_t> inputShape(rowShape);
  inputShape.push_back(k);
  if ((rank != 2 && rank != 3) ||
      failed(verifyCompatibleShape(inputType.getShape(), inputShape)))
    return emitOpError() << "input must be T x K or T x k x K with T = "
                         << tokens << ", k = " << slots << ", K = " << k
                         << ", got " << inputType;
  SmallVector<int64_t> scaleShape(rowShape);
  scaleShape.push_back(1);
  if (failed(verifyResultType(*this, getInputScales().getType(), scaleShape,
                              Float32Type::get(getContext()), "input_scales")))
    return failure();
  if (failed(verifyResultType(*this, getWeightScales().getType(), {experts, n},
                              Float32Type::get(getContext()), "weight_scales")))
    return failure();
  auto i32 = IntegerType::get(getContext(), 32);
  if (failed(verifyResultType(*this, getLists().getType(),
                              {experts, tokens * slots}, i32, "lists")) ||
      failed(verifyResultType(*this, getCounts().getType(), {experts}, i32,
                              "counts")))
    return failure();
  if (failed(verifyResultType(*this, resultType, {tokens, slots, n},
                              Float32Type::get(getContext()))))
    return failure();

  SlicingAttr slicing = getSlicing();
  if (failed(verifySlicedWidths(*this, inputType.getElementType(),
                                weightType.getElementType(), slicing)) ||
      failed(verifyI32Accumulation(*this, k, slicing.getInputBits(),
                                   slicing.getWeightBits())))
    return failure();
  if (std::optional<ArrayAttr> places = getPlaces()) {
    if (static_cast<int64_t>(places->size()) != getNumBlocks())
      return emitOpError() << "has " << places->size() << " places but "
                           << getNumBlocks() << " blocks (" << experts
                           << " experts x " << getColBlocks()
                           << " column blocks x " << getRowBlocks()
                           << " row blocks)";
  }
  return success();
}

LogicalResult MoECombineOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() != 3)
    return emitOpError() << "input must be a T x k x N tensor, got "
                         << inputType;
  int64_t tokens = inputType.getDimSize(0), slots = inputType.getDimSize(1);
  RankedTensorType weightsType = getWeights().getType();
  if (failed(verifyCompatibleShape(weightsType.getShape(), {tokens, slots})))
    return emitOpError() << "weights must have shape T x k = "
                         << dimToString(tokens) << " x " << dimToString(slots)
                         << ", got " << weightsType;
  SmallVector<int64_t> shape = {mergeDims(tokens, weightsType.getDimSize(0)),
                                inputType.getDimSize(2)};
  return verifyResultType(*this, getType(), shape,
                          inputType.getElementType());
}

#define GET_OP_CLASSES
#include "mho/Dialect/CIM/IR/CIMOps.cpp.inc"
