//===- CIMToXBar.cpp - Schedule placed cim IR as xbar instruction streams -===//
//
// Lowers the entry function of a placed, quantized cim module to one
// xbar.program: a DRAM buffer per tensor (views alias), every compute op run
// out of scratchpads in row chunks (DMA in, compute, DMA out), weight blocks
// programmed where cim-place put them, and the cores synchronised by barriers
// between dependence levels. The policy is documented in docs/Compiler.md
// ("Scheduling and emission"); the MLIR-free half (views, DMA decomposition,
// levels, streams) is in Schedule.cpp, the op lowerings in VectorOps.cpp,
// MatrixProducts.cpp, DataMovement.cpp and MoE.cpp. This file holds the
// pass, setup, memory, tasks, the driver and tile-buffer placement.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "LoweringUtils.h"

#include "mho/Conversion/CIMToXBar/Schedule.h"
#include "mho/Conversion/Passes.h"
#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/XBar/IR/XBarOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>
#include <limits>

namespace mho {
#define GEN_PASS_DEF_CONVERTCIMTOXBAR
#include "mho/Conversion/Passes.h.inc"
} // namespace mho

using namespace mlir;
using namespace mho;
using namespace mho::cimtoxbar;
using isa::DataType;
using isa::Instruction;
using isa::MemorySpace;
using isa::Src2Mode;
using isa::VecFn;

//===----------------------------------------------------------------------===//
// Setup
//===----------------------------------------------------------------------===//

LogicalResult Lowering::findFunction() {
  SmallVector<func::FuncOp> publics;
  for (auto candidate : module.getOps<func::FuncOp>())
    if (candidate.isPublic() && !candidate.isExternal())
      publics.push_back(candidate);
  if (publics.size() != 1)
    return mlir::emitError(module.getLoc())
           << "convert-cim-to-xbar expects exactly one public function with "
              "a body (the entry), found "
           << publics.size();
  func = publics.front();
  if (!func.getBody().hasOneBlock())
    return func.emitOpError() << "has more than one block";
  return success();
}

