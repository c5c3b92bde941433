//===- ISATestSupport.h - Helpers shared by the ISA unit tests ------------===//

#ifndef MHO_TEST_ISA_ISATESTSUPPORT_H
#define MHO_TEST_ISA_ISATESTSUPPORT_H

#include "mho/ISA/Instruction.h"
#include "mho/ISA/ProgramImage.h"

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace mho::isa::test {

/// The message of an Error (empty for success), consuming it.
inline std::string errorMessage(llvm::Error err) {
  if (!err)
    return "";
  return llvm::toString(std::move(err));
}

/// Takes the value of an Expected, failing the test (and returning a default)
/// on error.
template <typename T> T takeValue(llvm::Expected<T> expected) {
  if (!expected) {
    ADD_FAILURE() << "unexpected error: "
                  << llvm::toString(expected.takeError());
    return T();
  }
  return std::move(*expected);
}

/// The error message of an Expected that must fail ("" if it succeeded).
template <typename T> std::string failureMessage(llvm::Expected<T> expected) {
  if (expected) {
    ADD_FAILURE() << "expected an error, got a value";
    return "";
  }
  return llvm::toString(expected.takeError());
}

#define EXPECT_NO_ERROR(expr)                                                  \
  EXPECT_EQ(::mho::isa::test::errorMessage(expr), std::string())
#define EXPECT_ERROR_CONTAINS(expr, text)                                      \
  EXPECT_THAT(::mho::isa::test::errorMessage(expr), ::testing::HasSubstr(text))

/// A random instruction that verifies, of the given opcode.
Instruction randomInstruction(Opcode opcode, std::mt19937_64 &rng);

/// A small valid unit configuration (256 x 256 crossbars, 8-bit weights on
/// 2-bit cells, 8-bit inputs on 1-bit DACs, 4 units, 2x2 tiles x 2 cores).
UnitConfig smallConfig();

/// A program image exercising every table: two streams, an 8-bit and a
/// 16-bit weight block, symbols (one of rank 0, odd names), dram blobs.
ProgramImage sampleImage();

} // namespace mho::isa::test

#endif // MHO_TEST_ISA_ISATESTSUPPORT_H
