//===- CIMDialect.cpp - cim dialect, enumerations and attributes ----------===//

#include "mho/Dialect/CIM/IR/CIMDialect.h"
#include "mho/Dialect/CIM/IR/CIMAttributes.h"
#include "mho/Dialect/CIM/IR/CIMOps.h"
#include "mho/Dialect/CIM/IR/QuantArithmetic.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mho::cim;

#include "mho/Dialect/CIM/IR/CIMDialect.cpp.inc"
#include "mho/Dialect/CIM/IR/CIMEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mho/Dialect/CIM/IR/CIMAttributes.cpp.inc"

uint64_t CIMDialect::takeShapeOnlyIndex(StringRef hint) {
  std::lock_guard<std::mutex> lock(shapeOnlyMutex);
  return shapeOnlyIndices[hint]++;
}

void CIMDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mho/Dialect/CIM/IR/CIMAttributes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "mho/Dialect/CIM/IR/CIMOps.cpp.inc"
      >();
}

Operation *CIMDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}

//===----------------------------------------------------------------------===//
// QuantAttr
//===----------------------------------------------------------------------===//

static int64_t minSigned(unsigned bits) { return quant::minSigned(bits); }
static int64_t maxSigned(unsigned bits) { return quant::maxSigned(bits); }

LogicalResult QuantAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                unsigned bits, FloatAttr scale,
                                int64_t zeroPoint) {
  if (bits < 2 || bits > 16)
    return emitError() << "quantization bits must be in [2, 16], got " << bits;
  if (!scale || !scale.getType().isF32())
    return emitError() << "quantization scale must be an f32 value, got "
                       << scale;
  const APFloat &value = scale.getValue();
  if (!value.isFiniteNonZero() || value.isNegative())
    return emitError()
           << "quantization scale must be finite and greater than zero, got "
           << value.convertToFloat();
  // The ISA multiplies by the f32 reciprocal; it must be a number.
  if (!std::isfinite(quant::reciprocal(value.convertToFloat())))
    return emitError() << "quantization scale " << value.convertToFloat()
                       << " has no finite f32 reciprocal";
  if (zeroPoint < minSigned(bits) || zeroPoint > maxSigned(bits))
    return emitError() << "zero point " << zeroPoint << " is outside the "
                       << bits << "-bit range [" << minSigned(bits) << ", "
                       << maxSigned(bits) << "]";
  return success();
}

int64_t QuantAttr::getMinValue() const { return minSigned(getBits()); }
int64_t QuantAttr::getMaxValue() const { return maxSigned(getBits()); }
float QuantAttr::getScaleValue() const {
  return getScale().getValue().convertToFloat();
}
float QuantAttr::getReciprocalScale() const {
  return quant::reciprocal(getScaleValue());
}

int64_t QuantAttr::quantize(float x) const {
  return quant::quantize(x, getReciprocalScale(), getZeroPoint(),
                         getMinValue(), getMaxValue());
}

float QuantAttr::dequantize(int64_t q) const {
  // |q - zero_point| < 2^17, so the conversion to float is exact.
  return static_cast<float>(q - getZeroPoint()) * getScaleValue();
}

//===----------------------------------------------------------------------===//
// SlicingAttr
//===----------------------------------------------------------------------===//

static unsigned magnitudeBits(unsigned weightBits, Encoding encoding) {
  return encoding == Encoding::Differential ? weightBits - 1 : weightBits;
}

LogicalResult SlicingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  unsigned weightBits, unsigned cellBits,
                                  unsigned slices, unsigned inputBits,
                                  unsigned dacBits, unsigned planes,
                                  Encoding encoding) {
  if (weightBits < 2 || weightBits > 16)
    return emitError() << "weight_bits must be in [2, 16], got " << weightBits;
  if (inputBits < 2 || inputBits > 16)
    return emitError() << "input_bits must be in [2, 16], got " << inputBits;
  if (cellBits < 1 || cellBits > 8)
    return emitError() << "cell_bits must be in [1, 8], got " << cellBits;
  if (dacBits < 1 || dacBits > 8)
    return emitError() << "dac_bits must be in [1, 8], got " << dacBits;

  unsigned stored = magnitudeBits(weightBits, encoding);
  unsigned neededSlices = llvm::divideCeil(stored, cellBits);
  if (slices < neededSlices)
    return emitError() << "slices * cell_bits = " << slices << " * "
                       << cellBits << " cannot hold the " << stored
                       << " stored bits of a " << weightBits << "-bit "
                       << stringifyEncoding(encoding) << "-encoded weight";
  if (slices > neededSlices)
    return emitError() << "slices = " << slices << " exceeds the "
                       << neededSlices << " needed for " << stored
                       << " stored bits in " << cellBits << "-bit cells";

  unsigned neededPlanes = llvm::divideCeil(inputBits, dacBits);
  if (planes < neededPlanes)
    return emitError() << "planes * dac_bits = " << planes << " * " << dacBits
                       << " cannot stream a " << inputBits << "-bit input";
  if (planes > neededPlanes)
    return emitError() << "planes = " << planes << " exceeds the "
                       << neededPlanes << " needed for " << inputBits
                       << "-bit inputs through " << dacBits << "-bit DACs";
  return success();
}

unsigned SlicingAttr::getMagnitudeBits() const {
  return magnitudeBits(getWeightBits(), getEncoding());
}

int64_t SlicingAttr::getWeightMin() const {
  int64_t min = minSigned(getWeightBits());
  return getEncoding() == Encoding::Differential ? min + 1 : min;
}

int64_t SlicingAttr::getWeightMax() const {
  return maxSigned(getWeightBits());
}

