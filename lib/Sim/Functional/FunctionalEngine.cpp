//===- FunctionalEngine.cpp - Executes a program image with values -------===//
//
// Machine state, the round-robin scheduler, one function per instruction
// (each calling the ISA library for its semantics), event counting and the
// host interface. docs/FunctionalEngine.md describes the execution model.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Functional/FunctionalEngine.h"

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/InstructionFormat.h"
#include "mho/ISA/Mvm.h"
#include "mho/ISA/VectorOps.h"
#include "mho/Sim/Functional/ThreadPool.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <unordered_map>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the functional engine keeps machine memory in host byte order, "
              "which must be little-endian like the ISA");

using namespace mho;
using namespace mho::sim::functional;
using isa::MemorySpace;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Architecture and image
//===----------------------------------------------------------------------===//

FunctionalOptions
FunctionalOptions::fromArchitecture(const arch::Architecture &arch) {
  FunctionalOptions options;
  options.analog = AnalogModel::fromArchitecture(arch);
  options.effects = options.analog.getConfiguredEffects();
  options.meshX = arch.chip.meshX;
  options.meshY = arch.chip.meshY;
  return options;
}

llvm::Expected<isa::UnitConfig>
mho::sim::functional::getUnitConfig(const arch::Architecture &arch) {
  const arch::MvmUnitSpec &u = arch.mvmUnit;
  auto fail = [&](const Twine &message) {
    return llvm::createStringError("architecture '" + arch.name +
                                   "' cannot be expressed in ISA v1: " +
                                   message);
  };
  auto limit = [&](llvm::StringRef field, uint64_t value,
                   uint64_t max) -> llvm::Error {
    if (value > max)
      return fail(field + " " + Twine(value) + " exceeds " + Twine(max));
    return llvm::Error::success();
  };
  struct Field {
    llvm::StringRef name;
    uint64_t value, max;
  } fields[] = {{"mvm_unit.rows", u.rows, 65535},
                {"mvm_unit.cols", u.cols, 65535},
                {"mvm_unit.cell_bits", u.cellBits, 8},
                {"mvm_unit.input_bits", u.inputBits, 8},
                {"mvm_unit.adc.bits", u.adc.bits, 29},
                {"core.mvm_units", arch.core.mvmUnits, 255},
                {"core.scratchpad.size", arch.core.scratchpad.size, UINT32_MAX},
                {"tile.buffer.size", arch.tile.buffer.size, UINT32_MAX},
                {"memory.size", arch.memory.size, (uint64_t{1} << 48) - 1},
                {"chip.chips", arch.chip.chips, 65535},
                {"chip.tiles", arch.chip.tiles, 65535},
                {"tile.cores", arch.tile.cores, 65535}};
  for (const Field &f : fields)
    if (llvm::Error err = limit(f.name, f.value, f.max))
      return std::move(err);

  isa::UnitConfig c;
  c.rows = uint16_t(u.rows);
  c.cols = uint16_t(u.cols);
  c.weightBits = uint8_t(u.weightBits);
  c.cellBits = uint8_t(u.cellBits);
  c.slices = uint8_t(u.slices);
  c.encoding = u.signedEncoding == arch::SignedEncoding::Differential
                   ? isa::WeightEncoding::Differential
                   : isa::WeightEncoding::Offset;
  c.inputBits = uint8_t(u.inputBits);
  c.dacBits = uint8_t(u.dacBits);
  c.planes = uint8_t(u.planes);
  c.adcBits = uint8_t(u.adc.bits);
  c.adcShift = uint8_t(u.adcDropBits);
  c.accBits = uint8_t(u.accumulatorBits);
  c.mvmUnits = uint8_t(arch.core.mvmUnits);
  c.spadBytes = uint32_t(arch.core.scratchpad.size);
  c.tbufBytes = uint32_t(arch.tile.buffer.size);
  c.dramBytes = arch.memory.size;
  c.chips = uint16_t(arch.chip.chips);
  c.tiles = uint16_t(arch.chip.tiles);
  c.cores = uint16_t(arch.tile.cores);
  if (llvm::Error err = isa::verifyUnitConfig(c))
    return fail(llvm::toString(std::move(err)));
  return c;
}

llvm::Error mho::sim::functional::checkImageAgainstArchitecture(
    const isa::UnitConfig &image, const arch::Architecture &arch) {
  llvm::Expected<isa::UnitConfig> expected = getUnitConfig(arch);
  if (!expected)
    return expected.takeError();
  const isa::UnitConfig &a = *expected;
  std::string problems;
  auto add = [&](const Twine &text) {
    problems += problems.empty() ? "" : "; ";
    problems += text.str();
  };
  auto same = [&](llvm::StringRef name, uint64_t img, uint64_t ar) {
    if (img != ar)
      add(name + " " + Twine(img) + " (image) vs " + Twine(ar) +
          " (architecture)");
  };
  auto fits = [&](llvm::StringRef name, uint64_t img, uint64_t ar) {
    if (img > ar)
      add(name + " " + Twine(img) + " (image) exceeds " + Twine(ar) +
          " (architecture)");
  };
  same("rows", image.rows, a.rows);
  same("cols", image.cols, a.cols);
  same("weight_bits", image.weightBits, a.weightBits);
  same("cell_bits", image.cellBits, a.cellBits);
  same("slices", image.slices, a.slices);
  if (image.encoding != a.encoding)
    add("encoding " + isa::getName(image.encoding) + " (image) vs " +
        isa::getName(a.encoding) + " (architecture)");
  same("input_bits", image.inputBits, a.inputBits);
  same("dac_bits", image.dacBits, a.dacBits);
  same("planes", image.planes, a.planes);
  same("adc_bits", image.adcBits, a.adcBits);
  same("adc_shift", image.adcShift, a.adcShift);
  same("acc_bits", image.accBits, a.accBits);
  fits("mvm_units", image.mvmUnits, a.mvmUnits);
  fits("spad_bytes", image.spadBytes, a.spadBytes);
  fits("tbuf_bytes", image.tbufBytes, a.tbufBytes);
  fits("dram_bytes", image.dramBytes, a.dramBytes);
  fits("chips", image.chips, a.chips);
  fits("tiles", image.tiles, a.tiles);
  fits("cores", image.cores, a.cores);
  if (problems.empty())
    return llvm::Error::success();
  return llvm::createStringError("the image's unit configuration does not "
                                 "match architecture '" +
                                 arch.name + "': " + problems);
}

