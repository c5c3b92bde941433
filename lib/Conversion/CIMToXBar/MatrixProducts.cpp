//===- MatrixProducts.cpp - Matrix products of convert-cim-to-xbar --------===//
//
// cim.dmm on the digital matrix unit and chains of cim.mvm_tile on the MVM
// units (docs/Compiler.md).
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "LoweringUtils.h"

using namespace mlir;
using namespace mho;
using namespace mho::cimtoxbar;
using isa::DataType;
using isa::Instruction;
using isa::Src2Mode;
using isa::VecFn;

/// The input rows a tile's weight block holds.
static int64_t blockRowsOf(cim::MVMTileOp tile) {
  return tile.getWeight().getType().getDimSize(0);
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
  int64_t batch = mlir::computeProduct(shape.drop_back(2));
  bool transposeB = op.getTransposeB();
  if (m == 0 || n == 0 || batch == 0)
    return success();

  // A task's blocks: rowsA rows of a, colsB columns of b, the results.
  struct DmmBlocks {
    uint32_t a, b, out;
  };
  auto layout = [&](SpadAllocator &spad, int64_t rowsA, int64_t colsB) {
    DmmBlocks blocks;
    blocks.a = spad.allocate(rowsA * k * bytes);
    blocks.b = spad.allocate(colsB * k * bytes);
    blocks.out = spad.allocate(rowsA * colsB * 4);
    return blocks;
  };
  // Chunk sizes: rowsA rows of a (at most a core's share of the rows) and
  // colsB columns of b, chosen for the fewest dmm instructions per share
  // (ties: the most columns, so b is loaded the fewest times).
  int64_t spad = config.spadBytes;
  auto fits = [&](int64_t rowsA, int64_t colsB) {
    return SpadAllocator::measure(layout, rowsA, colsB) <=
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
    auto [aBlock, bBlock, oBlock] = layout(spadAlloc, rowsHere, colsB);
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

SmallVector<CoreGroup> Lowering::groupByCore(ArrayRef<cim::PlaceAttr> places,
                                             bool splitAtReusedUnit) const {
  SmallVector<CoreGroup> groups;
  for (auto [index, place] : llvm::enumerate(places)) {
    unsigned core = schedule->getCoreIndex(place.getChip(), place.getTile(),
                                           place.getCore());
    auto usesUnit = [&](const CoreGroup &group) {
      return llvm::any_of(group.blocks, [&](unsigned other) {
        return places[other].getUnit() == place.getUnit();
      });
    };
    CoreGroup *group = nullptr;
    for (CoreGroup &candidate : groups)
      if (candidate.core == core && !(splitAtReusedUnit && usesUnit(candidate)))
        group = &candidate;
    if (!group) {
      groups.push_back({core, {}});
      group = &groups.back();
    }
    group->blocks.push_back(index);
  }
  return groups;
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
  bool hasInitial = !matchPattern(initial, m_Zero());

  // Groups: tiles of one core, split where a unit would be reprogrammed
  // inside the group (rounds), so that no chunk loop reprograms; one set of
  // groups per copy of the chain (cim-place replicate). Copies with another
  // group structure than the first are not used.
  struct Group {
    unsigned core;
    SmallVector<std::pair<cim::MVMTileOp, cim::PlaceAttr>> tiles;
  };
  auto groupsOf = [&](unsigned copy) {
    SmallVector<cim::PlaceAttr> places;
    for (cim::MVMTileOp tile : chain)
      places.push_back(
          copy == 0 ? tile.getPlaceAttr()
                    : cast<cim::PlaceAttr>((*tile.getReplicas())[copy - 1]));
    SmallVector<Group> groups;
    for (const CoreGroup &blocks :
         groupByCore(places, /*splitAtReusedUnit=*/true)) {
      Group &group = groups.emplace_back();
      group.core = blocks.core;
      for (unsigned index : blocks.blocks)
        group.tiles.push_back({chain[index], places[index]});
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
      maxRows = std::max(maxRows, blockRowsOf(tile));
    // A task's blocks: its vectors' i8 inputs and their i32 sums.
    auto layout = [&](SpadAllocator &spad, int64_t vectors) {
      uint32_t x = spad.allocate(vectors * maxRows);
      uint32_t acc = spad.allocate(vectors * cols * 4);
      return std::make_pair(x, acc);
    };
    auto bytes = [&](int64_t vectors) {
      return SpadAllocator::measure(layout, vectors);
    };
    if (bytes(1) > config.spadBytes)
      return cim::MVMTileOp(first.tiles.front().first).emitOpError()
             << "needs " << bytes(1)
             << " bytes of scratchpad for one input vector (" << maxRows
             << " i8 inputs, " << cols << " i32 sums, 4-byte aligned) but "
             << "the target's spad_bytes is " << config.spadBytes;
    int64_t chunk = largestFitting(
        rows, [&](int64_t n) { return bytes(n) <= config.spadBytes; });
    bool loadInitial = init && index == 0;
    SmallVector<Storage> inputs;
    SmallVector<View> blockInputs; // the rows of x each tile reads
    for (auto [tile, place] : first.tiles) {
      FailureOr<Storage> x = storageOf(tile.getInput(), tile);
      if (failed(x))
        return failure();
      inputs.push_back(*x);
      blockInputs.push_back(
          x->view.columns(tile.getRowOffset(), blockRowsOf(tile)));
    }
    SpadAllocator spadAlloc(config.spadBytes);
    auto [xBlock, accBlock] = layout(spadAlloc, chunk);
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
        copyRows(task.code, view, first, count, at, /*intoSpad=*/true);
      };
      if (loadInitial) {
        load(init->view, accBlock);
        accumulate = true;
      }
      for (auto [entry, view] : llvm::zip_equal(group.tiles, blockInputs)) {
        auto [tile, place] = entry;
        auto unit = static_cast<uint8_t>(place.getUnit());
        task.code.push_back(Instruction::wprog(unit, blockOf[tile]));
        load(view, xBlock);
        task.code.push_back(Instruction::mvm(
            unit, xBlock, accBlock, static_cast<uint32_t>(count),
            static_cast<uint32_t>(view.getCols()),
            static_cast<uint32_t>(cols * 4), accumulate));
        accumulate = true;
      }
      copyRows(task.code, dst.view, first, count, accBlock,
               /*intoSpad=*/false);
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
