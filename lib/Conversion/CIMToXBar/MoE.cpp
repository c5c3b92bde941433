//===- MoE.cpp - Mixture-of-experts ops of convert-cim-to-xbar -----------===//
//
// cim.moe_dispatch is one `vdispatch`. cim.moe_mvm runs, for each expert and
// column block of its weight, only the expert's routed slots: their input
// rows are gathered (`vgather`), multiplied on the expert's units by `mvm`
// with `count_indirect` (the count is the dispatch's, read at run time), the
// partial sums of a chain split over cores added, dequantized with the
// expert's channel scales and the slots' row scales, and stored compactly;
// one task per column block then scatters every expert's rows to their
// slots (`vscatter`). cim.moe_combine weights and sums each token's slots in
// slot order. docs/Compiler.md, "Mixture of experts", states the schedule.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "LoweringUtils.h"

#include "mho/Dialect/CIM/Transforms/WeightConstants.h"

using namespace mlir;
using namespace mho;
using namespace mho::cimtoxbar;
using isa::DataType;
using isa::Src2Mode;
using isa::VecFn;

namespace {

/// Row `row` of a 2-D view, as a 1 x cols view.
View rowOf(const View &view, int64_t row) {
  return view.sliced({row, 0}, {1, view.shape[1]}, {1, 1});
}

} // namespace

LogicalResult Lowering::collectExpertWeights(cim::MoEMVMOp op) {
  std::optional<ArrayAttr> places = op.getPlaces();
  if (!places)
    return op.emitOpError() << "has no places; run --cim-place first";
  Attribute attr;
  if (!matchPattern(op.getWeight(), m_Constant(&attr)))
    return op.emitOpError() << "weight is not a constant; expert weight "
                               "blocks must be known at compile time";
  std::string problem;
  std::optional<cim::IntegerConstant> constant =
      cim::readIntegerConstant(attr, problem);
  if (!constant)
    return op.emitOpError()
           << (problem.empty() ? "weight constant cannot be read" : problem);
  RankedTensorType type = op.getWeight().getType();
  int64_t k = type.getDimSize(1), n = type.getDimSize(2);
  int64_t rows = op.getRows(), cols = op.getCols();
  firstExpertBlock[op] = weights.size();
  unsigned index = 0;
  for (int64_t e = 0; e < type.getDimSize(0); ++e)
    for (int64_t c0 = 0; c0 < n; c0 += cols)
      for (int64_t r0 = 0; r0 < k; r0 += rows) {
        int64_t rn = std::min(rows, k - r0), cn = std::min(cols, n - c0);
        auto blockType = RankedTensorType::get({rn, cn}, type.getElementType());
        auto value = cast<ElementsAttr>(
            cim::getConstantBlock(*constant, blockType, /*offset=*/e * k * n, n,
                                  r0, c0, "expert_block"));
        auto place = cast<cim::PlaceAttr>((*places)[index++]);
        if (failed(addWeightBlock(op, place, value)))
          return failure();
      }
  return success();
}

LogicalResult Lowering::lowerMoEDispatch(cim::MoEDispatchOp op) {
  FailureOr<Storage> indices = storageOf(op.getIndices(), op);
  FailureOr<Storage> lists = resultStorage(op.getLists(), op);
  FailureOr<Storage> counts = resultStorage(op.getCounts(), op);
  if (failed(indices) || failed(lists) || failed(counts))
    return failure();
  int64_t entries = op.getIndices().getType().getNumElements();
  int64_t experts = op.getExperts();
  // The task's blocks: the routing entries, the lists and the counts.
  struct DispatchBlocks {
    uint32_t src, lists, counts;
  };
  auto layout = [&](SpadAllocator &spad) {
    DispatchBlocks blocks;
    blocks.src = spad.allocate(4 * entries);
    blocks.lists = spad.allocate(4 * experts * entries);
    blocks.counts = spad.allocate(4 * experts);
    return blocks;
  };
  uint64_t bytes = SpadAllocator::measure(layout);
  if (bytes > config.spadBytes)
    return op.emitOpError()
           << "needs " << bytes << " bytes of scratchpad for its " << entries
           << " routing entries and " << experts
           << " expert lists, but the target's spad_bytes is "
           << config.spadBytes;
  Task &task = addTask(0, op);
  task.reads.push_back(indices->buffer);
  task.writes.push_back(lists->buffer);
  task.writes.push_back(counts->buffer);
  SpadAllocator spad(config.spadBytes);
  auto [src, listsAt, countsAt] = layout(spad);
  appendCopy(task.code, indices->view, View::spad(src, indices->view.shape, 4));
  task.code.push_back(Instruction::vdispatch(
      listsAt, countsAt, src, static_cast<uint32_t>(entries),
      static_cast<uint32_t>(experts), static_cast<uint32_t>(entries)));
  appendCopy(task.code, View::spad(listsAt, lists->view.shape, 4), lists->view);
  appendCopy(task.code, View::spad(countsAt, counts->view.shape, 4),
             counts->view);
  return success();
}

