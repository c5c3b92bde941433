//===- VectorOps.cpp - Vector-unit ops of convert-cim-to-xbar -------------===//
//
// Element-wise ops, reductions, softmax, normalisations, RoPE, quantization
// and top-k: row kernels on the vector unit, rows spread over the cores
// (docs/Compiler.md, "Scheduling and emission").
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "LoweringUtils.h"

using namespace mlir;
using namespace mho;
using namespace mho::cimtoxbar;
using isa::DataType;
using isa::Instruction;
using isa::MemorySpace;
using isa::Src2Mode;
using isa::VecFn;

//===----------------------------------------------------------------------===//
// Vector-unit operations
//===----------------------------------------------------------------------===//

/// A one-input, one-output kernel over the natural rows x cols reading,
/// computing in place in the input's block.
RowKernel Lowering::elementwise(Operation *op, const Storage &in,
                                const Storage &out) {
  RowKernel kernel;
  kernel.op = op;
  kernel.rows = in.view.getRows();
  kernel.cols = in.view.getCols();
  kernel.inputs.push_back({in.view, in.buffer, InputKind::Elem});
  kernel.outputs.push_back({out.view, out.buffer, false, 0});
  return kernel;
}

LogicalResult Lowering::lowerUnary(cim::UnaryOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  RowKernel kernel = elementwise(op, *in, *out);
  kernel.columnwise = true;
  cim::UnaryFn fn = op.getFn();
  std::optional<VecFn> direct;
  switch (fn) {
  case cim::UnaryFn::Exp:
    direct = VecFn::Exp;
    break;
  case cim::UnaryFn::Rsqrt:
    direct = VecFn::Rsqrt;
    break;
  case cim::UnaryFn::Sqrt:
    direct = VecFn::Sqrt;
    break;
  case cim::UnaryFn::Recip:
    direct = VecFn::Recip;
    break;
  case cim::UnaryFn::Erf:
    direct = VecFn::Erf;
    break;
  case cim::UnaryFn::Tanh:
    direct = VecFn::Tanh;
    break;
  case cim::UnaryFn::Sigmoid:
    direct = VecFn::Sigmoid;
    break;
  case cim::UnaryFn::Gelu:
    direct = VecFn::Gelu;
    break;
  case cim::UnaryFn::Silu:
    direct = VecFn::Silu;
    break;
  case cim::UnaryFn::Neg:
    direct = VecFn::Neg;
    break;
  case cim::UnaryFn::Abs:
    direct = VecFn::Abs;
    break;
  case cim::UnaryFn::Relu:
  case cim::UnaryFn::GeluTanh:
    break;
  }
  if (direct) {
    kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
      code.push_back(Instruction::vecUnary(*direct, DataType::F32, b.in[0],
                                           b.in[0], n, c));
    };
  } else if (fn == cim::UnaryFn::Relu) {
    // max(x, 0): x > 0 ? x : +0.
    kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
      code.push_back(
          Instruction::vecBinaryImm(VecFn::Max, b.in[0], b.in[0], 0.0f, n, c));
    };
  } else {
    // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
    kernel.temps.push_back({0, 4});
    kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
      uint32_t x = b.in[0], t = b.temp[0];
      auto elem = [&](VecFn f, uint32_t dst, uint32_t a, uint32_t y) {
        code.push_back(Instruction::vecBinary(f, DataType::F32, Src2Mode::Elem,
                                              dst, a, y, n, c));
      };
      auto imm = [&](VecFn f, uint32_t dst, float value) {
        code.push_back(Instruction::vecBinaryImm(f, dst, dst, value, n, c));
      };
      elem(VecFn::Mul, t, x, x);
      elem(VecFn::Mul, t, t, x);
      imm(VecFn::Mul, t, 0.044715f);
      elem(VecFn::Add, t, t, x);
      imm(VecFn::Mul, t, 0.7978845608f);
      code.push_back(
          Instruction::vecUnary(VecFn::Tanh, DataType::F32, t, t, n, c));
      imm(VecFn::Add, t, 1.0f);
      elem(VecFn::Mul, x, x, t);
      imm(VecFn::Mul, x, 0.5f);
    };
  }
  return runKernel(kernel);
}

