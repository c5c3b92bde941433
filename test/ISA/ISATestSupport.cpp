//===- ISATestSupport.cpp - Helpers shared by the ISA unit tests ----------===//

#include "ISATestSupport.h"

#include <gmock/gmock.h>

using namespace mho::isa;

namespace {
uint32_t any32(std::mt19937_64 &rng) { return static_cast<uint32_t>(rng()); }
uint32_t below(std::mt19937_64 &rng, uint32_t bound) {
  return static_cast<uint32_t>(rng() % bound);
}
bool coin(std::mt19937_64 &rng) { return rng() & 1; }
MemorySpace anySpace(std::mt19937_64 &rng) {
  return static_cast<MemorySpace>(below(rng, 3));
}
} // namespace

Instruction mho::isa::test::randomInstruction(Opcode opcode,
                                              std::mt19937_64 &rng) {
  switch (opcode) {
  case Opcode::Nop:
    return Instruction::nop();
  case Opcode::Halt:
    return Instruction::halt();
  case Opcode::Barrier:
    return Instruction::barrier(any32(rng), 1 + below(rng, 0xFFFFFFFEu));
  case Opcode::Send:
    return Instruction::send(anySpace(rng), any32(rng), any32(rng), any32(rng),
                             any32(rng), any32(rng));
  case Opcode::Recv:
    return Instruction::recv(any32(rng), any32(rng), any32(rng));
  case Opcode::Wprog:
    return Instruction::wprog(static_cast<uint8_t>(rng()), any32(rng));
  case Opcode::Mvm:
    return Instruction::mvm(static_cast<uint8_t>(rng()), any32(rng), any32(rng),
                            any32(rng), any32(rng), any32(rng), coin(rng),
                            coin(rng));
  case Opcode::Dma:
    return Instruction::dma(anySpace(rng), anySpace(rng),
                            rng() & ((uint64_t{1} << 48) - 1),
                            rng() & ((uint64_t{1} << 48) - 1), any32(rng),
                            any32(rng), any32(rng), any32(rng));
  case Opcode::Vgather:
    return Instruction::vgather(any32(rng), any32(rng), any32(rng), any32(rng),
                                any32(rng), coin(rng));
  case Opcode::Vscatter: {
    bool accumulate = coin(rng);
    uint32_t rowBytes = accumulate ? any32(rng) & ~3u : any32(rng);
    return Instruction::vscatter(any32(rng), any32(rng), any32(rng),
                                 any32(rng), rowBytes, accumulate, coin(rng));
  }
  case Opcode::Vdispatch:
    return Instruction::vdispatch(
        any32(rng), any32(rng), any32(rng), 1 + below(rng, 0x7FFFFFFF),
        1 + below(rng, 0xFFFFFFFEu), 1 + below(rng, 0xFFFFFFFEu));
  case Opcode::Vec: {
    VecFn fn = AllVecFns[below(rng, std::size(AllVecFns))];
    VecOperands ops;
    ops.fn = fn;
    ops.dst = any32(rng);
    ops.src1 = any32(rng);
    ops.rows = any32(rng);
    ops.cols = any32(rng);
    switch (fn) {
    case VecFn::Cvt:
      ops.type = coin(rng) ? DataType::I32 : DataType::F32;
      ops.toType = ops.type == DataType::I32 ? DataType::F32 : DataType::I32;
      break;
    case VecFn::Quant:
      ops.type = DataType::F32;
      ops.toType = coin(rng) ? DataType::I8 : DataType::I16;
      ops.mode = static_cast<Src2Mode>(below(rng, 4));
      if (ops.mode == Src2Mode::Imm)
        ops.imm0 = any32(rng);
      else
        ops.src2 = any32(rng);
      ops.imm1 = any32(rng);
      break;
    case VecFn::Dequant:
      ops.type = DataType::I32;
      ops.toType = DataType::F32;
      ops.mode = static_cast<Src2Mode>(below(rng, 4));
      if (ops.mode != Src2Mode::Imm)
        ops.src2 = any32(rng);
      ops.imm0 = any32(rng);
      break;
    case VecFn::Copy:
    case VecFn::Add:
    case VecFn::Sub:
    case VecFn::Mul:
    case VecFn::Max:
    case VecFn::Min:
      ops.type = coin(rng) ? DataType::I32 : DataType::F32;
      break;
    default:
      ops.type = DataType::F32;
      break;
    }
    if (getArity(fn) == 2 && fn != VecFn::Dequant && fn != VecFn::Quant) {
      ops.mode = static_cast<Src2Mode>(below(rng, 4));
      if (ops.mode == Src2Mode::Imm)
        ops.imm0 = any32(rng);
      else
        ops.src2 = any32(rng);
    }
    return Instruction::vec(ops);
  }
  case Opcode::Vred:
    return Instruction::vred(static_cast<ReduceKind>(below(rng, 3)),
                             coin(rng) ? DataType::F32 : DataType::I32,
                             any32(rng), any32(rng), any32(rng),
                             1 + below(rng, 0xFFFFFFFEu));
  case Opcode::Vtopk: {
    uint32_t cols = below(rng, 0x7FFFFFFF);
    return Instruction::vtopk(any32(rng), any32(rng), any32(rng), any32(rng),
                              cols, cols ? below(rng, cols + 1) : 0);
  }
  case Opcode::Dmm:
    return Instruction::dmm(coin(rng) ? DataType::F32 : DataType::I8,
                            any32(rng), any32(rng), any32(rng), any32(rng),
                            any32(rng), any32(rng), coin(rng), coin(rng));
  }
  return Instruction();
}

