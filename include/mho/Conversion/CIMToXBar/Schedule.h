//===- Schedule.h - Memory views, DMA decomposition, task schedule -*- C++
//-*-===//
//
// The MLIR-free half of convert-cim-to-xbar (docs/Compiler.md, "Scheduling and
// emission"):
//
//   View          an N-D strided view of one memory space (a DRAM buffer, a
//                 broadcast operand, a region of a concat result, a
//                 scratchpad block)
//   appendCopy    the 2-D `dma` instructions copying one view into another
//   SpadAllocator bump allocation of one task's scratchpad blocks, or the
//                 measuring of a layout's bytes for the chunk searches
//   Schedule      tasks (one core's instructions for one piece of an op, with
//                 the DRAM buffers they read and write), ASAP levels from the
//                 buffer dependences, and per-core streams with a barrier
//                 between levels and weight programming on demand
//
//===----------------------------------------------------------------------===//

#ifndef MHO_CONVERSION_CIMTOXBAR_SCHEDULE_H
#define MHO_CONVERSION_CIMTOXBAR_SCHEDULE_H

#include "mho/ISA/Instruction.h"
#include "mho/ISA/ProgramImage.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <vector>

namespace mho::cimtoxbar {

//===----------------------------------------------------------------------===//
// Views
//===----------------------------------------------------------------------===//

/// An N-D strided view: element `i` (a multi-index) is at
/// `address + sum_d i[d] * strides[d]` in `space`. Strides are in bytes and
/// may be 0 (a broadcast dimension). Rank 0 is one element.
struct View {
  isa::MemorySpace space = isa::MemorySpace::Dram;
  uint64_t address = 0;
  llvm::SmallVector<int64_t, 6> shape;
  llvm::SmallVector<int64_t, 6> strides;
  unsigned elementBytes = 4;

  /// A row-major contiguous view.
  static View contiguous(isa::MemorySpace space, uint64_t address,
                         llvm::ArrayRef<int64_t> shape, unsigned elementBytes);
  /// A row-major contiguous view of the core's scratchpad.
  static View spad(uint64_t address, llvm::ArrayRef<int64_t> shape,
                   unsigned elementBytes) {
    return contiguous(isa::MemorySpace::Spad, address, shape, elementBytes);
  }

  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
  int64_t getNumElements() const;
  /// Whether the view is row-major contiguous (size-1 dimensions ignored).
  bool isContiguous() const;

  /// Rows x cols reading of the view: cols is the last dimension (1 for rank
  /// 0), rows the product of the others.
  int64_t getRows() const;
  int64_t getCols() const { return shape.empty() ? 1 : shape.back(); }

  /// Dimensions permuted: result dim d is this view's dim perm[d].
  View permuted(llvm::ArrayRef<int64_t> perm) const;
  /// Columns [first, first + count) of the rows x cols reading.
  View columns(int64_t first, int64_t count) const;
  /// A strided slice (static offsets, sizes, steps).
  View sliced(llvm::ArrayRef<int64_t> offsets, llvm::ArrayRef<int64_t> sizes,
              llvm::ArrayRef<int64_t> steps) const;
  /// Numpy broadcasting to `target` (right-aligned; size-1 dimensions and
  /// missing leading dimensions get stride 0). The shapes must be compatible.
  View broadcastTo(llvm::ArrayRef<int64_t> target) const;
  /// The same elements under another shape; only valid for contiguous views
  /// (returns std::nullopt otherwise).
  std::optional<View> reshaped(llvm::ArrayRef<int64_t> shape) const;

  /// Pieces covering rows [first, first + count) of the rows x cols reading,
  /// in order: each piece holds consecutive rows and is a view of shape
  /// [k, (inner leading dims...), cols].
  llvm::SmallVector<View, 4> rowPieces(int64_t first, int64_t count) const;
};

/// Appends the `dma` instructions that copy `src` to `dst` (same shape and
/// element size): contiguous innermost runs become a row's bytes, the next
/// dimension the rows with their strides, and any further dimension a loop
/// of instructions. An element-strided innermost dimension (a transpose, a
/// broadcast) gives element-sized rows.
void appendCopy(std::vector<isa::Instruction> &out, const View &src,
                const View &dst);

/// Number of instructions appendCopy would append.
uint64_t countCopy(const View &src, const View &dst);

//===----------------------------------------------------------------------===//
// Scratchpad allocation
//===----------------------------------------------------------------------===//

/// Bump allocation of one task's scratchpad blocks (4-byte aligned).
///
/// A lowering writes each task's layout once, as a function of its chunk
/// sizes that allocates the blocks from a SpadAllocator. Run on a measuring
/// allocator (measure), the same function gives the bytes a chunk size
/// needs, which the chunk searches compare with the scratchpad's size; run
/// on an allocator of the scratchpad's capacity, it gives the addresses.
class SpadAllocator {
public:
  explicit SpadAllocator(uint64_t capacity) : capacity(capacity) {}
  /// The bytes `layout(SpadAllocator &, args...)` allocates, run on an
  /// allocator without a capacity (its addresses are not meant to be used).
  template <class L, class... A>
  static uint64_t measure(L &&layout, A &&...args) {
    SpadAllocator allocator(std::numeric_limits<uint64_t>::max());
    layout(allocator, args...);
    return allocator.getUsed();
  }

