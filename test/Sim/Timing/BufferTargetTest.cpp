//===- BufferTargetTest.cpp - TLM-2.0 timing of the buffer model ----------===//
//
// An initiator and a BufferTarget exchange timed transactions; the test checks
// the data, the annotated delays, the simulated time the initiator reaches by
// honouring them, the error responses and the energy event counts.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Timing/BufferTarget.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <vector>

using namespace sc_core;
using mho::timing::BufferParams;
using mho::timing::BufferTarget;

namespace {

struct Observation {
  tlm::tlm_response_status status;
  sc_time delay;
  sc_time issuedAt;
};

SC_MODULE(Initiator) {
  tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
  std::vector<Observation> seen;
  std::vector<unsigned char> readBack;

  SC_CTOR(Initiator) { SC_THREAD(run); }

  Observation access(tlm::tlm_command command, uint64_t address,
                     unsigned char *data, unsigned length) {
    tlm::tlm_generic_payload trans;
    trans.set_command(command);
    trans.set_address(address);
    trans.set_data_ptr(data);
    trans.set_data_length(length);
    trans.set_streaming_width(length);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    sc_time issuedAt = sc_time_stamp();
    socket->b_transport(trans, delay);
    // Loosely timed: the initiator synchronises by waiting the annotation.
    wait(delay);
    Observation o{trans.get_response_status(), delay, issuedAt};
    seen.push_back(o);
    return o;
  }

  void run() {
    std::array<unsigned char, 100> pattern;
    for (unsigned i = 0; i < pattern.size(); ++i)
      pattern[i] = static_cast<unsigned char>(3 * i + 1);
    access(tlm::TLM_WRITE_COMMAND, 64, pattern.data(), pattern.size());
    readBack.assign(pattern.size(), 0);
    access(tlm::TLM_READ_COMMAND, 64, readBack.data(), readBack.size());
    unsigned char word[4] = {};
    access(tlm::TLM_READ_COMMAND, 4096 - 2, word, 4); // past the end
    access(tlm::TLM_IGNORE_COMMAND, 0, word, 4);
    access(tlm::TLM_READ_COMMAND, 0, word, 1);
  }
};

TEST(BufferTarget, TimedTransactions) {
  BufferParams params;
  params.sizeBytes = 4096;
  params.busBits = 256; // 32 bytes per beat
  params.accessCycles = 2;
  params.clockPeriod = sc_time(1.25, SC_NS); // 800 MHz
  params.readEnergyPj = 1.5;
  params.writeEnergyPj = 2.0;

  Initiator initiator("initiator");
  BufferTarget buffer("buffer", params);
  initiator.socket.bind(buffer.socket);
  sc_start();

  ASSERT_EQ(initiator.seen.size(), 5u);
  // 100 bytes = 4 beats: 2 latency cycles + 3 further beats = 5 cycles.
  const sc_time fourBeats = sc_time(1.25 * 5, SC_NS);
  EXPECT_EQ(initiator.seen[0].status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(initiator.seen[0].delay, fourBeats);
  EXPECT_EQ(initiator.seen[1].status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(initiator.seen[1].delay, fourBeats);
  EXPECT_EQ(initiator.seen[1].issuedAt, fourBeats);
  for (unsigned i = 0; i < initiator.readBack.size(); ++i)
    ASSERT_EQ(initiator.readBack[i], static_cast<unsigned char>(3 * i + 1));

  EXPECT_EQ(initiator.seen[2].status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(initiator.seen[2].delay, SC_ZERO_TIME);
  EXPECT_EQ(initiator.seen[3].status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  // A single byte is one beat: the access latency alone.
  EXPECT_EQ(initiator.seen[4].delay, sc_time(2.5, SC_NS));

  EXPECT_EQ(sc_time_stamp(), fourBeats + fourBeats + sc_time(2.5, SC_NS));
  EXPECT_EQ(buffer.counters().reads, 2u);
  EXPECT_EQ(buffer.counters().writes, 1u);
  EXPECT_EQ(buffer.counters().readBeats, 5u);
  EXPECT_EQ(buffer.counters().writeBeats, 4u);
  EXPECT_EQ(buffer.counters().errors, 2u);
  EXPECT_DOUBLE_EQ(buffer.energyPj(), 5 * 1.5 + 4 * 2.0);
}

} // namespace

int sc_main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
