//===- ArchitectureJSON.cpp - The resolved architecture as JSON -----------===//

#include "mho/Arch/ArchitectureJSON.h"

using namespace llvm;
using namespace mho::arch;

namespace {

json::Value count(uint64_t value) { return static_cast<int64_t>(value); }

json::Object staticCost(const StaticCost &cost) {
  return json::Object{{"area", cost.area}, {"leakage", cost.leakage}};
}

json::Object buffer(const BufferSpec &b) {
  return json::Object{{"size", count(b.size)},
                      {"banks", b.banks},
                      {"width_bits", b.widthBits},
                      {"latency_cycles", b.latencyCycles},
                      {"read_energy", b.readEnergy},
                      {"write_energy", b.writeEnergy},
                      {"area", b.area},
                      {"leakage", b.leakage}};
}

json::Object peripheral(const PeripheralSpec &p) {
  return json::Object{{"energy", p.energy},   {"latency", p.latency},
                      {"area", p.area},       {"leakage", p.leakage},
                      {"count", p.instances}};
}

json::Object chip(const ChipSpec &c) {
  json::Object out{
      {"tiles", c.tiles},
      {"mesh", json::Object{{"x", c.meshX}, {"y", c.meshY}}},
      {"clock", c.clock},
      {"chips", c.chips},
      {"noc", json::Object{{"flit_bits", c.noc.flitBits},
                           {"hop_latency_cycles", c.noc.hopLatencyCycles},
                           {"energy_per_byte_hop", c.noc.energyPerByteHop},
                           {"tiles_per_router", c.noc.tilesPerRouter},
                           {"router_area", c.noc.routerArea},
                           {"router_leakage", c.noc.routerLeakage}}},
      {"other", staticCost(c.other)}};
  if (c.chipLink.present)
    out["chip_link"] = json::Object{{"links", c.chipLink.links},
                                    {"bandwidth", c.chipLink.bandwidth},
                                    {"latency", c.chipLink.latency},
                                    {"energy_per_bit", c.chipLink.energyPerBit},
                                    {"area", c.chipLink.area},
                                    {"leakage", c.chipLink.leakage}};
  return out;
}

// Optional units are built key by key: GCC 12 with sanitizers reports a
// false -Wmaybe-uninitialized on nested braced json::Object lists inside ?:.
json::Object digitalMatrixUnit(const DigitalMatrixUnitSpec &dmu) {
  json::Object out;
  out["present"] = dmu.present;
  if (!dmu.present)
    return out;
  out["macs_per_cycle"] = dmu.macsPerCycle;
  out["input_bits"] = dmu.inputBits;
  out["accumulator_bits"] = dmu.accumulatorBits;
  out["energy_per_mac"] = dmu.energyPerMac;
  out["area"] = dmu.area;
  out["leakage"] = dmu.leakage;
  return out;
}

json::Object reprogrammableArrays(const ReprogrammableArraySpec &ra) {
  json::Object out;
  out["present"] = ra.present;
  if (!ra.present)
    return out;
  out["count"] = ra.count;
  out["rows"] = ra.rows;
  out["cols"] = ra.cols;
  out["weight_bits"] = ra.weightBits;
  out["input_bits"] = ra.inputBits;
  out["write_energy_per_cell"] = ra.writeEnergyPerCell;
  out["write_latency"] = ra.writeLatency;
  out["read_energy"] = ra.readEnergy;
  out["read_latency"] = ra.readLatency;
  out["area"] = ra.area;
  out["leakage"] = ra.leakage;
  return out;
}

json::Object core(const CoreSpec &c) {
  json::Object ops;
  for (unsigned i = 0; i < kNumVectorOps; ++i)
    ops[vectorOpName(static_cast<VectorOp>(i))] =
        json::Object{{"latency_cycles", c.vectorUnit.ops[i].latencyCycles},
                     {"energy", c.vectorUnit.ops[i].energy}};
  json::Object out{
      {"mvm_units", c.mvmUnits},
      {"scratchpad", buffer(c.scratchpad)},
      {"instruction_memory",
       json::Object{{"size", count(c.instructionMemory.size)},
                    {"read_energy", c.instructionMemory.readEnergy},
                    {"area", c.instructionMemory.area},
                    {"leakage", c.instructionMemory.leakage}}},
      {"vector_unit", json::Object{{"lanes", c.vectorUnit.lanes},
                                   {"ops", std::move(ops)},
                                   {"area", c.vectorUnit.area},
                                   {"leakage", c.vectorUnit.leakage}}},
      {"other", staticCost(c.other)}};
  out["digital_matrix_unit"] = digitalMatrixUnit(c.digitalMatrixUnit);
  out["reprogrammable_arrays"] = reprogrammableArrays(c.reprogrammableArrays);
  return out;
}

json::Object mvmUnit(const MvmUnitSpec &m) {
  return json::Object{
      {"rows", m.rows},
      {"cols", m.cols},
      {"weight_bits", m.weightBits},
      {"cell_bits", m.cellBits},
      {"slices", m.slices},
      {"signed_encoding", signedEncodingName(m.signedEncoding)},
      {"input_bits", m.inputBits},
      {"dac_bits", m.dacBits},
      {"accumulator_bits", m.accumulatorBits},
      {"adc", json::Object{{"bits", m.adc.bits},
                           {"count", m.adc.count},
                           {"columns_per_adc", m.adc.columnsPerAdc},
                           {"range", m.adc.range},
                           {"offset_error", m.adc.offsetError},
                           {"gain_error", m.adc.gainError},
                           {"energy", m.adc.energy},
                           {"latency", m.adc.latency},
                           {"area", m.adc.area},
                           {"leakage", m.adc.leakage}}},
      {"crossbar", peripheral(m.crossbar)},
      {"dac", peripheral(m.dac)},
      {"sample_hold", peripheral(m.sampleHold)},
      {"shift_add", peripheral(m.shiftAdd)},
      {"programming",
       json::Object{{"energy_per_cell", m.programming.energyPerCell},
                    {"latency_per_cell", m.programming.latencyPerCell},
                    {"parallel_cells", m.programming.parallelCells}}},
      {"derived",
       json::Object{{"stored_weight_bits", m.storedWeightBits},
                    {"crossbars", m.crossbars},
                    {"planes", m.planes},
                    {"full_scale", count(m.fullScale)},
                    {"exact_adc_bits", m.exactAdcBits},
                    {"adc_drop_bits", m.adcDropBits},
                    {"conversions_per_plane", m.conversionsPerPlane},
                    {"plane_interval", m.planeInterval},
                    {"mvm_latency", m.mvmLatency},
                    {"mvm_energy", m.mvmEnergy},
                    {"area", m.area},
                    {"leakage", m.leakage}}}};
}

json::Value programmingNoise(const ProgrammingNoiseSpec &n) {
  json::Object out{{"model", noiseModelName(n.model)}};
  if (n.model == NoiseModelKind::Gaussian)
    out["sigma"] = n.sigma;
  if (n.model == NoiseModelKind::PCM) {
    out["c0"] = n.c0;
    out["c1"] = n.c1;
    out["c2"] = n.c2;
  }
  return out;
}

json::Value readNoise(const ReadNoiseSpec &n) {
  json::Object out{{"model", noiseModelName(n.model)}};
  if (n.model == NoiseModelKind::Gaussian)
    out["sigma"] = n.sigma;
  if (n.model == NoiseModelKind::PCM) {
    out["q_s_scale"] = n.qsScale;
    out["q_s_exponent"] = n.qsExponent;
    out["q_s_max"] = n.qsMax;
    out["t_read"] = n.tRead;
  }
  return out;
}

json::Object device(const DeviceSpec &d) {
  json::Object out{
      {"technology", technologyName(d.technology)},
      {"g_max", d.gMax},
      {"g_min", d.gMin},
      {"on_off_ratio", d.onOffRatio},
      {"levels", d.levels},
      {"programming_noise", programmingNoise(d.programmingNoise)},
      {"read_noise", readNoise(d.readNoise)},
      {"stuck_at", json::Object{{"on", d.stuckAtOn}, {"off", d.stuckAtOff}}},
      {"wire_resistance", d.wireResistance},
      {"read_voltage", d.readVoltage}};
  if (d.drift.enabled) {
    json::Object drift;
    drift["nu"] = d.drift.nu;
    drift["nu_sigma"] = d.drift.nuSigma;
    drift["t0"] = d.drift.t0;
    out["drift"] = std::move(drift);
  } else {
    out["drift"] = "none";
  }
  return out;
}

} // namespace