ElementType mho::sim::functional::getElementType(isa::DataType type) {
  switch (type) {
  case isa::DataType::I8:
    return ElementType::I8;
  case isa::DataType::I16:
    return ElementType::I16;
  case isa::DataType::I32:
    return ElementType::I32;
  case isa::DataType::F32:
    return ElementType::F32;
  case isa::DataType::BF16:
    return ElementType::BF16;
  case isa::DataType::F16:
    return ElementType::F16;
  }
  return ElementType::F32;
}

std::string mho::sim::functional::describeSymbol(const isa::Symbol &symbol) {
  std::string text;
  for (unsigned i = 0; i < symbol.rank; ++i)
    text += std::to_string(symbol.dims[i]) + "x";
  return text + elementTypeName(getElementType(symbol.type)).str();
}

//===----------------------------------------------------------------------===//
// Memories
//===----------------------------------------------------------------------===//

namespace {

/// A zero-initialised block whose pages the OS commits on first touch.
struct ZeroBuffer {
  ZeroBuffer() = default;
  explicit ZeroBuffer(size_t size)
      : data(static_cast<uint8_t *>(std::calloc(std::max<size_t>(size, 1), 1))),
        size(size) {}
  ZeroBuffer(ZeroBuffer &&other) : data(other.data), size(other.size) {
    other.data = nullptr;
    other.size = 0;
  }
  ZeroBuffer &operator=(ZeroBuffer &&other) {
    std::swap(data, other.data);
    std::swap(size, other.size);
    return *this;
  }
  ~ZeroBuffer() { std::free(data); }
  uint8_t *data = nullptr;
  size_t size = 0;
};

/// DRAM: 64 KiB pages allocated on first write; unwritten bytes read as 0.
class PagedMemory {
public:
  static constexpr unsigned PageBits = 16;
  static constexpr uint64_t PageSize = uint64_t{1} << PageBits;

  void write(uint64_t address, const uint8_t *bytes, uint64_t size) {
    while (size > 0) {
      uint64_t offset = address & (PageSize - 1);
      uint64_t n = std::min(size, PageSize - offset);
      std::memcpy(getPage(address >> PageBits) + offset, bytes, n);
      address += n;
      bytes += n;
      size -= n;
    }
  }
  void read(uint64_t address, uint8_t *bytes, uint64_t size) const {
    while (size > 0) {
      uint64_t offset = address & (PageSize - 1);
      uint64_t n = std::min(size, PageSize - offset);
      auto it = pages.find(address >> PageBits);
      if (it == pages.end())
        std::memset(bytes, 0, n);
      else
        std::memcpy(bytes, it->second.get() + offset, n);
      address += n;
      bytes += n;
      size -= n;
    }
  }
  size_t getAllocatedPages() const { return pages.size(); }

private:
  uint8_t *getPage(uint64_t page) {
    auto &slot = pages[page];
    if (!slot) {
      slot.reset(new uint8_t[PageSize]);
      std::memset(slot.get(), 0, PageSize);
    }
    return slot.get();
  }
  std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages;
};

struct Message {
  uint32_t srcTile;
  uint32_t tag;
  uint32_t bytes;
};

struct Tile {
  ZeroBuffer buffer;
  std::deque<Message> mailbox;
};

enum class CoreStatus { Ready, BlockedRecv, BlockedBarrier, Halted };

struct Core {
  isa::CoreAddress address;
  unsigned stream = 0;
  uint32_t globalTile = 0;
  size_t pc = 0;
  CoreStatus status = CoreStatus::Ready;
  ZeroBuffer spad;
  std::vector<MvmUnit> units;
  std::vector<uint64_t> invocations; ///< mvm instructions per unit
  uint64_t unitBase = 0;             ///< global id of unit 0
};

struct BarrierState {
  uint32_t count = 0;
  std::vector<unsigned> waiting; ///< core indices, in arrival order
};

/// Result of one instruction.
enum class Step { Next, Block, Halt };

} // namespace

//===----------------------------------------------------------------------===//
// Impl
//===----------------------------------------------------------------------===//

class FunctionalEngine::Impl {
public:
  Impl(isa::ProgramImage image, const FunctionalOptions &options,
       MvmArithmetic arithmetic)
      : image(std::move(image)), options(options),
        arithmetic(std::move(arithmetic)), pool(options.threads) {}

  llvm::Error build();
  llvm::Error run();

  isa::ProgramImage image;
  FunctionalOptions options;
  MvmArithmetic arithmetic;
  ThreadPool pool;
  std::vector<Core> cores;
  std::map<uint32_t, Tile> tiles;
  PagedMemory dram;
  std::map<uint32_t, BarrierState> barriers;
  EventCounts events;
  KernelCounts kernelCounts;
  bool ran = false;

