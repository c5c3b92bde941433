//===- ArchitectureParserTest.cpp - Every class of error, at its place ----===//
//
// Each test edits one line of the minimal architecture and expects the exact
// diagnostic: file, line, column and message. Locations are found in the
// edited text, so the tests say which token a diagnostic must point at.
//
//===----------------------------------------------------------------------===//

#include "TestArchitectures.h"

#include "mho/Arch/ArchitectureParser.h"
#include "mho/Arch/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mho::arch;
using namespace mho::arch::test;

namespace {

struct ParseResult {
  std::optional<Architecture> arch;
  std::vector<Diagnostic> errors;
  std::string warnings;
};

ParseResult parse(const std::string &yaml) {
  ParseResult result;
  llvm::raw_string_ostream warnings(result.warnings);
  llvm::Expected<Architecture> arch =
      parseArchitecture(yaml, "test.yaml", &warnings);
  if (arch) {
    result.arch = std::move(*arch);
    return result;
  }
  llvm::handleAllErrors(
      arch.takeError(),
      [&](const DiagnosticsError &diags) {
        result.errors.assign(diags.getDiagnostics().begin(),
                             diags.getDiagnostics().end());
      },
      [&](const llvm::ErrorInfoBase &other) {
        ADD_FAILURE() << "not a DiagnosticsError: " << other.message();
      });
  return result;
}

std::string renderAll(const std::vector<Diagnostic> &diags) {
  std::string out;
  for (const Diagnostic &diag : diags)
    out += diag.rendered;
  return out;
}

/// Expects exactly one error: at the first occurrence of `at` in `yaml`.
void expectOneError(const std::string &yaml, const std::string &at,
                    const std::string &message) {
  ParseResult result = parse(yaml);
  ASSERT_FALSE(result.arch) << "parsed although an error was expected";
  ASSERT_EQ(result.errors.size(), 1u) << renderAll(result.errors);
  const Diagnostic &diag = result.errors.front();
  auto [line, column] = locate(yaml, at);
  EXPECT_EQ(diag.file, "test.yaml");
  EXPECT_EQ(diag.line, line);
  EXPECT_EQ(diag.column, column);
  EXPECT_EQ(diag.message, message);
  EXPECT_EQ(diag.severity, Severity::Error);
  std::string prefix = "test.yaml:" + std::to_string(line) + ":" +
                       std::to_string(column) + ": error: " + message + "\n";
  EXPECT_EQ(diag.rendered.substr(0, prefix.size()), prefix);
}

} // namespace

TEST(ArchitectureParser, MinimalLoadsWithoutWarnings) {
  ParseResult result = parse(kMinimalArchitecture);
  ASSERT_TRUE(result.arch) << renderAll(result.errors);
  EXPECT_EQ(result.warnings, "");
  const Architecture &arch = *result.arch;
  EXPECT_EQ(arch.name, "minimal");
  EXPECT_EQ(arch.description, "A tiny chip for unit tests.");
  EXPECT_EQ(arch.sources, std::vector<std::string>{"none"});
  EXPECT_EQ(arch.path, "test.yaml");
  EXPECT_DOUBLE_EQ(arch.chip.clock, 1e9);
  EXPECT_EQ(arch.chip.chips, 1u) << "default";
  EXPECT_EQ(arch.chip.noc.tilesPerRouter, 1u) << "default";
  EXPECT_EQ(arch.tile.buffer.size, 16384u);
  EXPECT_EQ(arch.tile.buffer.banks, 1u) << "default";
  EXPECT_DOUBLE_EQ(arch.tile.buffer.writeEnergy, 6e-12);
  EXPECT_DOUBLE_EQ(arch.tile.buffer.leakage, 0) << "default";
  EXPECT_EQ(arch.core.vectorUnit.op(VectorOp::Div).latencyCycles, 8u);
  EXPECT_DOUBLE_EQ(arch.core.vectorUnit.op(VectorOp::Exp).energy, 0.5e-12);
  EXPECT_TRUE(arch.core.digitalMatrixUnit.present);
  EXPECT_EQ(arch.core.digitalMatrixUnit.accumulatorBits, 32u) << "default";
  EXPECT_FALSE(arch.core.reprogrammableArrays.present);
  EXPECT_EQ(arch.mvmUnit.accumulatorBits, 32u) << "default";
  EXPECT_DOUBLE_EQ(arch.mvmUnit.adc.range, 1) << "default: full";
  EXPECT_EQ(arch.mvmUnit.programming.parallelCells, 1u) << "default";
  EXPECT_EQ(arch.device.technology, Technology::RRAM);
  EXPECT_DOUBLE_EQ(arch.device.gMax, 100e-6);
  EXPECT_DOUBLE_EQ(arch.device.gMin, 1e-6) << "from on_off_ratio";
  EXPECT_EQ(arch.device.programmingNoise.model, NoiseModelKind::None);
  EXPECT_FALSE(arch.device.drift.enabled);
  EXPECT_EQ(arch.memory.size, uint64_t(1) << 30);
}