/// What the parts of a cim.moe_mvm's lowering share: its shapes, its
/// operands in slot-major form, and the scratchpad budget of its tasks.
struct Lowering::MoEOperands {
  cim::MoEMVMOp op;
  int64_t experts, k, n, s, rows, cols, rowBlocks, colBlocks;
  /// The units of every (expert, column block, row block).
  ArrayAttr places;
  /// Slot-major inputs and row scales ([S, K], [S, 1]).
  Storage xs, ss;
  Storage wScales, lists, counts, out;
  /// The dispatch's counts as [E, 1]; the result as [S, N].
  View countsView, outRows;
  unsigned xBytes;
  int64_t maxRows, maxCols;

  cim::PlaceAttr placeOf(int64_t e, int64_t cb, int64_t rb) const {
    return cast<cim::PlaceAttr>(
        places[cim::MoEMVMOp(op).getBlockIndex(e, cb, rb)]);
  }
  /// The scratchpad blocks of an expert task over chunks of m slots.
  struct TaskBlocks {
    uint32_t count, chunkCount, list, src, gathered, acc, tmp, scaleSrc, scale,
        channel;
  };
  /// The count, the chunk's count, the list, one row block of every slot's
  /// input (the gather source), the chunk's gathered inputs and sums (twice
  /// when a chain's partial sums are added), every slot's row scale, the
  /// chunk's, and the channel scales.
  TaskBlocks allocateTask(SpadAllocator &spad, int64_t m, bool split) const {
    TaskBlocks blocks;
    blocks.count = spad.allocate(4);
    blocks.chunkCount = spad.allocate(4);
    blocks.list = spad.allocate(4 * s);
    blocks.src = spad.allocate(s * maxRows * xBytes);
    blocks.gathered = spad.allocate(m * maxRows * xBytes);
    blocks.acc = spad.allocate(4 * m * maxCols);
    blocks.tmp = split ? spad.allocate(4 * m * maxCols) : 0;
    blocks.scaleSrc = spad.allocate(4 * s);
    blocks.scale = spad.allocate(4 * m);
    blocks.channel = spad.allocate(4 * maxCols);
    return blocks;
  }
  /// Scratchpad bytes of an expert task over chunks of m slots.
  int64_t taskBytes(int64_t m, bool split) const {
    return static_cast<int64_t>(SpadAllocator::measure(
        [&](SpadAllocator &spad) { allocateTask(spad, m, split); }));
  }
  /// The largest chunk (halving from all slots) whose task fits; 0 if none.
  int64_t chunkRows(bool split, uint64_t spadBytes) const {
    int64_t m = s;
    while (m > 1 && uint64_t(taskBytes(m, split)) > spadBytes)
      m = (m + 1) / 2;
    return uint64_t(taskBytes(m, split)) <= spadBytes ? m : 0;
  }
  /// The scatter holds the count, the list and two blocks of slots x width:
  /// the scattered rows and an expert's rows.
  struct ScatterBlocks {
    uint32_t count, list, block, rows;
  };
  ScatterBlocks allocateScatter(SpadAllocator &spad, int64_t width) const {
    ScatterBlocks blocks;
    blocks.count = spad.allocate(4);
    blocks.list = spad.allocate(4 * s);
    blocks.block = spad.allocate(4 * s * width);
    blocks.rows = spad.allocate(4 * s * width);
    return blocks;
  }
  int64_t scatterBytes(int64_t width) const {
    return static_cast<int64_t>(SpadAllocator::measure(
        [&](SpadAllocator &spad) { allocateScatter(spad, width); }));
  }
};

