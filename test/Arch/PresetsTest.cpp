//===- PresetsTest.cpp - The architecture presets under hw/arch -----------===//
//
// Every preset loads; each reproduces the published figures it is built
// from; each is complete enough to run a transformer; and every figure in it
// carries a comment naming its source.
//
//===----------------------------------------------------------------------===//

#include "mho/Arch/ArchitectureParser.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mho::arch;

namespace {

const char *const kPresets[] = {"default", "isaac",    "puma",
                                "prime",   "sram-cim", "pcm-hermes"};

std::string presetPath(llvm::StringRef name) {
  return (llvm::Twine(MHO_PRESET_DIR) + "/" + name + ".yaml").str();
}

Architecture loadPreset(llvm::StringRef name, std::string *warnings = nullptr) {
  std::string sink;
  llvm::raw_string_ostream os(warnings ? *warnings : sink);
  llvm::Expected<Architecture> arch = loadArchitecture(presetPath(name), &os);
  if (!arch) {
    ADD_FAILURE() << llvm::toString(arch.takeError());
    return Architecture();
  }
  return std::move(*arch);
}

/// Relative closeness, for figures derived from published totals.
void expectNear(double actual, double expected, double tolerance,
                const char *what) {
  EXPECT_NEAR(actual / expected, 1.0, tolerance)
      << what << ": " << actual << " vs " << expected;
}

} // namespace

TEST(Presets, EveryPresetLoadsAndCanRunATransformer) {
  for (const char *name : kPresets) {
    SCOPED_TRACE(name);
    Architecture arch = loadPreset(name);
    EXPECT_EQ(arch.name, name);
    EXPECT_FALSE(arch.description.empty());
    EXPECT_FALSE(arch.sources.empty());
    EXPECT_TRUE(arch.core.canMultiplyActivations()) << "attention";
    EXPECT_GT(arch.core.vectorUnit.lanes, 0u) << "softmax, norms";
    for (unsigned i = 0; i < kNumVectorOps; ++i)
      EXPECT_GT(arch.core.vectorUnit.ops[i].latencyCycles, 0u);
    EXPECT_GT(arch.memory.size, 0u) << "off-chip memory";
    EXPECT_GT(arch.memory.bandwidth, 0);
    EXPECT_GT(arch.totals.weights, 0u);
    EXPECT_GT(arch.mvmUnit.mvmLatency, 0);
    EXPECT_GT(arch.mvmUnit.mvmEnergy, 0);
    EXPECT_GT(arch.totals.chipArea, 0);
  }
}

TEST(Presets, DefaultIsTheDocumentedDesignPoint) {
  std::string warnings;
  Architecture arch = loadPreset("default", &warnings);
  EXPECT_EQ(warnings, "") << "mho run's default loads silently";
  const MvmUnitSpec &mvm = arch.mvmUnit;
  EXPECT_EQ(mvm.rows, 128u);
  EXPECT_EQ(mvm.cols, 128u);
  EXPECT_EQ(mvm.weightBits, 8u);
  EXPECT_EQ(mvm.cellBits, 2u);
  EXPECT_EQ(mvm.slices, 4u);
  EXPECT_EQ(mvm.inputBits, 8u);
  EXPECT_EQ(mvm.dacBits, 1u);
  EXPECT_EQ(mvm.adc.bits, 8u);
  EXPECT_EQ(mvm.adcDropBits, 0u);
  EXPECT_TRUE(arch.core.digitalMatrixUnit.present);
  EXPECT_GE(arch.totals.weights, 85000000u) << "BERT-base's encoder fits";
}

TEST(Presets, IsaacReproducesTableI) {
  Architecture arch = loadPreset("isaac");
  const MvmUnitSpec &mvm = arch.mvmUnit;
  EXPECT_EQ(arch.chip.tiles, 168u);
  EXPECT_EQ(arch.core.mvmUnits, 12u);
  EXPECT_EQ(mvm.crossbars, 8u);
  EXPECT_DOUBLE_EQ(mvm.adc.energy, 1.5625e-12) << "16 mW / 8 / 1.28 GS/s";
  // 12 IMAs: 0.157 mm2 and 289 mW in Table I.
  expectNear(12 * mvm.area + arch.core.scratchpad.area, 0.157e-6, 0.01,
             "12 IMAs' area");
  double imaPower = mvm.mvmEnergy / mvm.mvmLatency;
  expectNear(12 * imaPower, 289e-3 - 12 * (1.24e-3 + 0.23e-3), 0.07,
             "12 IMAs' crossbar-side power at full load");
  // The published chip (85.4 mm2) plus the [assumed] transformer additions.
  double additions = arch.chip.tiles * (arch.core.digitalMatrixUnit.area +
                                        arch.core.instructionMemory.area +
                                        arch.core.vectorUnit.area - 0.0006e-6);
  expectNear(arch.totals.chipArea - additions, 85.4e-6, 0.01, "chip area");
  // ISAAC's computational efficiency, 478.95 GOPS/s/mm2 over 85.4 mm2.
  expectNear(arch.totals.peakOpsPerSecond, 478.95e9 * 85.4, 0.06,
             "peak throughput");
}

