//===- EngineTest.cpp - The functional engine on hand-built images -------===//
//
// Every instruction of docs/ISA.md §3 on small images built with the ISA
// library's builders: results against the ISA library, execution errors
// (out of range, unprogrammed unit, overlap, deadlock, no halt), the host
// interface, event counts of a known program, determinism across threads.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Functional/FunctionalEngine.h"

#include "mho/Arch/ArchitectureParser.h"
#include "mho/ISA/Mvm.h"
#include "mho/ISA/VectorOps.h"

#include "FunctionalTestSupport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

using namespace mho;
using namespace mho::sim::functional;
using namespace mho::sim::functional::test;
using isa::Instruction;
using isa::MemorySpace;
using ::testing::HasSubstr;

namespace {

constexpr auto Spad = MemorySpace::Spad;
constexpr auto Tbuf = MemorySpace::Tbuf;
constexpr auto Dram = MemorySpace::Dram;

isa::UnitConfig smallConfig() {
  MvmShape s;
  s.rows = 32;
  s.cols = 16;
  s.adcBits = 8;
  isa::UnitConfig c = makeConfig(s);
  c.spadBytes = 4096;
  c.tbufBytes = 4096;
  c.dramBytes = uint64_t{1} << 40;
  c.tiles = 4;
  c.cores = 2;
  return c;
}

isa::InstructionStream stream(uint16_t tile, uint16_t core,
                              std::vector<Instruction> insts) {
  isa::InstructionStream s;
  s.core = {0, tile, core};
  s.instructions = std::move(insts);
  return s;
}

std::unique_ptr<FunctionalEngine> makeEngine(isa::ProgramImage image,
                                             FunctionalOptions options = {}) {
  auto engine = FunctionalEngine::create(std::move(image), options);
  if (!engine) {
    ADD_FAILURE() << llvm::toString(engine.takeError());
    return nullptr;
  }
  return std::move(*engine);
}

std::string runError(FunctionalEngine &engine) {
  llvm::Error err = engine.run();
  if (!err)
    return "(no error)";
  return llvm::toString(std::move(err));
}

template <typename T>
std::vector<T> read(const FunctionalEngine &engine, MemorySpace space,
                    unsigned stream, uint64_t address, size_t count) {
  std::vector<uint8_t> bytes(count * sizeof(T));
  if (llvm::Error err = engine.readMemory(space, stream, address, bytes)) {
    ADD_FAILURE() << llvm::toString(std::move(err));
    return {};
  }
  std::vector<T> values(count);
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

template <typename T>
void write(FunctionalEngine &engine, MemorySpace space, unsigned stream,
           uint64_t address, const std::vector<T> &values) {
  llvm::ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(values.data()),
                                values.size() * sizeof(T));
  ASSERT_NO_ERROR(engine.writeMemory(space, stream, address, bytes));
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

TEST(Engine, DmaMovesRowsBetweenAllSpaces) {
  isa::ProgramImage image;
  image.config = smallConfig();
  const uint64_t far = uint64_t{1} << 39; // a high DRAM page
  image.streams.push_back(stream(
      0, 0,
      {Instruction::dma(Dram, Spad, far, 0x100, 8, 3, 16, 8),
       Instruction::dma(Spad, Tbuf, 0x100, 0x40, 24, 1, 24, 24),
       Instruction::dma(Tbuf, Dram, 0x40, far + 0x1000, 4, 6, 4, 100),
       Instruction::halt()}));
  auto engine = makeEngine(image);
  std::vector<uint8_t> source(48);
  for (unsigned i = 0; i < source.size(); ++i)
    source[i] = uint8_t(i);
  write(*engine, Dram, 0, far, source);
  ASSERT_NO_ERROR(engine->run());
  // Rows 0..7, 16..23, 32..39 packed together.
  std::vector<uint8_t> packed;
  for (unsigned r = 0; r < 3; ++r)
    for (unsigned b = 0; b < 8; ++b)
      packed.push_back(uint8_t(16 * r + b));
  EXPECT_EQ(read<uint8_t>(*engine, Spad, 0, 0x100, 24), packed);
  EXPECT_EQ(read<uint8_t>(*engine, Tbuf, 0, 0x40, 24), packed);
  for (unsigned r = 0; r < 6; ++r)
    EXPECT_EQ(read<uint8_t>(*engine, Dram, 0, far + 0x1000 + 100 * r, 4),
              std::vector<uint8_t>(packed.begin() + 4 * r,
                                   packed.begin() + 4 * r + 4));
  const CoreEvents &ev = engine->getEvents().perCore[0];
  EXPECT_EQ(ev.dram.readBytes, 24u);
  EXPECT_EQ(ev.dram.writeBytes, 24u);
  EXPECT_EQ(ev.spad.readBytes, 24u);
  EXPECT_EQ(ev.tbuf.writeBytes, 24u);
  EXPECT_EQ(ev.instructions, 4u);
}

TEST(Engine, DmaOverlapInOneSpaceIsAnError) {
  isa::ProgramImage image;
  image.config = smallConfig();
  // Interleaved rows that never touch the same byte are fine...
  image.streams.push_back(
      stream(0, 0,
             {Instruction::dma(Spad, Spad, 0, 16, 16, 4, 32, 32),
              // ...a row that lands on a source row is not.
              Instruction::dma(Spad, Spad, 0, 24, 16, 2, 32, 32),
              Instruction::halt()}));
  auto engine = makeEngine(image);
  EXPECT_THAT(runError(*engine),
              HasSubstr("core (0,0,0) instruction 1 (dma): source and "
                        "destination overlap in spad"));
}

TEST(Engine, HostAccessOutsideASpaceIsAnError) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(stream(0, 0, {Instruction::halt()}));
  auto engine = makeEngine(image);
  std::vector<uint8_t> bytes(8);
  llvm::Error err = engine->readMemory(Spad, 0, 4092, bytes);
  ASSERT_TRUE(bool(err));
  EXPECT_THAT(llvm::toString(std::move(err)),
              HasSubstr("host read [0xffc, +8) is outside spad (4096 bytes)"));
}

//===----------------------------------------------------------------------===//
// MVM units
//===----------------------------------------------------------------------===//

struct MvmProgram {
  isa::ProgramImage image;
  isa::WeightBlock block;
};

MvmProgram mvmProgram(std::vector<Instruction> body, unsigned rows = 32,
                      unsigned cols = 16) {
  MvmProgram p;
  p.image.config = smallConfig();
  std::mt19937_64 rng(17);
  p.block = randomBlock(p.image.config, rows, cols, rng);
  p.image.weights.push_back(p.block);
  body.insert(body.begin(), Instruction::wprog(1, 0));
  body.push_back(Instruction::halt());
  p.image.streams.push_back(stream(0, 0, std::move(body)));
  return p;
}

std::vector<int32_t> ideal(const isa::UnitConfig &config,
                           const isa::WeightBlock &block,
                           llvm::ArrayRef<int8_t> x) {
  return unwrap(isa::mvmIdeal(config, block, x));
}

TEST(Engine, MvmWithStridesAndAccumulate) {
  // Three vectors 40 bytes apart into rows 80 bytes apart, then the same
  // product added again (i32 saturation) into the same place.
  MvmProgram p = mvmProgram({Instruction::mvm(1, 0x000, 0x400, 3, 40, 80),
                             Instruction::mvm(1, 0x000, 0x400, 3, 40, 80,
                                              /*accumulate=*/true)});
  auto engine = makeEngine(p.image);
  std::mt19937_64 rng(3);
  std::vector<int8_t> x = randomInputs(120, rng);
  write(*engine, Spad, 0, 0, x);
  ASSERT_NO_ERROR(engine->run());
  for (unsigned v = 0; v < 3; ++v) {
    std::vector<int32_t> y =
        ideal(p.image.config, p.block, llvm::ArrayRef(x).slice(40 * v, 32));
    for (int32_t &value : y)
      value = isa::addSaturate32(value, value);
    EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x400 + 80 * v, 16), y);
  }
  const CoreEvents &ev = engine->getEvents().perCore[0];
  const isa::UnitConfig &c = p.image.config;
  EXPECT_EQ(ev.mvm.vectors, 6u);
  EXPECT_EQ(ev.mvm.macs, 6u * 32 * 16);
  EXPECT_EQ(ev.mvm.dacActivations, 6u * c.planes * 32);
  EXPECT_EQ(ev.mvm.crossbarReads, 6u * c.planes * c.slices);
  EXPECT_EQ(ev.mvm.adcConversions, 6u * c.planes * c.slices * 16);
  EXPECT_EQ(ev.mvm.shiftAddSteps, ev.mvm.adcConversions);
  EXPECT_EQ(ev.mvm.cellsProgrammed, 32u * 16 * c.slices);
  EXPECT_EQ(ev.mvm.programs, 1u);
  EXPECT_EQ(ev.spad.readBytes, 6u * 32 + 3 * 64);
  EXPECT_EQ(ev.spad.writeBytes, 6u * 64);
}