static VecFn toVecFn(cim::BinaryFn fn) {
  switch (fn) {
  case cim::BinaryFn::Add:
    return VecFn::Add;
  case cim::BinaryFn::Sub:
    return VecFn::Sub;
  case cim::BinaryFn::Mul:
    return VecFn::Mul;
  case cim::BinaryFn::Div:
    return VecFn::Div;
  case cim::BinaryFn::Max:
    return VecFn::Max;
  case cim::BinaryFn::Min:
    return VecFn::Min;
  }
  llvm_unreachable("unknown binary function");
}

/// The first operand is a full block (a broadcast one is DMA'd as one); the
/// second is an immediate (splat constant), a per-column vector (varies only
/// along the last axis), a per-row value (size 1 along the last axis) or a
/// full block. A broadcast first operand of a commutative function swaps
/// with a full second one; `x - y` with x broadcast is `(-y) + x`, `1 / y`
/// is `recip y`.
LogicalResult Lowering::lowerBinary(cim::BinaryOp op) {
  RankedTensorType type = op.getType();
  Type element = type.getElementType();
  DataType dataType;
  if (element.isF32())
    dataType = DataType::F32;
  else if (element.isSignlessInteger(32))
    dataType = DataType::I32;
  else
    return op.emitOpError() << "on " << element
                            << " is not supported: the vector unit computes "
                               "f32 and i32";
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rows = getRows(shape), cols = getCols(shape);

  auto classify = [&](Value value) {
    BinaryOperand operand;
    operand.value = value;
    if (std::optional<uint32_t> imm = getSplatImmediate(value)) {
      operand.mode = Src2::Imm;
      operand.imm = *imm;
      return operand;
    }
    ArrayRef<int64_t> s = cast<RankedTensorType>(value.getType()).getShape();
    int64_t last = getCols(s);
    bool leadingOnes = llvm::all_of(s.empty() ? s : s.drop_back(),
                                    [](int64_t d) { return d == 1; });
    if (cols == 1)
      operand.mode = Src2::Elem;
    else if (last == cols && leadingOnes && rows > 1)
      operand.mode = Src2::Col;
    else if (last == 1)
      operand.mode = Src2::Row;
    else
      operand.mode = Src2::Elem;
    return operand;
  };
  BinaryOperand lhs = classify(op.getLhs()), rhs = classify(op.getRhs());
  VecFn fn = toVecFn(op.getFn());
  bool commutative = fn == VecFn::Add || fn == VecFn::Mul || fn == VecFn::Max ||
                     fn == VecFn::Min;
  bool negateFirst = false; // x - y with x broadcast: (-y) + x.
  bool reciprocal = false;  // 1 / y: recip(y).
  if (lhs.mode != Src2::Elem && rhs.mode == Src2::Elem) {
    if (commutative) {
      std::swap(lhs, rhs);
    } else if (fn == VecFn::Sub && dataType == DataType::F32) {
      std::swap(lhs, rhs);
      negateFirst = true;
      fn = VecFn::Add;
    } else if (fn == VecFn::Div && lhs.mode == Src2::Imm &&
               lhs.imm == isa::floatToBits(1.0f)) {
      std::swap(lhs, rhs);
      reciprocal = true;
    }
  }
  // Anything else the first operand needs is a full block.
  lhs.mode = Src2::Elem;

  FailureOr<Storage> lhsStorage = storageOf(lhs.value, op);
  if (failed(lhsStorage))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  RowKernel kernel;
  kernel.op = op;
  kernel.rows = rows;
  kernel.cols = cols;
  kernel.columnwise = true;
  View lhsView = lhsStorage->view.broadcastTo(shape);
  kernel.inputs.push_back({lhsView, lhsStorage->buffer, InputKind::Elem});
  kernel.outputs.push_back({out->view, out->buffer, false, 0});

  Src2Mode mode = Src2Mode::Imm;
  if (!reciprocal && rhs.mode != Src2::Imm) {
    FailureOr<Storage> rhsStorage = storageOf(rhs.value, op);
    if (failed(rhsStorage))
      return failure();
    const View &view = rhsStorage->view;
    switch (rhs.mode) {
    case Src2::Col:
      mode = Src2Mode::PerCol;
      kernel.inputs.push_back(
          {lastDim(view), rhsStorage->buffer, InputKind::Col});
      break;
    case Src2::Row: {
      mode = Src2Mode::PerRow;
      SmallVector<int64_t> rowShape(shape);
      if (rowShape.empty())
        rowShape.push_back(1);
      rowShape.back() = 1;
      kernel.inputs.push_back(
          {view.broadcastTo(rowShape), rhsStorage->buffer, InputKind::PerRow});
      break;
    }
    default:
      mode = Src2Mode::Elem;
      kernel.inputs.push_back(
          {view.broadcastTo(shape), rhsStorage->buffer, InputKind::Elem});
      break;
    }
  }
  uint32_t imm = rhs.imm;
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    uint32_t x = b.in[0];
    if (reciprocal) {
      code.push_back(
          Instruction::vecUnary(VecFn::Recip, DataType::F32, x, x, n, c));
      return;
    }
    if (negateFirst)
      code.push_back(
          Instruction::vecUnary(VecFn::Neg, DataType::F32, x, x, n, c));
    isa::VecOperands ops;
    ops.fn = fn;
    ops.type = dataType;
    ops.mode = mode;
    ops.dst = x;
    ops.src1 = x;
    ops.src2 = mode == Src2Mode::Imm ? 0 : b.in[1];
    ops.rows = n;
    ops.cols = c;
    ops.imm0 = mode == Src2Mode::Imm ? imm : 0;
    code.push_back(Instruction::vec(ops));
  };
  return runKernel(kernel);
}