  // Memory helpers. `what` names the operand for errors.
  llvm::Expected<uint8_t *> spadPointer(Core &core, uint64_t address,
                                        uint64_t size, llvm::StringRef what);
  llvm::Error checkRange(MemorySpace space, uint64_t address, uint64_t size,
                         const Twine &what) const;
  void readSpace(const Core &core, MemorySpace space, uint64_t address,
                 uint8_t *out, uint64_t size) const;
  void writeSpace(Core &core, MemorySpace space, uint64_t address,
                  const uint8_t *in, uint64_t size);
  MemoryEvents &spaceEvents(CoreEvents &ev, MemorySpace space);

  // Execution.
  llvm::Error error(const Core &core, const Twine &message) const;
  llvm::Expected<Step> execute(Core &core, unsigned index);
  llvm::Expected<Step> executeMvm(Core &core, const isa::Instruction &inst,
                                  CoreEvents &ev);
  llvm::Expected<Step> executeDma(Core &core, const isa::Instruction &inst,
                                  CoreEvents &ev);
  llvm::Expected<Step> executeSend(Core &core, const isa::Instruction &inst,
                                   CoreEvents &ev);
  Step executeRecv(Core &core, const isa::Instruction &inst, CoreEvents &ev);
  llvm::Expected<Step> executeBarrier(Core &core, unsigned index,
                                      const isa::Instruction &inst,
                                      CoreEvents &ev);
  llvm::Expected<Step> executeVector(Core &core, const isa::Instruction &inst,
                                     CoreEvents &ev);
  bool isRunnable(const Core &core) const;
  std::string describeBlocked(const Core &core) const;
  unsigned getHops(uint32_t fromTile, uint32_t toTile) const;
};

llvm::Error FunctionalEngine::Impl::build() {
  const isa::UnitConfig &config = image.config;
  events.cores.clear();
  events.perCore.assign(image.streams.size(), CoreEvents());
  cores.resize(image.streams.size());
  for (size_t s = 0; s < image.streams.size(); ++s) {
    Core &core = cores[s];
    core.address = image.streams[s].core;
    core.stream = unsigned(s);
    core.globalTile = core.address.getGlobalTile();
    core.spad = ZeroBuffer(config.spadBytes);
    if (!core.spad.data && config.spadBytes)
      return llvm::createStringError("cannot allocate a scratchpad of " +
                                     Twine(config.spadBytes) + " bytes");
    core.units.resize(config.mvmUnits);
    core.invocations.assign(config.mvmUnits, 0);
    core.unitBase =
        ((uint64_t(core.address.chip) * config.tiles + core.address.tile) *
             config.cores +
         core.address.core) *
        config.mvmUnits;
    events.cores.push_back(core.address);
    if (!tiles.count(core.globalTile))
      tiles[core.globalTile].buffer = ZeroBuffer(config.tbufBytes);
  }
  for (const isa::DramInit &init : image.dramInits)
    dram.write(init.address, init.bytes.data(), init.bytes.size());
  return llvm::Error::success();
}

llvm::Error FunctionalEngine::Impl::error(const Core &core,
                                          const Twine &message) const {
  const auto &insts = image.streams[core.stream].instructions;
  std::string mnemonic =
      core.pc < insts.size() ? isa::getMnemonic(insts[core.pc]) : "end";
  return llvm::createStringError(
      llvm::formatv("core ({0},{1},{2}) instruction {3} ({4}): ",
                    core.address.chip, core.address.tile, core.address.core,
                    core.pc, mnemonic)
          .str() +
      message);
}

llvm::Error FunctionalEngine::Impl::checkRange(MemorySpace space,
                                               uint64_t address, uint64_t size,
                                               const Twine &what) const {
  uint64_t limit = image.config.getSpaceBytes(space);
  if (address > limit || size > limit - address)
    return llvm::createStringError(
        llvm::formatv("{0} [{1:x}, +{2}) is outside {3} ({4} bytes)",
                      what.str(), address, size, isa::getName(space), limit)
            .str());
  return llvm::Error::success();
}

llvm::Expected<uint8_t *>
FunctionalEngine::Impl::spadPointer(Core &core, uint64_t address,
                                    uint64_t size, llvm::StringRef what) {
  if (llvm::Error err = checkRange(MemorySpace::Spad, address, size, what))
    return std::move(err);
  return core.spad.data + address;
}

void FunctionalEngine::Impl::readSpace(const Core &core, MemorySpace space,
                                       uint64_t address, uint8_t *out,
                                       uint64_t size) const {
  switch (space) {
  case MemorySpace::Spad:
    std::memcpy(out, core.spad.data + address, size);
    return;
  case MemorySpace::Tbuf:
    std::memcpy(out, tiles.at(core.globalTile).buffer.data + address, size);
    return;
  case MemorySpace::Dram:
    dram.read(address, out, size);
    return;
  }
}

void FunctionalEngine::Impl::writeSpace(Core &core, MemorySpace space,
                                        uint64_t address, const uint8_t *in,
                                        uint64_t size) {
  switch (space) {
  case MemorySpace::Spad:
    std::memcpy(core.spad.data + address, in, size);
    return;
  case MemorySpace::Tbuf:
    std::memcpy(tiles.at(core.globalTile).buffer.data + address, in, size);
    return;
  case MemorySpace::Dram:
    dram.write(address, in, size);
    return;
  }
}

MemoryEvents &FunctionalEngine::Impl::spaceEvents(CoreEvents &ev,
                                                  MemorySpace space) {
  switch (space) {
  case MemorySpace::Spad:
    return ev.spad;
  case MemorySpace::Tbuf:
    return ev.tbuf;
  case MemorySpace::Dram:
    return ev.dram;
  }
  return ev.dram;
}

