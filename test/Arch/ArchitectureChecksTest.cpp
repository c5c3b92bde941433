//===- ArchitectureChecksTest.cpp - Derived fields, cross-field checks ----===//

#include "TestArchitectures.h"

#include "mho/Arch/ArchitectureParser.h"
#include "mho/Arch/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mho::arch;
using namespace mho::arch::test;

namespace {

Architecture load(const std::string &yaml, std::string *warnings = nullptr) {
  std::string sink;
  llvm::raw_string_ostream os(warnings ? *warnings : sink);
  llvm::Expected<Architecture> arch = parseArchitecture(yaml, "test.yaml", &os);
  if (!arch) {
    ADD_FAILURE() << llvm::toString(arch.takeError());
    return Architecture();
  }
  return std::move(*arch);
}

/// The messages of the errors that loading `yaml` reports.
std::vector<std::string> errorsOf(const std::string &yaml) {
  std::vector<std::string> messages;
  llvm::Expected<Architecture> arch =
      parseArchitecture(yaml, "test.yaml", nullptr);
  if (arch) {
    ADD_FAILURE() << "loaded although errors were expected";
    return messages;
  }
  llvm::handleAllErrors(arch.takeError(), [&](const DiagnosticsError &e) {
    for (const Diagnostic &diag : e.getDiagnostics())
      messages.push_back(diag.message);
  });
  return messages;
}

/// Expects one warning, printed at the first occurrence of `at`.
void expectOneWarning(const std::string &yaml, const std::string &at,
                      const std::string &message) {
  std::string warnings;
  load(yaml, &warnings);
  auto [line, column] = locate(yaml, at);
  std::string expected = "test.yaml:" + std::to_string(line) + ":" +
                         std::to_string(column) + ": warning: " + message +
                         "\n";
  EXPECT_EQ(warnings.substr(0, expected.size()), expected) << warnings;
  EXPECT_EQ(warnings.find("warning:", expected.size()), std::string::npos)
      << "more than one warning:\n"
      << warnings;
}

} // namespace

TEST(ArchitectureChecks, DerivedMvmUnitFields) {
  Architecture arch = load(kMinimalArchitecture);
  const MvmUnitSpec &mvm = arch.mvmUnit;
  EXPECT_EQ(mvm.storedWeightBits, 4u);
  EXPECT_EQ(mvm.slices, 2u) << "ceil(4 / 2)";
  EXPECT_EQ(mvm.crossbars, 2u);
  EXPECT_EQ(mvm.planes, 4u) << "ceil(4 / 1)";
  EXPECT_EQ(mvm.fullScale, 192u) << "64 x (2^1 - 1) x (2^2 - 1)";
  EXPECT_EQ(mvm.exactAdcBits, 8u) << "ceil(log2(193))";
  EXPECT_EQ(mvm.adcDropBits, 0u);
  EXPECT_EQ(mvm.conversionsPerPlane, 128u);
  EXPECT_EQ(mvm.crossbar.instances, 2u);
  EXPECT_EQ(mvm.dac.instances, 128u) << "rows x slices";
  EXPECT_EQ(mvm.sampleHold.instances, 128u) << "cols x slices";
  EXPECT_EQ(mvm.shiftAdd.instances, 2u) << "one per ADC";
  // Reads (50 ns) overlap conversions of 64 columns per ADC (64 ns).
  EXPECT_DOUBLE_EQ(mvm.planeInterval, 64e-9);
  EXPECT_NEAR(mvm.mvmLatency, (50 + 3 * 64 + 64 + 1) * 1e-9, 1e-15);
  double perPlane =
      2 * 10e-12 + 128 * 0.1e-12 + 128 * 0.001e-12 + 128 * (2 + 0.02) * 1e-12;
  EXPECT_NEAR(mvm.mvmEnergy, 4 * perPlane, 1e-18);
  double area = 2 * 0.00002 + 128 * 0.0000002 + 128 * 0.00000004 +
                2 * 0.001 + 2 * 0.00006;
  EXPECT_NEAR(mvm.area, area * 1e-6, 1e-15);
}

