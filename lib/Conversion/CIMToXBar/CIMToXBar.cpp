//===- CIMToXBar.cpp - Schedule placed cim IR as xbar instruction streams -===//
//
// Lowers the entry function of a placed, quantized cim module to one
// xbar.program: a DRAM buffer per tensor (views alias), every compute op run
// out of scratchpads in row chunks (DMA in, compute, DMA out), weight blocks
// programmed where cim-place put them, and the cores synchronised by barriers
// between dependence levels. The policy is documented in docs/Compiler.md
// ("Scheduling and emission"); the MLIR-free half (views, DMA decomposition,
// levels, streams) is in Schedule.cpp.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

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

namespace {

/// The fewest rows a vector op gives one core (docs/Compiler.md).
constexpr int64_t kMinRowsPerCore = 8;

/// Bytes one element of `type` occupies in memory: f32/i32 4, i9..i16 and
/// f16/bf16 2, i2..i8 1 (narrow integers are held in a byte).
std::optional<unsigned> getElementBytes(Type type) {
  if (type.isF32())
    return 4;
  if (type.isF16() || type.isBF16())
    return 2;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width >= 2 && width <= 8)
      return 1;
    if (width > 8 && width <= 16)
      return 2;
    if (width > 16 && width <= 32)
      return 4;
  }
  return std::nullopt;
}

int64_t product(ArrayRef<int64_t> values) {
  int64_t result = 1;
  for (int64_t value : values)
    result *= value;
  return result;
}

/// Rows x cols reading of a shape: cols is the last dimension (1 for rank 0).
int64_t getRows(ArrayRef<int64_t> shape) {
  return shape.empty() ? 1 : product(shape.drop_back());
}
int64_t getCols(ArrayRef<int64_t> shape) {
  return shape.empty() ? 1 : shape.back();
}

/// A splat constant's value as an ISA immediate (f32 bits or i32).
std::optional<uint32_t> getSplatImmediate(Value value) {
  DenseElementsAttr dense;
  if (!matchPattern(value, m_Constant(&dense)) || !dense.isSplat())
    return std::nullopt;
  Type element = dense.getElementType();
  if (element.isF32())
    return isa::floatToBits(dense.getSplatValue<APFloat>().convertToFloat());
  if (element.isSignlessInteger(32))
    return static_cast<uint32_t>(dense.getSplatValue<APInt>().getSExtValue());
  return std::nullopt;
}

bool isZeroSplat(Value value) {
  DenseElementsAttr dense;
  return matchPattern(value, m_Constant(&dense)) && dense.isSplat() &&
         llvm::isa<IntegerType>(dense.getElementType()) &&
         dense.getSplatValue<APInt>().isZero();
}

/// The view with its dimensions from `from` on replaced by one of size 1
/// (the per-row values of a rows x cols reading).
View rowScalars(const View &view, size_t from) {
  View result = view;
  result.shape.resize(from);
  result.strides.resize(from);
  result.shape.push_back(1);
  result.strides.push_back(view.elementBytes);
  return result;
}

/// The view with trailing size-1 dimensions beyond `rank` dropped.
View dropTrailingUnitDims(const View &view, size_t rank) {
  View result = view;
  while (result.shape.size() > rank && result.shape.back() == 1) {
    result.shape.pop_back();
    result.strides.pop_back();
  }
  return result;
}

/// The view's last dimension alone.
View lastDim(const View &view) {
  View result = view;
  if (view.shape.empty()) {
    result.shape = {1};
    result.strides = {view.elementBytes};
    return result;
  }
  result.shape = {view.shape.back()};
  result.strides = {view.strides.back()};
  return result;
}

/// The 2-D view of batch element `index` of a [B..., M, N] view.
View batchElement(const View &view, int64_t index) {
  size_t batchDims = view.shape.size() - 2;
  View result = view;
  for (size_t d = batchDims; d-- > 0;) {
    result.address += (index % view.shape[d]) * view.strides[d];
    index /= view.shape[d];
  }
  result.shape.erase(result.shape.begin(), result.shape.begin() + batchDims);
  result.strides.erase(result.strides.begin(),
                       result.strides.begin() + batchDims);
  return result;
}

} // namespace

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