unsigned FunctionalEngine::Impl::getHops(uint32_t fromTile,
                                         uint32_t toTile) const {
  unsigned tilesPerChip = image.config.tiles;
  unsigned meshX = options.meshX ? options.meshX : tilesPerChip;
  unsigned a = fromTile & 0xFFFF, b = toTile & 0xFFFF;
  int ax = int(a % meshX), ay = int(a / meshX);
  int bx = int(b % meshX), by = int(b / meshX);
  return unsigned(std::abs(ax - bx) + std::abs(ay - by));
}

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

llvm::Expected<Step>
FunctionalEngine::Impl::executeMvm(Core &core, const isa::Instruction &inst,
                                   CoreEvents &ev) {
  const isa::UnitConfig &config = image.config;
  isa::MvmOperands ops = inst.getMvm();
  if (ops.unit >= core.units.size())
    return error(core, "unit " + Twine(unsigned(ops.unit)) +
                           " does not exist (mvm_units " +
                           Twine(core.units.size()) + ")");
  MvmUnit &unit = core.units[ops.unit];
  if (!unit.isProgrammed())
    return error(core, "unit " + Twine(unsigned(ops.unit)) +
                           " has not been programmed (no wprog before it)");
  uint64_t count = ops.count;
  if (ops.countIndirect) {
    auto p = spadPointer(core, ops.count, 4, "count");
    if (!p)
      return error(core, llvm::toString(p.takeError()));
    int32_t value;
    std::memcpy(&value, *p, 4);
    if (value < 0)
      return error(core, "indirect count at spad " +
                             llvm::formatv("{0:x}", ops.count).str() + " is " +
                             Twine(value) + ", must not be negative");
    count = uint64_t(value);
    ev.spad.readBytes += 4;
  }
  const unsigned R = unit.getRows(), C = unit.getCols();
  uint64_t inBytes = R, outBytes = uint64_t(C) * 4;
  if (count > 0) {
    uint64_t lastIn = uint64_t(ops.src) + (count - 1) * ops.srcStride;
    uint64_t lastOut = uint64_t(ops.dst) + (count - 1) * ops.dstStride;
    if (llvm::Error err = checkRange(MemorySpace::Spad, lastIn, inBytes,
                                     "input of vector " + Twine(count - 1)))
      return error(core, llvm::toString(std::move(err)));
    if (llvm::Error err = checkRange(MemorySpace::Spad, lastOut, outBytes,
                                     "output of vector " + Twine(count - 1)))
      return error(core, llvm::toString(std::move(err)));
  }
  uint64_t invocation = core.invocations[ops.unit]++;
  if (count > 0) {
    // Batches of at most MaxBatch vectors bound the memory a large count
    // needs; the vector index keeps naming each vector's reads.
    constexpr uint64_t MaxBatch = 4096;
    std::vector<int32_t> results(std::min(count, MaxBatch) * C);
    const int8_t *inputs =
        reinterpret_cast<const int8_t *>(core.spad.data + ops.src);
    // Vectors run one after another when a later input overlaps an earlier
    // output (docs/ISA.md: each vector is read, computed and written in turn).
    uint64_t inEnd = uint64_t(ops.src) + (count - 1) * ops.srcStride + inBytes;
    uint64_t outEnd =
        uint64_t(ops.dst) + (count - 1) * ops.dstStride + outBytes;
    bool overlap = count > 1 && ops.src < outEnd && ops.dst < inEnd;
    auto store = [&](uint64_t v, const int32_t *result) {
      uint8_t *out = core.spad.data + ops.dst + v * ops.dstStride;
      if (ops.accumulate) {
        isa::addSaturate32(out, result, C);
        return;
      }
      std::memcpy(out, result, outBytes);
    };
    const uint64_t batch = overlap ? 1 : MaxBatch;
    for (uint64_t first = 0; first < count; first += batch) {
      uint64_t n = std::min(batch, count - first);
      MultiplyStats stats;
      unit.multiply(arithmetic, inputs + first * ops.srcStride, ops.srcStride,
                    unsigned(n), results.data(), invocation, unsigned(first),
                    &pool, &stats);
      kernelCounts.mvmBatches += 1;
      kernelCounts.residueBatches += stats.residueKernel;
      kernelCounts.exactReads += stats.exactReads;
      for (uint64_t v = 0; v < n; ++v)
        store(first + v, results.data() + v * C);
    }
  }
  const uint64_t arrays =
      uint64_t(config.slices) * config.getPolarities();
  ev.mvm.vectors += count;
  ev.mvm.macs += count * R * C;
  ev.mvm.dacActivations += count * config.planes * R;
  ev.mvm.crossbarReads += count * config.planes * arrays;
  ev.mvm.adcConversions += count * config.planes * arrays * C;
  ev.mvm.shiftAddSteps += count * config.planes * arrays * C;
  ev.spad.readBytes += count * (inBytes + (ops.accumulate ? outBytes : 0));
  ev.spad.writeBytes += count * outBytes;
  return Step::Next;
}

