//===- Schedule.cpp - Memory views, DMA decomposition, task schedule ------===//

#include "mho/Conversion/CIMToXBar/Schedule.h"

#include <algorithm>
#include <cassert>
#include <set>

using namespace mho;
using namespace mho::cimtoxbar;
using llvm::ArrayRef;
using llvm::SmallVector;

//===----------------------------------------------------------------------===//
// View
//===----------------------------------------------------------------------===//

View View::contiguous(isa::MemorySpace space, uint64_t address,
                      ArrayRef<int64_t> shape, unsigned elementBytes) {
  View view;
  view.space = space;
  view.address = address;
  view.shape.assign(shape.begin(), shape.end());
  view.strides.resize(shape.size());
  int64_t stride = elementBytes;
  for (size_t d = shape.size(); d-- > 0;) {
    view.strides[d] = stride;
    stride *= shape[d];
  }
  view.elementBytes = elementBytes;
  return view;
}

int64_t View::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

int64_t View::getRows() const {
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < shape.size(); ++d)
    rows *= shape[d];
  return rows;
}

bool View::isContiguous() const {
  int64_t expected = elementBytes;
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] == 1)
      continue;
    if (strides[d] != expected)
      return false;
    expected *= shape[d];
  }
  return true;
}

View View::permuted(ArrayRef<int64_t> perm) const {
  View view = *this;
  for (size_t d = 0; d < perm.size(); ++d) {
    view.shape[d] = shape[perm[d]];
    view.strides[d] = strides[perm[d]];
  }
  return view;
}

View View::sliced(ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                  ArrayRef<int64_t> steps) const {
  View view = *this;
  for (size_t d = 0; d < shape.size(); ++d) {
    view.address += offsets[d] * strides[d];
    view.shape[d] = sizes[d];
    view.strides[d] = strides[d] * steps[d];
  }
  return view;
}

View View::broadcastTo(ArrayRef<int64_t> target) const {
  View view = *this;
  size_t lead = target.size() - shape.size();
  view.shape.assign(target.begin(), target.end());
  view.strides.assign(target.size(), 0);
  for (size_t d = 0; d < shape.size(); ++d)
    view.strides[lead + d] =
        shape[d] == target[lead + d] && shape[d] != 1 ? strides[d] : 0;
  return view;
}

std::optional<View> View::reshaped(ArrayRef<int64_t> newShape) const {
  if (!isContiguous())
    return std::nullopt;
  return contiguous(space, address, newShape, elementBytes);
}

SmallVector<View, 4> View::rowPieces(int64_t first, int64_t count) const {
  // Normalize to rank >= 2: [rows..., cols].
  View view = *this;
  if (view.shape.empty()) {
    view.shape = {1, 1};
    view.strides = {0, 0};
  } else if (view.shape.size() == 1) {
    view.shape.insert(view.shape.begin(), 1);
    view.strides.insert(view.strides.begin(), 0);
  }
  size_t lead = view.shape.size() - 1;
  SmallVector<int64_t, 6> inner(lead, 1);
  for (size_t j = lead - 1; j-- > 0;)
    inner[j] = inner[j + 1] * view.shape[j + 1];

  SmallVector<View, 4> pieces;
  int64_t row = first, left = count;
  while (left > 0) {
    for (size_t j = 0; j < lead; ++j) {
      if (row % inner[j] != 0 || left < inner[j])
        continue;
      uint64_t address = view.address;
      for (size_t m = 0; m <= j; ++m) {
        int64_t index = (row / inner[m]) % view.shape[m];
        address += index * view.strides[m];
      }
      int64_t index = (row / inner[j]) % view.shape[j];
      int64_t blocks = std::min(view.shape[j] - index, left / inner[j]);
      View piece;
      piece.space = view.space;
      piece.address = address;
      piece.elementBytes = view.elementBytes;
      piece.shape.push_back(blocks);
      piece.strides.push_back(view.strides[j]);
      for (size_t m = j + 1; m < view.shape.size(); ++m) {
        piece.shape.push_back(view.shape[m]);
        piece.strides.push_back(view.strides[m]);
      }
      pieces.push_back(std::move(piece));
      row += blocks * inner[j];
      left -= blocks * inner[j];
      break;
    }
  }
  return pieces;
}

//===----------------------------------------------------------------------===//
// Copies
//===----------------------------------------------------------------------===//