/// A weight block `value` for `place`; round-0 blocks are programmed at the
/// start of their core's stream. Returns its index, or failure (reported at
/// `op`) when the place is outside the target.
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

FailureOr<unsigned> Lowering::addWeightBlock(Operation *op,
                                             cim::PlaceAttr place,
                                             ElementsAttr value) {
  if (failed(checkPlace(op, place)))
    return failure();
  unsigned block = weights.size();
  weights.push_back({("w" + llvm::Twine(block)).str(), value, op->getLoc()});
  if (place.getRound() == 0)
    schedule->addInitialWeight(schedule->getCoreIndex(place.getChip(),
                                                      place.getTile(),
                                                      place.getCore()),
                               place.getUnit(), block);
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
      for (Attribute attr : *replicas) {
        auto copy = cast<cim::PlaceAttr>(attr);
        if (failed(checkPlace(tile, copy)))
          return WalkResult::interrupt();
        if (copy.getRound() == 0)
          schedule->addInitialWeight(schedule->getCoreIndex(copy.getChip(),
                                                            copy.getTile(),
                                                            copy.getCore()),
                                     copy.getUnit(), *block);
      }
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
  if (!xbar::getDataType(type.getElementType()) ||
      type.getRank() > isa::Symbol::MaxRank)
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

/// Scratchpad bytes of a kernel's blocks for n rows x w columns.
static int64_t kernelBytes(const RowKernel &kernel, int64_t n, int64_t w) {
  auto align = [](int64_t bytes) {
    return static_cast<int64_t>(SpadAllocator::align(bytes));
  };
  int64_t total = 0;
  for (const RowInput &input : kernel.inputs) {
    int64_t bytes = input.view.elementBytes;
    switch (input.kind) {
    case InputKind::Elem:
      total += align(n * w * bytes);
      break;
    case InputKind::PerRow:
      total += align(n * bytes);
      break;
    case InputKind::Col:
      total += align(w * bytes);
      break;
    }
  }
  for (const Temp &temp : kernel.temps)
    total += align(n * (temp.perRow + temp.perElement * w));
  for (const OnceTemp &temp : kernel.onceTemps)
    total += align(temp.fixed + temp.perCol * w);
  return total;
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
    if (part.count == 0)
      continue;
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
    Blocks addresses;
    for (const RowInput &input : kernel.inputs) {
      int64_t bytes = input.view.elementBytes;
      switch (input.kind) {
      case InputKind::Elem:
        bytes *= rows * width;
        break;
      case InputKind::PerRow:
        bytes *= rows;
        break;
      case InputKind::Col:
        bytes *= width;
        break;
      }
      addresses.in.push_back(spadAlloc.allocate(bytes));
    }
    for (const Temp &temp : kernel.temps)
      addresses.temp.push_back(
          spadAlloc.allocate(rows * (temp.perRow + temp.perElement * width)));
    for (const OnceTemp &temp : kernel.onceTemps)
      addresses.onceTemp.push_back(
          spadAlloc.allocate(temp.fixed + temp.perCol * width));

    auto load = [&](const View &view, int64_t first, int64_t count,
                    uint64_t at) {
      for (const View &piece : view.rowPieces(first, count)) {
        appendCopy(task.code, piece,
                   View::spad(at, piece.shape, piece.elementBytes));
        at += piece.getNumElements() * piece.elementBytes;
      }
    };
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
            load(input.view.columns(col, cols), first, count, addresses.in[i]);
          else if (input.kind == InputKind::PerRow)
            load(input.view, first, count, addresses.in[i]);
        }
        kernel.body(task.code, addresses, static_cast<uint32_t>(count),
                    static_cast<uint32_t>(cols));
        for (const RowOutput &output : kernel.outputs) {
          uint64_t at = output.fromTemp ? addresses.temp[output.index]
                                        : addresses.in[output.index];
          View view =
              output.wholeRows ? output.view : output.view.columns(col, cols);
          for (const View &piece : view.rowPieces(first, count)) {
            appendCopy(task.code,
                       View::spad(at, piece.shape, piece.elementBytes), piece);
            at += piece.getNumElements() * piece.elementBytes;
          }
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
  int64_t rows = product(shape.take_front(axis));
  int64_t cols = product(shape.drop_front(axis));
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
  // x, |x| (then q), and per row m/s, t, r, the block maximum.
  auto bytes = [](int64_t n, int64_t w) {
    return 2 * SpadAllocator::align(n * w * 4) +
           4 * SpadAllocator::align(n * 4);
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
  int64_t width = 1;
  while (width < cols && bytes(1, width + 1) <= config.spadBytes)
    ++width;
  int64_t blocks = (cols + width - 1) / width;
  width = (cols + blocks - 1) / blocks;
  for (const Part &part : distribute(rows)) {
    int64_t chunk = 1;
    while (chunk < part.count && bytes(chunk + 1, width) <= config.spadBytes)
      ++chunk;
    Task &task = addTask(part.core, op);
    task.reads = {in->buffer};
    task.writes = {q->buffer, s->buffer};
    SpadAllocator spadAlloc(config.spadBytes);
    uint32_t x = spadAlloc.allocate(chunk * width * 4);
    uint32_t a = spadAlloc.allocate(chunk * width * 4);
    uint32_t sc = spadAlloc.allocate(chunk * 4),
             t = spadAlloc.allocate(chunk * 4),
             r = spadAlloc.allocate(chunk * 4),
             m = spadAlloc.allocate(chunk * 4);
    auto copyRows = [&](const View &view, int64_t first, int64_t count,
                        uint32_t at, bool load) {
      for (const View &piece : view.rowPieces(first, count)) {
        View block = View::spad(at, piece.shape, piece.elementBytes);
        if (load)
          appendCopy(task.code, piece, block);
        else
          appendCopy(task.code, block, piece);
        at += piece.getNumElements() * piece.elementBytes;
      }
    };
    for (int64_t first = part.first; first < part.first + part.count;
         first += chunk) {
      int64_t count = std::min(chunk, part.first + part.count - first);
      auto n = static_cast<uint32_t>(count);
      for (int64_t col = 0; col < cols; col += width) {
        int64_t w = std::min(width, cols - col);
        auto c = static_cast<uint32_t>(w);
        copyRows(in->view.columns(col, w), first, count, x, true);
        task.code.push_back(
            Instruction::vecUnary(VecFn::Abs, DataType::F32, a, x, n, c));
        task.code.push_back(Instruction::vred(
            isa::ReduceKind::Max, DataType::F32, col == 0 ? sc : m, a, n, c));
        if (col != 0)
          task.code.push_back(Instruction::vecBinary(
              VecFn::Max, DataType::F32, Src2Mode::Elem, sc, sc, m, n, 1));
      }
      appendRowScales(task.code, sc, t, r, n, limit);
      copyRows(s->view, first, count, sc, false);
      for (int64_t col = 0; col < cols; col += width) {
        int64_t w = std::min(width, cols - col);
        auto c = static_cast<uint32_t>(w);
        copyRows(in->view.columns(col, w), first, count, x, true);
        task.code.push_back(
            Instruction::quant(to, a, x, n, c, 1.0f, 0, Src2Mode::PerRow, r));
        copyRows(q->view.columns(col, w), first, count, a, false);
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

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// Batch elements (and row blocks of each) spread over cores; per task, for
/// each block of N columns of b: b's block in, then per chunk of M rows: a's
/// rows in, dmm, result block out.
LogicalResult Lowering::lowerDMM(cim::DMMOp op) {
  if (!target.hasDMU())
    return op.emitOpError()
           << "needs the digital matrix unit, which the target does not "
              "have (dmu = false)";
  auto aType = cast<RankedTensorType>(op.getA().getType());
  auto bType = cast<RankedTensorType>(op.getB().getType());
  RankedTensorType type = cast<RankedTensorType>(op.getType());
  DataType dataType;
  int64_t bytes;
  if (aType.getElementType().isF32()) {
    dataType = DataType::F32;
    bytes = 4;
  } else if (aType.getElementType().isSignlessInteger(8) &&
             bType.getElementType().isSignlessInteger(8)) {
    dataType = DataType::I8;
    bytes = 1;
  } else {
    return op.emitOpError()
           << "on " << aType.getElementType() << " x " << bType.getElementType()
           << " is not supported: the digital matrix unit "
              "multiplies f32 or i8";
  }
  ArrayRef<int64_t> shape = type.getShape();
  int64_t m = shape[shape.size() - 2], n = shape.back();
  int64_t k = aType.getShape().back();
  int64_t batch = product(shape.drop_back(2));
  bool transposeB = op.getTransposeB();
  if (m == 0 || n == 0 || batch == 0)
    return success();

  // Chunk sizes: rowsA rows of a (at most a core's share of the rows) and
  // colsB columns of b, chosen for the fewest dmm instructions per share
  // (ties: the most columns, so b is loaded the fewest times).
  int64_t spad = config.spadBytes;
  auto fits = [&](int64_t rowsA, int64_t colsB) {
    return SpadAllocator::align(rowsA * k * bytes) +
               SpadAllocator::align(colsB * k * bytes) +
               SpadAllocator::align(rowsA * colsB * 4) <=
           static_cast<uint64_t>(spad);
  };
  if (!fits(1, 1))
    return op.emitOpError()
           << "needs " << 2 * k * bytes + 4
           << " bytes of scratchpad for one row of a, one column of b and "
              "one result (K = "
           << k << ") but the target's spad_bytes is " << spad;
  int64_t share = distribute(batch * m).front().count;
  share = std::min(share, m);
  int64_t colsB = 1, rowsA = 1, best = std::numeric_limits<int64_t>::max();
  for (int64_t cb = 1; cb <= n; ++cb) {
    if (!fits(1, cb))
      break;
    int64_t ra = 1;
    int64_t lo = 1, hi = share + 1;
    while (lo + 1 < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      (fits(mid, cb) ? lo : hi) = mid;
    }
    ra = lo;
    int64_t cost = ((n + cb - 1) / cb) * ((share + ra - 1) / ra);
    if (cost <= best) {
      best = cost;
      colsB = cb;
      rowsA = ra;
    }
  }

  FailureOr<Storage> a = storageOf(op.getA(), op);
  FailureOr<Storage> b = storageOf(op.getB(), op);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();

  // The result's rows (batch x M) split as every row-wise op's; a part
  // covers whole or partial matrices of the batch.
  for (const Part &part : distribute(batch * m)) {
    Task &task = addTask(part.core, op);
    task.reads = {a->buffer, b->buffer};
    task.writes = {out->buffer};
    SpadAllocator spadAlloc(config.spadBytes);
    int64_t rowsHere = std::min(rowsA, part.count);
    uint32_t aBlock = spadAlloc.allocate(rowsHere * k * bytes);
    uint32_t bBlock = spadAlloc.allocate(colsB * k * bytes);
    uint32_t oBlock = spadAlloc.allocate(rowsHere * colsB * 4);
    std::pair<uint64_t, int64_t> loadedA = {~uint64_t{0}, 0};
    for (int64_t row = part.first; row < part.first + part.count;) {
      int64_t e = row / m, first = row % m;
      int64_t count = std::min(m - first, part.first + part.count - row);
      row += count;
      View aView = batchElement(a->view, e), bView = batchElement(b->view, e);
      View outView = batchElement(out->view, e);
      for (int64_t n0 = 0; n0 < n; n0 += colsB) {
        int64_t cn = std::min(colsB, n - n0);
        View bPart = transposeB ? bView.sliced({n0, 0}, {cn, k}, {1, 1})
                                : bView.sliced({0, n0}, {k, cn}, {1, 1});
        appendCopy(task.code, bPart,
                   View::spad(bBlock, bPart.shape, bPart.elementBytes));
        for (int64_t m0 = first; m0 < first + count; m0 += rowsHere) {
          int64_t cm = std::min(rowsHere, first + count - m0);
          View aPart = aView.sliced({m0, 0}, {cm, k}, {1, 1});
          // The rows of a stay in the scratchpad across blocks of b.
          if (loadedA != std::make_pair(aPart.address, cm)) {
            appendCopy(task.code, aPart,
                       View::spad(aBlock, aPart.shape, aPart.elementBytes));
            loadedA = {aPart.address, cm};
          }
          task.code.push_back(Instruction::dmm(
              dataType, oBlock, aBlock, bBlock, static_cast<uint32_t>(cm),
              static_cast<uint32_t>(k), static_cast<uint32_t>(cn), transposeB));
          View oPart = outView.sliced({m0, n0}, {cm, cn}, {1, 1});
          appendCopy(task.code, View::spad(oBlock, oPart.shape, 4), oPart);
        }
      }
    }
  }
  return success();
}

/// A chain of cim.mvm_tile (each adding to the previous one's partial sums)
/// is lowered at its last tile. Its tiles are grouped by core: each group
/// runs on its core, chunk by chunk over the input rows, accumulating in one
/// scratchpad block with `mvm {accumulate}`. One group writes the result;
/// several write i32 partial sums to DRAM that a row kernel adds with
/// `vec add i32`.
LogicalResult Lowering::lowerMVMTile(cim::MVMTileOp op) {
  // Not the last tile of its chain: the next one lowers the chain.
  if (op.getChainSuccessor())
    return success();
  SmallVector<cim::MVMTileOp> chain = {op};
  while (cim::MVMTileOp previous = chain.back().getChainPredecessor())
    chain.push_back(previous);
  std::reverse(chain.begin(), chain.end());
  Value initial = chain.front().getAcc();
  bool hasInitial = !isZeroSplat(initial);

  // Groups: tiles of one core, split where a unit would be reprogrammed
  // inside the group (rounds), so that no chunk loop reprograms; one set of
  // groups per copy of the chain (cim-place replicate). Copies with another
  // group structure than the first are not used.
  struct Group {
    unsigned core;
    SmallVector<std::pair<cim::MVMTileOp, cim::PlaceAttr>> tiles;
  };
  auto groupsOf = [&](unsigned copy) {
    SmallVector<Group> groups;
    for (cim::MVMTileOp tile : chain) {
      cim::PlaceAttr place =
          copy == 0 ? tile.getPlaceAttr()
                    : cast<cim::PlaceAttr>((*tile.getReplicas())[copy - 1]);
      unsigned core = schedule->getCoreIndex(place.getChip(), place.getTile(),
                                             place.getCore());
      Group *group = nullptr;
      for (Group &candidate : groups)
        if (candidate.core == core &&
            llvm::none_of(candidate.tiles, [&](const auto &other) {
              return other.second.getUnit() == place.getUnit();
            }))
          group = &candidate;
      if (!group) {
        groups.push_back({core, {}});
        group = &groups.back();
      }
      group->tiles.push_back({tile, place});
    }
    return groups;
  };
  size_t copies = std::numeric_limits<size_t>::max();
  for (cim::MVMTileOp tile : chain) {
    std::optional<ArrayAttr> replicas = tile.getReplicas();
    copies = std::min(copies, 1 + (replicas ? replicas->size() : 0));
  }
  SmallVector<SmallVector<Group>> groupsByCopy = {groupsOf(0)};
  auto sameTiles = [](const Group &a, const Group &b) {
    return llvm::equal(a.tiles, b.tiles, [](const auto &x, const auto &y) {
      return x.first == y.first;
    });
  };
  for (unsigned copy = 1; copy < copies; ++copy) {
    SmallVector<Group> groups = groupsOf(copy);
    // The partial sums are per group: a copy must group the same tiles.
    if (!llvm::equal(groups, groupsByCopy.front(), sameTiles))
      break;
    groupsByCopy.push_back(std::move(groups));
  }

  RankedTensorType resultType = op.getType();
  int64_t rows = getRows(resultType.getShape());
  int64_t cols = getCols(resultType.getShape());
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(out))
    return failure();
  std::optional<Storage> init;
  if (hasInitial) {
    FailureOr<Storage> value = storageOf(initial, chain.front());
    if (failed(value))
      return failure();
    init = *value;
  }

  SmallVector<Storage> partials;
  size_t numGroups = groupsByCopy.front().size();
  for (size_t index = 0; index < numGroups; ++index) {
    Storage dst = *out;
    if (numGroups > 1) {
      FailureOr<Storage> partial = newBuffer(resultType, op);
      if (failed(partial))
        return failure();
      dst = *partial;
      partials.push_back(dst);
    }
    const Group &first = groupsByCopy.front()[index];
    int64_t maxRows = 0;
    for (auto [tile, place] : first.tiles)
      maxRows = std::max(
          maxRows,
          cast<RankedTensorType>(tile.getWeight().getType()).getDimSize(0));
    auto bytes = [&](int64_t vectors) {
      return SpadAllocator::align(vectors * maxRows) +
             SpadAllocator::align(vectors * cols * 4);
    };
    if (bytes(1) > config.spadBytes)
      return cim::MVMTileOp(first.tiles.front().first).emitOpError()
             << "needs " << bytes(1)
             << " bytes of scratchpad for one input vector (" << maxRows
             << " i8 inputs, " << cols << " i32 sums, 4-byte aligned) but "
             << "the target's spad_bytes is " << config.spadBytes;
    int64_t chunk = 1;
    while (chunk < rows && bytes(chunk + 1) <= config.spadBytes)
      ++chunk;
    bool loadInitial = init && index == 0;
    SmallVector<Storage> inputs;
    SmallVector<View> blockInputs; // the rows of x each tile reads
    for (auto [tile, place] : first.tiles) {
      FailureOr<Storage> x = storageOf(tile.getInput(), tile);
      if (failed(x))
        return failure();
      inputs.push_back(*x);
      int64_t blockRows =
          cast<RankedTensorType>(tile.getWeight().getType()).getDimSize(0);
      SmallVector<int64_t> offsets(x->view.shape.size(), 0),
          sizes(x->view.shape), steps(x->view.shape.size(), 1);
      offsets.back() = tile.getRowOffset();
      sizes.back() = blockRows;
      blockInputs.push_back(x->view.sliced(offsets, sizes, steps));
    }
    SpadAllocator spadAlloc(config.spadBytes);
    uint32_t xBlock = spadAlloc.allocate(chunk * maxRows);
    uint32_t accBlock = spadAlloc.allocate(chunk * cols * 4);
    // One task per chunk of rows, each a level after the previous chunk of
    // the same copy: the chunks form a pipeline, and the next layer's work on
    // a chunk (which depends only on its rows) runs beside this layer's next
    // chunk. Chunks go to the copies in turn.
    SmallVector<std::optional<unsigned>> previous(groupsByCopy.size());
    for (int64_t first = 0, i = 0; first < rows; first += chunk, ++i) {
      int64_t count = std::min(chunk, rows - first);
      unsigned copy = static_cast<unsigned>(i % groupsByCopy.size());
      const Group &group = groupsByCopy[copy][index];
      Task &task =
          addTask(group.core, cim::MVMTileOp(group.tiles.back().first));
      task.after = previous[copy];
      previous[copy] = schedule->getTasks().size() - 1;
      task.writes.push_back(rowsOf(dst.view, dst.buffer, first, count));
      if (loadInitial)
        task.reads.push_back(rowsOf(init->view, init->buffer, first, count));
      for (auto [x, view] : llvm::zip_equal(inputs, blockInputs))
        task.reads.push_back(rowsOf(view, x.buffer, first, count));
      bool accumulate = false;
      auto load = [&](const View &view, uint32_t at) {
        for (const View &piece : view.rowPieces(first, count)) {
          appendCopy(task.code, piece,
                     View::spad(at, piece.shape, piece.elementBytes));
          at += piece.getNumElements() * piece.elementBytes;
        }
      };
      if (loadInitial) {
        load(init->view, accBlock);
        accumulate = true;
      }
      for (auto [entry, view] : llvm::zip_equal(group.tiles, blockInputs)) {
        auto [tile, place] = entry;
        auto unit = static_cast<uint8_t>(place.getUnit());
        int64_t blockRows =
            cast<RankedTensorType>(tile.getWeight().getType()).getDimSize(0);
        task.code.push_back(Instruction::wprog(unit, blockOf[tile]));
        load(view, xBlock);
        task.code.push_back(Instruction::mvm(
            unit, xBlock, accBlock, static_cast<uint32_t>(count),
            static_cast<uint32_t>(blockRows), static_cast<uint32_t>(cols * 4),
            accumulate));
        accumulate = true;
      }
      uint32_t at = accBlock;
      for (const View &piece : dst.view.rowPieces(first, count)) {
        appendCopy(task.code, View::spad(at, piece.shape, 4), piece);
        at += piece.getNumElements() * 4;
      }
    }
  }
  if (partials.empty())
    return success();

  RowKernel kernel;
  kernel.op = op;
  kernel.rows = rows;
  kernel.cols = cols;
  kernel.columnwise = true;
  for (const Storage &partial : partials)
    kernel.inputs.push_back({partial.view, partial.buffer, InputKind::Elem});
  kernel.outputs.push_back({out->view, out->buffer, false, 0});
  size_t count = partials.size();
  kernel.body = [=](Code &code, const Blocks &b, uint32_t n, uint32_t c) {
    for (size_t i = 1; i < count; ++i)
      code.push_back(Instruction::vecBinary(VecFn::Add, DataType::I32,
                                            Src2Mode::Elem, b.in[0], b.in[0],
                                            b.in[i], n, c));
  };
  return runKernel(kernel);
}

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

/// `view` (of the slice's full rank) reshaped to `shape` by dropping the
/// size-1 dimensions a rank-reducing slice drops.
static View dropUnitDims(const View &view, ArrayRef<int64_t> shape) {
  if (view.shape.size() == shape.size())
    return view;
  View result = view;
  result.shape.clear();
  result.strides.clear();
  size_t next = 0;
  for (size_t d = 0; d < view.shape.size(); ++d) {
    if (next < shape.size() && view.shape[d] == shape[next] &&
        (view.shape[d] != 1 ||
         view.shape.size() - d - 1 < shape.size() - next)) {
      result.shape.push_back(view.shape[d]);
      result.strides.push_back(view.strides[d]);
      ++next;
    }
  }
  return result;
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
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !xbar::getDataType(type.getElementType()) ||
        type.getRank() > isa::Symbol::MaxRank)
      return op.emitOpError()
             << "result #" << index << " of type " << value.getType()
             << " cannot be an image symbol (element types i8, i16, i32, "
                "f32, bf16, f16; rank <= 6)";
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
    auto func = op->getParentOfType<func::FuncOp>();
    if (auto origin = func.getResultAttrOfType<StringAttr>(index, "mho.name"))
      name += ":" + origin.str();
    buffers[where.buffer].pinned = true;
    symbols.push_back({name, xbar::SymbolKind::output, type,
                       where.view.address, op.getLoc()});
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
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !xbar::getDataType(type.getElementType()) ||
        type.getRank() > isa::Symbol::MaxRank)
      return func.emitOpError()
             << "argument #" << index << " of type " << arg.getType()
             << " cannot be an image symbol (element types i8, i16, i32, "
                "f32, bf16, f16; rank <= 6)";
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
