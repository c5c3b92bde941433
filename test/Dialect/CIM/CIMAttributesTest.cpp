//===- CIMAttributesTest.cpp - Arithmetic of #cim.quant and #cim.slicing --===//
//
// The quantization arithmetic that the folders use and that the functional
// engine must reproduce, and the weight ranges of the slicing encodings.
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/CIM/IR/CIMAttributes.h"
#include "mho/Dialect/CIM/IR/CIMDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mho::cim;

namespace {

class CIMAttributes : public ::testing::Test {
protected:
  CIMAttributes() { context.loadDialect<CIMDialect>(); }
  mlir::MLIRContext context;
};

TEST_F(CIMAttributes, QuantizeRoundsHalfToEvenThenAddsZeroPoint) {
  auto quant = QuantAttr::get(&context, 8, 0.5f, /*zeroPoint=*/3);
  EXPECT_EQ(quant.getMinValue(), -128);
  EXPECT_EQ(quant.getMaxValue(), 127);
  EXPECT_EQ(quant.quantize(0.25f), 3);   // 0.5 -> 0
  EXPECT_EQ(quant.quantize(0.75f), 5);   // 1.5 -> 2
  EXPECT_EQ(quant.quantize(1.25f), 5);   // 2.5 -> 2
  EXPECT_EQ(quant.quantize(-0.75f), 1);  // -1.5 -> -2
  EXPECT_EQ(quant.quantize(-1.25f), 1);  // -2.5 -> -2
  EXPECT_EQ(quant.quantize(62.0f), 127); // 124 + 3 saturates
}

TEST_F(CIMAttributes, QuantizeSaturatesAndMapsNaNToZeroPoint) {
  auto quant = QuantAttr::get(&context, 4, 1.0f, /*zeroPoint=*/-2);
  EXPECT_EQ(quant.quantize(100.0f), 7);
  EXPECT_EQ(quant.quantize(-100.0f), -8);
  EXPECT_EQ(quant.quantize(std::numeric_limits<float>::infinity()), 7);
  EXPECT_EQ(quant.quantize(-std::numeric_limits<float>::infinity()), -8);
  EXPECT_EQ(quant.quantize(std::numeric_limits<float>::quiet_NaN()), -2);
  // x / scale overflows to infinity and still saturates.
  auto tiny = QuantAttr::get(&context, 8, 1.0e-30f);
  EXPECT_EQ(tiny.quantize(3.0e38f), 127);
}

TEST_F(CIMAttributes, DequantizeIsOneRoundedProduct) {
  auto quant = QuantAttr::get(&context, 8, 0.1f, /*zeroPoint=*/-5);
  EXPECT_EQ(quant.dequantize(-5), 0.0f);
  EXPECT_EQ(quant.dequantize(5), 10.0f * 0.1f);
  EXPECT_EQ(quant.dequantize(-128), -123.0f * 0.1f);
}

// The canonicalizer folds quantize(dequantize(q)) to q when the scale is a
// normal f32 and 2^bits * scale is finite; check that claim exhaustively for
// 16-bit values over scales spanning the allowed range.
TEST_F(CIMAttributes, DequantizeThenQuantizeIsExactForNormalScales) {
  const float scales[] = {std::numeric_limits<float>::min(),
                          1.0e-30f,
                          3.0e-8f,
                          0.1f,
                          0.0500000007f,
                          1.0f / 3.0f,
                          7.0f,
                          1.0e30f,
                          std::numeric_limits<float>::max() / 262144.0f};
  for (float scale : scales) {
    for (int64_t zeroPoint : {int64_t{0}, int64_t{-32768}, int64_t{32767}}) {
      auto quant = QuantAttr::get(&context, 16, scale, zeroPoint);
      for (int64_t q = quant.getMinValue(); q <= quant.getMaxValue(); ++q)
        ASSERT_EQ(quant.quantize(quant.dequantize(q)), q)
            << "scale " << scale << ", zero point " << zeroPoint;
    }
  }
}

TEST_F(CIMAttributes, SlicingWeightRanges) {
  auto offset = SlicingAttr::get(&context, 8, 2, 4, 8, 1, 8, Encoding::Offset);
  EXPECT_EQ(offset.getMagnitudeBits(), 8u);
  EXPECT_EQ(offset.getWeightMin(), -128);
  EXPECT_EQ(offset.getWeightMax(), 127);
  EXPECT_TRUE(offset.isWeightRepresentable(-128));

  auto differential =
      SlicingAttr::get(&context, 8, 1, 7, 8, 1, 8, Encoding::Differential);
  EXPECT_EQ(differential.getMagnitudeBits(), 7u);
  EXPECT_EQ(differential.getWeightMin(), -127);
  EXPECT_EQ(differential.getWeightMax(), 127);
  EXPECT_FALSE(differential.isWeightRepresentable(-128));
  EXPECT_TRUE(differential.isWeightRepresentable(-127));
  EXPECT_FALSE(differential.isWeightRepresentable(128));
}

TEST_F(CIMAttributes, SlicingVerifierRejectsIdleSlices) {
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    message = diag.str();
    return mlir::success();
  });
  auto emitError = [&] {
    return mlir::emitError(mlir::UnknownLoc::get(&context));
  };
  EXPECT_FALSE(SlicingAttr::getChecked(emitError, &context, 8u, 2u, 5u, 8u, 1u,
                                       8u, Encoding::Offset));
  EXPECT_EQ(message, "slices = 5 exceeds the 4 needed for 8 stored bits in "
                     "2-bit cells");
}

