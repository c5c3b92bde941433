//===- EnergyModelTest.cpp - Dynamic energy from event counts -------------===//

#include "mho/Sim/Energy/EnergyModel.h"

#include "mho/Arch/ArchitectureParser.h"

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

#include <string>

using namespace mho;
using namespace mho::sim;
using namespace mho::sim::energy;

namespace {

arch::Architecture load(const std::string &name) {
  auto arch = arch::loadArchitecture(
      std::string(MHO_SOURCE_DIR) + "/hw/arch/" + name + ".yaml", nullptr);
  if (!arch) {
    ADD_FAILURE() << llvm::toString(arch.takeError());
    return {};
  }
  return std::move(*arch);
}

const ComponentEnergy &find(const EnergyBreakdown &b, const std::string &name) {
  for (const ComponentEnergy &c : b.components)
    if (c.component == name)
      return c;
  static ComponentEnergy none;
  ADD_FAILURE() << "no component " << name;
  return none;
}

/// The events of `vectors` input vectors through one MVM unit whose block
/// fills the crossbar (docs/FunctionalEngine.md, "Events").
functional::CoreEvents fullBlockMvm(const arch::MvmUnitSpec &m,
                                    uint64_t vectors) {
  functional::CoreEvents ev;
  ev.mvm.vectors = vectors;
  ev.mvm.dacActivations = vectors * m.planes * m.rows;
  ev.mvm.crossbarReads = vectors * m.planes * m.crossbars;
  ev.mvm.adcConversions = vectors * m.planes * m.crossbars * m.cols;
  ev.mvm.shiftAddSteps = ev.mvm.adcConversions;
  return ev;
}

class Presets : public ::testing::TestWithParam<const char *> {};

// Two independent accounts of one MVM agree: the architecture's own derived
// `mvmEnergy` (instances x energy per plane) and the events the functional
// engine counts priced one by one. With differential weights the ISA
// converts each polarity's column (docs/ISA.md §4), where `mvmEnergy` counts
// one conversion per column pair (an analog subtraction): the events cost
// that second conversion, its sample and its accumulation on top.
TEST_P(Presets, FullBlockMvmCostsTheArchitecturesMvmEnergy) {
  arch::Architecture a = load(GetParam());
  const arch::MvmUnitSpec &m = a.mvmUnit;
  EnergyBreakdown b = computeEnergy(a, fullBlockMvm(m, 3));
  double expected = m.mvmEnergy;
  if (m.signedEncoding == arch::SignedEncoding::Differential)
    expected +=
        m.planes * (double(m.sampleHold.instances) * m.sampleHold.energy +
                    m.conversionsPerPlane * (m.adc.energy + m.shiftAdd.energy));
  EXPECT_NEAR(b.total(), 3 * expected, 1e-9 * expected);
  EXPECT_GT(b.total(), 0);
}

INSTANTIATE_TEST_SUITE_P(All, Presets,
                         ::testing::Values("default", "isaac", "puma", "prime",
                                           "sram-cim", "pcm-hermes"),
                         [](const auto &info) {
                           std::string name = info.param;
                           for (char &c : name)
                             if (c == '-')
                               c = '_';
                           return name;
                         });

TEST(EnergyModel, EveryComponentIsEventsTimesEnergyPerEvent) {
  arch::Architecture a = load("default");
  functional::CoreEvents ev;
  ev.instructions = 10;
  ev.mvm.cellsProgrammed = 1000;
  ev.mvm.weightBytesRead = 16;
  ev.spad.readBytes = 640;
  ev.spad.writeBytes = 64;
  ev.tbuf.readBytes = 256;
  ev.dram.readBytes = 100;
  ev.dram.writeBytes = 28;
  ev.noc.byteHops = 50;
  ev.vector.ops(functional::VectorClass::Exp) = 7;
  ev.vector.dmmMacs = 4096;
  EnergyBreakdown b = computeEnergy(a, ev);
  const arch::CoreSpec &core = a.core;
  EXPECT_DOUBLE_EQ(find(b, "core.instruction_memory").joules(),
                   10 * core.instructionMemory.readEnergy);
  EXPECT_DOUBLE_EQ(find(b, "mvm.programming").joules(),
                   1000 * a.mvmUnit.programming.energyPerCell);
  EXPECT_DOUBLE_EQ(find(b, "core.scratchpad.read").events,
                   640.0 / core.scratchpad.bytesPerBeat());
  EXPECT_DOUBLE_EQ(find(b, "core.scratchpad.write").joules(),
                   64.0 / core.scratchpad.bytesPerBeat() *
                       core.scratchpad.writeEnergy);
  EXPECT_DOUBLE_EQ(find(b, "tile.buffer.read").joules(),
                   256.0 / a.tile.buffer.bytesPerBeat() *
                       a.tile.buffer.readEnergy);
  EXPECT_DOUBLE_EQ(find(b, "memory").joules(), 128 * 8 * a.memory.energyPerBit);
  EXPECT_DOUBLE_EQ(find(b, "memory.weights").joules(),
                   16 * 8 * a.memory.energyPerBit);
  EXPECT_DOUBLE_EQ(find(b, "noc").joules(), 50 * a.chip.noc.energyPerByteHop);
  EXPECT_DOUBLE_EQ(find(b, "vector.exp").joules(),
                   7 * core.vectorUnit.op(arch::VectorOp::Exp).energy);
  ASSERT_TRUE(core.digitalMatrixUnit.present);
  EXPECT_DOUBLE_EQ(find(b, "core.digital_matrix_unit").joules(),
                   4096 * core.digitalMatrixUnit.energyPerMac);
  double sum = 0;
  for (const ComponentEnergy &c : b.components)
    sum += c.joules();
  EXPECT_DOUBLE_EQ(b.total(), sum);
}

TEST(EnergyModel, ProductsOnReprogrammableArraysAreReportedNotPriced) {
  arch::Architecture a = load("default");
  a.core.digitalMatrixUnit.present = false;
  functional::EventCounts events;
  events.cores = {{0, 0, 0}, {0, 0, 1}};
  events.perCore.resize(2);
  events.perCore[1].vector.dmmMacs = 64;
  events.perCore[0].instructions = 3;
  EnergyReport report = computeEnergy(a, events);
  ASSERT_EQ(report.notModelled.size(), 1u);
  EXPECT_NE(report.notModelled[0].find("64 MACs"), std::string::npos);
  EXPECT_DOUBLE_EQ(report.total.total(),
                   3 * a.core.instructionMemory.readEnergy);
  ASSERT_EQ(report.perCore.size(), 2u);
  EXPECT_DOUBLE_EQ(report.perCore[0].total() + report.perCore[1].total(),
                   report.total.total());
}

} // namespace
