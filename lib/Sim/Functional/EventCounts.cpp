//===- EventCounts.cpp - Events an executed program caused, per core -----===//

#include "mho/Sim/Functional/EventCounts.h"

using namespace mho;
using namespace mho::sim::functional;

llvm::StringRef mho::sim::functional::getName(VectorClass cls) {
  switch (cls) {
  case VectorClass::Add:
    return "add";
  case VectorClass::Mul:
    return "mul";
  case VectorClass::Div:
    return "div";
  case VectorClass::Exp:
    return "exp";
  case VectorClass::Rsqrt:
    return "rsqrt";
  case VectorClass::Special:
    return "special";
  case VectorClass::Reduce:
    return "reduce";
  }
  return "?";
}

VectorClass mho::sim::functional::getVectorClass(isa::VecFn fn) {
  using isa::VecFn;
  switch (fn) {
  case VecFn::Copy:
  case VecFn::Add:
  case VecFn::Sub:
  case VecFn::Max:
  case VecFn::Min:
  case VecFn::Neg:
  case VecFn::Abs:
  case VecFn::Cvt:
    return VectorClass::Add;
  case VecFn::Mul:
  case VecFn::Quant:
  case VecFn::Dequant:
    return VectorClass::Mul;
  case VecFn::Div:
  case VecFn::Recip:
    return VectorClass::Div;
  case VecFn::Exp:
    return VectorClass::Exp;
  case VecFn::Sqrt:
  case VecFn::Rsqrt:
    return VectorClass::Rsqrt;
  case VecFn::Tanh:
  case VecFn::Sigmoid:
  case VecFn::Erf:
  case VecFn::Gelu:
  case VecFn::Silu:
    return VectorClass::Special;
  }
  return VectorClass::Add;
}

CoreEvents &CoreEvents::operator+=(const CoreEvents &o) {
  instructions += o.instructions;
  for (size_t i = 0; i < perOpcode.size(); ++i)
    perOpcode[i] += o.perOpcode[i];
  mvm.programs += o.mvm.programs;
  mvm.cellsProgrammed += o.mvm.cellsProgrammed;
  mvm.weightBytesRead += o.mvm.weightBytesRead;
  mvm.vectors += o.mvm.vectors;
  mvm.macs += o.mvm.macs;
  mvm.dacActivations += o.mvm.dacActivations;
  mvm.crossbarReads += o.mvm.crossbarReads;
  mvm.adcConversions += o.mvm.adcConversions;
  mvm.shiftAddSteps += o.mvm.shiftAddSteps;
  for (auto [mine, theirs] : {std::pair{&spad, &o.spad},
                              std::pair{&tbuf, &o.tbuf},
                              std::pair{&dram, &o.dram}}) {
    mine->readBytes += theirs->readBytes;
    mine->writeBytes += theirs->writeBytes;
  }
  noc.sends += o.noc.sends;
  noc.recvs += o.noc.recvs;
  noc.bytes += o.noc.bytes;
  noc.byteHops += o.noc.byteHops;
  noc.chipLinkBytes += o.noc.chipLinkBytes;
  for (unsigned i = 0; i < NumVectorClasses; ++i)
    vector.elementOps[i] += o.vector.elementOps[i];
  vector.dmmMacs += o.vector.dmmMacs;
  vector.gatherBytes += o.vector.gatherBytes;
  sync.barriers += o.sync.barriers;
  sync.blockedSwitches += o.sync.blockedSwitches;
  return *this;
}

CoreEvents EventCounts::total() const {
  CoreEvents sum;
  for (const CoreEvents &core : perCore)
    sum += core;
  return sum;
}

namespace {
llvm::json::Value count(uint64_t value) { return int64_t(value); }
llvm::json::Object memory(const MemoryEvents &m) {
  return llvm::json::Object{{"read_bytes", count(m.readBytes)},
                            {"write_bytes", count(m.writeBytes)}};
}
} // namespace

llvm::json::Value mho::sim::functional::toJSON(const CoreEvents &e) {
  llvm::json::Object opcodes;
  for (isa::Opcode op : isa::AllOpcodes)
    if (uint64_t n = e.perOpcode[uint8_t(op)])
      opcodes[isa::getName(op)] = count(n);
  llvm::json::Object vectorOps;
  for (unsigned i = 0; i < NumVectorClasses; ++i)
    vectorOps[getName(VectorClass(i))] = count(e.vector.elementOps[i]);
  return llvm::json::Object{
      {"instructions", count(e.instructions)},
      {"by_opcode", std::move(opcodes)},
      {"mvm",
       llvm::json::Object{{"programs", count(e.mvm.programs)},
                          {"cells_programmed", count(e.mvm.cellsProgrammed)},
                          {"weight_bytes_read", count(e.mvm.weightBytesRead)},
                          {"vectors", count(e.mvm.vectors)},
                          {"macs", count(e.mvm.macs)},
                          {"dac_activations", count(e.mvm.dacActivations)},
                          {"crossbar_reads", count(e.mvm.crossbarReads)},
                          {"adc_conversions", count(e.mvm.adcConversions)},
                          {"shift_add_steps", count(e.mvm.shiftAddSteps)}}},
      {"spad", memory(e.spad)},
      {"tbuf", memory(e.tbuf)},
      {"dram", memory(e.dram)},
      {"noc", llvm::json::Object{{"sends", count(e.noc.sends)},
                                 {"recvs", count(e.noc.recvs)},
                                 {"bytes", count(e.noc.bytes)},
                                 {"byte_hops", count(e.noc.byteHops)},
                                 {"chip_link_bytes",
                                  count(e.noc.chipLinkBytes)}}},
      {"vector",
       llvm::json::Object{{"element_ops", std::move(vectorOps)},
                          {"dmm_macs", count(e.vector.dmmMacs)},
                          {"gather_bytes", count(e.vector.gatherBytes)}}},
      {"sync", llvm::json::Object{{"barriers", count(e.sync.barriers)},
                                  {"blocked", count(e.sync.blockedSwitches)}}}};
}

llvm::json::Value mho::sim::functional::toJSON(const EventCounts &events) {
  llvm::json::Array cores;
  for (size_t i = 0; i < events.perCore.size(); ++i) {
    llvm::json::Object o{{"chip", events.cores[i].chip},
                         {"tile", events.cores[i].tile},
                         {"core", events.cores[i].core},
                         {"events", toJSON(events.perCore[i])}};
    cores.push_back(std::move(o));
  }
  return llvm::json::Object{{"total", toJSON(events.total())},
                            {"cores", std::move(cores)}};
}