TEST_F(CIMAttributes, QuantizeUsesTheReciprocalScale) {
  // 2.25 / 0.3 = 7.4999995 but 2.25 * f32(1 / 0.3) = 7.5 -> 8 (ISA `quant`).
  auto quant = QuantAttr::get(&context, 8, 0.3f);
  EXPECT_EQ(quant.getReciprocalScale(), 1.0f / 0.3f);
  EXPECT_EQ(quant.quantize(2.25f), 8);
}

static TargetAttr makeTarget(mlir::MLIRContext &context, Encoding encoding,
                             int64_t cellBits, int64_t dacBits) {
  return TargetAttr::get(&context, 128, 128, 8, cellBits, encoding, 8,
                         dacBits, 8, 12, 2, 256, 3, 27648, 131072,
                         mlir::BoolAttr::get(&context, true), int64_t{0}, int64_t{32},
                         int64_t(1) << 32);
}

TEST_F(CIMAttributes, TargetDerivesSlicingAndCapacity) {
  TargetAttr offset = makeTarget(context, Encoding::Offset, 2, 1);
  EXPECT_EQ(offset.getSlices(), 4);
  EXPECT_EQ(offset.getPlanes(), 8);
  EXPECT_EQ(offset.getArraysPerUnit(), 4);
  EXPECT_EQ(offset.getSlicing(),
            SlicingAttr::get(&context, 8, 2, 4, 8, 1, 8, Encoding::Offset));
  EXPECT_EQ(offset.getUnitsPerChip(), 256 * 2 * 12);
  EXPECT_EQ(offset.getUnitsPerSystem(), 3 * 256 * 2 * 12);
  EXPECT_TRUE(offset.hasDMU());

  // 7 magnitude bits in 3-bit cells: 3 slices, on two arrays.
  TargetAttr differential = makeTarget(context, Encoding::Differential, 3, 3);
  EXPECT_EQ(differential.getSlices(), 3);
  EXPECT_EQ(differential.getPlanes(), 3);
  EXPECT_EQ(differential.getArraysPerUnit(), 6);
}

TEST_F(CIMAttributes, TargetVerifierNeedsDmu) {
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    message = diag.str();
    return mlir::success();
  });
  auto emitError = [&] {
    return mlir::emitError(mlir::UnknownLoc::get(&context));
  };
  const int64_t rows = 128, cols = 128, weightBits = 8, cellBits = 2,
                inputBits = 8, dacBits = 1, adcBits = 8, units = 12,
                cores = 2, tiles = 256, chips = 1, spad = 27648,
                tbuf = 131072;
  EXPECT_FALSE(TargetAttr::getChecked(
      emitError, &context, rows, cols, weightBits, cellBits, Encoding::Offset,
      inputBits, dacBits, adcBits, units, cores, tiles, chips, spad, tbuf,
      mlir::BoolAttr(), int64_t{0}, int64_t{32}, int64_t(1) << 32));
  EXPECT_EQ(message, "target dmu must be true or false");
}

TEST_F(CIMAttributes, TargetLookupFindsTheModuleAttribute) {
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    message = diag.str();
    return mlir::success();
  });
  mlir::OpBuilder builder(&context);
  auto module = mlir::ModuleOp::create(builder.getUnknownLoc());
  EXPECT_FALSE(TargetAttr::lookup(module));
  EXPECT_EQ(message, "'cim.target' attribute missing on the module; run "
                     "--cim-set-target first");
  TargetAttr target = makeTarget(context, Encoding::Offset, 2, 1);
  module->setAttr(TargetAttr::getAttrName(), target);
  EXPECT_EQ(TargetAttr::lookup(module), target);
  module->erase();

  // An operation outside any module has no target.
  context.allowUnregisteredDialects();
  mlir::OperationState state(builder.getUnknownLoc(), "test.detached");
  mlir::Operation *detached = mlir::Operation::create(state);
  EXPECT_FALSE(TargetAttr::lookup(detached));
  EXPECT_EQ(message, "'cim.target' attribute missing: the operation is not in "
                     "a module");
  detached->destroy();
}

} // namespace