llvm::Expected<Step>
FunctionalEngine::Impl::executeDma(Core &core, const isa::Instruction &inst,
                                   CoreEvents &ev) {
  isa::DmaOperands ops = inst.getDma();
  const uint64_t rows = ops.rows, rowBytes = ops.rowBytes;
  if (rows == 0 || rowBytes == 0)
    return Step::Next;
  uint64_t srcExtent = (rows - 1) * ops.srcStride + rowBytes;
  uint64_t dstExtent = (rows - 1) * ops.dstStride + rowBytes;
  if (llvm::Error err = checkRange(ops.srcSpace, ops.src, srcExtent, "src"))
    return error(core, llvm::toString(std::move(err)));
  if (llvm::Error err = checkRange(ops.dstSpace, ops.dst, dstExtent, "dst"))
    return error(core, llvm::toString(std::move(err)));
  if (ops.srcSpace == ops.dstSpace && ops.src < ops.dst + dstExtent &&
      ops.dst < ops.src + srcExtent) {
    // The bounding ranges meet; look for a byte both read and written.
    std::vector<std::pair<uint64_t, uint64_t>> reads, writes;
    for (uint64_t r = 0; r < rows; ++r) {
      reads.push_back({ops.src + r * ops.srcStride, rowBytes});
      writes.push_back({ops.dst + r * ops.dstStride, rowBytes});
    }
    llvm::sort(reads);
    llvm::sort(writes);
    size_t i = 0, j = 0;
    while (i < reads.size() && j < writes.size()) {
      auto [ra, rn] = reads[i];
      auto [wa, wn] = writes[j];
      if (ra < wa + wn && wa < ra + rn)
        return error(core,
                     llvm::formatv("source and destination overlap in {0} "
                                   "(src row at {1:x}, dst row at {2:x})",
                                   isa::getName(ops.srcSpace), ra, wa)
                         .str());
      if (ra + rn <= wa + wn)
        ++i;
      else
        ++j;
    }
  }
  // Through a bounded buffer (rows may be gigabytes of DRAM).
  std::vector<uint8_t> buffer(std::min<uint64_t>(rowBytes, 1 << 16));
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t at = 0; at < rowBytes; at += buffer.size()) {
      uint64_t n = std::min<uint64_t>(buffer.size(), rowBytes - at);
      readSpace(core, ops.srcSpace, ops.src + r * ops.srcStride + at,
                buffer.data(), n);
      writeSpace(core, ops.dstSpace, ops.dst + r * ops.dstStride + at,
                 buffer.data(), n);
    }
  spaceEvents(ev, ops.srcSpace).readBytes += rows * rowBytes;
  spaceEvents(ev, ops.dstSpace).writeBytes += rows * rowBytes;
  return Step::Next;
}

llvm::Expected<Step>
FunctionalEngine::Impl::executeSend(Core &core, const isa::Instruction &inst,
                                    CoreEvents &ev) {
  const isa::UnitConfig &config = image.config;
  isa::SendOperands ops = inst.getSend();
  uint32_t chip = ops.dstTile >> 16, tile = ops.dstTile & 0xFFFF;
  if (chip >= config.chips || tile >= config.tiles)
    return error(core, llvm::formatv("destination tile {0:x} (chip {1}, tile "
                                     "{2}) does not exist",
                                     ops.dstTile, chip, tile)
                           .str());
  if (llvm::Error err = checkRange(ops.srcSpace, ops.src, ops.bytes, "src"))
    return error(core, llvm::toString(std::move(err)));
  if (llvm::Error err = checkRange(MemorySpace::Tbuf, ops.dst, ops.bytes,
                                   "dst (in the destination tile)"))
    return error(core, llvm::toString(std::move(err)));
  Tile &dest = tiles[ops.dstTile];
  if (!dest.buffer.data)
    dest.buffer = ZeroBuffer(config.tbufBytes);
  // The source may be the destination's own buffer (a send to this tile).
  std::vector<uint8_t> buffer(std::min<uint32_t>(ops.bytes, 1 << 16));
  if (ops.srcSpace == MemorySpace::Tbuf && ops.dstTile == core.globalTile) {
    std::memmove(dest.buffer.data + ops.dst,
                 tiles.at(core.globalTile).buffer.data + ops.src, ops.bytes);
  } else {
    for (uint64_t at = 0; at < ops.bytes; at += buffer.size()) {
      uint64_t n = std::min<uint64_t>(buffer.size(), ops.bytes - at);
      readSpace(core, ops.srcSpace, ops.src + at, buffer.data(), n);
      std::memcpy(dest.buffer.data + ops.dst + at, buffer.data(), n);
    }
  }
  dest.mailbox.push_back({core.globalTile, ops.tag, ops.bytes});
  ev.noc.sends += 1;
  ev.noc.bytes += ops.bytes;
  if ((core.globalTile >> 16) == chip)
    ev.noc.byteHops += uint64_t(ops.bytes) * getHops(core.globalTile,
                                                      ops.dstTile);
  else
    ev.noc.chipLinkBytes += ops.bytes;
  spaceEvents(ev, ops.srcSpace).readBytes += ops.bytes;
  ev.tbuf.writeBytes += ops.bytes;
  return Step::Next;
}

Step FunctionalEngine::Impl::executeRecv(Core &core,
                                         const isa::Instruction &inst,
                                         CoreEvents &ev) {
  isa::RecvOperands ops = inst.getRecv();
  std::deque<Message> &mailbox = tiles[core.globalTile].mailbox;
  for (auto it = mailbox.begin(); it != mailbox.end(); ++it)
    if (it->srcTile == ops.srcTile && it->tag == ops.tag &&
        it->bytes == ops.bytes) {
      mailbox.erase(it);
      ev.noc.recvs += 1;
      return Step::Next;
    }
  return Step::Block;
}

llvm::Expected<Step>
FunctionalEngine::Impl::executeBarrier(Core &core, unsigned index,
                                       const isa::Instruction &inst,
                                       CoreEvents &ev) {
  isa::BarrierOperands ops = inst.getBarrier();
  ev.sync.barriers += 1;
  if (ops.count <= 1)
    return Step::Next;
  BarrierState &state = barriers[ops.id];
  if (state.waiting.empty())
    state.count = ops.count;
  else if (state.count != ops.count)
    return error(core, llvm::formatv("barrier {0} expects {1} cores here, but "
                                     "the cores already waiting expect {2}",
                                     ops.id, ops.count, state.count)
                           .str());
  state.waiting.push_back(index);
  if (state.waiting.size() < state.count)
    return Step::Block;
  // Release: every waiting core moves past its barrier.
  for (unsigned waiter : state.waiting) {
    if (waiter == index)
      continue;
    cores[waiter].pc += 1;
    cores[waiter].status = CoreStatus::Ready;
    events.perCore[waiter].instructions += 1;
    events.perCore[waiter].perOpcode[uint8_t(isa::Opcode::Barrier)] += 1;
  }
  state.waiting.clear();
  return Step::Next;
}

