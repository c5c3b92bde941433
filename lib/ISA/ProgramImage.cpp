//===- ProgramImage.cpp - Checks of a program image -----------------------===//

#include "mho/ISA/ProgramImage.h"

#include "ImageChecks.h"

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/InstructionFormat.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mho::isa;
using llvm::Twine;

llvm::StringRef mho::isa::getName(SymbolKind kind) {
  switch (kind) {
  case SymbolKind::Input:
    return "input";
  case SymbolKind::Output:
    return "output";
  case SymbolKind::Constant:
    return "constant";
  }
  return "<invalid symbol kind>";
}

std::optional<SymbolKind> mho::isa::parseSymbolKind(llvm::StringRef name) {
  for (SymbolKind kind :
       {SymbolKind::Input, SymbolKind::Output, SymbolKind::Constant})
    if (getName(kind) == name)
      return kind;
  return std::nullopt;
}

namespace {
uint64_t fnv1a64Continue(uint64_t hash, llvm::ArrayRef<uint8_t> bytes) {
  for (uint8_t byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ull;
  }
  return hash;
}
constexpr uint64_t FnvOffsetBasis = 0xcbf29ce484222325ull;
} // namespace

uint64_t mho::isa::fnv1a64(llvm::ArrayRef<uint8_t> bytes) {
  return fnv1a64Continue(FnvOffsetBasis, bytes);
}

uint64_t detail::imageChecksum(llvm::ArrayRef<uint8_t> file) {
  using namespace layout;
  uint64_t hash = fnv1a64Continue(FnvOffsetBasis, file.take_front(Checksum));
  if (file.size() > Checksum + 8)
    hash = fnv1a64Continue(hash, file.drop_front(Checksum + 8));
  return hash;
}

namespace {

std::string hex(uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex(value, 0);
  return text;
}

uint64_t mul(uint64_t a, uint64_t b) { return llvm::SaturatingMultiply(a, b); }

/// Checks that [address, address + bytes) lies inside `space`.
llvm::Error checkAccess(llvm::StringRef what, llvm::StringRef operand,
                        MemorySpace space, uint64_t address, uint64_t bytes,
                        const UnitConfig &config) {
  uint64_t size = config.getSpaceBytes(space);
  if (bytes == 0 || (address <= size && bytes <= size - address))
    return llvm::Error::success();
  return llvm::createStringError(
      Twine(what) + ": " + operand + " [" + hex(address) + ", +" +
      Twine(bytes) + " bytes) is outside " + getName(space) + " (" +
      Twine(size) + " bytes)");
}

llvm::Error checkTile(llvm::StringRef what, llvm::StringRef operand,
                      uint32_t globalTile, const UnitConfig &config) {
  uint32_t chip = globalTile >> 16, tile = globalTile & 0xFFFF;
  if (chip < config.chips && tile < config.tiles)
    return llvm::Error::success();
  return llvm::createStringError(
      Twine(what) + ": " + operand + " " + hex(globalTile) + " (chip " +
      Twine(chip) + ", tile " + Twine(tile) + ") is outside the system (" +
      Twine(config.chips) + " chips x " + Twine(config.tiles) + " tiles)");
}

/// Extent of a 2-D access: rows rows of rowBytes, stride apart.
uint64_t extent2d(uint64_t rows, uint64_t rowBytes, uint64_t stride) {
  if (rows == 0 || rowBytes == 0)
    return 0;
  return llvm::SaturatingAdd(mul(rows - 1, stride), rowBytes);
}

} // namespace

