//===- ReferenceExecutorTest.cpp - FP32/BF16/FP16 reference execution -----===//

#include "mho/InitAll.h"
#include "mho/Reference/ReferenceExecutor.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace mho;
using namespace mho::reference;

namespace {

// y = gelu_erf(x · W + b) with W, b as constants (a torch-mlir style linear).
constexpr const char *kLinear = R"mlir(
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
func.func @forward(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[0.5, -1.0], [0.25, 2.0], [-0.125, 1.5]]> : tensor<3x2xf32>
  %b = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %r2 = arith.constant 0.707106769 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %g = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<2x2xf32>, tensor<2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.mulf %0, %r2 : f32
    %2 = math.erf %1 : f32
    %3 = arith.addf %2, %one : f32
    %4 = arith.mulf %0, %3 : f32
    %5 = arith.mulf %4, %half : f32
    linalg.yield %5 : f32
  } -> tensor<2x2xf32>
  return %g : tensor<2x2xf32>
}
)mlir";

class Reference : public ::testing::Test {
protected:
  Reference() {
    mlir::DialectRegistry registry;
    mho::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
  }

  std::unique_ptr<ReferenceExecutor> compile(const char *source,
                                             Precision precision) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    auto executor = ReferenceExecutor::create(std::move(module), {precision, ""});
    if (!executor) {
      ADD_FAILURE() << llvm::toString(executor.takeError());
      return nullptr;
    }
    return std::move(*executor);
  }

  mlir::MLIRContext context;
};

HostTensor input() {
  HostTensor x(ElementType::F32, {2, 3});
  float values[6] = {1.f, 2.f, 3.f, -0.5f, 0.3f, 0.7f};
  std::memcpy(x.bytes.data(), values, sizeof(values));
  return x;
}

float geluErf(float v) { return 0.5f * v * (1.f + std::erf(v / std::sqrt(2.f))); }

TEST_F(Reference, Fp32MatchesDirectComputation) {
  auto executor = compile(kLinear, Precision::F32);
  ASSERT_TRUE(executor);
  ASSERT_EQ(executor->inputs().size(), 1u);
  EXPECT_EQ(executor->outputs()[0].shape, (llvm::SmallVector<int64_t, 4>{2, 2}));
  auto out = executor->run({input()});
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  const float w[3][2] = {{0.5f, -1.f}, {0.25f, 2.f}, {-0.125f, 1.5f}};
  const float b[2] = {0.1f, -0.2f};
  std::vector<float> x = input().toFloats();
  std::vector<float> y = (*out)[0].toFloats();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      float acc = 0;
      for (int k = 0; k < 3; ++k)
        acc += x[i * 3 + k] * w[k][j];
      EXPECT_NEAR(y[i * 2 + j], geluErf(acc + b[j]), 1e-6f) << i << "," << j;
    }
}

float roundBf16(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  bits += 0x7fff + ((bits >> 16) & 1); // round to nearest even
  bits &= 0xffff0000u;
  std::memcpy(&v, &bits, 4);
  return v;
}

TEST_F(Reference, Bf16RoundsEveryOpResult) {
  auto fp32 = compile(kLinear, Precision::F32);
  auto bf16 = compile(kLinear, Precision::BF16);
  ASSERT_TRUE(fp32 && bf16);
  auto exact = fp32->run({input()});
  auto rounded = bf16->run({input()});
  ASSERT_TRUE(exact && rounded);
  std::vector<float> e = (*exact)[0].toFloats(), r = (*rounded)[0].toFloats();
  bool differs = false;
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i], roundBf16(r[i])) << "result is a bf16 value";
    EXPECT_NEAR(r[i], e[i], std::abs(e[i]) * 2e-2f + 1e-3f);
    differs |= r[i] != e[i];
  }
  EXPECT_TRUE(differs) << "bf16 emulation must change some value";
}

TEST_F(Reference, RejectsWrongInputShape) {
  auto executor = compile(kLinear, Precision::F32);
  ASSERT_TRUE(executor);
  HostTensor wrong(ElementType::F32, {3, 2});
  auto out = executor->run({wrong});
  ASSERT_FALSE(bool(out));
  EXPECT_EQ(llvm::toString(out.takeError()),
            "input #0 of @forward: expected 2x3xf32, got 3x2xf32");
}

TEST_F(Reference, RejectsElidedWeights) {
  const char *source = R"mlir(
func.func @forward(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense_resource<__elided__> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %m : tensor<2x2xf32>
}
)mlir";
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  ASSERT_TRUE(module);
  auto executor = ReferenceExecutor::create(std::move(module), {});
  ASSERT_FALSE(bool(executor));
  EXPECT_NE(llvm::toString(executor.takeError()).find("weight values are elided"),
            std::string::npos);
}

TEST_F(Reference, RunsTosaWithGlobalsInlined) {
  const char *source = R"mlir(
ml_program.global private @w(dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>) : tensor<1x2x2xf32>
func.func @forward(%x: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %w = ml_program.global_load_const @w : tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %s = tosa.sigmoid %y : (tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %s : tensor<1x1x2xf32>
}
)mlir";
  auto executor = compile(source, Precision::F32);
  ASSERT_TRUE(executor);
  HostTensor x(ElementType::F32, {1, 1, 2});
  float v[2] = {0.5f, -0.25f};
  std::memcpy(x.bytes.data(), v, sizeof(v));
  auto out = executor->run({x});
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  std::vector<float> y = (*out)[0].toFloats();
  EXPECT_NEAR(y[0], 1.f / (1.f + std::exp(-(0.5f * 1 - 0.25f * 3))), 1e-6f);
  EXPECT_NEAR(y[1], 1.f / (1.f + std::exp(-(0.5f * 2 - 0.25f * 4))), 1e-6f);
}

} // namespace
