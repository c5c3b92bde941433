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

LogicalResult UnitConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, unsigned rows, unsigned cols,
    unsigned weightBits, unsigned cellBits, unsigned slices,
    WeightEncoding encoding, unsigned inputBits, unsigned dacBits,
    unsigned planes, unsigned adcBits, unsigned adcShift, unsigned accBits,
    unsigned mvmUnits, uint64_t spadBytes, uint64_t tbufBytes,
    uint64_t dramBytes, unsigned chips, unsigned tiles, unsigned cores) {
  // First, every field must fit its slot of the image's 64-byte record
  // (ISA §5); the ISA library then checks ranges and consistency.
  struct Field {
    StringRef name;
    uint64_t value;
    unsigned bits;
  };
  const Field fields[] = {{"rows", rows, 16},
                          {"cols", cols, 16},
                          {"weight_bits", weightBits, 8},
                          {"cell_bits", cellBits, 8},
                          {"slices", slices, 8},
                          {"input_bits", inputBits, 8},
                          {"dac_bits", dacBits, 8},
                          {"planes", planes, 8},
                          {"adc_bits", adcBits, 8},
                          {"adc_shift", adcShift, 8},
                          {"acc_bits", accBits, 8},
                          {"mvm_units", mvmUnits, 8},
                          {"spad_bytes", spadBytes, 32},
                          {"tbuf_bytes", tbufBytes, 32},
                          {"chips", chips, 16},
                          {"tiles", tiles, 16},
                          {"cores", cores, 16}};
  for (const Field &field : fields)
    if (field.value >> field.bits)
      return emitError() << "'" << field.name << "' = " << field.value
                         << " does not fit its " << field.bits
                         << "-bit field of the unit configuration";

  mho::isa::UnitConfig config;
  config.rows = rows;
  config.cols = cols;
  config.weightBits = weightBits;
  config.cellBits = cellBits;
  config.slices = slices;
  config.encoding = static_cast<mho::isa::WeightEncoding>(encoding);
  config.inputBits = inputBits;
  config.dacBits = dacBits;
  config.planes = planes;
  config.adcBits = adcBits;
  config.adcShift = adcShift;
  config.accBits = accBits;
  config.mvmUnits = mvmUnits;
  config.spadBytes = spadBytes;
  config.tbufBytes = tbufBytes;
  config.dramBytes = dramBytes;
  config.chips = chips;
  config.tiles = tiles;
  config.cores = cores;
  if (llvm::Error err = mho::isa::verifyUnitConfig(config))
    return emitError() << llvm::toString(std::move(err));
  return success();
}

mho::isa::UnitConfig UnitConfigAttr::getIsaConfig() const {
  mho::isa::UnitConfig config;
  config.rows = getRows();
  config.cols = getCols();
  config.weightBits = getWeightBits();
  config.cellBits = getCellBits();
  config.slices = getSlices();
  config.encoding = static_cast<mho::isa::WeightEncoding>(getEncoding());
  config.inputBits = getInputBits();
  config.dacBits = getDacBits();
  config.planes = getPlanes();
  config.adcBits = getAdcBits();
  config.adcShift = getAdcShift();
  config.accBits = getAccBits();
  config.mvmUnits = getMvmUnits();
  config.spadBytes = getSpadBytes();
  config.tbufBytes = getTbufBytes();
  config.dramBytes = getDramBytes();
  config.chips = getChips();
  config.tiles = getTiles();
  config.cores = getCores();
  return config;
}

UnitConfigAttr UnitConfigAttr::get(MLIRContext *context,
                                   const mho::isa::UnitConfig &config) {
  return get(context, config.rows, config.cols, config.weightBits,
             config.cellBits, config.slices,
             static_cast<WeightEncoding>(config.encoding), config.inputBits,
             config.dacBits, config.planes, config.adcBits, config.adcShift,
             config.accBits, config.mvmUnits, config.spadBytes,
             config.tbufBytes, config.dramBytes, config.chips, config.tiles,
             config.cores);
}

uint64_t UnitConfigAttr::getSpaceBytes(MemorySpace space) const {
  return getIsaConfig().getSpaceBytes(
      static_cast<mho::isa::MemorySpace>(space));
}
