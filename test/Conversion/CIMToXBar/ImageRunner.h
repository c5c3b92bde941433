//===- ImageRunner.h - A minimal ISA interpreter for compiler tests -*- C++
//-*-===//
//
// Runs a program image to completion with the ISA library's semantics (DMA,
// wprog/mvm through mvmIdeal, the vector and digital matrix units), no time,
// no noise: the oracle the compiler's tests use to check that the streams
// convert-cim-to-xbar emits compute the model. Not the functional engine
// (docs/ISA.md §1 execution model only: cores run round-robin, switching at
// barriers).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_TEST_CONVERSION_CIMTOXBAR_IMAGERUNNER_H
#define MHO_TEST_CONVERSION_CIMTOXBAR_IMAGERUNNER_H

#include "mho/ISA/ProgramImage.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace mho::test {

class ImageRunner {
public:
  /// Applies the image's DRAM initialisers.
  explicit ImageRunner(const isa::ProgramImage &image);

  void writeDram(uint64_t address, llvm::ArrayRef<uint8_t> bytes);
  std::vector<uint8_t> readDram(uint64_t address, uint64_t bytes);

  /// Runs every stream to its halt, each core until it blocks at a barrier,
  /// the cores in stream order (or in reverse: a missing barrier then shows
  /// as a different result). Errors name the core and instruction.
  llvm::Error run(bool reverse = false);

  /// Instructions executed, over all cores.
  uint64_t getExecuted() const { return executed; }

private:
  const isa::ProgramImage &image;
  std::vector<uint8_t> dram;
  uint64_t executed = 0;
};

} // namespace mho::test

#endif // MHO_TEST_CONVERSION_CIMTOXBAR_IMAGERUNNER_H
