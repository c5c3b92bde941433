//===- Lowering.h - State of convert-cim-to-xbar ----------------*- C++ -*-===//
//
// Not installed: the Lowering class of convert-cim-to-xbar and the row-kernel
// structures its op lowerings share. CIMToXBar.cpp holds the setup, memory,
// tasks, the driver and tile-buffer placement; VectorOps.cpp the vector-unit
// ops, MatrixProducts.cpp dmm and mvm_tile chains, DataMovement.cpp views and
// copies, MoE.cpp the mixture-of-experts ops; LoweringUtils.h their helpers.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_CONVERSION_CIMTOXBAR_LOWERING_H
#define MHO_LIB_CONVERSION_CIMTOXBAR_LOWERING_H

#include "mho/Conversion/CIMToXBar/Schedule.h"
#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/XBar/IR/XBarOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"

#include <functional>
#include <memory>

namespace mho::cimtoxbar {

using isa::Instruction;
using mlir::ArrayRef;
using mlir::DenseMap;
using mlir::ElementsAttr;
using mlir::FailureOr;
using mlir::Location;
using mlir::LogicalResult;
using mlir::ModuleOp;
using mlir::Operation;
using mlir::RankedTensorType;
using mlir::SmallVector;
using mlir::Type;
using mlir::Value;
namespace cim = mho::cim;
namespace linalg = mlir::linalg;
namespace tensor = mlir::tensor;
namespace func = mlir::func;

using Code = std::vector<Instruction>;

/// Where a value lives in DRAM and which buffer (for dependences) that is.
struct Storage {
  View view;
  unsigned buffer = 0;
};

/// Rows [first, first + count) of an op computed on `core`.
struct Part {
  unsigned core = 0;
  int64_t first = 0;
  int64_t count = 0;
};

struct Blocks {
  SmallVector<uint32_t, 4> in, temp, onceTemp;
};

/// How a row kernel reads an input.
enum class InputKind {
  Elem,   ///< rows x cols (the kernel's), a block of rows and columns at a time
  PerRow, ///< rows x 1, a block of rows at a time
  Col,    ///< cols, the columns of the current column block
};

struct RowInput {
  View view;
  std::optional<unsigned> buffer;
  InputKind kind = InputKind::Elem;
};

/// Scratchpad bytes of a temporary for a block of n rows x w columns:
/// n * (perRow + perElement * w).
struct Temp {
  int64_t perRow = 0;
  int64_t perElement = 0;
};

/// Bytes of a per-task temporary for a column block of w columns.
struct OnceTemp {
  int64_t fixed = 0;
  int64_t perCol = 0;
};

/// An output of a row kernel: its rows are stored from a scratchpad block, an
/// input's (fromTemp = false) or a temporary's.
struct RowOutput {
  View view;
  unsigned buffer = 0;
  bool fromTemp = false;
  unsigned index = 0;
  /// Whole rows of `view` (rows x 1, or rows x k of vtopk), not split by
  /// column blocks.
  bool wholeRows = false;
};

/// A computation on the vector unit over a rows x cols reading: each task
/// takes a range of rows, in blocks of columns (only when `columnwise`: the
/// body treats columns independently) and chunks of rows that fit the
/// scratchpad; each chunk's inputs are DMA'd in, `body` computes, the outputs
/// are DMA'd back.
struct RowKernel {
  Operation *op = nullptr;
  int64_t rows = 0;
  int64_t cols = 1;
  bool columnwise = false;
  SmallVector<RowInput, 4> inputs;
  SmallVector<Temp, 4> temps;
  SmallVector<OnceTemp, 2> onceTemps;
  SmallVector<RowOutput, 2> outputs;
  /// After each column block's Col inputs are loaded.
  std::function<void(Code &, const Blocks &, uint32_t cols)> prologue;
  std::function<void(Code &, const Blocks &, uint32_t rows, uint32_t cols)>
      body;
};

/// The blocks of a crossbar chain that one core runs: indices into the
/// chain, in chain order.
struct CoreGroup {
  unsigned core = 0;
  SmallVector<unsigned> blocks;
};

enum class Src2 { Imm, Elem, Row, Col };

/// How a binary operand reaches the vector unit.
struct BinaryOperand {
  Value value;
  Src2 mode = Src2::Elem;
  uint32_t imm = 0;
};

class Lowering {
public:
  Lowering(ModuleOp module, bool useTileBuffers)
      : module(module), useTileBuffers(useTileBuffers) {}

  LogicalResult run();

private:
  // Setup.
  LogicalResult findFunction();
  LogicalResult checkShapes();
  LogicalResult buildConfig();
  LogicalResult collectWeights();
  LogicalResult checkPlace(Operation *op, cim::PlaceAttr place);
  /// Checks `place` and, in round 0, programs `block` there at the start.
  LogicalResult addPlacement(Operation *op, cim::PlaceAttr place,
                             unsigned block);
  FailureOr<unsigned> addWeightBlock(Operation *op, cim::PlaceAttr place,
                                     ElementsAttr value);
  LogicalResult collectExpertWeights(cim::MoEMVMOp op);
  void assignConcatHomes();

