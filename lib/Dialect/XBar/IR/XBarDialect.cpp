//===- XBarDialect.cpp - The xbar dialect and its attributes --------------===//

#include "mho/Dialect/XBar/IR/XBarDialect.h"
#include "mho/Dialect/XBar/IR/XBarOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mho::xbar;

#include "mho/Dialect/XBar/IR/XBarDialect.cpp.inc"
#include "mho/Dialect/XBar/IR/XBarEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mho/Dialect/XBar/IR/XBarAttributes.cpp.inc"

void XBarDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mho/Dialect/XBar/IR/XBarAttributes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "mho/Dialect/XBar/IR/XBarOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// UnitConfigAttr
//===----------------------------------------------------------------------===//

namespace {
/// Checks one field of the unit configuration against its legal range.
class FieldChecker {
public:
  explicit FieldChecker(function_ref<InFlightDiagnostic()> emitError)
      : emitError(emitError) {}

  /// Reports `name` = `value` when it is outside [lo, hi]. Only the first
  /// violation is reported.
  FieldChecker &check(StringRef name, uint64_t value, uint64_t lo,
                      uint64_t hi) {
    if (failed || (value >= lo && value <= hi))
      return *this;
    emitError() << "'" << name << "' = " << value << " is out of range [" << lo
                << ", " << hi << "]";
    failed = true;
    return *this;
  }

  bool ok() const { return !failed; }

private:
  function_ref<InFlightDiagnostic()> emitError;
  bool failed = false;
};
} // namespace

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

LogicalResult UnitConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, unsigned rows, unsigned cols,
    unsigned weightBits, unsigned cellBits, unsigned slices,
    WeightEncoding encoding, unsigned inputBits, unsigned dacBits,
    unsigned planes, unsigned adcBits, unsigned adcShift, unsigned accBits,
    unsigned mvmUnits, uint64_t spadBytes, uint64_t tbufBytes,
    uint64_t dramBytes, unsigned chips, unsigned tiles, unsigned cores) {
  // Ranges: the image's field widths (ISA §5) and what the arithmetic of
  // ISA §4 admits (i8 inputs, weights of at most 16 bits stored as i16,
  // accumulators of at most 32 bits).
  constexpr uint64_t u16Max = 0xffff, u32Max = 0xffffffff;
  FieldChecker fields(emitError);
  fields.check("rows", rows, 1, u16Max)
      .check("cols", cols, 1, u16Max)
      .check("weight_bits", weightBits, 2, 16)
      .check("cell_bits", cellBits, 1, weightBits)
      .check("input_bits", inputBits, 1, 8)
      .check("dac_bits", dacBits, 1, inputBits)
      .check("adc_bits", adcBits, 1, 32)
      .check("acc_bits", accBits, 1, 32)
      .check("mvm_units", mvmUnits, 1, 0xff)
      .check("spad_bytes", spadBytes, 1, u32Max)
      .check("tbuf_bytes", tbufBytes, 1, u32Max)
      .check("dram_bytes", dramBytes, 1, uint64_t{1} << 48)
      .check("chips", chips, 1, u16Max)
      .check("tiles", tiles, 1, u16Max)
      .check("cores", cores, 1, u16Max);
  if (!fields.ok())
    return failure();

  // Slices hold the weight's magnitude bits: all W bits of the offset
  // encoding, W - 1 bits of each differential array.
  unsigned magnitudeBits =
      encoding == WeightEncoding::offset ? weightBits : weightBits - 1;
  uint64_t expectedSlices = ceilDiv(magnitudeBits, cellBits);
  if (slices != expectedSlices)
    return emitError() << "'slices' = " << slices << " does not match "
                       << magnitudeBits << " weight magnitude bits ("
                       << stringifyWeightEncoding(encoding)
                       << " encoding of weight_bits = " << weightBits
                       << ") in cells of cell_bits = " << cellBits
                       << ": expected " << expectedSlices;
  uint64_t expectedPlanes = ceilDiv(inputBits, dacBits);
  if (planes != expectedPlanes)
    return emitError() << "'planes' = " << planes
                       << " does not match ceil(input_bits / dac_bits) = "
                       << expectedPlanes;
  uint64_t maxShift = uint64_t{adcShift} + uint64_t{slices - 1} * cellBits +
                      uint64_t{planes - 1} * dacBits;
  if (maxShift >= accBits)
    return emitError() << "largest shift-and-add shift adc_shift + (slices - "
                          "1) * cell_bits + (planes - 1) * dac_bits = "
                       << maxShift << " must be below acc_bits = " << accBits;
  return success();
}

uint64_t UnitConfigAttr::getSpaceBytes(MemorySpace space) const {
  switch (space) {
  case MemorySpace::spad:
    return getSpadBytes();
  case MemorySpace::tbuf:
    return getTbufBytes();
  case MemorySpace::dram:
    return getDramBytes();
  }
  llvm_unreachable("unknown memory space");
}
