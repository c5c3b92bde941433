//===- DataMovement.cpp - Data movement of convert-cim-to-xbar ------------===//
//
// Transposes, broadcasts, slices, concats and views: DMA between buffers, or
// no code at all where a view aliases its source.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "LoweringUtils.h"

using namespace mlir;
using namespace mho;
using namespace mho::cimtoxbar;

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult Lowering::lowerTranspose(linalg::TransposeOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult()[0], op);
  if (failed(out))
    return failure();
  return copy(op, in->view.permuted(op.getPermutation()), in->buffer, out->view,
              out->buffer);
}

LogicalResult Lowering::lowerBroadcast(linalg::BroadcastOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult()[0], op);
  if (failed(out))
    return failure();
  // Insert stride-0 dimensions at the broadcast positions.
  View view = in->view;
  view.shape.clear();
  view.strides.clear();
  ArrayRef<int64_t> shape = out->view.shape;
  ArrayRef<int64_t> added = op.getDimensions();
  size_t source = 0;
  for (size_t d = 0; d < shape.size(); ++d) {
    view.shape.push_back(shape[d]);
    if (llvm::is_contained(added, static_cast<int64_t>(d)))
      view.strides.push_back(0);
    else
      view.strides.push_back(in->view.strides[source++]);
  }
  return copy(op, view, in->buffer, out->view, out->buffer);
}

/// The full-rank slice of `view` an extract/insert_slice describes.
static View sliceOf(const View &view, OffsetSizeAndStrideOpInterface op) {
  return view.sliced(op.getStaticOffsets(), op.getStaticSizes(),
                     op.getStaticStrides());
}

/// Static offsets/sizes/strides or an error.
static LogicalResult checkStaticSlice(OffsetSizeAndStrideOpInterface op) {
  if (!op.getOffsets().empty() || !op.getSizes().empty() ||
      !op.getStrides().empty())
    return op->emitOpError()
           << "has dynamic offsets, sizes or strides; convert-cim-to-xbar "
              "needs static slices";
  return success();
}

LogicalResult Lowering::lowerExtractSlice(tensor::ExtractSliceOp op) {
  if (failed(checkStaticSlice(op)))
    return failure();
  FailureOr<Storage> in = storageOf(op.getSource(), op);
  if (failed(in))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  View view = dropUnitDims(sliceOf(in->view, op), op.getType().getShape());
  return copy(op, view, in->buffer, out->view, out->buffer);
}

/// One task (so that the two copies keep their order): the destination,
/// then the source into its slice.
LogicalResult Lowering::lowerInsertSlice(tensor::InsertSliceOp op) {
  if (failed(checkStaticSlice(op)))
    return failure();
  FailureOr<Storage> src = storageOf(op.getSource(), op);
  FailureOr<Storage> dest = storageOf(op.getDest(), op);
  if (failed(src) || failed(dest))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  Task &task = addTask(distribute(1).front().core, op);
  task.reads = {src->buffer, dest->buffer};
  task.writes = {out->buffer};
  appendCopy(task.code, dest->view, out->view);
  View region = sliceOf(out->view, op);
  appendCopy(task.code, src->view, dropUnitDims(region, src->view.shape));
  return success();
}

LogicalResult Lowering::lowerConcat(tensor::ConcatOp op) {
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  int64_t dim = op.getDim(), offset = 0;
  ArrayRef<int64_t> shape = op.getType().getShape();
  for (Value operand : op.getInputs()) {
    int64_t size = cast<RankedTensorType>(operand.getType()).getDimSize(dim);
    FailureOr<Storage> in = storageOf(operand, op);
    if (failed(in))
      return failure();
    SmallVector<int64_t> offsets(shape.size(), 0), sizes(shape),
        steps(shape.size(), 1);
    offsets[dim] = offset;
    sizes[dim] = size;
    View region = out->view.sliced(offsets, sizes, steps);
    offset += size;
    // Written in place by its producer.
    if (in->buffer == out->buffer && in->view.address == region.address &&
        in->view.shape == region.shape && in->view.strides == region.strides)
      continue;
    if (failed(copy(op, in->view, in->buffer, region, out->buffer)))
      return failure();
  }
  return success();
}

/// expand_shape, collapse_shape, cast: the result aliases the source.
LogicalResult Lowering::lowerView(Operation *op, Value source, Value result) {
  FailureOr<Storage> in = storageOf(source, op);
  if (failed(in))
    return failure();
  auto type = cast<RankedTensorType>(result.getType());
  if (std::optional<View> view = in->view.reshaped(type.getShape())) {
    storage[result] = {*view, in->buffer};
    return success();
  }
  FailureOr<Storage> out = newBuffer(type, op);
  if (failed(out))
    return failure();
  storage[result] = *out;
  std::optional<View> target = out->view.reshaped(in->view.shape);
  return copy(op, in->view, in->buffer, *target, out->buffer);
}

LogicalResult Lowering::lowerReturn(func::ReturnOp op) {
  for (auto [index, value] : llvm::enumerate(op.getOperands())) {
    RankedTensorType type = getSymbolType(value.getType());
    if (!type)
      return op.emitOpError() << "result #" << index << " of type "
                              << value.getType() << " " << SymbolTypeRule;
    FailureOr<Storage> result = storageOf(value, op);
    if (failed(result))
      return failure();
    Storage where = *result;
    if (!where.view.isContiguous()) {
      FailureOr<Storage> copyTo = newBuffer(type, op);
      if (failed(copyTo) || failed(copy(op, where.view, where.buffer,
                                        copyTo->view, copyTo->buffer)))
        return failure();
      where = *copyTo;
    }
    // mho-expose-intermediates names where an extra result came from.
    std::string name = "output" + std::to_string(index);
    if (auto origin = func.getResultAttrOfType<StringAttr>(index, "mho.name"))
      name += ":" + origin.str();
    buffers[where.buffer].pinned = true;
    symbols.push_back({name, xbar::SymbolKind::output, type, where.view.address,
                       op.getLoc()});
  }
  return success();
}