FailureOr<Storage> Lowering::slotMajor(cim::MoEMVMOp op, const Storage &value,
                                       int64_t width, Type element) {
  RankedTensorType resultType = op.getType();
  int64_t tokens = resultType.getDimSize(0), slots = resultType.getDimSize(1);
  int64_t s = tokens * slots;
  bool perToken = value.view.getRank() == 2;
  if (!perToken)
    if (std::optional<View> view = value.view.reshaped({s, width}))
      return Storage{*view, value.buffer};
  FailureOr<Storage> slotwise =
      newBuffer(RankedTensorType::get({s, width}, element), op);
  if (failed(slotwise))
    return failure();
  View all = *slotwise->view.reshaped({tokens, slots, width});
  for (int64_t j = 0; j < (perToken ? slots : 1); ++j) {
    View dst = all;
    if (perToken)
      dst = dropUnitDims(all.sliced({0, j, 0}, {tokens, 1, width}, {1, 1, 1}),
                         {tokens, width});
    if (failed(copy(op, value.view, value.buffer, dst, slotwise->buffer)))
      return failure();
  }
  return slotwise;
}

LogicalResult Lowering::lowerMoEMVM(cim::MoEMVMOp op) {
  RankedTensorType weightType = op.getWeight().getType();
  RankedTensorType resultType = op.getType();
  MoEOperands moe{op};
  moe.experts = weightType.getDimSize(0);
  moe.k = weightType.getDimSize(1);
  moe.n = weightType.getDimSize(2);
  moe.s = resultType.getDimSize(0) * resultType.getDimSize(1);
  moe.rows = op.getRows();
  moe.cols = op.getCols();
  moe.rowBlocks = op.getRowBlocks();
  moe.colBlocks = op.getColBlocks();
  moe.places = *op.getPlaces();

  FailureOr<Storage> x = storageOf(op.getInput(), op);
  FailureOr<Storage> xScales = storageOf(op.getInputScales(), op);
  FailureOr<Storage> wScales = storageOf(op.getWeightScales(), op);
  FailureOr<Storage> lists = storageOf(op.getLists(), op);
  FailureOr<Storage> counts = storageOf(op.getCounts(), op);
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(x) || failed(xScales) || failed(wScales) || failed(lists) ||
      failed(counts) || failed(out))
    return failure();
  moe.xBytes = x->view.elementBytes;
  moe.wScales = *wScales;
  moe.lists = *lists;
  moe.counts = *counts;
  moe.out = *out;

  // A per-token input is copied once per slot, so that every expert gathers
  // by slot.
  FailureOr<Storage> xs =
      slotMajor(op, *x, moe.k, op.getInput().getType().getElementType());
  FailureOr<Storage> ss = slotMajor(
      op, *xScales, 1, op.getInputScales().getType().getElementType());
  if (failed(xs) || failed(ss))
    return failure();
  moe.xs = *xs;
  moe.ss = *ss;

  moe.countsView = counts->view;
  moe.countsView.shape = {moe.experts, 1};
  moe.countsView.strides = {counts->view.strides[0], 4};
  // A moe_mvm result is never a region of a concat (writesAnyView).
  std::optional<View> outRows = out->view.reshaped({moe.s, moe.n});
  assert(outRows && "a moe_mvm result has a buffer of its own");
  moe.outRows = *outRows;

  // Slots are processed in chunks; a chunk's count is the part of the
  // expert's run-time count that falls into it.
  moe.maxRows = std::min(moe.rows, moe.k);
  moe.maxCols = std::min(moe.cols, moe.n);
  if (uint64_t(moe.scatterBytes(1)) > config.spadBytes)
    return op.emitOpError()
           << "needs " << moe.scatterBytes(1)
           << " bytes of scratchpad to scatter one column of " << moe.s
           << " slots, but the target's spad_bytes is " << config.spadBytes;
  if (moe.chunkRows(/*split=*/true, config.spadBytes) == 0)
    return op.emitOpError()
           << "needs " << moe.taskBytes(1, true)
           << " bytes of scratchpad for one slot of an expert (" << moe.s
           << " slots' inputs of a " << moe.maxRows << "-row block, "
           << moe.maxCols << " columns), but the target's spad_bytes is "
           << config.spadBytes;

  SmallVector<Storage> expertOut;
  for (int64_t e = 0; e < moe.experts; ++e)
    for (int64_t cb = 0; cb < moe.colBlocks; ++cb) {
      FailureOr<Storage> result = lowerExpertColumns(moe, e, cb);
      if (failed(result))
        return failure();
      expertOut.push_back(*result);
    }
  scatterExpertRows(moe, expertOut);
  return success();
}