LogicalResult Lowering::checkShapes() {
  auto check = [&](Type type, Operation *op) -> LogicalResult {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      return success();
    if (!shaped.hasStaticShape())
      return op->emitOpError() << "has the dynamic shape " << type
                               << "; convert-cim-to-xbar needs static shapes";
    return success();
  };
  for (BlockArgument arg : func.getArguments())
    if (failed(check(arg.getType(), func)))
      return failure();
  WalkResult result = func.getBody().walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (failed(check(type, op)))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

LogicalResult Lowering::buildConfig() {
  config.rows = static_cast<uint16_t>(target.getRows());
  config.cols = static_cast<uint16_t>(target.getCols());
  config.weightBits = static_cast<uint8_t>(target.getWeightBits());
  config.cellBits = static_cast<uint8_t>(target.getCellBits());
  config.slices = static_cast<uint8_t>(target.getSlices());
  config.encoding = target.getEncoding() == cim::Encoding::Differential
                        ? isa::WeightEncoding::Differential
                        : isa::WeightEncoding::Offset;
  config.inputBits = static_cast<uint8_t>(target.getInputBits());
  config.dacBits = static_cast<uint8_t>(target.getDacBits());
  config.planes = static_cast<uint8_t>(target.getPlanes());
  config.adcBits = static_cast<uint8_t>(target.getAdcBits());
  config.adcShift = static_cast<uint8_t>(target.getAdcShift());
  config.accBits = static_cast<uint8_t>(target.getAccBits());
  config.mvmUnits = static_cast<uint8_t>(target.getMvmUnits());
  config.spadBytes = static_cast<uint32_t>(target.getSpadBytes());
  config.tbufBytes = static_cast<uint32_t>(target.getTbufBytes());
  config.dramBytes = static_cast<uint64_t>(target.getDramBytes());
  config.tiles = static_cast<uint16_t>(target.getTiles());
  config.cores = static_cast<uint16_t>(target.getCores());
  // A multi-chip placement may use more chips than the target lists.
  int64_t chips = target.getChips();
  auto cover = [&](cim::PlaceAttr place) {
    if (place)
      chips = std::max(chips, place.getChip() + 1);
  };
  func.walk([&](Operation *op) {
    if (auto tile = dyn_cast<cim::MVMTileOp>(op)) {
      cover(tile.getPlaceAttr());
      if (std::optional<ArrayAttr> replicas = tile.getReplicas())
        for (Attribute place : *replicas)
          cover(dyn_cast<cim::PlaceAttr>(place));
    } else if (auto moe = dyn_cast<cim::MoEMVMOp>(op))
      if (std::optional<ArrayAttr> places = moe.getPlaces())
        for (Attribute place : *places)
          cover(dyn_cast<cim::PlaceAttr>(place));
  });
  if (chips > 0xFFFF)
    return mlir::emitError(module.getLoc()) << "the placement uses " << chips
                              << " chips; the image holds at most 65535";
  config.chips = static_cast<uint16_t>(chips);
  if (llvm::Error err = isa::verifyUnitConfig(config))
    return mlir::emitError(module.getLoc())
           << "the target does not give a valid ISA unit configuration: "
           << llvm::toString(std::move(err));
  schedule = std::make_unique<Schedule>(config);
  return success();
}

LogicalResult Lowering::checkPlace(Operation *op, cim::PlaceAttr place) {
  if (place.getTile() >= config.tiles || place.getCore() >= config.cores ||
      place.getUnit() >= config.mvmUnits || place.getChip() < 0 ||
      place.getTile() < 0 || place.getCore() < 0 || place.getUnit() < 0)
    return op->emitOpError()
           << "is placed at " << place << ", outside the target's "
           << config.tiles << " tiles x " << config.cores << " cores x "
           << unsigned(config.mvmUnits) << " MVM units";
  return success();
}

LogicalResult Lowering::addPlacement(Operation *op, cim::PlaceAttr place,
                                     unsigned block) {
  if (failed(checkPlace(op, place)))
    return failure();
  if (place.getRound() == 0)
    schedule->addInitialWeight(schedule->getCoreIndex(place.getChip(),
                                                      place.getTile(),
                                                      place.getCore()),
                               place.getUnit(), block);
  return success();
}

/// A weight block `value` for `place`; round-0 blocks are programmed at the
/// start of their core's stream. Returns its index, or failure (reported at
/// `op`) when the place is outside the target.
FailureOr<unsigned> Lowering::addWeightBlock(Operation *op,
                                             cim::PlaceAttr place,
                                             ElementsAttr value) {
  unsigned block = weights.size();
  weights.push_back({("w" + llvm::Twine(block)).str(), value, op->getLoc()});
  if (failed(addPlacement(op, place, block)))
    return failure();
  return block;
}

/// The weight blocks of every cim.mvm_tile and cim.moe_mvm, in program order.
LogicalResult Lowering::collectWeights() {
  WalkResult result = func.walk([&](Operation *op) {
    if (auto moe = dyn_cast<cim::MoEMVMOp>(op))
      return failed(collectExpertWeights(moe)) ? WalkResult::interrupt()
                                               : WalkResult::advance();
    auto tile = dyn_cast<cim::MVMTileOp>(op);
    if (!tile)
      return WalkResult::advance();
    cim::PlaceAttr place = tile.getPlaceAttr();
    if (!place) {
      tile.emitOpError() << "has no #cim.place; run --cim-place first";
      return WalkResult::interrupt();
    }
    ElementsAttr value;
    if (!matchPattern(tile.getWeight(), m_Constant(&value))) {
      tile.emitOpError() << "weight is not a constant; a weight block must "
                            "be known at compile time";
      return WalkResult::interrupt();
    }
    FailureOr<unsigned> block = addWeightBlock(tile, place, value);
    if (failed(block))
      return WalkResult::interrupt();
    blockOf[tile] = *block;
    // Copies hold the same block on other units.
    if (std::optional<ArrayAttr> replicas = tile.getReplicas())
      for (Attribute attr : *replicas)
        if (failed(addPlacement(tile, cast<cim::PlaceAttr>(attr), *block)))
          return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// Whether `op` writes its result through a view that may be a region of a
/// larger buffer (the operand of a concat).
static bool writesAnyView(Operation *op) {
  return llvm::isa<cim::MVMTileOp, cim::DequantizeAccOp, cim::BinaryOp,
                   cim::UnaryOp, cim::DMMOp, tensor::ConcatOp,
                   linalg::TransposeOp>(op);
}

/// A concat's operands that only the concat uses are written by their
/// producers straight into the concat's result (no copy). Concats are visited
/// last first so that nested concats nest their regions.
void Lowering::assignConcatHomes() {
  SmallVector<tensor::ConcatOp> concats;
  func.walk([&](tensor::ConcatOp concat) { concats.push_back(concat); });
  for (tensor::ConcatOp concat : llvm::reverse(concats)) {
    // An element type without a layout is reported when the concat is
    // lowered.
    if (!getElementBytes(concat.getType().getElementType()))
      continue;
    FailureOr<Storage> result = resultStorage(concat.getResult(), concat);
    if (failed(result))
      continue;
    int64_t dim = concat.getDim(), offset = 0;
    ArrayRef<int64_t> shape = concat.getType().getShape();
    for (Value operand : concat.getInputs()) {
      int64_t size = cast<RankedTensorType>(operand.getType()).getDimSize(dim);
      Operation *producer = operand.getDefiningOp();
      if (operand.hasOneUse() && producer && writesAnyView(producer) &&
          producer->getBlock() == concat->getBlock() &&
          !storage.count(operand)) {
        SmallVector<int64_t> offsets(shape.size(), 0), sizes(shape),
            steps(shape.size(), 1);
        offsets[dim] = offset;
        sizes[dim] = size;
        storage[operand] = {result->view.sliced(offsets, sizes, steps),
                            result->buffer};
      }
      offset += size;
    }
  }
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

FailureOr<uint64_t> Lowering::allocate(uint64_t bytes, Operation *op) {
  uint64_t address = dramTop;
  uint64_t end = address + ((bytes + 63) & ~uint64_t{63});
  if (end > config.dramBytes || end < address)
    return op->emitOpError()
           << "exhausts DRAM: its " << bytes << "-byte buffer at 0x"
           << llvm::utohexstr(address) << " does not fit the target's "
           << config.dramBytes << " bytes (dram_bytes)";
  dramTop = end;
  return address;
}

FailureOr<Storage> Lowering::newBuffer(RankedTensorType type, Operation *op) {
  std::optional<unsigned> bytes = getElementBytes(type.getElementType());
  if (!bytes)
    return op->emitOpError() << "element type " << type.getElementType()
                             << " has no memory layout on the target";
  FailureOr<uint64_t> address =
      allocate(uint64_t(type.getNumElements()) * *bytes, op);
  if (failed(address))
    return failure();
  Storage result;
  result.view =
      View::contiguous(MemorySpace::Dram, *address, type.getShape(), *bytes);
  result.buffer = schedule->newBuffer();
  buffers.push_back({*address, uint64_t(type.getNumElements()) * *bytes,
                     /*pinned=*/false});
  return result;
}

FailureOr<Storage> Lowering::materializeConstant(Value value, ElementsAttr attr,
                                                 Operation *user) {
  auto type = cast<RankedTensorType>(value.getType());
  Operation *at = value.getDefiningOp() ? value.getDefiningOp() : user;
  if (!getSymbolType(type))
    return at->emitOpError()
           << "constant of type " << type
           << " cannot be placed in DRAM (element types i8, i16, i32, f32, "
              "bf16, f16; rank <= 6)";
  FailureOr<Storage> result = newBuffer(type, at);
  if (failed(result))
    return failure();
  buffers[result->buffer].pinned = true;
  symbols.push_back({"c" + std::to_string(numConstants++),
                     xbar::SymbolKind::constant, type, result->view.address,
                     at->getLoc()});
  // A shape-only constant (a dense_resource without its blob) keeps its
  // symbol but has no bytes to initialise DRAM with.
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || resource.getRawHandle().getBlob())
    inits.push_back({result->view.address, attr, at->getLoc()});
  storage[value] = *result;
  return result;
}

/// The storage of an operand; constants, fills and tensor.empty get theirs
/// at their first use.
FailureOr<Storage> Lowering::storageOf(Value value, Operation *user) {
  auto it = storage.find(value);
  if (it != storage.end())
    return it->second;
  Operation *producer = value.getDefiningOp();
  ElementsAttr attr;
  if (producer && matchPattern(value, m_Constant(&attr)))
    return materializeConstant(value, attr, user);
  // A scalar that is not a constant comes from a function argument or an
  // op, both rejected before any use (Lowering::run, lower's default).
  if (auto fill = dyn_cast_if_present<linalg::FillOp>(producer)) {
    TypedAttr scalar;
    bool constant = matchPattern(fill.getInputs()[0], m_Constant(&scalar));
    assert(constant && "a fill value is a constant");
    (void)constant;
    return materializeConstant(
        value,
        DenseElementsAttr::get(cast<ShapedType>(value.getType()), scalar),
        user);
  }
  if (auto elements = dyn_cast_if_present<tensor::FromElementsOp>(producer)) {
    SmallVector<Attribute> values;
    for (Value element : elements.getElements()) {
      Attribute scalar;
      bool constant = matchPattern(element, m_Constant(&scalar));
      assert(constant && "an element is a constant");
      (void)constant;
      values.push_back(scalar);
    }
    return materializeConstant(
        value, DenseElementsAttr::get(elements.getType(), values), user);
  }
  if (auto empty = dyn_cast_if_present<tensor::EmptyOp>(producer)) {
    FailureOr<Storage> result = newBuffer(empty.getType(), empty);
    if (succeeded(result))
      storage[value] = *result;
    return result;
  }
  // Every other producer is lowered (or rejected) before its users.
  llvm_unreachable("an operand's producer has no storage");
}

/// The storage an op writes its result to: a region of a concat's result
/// (assignConcatHomes) or a new buffer.
FailureOr<Storage> Lowering::resultStorage(Value value, Operation *op) {
  auto it = storage.find(value);
  if (it != storage.end())
    return it->second;
  FailureOr<Storage> result =
      newBuffer(cast<RankedTensorType>(value.getType()), op);
  if (succeeded(result))
    storage[value] = *result;
  return result;
}

//===----------------------------------------------------------------------===//
// Tasks
//===----------------------------------------------------------------------===//

unsigned Lowering::originOf(Operation *op) {
  auto [it, inserted] = originIds.try_emplace(op, origins.size());
  if (inserted)
    origins.push_back(op->getLoc());
  return it->second;
}

Task &Lowering::addTask(unsigned core, Operation *op) {
  return schedule->addTask(core, originOf(op));
}

/// The rows of an op with `rows` rows split over the cores of chip 0: at
/// least kMinRowsPerCore rows per core, part i on core i. Every op with the
/// same number of rows uses the same split, so a chain of row-wise ops
/// (elementwise, normalizations, quantization, partial sums) stays on the
/// same cores and needs no barrier.
SmallVector<Part> Lowering::distribute(int64_t rows) const {
  int64_t parts = (rows + kMinRowsPerCore - 1) / kMinRowsPerCore;
  parts =
      std::max<int64_t>(1, std::min<int64_t>(parts, schedule->getChipCores()));
  SmallVector<Part> result;
  int64_t base = rows / parts, extra = rows % parts, first = 0;
  for (int64_t i = 0; i < parts; ++i) {
    int64_t count = base + (i < extra ? 1 : 0);
    result.push_back({static_cast<unsigned>(i), first, count});
    first += count;
  }
  return result;
}

/// The scratchpad blocks of a kernel's task for n rows x w columns: its
/// inputs, temporaries and per-task temporaries, in order.
static Blocks allocateBlocks(SpadAllocator &spad, const RowKernel &kernel,
                             int64_t n, int64_t w) {
  Blocks blocks;
  for (const RowInput &input : kernel.inputs) {
    int64_t bytes = input.view.elementBytes;
    switch (input.kind) {
    case InputKind::Elem:
      bytes *= n * w;
      break;
    case InputKind::PerRow:
      bytes *= n;
      break;
    case InputKind::Col:
      bytes *= w;
      break;
    }
    blocks.in.push_back(spad.allocate(bytes));
  }
  for (const Temp &temp : kernel.temps)
    blocks.temp.push_back(
        spad.allocate(n * (temp.perRow + temp.perElement * w)));
  for (const OnceTemp &temp : kernel.onceTemps)
    blocks.onceTemp.push_back(spad.allocate(temp.fixed + temp.perCol * w));
  return blocks;
}

/// Scratchpad bytes of a kernel's blocks for n rows x w columns.
static int64_t kernelBytes(const RowKernel &kernel, int64_t n, int64_t w) {
  return static_cast<int64_t>(
      SpadAllocator::measure(allocateBlocks, kernel, n, w));
}

LogicalResult Lowering::runKernel(RowKernel &kernel) {
  Operation *op = kernel.op;
  if (kernel.rows == 0 || kernel.cols == 0)
    return success();
  int64_t spad = config.spadBytes;
  auto fits = [&](int64_t n, int64_t w) {
    return kernelBytes(kernel, n, w) <= spad;
  };
  // The widest column block (all columns unless the kernel is column-wise
  // and a row does not fit), then the most rows.
  int64_t width = kernel.cols;
  if (!fits(1, width)) {
    int64_t least = kernel.columnwise ? 1 : width;
    if (!fits(1, least))
      return op->emitOpError() << "needs " << kernelBytes(kernel, 1, least)
                               << " bytes of scratchpad for one row of "
                               << least << (least == 1 ? " column" : " columns")
                               << " but the target's spad_bytes is " << spad;
    int64_t lo = 1, hi = width;
    while (lo + 1 < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      (fits(1, mid) ? lo : hi) = mid;
    }
    width = lo;
  }
  int64_t chunk = 1;
  {
    int64_t lo = 1, hi = kernel.rows + 1;
    while (lo + 1 < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      (fits(mid, width) ? lo : hi) = mid;
    }
    chunk = lo;
  }

  SmallVector<Part> parts = distribute(kernel.rows);
  for (const Part &part : parts) {
    Task &task = addTask(part.core, op);
    // A part reads and writes only its rows (per-column inputs whole).
    for (const RowInput &input : kernel.inputs)
      if (input.buffer)
        task.reads.push_back(
            input.kind == InputKind::Col
                ? spanOf(input.view, *input.buffer)
                : rowsOf(input.view, *input.buffer, part.first, part.count));
    for (const RowOutput &output : kernel.outputs)
      task.writes.push_back(
          rowsOf(output.view, output.buffer, part.first, part.count));

    int64_t rows = std::min(chunk, part.count);
    SpadAllocator spadAlloc(config.spadBytes);
    Blocks addresses = allocateBlocks(spadAlloc, kernel, rows, width);

    for (int64_t col = 0; col < kernel.cols; col += width) {
      int64_t cols = std::min(width, kernel.cols - col);
      for (auto [i, input] : llvm::enumerate(kernel.inputs))
        if (input.kind == InputKind::Col)
          appendCopy(
              task.code, input.view.columns(col, cols),
              View::spad(addresses.in[i], {cols}, input.view.elementBytes));
      if (kernel.prologue)
        kernel.prologue(task.code, addresses, static_cast<uint32_t>(cols));
      for (int64_t first = part.first; first < part.first + part.count;
           first += rows) {
        int64_t count = std::min(rows, part.first + part.count - first);
        for (auto [i, input] : llvm::enumerate(kernel.inputs)) {
          if (input.kind == InputKind::Elem)
            copyRows(task.code, input.view.columns(col, cols), first, count,
                     addresses.in[i], /*intoSpad=*/true);
          else if (input.kind == InputKind::PerRow)
            copyRows(task.code, input.view, first, count, addresses.in[i],
                     /*intoSpad=*/true);
        }
        kernel.body(task.code, addresses, static_cast<uint32_t>(count),
                    static_cast<uint32_t>(cols));
        for (const RowOutput &output : kernel.outputs) {
          uint64_t at = output.fromTemp ? addresses.temp[output.index]
                                        : addresses.in[output.index];
          View view =
              output.wholeRows ? output.view : output.view.columns(col, cols);
          copyRows(task.code, view, first, count, at, /*intoSpad=*/false);
        }
      }
    }
  }
  return success();
}

/// Copies `src` to `dst` with DMAs, the rows split over cores in parts of at
/// least one scratchpad's worth of bytes.
LogicalResult Lowering::copy(Operation *op, const View &src,
                             std::optional<unsigned> srcBuffer, const View &dst,
                             unsigned dstBuffer) {
  int64_t rows = dst.getRows();
  int64_t rowBytes = dst.getCols() * dst.elementBytes;
  if (rows == 0 || rowBytes == 0)
    return success();
  for (const Part &part : distribute(rows)) {
    Task &task = addTask(part.core, op);
    if (srcBuffer)
      task.reads.push_back(rowsOf(src, *srcBuffer, part.first, part.count));
    task.writes.push_back(rowsOf(dst, dstBuffer, part.first, part.count));
    SmallVector<View, 4> from = src.rowPieces(part.first, part.count);
    SmallVector<View, 4> to = dst.rowPieces(part.first, part.count);
    for (auto [a, b] : llvm::zip_equal(from, to))
      appendCopy(task.code, a, b);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

LogicalResult Lowering::lower(Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](cim::UnaryOp op) { return lowerUnary(op); })
      .Case([&](cim::BinaryOp op) { return lowerBinary(op); })
      .Case([&](cim::ReduceOp op) { return lowerReduce(op); })
      .Case([&](cim::SoftmaxOp op) { return lowerSoftmax(op); })
      .Case([&](cim::LayerNormOp op) { return lowerLayerNorm(op); })
      .Case([&](cim::RMSNormOp op) { return lowerRMSNorm(op); })
      .Case([&](cim::RoPEOp op) { return lowerRoPE(op); })
      .Case([&](cim::QuantizeDynamicOp op) { return lowerQuantizeDynamic(op); })
      .Case([&](cim::QuantizeOp op) { return lowerQuantize(op); })
      .Case([&](cim::DequantizeAccOp op) { return lowerDequantizeAcc(op); })
      .Case([&](cim::TopKOp op) { return lowerTopK(op); })
      .Case([&](cim::DMMOp op) { return lowerDMM(op); })
      .Case([&](cim::MVMTileOp op) { return lowerMVMTile(op); })
      .Case([&](cim::MoEDispatchOp op) { return lowerMoEDispatch(op); })
      .Case([&](cim::MoEMVMOp op) { return lowerMoEMVM(op); })
      .Case([&](cim::MoECombineOp op) { return lowerMoECombine(op); })
      .Case([&](linalg::TransposeOp op) { return lowerTranspose(op); })
      .Case([&](linalg::BroadcastOp op) { return lowerBroadcast(op); })
      .Case([&](tensor::ExtractSliceOp op) { return lowerExtractSlice(op); })
      .Case([&](tensor::InsertSliceOp op) { return lowerInsertSlice(op); })
      .Case([&](tensor::ConcatOp op) { return lowerConcat(op); })
      .Case([&](tensor::ExpandShapeOp op) {
        return lowerView(op, op.getSrc(), op.getResult());
      })
      .Case([&](tensor::CollapseShapeOp op) {
        return lowerView(op, op.getSrc(), op.getResult());
      })
      .Case([&](tensor::CastOp op) {
        return lowerView(op, op.getSource(), op.getResult());
      })
      .Case([&](func::ReturnOp op) { return lowerReturn(op); })
      // Materialized at their first use (constants, fills, from_elements,
      // empty tensors); scalars feed them.
      .Case<arith::ConstantOp, linalg::FillOp, tensor::FromElementsOp,
            tensor::EmptyOp>([](Operation *) { return success(); })
      .Default([](Operation *op) {
        return op->emitOpError() << "is not supported by convert-cim-to-xbar";
      });
}

void Lowering::buildProgram() {
  MLIRContext *context = module.getContext();
  Location loc = func.getLoc();
  for (Operation &op : llvm::make_early_inc_range(*module.getBody()))
    op.erase();
  // The program carries what the cim attributes said (unit configuration).
  for (NamedAttribute attr : llvm::to_vector(module->getAttrs()))
    if (attr.getName().getValue().starts_with("cim."))
      module->removeAttr(attr.getName());
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto program = xbar::ProgramOp::create(
      builder, loc, xbar::UnitConfigAttr::get(context, config));
  builder.setInsertionPointToEnd(&program.getBody().front());
  for (const WeightRecord &weight : weights)
    xbar::WeightBlockOp::create(builder, weight.loc, weight.name, weight.value);
  for (const SymbolRecord &symbol : symbols)
    xbar::SymbolOp::create(builder, symbol.loc, symbol.name, symbol.kind,
                           symbol.type, xbar::MemorySpace::dram, symbol.address,
                           APFloat(1.0f));
  for (const InitRecord &init : inits)
    xbar::DramInitOp::create(builder, init.loc, init.address, init.value);
  for (const EmittedStream &stream : schedule->emit()) {
    OpBuilder::InsertionGuard guard(builder);
    auto core = xbar::CoreOp::create(builder, loc, stream.core.chip,
                                     stream.core.tile, stream.core.core);
    builder.setInsertionPointToEnd(&core.getBody().front());
    for (const EmittedInstruction &inst : stream.instructions) {
      StringRef block;
      if (inst.instruction.getOpcode() == isa::Opcode::Wprog)
        block = weights[inst.instruction.getWprog().block].name;
      xbar::createInstructionOp(builder,
                                inst.fromTask ? origins[inst.origin] : loc,
                                inst.instruction, block);
    }
  }
}

LogicalResult Lowering::run() {
  target = cim::TargetAttr::lookup(module);
  if (!target)
    return failure();
  if (failed(findFunction()) || failed(checkShapes()) ||
      failed(buildConfig()) || failed(collectWeights()))
    return failure();

  // Inputs first, in argument order.
  for (auto [index, arg] : llvm::enumerate(func.getArguments())) {
    RankedTensorType type = getSymbolType(arg.getType());
    if (!type)
      return func.emitOpError() << "argument #" << index << " of type "
                                << arg.getType() << " " << SymbolTypeRule;
    FailureOr<Storage> buffer = newBuffer(type, func);
    if (failed(buffer))
      return failure();
    storage[arg] = *buffer;
    buffers[buffer->buffer].pinned = true;
    symbols.push_back({"input" + std::to_string(index), xbar::SymbolKind::input,
                       type, buffer->view.address, func.getLoc()});
  }
  assignConcatHomes();
  for (Operation &op : func.getBody().front())
    if (failed(lower(&op)))
      return failure();
  if (useTileBuffers)
    placeInTileBuffers();
  schedule->assignLevels();
  buildProgram();
  return success();
}

/// Buffers that only the cores of one tile use move from DRAM to that tile's
/// buffer, first come first served until it is full; the rest stay in DRAM
/// (the spill). A buffer that the cores of one tile write and the cores of
/// another read moves to the reader's tile buffer: the writers' DMAs become
/// NoC `send`s and a task on the reading tile `recv`s them before any reader
/// runs. Inputs, outputs and constants stay in DRAM, where the host reads and
/// writes them.
void Lowering::placeInTileBuffers() {
  constexpr unsigned kNone = ~0u, kMany = ~0u - 1;
  auto tileOfCore = [&](unsigned core) { return core / config.cores; };
  auto merge = [&](unsigned &tile, unsigned mine) {
    tile = tile == kNone || tile == mine ? mine : kMany;
  };
  std::vector<unsigned> writerTile(buffers.size(), kNone),
      readerTile(buffers.size(), kNone), lastWriter(buffers.size(), 0),
      firstReader(buffers.size(), kNone);
  std::vector<Task> &tasks = schedule->getMutableTasks();
  for (auto [index, task] : llvm::enumerate(tasks)) {
    for (const Access &access : task.writes) {
      merge(writerTile[access.buffer], tileOfCore(task.core));
      lastWriter[access.buffer] = index;
    }
    for (const Access &access : task.reads) {
      merge(readerTile[access.buffer], tileOfCore(task.core));
      firstReader[access.buffer] =
          std::min<unsigned>(firstReader[access.buffer], index);
    }
  }
  // The buffer holding a DRAM address, if any.
  std::map<uint64_t, unsigned> byAddress; // DRAM start -> buffer id
  for (auto [id, info] : llvm::enumerate(buffers))
    if (info.bytes)
      byAddress[info.address] = id;
  auto bufferAt = [&](uint64_t address) -> std::optional<unsigned> {
    auto it = byAddress.upper_bound(address);
    if (it == byAddress.begin())
      return std::nullopt;
    --it;
    const BufferInfo &info = buffers[it->second];
    if (address >= info.address + info.bytes)
      return std::nullopt;
    return it->second;
  };
  // Sent buffers need every write to be a DMA from a scratchpad.
  std::vector<bool> writtenFromSpad(buffers.size(), true);
  for (const Task &task : tasks)
    for (const Instruction &inst : task.code) {
      if (inst.getOpcode() != isa::Opcode::Dma)
        continue;
      isa::DmaOperands ops = inst.getDma();
      if (ops.dstSpace == MemorySpace::Dram &&
          ops.srcSpace != MemorySpace::Spad)
        if (std::optional<unsigned> id = bufferAt(ops.dst))
          writtenFromSpad[*id] = false;
    }

  // The tile holding each moved buffer and its tile-buffer address.
  std::vector<unsigned> holder(buffers.size(), kNone);
  std::vector<uint64_t> tbufAddress(buffers.size(), 0);
  std::vector<bool> isSent(buffers.size(), false);
  std::map<unsigned, uint64_t> used;
  for (auto [id, info] : llvm::enumerate(buffers)) {
    unsigned writer = writerTile[id], reader = readerTile[id];
    if (info.pinned || info.bytes == 0 || writer == kMany || reader == kMany)
      continue;
    bool local = writer == kNone || reader == kNone || writer == reader;
    // A sent buffer is received after its last writer, so every reader
    // must come later (program order).
    if (!local && (!writtenFromSpad[id] || firstReader[id] <= lastWriter[id]))
      continue;
    unsigned tile = reader == kNone ? writer : reader;
    if (tile == kNone)
      continue;
    uint64_t &top = used[tile];
    uint64_t bytes = (info.bytes + 63) & ~uint64_t{63};
    if (top + bytes > config.tbufBytes)
      continue;
    holder[id] = tile;
    tbufAddress[id] = top;
    top += bytes;
    isSent[id] = !local;
  }
  if (used.empty())
    return;
  auto globalTile = [&](unsigned tile) {
    return schedule->getCoreAddress(tile * config.cores).getGlobalTile();
  };

  // Readers (and local writers) address the tile buffer; writers on another
  // tile send, and each (writer, buffer) gets the matching receptions.
  std::map<std::pair<unsigned, unsigned>, std::vector<Instruction>> received;
  uint32_t nextTag = 1;
  for (auto [taskIndex, task] : llvm::enumerate(tasks)) {
    unsigned tile = tileOfCore(task.core);
    std::vector<Instruction> code;
    code.reserve(task.code.size());
    for (const Instruction &inst : task.code) {
      if (inst.getOpcode() != isa::Opcode::Dma) {
        code.push_back(inst);
        continue;
      }
      isa::DmaOperands ops = inst.getDma();
      // A write into a buffer another tile holds: sends, row by row unless
      // both sides are contiguous.
      std::optional<unsigned> sentTo;
      if (ops.dstSpace == MemorySpace::Dram &&
          ops.srcSpace == MemorySpace::Spad)
        if (std::optional<unsigned> id = bufferAt(ops.dst); id && isSent[*id])
          sentTo = id;
      if (sentTo) {
        unsigned id = *sentTo;
        uint64_t at = tbufAddress[id] + (ops.dst - buffers[id].address);
        bool contiguous = ops.rows == 1 || (ops.srcStride == ops.rowBytes &&
                                            ops.dstStride == ops.rowBytes);
        unsigned pieces = contiguous ? 1 : ops.rows;
        uint32_t bytes = contiguous ? ops.rows * ops.rowBytes : ops.rowBytes;
        for (unsigned r = 0; r < pieces; ++r) {
          uint32_t tag = nextTag++;
          code.push_back(Instruction::send(
              MemorySpace::Spad, uint32_t(ops.src + r * ops.srcStride),
              globalTile(holder[id]), uint32_t(at + r * ops.dstStride), bytes,
              tag));
          received[{unsigned(taskIndex), id}].push_back(
              Instruction::recv(tag, globalTile(tile), bytes));
        }
        continue;
      }
      for (auto [space, address] : {std::make_pair(&ops.srcSpace, &ops.src),
                                    std::make_pair(&ops.dstSpace, &ops.dst)})
        if (*space == MemorySpace::Dram)
          if (std::optional<unsigned> id = bufferAt(*address);
              id && holder[*id] == tile) {
            *space = MemorySpace::Tbuf;
            *address = tbufAddress[*id] + (*address - buffers[*id].address);
          }
      code.push_back(Instruction::dma(ops.srcSpace, ops.dstSpace, ops.src,
                                      ops.dst, ops.rowBytes, ops.rows,
                                      ops.srcStride, ops.dstStride));
    }
    task.code = std::move(code);
  }
  if (received.empty())
    return;

  // A receiving task per writer of a sent buffer, right after the writer: it
  // reads the bytes the writer sends (so it comes after the writer) and
  // writes them (so their readers come after it, and readers of other rows
  // need not wait: the pipeline continues across tiles).
  std::map<unsigned, SmallVector<Task>> insertAfter;
  for (auto &[key, receptions] : received) {
    auto [writer, id] = key;
    Task recv;
    // On the first reader's core, which then needs no barrier after it.
    recv.core = tasks[firstReader[id]].core;
    recv.origin = tasks[writer].origin;
    recv.code = std::move(receptions);
    for (const Access &write : tasks[writer].writes)
      if (write.buffer == id) {
        recv.reads.push_back(write);
        recv.writes.push_back(write);
      }
    insertAfter[writer].push_back(std::move(recv));
  }
  std::vector<unsigned> newIndex(tasks.size());
  std::vector<Task> merged;
  merged.reserve(tasks.size() + received.size());
  for (unsigned t = 0; t < tasks.size(); ++t) {
    newIndex[t] = merged.size();
    merged.push_back(std::move(tasks[t]));
    auto it = insertAfter.find(t);
    if (it != insertAfter.end())
      for (Task &recv : it->second)
        merged.push_back(std::move(recv));
  }
  for (Task &task : merged)
    if (task.after)
      task.after = newIndex[*task.after];
  tasks = std::move(merged);
}

namespace {
struct ConvertCIMToXBarPass
    : public mho::impl::ConvertCIMToXBarBase<ConvertCIMToXBarPass> {
  using ConvertCIMToXBarBase::ConvertCIMToXBarBase;

  void runOnOperation() override {
    Lowering lowering(getOperation(), tileBuffers);
    if (failed(lowering.run()))
      signalPassFailure();
  }
};
} // namespace