TEST(Engine, MvmCountIndirect) {
  MvmProgram p = mvmProgram(
      {Instruction::mvm(1, 0x100, 0x400, 0x10, 32, 64, false, true)});
  auto engine = makeEngine(p.image);
  std::mt19937_64 rng(4);
  std::vector<int8_t> x = randomInputs(64, rng);
  write(*engine, Spad, 0, 0x100, x);
  write(*engine, Spad, 0, 0x10, std::vector<int32_t>{2});
  ASSERT_NO_ERROR(engine->run());
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x440, 16),
            ideal(p.image.config, p.block, llvm::ArrayRef(x).slice(32, 32)));
  EXPECT_EQ(engine->getEvents().perCore[0].mvm.vectors, 2u);

  auto negative = makeEngine(p.image);
  write(*negative, Spad, 0, 0x10, std::vector<int32_t>{-1});
  EXPECT_THAT(runError(*negative),
              HasSubstr("core (0,0,0) instruction 1 (mvm): indirect count at "
                        "spad 0x10 is -1, must not be negative"));
}

TEST(Engine, MvmVectorsRunInTurnWhenOutputsFeedLaterInputs) {
  // Vector 1's input is vector 0's output (the low bytes of its i32 results):
  // the ISA reads, computes and writes one vector after the other.
  MvmProgram p = mvmProgram({Instruction::mvm(1, 0x100, 0x120, 2, 0x20, 0)},
                            32, 8);
  auto engine = makeEngine(p.image);
  std::mt19937_64 rng(5);
  std::vector<int8_t> x = randomInputs(32, rng);
  write(*engine, Spad, 0, 0x100, x);
  ASSERT_NO_ERROR(engine->run());
  std::vector<int32_t> y0 = ideal(p.image.config, p.block, x);
  std::vector<int8_t> x1(32);
  std::memcpy(x1.data(), y0.data(), 32);
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x120, 8),
            ideal(p.image.config, p.block, x1));
}