TEST(ArchitectureParser, UnknownKeySuggestsTheClosest) {
  std::string yaml = edit(kMinimalArchitecture, "    energy: 2 pJ\n",
                          "    energie: 2 pJ\n");
  ParseResult result = parse(yaml);
  ASSERT_EQ(result.errors.size(), 2u) << renderAll(result.errors);
  // File order: the section's missing key (at "adc:") comes first.
  auto [adcLine, adcColumn] = locate(yaml, "adc:");
  EXPECT_EQ(result.errors[0].line, adcLine);
  EXPECT_EQ(result.errors[0].column, adcColumn);
  EXPECT_EQ(result.errors[0].message,
            "mvm_unit.adc: missing required key 'energy'");
  auto [line, column] = locate(yaml, "energie");
  EXPECT_EQ(result.errors[1].line, line);
  EXPECT_EQ(result.errors[1].column, column);
  EXPECT_EQ(result.errors[1].message,
            "mvm_unit.adc.energie: unknown key; did you mean 'energy'?");
}

TEST(ArchitectureParser, UnknownKeyListsTheSectionsKeys) {
  std::string yaml = std::string(kMinimalArchitecture) + "colour: red\n";
  expectOneError(yaml, "colour",
                 "colour: unknown key; the top level has: name, description, "
                 "sources, chip, tile, core, mvm_unit, device, memory");
}

TEST(ArchitectureParser, MissingKeysOfASectionTogether) {
  std::string yaml = edit(kMinimalArchitecture, "  clock: 1 GHz\n", "");
  expectOneError(yaml, "chip:", "chip: missing required key 'clock'");
  yaml = edit(edit(kMinimalArchitecture, "  latency: 50 ns\n", ""),
              "  size: 1 GiB\n", "");
  expectOneError(yaml, "memory:\n  bandwidth",
                 "memory: missing required keys 'size', 'latency'");
}

TEST(ArchitectureParser, MissingSection) {
  std::string yaml = edit(kMinimalArchitecture,
                          "memory:\n  size: 1 GiB\n  bandwidth: 10 GB/s\n  "
                          "latency: 50 ns\n  energy_per_bit: 10 pJ\n",
                          "");
  expectOneError(yaml, "name:", "missing required key 'memory'");
}

TEST(ArchitectureParser, QuantityWithoutUnit) {
  std::string yaml =
      edit(kMinimalArchitecture, "    energy: 2 pJ\n", "    energy: 2\n");
  expectOneError(yaml, "2\n    latency",
                 "mvm_unit.adc.energy: expected an energy with a unit (e.g. "
                 "'1.56 pJ'), got a plain number '2'");
}