llvm::Error mho::isa::verifyWeightBlock(const WeightBlock &block,
                                        const UnitConfig &config) {
  auto fail = [&](const Twine &message) {
    return llvm::createStringError("weight block '" + block.name +
                                   "': " + message);
  };
  if (block.bits < 2 || block.bits > 16)
    return fail("bits is " + Twine(unsigned(block.bits)) +
                ", must be in [2, 16]");
  if (block.bits > config.weightBits)
    return fail("bits " + Twine(unsigned(block.bits)) +
                " exceeds weight_bits " + Twine(unsigned(config.weightBits)));
  if (block.rows == 0 || block.rows > config.rows)
    return fail("rows is " + Twine(block.rows) + ", must be in [1, " +
                Twine(config.rows) + "]");
  if (block.cols == 0 || block.cols > config.cols)
    return fail("cols is " + Twine(block.cols) + ", must be in [1, " +
                Twine(config.cols) + "]");
  if (block.elided) {
    if (!block.values.empty())
      return fail("is elided (shape only) but has values");
    return llvm::Error::success();
  }
  if (block.values.size() != size_t(block.rows) * block.cols)
    return fail("has " + Twine(block.values.size()) + " values, expected " +
                Twine(size_t(block.rows) * block.cols));
  const int64_t lo = minSigned(block.bits), hi = maxSigned(block.bits);
  const bool differential = config.encoding == WeightEncoding::Differential;
  const int64_t mostNegative = minSigned(config.weightBits);
  for (size_t i = 0, e = block.values.size(); i < e; ++i) {
    int64_t w = block.values[i];
    if (w < lo || w > hi)
      return fail("value " + Twine(w) + " at [" + Twine(i / block.cols) +
                  "][" + Twine(i % block.cols) + "] does not fit " +
                  Twine(unsigned(block.bits)) + " bits");
    if (differential && w == mostNegative)
      return fail("value " + Twine(w) + " at [" + Twine(i / block.cols) +
                  "][" + Twine(i % block.cols) +
                  "] is -2^(W-1), which differential encoding cannot hold");
  }
  return llvm::Error::success();
}

