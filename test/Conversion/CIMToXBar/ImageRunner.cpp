//===- ImageRunner.cpp - A minimal ISA interpreter for compiler tests -----===//

#include "ImageRunner.h"

#include "mho/ISA/Mvm.h"
#include "mho/ISA/VectorOps.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

using namespace mho;
using namespace mho::test;
using llvm::Twine;

ImageRunner::ImageRunner(const isa::ProgramImage &image) : image(image) {
  for (const isa::DramInit &init : image.dramInits)
    writeDram(init.address, init.bytes);
}

void ImageRunner::writeDram(uint64_t address, llvm::ArrayRef<uint8_t> bytes) {
  if (dram.size() < address + bytes.size())
    dram.resize(address + bytes.size());
  std::copy(bytes.begin(), bytes.end(), dram.begin() + address);
}

std::vector<uint8_t> ImageRunner::readDram(uint64_t address, uint64_t bytes) {
  if (dram.size() < address + bytes)
    dram.resize(address + bytes);
  return std::vector<uint8_t>(dram.begin() + address,
                              dram.begin() + address + bytes);
}

namespace {
struct Core {
  const isa::InstructionStream *stream = nullptr;
  std::vector<uint8_t> spad;
  size_t pc = 0;
  bool halted = false;
  bool arrived = false; ///< At the barrier under pc.
  std::map<unsigned, isa::SlicedWeights> units;
  std::map<unsigned, unsigned> unitRows;
};
} // namespace