TEST(ArchitectureParser, QuantityOfTheWrongDimension) {
  std::string yaml =
      edit(kMinimalArchitecture, "clock: 1 GHz", "clock: 1 ns");
  expectOneError(yaml, "1 ns",
                 "chip.clock: expected a frequency (e.g. '1.2 GHz'), got a "
                 "time '1 ns'");
}

TEST(ArchitectureParser, PowerWhereAnEnergyPerEventBelongs) {
  std::string yaml = edit(kMinimalArchitecture, "energy_per_mac: 0.3 pJ",
                          "energy_per_mac: 3 mW");
  expectOneError(yaml, "3 mW",
                 "core.digital_matrix_unit.energy_per_mac: expected an energy "
                 "(e.g. '1.56 pJ'), got a power '3 mW'; energies are per "
                 "event: multiply the power by the event's time "
                 "(docs/Architecture.md, \"Energy convention\")");
}

TEST(ArchitectureParser, IntegerNotANumber) {
  std::string yaml =
      edit(kMinimalArchitecture, "    bits: 8\n", "    bits: eight\n");
  expectOneError(yaml, "eight\n",
                 "mvm_unit.adc.bits: expected an integer in [1, 16], got "
                 "'eight'");
}

TEST(ArchitectureParser, IntegerOutOfRange) {
  std::string yaml =
      edit(kMinimalArchitecture, "    bits: 8\n", "    bits: 17\n");
  expectOneError(yaml, "17",
                 "mvm_unit.adc.bits: expected an integer in [1, 16], got '17'");
  yaml = edit(kMinimalArchitecture, "    bits: 8\n", "    bits: 8.0\n");
  expectOneError(yaml, "8.0",
                 "mvm_unit.adc.bits: expected an integer in [1, 16], got "
                 "'8.0'");
}

TEST(ArchitectureParser, CrossbarWithZeroRows) {
  std::string yaml =
      edit(kMinimalArchitecture, "  rows: 64\n", "  rows: 0\n");
  expectOneError(yaml, "0\n  cols",
                 "mvm_unit.rows: expected an integer in [1, 65536], got '0'");
}

TEST(ArchitectureParser, NegativeEnergy) {
  std::string yaml = edit(kMinimalArchitecture, "read_energy: 5 pJ",
                          "read_energy: -5 pJ");
  expectOneError(yaml, "-5 pJ",
                 "tile.buffer.read_energy: expected a non-negative energy, "
                 "got '-5 pJ'");
}

TEST(ArchitectureParser, SizesAreWholeBytes) {
  std::string yaml =
      edit(kMinimalArchitecture, "size: 16 KiB", "size: 0.5 B");
  expectOneError(yaml, "0.5 B",
                 "tile.buffer.size: expected a whole number of bytes, got "
                 "0.5 B");
}

TEST(ArchitectureParser, FractionOutOfRange) {
  std::string yaml = edit(kMinimalArchitecture, "    bits: 8\n",
                          "    bits: 8\n    range: 1.5\n");
  expectOneError(yaml, "1.5",
                 "mvm_unit.adc.range: expected a number in (0, 1], got '1.5'");
  yaml = edit(kMinimalArchitecture, "    bits: 8\n",
              "    bits: 8\n    range: most\n");
  expectOneError(yaml, "most",
                 "mvm_unit.adc.range: expected a number in (0, 1], got "
                 "'most'");
}

TEST(ArchitectureParser, EnumSuggestsTheIntendedValue) {
  std::string yaml = edit(kMinimalArchitecture, "signed_encoding: offset",
                          "signed_encoding: diff");
  expectOneError(yaml, "diff",
                 "mvm_unit.signed_encoding: expected one of 'offset', "
                 "'differential', got 'diff'; did you mean 'differential'?");
}

TEST(ArchitectureParser, DuplicateKey) {
  std::string yaml =
      edit(kMinimalArchitecture, "  cols: 64\n", "  cols: 64\n  cols: 32\n");
  expectOneError(yaml, "cols: 32", "mvm_unit.cols: duplicate key");
}

