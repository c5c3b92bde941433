//===- ArchitectureParser.cpp - Reading architecture YAML files -----------===//
//
// The schema, section by section, as docs/Architecture.md documents it. Each
// read reports its own problems and parsing carries on, so one run reports
// every error; finalizeArchitecture() then checks what spans several fields.
//
//===----------------------------------------------------------------------===//

#include "mho/Arch/ArchitectureParser.h"

#include "ArchitectureChecks.h"
#include "DiagnosticSink.h"
#include "SectionReader.h"
#include "YamlTree.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <cmath>

using namespace llvm;
using namespace mho::arch;

namespace {

/// Stores `value` into `field` when the read succeeded.
template <typename Field, typename Value>
void set(Field &field, const std::optional<Value> &value) {
  if (value)
    field = static_cast<Field>(*value);
}

/// A size in whole bytes ("64 KiB"); a fraction of a byte is a typo.
std::optional<uint64_t> readSize(SectionReader &s, StringRef key) {
  std::optional<double> size =
      s.readQuantity(key, Dimension::Size, Sign::Positive);
  if (!size)
    return std::nullopt;
  if (*size != std::floor(*size) || *size > 9.2e18) {
    s.invalid(key, "expected a whole number of bytes, got " +
                       formatQuantity(*size, Dimension::Size, 6));
    return std::nullopt;
  }
  return static_cast<uint64_t>(*size);
}

// Limits that catch typos (a size in bits where a count belongs) without
// ruling out any chip someone might want to describe.
constexpr unsigned kMaxCount = 1u << 20;
constexpr unsigned kMaxArrayDim = 1u << 16;

void readStaticCost(SectionReader &parent, StringRef key, StaticCost &out) {
  std::optional<SectionReader> s = parent.section(key, /*required=*/false);
  if (!s)
    return;
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

void readBuffer(SectionReader &parent, StringRef key, BufferSpec &out) {
  std::optional<SectionReader> s = parent.section(key, /*required=*/true);
  if (!s)
    return;
  set(out.size, readSize(*s, "size"));
  set(out.banks, s->readUnsigned("banks", 1, 1024, 1u));
  set(out.widthBits, s->readUnsigned("width_bits", 8, 65536));
  set(out.latencyCycles, s->readUnsigned("latency_cycles", 0, 100000));
  set(out.readEnergy,
      s->readQuantity("read_energy", Dimension::Energy, Sign::NonNegative));
  set(out.writeEnergy,
      s->readQuantity("write_energy", Dimension::Energy, Sign::NonNegative));
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

//===----------------------------------------------------------------------===//
// chip
//===----------------------------------------------------------------------===//

void readNoc(SectionReader &chip, NocSpec &out) {
  std::optional<SectionReader> s = chip.section("noc", /*required=*/true);
  if (!s)
    return;
  set(out.flitBits, s->readUnsigned("flit_bits", 1, 4096));
  set(out.hopLatencyCycles, s->readUnsigned("hop_latency_cycles", 0, 100000));
  set(out.energyPerByteHop, s->readQuantity("energy_per_byte_hop",
                                            Dimension::Energy,
                                            Sign::NonNegative));
  set(out.tilesPerRouter, s->readUnsigned("tiles_per_router", 1, 1024, 1u));
  set(out.routerArea,
      s->readQuantity("router_area", Dimension::Area, Sign::NonNegative));
  set(out.routerLeakage, s->readQuantity("router_leakage", Dimension::Power,
                                         Sign::NonNegative, 0.0));
  s->finish();
}

void readChipLink(SectionReader &chip, ChipLinkSpec &out) {
  std::optional<SectionReader> s = chip.section("chip_link", false);
  if (!s)
    return;
  out.present = true;
  set(out.links, s->readUnsigned("links", 1, 1024));
  set(out.bandwidth,
      s->readQuantity("bandwidth", Dimension::Bandwidth, Sign::Positive));
  set(out.latency,
      s->readQuantity("latency", Dimension::Time, Sign::NonNegative));
  set(out.energyPerBit, s->readQuantity("energy_per_bit", Dimension::Energy,
                                        Sign::NonNegative));
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

void readChip(SectionReader &root, ChipSpec &out) {
  std::optional<SectionReader> s = root.section("chip", /*required=*/true);
  if (!s)
    return;
  set(out.tiles, s->readUnsigned("tiles", 1, kMaxCount));
  if (std::optional<SectionReader> mesh = s->section("mesh", true)) {
    set(out.meshX, mesh->readUnsigned("x", 1, kMaxArrayDim));
    set(out.meshY, mesh->readUnsigned("y", 1, kMaxArrayDim));
    mesh->finish();
  }
  set(out.clock, s->readQuantity("clock", Dimension::Frequency, Sign::Positive));
  set(out.chips, s->readUnsigned("chips", 1, kMaxCount, 1u));
  readNoc(*s, out.noc);
  readChipLink(*s, out.chipLink);
  readStaticCost(*s, "other", out.other);
  s->finish();
}

//===----------------------------------------------------------------------===//
// tile and core
//===----------------------------------------------------------------------===//

void readTile(SectionReader &root, TileSpec &out) {
  std::optional<SectionReader> s = root.section("tile", /*required=*/true);
  if (!s)
    return;
  set(out.cores, s->readUnsigned("cores", 1, kMaxCount));
  readBuffer(*s, "buffer", out.buffer);
  readStaticCost(*s, "other", out.other);
  s->finish();
}

void readVectorUnit(SectionReader &core, VectorUnitSpec &out) {
  std::optional<SectionReader> s = core.section("vector_unit", true);
  if (!s)
    return;
  set(out.lanes, s->readUnsigned("lanes", 1, kMaxArrayDim));
  if (std::optional<SectionReader> ops = s->section("ops", true)) {
    for (unsigned i = 0; i < kNumVectorOps; ++i) {
      StringRef name = vectorOpName(static_cast<VectorOp>(i));
      std::optional<SectionReader> op = ops->section(name, true);
      if (!op)
        continue;
      set(out.ops[i].latencyCycles,
          op->readUnsigned("latency_cycles", 1, 100000));
      set(out.ops[i].energy,
          op->readQuantity("energy", Dimension::Energy, Sign::NonNegative));
      op->finish();
    }
    ops->finish();
  }
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

void readDigitalMatrixUnit(SectionReader &core, DigitalMatrixUnitSpec &out) {
  std::optional<SectionReader> s = core.section("digital_matrix_unit", false);
  if (!s)
    return;
  set(out.present, s->readBool("present", true));
  // "present: false" switches the unit off without deleting its figures;
  // they are still checked so a later "true" cannot surprise.
  set(out.macsPerCycle, s->readUnsigned("macs_per_cycle", 1, kMaxCount));
  set(out.inputBits, s->readUnsigned("input_bits", 1, 32));
  set(out.accumulatorBits, s->readUnsigned("accumulator_bits", 8, 64, 32u));
  set(out.energyPerMac,
      s->readQuantity("energy_per_mac", Dimension::Energy, Sign::NonNegative));
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

void readReprogrammableArrays(SectionReader &core,
                              ReprogrammableArraySpec &out) {
  std::optional<SectionReader> s =
      core.section("reprogrammable_arrays", false);
  if (!s)
    return;
  set(out.present, s->readBool("present", true));
  set(out.count, s->readUnsigned("count", 1, kMaxCount));
  set(out.rows, s->readUnsigned("rows", 1, kMaxArrayDim));
  set(out.cols, s->readUnsigned("cols", 1, kMaxArrayDim));
  set(out.weightBits, s->readUnsigned("weight_bits", 1, 32));
  set(out.inputBits, s->readUnsigned("input_bits", 1, 32));
  set(out.writeEnergyPerCell, s->readQuantity("write_energy_per_cell",
                                              Dimension::Energy,
                                              Sign::NonNegative));
  set(out.writeLatency,
      s->readQuantity("write_latency", Dimension::Time, Sign::NonNegative));
  set(out.readEnergy,
      s->readQuantity("read_energy", Dimension::Energy, Sign::NonNegative));
  set(out.readLatency,
      s->readQuantity("read_latency", Dimension::Time, Sign::Positive));
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

void readCore(SectionReader &root, CoreSpec &out) {
  std::optional<SectionReader> s = root.section("core", /*required=*/true);
  if (!s)
    return;
  set(out.mvmUnits, s->readUnsigned("mvm_units", 1, kMaxCount));
  readBuffer(*s, "scratchpad", out.scratchpad);
  if (std::optional<SectionReader> imem =
          s->section("instruction_memory", true)) {
    set(out.instructionMemory.size, readSize(*imem, "size"));
    set(out.instructionMemory.readEnergy,
        imem->readQuantity("read_energy", Dimension::Energy,
                           Sign::NonNegative));
    set(out.instructionMemory.area,
        imem->readQuantity("area", Dimension::Area, Sign::NonNegative));
    set(out.instructionMemory.leakage,
        imem->readQuantity("leakage", Dimension::Power, Sign::NonNegative,
                           0.0));
    imem->finish();
  }
  readVectorUnit(*s, out.vectorUnit);
  readDigitalMatrixUnit(*s, out.digitalMatrixUnit);
  readReprogrammableArrays(*s, out.reprogrammableArrays);
  readStaticCost(*s, "other", out.other);
  s->finish();
}

//===----------------------------------------------------------------------===//
// mvm_unit
//===----------------------------------------------------------------------===//

/// A crossbar peripheral; `withCount` allows overriding its instance count.
void readPeripheral(SectionReader &mvm, StringRef key, PeripheralSpec &out,
                    bool withCount) {
  std::optional<SectionReader> s = mvm.section(key, /*required=*/true);
  if (!s)
    return;
  set(out.energy,
      s->readQuantity("energy", Dimension::Energy, Sign::NonNegative));
  set(out.latency,
      s->readQuantity("latency", Dimension::Time, Sign::NonNegative));
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  if (withCount)
    set(out.count, s->readUnsigned("count", 1, kMaxCount, 0u));
  s->finish();
}

void readAdc(SectionReader &mvm, AdcSpec &out) {
  std::optional<SectionReader> s = mvm.section("adc", /*required=*/true);
  if (!s)
    return;
  set(out.bits, s->readUnsigned("bits", 1, 16));
  set(out.count, s->readUnsigned("count", 1, kMaxCount));
  set(out.columnsPerAdc, s->readUnsigned("columns_per_adc", 1, kMaxArrayDim));
  if (const YamlNode *range = s->get("range");
      range && range->kind == YamlNode::Kind::Scalar &&
      range->scalar == "full")
    out.range = 1;
  else if (range)
    set(out.range, s->readNumber("range", 0, 1, /*minExclusive=*/true));
  set(out.offsetError, s->readNumber("offset_error", -1024, 1024, false, 0.0));
  set(out.gainError, s->readNumber("gain_error", -1, 1, false, 0.0));
  set(out.energy,
      s->readQuantity("energy", Dimension::Energy, Sign::NonNegative));
  set(out.latency,
      s->readQuantity("latency", Dimension::Time, Sign::NonNegative));
  set(out.area, s->readQuantity("area", Dimension::Area, Sign::NonNegative));
  set(out.leakage,
      s->readQuantity("leakage", Dimension::Power, Sign::NonNegative, 0.0));
  s->finish();
}

void readMvmUnit(SectionReader &root, MvmUnitSpec &out) {
  std::optional<SectionReader> s = root.section("mvm_unit", /*required=*/true);
  if (!s)
    return;
  set(out.rows, s->readUnsigned("rows", 1, kMaxArrayDim));
  set(out.cols, s->readUnsigned("cols", 1, kMaxArrayDim));
  std::optional<unsigned> weightBits = s->readUnsigned("weight_bits", 1, 32);
  std::optional<unsigned> cellBits = s->readUnsigned("cell_bits", 1, 16);
  std::optional<unsigned> slices = s->readUnsigned("slices", 1, 64, 0u);
  std::optional<unsigned> encoding =
      s->readEnum("signed_encoding", {"offset", "differential"});
  set(out.weightBits, weightBits);
  set(out.cellBits, cellBits);
  set(out.signedEncoding, encoding);
  set(out.inputBits, s->readUnsigned("input_bits", 1, 32));
  set(out.dacBits, s->readUnsigned("dac_bits", 1, 16));
  set(out.accumulatorBits, s->readUnsigned("accumulator_bits", 8, 64, 32u));
  readAdc(*s, out.adc);
  readPeripheral(*s, "crossbar", out.crossbar, /*withCount=*/false);
  readPeripheral(*s, "dac", out.dac, /*withCount=*/true);
  readPeripheral(*s, "sample_hold", out.sampleHold, /*withCount=*/true);
  readPeripheral(*s, "shift_add", out.shiftAdd, /*withCount=*/true);
  if (std::optional<SectionReader> prog = s->section("programming", true)) {
    set(out.programming.energyPerCell,
        prog->readQuantity("energy_per_cell", Dimension::Energy,
                           Sign::NonNegative));
    set(out.programming.latencyPerCell,
        prog->readQuantity("latency_per_cell", Dimension::Time,
                           Sign::NonNegative));
    set(out.programming.parallelCells,
        prog->readUnsigned("parallel_cells", 1, kMaxCount, 1u));
    prog->finish();
  }
  s->finish();

  // A stated slice count must be the one the bits imply: a different count
  // would leave bits unstored or arrays unused.
  if (slices && *slices && weightBits && cellBits && encoding) {
    unsigned stored = *encoding == unsigned(SignedEncoding::Differential)
                          ? *weightBits - 1
                          : *weightBits;
    unsigned needed = std::max(1u, (stored + *cellBits - 1) / *cellBits);
    if (*slices != needed)
      s->invalid("slices",
                 Twine(*slices) + " slices of " + Twine(*cellBits) +
                     "-bit cells do not match " + Twine(*weightBits) +
                     "-bit weights with " +
                     signedEncodingName(SignedEncoding(*encoding)) +
                     " encoding (" + Twine(stored) +
                     " stored bits need ceil(" + Twine(stored) + "/" +
                     Twine(*cellBits) + ") = " + Twine(needed) +
                     "); omit 'slices' to derive it");
  }
}

//===----------------------------------------------------------------------===//
// device
//===----------------------------------------------------------------------===//

/// A noise entry is `none` or a mapping whose `model` picks the other keys.
/// Returns the mapping's reader (model already read) or nullopt for none or
/// after an error.
std::optional<SectionReader> readNoiseHeader(SectionReader &device,
                                             StringRef key,
                                             NoiseModelKind &model) {
  const YamlNode *node = device.get(key);
  if (!node)
    return std::nullopt;
  if (node->kind == YamlNode::Kind::Scalar && node->scalar == "none") {
    model = NoiseModelKind::None;
    return std::nullopt;
  }
  if (node->kind != YamlNode::Kind::Mapping) {
    device.invalid(key, "expected 'none' or a mapping with a 'model' "
                        "('none', 'gaussian' or 'pcm'), got " +
                            node->describe());
    return std::nullopt;
  }
  std::optional<SectionReader> s = device.section(key, false);
  std::optional<unsigned> kind =
      s->readEnum("model", {"none", "gaussian", "pcm"});
  if (!kind) {
    s->finish();
    return std::nullopt;
  }
  model = static_cast<NoiseModelKind>(*kind);
  return s;
}

void readProgrammingNoise(SectionReader &device, ProgrammingNoiseSpec &out) {
  std::optional<SectionReader> s =
      readNoiseHeader(device, "programming_noise", out.model);
  if (!s)
    return;
  if (out.model == NoiseModelKind::Gaussian) {
    set(out.sigma, s->readNumber("sigma", 0, 1, false));
  } else if (out.model == NoiseModelKind::PCM) {
    set(out.c0, s->readQuantity("c0", Dimension::Conductance, Sign::Any));
    set(out.c1, s->readQuantity("c1", Dimension::Conductance, Sign::Any));
    set(out.c2, s->readQuantity("c2", Dimension::Conductance, Sign::Any));
  }
  s->finish();
}

void readReadNoise(SectionReader &device, ReadNoiseSpec &out) {
  std::optional<SectionReader> s =
      readNoiseHeader(device, "read_noise", out.model);
  if (!s)
    return;
  if (out.model == NoiseModelKind::Gaussian) {
    set(out.sigma, s->readNumber("sigma", 0, 1, false));
  } else if (out.model == NoiseModelKind::PCM) {
    set(out.qsScale, s->readNumber("q_s_scale", 0, 1, false));
    set(out.qsExponent, s->readNumber("q_s_exponent", 0, 10, false));
    set(out.qsMax, s->readNumber("q_s_max", 0, 1, false));
    set(out.tRead, s->readQuantity("t_read", Dimension::Time, Sign::Positive));
  }
  s->finish();
}

void readDrift(SectionReader &device, DriftSpec &out) {
  const YamlNode *node = device.get("drift");
  if (!node || (node->kind == YamlNode::Kind::Scalar && node->scalar == "none"))
    return;
  if (node->kind != YamlNode::Kind::Mapping) {
    device.invalid("drift", "expected 'none' or a mapping with 'nu' and 't0', "
                            "got " + node->describe());
    return;
  }
  std::optional<SectionReader> s = device.section("drift", false);
  out.enabled = true;
  set(out.nu, s->readNumber("nu", 0, 1, false));
  set(out.nuSigma, s->readNumber("nu_sigma", 0, 1, false, 0.0));
  set(out.t0, s->readQuantity("t0", Dimension::Time, Sign::Positive));
  s->finish();
}

void readDevice(SectionReader &root, DeviceSpec &out) {
  std::optional<SectionReader> s = root.section("device", /*required=*/true);
  if (!s)
    return;
  std::optional<unsigned> tech =
      s->readEnum("technology", {"rram", "pcm", "sram", "fefet", "mram"});
  set(out.technology, tech);
  // SRAM cells are not conductances: the analog-device keys are optional.
  bool resistive = !tech || isResistive(Technology(*tech));
  std::optional<double> none;
  std::optional<double> zero = 0.0;
  set(out.gMax, s->readQuantity("g_max", Dimension::Conductance,
                                Sign::Positive, resistive ? none : zero));
  bool hasMin = s->has("g_min"), hasRatio = s->has("on_off_ratio");
  if (hasMin && hasRatio) {
    s->invalid("on_off_ratio", "give g_min or on_off_ratio, not both");
  } else if (hasMin) {
    set(out.gMin, s->readQuantity("g_min", Dimension::Conductance,
                                  Sign::Positive));
  } else if (hasRatio) {
    std::optional<double> ratio =
        s->readNumber("on_off_ratio", 1, 1e12, /*minExclusive=*/true);
    if (ratio && out.gMax > 0)
      out.gMin = out.gMax / *ratio;
  } else if (resistive) {
    s->missing("g_min' or 'on_off_ratio");
  }
  set(out.levels, s->readUnsigned("levels", 2, 1u << 16));
  readProgrammingNoise(*s, out.programmingNoise);
  readReadNoise(*s, out.readNoise);
  readDrift(*s, out.drift);
  if (std::optional<SectionReader> stuck = s->section("stuck_at", false)) {
    set(out.stuckAtOn, stuck->readNumber("on", 0, 1, false, 0.0));
    set(out.stuckAtOff, stuck->readNumber("off", 0, 1, false, 0.0));
    stuck->finish();
  }
  set(out.wireResistance, s->readQuantity("wire_resistance",
                                          Dimension::Resistance,
                                          Sign::NonNegative, 0.0));
  set(out.readVoltage, s->readQuantity("read_voltage", Dimension::Voltage,
                                       Sign::Positive,
                                       resistive ? none : zero));
  s->finish();
}

//===----------------------------------------------------------------------===//
// memory and the document
//===----------------------------------------------------------------------===//

void readMemory(SectionReader &root, MemorySpec &out) {
  std::optional<SectionReader> s = root.section("memory", /*required=*/true);
  if (!s)
    return;
  set(out.kind, s->readString("kind", std::string()));
  set(out.size, readSize(*s, "size"));
  set(out.bandwidth,
      s->readQuantity("bandwidth", Dimension::Bandwidth, Sign::Positive));
  set(out.latency,
      s->readQuantity("latency", Dimension::Time, Sign::NonNegative));
  set(out.energyPerBit, s->readQuantity("energy_per_bit", Dimension::Energy,
                                        Sign::NonNegative));
  s->finish();
}

void readArchitecture(const YamlNode &document, DiagnosticSink &sink,
                      Architecture &arch) {
  SectionReader root(sink, document, "");
  if (document.kind != YamlNode::Kind::Mapping)
    return;
  set(arch.name, root.readString("name"));
  set(arch.description, root.readString("description", std::string()));
  set(arch.sources,
      root.readStringList("sources", std::vector<std::string>()));
  readChip(root, arch.chip);
  readTile(root, arch.tile);
  readCore(root, arch.core);
  readMvmUnit(root, arch.mvmUnit);
  readDevice(root, arch.device);
  readMemory(root, arch.memory);
  root.finish();

  // A system of several chips needs a way between them.
  if (arch.chip.chips > 1 && !arch.chip.chipLink.present && root.has("chip"))
    sink.error("chip.chips", Twine(arch.chip.chips) +
                                 " chips need a 'chip.chip_link' section");
}

} // namespace

Expected<Architecture> mho::arch::parseArchitecture(StringRef yaml,
                                                    StringRef bufferName,
                                                    raw_ostream *warnings) {
  SourceMgr sm;
  DiagnosticSink sink(sm);
  std::unique_ptr<MemoryBuffer> buffer =
      MemoryBuffer::getMemBuffer(yaml, bufferName, /*RequiresNullTerminator=*/false);
  yaml::Stream stream(buffer->getMemBufferRef(), sm, /*ShowColors=*/false);

  Architecture arch;
  if (std::unique_ptr<YamlNode> document = buildYamlTree(stream, sink))
    readArchitecture(*document, sink, arch);
  if (!sink.hasErrors()) {
    arch.path = bufferName.str();
    finalizeArchitecture(arch, sink);
  }
  sink.flushWarnings(warnings);
  if (Error err = sink.takeErrors())
    return std::move(err);
  return arch;
}

Expected<Architecture> mho::arch::loadArchitecture(StringRef path,
                                                   raw_ostream *warnings) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file =
      MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return createFileError(path, errorCodeToError(file.getError()));
  return parseArchitecture((*file)->getBuffer(), path, warnings);
}