FailureOr<Storage> Lowering::lowerExpertColumns(const MoEOperands &moe,
                                                int64_t e, int64_t cb) {
  cim::MoEMVMOp op = moe.op;
  const int64_t s = moe.s, rows = moe.rows, k = moe.k;
  const unsigned xBytes = moe.xBytes;
  int64_t c0 = cb * moe.cols, cn = std::min(moe.cols, moe.n - c0);
  // The chain's blocks (row blocks), grouped by core. Blocks of a core that
  // share a unit stay in one group: the task programs each block's unit
  // before its mvm in every chunk.
  SmallVector<cim::PlaceAttr> places;
  for (int64_t rb = 0; rb < moe.rowBlocks; ++rb)
    places.push_back(moe.placeOf(e, cb, rb));
  SmallVector<CoreGroup> groups =
      groupByCore(places, /*splitAtReusedUnit=*/false);
  bool split = groups.size() > 1;
  int64_t m = moe.chunkRows(split, config.spadBytes);
  FailureOr<Storage> result = newBuffer(
      RankedTensorType::get({s, cn}, Float32Type::get(op.getContext())), op);
  if (failed(result))
    return failure();

  SpadAllocator spad(config.spadBytes);
  const MoEOperands::TaskBlocks blocks = moe.allocateTask(spad, m, split);
  const uint32_t countAt = blocks.count, chunkCountAt = blocks.chunkCount,
                 listAt = blocks.list, srcAt = blocks.src,
                 gatheredAt = blocks.gathered, accAt = blocks.acc,
                 tmpAt = blocks.tmp, scaleSrcAt = blocks.scaleSrc,
                 scaleAt = blocks.scale, channelAt = blocks.channel;

  auto loadRouting = [&](Task &task) {
    task.reads.push_back(moe.lists.buffer);
    task.reads.push_back(moe.counts.buffer);
    appendCopy(task.code, rowOf(moe.countsView, e),
               View::spad(countAt, {1, 1}, 4));
    appendCopy(task.code, rowOf(moe.lists.view, e),
               View::spad(listAt, {1, s}, 4));
  };
  // The chunk's count: clamp(count - first, 0, m).
  auto chunkCount = [&](Task &task, int64_t first) {
    task.code.push_back(Instruction::vecBinaryImmI32(
        VecFn::Sub, chunkCountAt, countAt, static_cast<int32_t>(first), 1, 1));
    task.code.push_back(Instruction::vecBinaryImmI32(VecFn::Max, chunkCountAt,
                                                     chunkCountAt, 0, 1, 1));
    task.code.push_back(Instruction::vecBinaryImmI32(
        VecFn::Min, chunkCountAt, chunkCountAt, static_cast<int32_t>(m), 1, 1));
  };
  auto loadScales = [&](Task &task) {
    task.reads.push_back(moe.ss.buffer);
    task.reads.push_back(moe.wScales.buffer);
    task.writes.push_back(result->buffer);
    appendCopy(task.code, moe.ss.view, View::spad(scaleSrcAt, {s, 1}, 4));
    appendCopy(task.code, rowOf(moe.wScales.view, e).columns(c0, cn),
               View::spad(channelAt, {1, cn}, 4));
  };
  // Sums of slots [first, first + mc) to f32 in `result`.
  auto epilogue = [&](Task &task, int64_t first, int64_t mc) {
    task.code.push_back(Instruction::vgather(
        scaleAt, scaleSrcAt, listAt + static_cast<uint32_t>(4 * first),
        chunkCountAt, 4, /*countIndirect=*/true));
    task.code.push_back(Instruction::dequant(
        accAt, accAt, 1.0f, static_cast<uint32_t>(mc),
        static_cast<uint32_t>(cn), Src2Mode::PerCol, channelAt));
    task.code.push_back(Instruction::vecBinary(
        VecFn::Mul, DataType::F32, Src2Mode::PerRow, accAt, accAt, scaleAt,
        static_cast<uint32_t>(mc), static_cast<uint32_t>(cn)));
    appendCopy(task.code, View::spad(accAt, {mc, cn}, 4),
               result->view.sliced({first, 0}, {mc, cn}, {1, 1}));
  };

  SmallVector<Storage> partials;
  for (const CoreGroup &group : groups) {
    Task &task = addTask(group.core, op);
    loadRouting(task);
    task.reads.push_back(moe.xs.buffer);
    if (!split)
      loadScales(task);
    Storage partial;
    if (split) {
      FailureOr<Storage> buffer = newBuffer(
          RankedTensorType::get({s, cn}, IntegerType::get(op.getContext(), 32)),
          op);
      if (failed(buffer))
        return failure();
      partial = *buffer;
      partials.push_back(partial);
      task.writes.push_back(partial.buffer);
    }
    // A single row block's gather source is loaded once for all chunks.
    bool sourceOnce = group.blocks.size() == 1;
    auto loadSource = [&](int64_t rb) {
      int64_t r0 = rb * rows, rn = std::min(rows, k - r0);
      appendCopy(task.code, moe.xs.view.columns(r0, rn),
                 View::spad(srcAt, {s, rn}, xBytes));
    };
    if (sourceOnce)
      loadSource(group.blocks.front());
    for (int64_t first = 0; first < s; first += m) {
      int64_t mc = std::min(m, s - first);
      chunkCount(task, first);
      bool accumulate = false;
      for (int64_t rb : group.blocks) {
        int64_t rn = std::min(rows, k - rb * rows);
        auto unit = static_cast<uint8_t>(moe.placeOf(e, cb, rb).getUnit());
        if (!sourceOnce)
          loadSource(rb);
        task.code.push_back(Instruction::vgather(
            gatheredAt, srcAt, listAt + static_cast<uint32_t>(4 * first),
            chunkCountAt, static_cast<uint32_t>(rn * xBytes),
            /*countIndirect=*/true));
        task.code.push_back(Instruction::wprog(
            unit, firstExpertBlock[op] + op.getBlockIndex(e, cb, rb)));
        task.code.push_back(Instruction::mvm(
            unit, gatheredAt, accAt, chunkCountAt,
            static_cast<uint32_t>(rn * xBytes), static_cast<uint32_t>(cn * 4),
            accumulate, /*countIndirect=*/true));
        accumulate = true;
      }
      if (split)
        appendCopy(task.code, View::spad(accAt, {mc, cn}, 4),
                   partial.view.sliced({first, 0}, {mc, cn}, {1, 1}));
      else
        epilogue(task, first, mc);
    }
  }
  if (!split)
    return *result;
  // Partial sums of a chain split over cores, added in block order.
  Task &task = addTask(groups.front().core, op);
  loadRouting(task);
  loadScales(task);
  for (const Storage &partial : partials)
    task.reads.push_back(partial.buffer);
  for (int64_t first = 0; first < s; first += m) {
    int64_t mc = std::min(m, s - first);
    chunkCount(task, first);
    for (auto [index, partial] : llvm::enumerate(partials)) {
      appendCopy(task.code, partial.view.sliced({first, 0}, {mc, cn}, {1, 1}),
                 View::spad(index == 0 ? accAt : tmpAt, {mc, cn}, 4));
      if (index > 0)
        task.code.push_back(Instruction::vecBinary(
            VecFn::Add, DataType::I32, Src2Mode::Elem, accAt, accAt, tmpAt,
            static_cast<uint32_t>(mc), static_cast<uint32_t>(cn)));
    }
    epilogue(task, first, mc);
  }
  return *result;
}