TEST(ArchitectureParser, SectionThatIsNotAMapping) {
  std::string yaml =
      edit(kMinimalArchitecture, "mesh: {x: 2, y: 2}", "mesh: 4");
  expectOneError(yaml, "4\n  clock",
                 "chip.mesh: expected a mapping of keys to values, got '4'");
}

TEST(ArchitectureParser, MalformedYaml) {
  std::string yaml =
      edit(kMinimalArchitecture, "mesh: {x: 2, y: 2}", "mesh: {x: 2, y: 2");
  ParseResult result = parse(yaml);
  ASSERT_FALSE(result.arch);
  ASSERT_GE(result.errors.size(), 1u);
  EXPECT_EQ(result.errors.front().file, "test.yaml");
  EXPECT_GT(result.errors.front().line, 0u);
}

TEST(ArchitectureParser, EmptyDocument) {
  ParseResult result = parse("");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors.front().message,
            "expected a mapping of keys to values, got nothing");
}

TEST(ArchitectureParser, ReportsSeveralErrorsInFileOrder) {
  std::string yaml = kMinimalArchitecture;
  yaml = edit(yaml, "clock: 1 GHz", "clock: 1");
  yaml = edit(yaml, "    bits: 8\n", "    bits: eight\n");
  yaml = edit(yaml, "  levels: 4\n", "  levles: 4\n");
  ParseResult result = parse(yaml);
  ASSERT_EQ(result.errors.size(), 4u) << renderAll(result.errors);
  EXPECT_EQ(result.errors[0].line, locate(yaml, "clock: 1").first);
  EXPECT_EQ(result.errors[1].line, locate(yaml, "bits: eight").first);
  EXPECT_EQ(result.errors[2].message,
            "device: missing required key 'levels'");
  EXPECT_EQ(result.errors[3].message,
            "device.levles: unknown key; did you mean 'levels'?");
  for (size_t i = 1; i < result.errors.size(); ++i)
    EXPECT_LE(result.errors[i - 1].line, result.errors[i].line);
}

TEST(ArchitectureParser, NoiseModels) {
  std::string yaml = edit(
      kMinimalArchitecture, "  levels: 4\n",
      "  levels: 4\n"
      "  programming_noise: {model: gaussian, sigma: 0.02}\n"
      "  read_noise: {model: pcm, q_s_scale: 0.0088, q_s_exponent: 0.65, "
      "q_s_max: 0.2, t_read: 250 ns}\n"
      "  drift: {nu: 0.05, t0: 20 s}\n"
      "  stuck_at: {on: 0.001, off: 0.002}\n");
  ParseResult result = parse(yaml);
  ASSERT_TRUE(result.arch);
  const DeviceSpec &dev = result.arch->device;
  EXPECT_EQ(dev.programmingNoise.model, NoiseModelKind::Gaussian);
  EXPECT_DOUBLE_EQ(dev.programmingNoise.sigma, 0.02);
  EXPECT_EQ(dev.readNoise.model, NoiseModelKind::PCM);
  EXPECT_DOUBLE_EQ(dev.readNoise.qsExponent, 0.65);
  EXPECT_DOUBLE_EQ(dev.readNoise.tRead, 250e-9);
  EXPECT_TRUE(dev.drift.enabled);
  EXPECT_DOUBLE_EQ(dev.drift.nu, 0.05);
  EXPECT_DOUBLE_EQ(dev.drift.nuSigma, 0) << "default";
  EXPECT_DOUBLE_EQ(dev.drift.t0, 20);
  EXPECT_DOUBLE_EQ(dev.stuckAtOff, 0.002);
  // The PCM read-noise model on an RRAM device is legal but suspicious.
  EXPECT_NE(result.warnings.find("warning: device.read_noise.model: the PCM "
                                 "noise model on a rram device"),
            std::string::npos)
      << result.warnings;
}