/// Reductions and softmax run along the last axis; an axis followed only by
/// size-1 dimensions is the last one too.
LogicalResult Lowering::checkAxis(Operation *op, int64_t axis,
                                  ArrayRef<int64_t> shape) {
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    if (shape[d] != 1)
      return op->emitOpError()
             << "along axis " << axis << " of " << shape.size()
             << " is not supported: the vector unit reduces the last axis; "
                "transpose the axis to the end first";
  return success();
}

LogicalResult Lowering::lowerReduce(cim::ReduceOp op) {
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  int64_t axis = op.getAxis();
  if (failed(checkAxis(op, axis, inType.getShape())))
    return failure();
  Type element = inType.getElementType();
  DataType dataType;
  if (element.isF32())
    dataType = DataType::F32;
  else if (element.isSignlessInteger(32))
    dataType = DataType::I32;
  else
    return op.emitOpError() << "on " << element
                            << " is not supported: the vector unit reduces "
                               "f32 and i32";
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  View inView = dropTrailingUnitDims(in->view, axis + 1);
  RowKernel kernel;
  kernel.op = op;
  kernel.rows = inView.getRows();
  kernel.cols = inView.getCols();
  kernel.inputs.push_back({inView, in->buffer, InputKind::Elem});
  kernel.temps.push_back({4, 0});
  kernel.outputs.push_back(
      {rowScalars(out->view, axis), out->buffer, true, 0, true});
  isa::ReduceKind kind =
      op.getKind() == cim::ReduceKind::Sum   ? isa::ReduceKind::Sum
      : op.getKind() == cim::ReduceKind::Max ? isa::ReduceKind::Max
                                             : isa::ReduceKind::Min;
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    code.push_back(Instruction::vred(kind, dataType, b.temp[0], b.in[0], n, c));
  };
  return runKernel(kernel);
}