TEST(ArchitectureChecks, DerivedTotals) {
  Architecture arch = load(kMinimalArchitecture);
  const ArchitectureTotals &t = arch.totals;
  EXPECT_EQ(t.cores, 4u);
  EXPECT_EQ(t.mvmUnits, 8u);
  EXPECT_EQ(t.crossbars, 16u);
  EXPECT_EQ(t.weights, 8u * 64 * 64);
  EXPECT_EQ(t.routers, 4u);
  EXPECT_DOUBLE_EQ(arch.device.onOffRatio, 100);
  double core = 2 * arch.mvmUnit.area + 0.001e-6 + 0.001e-6 + 0.002e-6 +
                0.01e-6;
  EXPECT_NEAR(t.coreArea, core, 1e-15);
  EXPECT_NEAR(t.chipArea, 4 * (core + 0.02e-6) + 4 * 0.01e-6, 1e-15);
  EXPECT_NEAR(t.peakOpsPerSecond, 2.0 * t.weights / arch.mvmUnit.mvmLatency,
              1);
}

TEST(ArchitectureChecks, DifferentialEncodingDoublesTheArrays) {
  Architecture arch = load(edit(kMinimalArchitecture, "signed_encoding: offset",
                                "signed_encoding: differential"));
  EXPECT_EQ(arch.mvmUnit.storedWeightBits, 3u) << "the sign picks the array";
  EXPECT_EQ(arch.mvmUnit.slices, 2u);
  EXPECT_EQ(arch.mvmUnit.crossbars, 4u);
  EXPECT_EQ(arch.mvmUnit.conversionsPerPlane, 128u)
      << "pairs are subtracted before conversion";
}

TEST(ArchitectureChecks, AdcRangeReducesTheBitsNeeded) {
  Architecture arch = load(edit(kMinimalArchitecture, "    bits: 8\n",
                                "    bits: 7\n    range: 0.5\n"));
  EXPECT_EQ(arch.mvmUnit.exactAdcBits, 7u) << "sums up to 96";
  EXPECT_EQ(arch.mvmUnit.adcDropBits, 0u);
}

TEST(ArchitectureChecks, MeshMustHoldTheTiles) {
  std::string yaml =
      edit(kMinimalArchitecture, "mesh: {x: 2, y: 2}", "mesh: {x: 2, y: 3}");
  std::vector<std::string> errors = errorsOf(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "chip.mesh: 2 x 3 = 6 tiles, but chip.tiles is 4");
}

TEST(ArchitectureChecks, AdcsMustCoverTheColumns) {
  std::string yaml =
      edit(kMinimalArchitecture, "    count: 2\n", "    count: 1\n");
  std::vector<std::string> errors = errorsOf(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "mvm_unit.adc.count: 1 ADCs x 64 columns each cover "
                       "64 columns, but the MVM unit converts 64 columns x "
                       "2 slice(s) = 128 per input plane");
}

TEST(ArchitectureChecks, LevelsMustHoldTheCellBits) {
  std::string yaml =
      edit(kMinimalArchitecture, "  levels: 4\n", "  levels: 3\n");
  std::vector<std::string> errors = errorsOf(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "device.levels: 3 levels cannot hold the 2^2 = 4 "
                       "values of a 2-bit cell (mvm_unit.cell_bits)");
}

TEST(ArchitectureChecks, DacNoWiderThanTheInputs) {
  std::string yaml =
      edit(kMinimalArchitecture, "  dac_bits: 1\n", "  dac_bits: 8\n");
  std::vector<std::string> errors = errorsOf(yaml);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "mvm_unit.dac_bits: 8-bit DACs exceed 4-bit inputs "
                       "(mvm_unit.input_bits)");
}

TEST(ArchitectureChecks, ErrorsPointAtTheKeyWhenTheyConcernIt) {
  std::string yaml =
      edit(kMinimalArchitecture, "mesh: {x: 2, y: 2}", "mesh: {x: 1, y: 2}");
  llvm::Expected<Architecture> arch =
      parseArchitecture(yaml, "test.yaml", nullptr);
  ASSERT_FALSE(arch);
  llvm::handleAllErrors(arch.takeError(), [&](const DiagnosticsError &e) {
    ASSERT_EQ(e.getDiagnostics().size(), 1u);
    auto [line, column] = locate(yaml, "mesh");
    EXPECT_EQ(e.getDiagnostics()[0].line, line);
    EXPECT_EQ(e.getDiagnostics()[0].column, column);
  });
}

TEST(ArchitectureChecks, WarnsWhenTheAdcDropsBits) {
  expectOneWarning(
      edit(kMinimalArchitecture, "    bits: 8\n", "    bits: 7\n"), "7\n",
      "mvm_unit.adc.bits: 7-bit ADC cannot resolve exact column sums: 64 rows "
      "x (2^1-1) x (2^2-1) = 192 needs 8 bits; the lowest 1 bit(s) are lost");
}

