//===- CIMToXBarTest.cpp - Scheduler pieces and compiled programs run -----===//
//
// Unit tests of the MLIR-free scheduler (views, DMA decomposition, levels),
// and end-to-end runs: exporter IR -> cim-compile -> program image -> the
// test ImageRunner, compared with the FP32 reference executor, and compiled
// for several targets (cores, scratchpad, MVM units, reprogramming rounds)
// that must all give the same bits.
//
//===----------------------------------------------------------------------===//

#include "ImageRunner.h"

#include "mho/Conversion/CIMToXBar/Schedule.h"
#include "mho/Dialect/XBar/IR/XBarOps.h"
#include "mho/InitAll.h"
#include "mho/Reference/ReferenceExecutor.h"
#include "mho/Sim/AccuracyMetrics.h"
#include "mho/Target/XBar/ImageTranslation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>

using namespace mho;
using namespace mho::cimtoxbar;

namespace {

//===----------------------------------------------------------------------===//
// Views and copies
//===----------------------------------------------------------------------===//

/// Byte offsets of every element of `view`, in row-major order.
std::vector<uint64_t> addresses(const View &view) {
  std::vector<uint64_t> result;
  std::vector<int64_t> index(view.shape.size(), 0);
  if (view.getNumElements() == 0)
    return result;
  while (true) {
    uint64_t address = view.address;
    for (size_t d = 0; d < index.size(); ++d)
      address += index[d] * view.strides[d];
    result.push_back(address);
    size_t d = index.size();
    while (d > 0) {
      --d;
      if (++index[d] < view.shape[d])
        break;
      index[d] = 0;
      if (d == 0)
        return result;
    }
    if (index.empty())
      return result;
  }
}

TEST(CIMToXBarView, RowPiecesCoverTheRowsInOrder) {
  View view = View::contiguous(isa::MemorySpace::Dram, 0x100, {2, 3, 5, 4}, 4);
  std::vector<uint64_t> all = addresses(view);
  for (int64_t first = 0; first < 30; ++first)
    for (int64_t count = 1; first + count <= 30; ++count) {
      std::vector<uint64_t> got;
      for (const View &piece : view.rowPieces(first, count)) {
        EXPECT_EQ(piece.shape.back(), 4);
        std::vector<uint64_t> part = addresses(piece);
        got.insert(got.end(), part.begin(), part.end());
      }
      std::vector<uint64_t> want(all.begin() + first * 4,
                                 all.begin() + (first + count) * 4);
      ASSERT_EQ(got, want) << "rows [" << first << ", " << first + count << ")";
    }
}

TEST(CIMToXBarView, RowPiecesOfBroadcastAndPermutedViews) {
  View base = View::contiguous(isa::MemorySpace::Dram, 0, {3, 4}, 4);
  View broadcast = base.broadcastTo({2, 3, 4});
  EXPECT_EQ(broadcast.strides, (llvm::SmallVector<int64_t, 6>{0, 16, 4}));
  View permuted = View::contiguous(isa::MemorySpace::Dram, 0, {4, 2, 3}, 4)
                      .permuted({1, 0, 2});
  std::vector<uint64_t> got;
  for (const View &piece : permuted.rowPieces(1, 6))
    for (uint64_t a : addresses(piece))
      got.push_back(a);
  std::vector<uint64_t> all = addresses(permuted);
  EXPECT_EQ(got, std::vector<uint64_t>(all.begin() + 3, all.begin() + 21));
}

TEST(CIMToXBarCopy, ContiguousRunsMergeIntoOneInstruction) {
  View src = View::contiguous(isa::MemorySpace::Dram, 0x1000, {4, 8}, 4);
  View dst = View::contiguous(isa::MemorySpace::Spad, 0x40, {4, 8}, 4);
  std::vector<isa::Instruction> code;
  appendCopy(code, src, dst);
  ASSERT_EQ(code.size(), 1u);
  isa::DmaOperands ops = code[0].getDma();
  EXPECT_EQ(ops.rowBytes, 128u);
  EXPECT_EQ(ops.rows, 1u);
  EXPECT_EQ(ops.src, 0x1000u);
  EXPECT_EQ(ops.dst, 0x40u);
  EXPECT_EQ(ops.srcSpace, isa::MemorySpace::Dram);
  EXPECT_EQ(ops.dstSpace, isa::MemorySpace::Spad);
}

TEST(CIMToXBarCopy, ColumnsOfARowMajorMatrixAreStridedRows) {
  // Columns [2, 5) of a 6x8 i8 matrix: one 2-D dma.
  View src = View::contiguous(isa::MemorySpace::Dram, 0, {6, 8}, 1)
                 .sliced({0, 2}, {6, 3}, {1, 1});
  View dst = View::contiguous(isa::MemorySpace::Spad, 0, {6, 3}, 1);
  std::vector<isa::Instruction> code;
  appendCopy(code, src, dst);
  ASSERT_EQ(code.size(), 1u);
  isa::DmaOperands ops = code[0].getDma();
  EXPECT_EQ(ops.src, 2u);
  EXPECT_EQ(ops.rowBytes, 3u);
  EXPECT_EQ(ops.rows, 6u);
  EXPECT_EQ(ops.srcStride, 8u);
  EXPECT_EQ(ops.dstStride, 3u);
}

TEST(CIMToXBarCopy, TransposeUsesElementRows) {
  // [4, 8] -> [8, 4]: one dma of 4-byte rows per output row.
  View src =
      View::contiguous(isa::MemorySpace::Dram, 0, {4, 8}, 4).permuted({1, 0});
  View dst = View::contiguous(isa::MemorySpace::Dram, 0x1000, {8, 4}, 4);
  std::vector<isa::Instruction> code;
  appendCopy(code, src, dst);
  ASSERT_EQ(code.size(), 8u);
  EXPECT_EQ(countCopy(src, dst), 8u);
  for (auto [i, inst] : llvm::enumerate(code)) {
    isa::DmaOperands ops = inst.getDma();
    EXPECT_EQ(ops.rowBytes, 4u);
    EXPECT_EQ(ops.rows, 4u);
    EXPECT_EQ(ops.srcStride, 32u);
    EXPECT_EQ(ops.dstStride, 4u);
    EXPECT_EQ(ops.src, 4 * i);
    EXPECT_EQ(ops.dst, 0x1000 + 16 * i);
  }
}

TEST(CIMToXBarCopy, BroadcastScalarIsAStrideZeroRow) {
  View scalar = View::contiguous(isa::MemorySpace::Dram, 0x20, {}, 4);
  View src = scalar.broadcastTo({5, 1});
  View dst = View::contiguous(isa::MemorySpace::Spad, 0, {5, 1}, 4);
  std::vector<isa::Instruction> code;
  appendCopy(code, src, dst);
  ASSERT_EQ(code.size(), 1u);
  isa::DmaOperands ops = code[0].getDma();
  EXPECT_EQ(ops.rowBytes, 4u);
  EXPECT_EQ(ops.rows, 5u);
  EXPECT_EQ(ops.srcStride, 0u);
  EXPECT_EQ(ops.dstStride, 4u);
}

//===----------------------------------------------------------------------===//
// Scratchpad layouts
//===----------------------------------------------------------------------===//

TEST(CIMToXBarSpad, MeasuringALayoutGivesTheBytesItAllocates) {
  // A layout as the lowerings write one: blocks of n x w bytes and n words.
  auto layout = [](SpadAllocator &spad, uint64_t n, uint64_t w) {
    uint32_t x = spad.allocate(n * w);
    uint32_t y = spad.allocate(4 * n);
    return std::make_pair(x, y);
  };
  uint64_t bytes =
      SpadAllocator::measure([&](SpadAllocator &spad) { layout(spad, 3, 5); });
  EXPECT_EQ(bytes, 16u + 12u); // 15 bytes rounded up to the granule, 12
  SpadAllocator spad(bytes);
  auto [x, y] = layout(spad, 3, 5);
  EXPECT_EQ(x, 0u);
  EXPECT_EQ(y, 16u);
  EXPECT_EQ(spad.getUsed(), bytes);
  // Measuring has no capacity: a layout beyond any scratchpad still measures.
  EXPECT_EQ(SpadAllocator::measure(
                [&](SpadAllocator &spad) { layout(spad, 1 << 20, 1 << 20); }),
            (uint64_t{1} << 40) + (uint64_t{4} << 20));
}

//===----------------------------------------------------------------------===//
// Levels and streams
//===----------------------------------------------------------------------===//

isa::UnitConfig smallConfig() {
  isa::UnitConfig config;
  config.rows = config.cols = 8;
  config.weightBits = 8;
  config.cellBits = 2;
  config.slices = 4;
  config.inputBits = 8;
  config.dacBits = 1;
  config.planes = 8;
  config.mvmUnits = 2;
  config.spadBytes = 4096;
  config.tbufBytes = 4096;
  config.dramBytes = 1 << 20;
  config.tiles = 2;
  config.cores = 2;
  return config;
}

TEST(CIMToXBarSchedule, LevelsFollowCrossCoreDependences) {
  Schedule schedule(smallConfig());
  unsigned a = schedule.newBuffer(), b = schedule.newBuffer(),
           c = schedule.newBuffer();
  Task &t0 = schedule.addTask(0, 0);
  t0.writes = {a};
  t0.code.push_back(isa::Instruction::nop());
  Task &t1 = schedule.addTask(0, 1); // same core: same level
  t1.reads = {a};
  t1.writes = {b};
  Task &t2 = schedule.addTask(3, 2); // other core: next level
  t2.reads = {b};
  t2.writes = {c};
  Task &t3 = schedule.addTask(1, 3); // independent: level 0
  t3.code.push_back(isa::Instruction::nop());
  schedule.assignLevels();
  const std::vector<Task> &tasks = schedule.getTasks();
  EXPECT_EQ(tasks[0].level, 0u);
  EXPECT_EQ(tasks[1].level, 0u);
  EXPECT_EQ(tasks[2].level, 1u);
  EXPECT_EQ(tasks[3].level, 0u);
  EXPECT_EQ(schedule.getNumLevels(), 2u);

  std::vector<EmittedStream> streams = schedule.emit();
  ASSERT_EQ(streams.size(), 3u); // cores 0, 1, 3
  EXPECT_EQ(streams[2].core.tile, 1u);
  EXPECT_EQ(streams[2].core.core, 1u);
  for (const EmittedStream &stream : streams) {
    const isa::Instruction &last = stream.instructions.back().instruction;
    EXPECT_EQ(last.getOpcode(), isa::Opcode::Halt);
    unsigned barriers = 0;
    for (const EmittedInstruction &inst : stream.instructions)
      if (inst.instruction.getOpcode() == isa::Opcode::Barrier) {
        ++barriers;
        EXPECT_EQ(inst.instruction.getBarrier().count, 3u);
      }
    EXPECT_EQ(barriers, 1u);
  }
}

TEST(CIMToXBarSchedule, WprogOnlyWhenTheUnitHoldsAnotherBlock) {
  Schedule schedule(smallConfig());
  schedule.addInitialWeight(0, 0, 0);
  Task &t0 = schedule.addTask(0, 0);
  t0.code = {
      isa::Instruction::wprog(0, 0), isa::Instruction::mvm(0, 0, 64, 1, 8, 32),
      isa::Instruction::wprog(0, 1), isa::Instruction::mvm(0, 0, 64, 1, 8, 32),
      isa::Instruction::wprog(0, 1)};
  schedule.assignLevels();
  std::vector<EmittedStream> streams = schedule.emit();
  ASSERT_EQ(streams.size(), 1u);
  std::vector<isa::Opcode> opcodes;
  for (const EmittedInstruction &inst : streams[0].instructions)
    opcodes.push_back(inst.instruction.getOpcode());
  EXPECT_EQ(opcodes,
            (std::vector<isa::Opcode>{isa::Opcode::Wprog, isa::Opcode::Mvm,
                                      isa::Opcode::Wprog, isa::Opcode::Mvm,
                                      isa::Opcode::Halt}));
}

//===----------------------------------------------------------------------===//
// Compiled models, run
//===----------------------------------------------------------------------===//

std::string target(int rows, int cols, int units, int cores, int tiles,
                   int spad, int adcBits = 8) {
  return "#cim.target<rows = " + std::to_string(rows) +
         ", cols = " + std::to_string(cols) +
         ", weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = "
         "8, dac_bits = 1, adc_bits = " +
         std::to_string(adcBits) + ", mvm_units = " + std::to_string(units) +
         ", cores = " + std::to_string(cores) +
         ", tiles = " + std::to_string(tiles) +
         ", chips = 1, spad_bytes = " + std::to_string(spad) +
         ", tbuf_bytes = 65536, dmu = true>";
}

class CompiledModel : public ::testing::Test {
protected:
  CompiledModel() {
    mlir::DialectRegistry registry;
    mho::registerAllDialects(registry);
    mho::registerAllPasses();
    context.appendDialectRegistry(registry);
  }