llvm::Error mho::isa::verifyInstruction(const Instruction &inst,
                                        const UnitConfig &config,
                                        size_t numWeightBlocks) {
  std::string what = getMnemonic(inst);
  const MemorySpace spad = MemorySpace::Spad;
  auto access = [&](llvm::StringRef operand, MemorySpace space,
                    uint64_t address, uint64_t bytes) {
    return checkAccess(what, operand, space, address, bytes, config);
  };
  auto unitCheck = [&](uint8_t unit) -> llvm::Error {
    if (unit < config.mvmUnits)
      return llvm::Error::success();
    return llvm::createStringError(what + ": unit " + Twine(unsigned(unit)) +
                                   " does not exist (mvm_units " +
                                   Twine(unsigned(config.mvmUnits)) + ")");
  };

  switch (inst.getOpcode()) {
  case Opcode::Nop:
  case Opcode::Halt:
    return llvm::Error::success();
  case Opcode::Barrier: {
    uint64_t cores = uint64_t(config.chips) * config.tiles * config.cores;
    if (inst.getBarrier().count > cores)
      return llvm::createStringError(
          what + ": count " + Twine(inst.getBarrier().count) +
          " exceeds the number of cores (" + Twine(cores) + ")");
    return llvm::Error::success();
  }
  case Opcode::Send: {
    SendOperands ops = inst.getSend();
    if (llvm::Error err = access("src", ops.srcSpace, ops.src, ops.bytes))
      return err;
    if (llvm::Error err = access("dst", MemorySpace::Tbuf, ops.dst, ops.bytes))
      return err;
    return checkTile(what, "dst_tile", ops.dstTile, config);
  }
  case Opcode::Recv: {
    RecvOperands ops = inst.getRecv();
    if (llvm::Error err = access("bytes", MemorySpace::Tbuf, 0, ops.bytes))
      return err;
    return checkTile(what, "src_tile", ops.srcTile, config);
  }
  case Opcode::Wprog: {
    WprogOperands ops = inst.getWprog();
    if (llvm::Error err = unitCheck(ops.unit))
      return err;
    if (ops.block >= numWeightBlocks)
      return llvm::createStringError(what + ": block " + Twine(ops.block) +
                                     " does not exist (" +
                                     Twine(numWeightBlocks) + " blocks)");
    return llvm::Error::success();
  }
  case Opcode::Mvm: {
    MvmOperands ops = inst.getMvm();
    if (llvm::Error err = unitCheck(ops.unit))
      return err;
    if (ops.countIndirect)
      return access("count", spad, ops.count, 4);
    return llvm::Error::success();
  }
  case Opcode::Dma: {
    DmaOperands ops = inst.getDma();
    if (llvm::Error err = access("src", ops.srcSpace, ops.src,
                                 extent2d(ops.rows, ops.rowBytes, ops.srcStride)))
      return err;
    return access("dst", ops.dstSpace, ops.dst,
                  extent2d(ops.rows, ops.rowBytes, ops.dstStride));
  }
  case Opcode::Vgather:
  case Opcode::Vscatter: {
    GatherOperands ops = inst.getGather();
    if (ops.countIndirect)
      return access("count", spad, ops.count, 4);
    if (llvm::Error err = access("index", spad, ops.index, mul(ops.count, 4)))
      return err;
    bool gather = inst.getOpcode() == Opcode::Vgather;
    return access(gather ? "dst" : "src", spad, gather ? ops.dst : ops.src,
                  mul(ops.count, ops.rowBytes));
  }
  case Opcode::Vdispatch: {
    VdispatchOperands ops = inst.getVdispatch();
    if (llvm::Error err = access("src", spad, ops.src, mul(ops.entries, 4)))
      return err;
    if (llvm::Error err = access("dst_lists", spad, ops.dstLists,
                                 mul(mul(ops.experts, ops.capacity), 4)))
      return err;
    return access("dst_counts", spad, ops.dstCounts, mul(ops.experts, 4));
  }
  case Opcode::Vec: {
    VecOperands ops = inst.getVec();
    uint64_t count = mul(ops.rows, ops.cols);
    bool conversion = ops.fn == VecFn::Cvt || ops.fn == VecFn::Quant ||
                      ops.fn == VecFn::Dequant;
    unsigned srcSize = getByteSize(ops.type);
    unsigned dstSize = conversion ? getByteSize(ops.toType) : srcSize;
    if (llvm::Error err = access("src1", spad, ops.src1, mul(count, srcSize)))
      return err;
    if (getArity(ops.fn) == 2 && ops.mode != Src2Mode::Imm) {
      unsigned src2Size =
          ops.fn == VecFn::Dequant || ops.fn == VecFn::Quant ? 4 : srcSize;
      uint64_t src2Count = ops.mode == Src2Mode::Elem     ? count
                           : ops.mode == Src2Mode::PerRow ? ops.rows
                                                          : ops.cols;
      if (llvm::Error err =
              access("src2", spad, ops.src2, mul(src2Count, src2Size)))
        return err;
    }
    return access("dst", spad, ops.dst, mul(count, dstSize));
  }
  case Opcode::Vred: {
    VredOperands ops = inst.getVred();
    if (llvm::Error err =
            access("src", spad, ops.src, mul(mul(ops.rows, ops.cols), 4)))
      return err;
    return access("dst", spad, ops.dst, mul(ops.rows, 4));
  }
  case Opcode::Vtopk: {
    VtopkOperands ops = inst.getVtopk();
    if (llvm::Error err =
            access("src", spad, ops.src, mul(mul(ops.rows, ops.cols), 4)))
      return err;
    if (llvm::Error err = access("dst_values", spad, ops.dstValues,
                                 mul(mul(ops.rows, ops.k), 4)))
      return err;
    return access("dst_indices", spad, ops.dstIndices,
                  mul(mul(ops.rows, ops.k), 4));
  }
  case Opcode::Dmm: {
    DmmOperands ops = inst.getDmm();
    unsigned size = getByteSize(ops.type);
    if (llvm::Error err = access("a", spad, ops.a, mul(mul(ops.m, ops.k), size)))
      return err;
    if (llvm::Error err = access("b", spad, ops.b, mul(mul(ops.k, ops.n), size)))
      return err;
    return access("dst", spad, ops.dst, mul(mul(ops.m, ops.n), 4));
  }
  }
  return llvm::Error::success();
}

llvm::Error detail::verifyCoreAddress(const CoreAddress &core,
                                      const UnitConfig &config) {
  if (core.chip < config.chips && core.tile < config.tiles &&
      core.core < config.cores)
    return llvm::Error::success();
  return llvm::createStringError(
      "core (chip " + Twine(core.chip) + ", tile " + Twine(core.tile) +
      ", core " + Twine(core.core) + ") is outside the system (" +
      Twine(config.chips) + " chips x " + Twine(config.tiles) + " tiles x " +
      Twine(config.cores) + " cores)");
}