namespace {
struct CopyDim {
  int64_t size;
  int64_t srcStride;
  int64_t dstStride;
};

constexpr int64_t U32Max = 0xFFFFFFFF;

/// Calls `emit` with each DMA instruction of a copy.
template <typename Emit>
void decomposeCopy(const View &src, const View &dst, Emit emit) {
  assert(src.shape == dst.shape && src.elementBytes == dst.elementBytes &&
         "copy between views of different shapes");
  const int64_t bytes = src.elementBytes;
  SmallVector<CopyDim, 6> dims;
  for (size_t d = 0; d < src.shape.size(); ++d) {
    if (src.shape[d] == 0)
      return;
    if (src.shape[d] != 1)
      dims.push_back({src.shape[d], src.strides[d], dst.strides[d]});
  }
  // Merge dimensions, innermost first, while both sides stay affine.
  SmallVector<CopyDim, 6> merged; // innermost first
  for (size_t i = dims.size(); i-- > 0;) {
    if (!merged.empty()) {
      CopyDim &in = merged.back();
      bool fits = in.size * dims[i].size * bytes <= U32Max;
      if (fits && dims[i].srcStride == in.srcStride * in.size &&
          dims[i].dstStride == in.dstStride * in.size) {
        in.size *= dims[i].size;
        continue;
      }
    }
    merged.push_back(dims[i]);
  }
  size_t next = 0;
  int64_t rowBytes = bytes;
  if (!merged.empty() && merged[0].srcStride == bytes &&
      merged[0].dstStride == bytes && merged[0].size * bytes <= U32Max) {
    rowBytes = merged[0].size * bytes;
    next = 1;
  }
  int64_t rows = 1, srcStride = 0, dstStride = 0;
  if (next < merged.size() && merged[next].size <= U32Max &&
      merged[next].srcStride <= U32Max && merged[next].dstStride <= U32Max) {
    rows = merged[next].size;
    srcStride = merged[next].srcStride;
    dstStride = merged[next].dstStride;
    ++next;
  }
  // Loops over the remaining dimensions (innermost first in `merged`).
  SmallVector<int64_t, 6> index(merged.size() - next, 0);
  while (true) {
    uint64_t srcAddress = src.address, dstAddress = dst.address;
    for (size_t i = 0; i < index.size(); ++i) {
      srcAddress += index[i] * merged[next + i].srcStride;
      dstAddress += index[i] * merged[next + i].dstStride;
    }
    emit(isa::Instruction::dma(
        src.space, dst.space, srcAddress, dstAddress,
        static_cast<uint32_t>(rowBytes), static_cast<uint32_t>(rows),
        static_cast<uint32_t>(srcStride), static_cast<uint32_t>(dstStride)));
    size_t i = 0;
    for (; i < index.size(); ++i) {
      if (++index[i] < merged[next + i].size)
        break;
      index[i] = 0;
    }
    if (i == index.size())
      return;
  }
}
} // namespace

void mho::cimtoxbar::appendCopy(std::vector<isa::Instruction> &out,
                                const View &src, const View &dst) {
  decomposeCopy(src, dst,
                [&](const isa::Instruction &inst) { out.push_back(inst); });
}

uint64_t mho::cimtoxbar::countCopy(const View &src, const View &dst) {
  uint64_t count = 0;
  decomposeCopy(src, dst, [&](const isa::Instruction &) { ++count; });
  return count;
}

//===----------------------------------------------------------------------===//
// SpadAllocator
//===----------------------------------------------------------------------===//

uint32_t SpadAllocator::allocate(uint64_t bytes) {
  uint64_t address = top;
  top += align(bytes);
  assert(top <= capacity && "scratchpad block beyond the chunk's sizing");
  (void)capacity;
  return static_cast<uint32_t>(address);
}

//===----------------------------------------------------------------------===//
// Schedule
//===----------------------------------------------------------------------===//

isa::CoreAddress Schedule::getCoreAddress(unsigned index) const {
  isa::CoreAddress address;
  address.core = static_cast<uint16_t>(index % config.cores);
  unsigned tile = index / config.cores;
  address.tile = static_cast<uint16_t>(tile % config.tiles);
  address.chip = static_cast<uint16_t>(tile / config.tiles);
  return address;
}

Task &Schedule::addTask(unsigned core, unsigned origin) {
  tasks.emplace_back();
  tasks.back().core = core;
  tasks.back().origin = origin;
  return tasks.back();
}

void Schedule::addInitialWeight(unsigned core, unsigned unit, unsigned block) {
  initial[core].push_back({unit, block});
}

static std::optional<unsigned> getUnit(const isa::Instruction &inst) {
  if (inst.getOpcode() == isa::Opcode::Wprog)
    return inst.getWprog().unit;
  if (inst.getOpcode() == isa::Opcode::Mvm)
    return inst.getMvm().unit;
  return std::nullopt;
}

View View::columns(int64_t first, int64_t count) const {
  if (shape.empty())
    return *this;
  SmallVector<int64_t> offsets(shape.size(), 0), sizes(shape),
      steps(shape.size(), 1);
  offsets.back() = first;
  sizes.back() = count;
  return sliced(offsets, sizes, steps);
}

Access mho::cimtoxbar::spanOf(const View &view, unsigned buffer) {
  int64_t low = 0, high = 0;
  for (auto [size, stride] : llvm::zip_equal(view.shape, view.strides)) {
    if (size == 0)
      return Access(buffer, view.address, view.address);
    int64_t extent = (size - 1) * stride;
    (extent < 0 ? low : high) += extent;
  }
  return Access(buffer, view.address + low,
                view.address + high + view.elementBytes);
}