  /// models/gen_transformer_ir.py with `args`, as text.
  std::string generate(const std::string &args) {
    llvm::SmallString<128> path;
    if (llvm::sys::fs::createTemporaryFile("cim2xbar", "mlir", path))
      return "";
    std::string command = "/usr/bin/python3 " MHO_SOURCE_DIR
                          "/models/gen_transformer_ir.py " +
                          args + " -o " + std::string(path);
    if (std::system(command.c_str()) != 0)
      return "";
    auto buffer = llvm::MemoryBuffer::getFile(path);
    llvm::sys::fs::remove(path);
    if (!buffer)
      return "";
    return (*buffer)->getBuffer().str();
  }

  /// The image cim-compile makes of `source` with `options`.
  std::optional<isa::ProgramImage> compile(const std::string &source,
                                           const std::string &options) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    if (!module) {
      ADD_FAILURE() << "cannot parse the model";
      return std::nullopt;
    }
    mlir::PassManager pm(&context);
    std::string pipeline = "cim-compile{" + options + "}";
    if (mlir::failed(mlir::parsePassPipeline(pipeline, pm))) {
      ADD_FAILURE() << "bad pipeline " << pipeline;
      return std::nullopt;
    }
    if (mlir::failed(pm.run(*module))) {
      ADD_FAILURE() << "cim-compile failed";
      return std::nullopt;
    }
    auto programs = module->getOps<xbar::ProgramOp>();
    if (programs.empty()) {
      for (mlir::Operation &op : *module->getBody())
        llvm::errs() << op.getName() << "\n";
      ADD_FAILURE() << "no xbar.program";
      return std::nullopt;
    }
    mlir::FailureOr<isa::ProgramImage> image =
        xbar::exportProgram(*programs.begin());
    if (mlir::failed(image)) {
      ADD_FAILURE() << "export failed";
      return std::nullopt;
    }
    return std::move(*image);
  }