llvm::Expected<Step>
FunctionalEngine::Impl::executeVector(Core &core, const isa::Instruction &inst,
                                      CoreEvents &ev) {
  llvm::MutableArrayRef<uint8_t> spad(core.spad.data, core.spad.size);
  llvm::Error err = llvm::Error::success();
  switch (inst.getOpcode()) {
  case isa::Opcode::Vec: {
    isa::VecOperands ops = inst.getVec();
    uint64_t n = uint64_t(ops.rows) * ops.cols;
    err = isa::executeVec(ops, spad);
    ev.vector.ops(getVectorClass(ops.fn)) += n;
    bool conversion = ops.fn == isa::VecFn::Cvt ||
                      ops.fn == isa::VecFn::Quant ||
                      ops.fn == isa::VecFn::Dequant;
    unsigned srcSize = isa::getByteSize(ops.type);
    unsigned dstSize = conversion ? isa::getByteSize(ops.toType) : srcSize;
    uint64_t src2 = 0;
    if (isa::getArity(ops.fn) == 2)
      src2 = isa::getSrc2Count(ops.mode, ops.rows, ops.cols) *
             (ops.fn == isa::VecFn::Dequant ? 4 : srcSize);
    ev.spad.readBytes += n * srcSize + src2;
    ev.spad.writeBytes += n * dstSize;
    break;
  }
  case isa::Opcode::Vred: {
    isa::VredOperands ops = inst.getVred();
    err = isa::executeVred(ops, spad);
    uint64_t n = uint64_t(ops.rows) * ops.cols;
    ev.vector.ops(VectorClass::Reduce) += n;
    ev.spad.readBytes += n * 4;
    ev.spad.writeBytes += uint64_t(ops.rows) * 4;
    break;
  }
  case isa::Opcode::Vtopk: {
    isa::VtopkOperands ops = inst.getVtopk();
    err = isa::executeVtopk(ops, spad);
    uint64_t n = uint64_t(ops.rows) * ops.cols;
    ev.vector.ops(VectorClass::Add) += n;
    ev.spad.readBytes += n * 4;
    ev.spad.writeBytes += uint64_t(ops.rows) * ops.k * 8;
    break;
  }
  case isa::Opcode::Vdispatch: {
    isa::VdispatchOperands ops = inst.getVdispatch();
    err = isa::executeVdispatch(ops, spad);
    // Every list slot and every count is written, routed or not.
    uint64_t writes = uint64_t(ops.experts) * (uint64_t(ops.capacity) + 1);
    ev.vector.ops(VectorClass::Add) += ops.entries;
    ev.spad.readBytes += uint64_t(ops.entries) * 4;
    ev.spad.writeBytes += writes * 4;
    break;
  }
  case isa::Opcode::Dmm: {
    isa::DmmOperands ops = inst.getDmm();
    err = isa::executeDmm(ops, spad);
    uint64_t m = ops.m, k = ops.k, n = ops.n;
    unsigned in = ops.type == isa::DataType::F32 ? 4 : 1;
    ev.vector.dmmMacs += m * k * n;
    ev.spad.readBytes += (m * k + k * n) * in + (ops.accumulate ? m * n * 4 : 0);
    ev.spad.writeBytes += m * n * 4;
    break;
  }
  case isa::Opcode::Vgather:
  case isa::Opcode::Vscatter: {
    isa::GatherOperands ops = inst.getGather();
    uint64_t count = ops.count;
    if (ops.countIndirect) {
      auto p = spadPointer(core, ops.count, 4, "count");
      if (!p)
        return error(core, llvm::toString(p.takeError()));
      int32_t value;
      std::memcpy(&value, *p, 4);
      if (value < 0)
        return error(core, "indirect count is " + Twine(value) +
                               ", must not be negative");
      count = uint64_t(value);
      ev.spad.readBytes += 4;
    }
    if (inst.getOpcode() == isa::Opcode::Vgather)
      err = isa::executeGather(ops, uint32_t(count), spad);
    else
      err = isa::executeScatter(ops, uint32_t(count), spad);
    uint64_t bytes = count * ops.rowBytes;
    ev.vector.gatherBytes += bytes;
    ev.spad.readBytes += bytes + count * 4 + (ops.accumulate ? bytes : 0);
    ev.spad.writeBytes += bytes;
    if (ops.accumulate)
      ev.vector.ops(VectorClass::Add) += bytes / 4;
    break;
  }
  default:
    break;
  }
  if (err)
    return error(core, llvm::toString(std::move(err)));
  return Step::Next;
}