TEST(Engine, LargeCountsRunInBatches) {
  // 10000 vectors from one place to one place: memory stays bounded, the
  // last write wins, every vector counts.
  MvmProgram p = mvmProgram({Instruction::mvm(1, 0, 0x400, 10000, 0, 0)});
  auto engine = makeEngine(p.image);
  std::mt19937_64 rng(12);
  std::vector<int8_t> x = randomInputs(32, rng);
  write(*engine, Spad, 0, 0, x);
  ASSERT_NO_ERROR(engine->run());
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x400, 16),
            ideal(p.image.config, p.block, x));
  EXPECT_EQ(engine->getEvents().perCore[0].mvm.vectors, 10000u);
}

TEST(Engine, MvmErrors) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(
      stream(0, 0, {Instruction::mvm(2, 0, 0x100, 1, 32, 64),
                    Instruction::halt()}));
  auto engine = makeEngine(image);
  EXPECT_EQ(runError(*engine),
            "core (0,0,0) instruction 0 (mvm): unit 2 has not been programmed "
            "(no wprog before it)");

  MvmProgram p = mvmProgram({Instruction::mvm(1, 4040, 0x100, 2, 32, 64)});
  auto range = makeEngine(p.image);
  EXPECT_EQ(runError(*range),
            "core (0,0,0) instruction 1 (mvm): input of vector 1 [0xfe8, +32) "
            "is outside spad (4096 bytes)");
}