  /// Runs `image` on `input` and returns output0's bytes, the same whether
  /// the cores run in stream order or in reverse.
  std::vector<uint8_t> run(const isa::ProgramImage &image,
                           const HostTensor &input, uint64_t *executed) {
    std::vector<uint8_t> forward = runOnce(image, input, executed, false);
    std::vector<uint8_t> backward = runOnce(image, input, nullptr, true);
    EXPECT_EQ(forward, backward) << "the result depends on the core order";
    return forward;
  }

  std::vector<uint8_t> runOnce(const isa::ProgramImage &image,
                               const HostTensor &input, uint64_t *executed,
                               bool reverse) {
    test::ImageRunner runner(image);
    const isa::Symbol *in = nullptr, *out = nullptr;
    for (const isa::Symbol &symbol : image.symbols) {
      if (symbol.name == "input0")
        in = &symbol;
      if (symbol.name == "output0")
        out = &symbol;
    }
    if (!in || !out) {
      ADD_FAILURE() << "no input0/output0 symbol";
      return {};
    }
    runner.writeDram(in->address, input.bytes);
    if (llvm::Error err = runner.run(reverse)) {
      ADD_FAILURE() << llvm::toString(std::move(err));
      return {};
    }
    if (executed)
      *executed = runner.getExecuted();
    uint64_t elements = 1;
    for (unsigned d = 0; d < out->rank; ++d)
      elements *= out->dims[d];
    return runner.readDram(out->address,
                           elements * isa::getByteSize(out->type));
  }