void Lowering::scatterExpertRows(const MoEOperands &moe,
                                 ArrayRef<Storage> expertOut) {
  // Per column block, every expert's rows to their slots; a slot in no list
  // stays +0.
  const int64_t s = moe.s;
  for (int64_t cb = 0; cb < moe.colBlocks; ++cb) {
    int64_t c0 = cb * moe.cols, cn = std::min(moe.cols, moe.n - c0);
    int64_t width = cn;
    while (width > 1 && uint64_t(moe.scatterBytes(width)) > config.spadBytes)
      width = (width + 1) / 2;
    cim::PlaceAttr place = moe.placeOf(0, cb, 0);
    Task &task = addTask(schedule->getCoreIndex(
                             place.getChip(), place.getTile(), place.getCore()),
                         moe.op);
    task.reads.push_back(moe.lists.buffer);
    task.reads.push_back(moe.counts.buffer);
    task.writes.push_back(moe.out.buffer);
    for (int64_t e = 0; e < moe.experts; ++e)
      task.reads.push_back(expertOut[e * moe.colBlocks + cb].buffer);
    SpadAllocator spad(config.spadBytes);
    auto [countAt, listAt, blockAt, rowsAt] = moe.allocateScatter(spad, width);
    for (int64_t w0 = 0; w0 < cn; w0 += width) {
      int64_t wn = std::min(width, cn - w0);
      task.code.push_back(Instruction::vecBinaryImmI32(
          VecFn::Mul, blockAt, blockAt, 0, static_cast<uint32_t>(s),
          static_cast<uint32_t>(wn)));
      for (int64_t e = 0; e < moe.experts; ++e) {
        const Storage &y = expertOut[e * moe.colBlocks + cb];
        appendCopy(task.code, rowOf(moe.countsView, e),
                   View::spad(countAt, {1, 1}, 4));
        appendCopy(task.code, rowOf(moe.lists.view, e),
                   View::spad(listAt, {1, s}, 4));
        appendCopy(task.code, y.view.columns(w0, wn),
                   View::spad(rowsAt, {s, wn}, 4));
        task.code.push_back(Instruction::vscatter(
            blockAt, rowsAt, listAt, countAt, static_cast<uint32_t>(wn * 4),
            /*accumulate=*/false, /*countIndirect=*/true));
      }
      appendCopy(task.code, View::spad(blockAt, {s, wn}, 4),
                 moe.outRows.columns(c0 + w0, wn));
    }
  }
}