TEST(Engine, ProgrammingAgainDrawsNewCells) {
  // Noise on: the same block programmed twice on one unit gives two
  // different arrays (programming noise is drawn per wprog).
  isa::ProgramImage image;
  image.config = smallConfig();
  std::mt19937_64 rng(6);
  image.weights.push_back(randomBlock(image.config, 32, 16, rng));
  image.streams.push_back(stream(
      0, 0,
      {Instruction::wprog(0, 0), Instruction::mvm(0, 0, 0x100, 1, 0, 0),
       Instruction::wprog(0, 0), Instruction::mvm(0, 0, 0x200, 1, 0, 0),
       Instruction::halt()}));
  FunctionalOptions options;
  options.analog = rramModel();
  options.analog.programmingNoise.sigma = 0.2;
  options.effects = unsigned(Effect::ProgrammingNoise);
  auto engine = makeEngine(image, options);
  write(*engine, Spad, 0, 0, randomInputs(32, rng));
  ASSERT_NO_ERROR(engine->run());
  EXPECT_NE(read<int32_t>(*engine, Spad, 0, 0x100, 16),
            read<int32_t>(*engine, Spad, 0, 0x200, 16));
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

TEST(Engine, VectorInstructionsFollowTheIsaLibrary) {
  isa::ProgramImage image;
  image.config = smallConfig();
  isa::VecOperands add;
  add.fn = isa::VecFn::Add;
  add.type = isa::DataType::F32;
  add.mode = isa::Src2Mode::PerCol;
  add.dst = 0x200;
  add.src1 = 0x000;
  add.src2 = 0x100;
  add.rows = 2;
  add.cols = 4;
  image.streams.push_back(stream(
      0, 0,
      {Instruction::vec(add),
       Instruction::vecUnary(isa::VecFn::Gelu, isa::DataType::F32, 0x220,
                             0x200, 2, 4),
       Instruction::vred(isa::ReduceKind::Max, isa::DataType::F32, 0x240,
                         0x220, 2, 4),
       Instruction::vtopk(0x260, 0x280, 0x000, 2, 4, 2),
       Instruction::dmm(isa::DataType::I8, 0x300, 0x380, 0x390, 2, 3, 2),
       Instruction::vgather(0x400, 0x000, 0x3a0, 2, 16),
       Instruction::halt()}));
  auto engine = makeEngine(image);
  std::vector<float> a = {1, -2, 3, 0.5f, -1, 4, 2, 2};
  std::vector<float> b = {0.25f, 1, -1, 2};
  write(*engine, Spad, 0, 0x000, a);
  write(*engine, Spad, 0, 0x100, b);
  std::vector<int8_t> ma = {1, 2, 3, -4, 5, -6}, mb = {7, -8, 9, 10, -11, 12};
  write(*engine, Spad, 0, 0x380, ma);
  write(*engine, Spad, 0, 0x390, mb);
  write(*engine, Spad, 0, 0x3a0, std::vector<int32_t>{1, -1});
  ASSERT_NO_ERROR(engine->run());

  std::vector<float> sum(8), gelu(8), maxima(2), topValues(4);
  std::vector<int32_t> topIndices(4), product(4);
  isa::vecBinaryF32(isa::VecFn::Add, isa::Src2Mode::PerCol, a, b, 0, 2, 4,
                    sum);
  isa::vecUnaryF32(isa::VecFn::Gelu, sum, gelu);
  isa::reduceF32(isa::ReduceKind::Max, gelu, 2, 4, maxima);
  isa::topK(a, 2, 4, 2, topValues, topIndices);
  isa::dmmI8(ma, mb, 2, 3, 2, false, false, product);
  EXPECT_EQ(read<float>(*engine, Spad, 0, 0x200, 8), sum);
  EXPECT_EQ(read<float>(*engine, Spad, 0, 0x220, 8), gelu);
  EXPECT_EQ(read<float>(*engine, Spad, 0, 0x240, 2), maxima);
  EXPECT_EQ(read<float>(*engine, Spad, 0, 0x260, 4), topValues);
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x280, 4), topIndices);
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x300, 4), product);
  std::vector<float> gathered = read<float>(*engine, Spad, 0, 0x400, 8);
  EXPECT_EQ(std::vector<float>(gathered.begin(), gathered.begin() + 4),
            std::vector<float>(a.begin() + 4, a.end()));
  EXPECT_EQ(std::vector<float>(gathered.begin() + 4, gathered.end()),
            std::vector<float>(4, 0.0f));

  const CoreEvents &ev = engine->getEvents().perCore[0];
  EXPECT_EQ(ev.vector.ops(VectorClass::Add), 8u + 8u); // add, topk compares
  EXPECT_EQ(ev.vector.ops(VectorClass::Special), 8u);
  EXPECT_EQ(ev.vector.ops(VectorClass::Reduce), 8u);
  EXPECT_EQ(ev.vector.dmmMacs, 12u);
  EXPECT_EQ(ev.vector.gatherBytes, 32u);
}

TEST(Engine, VectorErrorsNameTheCore) {
  isa::ProgramImage image;
  image.config = smallConfig();
  // The gather's index names a row beyond the scratchpad at run time.
  image.streams.push_back(
      stream(0, 1, {Instruction::vgather(0x400, 0x000, 0x3a0, 1, 16),
                    Instruction::halt()}));
  auto engine = makeEngine(image);
  write(*engine, Spad, 0, 0x3a0, std::vector<int32_t>{1000});
  EXPECT_THAT(runError(*engine),
              HasSubstr("core (0,0,1) instruction 0 (vgather): "));
}

TEST(Engine, DispatchFeedsIndirectGatherAndMvm) {
  // One MoE expert: route 6 tokens (32 i8 each) to 3 experts of capacity 4,
  // gather expert 1's tokens by its slot list and count, and multiply them.
  MvmProgram p =
      mvmProgram({Instruction::vdispatch(0x200, 0x240, 0x100, 6, 3, 4),
                  Instruction::vgather(0x300, 0x000, 0x210, 0x244, 32,
                                       /*countIndirect=*/true),
                  Instruction::mvm(1, 0x300, 0x400, 0x244, 32, 64, false,
                                   /*countIndirect=*/true)});
  auto engine = makeEngine(p.image);
  std::mt19937_64 rng(8);
  std::vector<int8_t> tokens = randomInputs(6 * 32, rng);
  write(*engine, Spad, 0, 0x000, tokens);
  write(*engine, Spad, 0, 0x100, std::vector<int32_t>{1, 0, -1, 1, 2, 1});
  // Slot 3 of expert 1 and its output must stay as they are.
  write(*engine, Spad, 0, 0x360, std::vector<int8_t>(32, 0x55));
  write(*engine, Spad, 0, 0x4c0, std::vector<int32_t>(16, 7));
  ASSERT_NO_ERROR(engine->run());

  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x200, 12),
            (std::vector<int32_t>{1, -1, -1, -1, 0, 3, 5, -1, 4, -1, -1, -1}));
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x240, 3),
            (std::vector<int32_t>{1, 3, 1}));
  const unsigned routed[] = {0, 3, 5};
  for (unsigned slot = 0; slot < 3; ++slot) {
    llvm::ArrayRef<int8_t> x =
        llvm::ArrayRef(tokens).slice(32 * routed[slot], 32);
    EXPECT_EQ(read<int8_t>(*engine, Spad, 0, 0x300 + 32 * slot, 32),
              std::vector<int8_t>(x.begin(), x.end()));
    EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x400 + 64 * slot, 16),
              ideal(p.image.config, p.block, x));
  }
  EXPECT_EQ(read<int8_t>(*engine, Spad, 0, 0x360, 32),
            std::vector<int8_t>(32, 0x55));
  EXPECT_EQ(read<int32_t>(*engine, Spad, 0, 0x4c0, 16),
            std::vector<int32_t>(16, 7));
  const CoreEvents &ev = engine->getEvents().perCore[0];
  EXPECT_EQ(ev.perOpcode[uint8_t(isa::Opcode::Vdispatch)], 1u);
  EXPECT_EQ(ev.vector.gatherBytes, 3u * 32);
  EXPECT_EQ(ev.mvm.vectors, 3u);
}