  // Memory.
  FailureOr<uint64_t> allocate(uint64_t bytes, Operation *op);
  FailureOr<Storage> storageOf(Value value, Operation *user);
  FailureOr<Storage> resultStorage(Value value, Operation *op);
  FailureOr<Storage> newBuffer(RankedTensorType type, Operation *op);
  FailureOr<Storage> materializeConstant(Value value, ElementsAttr attr,
                                         Operation *user);

  // Tasks.
  unsigned originOf(Operation *op);
  Task &addTask(unsigned core, Operation *op);
  SmallVector<Part> distribute(int64_t rows) const;
  LogicalResult runKernel(RowKernel &kernel);
  LogicalResult copy(Operation *op, const View &src,
                     std::optional<unsigned> srcBuffer, const View &dst,
                     unsigned dstBuffer);

  // Operations.
  LogicalResult lower(Operation *op);
  LogicalResult lowerUnary(cim::UnaryOp op);
  LogicalResult lowerBinary(cim::BinaryOp op);
  LogicalResult lowerReduce(cim::ReduceOp op);
  LogicalResult lowerSoftmax(cim::SoftmaxOp op);
  LogicalResult lowerLayerNorm(cim::LayerNormOp op);
  LogicalResult lowerRMSNorm(cim::RMSNormOp op);
  LogicalResult lowerRoPE(cim::RoPEOp op);
  LogicalResult lowerQuantizeDynamic(cim::QuantizeDynamicOp op);
  LogicalResult lowerQuantize(cim::QuantizeOp op);
  LogicalResult lowerDequantizeAcc(cim::DequantizeAccOp op);
  LogicalResult lowerTopK(cim::TopKOp op);
  LogicalResult lowerDMM(cim::DMMOp op);
  /// A chain's blocks, placed at `places`, grouped by core in order of first
  /// appearance. With `splitAtReusedUnit`, a block joins the last group of
  /// its core that does not use its unit yet (a new group if none), so that
  /// no group reprograms a unit; without, a core has one group.
  SmallVector<CoreGroup> groupByCore(ArrayRef<cim::PlaceAttr> places,
                                     bool splitAtReusedUnit) const;
  LogicalResult lowerMVMTile(cim::MVMTileOp op);
  LogicalResult lowerMoEDispatch(cim::MoEDispatchOp op);
  LogicalResult lowerMoEMVM(cim::MoEMVMOp op);
  struct MoEOperands;
  /// A cim.moe_mvm operand ([T, K] or [T, k, K]) as [T * k, K] rows.
  FailureOr<Storage> slotMajor(cim::MoEMVMOp op, const Storage &value,
                               int64_t width, Type element);
  /// Expert `e`'s routed slots times column block `cb` of its weight, as
  /// f32 rows in slot-list order.
  FailureOr<Storage> lowerExpertColumns(const MoEOperands &moe, int64_t e,
                                        int64_t cb);
  /// Every expert's rows to their slots of the result.
  void scatterExpertRows(const MoEOperands &moe, ArrayRef<Storage> expertOut);
  LogicalResult lowerMoECombine(cim::MoECombineOp op);
  LogicalResult lowerTranspose(linalg::TransposeOp op);
  LogicalResult lowerBroadcast(linalg::BroadcastOp op);
  LogicalResult lowerExtractSlice(tensor::ExtractSliceOp op);
  LogicalResult lowerInsertSlice(tensor::InsertSliceOp op);
  LogicalResult lowerConcat(tensor::ConcatOp op);
  LogicalResult lowerView(Operation *op, Value source, Value result);
  LogicalResult lowerReturn(func::ReturnOp op);

  LogicalResult checkAxis(Operation *op, int64_t axis, ArrayRef<int64_t> shape);
  RowKernel elementwise(Operation *op, const Storage &in, const Storage &out);

  // Output.
  void placeInTileBuffers();
  void buildProgram();

  ModuleOp module;
  func::FuncOp func;
  cim::TargetAttr target;
  isa::UnitConfig config;
  std::unique_ptr<Schedule> schedule;
  uint64_t dramTop = 0;

  DenseMap<Value, Storage> storage;
  /// Every DRAM buffer by id: where it is, how large, and whether the host
  /// sees it (inputs, outputs, constants), which keeps it in DRAM.
  struct BufferInfo {
    uint64_t address = 0;
    uint64_t bytes = 0;
    bool pinned = false;
  };
  std::vector<BufferInfo> buffers;
  bool useTileBuffers;

  SmallVector<Location> origins;
  DenseMap<Operation *, unsigned> originIds;

  struct WeightRecord {
    std::string name;
    ElementsAttr value;
    Location loc;
  };
  std::vector<WeightRecord> weights;
  DenseMap<Operation *, unsigned> blockOf;
  /// A cim.moe_mvm's first weight block (its blocks are consecutive, in the
  /// order of its places).
  DenseMap<Operation *, unsigned> firstExpertBlock;

  struct SymbolRecord {
    std::string name;
    xbar::SymbolKind kind;
    RankedTensorType type;
    uint64_t address;
    Location loc;
  };
  std::vector<SymbolRecord> symbols;
  struct InitRecord {
    uint64_t address;
    ElementsAttr value;
    Location loc;
  };
  std::vector<InitRecord> inits;
  unsigned numConstants = 0;
};

} // namespace mho::cimtoxbar

#endif // MHO_LIB_CONVERSION_CIMTOXBAR_LOWERING_H