llvm::Error ImageRunner::run(bool reverse) {
  const isa::UnitConfig &config = image.config;
  std::vector<Core> cores(image.streams.size());
  std::map<uint32_t, std::vector<uint8_t>> tbufs;
  for (size_t i = 0; i < cores.size(); ++i) {
    cores[i].stream = &image.streams[i];
    cores[i].spad.assign(config.spadBytes, 0);
  }
  std::map<uint32_t, uint32_t> arrivals;
  // Delivered sends per destination tile: (source tile, tag, bytes).
  std::map<uint32_t, std::multiset<std::tuple<uint32_t, uint32_t, uint32_t>>>
      mailboxes;
  isa::MvmScratch scratch;

  auto fail = [&](const Core &core, const Twine &message) {
    const isa::CoreAddress &a = core.stream->core;
    return llvm::createStringError(
        "core <" + Twine(a.chip) + ", " + Twine(a.tile) + ", " + Twine(a.core) +
        "> instruction " + Twine(core.pc) + ": " + message);
  };
  auto memory = [&](Core &core, isa::MemorySpace space, uint64_t address,
                    uint64_t bytes) -> uint8_t * {
    switch (space) {
    case isa::MemorySpace::Spad:
      if (address + bytes > core.spad.size())
        return nullptr;
      return core.spad.data() + address;
    case isa::MemorySpace::Tbuf: {
      std::vector<uint8_t> &tbuf = tbufs[core.stream->core.getGlobalTile()];
      tbuf.resize(config.tbufBytes);
      if (address + bytes > tbuf.size())
        return nullptr;
      return tbuf.data() + address;
    }
    case isa::MemorySpace::Dram:
      if (address + bytes > config.dramBytes)
        return nullptr;
      if (dram.size() < address + bytes)
        dram.resize(address + bytes);
      return dram.data() + address;
    }
    return nullptr;
  };

  // One instruction; returns false when the core blocks (a barrier, or a
  // recv whose send has not been delivered).
  auto step = [&](Core &core) -> llvm::Expected<bool> {
    const isa::Instruction &inst = core.stream->instructions[core.pc];
    switch (inst.getOpcode()) {
    case isa::Opcode::Nop:
      break;
    case isa::Opcode::Halt:
      core.halted = true;
      ++executed;
      return true;
    case isa::Opcode::Barrier: {
      isa::BarrierOperands ops = inst.getBarrier();
      if (!core.arrived) {
        core.arrived = true;
        ++arrivals[ops.id];
      }
      if (arrivals[ops.id] < ops.count)
        return false;
      core.arrived = false;
      break;
    }
    case isa::Opcode::Send: {
      isa::SendOperands ops = inst.getSend();
      uint8_t *src = memory(core, ops.srcSpace, ops.src, ops.bytes);
      std::vector<uint8_t> &tbuf = tbufs[ops.dstTile];
      tbuf.resize(config.tbufBytes);
      if (!src || uint64_t(ops.dst) + ops.bytes > tbuf.size())
        return fail(core, "send outside its memory spaces");
      std::memmove(tbuf.data() + ops.dst, src, ops.bytes);
      mailboxes[ops.dstTile].insert(
          {core.stream->core.getGlobalTile(), ops.tag, ops.bytes});
      break;
    }
    case isa::Opcode::Recv: {
      isa::RecvOperands ops = inst.getRecv();
      auto &mailbox = mailboxes[core.stream->core.getGlobalTile()];
      auto it = mailbox.find({ops.srcTile, ops.tag, ops.bytes});
      if (it == mailbox.end())
        return false;
      mailbox.erase(it);
      break;
    }
    case isa::Opcode::Wprog: {
      isa::WprogOperands ops = inst.getWprog();
      if (ops.block >= image.weights.size())
        return fail(core, "no weight block " + Twine(ops.block));
      auto sliced = isa::sliceWeights(config, image.weights[ops.block]);
      if (!sliced)
        return sliced.takeError();
      core.units[ops.unit] = std::move(*sliced);
      break;
    }
    case isa::Opcode::Mvm: {
      isa::MvmOperands ops = inst.getMvm();
      auto it = core.units.find(ops.unit);
      if (it == core.units.end())
        return fail(core, "mvm on an unprogrammed unit");
      const isa::SlicedWeights &weights = it->second;
      std::vector<int32_t> out(weights.cols);
      for (uint32_t v = 0; v < ops.count; ++v) {
        uint8_t *src =
            memory(core, isa::MemorySpace::Spad,
                   ops.src + uint64_t(v) * ops.srcStride, weights.rows);
        uint8_t *dst =
            memory(core, isa::MemorySpace::Spad,
                   ops.dst + uint64_t(v) * ops.dstStride, 4 * weights.cols);
        if (!src || !dst)
          return fail(core, "mvm outside the scratchpad");
        isa::mvmIdeal(config, weights,
                      llvm::ArrayRef<int8_t>(
                          reinterpret_cast<const int8_t *>(src), weights.rows),
                      out, scratch);
        for (unsigned c = 0; c < weights.cols; ++c) {
          int32_t value = out[c];
          if (ops.accumulate) {
            int32_t old;
            std::memcpy(&old, dst + 4 * c, 4);
            value = isa::addSaturate32(old, value);
          }
          std::memcpy(dst + 4 * c, &value, 4);
        }
      }
      break;
    }
    case isa::Opcode::Dma: {
      isa::DmaOperands ops = inst.getDma();
      std::vector<uint8_t> row(ops.rowBytes);
      for (uint32_t r = 0; r < ops.rows; ++r) {
        uint8_t *src =
            memory(core, ops.srcSpace, ops.src + uint64_t(r) * ops.srcStride,
                   ops.rowBytes);
        uint8_t *dst =
            memory(core, ops.dstSpace, ops.dst + uint64_t(r) * ops.dstStride,
                   ops.rowBytes);
        if (!src || !dst)
          return fail(core, "dma outside its memory space");
        std::memcpy(row.data(), src, ops.rowBytes);
        std::memcpy(dst, row.data(), ops.rowBytes);
      }
      break;
    }
    case isa::Opcode::Vec:
      if (llvm::Error err = isa::executeVec(inst.getVec(), core.spad))
        return fail(core, llvm::toString(std::move(err)));
      break;
    case isa::Opcode::Vred:
      if (llvm::Error err = isa::executeVred(inst.getVred(), core.spad))
        return fail(core, llvm::toString(std::move(err)));
      break;
    case isa::Opcode::Vtopk:
      if (llvm::Error err = isa::executeVtopk(inst.getVtopk(), core.spad))
        return fail(core, llvm::toString(std::move(err)));
      break;
    case isa::Opcode::Dmm:
      if (llvm::Error err = isa::executeDmm(inst.getDmm(), core.spad))
        return fail(core, llvm::toString(std::move(err)));
      break;
    default:
      return fail(core, "instruction not supported by the test runner");
    }
    ++executed;
    ++core.pc;
    return true;
  };

  if (reverse)
    std::reverse(cores.begin(), cores.end());
  while (true) {
    bool progress = false, running = false;
    for (Core &core : cores) {
      while (!core.halted) {
        running = true;
        if (core.pc >= core.stream->instructions.size())
          return fail(core, "ran past the end of the stream");
        llvm::Expected<bool> advanced = step(core);
        if (!advanced)
          return advanced.takeError();
        if (!*advanced)
          break;
        progress = true;
      }
    }
    if (!running)
      return llvm::Error::success();
    if (!progress)
      return llvm::createStringError("deadlock: every running core waits at "
                                     "a barrier or a recv");
  }
}