  std::vector<float> reference(const std::string &source,
                               const HostTensor &input) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    auto executor = reference::ReferenceExecutor::create(std::move(module), {});
    if (!executor) {
      ADD_FAILURE() << llvm::toString(executor.takeError());
      return {};
    }
    auto outputs = (*executor)->run({input});
    if (!outputs) {
      ADD_FAILURE() << llvm::toString(outputs.takeError());
      return {};
    }
    return (*outputs)[0].toFloats();
  }

  static HostTensor randomInput(llvm::ArrayRef<int64_t> shape, unsigned seed) {
    HostTensor tensor(ElementType::F32, shape);
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      tensor.data<float>()[i] = normal(rng);
    return tensor;
  }

  static std::vector<float> floats(const std::vector<uint8_t> &bytes) {
    std::vector<float> values(bytes.size() / 4);
    std::memcpy(values.data(), bytes.data(), values.size() * 4);
    return values;
  }

  mlir::MLIRContext context;
};

/// One BERT layer: compiled for targets that differ in cores, tiles, MVM
/// units, scratchpad (chunking) and reprogramming, every program computes
/// the same bits, close to the FP32 reference.
TEST_F(CompiledModel, BertLayerSameBitsOnEveryScheduleAndNearFP32) {
  std::string source = generate("bert --layers 1 --hidden 64 --heads 2 "
                                "--ffn 128 --seq 8 --weights random");
  ASSERT_FALSE(source.empty());
  HostTensor input = randomInput({1, 8, 64}, 1);
  std::vector<float> expected = reference(source, input);
  ASSERT_EQ(expected.size(), 512u);

  // 32x32 crossbars (so 2x2 and 4x2 tilings with partial sums); an ADC that
  // resolves every column sum (32 rows x 1 x 3 = 96 < 2^8).
  struct Case {
    const char *name;
    std::string options;
  };
  std::vector<Case> cases = {
      {"one tile, two cores",
       "target='" + target(32, 32, 16, 2, 1, 27648) + "'"},
      {"many cores", "target='" + target(32, 32, 2, 4, 8, 27648) + "'"},
      {"one core, small scratchpad",
       "target='" + target(32, 32, 32, 1, 1, 900) + "'"},
      {"reprogramming",
       "target='" + target(32, 32, 2, 2, 1, 4096) + "' overflow=reprogram"},
  };
  std::vector<uint8_t> first;
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<isa::ProgramImage> image = compile(source, c.options);
    ASSERT_TRUE(image);
    uint64_t executed = 0;
    std::vector<uint8_t> got = run(*image, input, &executed);
    ASSERT_EQ(got.size(), 512u * 4);
    if (first.empty()) {
      first = got;
      sim::AccuracyMetrics metrics = sim::compare(expected, floats(got), 64);
      EXPECT_GT(metrics.snrDb, 25.0) << "cosine " << metrics.cosine;
    } else {
      EXPECT_EQ(got, first) << "programs must agree bit for bit";
    }
  }
}