Access mho::cimtoxbar::rowsOf(const View &view, unsigned buffer, int64_t first,
                              int64_t count) {
  Access result(buffer, std::numeric_limits<uint64_t>::max(), 0);
  for (const View &piece : view.rowPieces(first, count)) {
    Access span = spanOf(piece, buffer);
    result.begin = std::min(result.begin, span.begin);
    result.end = std::max(result.end, span.end);
  }
  if (result.begin > result.end)
    result.begin = result.end;
  return result;
}

namespace {
/// The writes to one buffer so far, by their first byte. A buffer written in
/// many row chunks is read in chunks too, so a read looks only at the writes
/// that can overlap it (beginning before its end, and at most the longest
/// write's length before its begin) rather than at every write.
struct BufferWrites {
  std::multimap<uint64_t, std::pair<unsigned, Access>> byBegin;
  uint64_t longest = 0;

  void add(unsigned task, const Access &write) {
    byBegin.emplace(write.begin, std::make_pair(task, write));
    // Unsigned: an inverted access makes this huge, and the search then
    // covers every write.
    longest = std::max(longest, write.end - write.begin);
  }

  /// Calls `fn` with the task of each write overlapping `read`.
  template <typename Fn> void forEachWriter(const Access &read, Fn fn) const {
    uint64_t from = read.begin - std::min(read.begin, longest);
    for (auto it = byBegin.lower_bound(from);
         it != byBegin.end() && it->first < read.end; ++it)
      if (it->second.second.overlaps(read))
        fn(it->second.first);
  }
};
} // namespace

void Schedule::assignLevels() {
  std::vector<BufferWrites> writes(numBuffers);
  std::map<std::pair<unsigned, unsigned>, unsigned> unitLevel;
  numLevels = 0;
  for (unsigned t = 0; t < tasks.size(); ++t) {
    Task &task = tasks[t];
    unsigned level = task.after ? tasks[*task.after].level + 1 : 0;
    for (const Access &read : task.reads)
      writes[read.buffer].forEachWriter(read, [&](unsigned writer) {
        level = std::max(level, tasks[writer].level +
                                    (tasks[writer].core != task.core ? 1 : 0));
      });
    for (const isa::Instruction &inst : task.code)
      if (std::optional<unsigned> unit = getUnit(inst)) {
        auto it = unitLevel.find({task.core, *unit});
        if (it != unitLevel.end())
          level = std::max(level, it->second);
      }
    task.level = level;
    for (const isa::Instruction &inst : task.code)
      if (std::optional<unsigned> unit = getUnit(inst))
        unitLevel[{task.core, *unit}] = level;
    for (const Access &write : task.writes)
      writes[write.buffer].add(t, write);
    numLevels = std::max(numLevels, level + 1);
  }
}

std::vector<EmittedStream> Schedule::emit() const {
  std::map<unsigned, std::vector<SmallVector<unsigned, 4>>> byCore;
  for (const auto &[core, weights] : initial)
    byCore[core].resize(numLevels);
  // active[L]: the cores with a task at level L.
  std::vector<std::set<unsigned>> active(numLevels);
  for (unsigned t = 0; t < tasks.size(); ++t) {
    auto &levels = byCore[tasks[t].core];
    levels.resize(numLevels);
    levels[tasks[t].level].push_back(t);
    active[tasks[t].level].insert(tasks[t].core);
  }
  // Barrier L: the cores active at level L or L + 1.
  std::vector<uint32_t> counts(numLevels, 0);
  for (unsigned level = 0; level + 1 < numLevels; ++level) {
    std::set<unsigned> members = active[level];
    members.insert(active[level + 1].begin(), active[level + 1].end());
    counts[level] = static_cast<uint32_t>(members.size());
  }

  std::vector<EmittedStream> streams;
  streams.reserve(byCore.size());
  for (const auto &[core, levels] : byCore) {
    EmittedStream stream;
    stream.core = getCoreAddress(core);
    std::map<unsigned, unsigned> held; // unit -> block
    auto add = [&](const isa::Instruction &inst, unsigned origin,
                   bool fromTask) {
      if (inst.getOpcode() == isa::Opcode::Wprog) {
        isa::WprogOperands ops = inst.getWprog();
        auto it = held.find(ops.unit);
        if (it != held.end() && it->second == ops.block)
          return;
        held[ops.unit] = ops.block;
      }
      stream.instructions.push_back({inst, origin, fromTask});
    };
    auto init = initial.find(core);
    if (init != initial.end())
      for (auto [unit, block] : init->second)
        add(isa::Instruction::wprog(static_cast<uint8_t>(unit), block), 0,
            false);
    for (unsigned level = 0; level < numLevels; ++level) {
      for (unsigned t : levels[level])
        for (const isa::Instruction &inst : tasks[t].code)
          add(inst, tasks[t].origin, true);
      bool member = !levels[level].empty() ||
                    (level + 1 < numLevels && !levels[level + 1].empty());
      // A barrier of one core would wait for nobody.
      if (level + 1 < numLevels && member && counts[level] > 1)
        add(isa::Instruction::barrier(level, counts[level]), 0, false);
    }
    add(isa::Instruction::halt(), 0, false);
    streams.push_back(std::move(stream));
  }
  return streams;
}