TEST(Engine, DispatchEventsAndErrors) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(
      stream(0, 0,
             {Instruction::vdispatch(0x200, 0x240, 0x100, 5, 3, 2),
              Instruction::halt()}));
  auto engine = makeEngine(image);
  write(*engine, Spad, 0, 0x100, std::vector<int32_t>{2, 2, -1, 0, 1});
  ASSERT_NO_ERROR(engine->run());
  // entries simple operations; entries i32 read, E * (C + 1) i32 written.
  const CoreEvents &ev = engine->getEvents().perCore[0];
  EXPECT_EQ(ev.vector.ops(VectorClass::Add), 5u);
  EXPECT_EQ(ev.spad.readBytes, 5u * 4);
  EXPECT_EQ(ev.spad.writeBytes, 3u * (2 + 1) * 4);

  auto overflow = makeEngine(image);
  write(*overflow, Spad, 0, 0x100, std::vector<int32_t>{2, 2, 2, 0, 1});
  EXPECT_THAT(runError(*overflow),
              HasSubstr("core (0,0,0) instruction 0 (vdispatch): vdispatch: "
                        "entry 2 overflows expert 2 (capacity 2)"));
  auto unknown = makeEngine(image);
  write(*unknown, Spad, 0, 0x100, std::vector<int32_t>{0, 3, 0, 0, 1});
  EXPECT_THAT(runError(*unknown),
              HasSubstr("entry 1 names expert 3, outside [0, 3)"));
}

//===----------------------------------------------------------------------===//
// Cores, tiles and synchronisation
//===----------------------------------------------------------------------===//

TEST(Engine, SendRecvAcrossTiles) {
  // The receiver comes first in the image: it blocks at recv, the sender
  // runs, and the receiver resumes.
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(stream(
      3, 0,
      {Instruction::recv(9, 0, 16),
       Instruction::dma(Tbuf, Spad, 0x80, 0x10, 16, 1, 16, 16),
       Instruction::halt()}));
  image.streams.push_back(stream(
      0, 1, {Instruction::send(Spad, 0x20, 3, 0x80, 16, 9),
             Instruction::halt()}));
  FunctionalOptions options;
  options.meshX = 2; // tiles 0 1 / 2 3: tile 0 to tile 3 is two hops
  options.meshY = 2;
  auto engine = makeEngine(image, options);
  std::vector<uint8_t> payload(16);
  for (unsigned i = 0; i < 16; ++i)
    payload[i] = uint8_t(100 + i);
  write(*engine, Spad, 1, 0x20, payload);
  ASSERT_NO_ERROR(engine->run());
  EXPECT_EQ(read<uint8_t>(*engine, Spad, 0, 0x10, 16), payload);
  const EventCounts &events = engine->getEvents();
  EXPECT_EQ(events.perCore[1].noc.sends, 1u);
  EXPECT_EQ(events.perCore[1].noc.bytes, 16u);
  EXPECT_EQ(events.perCore[1].noc.byteHops, 32u);
  EXPECT_EQ(events.perCore[0].noc.recvs, 1u);
  EXPECT_EQ(events.perCore[0].sync.blockedSwitches, 1u);
  EXPECT_EQ(events.perCore[0].instructions, 3u);
}