llvm::Error detail::verifySymbol(const Symbol &symbol,
                                 const UnitConfig &config) {
  auto fail = [&](const Twine &message) {
    return llvm::createStringError("symbol '" + symbol.name + "': " + message);
  };
  if (static_cast<uint8_t>(symbol.kind) > 2)
    return fail("kind " + Twine(unsigned(symbol.kind)) +
                " is not 0 (input), 1 (output) or 2 (constant)");
  if (!isValidDataType(static_cast<uint8_t>(symbol.type)))
    return fail("type code " + Twine(unsigned(symbol.type)) + " is unknown");
  if (!isValidMemorySpace(static_cast<uint8_t>(symbol.space)))
    return fail("space code " + Twine(unsigned(symbol.space)) +
                " is unknown");
  if (symbol.rank > Symbol::MaxRank)
    return fail("rank " + Twine(unsigned(symbol.rank)) + " exceeds 6");
  uint64_t elements = 1;
  for (unsigned i = 0; i < Symbol::MaxRank; ++i) {
    if (i < symbol.rank)
      elements = mul(elements, symbol.dims[i]);
    else if (symbol.dims[i] != 0)
      return fail("dims[" + Twine(i) + "] is " + Twine(symbol.dims[i]) +
                  " beyond rank " + Twine(unsigned(symbol.rank)) +
                  " (must be 0)");
  }
  uint64_t bytes = mul(elements, getByteSize(symbol.type));
  uint64_t size = config.getSpaceBytes(symbol.space);
  if (symbol.address > size || bytes > size - symbol.address)
    return fail("[" + hex(symbol.address) + ", +" + Twine(bytes) +
                " bytes) is outside " + getName(symbol.space) + " (" +
                Twine(size) + " bytes)");
  return llvm::Error::success();
}

llvm::Error detail::verifyDramInit(const DramInit &init,
                                   const UnitConfig &config) {
  if (init.address <= config.dramBytes &&
      init.bytes.size() <= config.dramBytes - init.address)
    return llvm::Error::success();
  return llvm::createStringError("dram init [" + hex(init.address) + ", +" +
                                 Twine(init.bytes.size()) +
                                 " bytes) is outside dram (" +
                                 Twine(config.dramBytes) + " bytes)");
}

llvm::Error mho::isa::verifyImage(const ProgramImage &image) {
  const UnitConfig &config = image.config;
  if (llvm::Error err = verifyUnitConfig(config))
    return err;
  auto prefix = [](const Twine &where, llvm::Error err) {
    return llvm::createStringError(where + ": " +
                                   llvm::toString(std::move(err)));
  };
  llvm::DenseSet<uint64_t> cores;
  for (auto [s, stream] : llvm::enumerate(image.streams)) {
    if (llvm::Error err = detail::verifyCoreAddress(stream.core, config))
      return prefix("stream " + Twine(s), std::move(err));
    uint64_t key = uint64_t(stream.core.chip) << 32 |
                   uint64_t(stream.core.tile) << 16 | stream.core.core;
    if (!cores.insert(key).second)
      return llvm::createStringError(
          "stream " + Twine(s) + ": a stream for core (chip " +
          Twine(stream.core.chip) + ", tile " + Twine(stream.core.tile) +
          ", core " + Twine(stream.core.core) + ") already exists");
    for (auto [i, inst] : llvm::enumerate(stream.instructions)) {
      llvm::Error err = inst.verify();
      if (!err)
        err = verifyInstruction(inst, config, image.weights.size());
      if (err)
        return prefix("stream " + Twine(s) + " instruction " + Twine(i),
                      std::move(err));
    }
  }
  for (auto [b, block] : llvm::enumerate(image.weights))
    if (llvm::Error err = verifyWeightBlock(block, config))
      return prefix("weight block " + Twine(b), std::move(err));
  for (auto [i, symbol] : llvm::enumerate(image.symbols))
    if (llvm::Error err = detail::verifySymbol(symbol, config))
      return prefix("symbol " + Twine(i), std::move(err));
  for (auto [i, init] : llvm::enumerate(image.dramInits))
    if (llvm::Error err = detail::verifyDramInit(init, config))
      return prefix("dram init " + Twine(i), std::move(err));
  return llvm::Error::success();
}