/// GPT-2 (causal mask, tanh GELU, slices of the fused QKV projection, tied
/// LM head) near the FP32 reference on the default-like target.
TEST_F(CompiledModel, Gpt2LayerNearFP32) {
  std::string source =
      generate("gpt2 --layers 1 --hidden 32 --heads 2 --ffn 64 --seq 8 "
               "--vocab 50 --weights random");
  ASSERT_FALSE(source.empty());
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  ASSERT_TRUE(module);
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  auto inType =
      llvm::cast<mlir::RankedTensorType>(func.getFunctionType().getInput(0));
  // Token ids, or embeddings, as the generator chose.
  HostTensor input;
  if (inType.getElementType().isF32()) {
    input = randomInput(inType.getShape(), 2);
  } else {
    input = HostTensor(ElementType::I64, inType.getShape());
    for (int64_t i = 0; i < input.numElements(); ++i)
      input.data<int64_t>()[i] = (i * 7) % 50;
  }
  std::vector<float> expected = reference(source, input);
  ASSERT_FALSE(expected.empty());
  std::optional<isa::ProgramImage> image =
      compile(source, "target='" + target(128, 128, 12, 2, 4, 27648, 9) + "'");
  ASSERT_TRUE(image);
  std::vector<uint8_t> got = run(*image, input, nullptr);
  ASSERT_EQ(got.size(), expected.size() * 4);
  sim::AccuracyMetrics metrics = sim::compare(expected, floats(got), 50);
  EXPECT_GT(metrics.snrDb, 20.0) << "cosine " << metrics.cosine;
}

} // namespace