TEST(Engine, RecvMatchesTagSourceAndLength) {
  // Two messages from the same tile: each recv takes the one with its tag.
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(
      stream(0, 0, {Instruction::send(Spad, 0, 1, 0x00, 4, 1),
                    Instruction::send(Spad, 4, 1, 0x10, 8, 2),
                    Instruction::halt()}));
  image.streams.push_back(stream(
      1, 0, {Instruction::recv(2, 0, 8), Instruction::recv(1, 0, 4),
             Instruction::recv(1, 0, 4), Instruction::halt()}));
  auto engine = makeEngine(image);
  EXPECT_EQ(runError(*engine),
            "deadlock: every unfinished core is blocked: core (0,1,0) at "
            "instruction 2 (recv tag=1 src_tile=0x0 bytes=4)");
}

TEST(Engine, BarrierReleasesEveryCore) {
  // Each core writes its id to DRAM, waits at the barrier, then reads the
  // other cores' ids: all writes happen before any read.
  isa::ProgramImage image;
  image.config = smallConfig();
  for (uint16_t c = 0; c < 3; ++c)
    image.streams.push_back(stream(
        c, 0,
        {Instruction::dma(Spad, Dram, 0, 0x1000 + 4 * c, 4, 1, 4, 4),
         Instruction::barrier(7, 3),
         Instruction::dma(Dram, Spad, 0x1000, 0x100, 12, 1, 12, 12),
         Instruction::barrier(7, 3),
         Instruction::halt()}));
  auto engine = makeEngine(image);
  for (unsigned c = 0; c < 3; ++c)
    write(*engine, Spad, c, 0, std::vector<int32_t>{int32_t(10 + c)});
  ASSERT_NO_ERROR(engine->run());
  for (unsigned c = 0; c < 3; ++c) {
    EXPECT_EQ(read<int32_t>(*engine, Spad, c, 0x100, 3),
              (std::vector<int32_t>{10, 11, 12}));
    EXPECT_EQ(engine->getEvents().perCore[c].sync.barriers, 2u);
    EXPECT_EQ(engine->getEvents().perCore[c].instructions, 5u);
  }
}

TEST(Engine, BarrierCountsMustAgree) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(
      stream(0, 0, {Instruction::barrier(1, 2), Instruction::halt()}));
  image.streams.push_back(
      stream(1, 0, {Instruction::barrier(1, 3), Instruction::halt()}));
  auto engine = makeEngine(image);
  EXPECT_EQ(runError(*engine),
            "core (0,1,0) instruction 0 (barrier): barrier 1 expects 3 cores "
            "here, but the cores already waiting expect 2");
}

TEST(Engine, DeadlockListsTheBlockedCores) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(
      stream(0, 0, {Instruction::barrier(4, 3), Instruction::halt()}));
  image.streams.push_back(stream(2, 1, {Instruction::halt()}));
  image.streams.push_back(
      stream(1, 0, {Instruction::nop(), Instruction::recv(5, 0x2, 64),
                    Instruction::halt()}));
  auto engine = makeEngine(image);
  EXPECT_EQ(runError(*engine),
            "deadlock: every unfinished core is blocked: core (0,0,0) at "
            "instruction 0 (barrier id=4: 1 of 3 cores arrived); core (0,1,0) "
            "at instruction 1 (recv tag=5 src_tile=0x2 bytes=64)");
}

TEST(Engine, StreamsMustEndWithHalt) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(stream(0, 0, {Instruction::nop()}));
  auto engine = makeEngine(image);
  EXPECT_EQ(runError(*engine), "core (0,0,0) instruction 1 (end): the stream "
                               "ended without a halt");
  EXPECT_EQ(runError(*engine), "the program has already run");
}

//===----------------------------------------------------------------------===//
// Host interface
//===----------------------------------------------------------------------===//

isa::Symbol symbol(const char *name, isa::SymbolKind kind, isa::DataType type,
                   std::initializer_list<uint32_t> dims, uint64_t address) {
  isa::Symbol s;
  s.name = name;
  s.kind = kind;
  s.type = type;
  s.rank = uint8_t(dims.size());
  std::copy(dims.begin(), dims.end(), s.dims.begin());
  s.space = Dram;
  s.address = address;
  return s;
}