TEST(ArchitectureChecks, WarnsWhenTheAdcHasBitsToSpare) {
  expectOneWarning(
      edit(kMinimalArchitecture, "    bits: 8\n", "    bits: 10\n"), "10\n",
      "mvm_unit.adc.bits: 10-bit ADC resolves more than column sums hold: 64 "
      "rows x (2^1-1) x (2^2-1) = 192 needs only 8 bits");
}

TEST(ArchitectureChecks, WarnsAboutIdleAdcs) {
  expectOneWarning(
      edit(kMinimalArchitecture, "    count: 2\n", "    count: 3\n"), "3\n",
      "mvm_unit.adc.count: 3 ADCs x 64 columns each cover 192 columns, more "
      "than the 64 columns x 2 slice(s) = 128 converted per plane: 1 ADC(s) "
      "stay idle");
}

TEST(ArchitectureChecks, WarnsWhenAttentionCannotRun) {
  std::string message =
      "core: no digital_matrix_unit and no reprogrammable_arrays: attention's "
      "activation x activation products (Q.K^T, P.V) cannot run on this chip";
  std::string dmu = "  digital_matrix_unit: {macs_per_cycle";
  expectOneWarning(edit(kMinimalArchitecture, dmu, "  # no " + dmu), "core:",
                   message);
  expectOneWarning(edit(kMinimalArchitecture, "{macs_per_cycle",
                        "{present: false, macs_per_cycle"),
                   "core:", message);
}

TEST(ArchitectureChecks, ReprogrammableArraysRunAttention) {
  std::string warnings;
  Architecture arch = load(
      edit(kMinimalArchitecture,
           "  digital_matrix_unit: {macs_per_cycle: 16, input_bits: 8, "
           "energy_per_mac: 0.3 pJ, area: 0.01 mm2}\n",
           "  reprogrammable_arrays: {count: 2, rows: 64, cols: 16, "
           "weight_bits: 4, input_bits: 4, write_energy_per_cell: 0.02 pJ, "
           "write_latency: 1 ns, read_energy: 5.8 pJ, read_latency: 5.5 ns, "
           "area: 0.005 mm2}\n"),
      &warnings);
  EXPECT_EQ(warnings, "");
  EXPECT_TRUE(arch.core.canMultiplyActivations());
  EXPECT_TRUE(arch.core.reprogrammableArrays.present);
  EXPECT_DOUBLE_EQ(arch.core.reprogrammableArrays.writeEnergyPerCell, 0.02e-12);
}

TEST(ArchitectureChecks, RefinalizeAfterEditing) {
  Architecture arch = load(kMinimalArchitecture);
  arch.mvmUnit.cellBits = 1; // a sweep over cell bits
  arch.mvmUnit.adc.count = 4; // twice the slices, twice the ADCs
  std::string warnings;
  llvm::raw_string_ostream os(warnings);
  llvm::Error err = finalizeArchitecture(arch, &os);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(warnings, "test.yaml: warning: mvm_unit.adc.bits: 8-bit ADC "
                      "resolves more than column sums hold: 64 rows x "
                      "(2^1-1) x (2^1-1) = 64 needs only 7 bits\n")
      << "without a source buffer, diagnostics name the file only";
  EXPECT_EQ(arch.mvmUnit.slices, 4u);
  EXPECT_EQ(arch.mvmUnit.crossbars, 4u);
  EXPECT_EQ(arch.mvmUnit.fullScale, 64u);
  EXPECT_EQ(arch.totals.crossbars, 32u);
}

TEST(ArchitectureChecks, CodeBuiltArchitecturesAreCheckedToo) {
  Architecture arch;
  arch.name = "empty";
  llvm::Error err = finalizeArchitecture(arch);
  ASSERT_TRUE(bool(err));
  llvm::handleAllErrors(std::move(err), [&](const DiagnosticsError &e) {
    ASSERT_FALSE(e.getDiagnostics().empty());
    const Diagnostic &first = e.getDiagnostics().front();
    EXPECT_EQ(first.file, "empty");
    EXPECT_EQ(first.line, 0u);
    EXPECT_EQ(first.message, "chip.tiles: must be at least 1");
    EXPECT_EQ(first.rendered,
              "empty: error: chip.tiles: must be at least 1\n");
  });
}
