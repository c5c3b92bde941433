//===- CIMDialect.cpp - cim dialect, enumerations and attributes ----------===//

#include "mho/Dialect/CIM/IR/CIMDialect.h"
#include "mho/Dialect/CIM/IR/CIMAttributes.h"
#include "mho/Dialect/CIM/IR/CIMOps.h"

#include "mlir/IR/Builders.h"
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

static int64_t minSigned(unsigned bits) { return -(int64_t{1} << (bits - 1)); }
static int64_t maxSigned(unsigned bits) {
  return (int64_t{1} << (bits - 1)) - 1;
}

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

int64_t QuantAttr::quantize(float x) const {
  // One IEEE binary32 division (the host's default rounding, to nearest even).
  float scaled = x / getScaleValue();
  if (std::isnan(scaled))
    return getZeroPoint();
  // nearbyint rounds halfway cases to even in the default rounding mode; a
  // float's integral part is exact in a double, and so is adding the zero
  // point, so the clamp below sees the exact value (or an infinity).
  double shifted = std::nearbyint(static_cast<double>(scaled)) +
                   static_cast<double>(getZeroPoint());
  double clamped = std::clamp(shifted, static_cast<double>(getMinValue()),
                              static_cast<double>(getMaxValue()));
  return static_cast<int64_t>(clamped);
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