LogicalResult Lowering::lowerSoftmax(cim::SoftmaxOp op) {
  ArrayRef<int64_t> shape = op.getType().getShape();
  int64_t axis = op.getAxis();
  if (failed(checkAxis(op, axis, shape)))
    return failure();
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  View inView = dropTrailingUnitDims(in->view, axis + 1);
  View outView = dropTrailingUnitDims(out->view, axis + 1);
  RowKernel kernel;
  kernel.op = op;
  kernel.rows = inView.getRows();
  kernel.cols = inView.getCols();
  kernel.inputs.push_back({inView, in->buffer, InputKind::Elem});
  kernel.temps = {{4, 0}, {4, 0}};
  kernel.outputs.push_back({outView, out->buffer, false, 0});
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    uint32_t x = b.in[0], m = b.temp[0], s = b.temp[1];
    code.push_back(
        Instruction::vred(isa::ReduceKind::Max, DataType::F32, m, x, n, c));
    code.push_back(Instruction::vecBinary(VecFn::Sub, DataType::F32,
                                          Src2Mode::PerRow, x, x, m, n, c));
    code.push_back(
        Instruction::vecUnary(VecFn::Exp, DataType::F32, x, x, n, c));
    code.push_back(
        Instruction::vred(isa::ReduceKind::Sum, DataType::F32, s, x, n, c));
    code.push_back(Instruction::vecBinary(VecFn::Div, DataType::F32,
                                          Src2Mode::PerRow, x, x, s, n, c));
  };
  return runKernel(kernel);
}

/// The shared tail of layer and RMS normalisation on an n x c block:
/// x *= rsqrt(sum(x * x) / size + epsilon) per row, then x *= gamma per column
/// (`sq` and `stat` are scratch blocks of n x c and n values).
static void emitScaleByRms(std::vector<Instruction> &code, uint32_t x,
                           uint32_t sq, uint32_t stat, uint32_t gamma,
                           uint32_t n, uint32_t c, float size, float epsilon) {
  code.push_back(Instruction::vecBinary(VecFn::Mul, DataType::F32,
                                        Src2Mode::Elem, sq, x, x, n, c));
  code.push_back(
      Instruction::vred(isa::ReduceKind::Sum, DataType::F32, stat, sq, n, c));
  code.push_back(Instruction::vecBinaryImm(VecFn::Div, stat, stat, size, n, 1));
  code.push_back(
      Instruction::vecBinaryImm(VecFn::Add, stat, stat, epsilon, n, 1));
  code.push_back(
      Instruction::vecUnary(VecFn::Rsqrt, DataType::F32, stat, stat, n, 1));
  code.push_back(Instruction::vecBinary(VecFn::Mul, DataType::F32,
                                        Src2Mode::PerRow, x, x, stat, n, c));
  code.push_back(Instruction::vecBinary(VecFn::Mul, DataType::F32,
                                        Src2Mode::PerCol, x, x, gamma, n, c));
}