  /// The address of a new block of `bytes`; asserts that it fits (callers size
  /// their chunks by measuring the same layout first).
  uint32_t allocate(uint64_t bytes);
  uint64_t getUsed() const { return top; }

  /// Rounds `bytes` up to the allocation granule.
  static uint64_t align(uint64_t bytes) { return (bytes + 3) & ~uint64_t{3}; }

private:
  uint64_t capacity;
  uint64_t top = 0;
};

//===----------------------------------------------------------------------===//
// Tasks and the schedule
//===----------------------------------------------------------------------===//

/// Bytes [begin, end) of a DRAM buffer that a task reads or writes (by
/// default all of it). Tasks depend on each other only through overlapping
/// accesses, so a consumer of some rows waits only for their producers.
struct Access {
  unsigned buffer = 0;
  uint64_t begin = 0;
  uint64_t end = std::numeric_limits<uint64_t>::max();

  Access(unsigned buffer) : buffer(buffer) {}
  Access(unsigned buffer, uint64_t begin, uint64_t end)
      : buffer(buffer), begin(begin), end(end) {}
  bool overlaps(const Access &other) const {
    return buffer == other.buffer && begin < other.end && other.begin < end;
  }
};

/// The bytes a view's elements span, as an access of `buffer`.
Access spanOf(const View &view, unsigned buffer);
/// The bytes rows [first, first + count) of a view's rows x cols reading span.
Access rowsOf(const View &view, unsigned buffer, int64_t first, int64_t count);

/// One core's instructions for one piece of one operation. `wprog`s in `code`
/// are requirements: the emitter drops one when the unit already holds the
/// block.
struct Task {
  unsigned core = 0;   ///< Global core index (Schedule::getCoreIndex).
  unsigned origin = 0; ///< Caller's id of the operation (for locations).
  std::vector<isa::Instruction> code;
  llvm::SmallVector<Access, 4> reads;
  llvm::SmallVector<Access, 2> writes;
  /// A pipeline stage: this task runs at least one level after task `after`
  /// (the previous row chunk of the same op), so that consecutive chunks
  /// take consecutive levels and the next layer's chunk c runs beside this
  /// op's chunk c + 1.
  std::optional<unsigned> after;
  unsigned level = 0;
};

/// An emitted instruction and the operation it came from.
struct EmittedInstruction {
  isa::Instruction instruction;
  unsigned origin = 0;
  bool fromTask = true; ///< False for the stream's weight preamble and sync.
};

struct EmittedStream {
  isa::CoreAddress core;
  std::vector<EmittedInstruction> instructions;
};

class Schedule {
public:
  explicit Schedule(const isa::UnitConfig &config) : config(config) {}

  unsigned getCoreIndex(unsigned chip, unsigned tile, unsigned core) const {
    return (chip * config.tiles + tile) * config.cores + core;
  }
  isa::CoreAddress getCoreAddress(unsigned index) const;
  /// Cores per chip.
  unsigned getChipCores() const {
    return unsigned(config.tiles) * config.cores;
  }

  /// A new DRAM buffer id for dependence tracking (aliases share one).
  unsigned newBuffer() { return numBuffers++; }

  /// A new task; the reference stays valid until the next addTask.
  Task &addTask(unsigned core, unsigned origin);

  /// Weight block `block` is programmed into `unit` of `core` at the start of
  /// the core's stream (round 0).
  void addInitialWeight(unsigned core, unsigned unit, unsigned block);

  /// Assigns each task its level (read-after-write order only: buffers are
  /// never reused, so no task overwrites bytes another still reads): the
  /// smallest level not below that of any
  /// task writing bytes it reads (plus one when that task runs on another
  /// core), nor below the level of the previous task on the same core that
  /// used one of its MVM units (so reprogramming keeps program order), and
  /// above the level of the task it comes `after`.
  void assignLevels();
  unsigned getNumLevels() const { return numLevels; }

  /// Per-core streams: the core's round-0 `wprog`s, then its tasks level by
  /// level (in creation order within a level), then `halt`. After level L
  /// (all but the last) the cores with a task at level L or L + 1 meet at
  /// `barrier id=L`: levels are never empty, so a chain of such barriers
  /// orders every task after each task of a lower level (a barrier of one
  /// core, which orders nothing, is left out). Redundant `wprog`s
  /// (the unit already holds the block) are dropped. Only cores with a task
  /// or a weight appear; streams are in core order.
  std::vector<EmittedStream> emit() const;

  const std::vector<Task> &getTasks() const { return tasks; }
  /// For rewriting tasks' addresses after lowering (tile buffers).
  std::vector<Task> &getMutableTasks() { return tasks; }

private:
  isa::UnitConfig config;
  std::vector<Task> tasks;
  unsigned numBuffers = 0;
  unsigned numLevels = 0;
  /// core -> (unit, block) in order.
  std::map<unsigned, std::vector<std::pair<unsigned, unsigned>>> initial;
};

} // namespace mho::cimtoxbar

#endif // MHO_CONVERSION_CIMTOXBAR_SCHEDULE_H