UnitConfig mho::isa::test::smallConfig() {
  UnitConfig config;
  config.rows = 256;
  config.cols = 256;
  config.weightBits = 8;
  config.cellBits = 2;
  config.slices = 4;
  config.encoding = WeightEncoding::Offset;
  config.inputBits = 8;
  config.dacBits = 1;
  config.planes = 8;
  config.adcBits = 8;
  config.adcShift = 0;
  config.accBits = 32;
  config.mvmUnits = 4;
  config.spadBytes = 1 << 16;
  config.tbufBytes = 1 << 20;
  config.dramBytes = uint64_t{1} << 32;
  config.chips = 1;
  config.tiles = 4;
  config.cores = 2;
  return config;
}

ProgramImage mho::isa::test::sampleImage() {
  ProgramImage image;
  image.config = smallConfig();
  image.config.weightBits = 12;
  image.config.slices = 6;

  WeightBlock narrow;
  narrow.name = "layer0.wq";
  narrow.rows = 3;
  narrow.cols = 5;
  narrow.bits = 8;
  narrow.values = {-128, -1, 0, 1, 127, 5, -5, 64, -64, 3,
                   7,    8,  9, 10, -11};
  WeightBlock wide;
  wide.name = "layer0.ffn \"up\"";
  wide.rows = 2;
  wide.cols = 2;
  wide.bits = 12;
  wide.values = {-2048, 2047, 1000, -1};
  WeightBlock unnamed;
  unnamed.rows = 1;
  unnamed.cols = 1;
  unnamed.bits = 2;
  unnamed.values = {-2};
  image.weights = {narrow, wide, unnamed};

  Symbol input;
  input.name = "input_ids";
  input.kind = SymbolKind::Input;
  input.type = DataType::I32;
  input.rank = 2;
  input.dims = {1, 128, 0, 0, 0, 0};
  input.address = 0x1000;
  Symbol output;
  output.name = "logits\tµ";
  output.kind = SymbolKind::Output;
  output.type = DataType::I8;
  output.rank = 3;
  output.dims = {1, 4, 7, 0, 0, 0};
  output.space = MemorySpace::Tbuf;
  output.address = 0x40;
  output.setScale(0.0123f);
  output.zeroPoint = -3;
  Symbol scalar;
  scalar.name = "eps";
  scalar.kind = SymbolKind::Constant;
  scalar.type = DataType::F32;
  scalar.rank = 0;
  scalar.address = 0x2000;
  scalar.scaleBits = 0x7FC00001; // a NaN payload survives
  image.symbols = {input, output, scalar};

  DramInit small{0x2000, {1, 2, 3}};
  DramInit empty{0x3000, {}};
  DramInit large{0x4000, {}};
  for (unsigned i = 0; i < 130; ++i)
    large.bytes.push_back(static_cast<uint8_t>(i * 7));
  image.dramInits = {small, empty, large};

  InstructionStream first;
  first.core = {0, 3, 1};
  first.instructions = {
      Instruction::wprog(0, 0),
      Instruction::mvm(0, 0x100, 0x400, 4, 3, 20, true, false),
      Instruction::vecBinaryImm(VecFn::Mul, 0x800, 0x400, 0.125f, 4, 5),
      Instruction::vecUnary(VecFn::Gelu, DataType::F32, 0x800, 0x800, 4, 5),
      Instruction::quant(DataType::I8, 0x900, 0x800, 4, 5, 64.0f, -3),
      Instruction::send(MemorySpace::Spad, 0x900, 2, 0x0, 20, 7),
      Instruction::barrier(1, 2),
      Instruction::halt()};
  InstructionStream second;
  second.core = {0, 2, 0};
  second.instructions = {
      Instruction::recv(7, 3, 20),
      Instruction::dma(MemorySpace::Tbuf, MemorySpace::Dram, 0x0,
                       0x1'0000'0000ull - 64, 20, 1, 20, 20),
      Instruction::barrier(1, 2), Instruction::halt()};
  image.streams = {first, second};
  return image;
}