TEST(Engine, HostInputsAndOutputsBySymbol) {
  // out = x . W, i8 in, i32 out, through DRAM; a constant from the image's
  // DRAM initialisation is readable by name.
  MvmProgram p = mvmProgram({});
  isa::InstructionStream &s = p.image.streams[0];
  s.instructions.insert(s.instructions.begin() + 1,
                        {Instruction::dma(Dram, Spad, 0x1000, 0, 64, 1, 64, 64),
                         Instruction::mvm(1, 0, 0x100, 2, 32, 64),
                         Instruction::dma(Spad, Dram, 0x100, 0x2000, 128, 1,
                                          128, 128)});
  p.image.symbols = {
      symbol("x", isa::SymbolKind::Input, isa::DataType::I8, {2, 32}, 0x1000),
      symbol("y", isa::SymbolKind::Output, isa::DataType::I32, {2, 16},
             0x2000),
      symbol("bias", isa::SymbolKind::Constant, isa::DataType::F32, {2},
             0x3000)};
  isa::DramInit init;
  init.address = 0x3000;
  float bias[2] = {1.5f, -2.0f};
  init.bytes.assign(reinterpret_cast<uint8_t *>(bias),
                    reinterpret_cast<uint8_t *>(bias) + 8);
  p.image.dramInits.push_back(init);
  auto engine = makeEngine(p.image);

  HostTensor x(ElementType::I8, {2, 32});
  std::mt19937_64 rng(8);
  std::vector<int8_t> values = randomInputs(64, rng);
  std::memcpy(x.bytes.data(), values.data(), 64);
  auto expectError = [&](llvm::Error err, const char *text) {
    ASSERT_TRUE(bool(err));
    EXPECT_EQ(llvm::toString(std::move(err)), text);
  };
  expectError(engine->setInput("z", x), "the program has no symbol named 'z'");
  expectError(engine->setInput("y", x), "symbol 'y' is an output, not an input");
  expectError(engine->setInput("x", HostTensor(ElementType::I8, {2, 31})),
              "input 'x': expected 2x32xi8, got 2x31xi8");
  expectError(engine->setInput("x", HostTensor(ElementType::F32, {2, 32})),
              "input 'x': expected 2x32xi8, got 2x32xf32");
  ASSERT_NO_ERROR(engine->setInput("x", x));
  ASSERT_NO_ERROR(engine->run());

  HostTensor y = unwrap(engine->getTensor("y"));
  EXPECT_EQ(y.describe(), "2x16xi32");
  for (unsigned v = 0; v < 2; ++v) {
    std::vector<int32_t> expected = ideal(
        p.image.config, p.block, llvm::ArrayRef(values).slice(32 * v, 32));
    EXPECT_EQ(std::vector<int32_t>(y.data<int32_t>() + 16 * v,
                                   y.data<int32_t>() + 16 * v + 16),
              expected);
  }
  HostTensor b = unwrap(engine->getTensor("bias"));
  EXPECT_EQ(b.data<float>()[0], 1.5f);
  EXPECT_EQ(b.data<float>()[1], -2.0f);
  EXPECT_EQ(engine->getSymbols(isa::SymbolKind::Input).size(), 1u);
  EXPECT_EQ(engine->getSymbols(isa::SymbolKind::Output).size(), 1u);
}

TEST(Engine, InvalidImagesAreRejected) {
  isa::ProgramImage image;
  image.config = smallConfig();
  image.streams.push_back(stream(0, 0, {Instruction::wprog(0, 3)}));
  auto engine = FunctionalEngine::create(image, {});
  ASSERT_FALSE(bool(engine));
  EXPECT_THAT(llvm::toString(engine.takeError()),
              HasSubstr("block 3 does not exist"));

  isa::WeightBlock shapeOnly;
  shapeOnly.name = "layer0.w";
  shapeOnly.rows = 8;
  shapeOnly.cols = 4;
  shapeOnly.elided = true;
  image.weights.push_back(shapeOnly);
  image.streams[0].instructions = {Instruction::wprog(0, 0),
                                   Instruction::halt()};
  engine = FunctionalEngine::create(image, {});
  ASSERT_FALSE(bool(engine));
  EXPECT_EQ(llvm::toString(engine.takeError()),
            "weight block 0 'layer0.w' is shape only (the program was "
            "compiled without weight values); the functional engine needs "
            "the values");
}

//===----------------------------------------------------------------------===//
// Determinism and events with noise on
//===----------------------------------------------------------------------===//

TEST(Engine, NoisyRunsDoNotDependOnThreadsOrKernels) {
  isa::ProgramImage image;
  image.config = makeConfig(MvmShape{});
  image.config.spadBytes = 1 << 16;
  std::mt19937_64 rng(9);
  image.weights.push_back(randomBlock(image.config, 128, 128, rng));
  image.weights.push_back(randomBlock(image.config, 100, 70, rng));
  for (uint16_t c = 0; c < 2; ++c)
    image.streams.push_back(stream(
        c, 0,
        {Instruction::wprog(0, c), Instruction::mvm(0, 0, 0x4000, 12, 128, 512),
         Instruction::mvm(0, 0, 0x4000, 12, 128, 512, true),
         Instruction::halt()}));
  std::vector<int8_t> x = randomInputs(128 * 12, rng);
  auto runWith = [&](unsigned threads, KernelChoice kernel) {
    FunctionalOptions options;
    options.analog = rramModel();
    options.effects = AllEffects;
    options.threads = threads;
    options.kernel = kernel;
    auto engine = makeEngine(image, options);
    std::vector<int32_t> out;
    if (!engine)
      return out;
    for (unsigned c = 0; c < 2; ++c)
      write(*engine, Spad, c, 0, x);
    if (llvm::Error err = engine->run()) {
      ADD_FAILURE() << llvm::toString(std::move(err));
      return out;
    }
    for (unsigned c = 0; c < 2; ++c) {
      std::vector<int32_t> y =
          read<int32_t>(*engine, Spad, c, 0x4000, 128 * 12);
      out.insert(out.end(), y.begin(), y.end());
    }
    return out;
  };
  std::vector<int32_t> one = runWith(1, KernelChoice::Auto);
  EXPECT_EQ(runWith(2, KernelChoice::Auto), one);
  EXPECT_EQ(runWith(3, KernelChoice::Portable), one);
  EXPECT_EQ(runWith(1, KernelChoice::Reference), one);
}