llvm::Expected<Step> FunctionalEngine::Impl::execute(Core &core,
                                                     unsigned index) {
  const isa::Instruction &inst = image.streams[core.stream].instructions[core.pc];
  CoreEvents &ev = events.perCore[index];
  llvm::Expected<Step> step = Step::Next;
  switch (inst.getOpcode()) {
  case isa::Opcode::Nop:
    break;
  case isa::Opcode::Halt:
    step = Step::Halt;
    break;
  case isa::Opcode::Barrier:
    step = executeBarrier(core, index, inst, ev);
    break;
  case isa::Opcode::Send:
    step = executeSend(core, inst, ev);
    break;
  case isa::Opcode::Recv:
    step = executeRecv(core, inst, ev);
    break;
  case isa::Opcode::Wprog: {
    isa::WprogOperands ops = inst.getWprog();
    if (ops.unit >= core.units.size())
      return error(core, "unit " + Twine(unsigned(ops.unit)) +
                             " does not exist");
    if (ops.block >= image.weights.size())
      return error(core, "weight block " + Twine(ops.block) +
                             " does not exist (" +
                             Twine(image.weights.size()) + " blocks)");
    const isa::WeightBlock &block = image.weights[ops.block];
    if (llvm::Error err = core.units[ops.unit].program(
            arithmetic, block, core.unitBase + ops.unit, &pool))
      return error(core, llvm::toString(std::move(err)));
    uint64_t cells = uint64_t(block.rows) * block.cols * image.config.slices *
                     image.config.getPolarities();
    ev.mvm.programs += 1;
    ev.mvm.cellsProgrammed += cells;
    ev.mvm.weightBytesRead +=
        uint64_t(block.rows) * block.cols * (block.bits <= 8 ? 1 : 2);
    break;
  }
  case isa::Opcode::Mvm:
    step = executeMvm(core, inst, ev);
    break;
  case isa::Opcode::Dma:
    step = executeDma(core, inst, ev);
    break;
  default:
    step = executeVector(core, inst, ev);
    break;
  }
  if (!step)
    return step.takeError();
  if (*step != Step::Block) {
    ev.instructions += 1;
    ev.perOpcode[inst.getRawOpcode()] += 1;
  }
  return step;
}

bool FunctionalEngine::Impl::isRunnable(const Core &core) const {
  switch (core.status) {
  case CoreStatus::Ready:
    return true;
  case CoreStatus::Halted:
  case CoreStatus::BlockedBarrier:
    return false;
  case CoreStatus::BlockedRecv: {
    isa::RecvOperands ops =
        image.streams[core.stream].instructions[core.pc].getRecv();
    auto it = tiles.find(core.globalTile);
    if (it == tiles.end())
      return false;
    return llvm::any_of(it->second.mailbox, [&](const Message &m) {
      return m.srcTile == ops.srcTile && m.tag == ops.tag &&
             m.bytes == ops.bytes;
    });
  }
  }
  return false;
}

std::string FunctionalEngine::Impl::describeBlocked(const Core &core) const {
  const isa::Instruction &inst =
      image.streams[core.stream].instructions[core.pc];
  std::string where = llvm::formatv("core ({0},{1},{2}) at instruction {3} ",
                                    core.address.chip, core.address.tile,
                                    core.address.core, core.pc)
                          .str();
  if (core.status == CoreStatus::BlockedRecv) {
    isa::RecvOperands ops = inst.getRecv();
    return where + llvm::formatv("(recv tag={0} src_tile={1:x} bytes={2})",
                                 ops.tag, ops.srcTile, ops.bytes)
                       .str();
  }
  isa::BarrierOperands ops = inst.getBarrier();
  auto it = barriers.find(ops.id);
  size_t arrived = it == barriers.end() ? 0 : it->second.waiting.size();
  return where + llvm::formatv("(barrier id={0}: {1} of {2} cores arrived)",
                               ops.id, arrived, ops.count)
                     .str();
}

llvm::Error FunctionalEngine::Impl::run() {
  if (ran)
    return llvm::createStringError("the program has already run");
  ran = true;
  const size_t n = cores.size();
  size_t current = 0;
  while (true) {
    // The next runnable core, round-robin from `current`.
    size_t pick = n;
    bool unfinished = false;
    for (size_t i = 0; i < n; ++i) {
      size_t c = (current + i) % n;
      if (cores[c].status != CoreStatus::Halted)
        unfinished = true;
      if (isRunnable(cores[c])) {
        pick = c;
        break;
      }
    }
    if (!unfinished)
      return llvm::Error::success();
    if (pick == n) {
      std::string list;
      for (const Core &core : cores)
        if (core.status != CoreStatus::Halted)
          list += (list.empty() ? "" : "; ") + describeBlocked(core);
      return llvm::createStringError("deadlock: every unfinished core is "
                                     "blocked: " +
                                     list);
    }
    Core &core = cores[pick];
    core.status = CoreStatus::Ready;
    const auto &insts = image.streams[core.stream].instructions;
    while (core.status == CoreStatus::Ready) {
      if (core.pc >= insts.size())
        return error(core, "the stream ended without a halt");
      llvm::Expected<Step> step = execute(core, unsigned(pick));
      if (!step)
        return step.takeError();
      switch (*step) {
      case Step::Next:
        ++core.pc;
        break;
      case Step::Halt:
        core.status = CoreStatus::Halted;
        break;
      case Step::Block:
        core.status = insts[core.pc].getOpcode() == isa::Opcode::Recv
                          ? CoreStatus::BlockedRecv
                          : CoreStatus::BlockedBarrier;
        events.perCore[pick].sync.blockedSwitches += 1;
        break;
      }
    }
    current = (pick + 1) % n;
  }
}

//===----------------------------------------------------------------------===//
// FunctionalEngine
//===----------------------------------------------------------------------===//

