//===- BufferTarget.cpp - TLM-2.0 model of an on-chip buffer --------------===//

#include "mho/Sim/Timing/BufferTarget.h"

#include <cstring>

using namespace mho::timing;

BufferTarget::BufferTarget(sc_core::sc_module_name name,
                           const BufferParams &params)
    : sc_core::sc_module(name), socket("socket"), params_(params),
      storage_(params.sizeBytes, 0) {
  socket.register_b_transport(this, &BufferTarget::bTransport);
}

static uint64_t beatsFor(uint64_t bytes, unsigned busBits) {
  uint64_t beatBytes = busBits / 8;
  return (bytes + beatBytes - 1) / beatBytes;
}

sc_core::sc_time BufferTarget::accessTime(uint64_t bytes) const {
  uint64_t beats = beatsFor(bytes, params_.busBits);
  uint64_t cycles = params_.accessCycles + (beats == 0 ? 0 : beats - 1);
  return params_.clockPeriod * static_cast<double>(cycles);
}

double BufferTarget::energyPj() const {
  return counters_.readBeats * params_.readEnergyPj +
         counters_.writeBeats * params_.writeEnergyPj;
}

void BufferTarget::bTransport(tlm::tlm_generic_payload &trans,
                              sc_core::sc_time &delay) {
  uint64_t address = trans.get_address();
  uint64_t length = trans.get_data_length();
  bool isRead = trans.get_command() == tlm::TLM_READ_COMMAND;
  bool isWrite = trans.get_command() == tlm::TLM_WRITE_COMMAND;

  if (!isRead && !isWrite) {
    ++counters_.errors;
    trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  if (address > params_.sizeBytes || length > params_.sizeBytes - address) {
    ++counters_.errors;
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (trans.get_byte_enable_ptr() || trans.get_streaming_width() < length) {
    ++counters_.errors;
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }

  uint64_t beats = beatsFor(length, params_.busBits);
  if (isRead) {
    std::memcpy(trans.get_data_ptr(), &storage_[address], length);
    ++counters_.reads;
    counters_.readBeats += beats;
  } else {
    std::memcpy(&storage_[address], trans.get_data_ptr(), length);
    ++counters_.writes;
    counters_.writeBeats += beats;
  }
  delay += accessTime(length);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}
