//===- Mapping.cpp - --cim-bitslice, --cim-tile, --cim-place --------------===//
//
// Maps quantized crossbar products onto the target's MVM units: sets their
// bit slicing, splits them into crossbar-sized blocks and assigns each block
// a physical unit (docs/Compiler.md).
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/CIM/Transforms/WeightConstants.h"

#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/CIM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <string>

using namespace mlir;
using namespace mho::cim;

namespace mho::cim {
#define GEN_PASS_DEF_CIMBITSLICE
#define GEN_PASS_DEF_CIMTILE
#define GEN_PASS_DEF_CIMPLACE
#include "mho/Dialect/CIM/Transforms/Passes.h.inc"
} // namespace mho::cim

namespace {

/// The constant attribute behind `value`, if any.
Attribute constantOf(Value value) {
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr)))
    return attr;
  return {};
}

//===----------------------------------------------------------------------===//
// --cim-bitslice
//===----------------------------------------------------------------------===//

struct CIMBitslicePass : public mho::cim::impl::CIMBitsliceBase<CIMBitslicePass> {
  using CIMBitsliceBase::CIMBitsliceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = TargetAttr::lookup(module);
    if (!target)
      return signalPassFailure();
    SlicingAttr slicing = target.getSlicing();
    bool failedAny = false;
    module.walk([&](Operation *op) {
      if (auto mvm = dyn_cast<MVMOp>(op)) {
        if (failed(slice(op, mvm.getInput(), mvm.getWeight(), slicing)))
          failedAny = true;
        else
          mvm.setSlicingAttr(slicing);
      } else if (auto tile = dyn_cast<MVMTileOp>(op)) {
        if (failed(slice(op, tile.getInput(), tile.getWeight(), slicing)))
          failedAny = true;
        else
          tile.setSlicingAttr(slicing);
      } else if (auto moe = dyn_cast<MoEMVMOp>(op)) {
        if (failed(slice(op, moe.getInput(), moe.getWeight(), slicing)))
          failedAny = true;
        else
          moe.setSlicingAttr(slicing);
      }
    });
    if (failedAny)
      signalPassFailure();
  }

  LogicalResult slice(Operation *op, Value input, Value weight,
                      SlicingAttr slicing) {
    Type inputElement = cast<ShapedType>(input.getType()).getElementType();
    auto weightType = cast<ShapedType>(weight.getType());
    if (inputElement.getIntOrFloatBitWidth() != slicing.getInputBits())
      return op->emitOpError()
             << "input element type " << inputElement
             << " does not match the target's input_bits = "
             << slicing.getInputBits();
    if (weightType.getElementTypeBitWidth() != slicing.getWeightBits())
      return op->emitOpError()
             << "weight element type " << weightType.getElementType()
             << " does not match the target's weight_bits = "
             << slicing.getWeightBits();

    // A constant weight must be storable under the encoding.
    std::string problem;
    std::optional<IntegerConstant> constant =
        readIntegerConstant(constantOf(weight), problem);
    if (!problem.empty())
      return op->emitOpError() << problem;
    if (constant) {
      for (auto [i, value] : llvm::enumerate(constant->values)) {
        if (slicing.isWeightRepresentable(value))
          continue;
        // The index of element i (experts' weights are E x K x N).
        SmallVector<int64_t> index(weightType.getRank());
        int64_t rest = static_cast<int64_t>(i);
        for (int64_t d = weightType.getRank() - 1; d >= 0; --d) {
          index[d] = rest % weightType.getDimSize(d);
          rest /= weightType.getDimSize(d);
        }
        InFlightDiagnostic diag = op->emitOpError()
                                  << "weight value " << value << " at [";
        llvm::interleaveComma(index, diag);
        return diag << "] cannot be stored under "
                    << stringifyEncoding(slicing.getEncoding())
                    << " encoding (range [" << slicing.getWeightMin() << ", "
                    << slicing.getWeightMax() << "])";
      }
    }

    bool differential = slicing.getEncoding() == Encoding::Differential;
    int64_t reads = static_cast<int64_t>(slicing.getPlanes()) *
                    slicing.getSlices() * (differential ? 2 : 1);
    if (report) {
      InFlightDiagnostic remark = op->emitRemark();
      remark << slicing.getPlanes() << " planes x " << slicing.getSlices()
             << " slices";
      if (differential)
        remark << " x 2 (differential)";
      remark << " = " << reads << " crossbar reads per input vector";
    }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// --cim-tile
//===----------------------------------------------------------------------===//

struct CIMTilePass : public mho::cim::impl::CIMTileBase<CIMTilePass> {
  using CIMTileBase::CIMTileBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = TargetAttr::lookup(module);
    if (!target)
      return signalPassFailure();
    SmallVector<MVMOp> mvms;
    module.walk([&](MVMOp mvm) { mvms.push_back(mvm); });
    bool failedAny = false;
    for (MVMOp mvm : mvms)
      if (failed(tile(mvm, target)))
        failedAny = true;
    if (failedAny)
      signalPassFailure();
  }

  /// The zero partial sums of `type`, a constant when the shape is static.
  Value zeroAccumulator(OpBuilder &builder, Location loc,
                        RankedTensorType type, Value input) {
    if (type.hasStaticShape())
      return arith::ConstantOp::create(
          builder, loc, type,
          DenseElementsAttr::get(type, builder.getI32IntegerAttr(0)));
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(tensor::DimOp::create(builder, loc, input, d));
    Value zero = arith::ConstantOp::create(builder, loc,
                                           builder.getI32IntegerAttr(0));
    return tensor::SplatOp::create(builder, loc, zero, type, sizes);
  }

  LogicalResult tile(MVMOp mvm, TargetAttr target) {
    RankedTensorType weightType = mvm.getWeight().getType();
    int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
    if (k == 0 || n == 0)
      return mvm.emitOpError() << "cannot tile an empty " << k << " x " << n
                               << " weight";
    int64_t rows = target.getRows(), cols = target.getCols();
    std::string problem;
    std::optional<IntegerConstant> constant =
        readIntegerConstant(constantOf(mvm.getWeight()), problem);
    if (!problem.empty())
      return mvm.emitOpError() << problem;

    OpBuilder builder(mvm);
    Location loc = mvm.getLoc();
    Value input = mvm.getInput();
    RankedTensorType resultType = mvm.getType();
    SlicingAttr slicing = mvm.getSlicing();

    auto weightBlock = [&](int64_t r0, int64_t rn, int64_t c0,
                           int64_t cn) -> Value {
      auto type = RankedTensorType::get({rn, cn}, weightType.getElementType());
      if (constant)
        return arith::ConstantOp::create(builder, loc, type,
                                         getConstantBlock(*constant, type,
                                                          /*offset=*/0, n, r0,
                                                          c0, "block"));
      return tensor::ExtractSliceOp::create(
          builder, loc, type, mvm.getWeight(), ValueRange{}, ValueRange{},
          ValueRange{}, builder.getDenseI64ArrayAttr({r0, c0}),
          builder.getDenseI64ArrayAttr({rn, cn}),
          builder.getDenseI64ArrayAttr({1, 1}));
    };

    SmallVector<Value> columnBlocks;
    for (int64_t c0 = 0; c0 < n; c0 += cols) {
      int64_t cn = std::min(cols, n - c0);
      SmallVector<int64_t> shape(resultType.getShape());
      shape.back() = cn;
      auto accType = RankedTensorType::get(shape, resultType.getElementType());
      Value acc = zeroAccumulator(builder, loc, accType, input);
      for (int64_t r0 = 0; r0 < k; r0 += rows) {
        int64_t rn = std::min(rows, k - r0);
        Value block = weightBlock(r0, rn, c0, cn);
        acc = MVMTileOp::create(builder, loc, accType, input, r0, block, acc,
                                rows, cols, slicing, /*place=*/PlaceAttr(),
                                /*replicas=*/ArrayAttr());
      }
      columnBlocks.push_back(acc);
    }
    Value result = columnBlocks.front();
    if (columnBlocks.size() > 1)
      result = tensor::ConcatOp::create(builder, loc, resultType,
                                        resultType.getRank() - 1,
                                        columnBlocks);

    Value oldWeight = mvm.getWeight();
    mvm.replaceAllUsesWith(result);
    mvm.erase();
    eraseDeadProducers(oldWeight);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// --cim-place
//===----------------------------------------------------------------------===//

std::string joined(ArrayRef<int64_t> values) {
  std::string text = "[";
  for (auto [i, value] : llvm::enumerate(values))
    text += (i ? ", " : "") + std::to_string(value);
  return text + "]";
}

/// Checks that a rows x cols weight block fits the target's MVM unit,
/// reporting at `op` "<lead> rows x cols <relation> the target's R x C MVM
/// unit" (an mvm_tile and a moe_mvm word the same check differently).
LogicalResult checkFitsUnit(Operation *op, TargetAttr target, int64_t rows,
                            int64_t cols, StringRef lead, StringRef relation) {
  if (rows <= target.getRows() && cols <= target.getCols())
    return success();
  return op->emitOpError() << lead << " " << rows << " x " << cols << " "
                           << relation << " the target's " << target.getRows()
                           << " x " << target.getCols() << " MVM unit";
}

/// Crossbar cells a rows x cols weight block occupies: one array per slice,
/// twice under differential encoding (the unit of the reprogramming remark).
int64_t cellsOf(int64_t rows, int64_t cols, SlicingAttr slicing) {
  return rows * cols * slicing.getArraysPerUnit();
}

struct CIMPlacePass : public mho::cim::impl::CIMPlaceBase<CIMPlacePass> {
  using CIMPlaceBase::CIMPlaceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = TargetAttr::lookup(module);
    if (!target)
      return signalPassFailure();

    // Everything with a stationary weight must be tiled by now, or its
    // weights would silently not be placed.
    bool failedAny = false;
    // In program order: an mvm_tile is one block, a moe_mvm all its
    // experts' blocks (expert, column block, row block).
    SmallVector<Operation *> placed;
    int64_t count = 0;
    module.walk([&](Operation *op) {
      if (auto moe = dyn_cast<MoEMVMOp>(op)) {
        placed.push_back(op);
        count += moe.getNumBlocks();
        // The verifier keeps rows and cols positive as signed values.
        if (failed(checkFitsUnit(op, target, moe.getRows(), moe.getCols(),
                                 "is tiled for", "blocks, larger than")))
          failedAny = true;
      } else if (isa<LinearOp, MVMOp, MoELinearOp>(op)) {
        op->emitOpError() << "has a stationary weight but is not tiled; run "
                             "--cim-quantize and --cim-tile before "
                             "--cim-place";
        failedAny = true;
      } else if (auto tile = dyn_cast<MVMTileOp>(op)) {
        RankedTensorType weightType = tile.getWeight().getType();
        if (failed(checkFitsUnit(op, target, weightType.getDimSize(0),
                                 weightType.getDimSize(1), "weight block",
                                 "does not fit")))
          failedAny = true;
        placed.push_back(op);
        ++count;
      }
    });
    if (failedAny)
      return signalPassFailure();

    // Replication balances pipeline stages: a chain's row chunks take time in
    // proportion to its length (its blocks run one after another per chunk),
    // so a chain gets min(replicate, ceil(length / shortest length)) copies.
    if (replicate < 1) {
      mlir::emitError(module.getLoc())
          << "replicate must be at least 1, got " << int64_t(replicate);
      return signalPassFailure();
    }
    llvm::DenseMap<Operation *, int64_t> copies;
    if (replicate > 1) {
      SmallVector<SmallVector<MVMTileOp>> chains;
      for (Operation *op : placed) {
        auto tile = dyn_cast<MVMTileOp>(op);
        if (!tile)
          continue;
        MVMTileOp previous = tile.getChainPredecessor();
        if (chains.empty() || !previous || previous != chains.back().back())
          chains.emplace_back();
        chains.back().push_back(tile);
      }
      size_t shortest = std::numeric_limits<size_t>::max();
      for (const auto &chain : chains)
        shortest = std::min(shortest, chain.size());
      for (const auto &chain : chains) {
        int64_t factor = std::min<int64_t>(
            replicate, llvm::divideCeil(chain.size(), shortest));
        for (MVMTileOp tile : chain) {
          copies[tile] = factor;
          count += factor - 1;
        }
      }
    }

    int64_t perChip = target.getUnitsPerChip();
    int64_t capacity = target.getUnitsPerSystem();
    int64_t cores = target.getCores(), units = target.getMvmUnits();
    int64_t tiles = target.getTiles();

    if (replicate > 1 && count > capacity &&
        overflow == PlaceOverflow::Reprogram) {
      mlir::emitError(module.getLoc())
          << "replicate=" << int64_t(replicate) << " needs " << count
          << " resident MVM units but the target has " << capacity
          << "; copies that are reprogrammed away balance nothing (use "
             "overflow=multi-chip or a smaller factor)";
      return signalPassFailure();
    }
    if (count > capacity && overflow == PlaceOverflow::Error) {
      mlir::emitError(module.getLoc())
          << "the model needs " << count
          << " MVM units (one per weight block) but the target has "
          << capacity << " (chips x tiles x cores x mvm_units = "
          << target.getChips() << " x " << tiles << " x " << cores << " x "
          << units << "); use overflow=multi-chip or overflow=reprogram";
      return signalPassFailure();
    }

    // Slot s of a round: cores of a tile round-robin first.
    bool reprogram = overflow == PlaceOverflow::Reprogram;
    int64_t roundSize = reprogram ? capacity : std::max(count, capacity);
    int64_t rounds = count == 0 ? 1 : (count + roundSize - 1) / roundSize;
    SmallVector<int64_t> cellsPerRound(rounds, 0);
    MLIRContext *context = &getContext();
    int64_t next = 0;
    auto placeNext = [&](int64_t cells) {
      int64_t slot = next % roundSize, round = next / roundSize;
      ++next;
      cellsPerRound[round] += cells;
      return PlaceAttr::get(context, /*chip=*/slot / perChip,
                            /*tile=*/(slot / (cores * units)) % tiles,
                            /*core=*/slot % cores,
                            /*unit=*/(slot / cores) % units, round);
    };
    auto tileCells = [](MVMTileOp tile) {
      RankedTensorType weightType = tile.getWeight().getType();
      return cellsOf(weightType.getDimSize(0), weightType.getDimSize(1),
                     tile.getSlicing());
    };
    for (Operation *op : placed) {
      if (auto tile = dyn_cast<MVMTileOp>(op)) {
        tile.setPlaceAttr(placeNext(tileCells(tile)));
        continue;
      }
      // All experts are programmed in round 0: routing picks among them per
      // token. (A later round's block may still take an expert's unit; the
      // expert's tasks re-issue their wprog, so results stay right at the
      // cost of reprogramming.)
      auto moe = cast<MoEMVMOp>(op);
      RankedTensorType weightType = moe.getWeight().getType();
      int64_t k = weightType.getDimSize(1), n = weightType.getDimSize(2);
      SmallVector<Attribute> places;
      for (int64_t e = 0; e < weightType.getDimSize(0); ++e)
        for (int64_t cb = 0; cb < moe.getColBlocks(); ++cb)
          for (int64_t rb = 0; rb < moe.getRowBlocks(); ++rb) {
            int64_t rows = std::min(moe.getRows(), k - rb * moe.getRows());
            int64_t cols = std::min(moe.getCols(), n - cb * moe.getCols());
            PlaceAttr place = placeNext(cellsOf(rows, cols, moe.getSlicing()));
            if (place.getRound() != 0) {
              moe.emitOpError()
                  << "needs its " << moe.getNumBlocks()
                  << " expert blocks resident, but they fall into "
                     "reprogramming round "
                  << place.getRound() << "; use overflow=multi-chip";
              return signalPassFailure();
            }
            places.push_back(place);
          }
      moe.setPlacesAttr(ArrayAttr::get(context, places));
    }
    // The copies after every block, so that unreplicated placement does not
    // change.
    for (Operation *op : placed) {
      auto tile = dyn_cast<MVMTileOp>(op);
      int64_t factor = tile ? copies.lookup(tile) : 0;
      if (factor < 2)
        continue;
      SmallVector<Attribute> replicas;
      for (int64_t c = 1; c < factor; ++c)
        replicas.push_back(placeNext(tileCells(tile)));
      tile.setReplicasAttr(ArrayAttr::get(context, replicas));
    }

    int64_t unitsUsed = std::min(count, roundSize);
    int64_t chipsUsed = (unitsUsed + perChip - 1) / perChip;
    int64_t cellsTotal = 0;
    for (int64_t cells : cellsPerRound)
      cellsTotal += cells;

    if (chipsUsed > target.getChips())
      mlir::emitRemark(module.getLoc()) << "placement spans " << chipsUsed
                          << " chips (the target has " << target.getChips()
                          << "): " << count << " weight blocks on "
                          << perChip << " MVM units per chip";
    if (rounds > 1)
      mlir::emitRemark(module.getLoc())
          << "reprogramming: " << count << " weight blocks on " << capacity
          << " MVM units in " << rounds
          << " rounds; cells written per round (rows x cols x slices"
          << (target.getEncoding() == Encoding::Differential
                  ? " x 2 differential"
                  : "")
          << " per block): " << joined(cellsPerRound) << ", " << cellsTotal
          << " per pass over the model";

    Builder builder(context);
    module->setAttr(
        "cim.placement",
        builder.getDictionaryAttr({
            builder.getNamedAttr("blocks", builder.getI64IntegerAttr(count)),
            builder.getNamedAttr("units_used",
                                 builder.getI64IntegerAttr(unitsUsed)),
            builder.getNamedAttr("chips_used",
                                 builder.getI64IntegerAttr(chipsUsed)),
            builder.getNamedAttr("reprogram_rounds",
                                 builder.getI64IntegerAttr(rounds)),
            builder.getNamedAttr("cells_per_round",
                                 builder.getDenseI64ArrayAttr(cellsPerRound)),
        }));
  }
};

} // namespace