FunctionalEngine::FunctionalEngine(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
FunctionalEngine::~FunctionalEngine() = default;

llvm::Expected<std::unique_ptr<FunctionalEngine>>
FunctionalEngine::create(isa::ProgramImage image,
                         const FunctionalOptions &options) {
  if (llvm::Error err = isa::verifyImage(image))
    return std::move(err);
  for (size_t b = 0; b < image.weights.size(); ++b)
    if (image.weights[b].elided)
      return llvm::createStringError(
          "weight block " + Twine(b) + " '" + image.weights[b].name +
          "' is shape only (the program was compiled without weight "
          "values); the functional engine needs the values");
  AnalogModel model = options.analog.restrictedTo(options.effects);
  llvm::Expected<MvmArithmetic> arith =
      MvmArithmetic::create(image.config, model, options.kernel);
  if (!arith)
    return arith.takeError();
  if (options.threads == 0 || options.threads > 1024)
    return llvm::createStringError("threads must be in [1, 1024], got " +
                                   Twine(options.threads));
  auto impl = std::make_unique<Impl>(std::move(image), options,
                                     std::move(*arith));
  if (llvm::Error err = impl->build())
    return std::move(err);
  return std::unique_ptr<FunctionalEngine>(
      new FunctionalEngine(std::move(impl)));
}

const isa::ProgramImage &FunctionalEngine::getImage() const {
  return impl->image;
}
const MvmArithmetic &FunctionalEngine::getArithmetic() const {
  return impl->arithmetic;
}
const FunctionalOptions &FunctionalEngine::getOptions() const {
  return impl->options;
}
const EventCounts &FunctionalEngine::getEvents() const { return impl->events; }

const KernelCounts &FunctionalEngine::getKernelCounts() const {
  return impl->kernelCounts;
}

llvm::json::Value mho::sim::functional::toJSON(const KernelCounts &counts) {
  return llvm::json::Object{
      {"mvm_batches", int64_t(counts.mvmBatches)},
      {"residue_kernel_batches", int64_t(counts.residueBatches)},
      {"reads_converted_exactly", int64_t(counts.exactReads)}};
}

const MvmUnit &FunctionalEngine::getUnit(unsigned stream,
                                         unsigned unit) const {
  return impl->cores[stream].units[unit];
}

std::vector<const isa::Symbol *>
FunctionalEngine::getSymbols(isa::SymbolKind kind) const {
  std::vector<const isa::Symbol *> result;
  for (const isa::Symbol &symbol : impl->image.symbols)
    if (symbol.kind == kind)
      result.push_back(&symbol);
  return result;
}

const isa::Symbol *FunctionalEngine::findSymbol(llvm::StringRef name) const {
  for (const isa::Symbol &symbol : impl->image.symbols)
    if (symbol.name == name)
      return &symbol;
  return nullptr;
}

namespace {
uint64_t symbolBytes(const isa::Symbol &symbol) {
  uint64_t n = isa::getByteSize(symbol.type);
  for (unsigned i = 0; i < symbol.rank; ++i)
    n *= symbol.dims[i];
  return n;
}
} // namespace

llvm::Error FunctionalEngine::setInput(llvm::StringRef name,
                                       const HostTensor &tensor) {
  const isa::Symbol *symbol = findSymbol(name);
  if (!symbol)
    return llvm::createStringError("the program has no symbol named '" + name +
                                   "'");
  if (symbol->kind == isa::SymbolKind::Output)
    return llvm::createStringError("symbol '" + name +
                                   "' is an output, not an input");
  bool shapeOk = tensor.shape.size() == symbol->rank &&
                 tensor.type == getElementType(symbol->type);
  for (unsigned i = 0; shapeOk && i < symbol->rank; ++i)
    shapeOk = tensor.shape[i] == int64_t(symbol->dims[i]);
  if (!shapeOk)
    return llvm::createStringError("input '" + name + "': expected " +
                                   describeSymbol(*symbol) + ", got " +
                                   tensor.describe());
  if (symbol->space != MemorySpace::Dram)
    return llvm::createStringError(
        "input '" + name + "' lives in " + isa::getName(symbol->space) +
        "; the host writes only DRAM symbols");
  impl->dram.write(symbol->address, tensor.bytes.data(), tensor.bytes.size());
  return llvm::Error::success();
}

llvm::Expected<HostTensor>
FunctionalEngine::getTensor(llvm::StringRef name) const {
  const isa::Symbol *symbol = findSymbol(name);
  if (!symbol)
    return llvm::createStringError("the program has no symbol named '" + name +
                                   "'");
  if (symbol->space != MemorySpace::Dram)
    return llvm::createStringError(
        "symbol '" + name + "' lives in " + isa::getName(symbol->space) +
        "; the host reads only DRAM symbols");
  llvm::SmallVector<int64_t, 6> shape;
  for (unsigned i = 0; i < symbol->rank; ++i)
    shape.push_back(symbol->dims[i]);
  HostTensor tensor(getElementType(symbol->type), shape);
  impl->dram.read(symbol->address, tensor.bytes.data(), symbolBytes(*symbol));
  return tensor;
}

llvm::Error FunctionalEngine::run() { return impl->run(); }

llvm::Error FunctionalEngine::writeMemory(MemorySpace space, unsigned stream,
                                          uint64_t address,
                                          llvm::ArrayRef<uint8_t> bytes) {
  if (stream >= impl->cores.size())
    return llvm::createStringError("no stream " + Twine(stream));
  if (llvm::Error err =
          impl->checkRange(space, address, bytes.size(), "host write"))
    return err;
  impl->writeSpace(impl->cores[stream], space, address, bytes.data(),
                   bytes.size());
  return llvm::Error::success();
}

llvm::Error FunctionalEngine::readMemory(MemorySpace space, unsigned stream,
                                         uint64_t address,
                                         llvm::MutableArrayRef<uint8_t> bytes)
    const {
  if (stream >= impl->cores.size())
    return llvm::createStringError("no stream " + Twine(stream));
  if (llvm::Error err =
          impl->checkRange(space, address, bytes.size(), "host read"))
    return err;
  impl->readSpace(impl->cores[stream], space, address, bytes.data(),
                  bytes.size());
  return llvm::Error::success();
}