//===----------------------------------------------------------------------===//
// Architectures
//===----------------------------------------------------------------------===//

TEST(Engine, UnitConfigOfThePresets) {
  arch::Architecture a = unwrap(arch::loadArchitecture(
      MHO_SOURCE_DIR "/hw/arch/default.yaml", nullptr));
  isa::UnitConfig c = unwrap(getUnitConfig(a));
  EXPECT_EQ(c.rows, 128);
  EXPECT_EQ(c.slices, 4);
  EXPECT_EQ(c.planes, 8);
  EXPECT_EQ(c.adcBits, 8);
  EXPECT_EQ(c.adcShift, 0); // range 0.5: 192 fits 8 bits
  EXPECT_EQ(c.mvmUnits, 12);
  EXPECT_EQ(c.tiles, 256);
  ASSERT_NO_ERROR(checkImageAgainstArchitecture(c, a));
  FunctionalOptions options = FunctionalOptions::fromArchitecture(a);
  EXPECT_EQ(printEffects(options.effects), "programming,read,stuck-at,ir-drop");
  EXPECT_EQ(options.meshX, 16u);

  arch::Architecture prime = unwrap(arch::loadArchitecture(
      MHO_SOURCE_DIR "/hw/arch/prime.yaml", nullptr));
  llvm::Error err = checkImageAgainstArchitecture(c, prime);
  ASSERT_TRUE(bool(err));
  EXPECT_THAT(llvm::toString(std::move(err)),
              HasSubstr("rows 128 (image) vs 256 (architecture); cols 128 "
                        "(image) vs 256 (architecture); cell_bits 2 (image) vs "
                        "4 (architecture)"));

  // ISAAC's 16-bit inputs do not fit ISA v1.
  arch::Architecture isaac = unwrap(arch::loadArchitecture(
      MHO_SOURCE_DIR "/hw/arch/isaac.yaml", nullptr));
  llvm::Expected<isa::UnitConfig> none = getUnitConfig(isaac);
  ASSERT_FALSE(bool(none));
  EXPECT_THAT(llvm::toString(none.takeError()),
              HasSubstr("mvm_unit.input_bits 16 exceeds 8"));
}

TEST(Engine, EveryPresetRunsItsNoiseOnEveryKernel) {
  // Each preset that ISA v1 can express: its MVM unit with the noise its
  // file configures (at t = 1 day, so drift and PCM read noise are on), a
  // block of the full crossbar size, the same results on every kernel.
  for (const char *name :
       {"default", "puma", "prime", "sram-cim", "pcm-hermes", "isaac"}) {
    SCOPED_TRACE(name);
    arch::Architecture a = unwrap(arch::loadArchitecture(
        std::string(MHO_SOURCE_DIR "/hw/arch/") + name + ".yaml", nullptr));
    llvm::Expected<isa::UnitConfig> config = getUnitConfig(a);
    if (!config) {
      // ISAAC and PUMA stream 16-bit inputs; ISA v1 has at most 8.
      EXPECT_THAT(llvm::toString(config.takeError()),
                  HasSubstr("mvm_unit.input_bits 16 exceeds 8"));
      EXPECT_TRUE(std::string(name) == "isaac" || std::string(name) == "puma");
      continue;
    }
    FunctionalOptions options = FunctionalOptions::fromArchitecture(a);
    options.analog.time = 86400;
    options.analog.seed = 3;
    AnalogModel model = options.analog.restrictedTo(options.effects);
    std::mt19937_64 rng(4);
    isa::WeightBlock block =
        randomBlock(*config, config->rows, config->cols, rng);
    std::vector<int8_t> x = randomInputs(size_t(config->rows) * 3, rng);
    std::vector<int32_t> first;
    for (KernelChoice kernel : {KernelChoice::Auto, KernelChoice::Portable,
                                KernelChoice::Reference}) {
      MvmArithmetic arith =
          unwrap(MvmArithmetic::create(*config, model, kernel));
      MvmUnit unit;
      ASSERT_NO_ERROR(unit.program(arith, block, 1));
      std::vector<int32_t> y(size_t(3) * config->cols);
      unit.multiply(arith, x.data(), config->rows, 3, y.data(), 0);
      if (first.empty())
        first = y;
      EXPECT_EQ(y, first) << getName(kernel).str() << ": " << arith.describe();
    }
  }
}

} // namespace