bool SlicingAttr::isWeightRepresentable(int64_t weight) const {
  return weight >= getWeightMin() && weight <= getWeightMax();
}

int64_t SlicingAttr::getArraysPerUnit() const {
  return static_cast<int64_t>(getSlices()) *
         (getEncoding() == Encoding::Differential ? 2 : 1);
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t rows, int64_t cols,
                                 int64_t weightBits, int64_t cellBits,
                                 Encoding encoding, int64_t inputBits,
                                 int64_t dacBits, int64_t adcBits,
                                 int64_t mvmUnits, int64_t cores,
                                 int64_t tiles, int64_t chips,
                                 int64_t spadBytes, int64_t tbufBytes,
                                 BoolAttr dmu, int64_t adcShift,
                                 int64_t accBits, int64_t dramBytes) {
  struct Range {
    StringRef name;
    int64_t value, min, max;
  };
  const int64_t u16 = 65535, u32 = 4294967295;
  const Range ranges[] = {
      {"rows", rows, 1, u16},
      {"cols", cols, 1, u16},
      {"weight_bits", weightBits, 2, 16},
      {"cell_bits", cellBits, 1, 8},
      {"input_bits", inputBits, 2, 8},
      {"dac_bits", dacBits, 1, 8},
      {"adc_bits", adcBits, 1, 32},
      {"mvm_units", mvmUnits, 1, 255},
      {"cores", cores, 1, u16},
      {"tiles", tiles, 1, u16},
      {"chips", chips, 1, u16},
      {"spad_bytes", spadBytes, 1, u32},
      {"tbuf_bytes", tbufBytes, 1, u32},
      {"adc_shift", adcShift, 0, 31},
      {"acc_bits", accBits, 2, 62},
      {"dram_bytes", dramBytes, 1, int64_t(1) << 48},
  };
  for (const Range &range : ranges)
    if (range.value < range.min || range.value > range.max)
      return emitError() << "target " << range.name << " must be in ["
                         << range.min << ", " << range.max << "], got "
                         << range.value;
  if (!dmu)
    return emitError() << "target dmu must be true or false";
  // Worst case of one unit's exact sum: rows products of
  // (-2^(input_bits-1)) * (-2^(weight_bits-1)).
  int64_t productBits = inputBits + weightBits - 2;
  if (productBits >= 31 ||
      rows > (std::numeric_limits<int32_t>::max() >> productBits))
    return emitError() << "target crossbar: accumulating rows = " << rows
                       << " products of i" << inputBits << " x i"
                       << weightBits << " can overflow the i32 accumulator";
  int64_t vectorBytes = rows + 4 * cols;
  if (spadBytes < vectorBytes)
    return emitError() << "target spad_bytes = " << spadBytes
                       << " cannot hold one input vector (" << rows
                       << " bytes) and one output vector (" << 4 * cols
                       << " bytes)";
  return success();
}

int64_t TargetAttr::getSlices() const {
  return llvm::divideCeil(
      magnitudeBits(getWeightBits(), getEncoding()), getCellBits());
}

int64_t TargetAttr::getPlanes() const {
  return llvm::divideCeil(getInputBits(), getDacBits());
}

SlicingAttr TargetAttr::getSlicing() const {
  return SlicingAttr::get(getContext(), getWeightBits(), getCellBits(),
                          getSlices(), getInputBits(), getDacBits(),
                          getPlanes(), getEncoding());
}

int64_t TargetAttr::getArraysPerUnit() const {
  return getSlicing().getArraysPerUnit();
}

int64_t TargetAttr::getUnitsPerChip() const {
  return getTiles() * getCores() * getMvmUnits();
}

int64_t TargetAttr::getUnitsPerSystem() const {
  return getUnitsPerChip() * getChips();
}

TargetAttr TargetAttr::lookup(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  if (!module) {
    op->emitError() << "'" << getAttrName()
                    << "' attribute missing: the operation is not in a module";
    return {};
  }
  Attribute attr = module->getAttr(getAttrName());
  if (!attr) {
    mlir::emitError(module.getLoc()) << "'" << getAttrName()
                       << "' attribute missing on the module; run "
                          "--cim-set-target first";
    return {};
  }
  // The dialect's attribute verifier has already rejected other kinds.
  return dyn_cast<TargetAttr>(attr);
}

//===----------------------------------------------------------------------===//
// PlaceAttr
//===----------------------------------------------------------------------===//

LogicalResult PlaceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                int64_t chip, int64_t tile, int64_t core,
                                int64_t unit, int64_t round) {
  if (chip < 0 || tile < 0 || core < 0 || unit < 0 || round < 0)
    return emitError() << "placement coordinates must be non-negative, got "
                          "chip = "
                       << chip << ", tile = " << tile << ", core = " << core
                       << ", unit = " << unit << ", round = " << round;
  return success();
}

//===----------------------------------------------------------------------===//
// Module attributes
//===----------------------------------------------------------------------===//

LogicalResult CIMDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == TargetAttr::getAttrName()) {
    if (!llvm::isa<ModuleOp>(op))
      return op->emitError() << "'" << name
                             << "' may only be attached to a module";
    if (!llvm::isa<TargetAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be a #cim.target attribute, got "
                             << attr.getValue();
    return success();
  }
  if (name == "cim.placement") {
    if (!llvm::isa<ModuleOp>(op))
      return op->emitError() << "'" << name
                             << "' may only be attached to a module";
    if (!llvm::isa<DictionaryAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be a dictionary, got "
                             << attr.getValue();
    return success();
  }
  // Other `cim.` attributes are left to the passes that set them.
  return success();
}