LogicalResult Lowering::lowerMoECombine(cim::MoECombineOp op) {
  FailureOr<Storage> in = storageOf(op.getInput(), op);
  FailureOr<Storage> weights = storageOf(op.getWeights(), op);
  FailureOr<Storage> out = resultStorage(op.getResult(), op);
  if (failed(in) || failed(weights) || failed(out))
    return failure();
  RankedTensorType inType = op.getInput().getType();
  int64_t tokens = inType.getDimSize(0), slots = inType.getDimSize(1),
          n = inType.getDimSize(2);
  // Tokens of a part in chunks of `chunk`, columns in blocks of `width`: a
  // task's blocks are the chunk's slot rows and their weights.
  auto layout = [&](SpadAllocator &spad, int64_t chunk, int64_t width) {
    uint32_t rowsBlock = spad.allocate(4 * chunk * slots * width);
    uint32_t weightsBlock = spad.allocate(4 * chunk * slots);
    return std::make_pair(rowsBlock, weightsBlock);
  };
  auto bytes = [&](int64_t chunk, int64_t width) {
    return SpadAllocator::measure(layout, chunk, width);
  };
  int64_t width = n;
  while (width > 1 && bytes(1, width) > config.spadBytes)
    width = (width + 1) / 2;
  if (bytes(1, width) > config.spadBytes)
    return op.emitOpError()
           << "cannot combine " << slots
           << " slots within the target's spad_bytes = " << config.spadBytes;
  for (const Part &part : distribute(tokens)) {
    Task &task = addTask(part.core, op);
    task.reads.push_back(in->buffer);
    task.reads.push_back(weights->buffer);
    task.writes.push_back(out->buffer);
    int64_t chunk = largestFitting(part.count, [&](int64_t n) {
      return bytes(n, width) <= config.spadBytes;
    });
    SpadAllocator spad(config.spadBytes);
    auto [rowsAt, weightsAt] = layout(spad, chunk, width);
    for (int64_t t0 = part.first; t0 < part.first + part.count; t0 += chunk) {
      int64_t tn = std::min(chunk, part.first + part.count - t0);
      View w = weights->view.sliced({t0, 0}, {tn, slots}, {1, 1});
      appendCopy(task.code, w, View::spad(weightsAt, {tn, slots}, 4));
      for (int64_t c0 = 0; c0 < n; c0 += width) {
        int64_t cn = std::min(width, n - c0);
        View x = in->view.sliced({t0, 0, c0}, {tn, slots, cn}, {1, 1, 1});
        appendCopy(task.code, x, View::spad(rowsAt, {tn, slots, cn}, 4));
        auto rowCount = static_cast<uint32_t>(tn * slots);
        task.code.push_back(Instruction::vecBinary(
            VecFn::Mul, DataType::F32, Src2Mode::PerRow, rowsAt, rowsAt,
            weightsAt, rowCount, static_cast<uint32_t>(cn)));
        // Slot order: s = p0 + p1, then s + p2, ...
        for (int64_t t = 0; t < tn; ++t) {
          uint32_t sum = rowsAt + static_cast<uint32_t>(4 * t * slots * cn);
          for (int64_t j = 1; j < slots; ++j)
            task.code.push_back(Instruction::vecBinary(
                VecFn::Add, DataType::F32, Src2Mode::Elem, sum, sum,
                sum + static_cast<uint32_t>(4 * j * cn), 1,
                static_cast<uint32_t>(cn)));
        }
        View sums = View::spad(rowsAt, {tn, cn}, 4);
        sums.strides = {4 * slots * cn, 4};
        appendCopy(task.code, sums,
                   out->view.sliced({t0, c0}, {tn, cn}, {1, 1}));
      }
    }
  }
  return success();
}