/// mean = sum / C; d = x - mean; var = sum(d * d) / C; y = d * rsqrt(var +
/// eps) * gamma + beta, over the normalized dimensions flattened to C.
LogicalResult Lowering::lowerLayerNorm(cim::LayerNormOp op) {
  ArrayRef<int64_t> shape = op.getType().getShape();
  int64_t axis = op.getAxis();
  int64_t rows = mlir::computeProduct(shape.take_front(axis));
  int64_t cols = mlir::computeProduct(shape.drop_front(axis));
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  FailureOr<Storage> gamma = storageOf(op.getGamma(), op);
  FailureOr<Storage> beta = storageOf(op.getBeta(), op);
  if (failed(in) || failed(gamma) || failed(beta))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  // Operands and (not being a concat operand's producer) the result are
  // whole, contiguous buffers.
  std::optional<View> inView = in->view.reshaped({rows, cols});
  std::optional<View> outView = out->view.reshaped({rows, cols});
  std::optional<View> gammaView = gamma->view.reshaped({cols});
  std::optional<View> betaView = beta->view.reshaped({cols});
  assert(inView && outView && gammaView && betaView &&
         "layer_norm operands are contiguous");
  RowKernel kernel;
  kernel.op = op;
  kernel.rows = rows;
  kernel.cols = cols;
  kernel.inputs.push_back({*inView, in->buffer, InputKind::Elem});
  kernel.inputs.push_back({*gammaView, gamma->buffer, InputKind::Col});
  kernel.inputs.push_back({*betaView, beta->buffer, InputKind::Col});
  kernel.temps = {{0, 4}, {4, 0}, {4, 0}};
  kernel.outputs.push_back({*outView, out->buffer, false, 0});
  float size = static_cast<float>(cols);
  float epsilon = op.getEpsilon().convertToFloat();
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    uint32_t x = b.in[0], g = b.in[1], bt = b.in[2], sq = b.temp[0],
             mean = b.temp[1], var = b.temp[2];
    code.push_back(
        Instruction::vred(isa::ReduceKind::Sum, DataType::F32, mean, x, n, c));
    code.push_back(
        Instruction::vecBinaryImm(VecFn::Div, mean, mean, size, n, 1));
    code.push_back(Instruction::vecBinary(VecFn::Sub, DataType::F32,
                                          Src2Mode::PerRow, x, x, mean, n, c));
    emitScaleByRms(code, x, sq, var, g, n, c, size, epsilon);
    code.push_back(Instruction::vecBinary(VecFn::Add, DataType::F32,
                                          Src2Mode::PerCol, x, x, bt, n, c));
  };
  return runKernel(kernel);
}

/// ms = sum(x * x) / C; y = x * rsqrt(ms + eps) * gamma.
LogicalResult Lowering::lowerRMSNorm(cim::RMSNormOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  FailureOr<Storage> gamma = storageOf(op.getGamma(), op);
  if (failed(in) || failed(gamma))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  RowKernel kernel = elementwise(op, *in, *out);
  kernel.inputs.push_back(
      {lastDim(gamma->view), gamma->buffer, InputKind::Col});
  kernel.temps = {{0, 4}, {4, 0}};
  float size = static_cast<float>(kernel.cols);
  float epsilon = op.getEpsilon().convertToFloat();
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    uint32_t x = b.in[0], g = b.in[1], sq = b.temp[0], ms = b.temp[1];
    emitScaleByRms(code, x, sq, ms, g, n, c, size, epsilon);
  };
  return runKernel(kernel);
}

/// x * cos + rotate_half(x) * sin, rotate_half(x) = concat(-x2, x1):
/// r = concat(x2, x1) by scratchpad DMAs, sin' = concat(-sin1, sin2), so
/// that rotate_half(x) * sin = r * sin' exactly.
LogicalResult Lowering::lowerRoPE(cim::RoPEOp op) {
  ArrayRef<int64_t> shape = op.getType().getShape();
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  FailureOr<Storage> cosine = storageOf(op.getCos(), op);
  FailureOr<Storage> sine = storageOf(op.getSin(), op);
  if (failed(in) || failed(cosine) || failed(sine))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  RowKernel kernel = elementwise(op, *in, *out);
  kernel.inputs.push_back(
      {cosine->view.broadcastTo(shape), cosine->buffer, InputKind::Elem});
  kernel.inputs.push_back(
      {sine->view.broadcastTo(shape), sine->buffer, InputKind::Elem});
  kernel.temps = {{0, 4}};
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    uint32_t x = b.in[0], cs = b.in[1], sn = b.in[2], r = b.temp[0];
    uint32_t half = c / 2;
    auto spadCopy = [&](uint32_t src, uint32_t dst) {
      code.push_back(Instruction::dma(MemorySpace::Spad, MemorySpace::Spad, src,
                                      dst, half * 4, n, c * 4, c * 4));
    };
    spadCopy(x + half * 4, r);
    spadCopy(x, r + half * 4);
    code.push_back(Instruction::vecBinary(VecFn::Mul, DataType::F32,
                                          Src2Mode::Elem, x, x, cs, n, c));
    code.push_back(
        Instruction::vecUnary(VecFn::Neg, DataType::F32, cs, sn, n, c));
    spadCopy(cs, sn);
    code.push_back(Instruction::vecBinary(VecFn::Mul, DataType::F32,
                                          Src2Mode::Elem, r, r, sn, n, c));
    code.push_back(Instruction::vecBinary(VecFn::Add, DataType::F32,
                                          Src2Mode::Elem, x, x, r, n, c));
  };
  return runKernel(kernel);
}