TEST(ArchitectureParser, NoiseModelKeysFollowTheModel) {
  std::string yaml =
      edit(kMinimalArchitecture, "  levels: 4\n",
           "  levels: 4\n  programming_noise: {model: pcm, c0: 0.26, "
           "c1: 1.97 uS, c2: -1.17 uS}\n");
  expectOneError(yaml, "0.26",
                 "device.programming_noise.c0: expected a conductance with a "
                 "unit (e.g. '25 uS'), got a plain number '0.26'");
  yaml = edit(kMinimalArchitecture, "  levels: 4\n",
              "  levels: 4\n  read_noise: {model: gaussian, sigma: 0.01, "
              "t_read: 1 us}\n");
  expectOneError(yaml, "t_read",
                 "device.read_noise.t_read: unknown key; "
                 "device.read_noise has: model, sigma");
  yaml = edit(kMinimalArchitecture, "  levels: 4\n",
              "  levels: 4\n  read_noise: gaussian\n");
  expectOneError(yaml, "gaussian",
                 "device.read_noise: expected 'none' or a mapping with a "
                 "'model' ('none', 'gaussian' or 'pcm'), got 'gaussian'");
}

TEST(ArchitectureParser, ConductanceRangeGivenOnce) {
  std::string yaml = edit(kMinimalArchitecture, "  on_off_ratio: 100\n",
                          "  on_off_ratio: 100\n  g_min: 1 uS\n");
  expectOneError(yaml, "100\n  g_min",
                 "device.on_off_ratio: give g_min or on_off_ratio, not both");
  yaml = edit(kMinimalArchitecture, "  on_off_ratio: 100\n", "");
  expectOneError(yaml, "device:",
                 "device: missing required key 'g_min' or 'on_off_ratio'");
}

TEST(ArchitectureParser, SramNeedsNoConductances) {
  std::string yaml =
      edit(edit(edit(edit(kMinimalArchitecture, "technology: rram",
                          "technology: sram"),
                     "  g_max: 100 uS\n", ""),
                "  on_off_ratio: 100\n", ""),
           "  read_voltage: 0.2 V\n", "");
  ParseResult result = parse(yaml);
  ASSERT_TRUE(result.arch) << renderAll(result.errors);
  EXPECT_EQ(result.arch->device.technology, Technology::SRAM);
  EXPECT_DOUBLE_EQ(result.arch->device.onOffRatio, 0);
}

TEST(ArchitectureParser, StatedSlicesMustAgree) {
  std::string yaml = edit(kMinimalArchitecture, "  cell_bits: 2\n",
                          "  cell_bits: 2\n  slices: 3\n");
  expectOneError(yaml, "3\n  signed",
                 "mvm_unit.slices: 3 slices of 2-bit cells do not match "
                 "4-bit weights with offset encoding (4 stored bits need "
                 "ceil(4/2) = 2); omit 'slices' to derive it");
  yaml = edit(kMinimalArchitecture, "  cell_bits: 2\n",
              "  cell_bits: 2\n  slices: 2\n");
  EXPECT_TRUE(parse(yaml).arch);
}

TEST(ArchitectureParser, SeveralChipsNeedALink) {
  std::string yaml =
      edit(kMinimalArchitecture, "  clock: 1 GHz\n", "  clock: 1 GHz\n  chips: 2\n");
  expectOneError(yaml, "2\n  noc",
                 "chip.chips: 2 chips need a 'chip.chip_link' section");
}

TEST(ArchitectureParser, MissingFileNamesThePath) {
  std::string warnings;
  llvm::raw_string_ostream os(warnings);
  llvm::Expected<Architecture> arch =
      loadArchitecture("/nonexistent/arch.yaml", &os);
  ASSERT_FALSE(arch);
  std::string message = llvm::toString(arch.takeError());
  EXPECT_NE(message.find("/nonexistent/arch.yaml"), std::string::npos)
      << message;
}