json::Value mho::arch::toJSON(const Architecture &arch) {
  json::Array sources;
  for (const std::string &source : arch.sources)
    sources.push_back(source);
  const ArchitectureTotals &t = arch.totals;
  return json::Object{
      {"name", arch.name},
      {"description", arch.description},
      {"sources", std::move(sources)},
      {"units", json::Object{{"energy", "J"},
                             {"time", "s"},
                             {"frequency", "Hz"},
                             {"area", "m2"},
                             {"size", "B"},
                             {"bandwidth", "B/s"},
                             {"conductance", "S"},
                             {"resistance", "ohm"},
                             {"voltage", "V"},
                             {"power", "W"}}},
      {"chip", chip(arch.chip)},
      {"tile", json::Object{{"cores", arch.tile.cores},
                            {"buffer", buffer(arch.tile.buffer)},
                            {"other", staticCost(arch.tile.other)}}},
      {"core", core(arch.core)},
      {"mvm_unit", mvmUnit(arch.mvmUnit)},
      {"device", device(arch.device)},
      {"memory", json::Object{{"kind", arch.memory.kind},
                              {"size", count(arch.memory.size)},
                              {"bandwidth", arch.memory.bandwidth},
                              {"latency", arch.memory.latency},
                              {"energy_per_bit", arch.memory.energyPerBit}}},
      {"totals", json::Object{{"cores", count(t.cores)},
                              {"mvm_units", count(t.mvmUnits)},
                              {"crossbars", count(t.crossbars)},
                              {"weights", count(t.weights)},
                              {"routers", count(t.routers)},
                              {"core_area", t.coreArea},
                              {"tile_area", t.tileArea},
                              {"chip_area", t.chipArea},
                              {"chip_leakage", t.chipLeakage},
                              {"peak_ops_per_second", t.peakOpsPerSecond}}}};
}