/// docs/CIMDialect.md: per row m = vred max |x|, s0 = m / Q, s = s0 or 1
/// for a zero row, r = 1 / s, q = quant(x) with per-row multipliers r.
/// s0 = m / Q, the zero-row rule and r = 1 / s on n per-row values: `sc`
/// holds m and becomes s, `t` is scratch, `r` receives the multipliers.
static void appendRowScales(Code &code, uint32_t sc, uint32_t t, uint32_t r,
                            uint32_t n, float limit) {
  code.push_back(Instruction::vecBinaryImm(VecFn::Div, sc, sc, limit, n, 1));
  // Zero-row rule: t = min(s0 * 2^254, 1) - 1 is -1 for s0 = 0 and 0
  // otherwise (also for +inf and NaN), so s0 - t is 1 or s0.
  code.push_back(Instruction::vecBinaryImm(VecFn::Mul, t, sc, 0x1p127f, n, 1));
  code.push_back(Instruction::vecBinaryImm(VecFn::Mul, t, t, 0x1p127f, n, 1));
  code.push_back(Instruction::vecBinaryImm(VecFn::Min, t, t, 1.0f, n, 1));
  code.push_back(Instruction::vecBinaryImm(VecFn::Sub, t, t, 1.0f, n, 1));
  code.push_back(Instruction::vecBinary(VecFn::Sub, DataType::F32,
                                        Src2Mode::Elem, sc, sc, t, n, 1));
  code.push_back(
      Instruction::vecUnary(VecFn::Recip, DataType::F32, r, sc, n, 1));
}