TEST(Presets, HermesReproducesItsThroughputAndEfficiency) {
  Architecture arch = loadPreset("pcm-hermes");
  EXPECT_EQ(arch.totals.mvmUnits, 64u);
  EXPECT_EQ(arch.mvmUnit.rows, 256u);
  EXPECT_EQ(arch.device.technology, Technology::PCM);
  EXPECT_EQ(arch.device.programmingNoise.model, NoiseModelKind::PCM);
  EXPECT_DOUBLE_EQ(arch.device.programmingNoise.c2, -1.1731e-6);
  EXPECT_EQ(arch.device.readNoise.model, NoiseModelKind::PCM);
  EXPECT_TRUE(arch.device.drift.enabled);
  expectNear(arch.totals.peakOpsPerSecond, 63.1e12, 0.01, "63.1 TOPS");
  double opsPerJoule = 2.0 * arch.mvmUnit.weights() / arch.mvmUnit.mvmEnergy;
  expectNear(opsPerJoule, 9.76e12, 0.01, "9.76 TOPS/W");
}

TEST(Presets, SramCimReproducesTheMacro) {
  Architecture arch = loadPreset("sram-cim");
  EXPECT_EQ(arch.device.technology, Technology::SRAM);
  EXPECT_TRUE(arch.core.reprogrammableArrays.present);
  EXPECT_FALSE(arch.core.digitalMatrixUnit.present);
  // One macro access: 1024 4b x 4b MACs in 5.5 ns at 351 TOPS/W.
  expectNear(2048 / arch.mvmUnit.crossbar.energy, 351e12, 0.01, "TOPS/W");
  expectNear(2048 / arch.mvmUnit.crossbar.latency, 372.4e9, 0.01, "GOPS");
}

TEST(Presets, PrimeAndPumaKeepTheirDesignPoints) {
  Architecture prime = loadPreset("prime");
  EXPECT_EQ(prime.mvmUnit.slices, 2u) << "8-bit weights as two 4-bit cells";
  EXPECT_EQ(prime.mvmUnit.crossbars, 4u) << "positive and negative arrays";
  EXPECT_EQ(prime.mvmUnit.planes, 2u) << "6-bit inputs as two 3-bit phases";
  Architecture puma = loadPreset("puma");
  EXPECT_EQ(puma.tile.cores, 8u);
  EXPECT_EQ(puma.core.mvmUnits, 2u);
  // The simulator's MVM: (16 + 2) x 128 cycles at 1 GHz, 2 planes of fill.
  expectNear(puma.mvmUnit.mvmLatency, 16 * 128e-9, 0.06, "MVM latency");
}

// Every figure in a preset names its source or says it is assumed: each line
// that sets a value carries a comment, or sits under a commented section
// header that applies to it (noted in docs/Architecture.md).
TEST(Presets, EveryFigureHasAComment) {
  for (const char *name : kPresets) {
    SCOPED_TRACE(name);
    auto file = llvm::MemoryBuffer::getFile(presetPath(name));
    ASSERT_TRUE(bool(file));
    llvm::SmallVector<llvm::StringRef> lines;
    (*file)->getBuffer().split(lines, '\n');
    bool inBlock = false; // a folded description or the sources list
    for (auto [index, line] : llvm::enumerate(lines)) {
      llvm::StringRef text = line.rtrim();
      if (text.empty() || text.ltrim().starts_with("#"))
        continue;
      bool indented = text.front() == ' ';
      if (inBlock && indented)
        continue;
      inBlock = false;
      llvm::StringRef key = text.ltrim().split(':').first;
      llvm::StringRef value = text.split(':').second.trim();
      if (key == "description" || key == "sources") {
        inBlock = true;
        continue;
      }
      if (key == "name" || value.empty() || value.starts_with("#"))
        continue; // a section header or the name
      EXPECT_TRUE(text.contains('#'))
          << name << ".yaml:" << index + 1 << ": '" << text.str()
          << "' has no source comment";
    }
  }
}
