//===- UnitConfig.cpp - Checks of the unit configuration ------------------===//

#include "mho/ISA/UnitConfig.h"

#include "llvm/ADT/Twine.h"

using namespace mho::isa;
using llvm::Twine;

uint64_t UnitConfig::getSpaceBytes(MemorySpace space) const {
  switch (space) {
  case MemorySpace::Spad:
    return spadBytes;
  case MemorySpace::Tbuf:
    return tbufBytes;
  case MemorySpace::Dram:
    return dramBytes;
  }
  return 0;
}

namespace mho::isa {
bool operator==(const UnitConfig &a, const UnitConfig &b) {
  return a.rows == b.rows && a.cols == b.cols && a.weightBits == b.weightBits &&
         a.cellBits == b.cellBits && a.slices == b.slices &&
         a.encoding == b.encoding && a.inputBits == b.inputBits &&
         a.dacBits == b.dacBits && a.planes == b.planes &&
         a.adcBits == b.adcBits && a.adcShift == b.adcShift &&
         a.accBits == b.accBits && a.mvmUnits == b.mvmUnits &&
         a.spadBytes == b.spadBytes && a.tbufBytes == b.tbufBytes &&
         a.dramBytes == b.dramBytes && a.chips == b.chips &&
         a.tiles == b.tiles && a.cores == b.cores;
}
} // namespace mho::isa

namespace {
llvm::Error fail(const Twine &message) {
  return llvm::createStringError("unit configuration: " + message);
}

llvm::Error checkRange(llvm::StringRef name, unsigned value, unsigned lo,
                       unsigned hi) {
  if (value < lo || value > hi)
    return fail(Twine(name) + " is " + Twine(value) + ", must be in [" +
                Twine(lo) + ", " + Twine(hi) + "]");
  return llvm::Error::success();
}
} // namespace

llvm::Error mho::isa::verifyUnitConfig(const UnitConfig &config) {
  if (llvm::Error err = checkRange("rows", config.rows, 1, 0xFFFF))
    return err;
  if (llvm::Error err = checkRange("cols", config.cols, 1, 0xFFFF))
    return err;
  if (llvm::Error err = checkRange("weight_bits", config.weightBits, 2, 16))
    return err;
  if (llvm::Error err = checkRange("cell_bits", config.cellBits, 1, 8))
    return err;
  if (!isValidWeightEncoding(static_cast<uint8_t>(config.encoding)))
    return fail("encoding " + Twine(unsigned(config.encoding)) +
                " is neither 0 (offset) nor 1 (differential)");
  unsigned magnitudeBits = config.encoding == WeightEncoding::Differential
                               ? config.weightBits - 1u
                               : config.weightBits;
  unsigned minSlices = (magnitudeBits + config.cellBits - 1) / config.cellBits;
  if (llvm::Error err = checkRange("slices", config.slices, minSlices, 16))
    return err;
  if (llvm::Error err = checkRange("input_bits", config.inputBits, 1, 8))
    return err;
  if (llvm::Error err =
          checkRange("dac_bits", config.dacBits, 1, config.inputBits))
    return err;
  unsigned planes = (config.inputBits + config.dacBits - 1) / config.dacBits;
  if (config.planes != planes)
    return fail("planes is " + Twine(unsigned(config.planes)) +
                ", must be ceil(input_bits / dac_bits) = " + Twine(planes));
  if (llvm::Error err = checkRange("adc_bits", config.adcBits, 1, 29))
    return err;
  if (llvm::Error err = checkRange("acc_bits", config.accBits, 2, 62))
    return err;
  unsigned maxShift = config.getMaxShift();
  if (maxShift >= (1u << UnitConfig::ShiftBits))
    return fail("largest shift adc_shift + (slices-1)*cell_bits + "
                "(planes-1)*dac_bits is " +
                Twine(maxShift) + ", must be < " +
                Twine(1u << UnitConfig::ShiftBits));
  uint64_t maxColumnSum = uint64_t(config.rows) *
                          ((1u << config.dacBits) - 1) *
                          ((1u << config.cellBits) - 1);
  if (maxColumnSum > uint64_t(INT32_MAX))
    return fail("largest column sum rows*(2^dac_bits-1)*(2^cell_bits-1) = " +
                Twine(maxColumnSum) + " does not fit in i32");
  if (config.dramBytes >= (uint64_t{1} << 48))
    return fail("dram_bytes " + Twine(config.dramBytes) +
                " exceeds the 48-bit address space");
  if (llvm::Error err = checkRange("chips", config.chips, 1, 0xFFFF))
    return err;
  if (llvm::Error err = checkRange("tiles", config.tiles, 1, 0xFFFF))
    return err;
  if (llvm::Error err = checkRange("cores", config.cores, 1, 0xFFFF))
    return err;
  return llvm::Error::success();
}