/// docs/CIMDialect.md: per row m = vred max |x|, s0 = m / Q, s = s0 or 1
/// for a zero row, r = 1 / s, q = quant(x) with per-row multipliers r. A
/// row that does not fit the scratchpad is read twice in column blocks: the
/// blocks' maxima combined with vec max, then quant block by block.
LogicalResult Lowering::lowerQuantizeDynamic(cim::QuantizeDynamicOp op) {
  unsigned bits = op.getBits();
  DataType to = bits <= 8 ? DataType::I8 : DataType::I16;
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> q = resultStorage(op.getResult(), op);
  FailureOr<Storage> s = resultStorage(op.getScales(), op);
  if (failed(q) || failed(s))
    return failure();
  auto limit = static_cast<float>((1u << (bits - 1)) - 1);
  int64_t rows = in->view.getRows(), cols = in->view.getCols();
  // The column-block task's blocks for n rows x w columns: x, |x| (then q),
  // and per row m/s, t, r, the block maximum.
  struct QuantizeBlocks {
    uint32_t x, a, sc, t, r, m;
  };
  auto layout = [](SpadAllocator &spad, int64_t n, int64_t w) {
    QuantizeBlocks blocks;
    blocks.x = spad.allocate(n * w * 4);
    blocks.a = spad.allocate(n * w * 4);
    blocks.sc = spad.allocate(n * 4);
    blocks.t = spad.allocate(n * 4);
    blocks.r = spad.allocate(n * 4);
    blocks.m = spad.allocate(n * 4);
    return blocks;
  };
  auto bytes = [&](int64_t n, int64_t w) {
    return SpadAllocator::measure(layout, n, w);
  };
  if (bytes(1, cols) <= config.spadBytes || bytes(1, 1) > config.spadBytes) {
    RowKernel kernel = elementwise(op, *in, *q);
    kernel.temps = {{0, 4}, {4, 0}, {4, 0}, {4, 0}};
    kernel.outputs.front().fromTemp = true;
    kernel.outputs.push_back({s->view, s->buffer, true, 1, true});
    kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
      uint32_t x = b.in[0], a = b.temp[0], sc = b.temp[1], t = b.temp[2],
               r = b.temp[3];
      code.push_back(
          Instruction::vecUnary(VecFn::Abs, DataType::F32, a, x, n, c));
      code.push_back(
          Instruction::vred(isa::ReduceKind::Max, DataType::F32, sc, a, n, c));
      appendRowScales(code, sc, t, r, n, limit);
      // q = sat(rne(x * r[row])): the ISA's quant with per-row multipliers.
      code.push_back(
          Instruction::quant(to, a, x, n, c, 1.0f, 0, Src2Mode::PerRow, r));
    };
    return runKernel(kernel);
  }

  // Column blocks of equal width, as wide as fit with one row.
  int64_t width = largestFitting(
      cols, [&](int64_t w) { return bytes(1, w) <= config.spadBytes; });
  int64_t blocks = (cols + width - 1) / width;
  width = (cols + blocks - 1) / blocks;
  for (const Part &part : distribute(rows)) {
    int64_t chunk = largestFitting(part.count, [&](int64_t n) {
      return bytes(n, width) <= config.spadBytes;
    });
    Task &task = addTask(part.core, op);
    task.reads = {in->buffer};
    task.writes = {q->buffer, s->buffer};
    SpadAllocator spadAlloc(config.spadBytes);
    auto [x, a, sc, t, r, m] = layout(spadAlloc, chunk, width);
    for (int64_t first = part.first; first < part.first + part.count;
         first += chunk) {
      int64_t count = std::min(chunk, part.first + part.count - first);
      auto n = static_cast<uint32_t>(count);
      for (int64_t col = 0; col < cols; col += width) {
        int64_t w = std::min(width, cols - col);
        auto c = static_cast<uint32_t>(w);
        copyRows(task.code, in->view.columns(col, w), first, count, x,
                 /*intoSpad=*/true);
        task.code.push_back(
            Instruction::vecUnary(VecFn::Abs, DataType::F32, a, x, n, c));
        task.code.push_back(Instruction::vred(
            isa::ReduceKind::Max, DataType::F32, col == 0 ? sc : m, a, n, c));
        if (col != 0)
          task.code.push_back(Instruction::vecBinary(
              VecFn::Max, DataType::F32, Src2Mode::Elem, sc, sc, m, n, 1));
      }
      appendRowScales(task.code, sc, t, r, n, limit);
      copyRows(task.code, s->view, first, count, sc, /*intoSpad=*/false);
      for (int64_t col = 0; col < cols; col += width) {
        int64_t w = std::min(width, cols - col);
        auto c = static_cast<uint32_t>(w);
        copyRows(task.code, in->view.columns(col, w), first, count, x,
                 /*intoSpad=*/true);
        task.code.push_back(
            Instruction::quant(to, a, x, n, c, 1.0f, 0, Src2Mode::PerRow, r));
        copyRows(task.code, q->view.columns(col, w), first, count, a,
                 /*intoSpad=*/false);
      }
    }
  }
  return success();
}

LogicalResult Lowering::lowerQuantize(cim::QuantizeOp op) {
  cim::QuantAttr quant = op.getQuant();
  if (quant.getBits() != 8 && quant.getBits() != 16)
    return op.emitOpError() << "to " << quant.getBits()
                            << " bits is not supported: the vector unit's "
                               "quant saturates to i8 or i16";
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  RowKernel kernel = elementwise(op, *in, *out);
  kernel.columnwise = true;
  kernel.temps = {{0, 2}};
  kernel.outputs.front().fromTemp = true;
  DataType to = quant.getBits() == 8 ? DataType::I8 : DataType::I16;
  float inverse = 1.0f / quant.getScale().getValue().convertToFloat();
  auto zeroPoint = static_cast<int32_t>(quant.getZeroPoint());
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    code.push_back(
        Instruction::quant(to, b.temp[0], b.in[0], n, c, inverse, zeroPoint));
  };
  return runKernel(kernel);
}

/// Exactly the order cim.dequantize_acc specifies: (+ offsets in i32), then
/// `dequant` with 1.0 and per-column scales (times the per-tensor input scale
/// when there is one), then per-row input scales with `vec mul`.
LogicalResult Lowering::lowerDequantizeAcc(cim::DequantizeAccOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  FailureOr<Storage> scales = storageOf(op.getScales(), op);
  if (failed(in) || failed(scales))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  RowKernel kernel = elementwise(op, *in, *out);
  kernel.columnwise = true;
  kernel.inputs.push_back(
      {lastDim(scales->view), scales->buffer, InputKind::Col});
  int offsetsIndex = -1, rowScalesIndex = -1;
  if (Value offsets = op.getOffsets()) {
    FailureOr<Storage> storageOffsets = storageOf(offsets, op);
    if (failed(storageOffsets))
      return failure();
    offsetsIndex = kernel.inputs.size();
    kernel.inputs.push_back({lastDim(storageOffsets->view),
                             storageOffsets->buffer, InputKind::Col});
  }
  std::optional<float> inputScale;
  if (Value inputScales = op.getInputScales()) {
    FailureOr<Storage> rowScales = storageOf(inputScales, op);
    if (failed(rowScales))
      return failure();
    rowScalesIndex = kernel.inputs.size();
    kernel.inputs.push_back(
        {rowScales->view, rowScales->buffer, InputKind::PerRow});
  } else {
    inputScale = op.getInputScale()->convertToFloat();
    kernel.onceTemps.push_back({0, 4});
    kernel.prologue = [=](Code &code, const Blocks &b, uint32_t c) {
      code.push_back(Instruction::vecBinaryImm(VecFn::Mul, b.onceTemp[0],
                                               b.in[1], *inputScale, 1, c));
    };
  }
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    uint32_t acc = b.in[0];
    if (offsetsIndex >= 0)
      code.push_back(Instruction::vecBinary(VecFn::Add, DataType::I32,
                                            Src2Mode::PerCol, acc, acc,
                                            b.in[offsetsIndex], n, c));
    uint32_t columnScales = inputScale ? b.onceTemp[0] : b.in[1];
    code.push_back(Instruction::dequant(acc, acc, 1.0f, n, c, Src2Mode::PerCol,
                                        columnScales));
    if (rowScalesIndex >= 0)
      code.push_back(Instruction::vecBinary(VecFn::Mul, DataType::F32,
                                            Src2Mode::PerRow, acc, acc,
                                            b.in[rowScalesIndex], n, c));
  };
  return runKernel(kernel);
}

LogicalResult Lowering::lowerTopK(cim::TopKOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> values = resultStorage(op.getValues(), op);
  FailureOr<Storage> indices = resultStorage(op.getIndices(), op);
  if (failed(values) || failed(indices))
    return failure();
  int64_t k = op.getK();
  RowKernel kernel;
  kernel.op = op;
  kernel.rows = in->view.getRows();
  kernel.cols = in->view.getCols();
  kernel.inputs.push_back({in->view, in->buffer, InputKind::Elem});
  kernel.temps = {{k * 4, 0}, {k * 4, 0}};
  kernel.outputs.push_back({values->view, values->buffer, true, 0, true});
  kernel.outputs.push_back({indices->view, indices->buffer, true, 1, true});
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    code.push_back(Instruction::vtopk(b.temp[0], b.temp[1], b.in[0], n, c,
                                      static_cast<uint32_t>(k)));
  };
  return runKernel(kernel);
}
