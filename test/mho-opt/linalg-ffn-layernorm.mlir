// BERT feed-forward block and LayerNorm as torch-mlir exports it, with weights
// as ml_program globals (one backed by a dense_resource blob): transposed
// weights, matmul, bias + erf-GELU in one linalg.generic, residual add, and
// LayerNorm as reductions with rsqrt.
// RUN: mho-opt %s | FileCheck %s
// RUN: mho-opt %s | mho-opt | FileCheck %s
// RUN: mho-opt %s --mlir-print-op-generic | mho-opt | FileCheck %s

// CHECK: ml_program.global private @fc1.weight(dense_resource<torch_tensor_32_16_torch.float32> : tensor<32x16xf32>) : tensor<32x16xf32>
// CHECK: ml_program.global private @fc2.weight(dense<2.500000e-02> : tensor<16x32xf32>)
// CHECK-LABEL: func.func @forward(
// CHECK: ml_program.global_load_const @fc1.weight : tensor<32x16xf32>
// CHECK: linalg.matmul
// CHECK: math.erf
// CHECK: linalg.matmul
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: math.rsqrt
// CHECK: return %{{.*}} : tensor<4x16xf32>

#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0, 0)>
#map2 = affine_map<(d0, d1) -> (d1)>
module attributes {torch.debug_module_name = "BertOutputFFN"} {
  ml_program.global private @fc1.weight(dense_resource<torch_tensor_32_16_torch.float32> : tensor<32x16xf32>) : tensor<32x16xf32>
  ml_program.global private @fc1.bias(dense<0.0> : tensor<32xf32>) : tensor<32xf32>
  ml_program.global private @fc2.weight(dense<2.500000e-02> : tensor<16x32xf32>) : tensor<16x32xf32>
  ml_program.global private @ln.weight(dense<1.0> : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @ln.bias(dense<0.0> : tensor<16xf32>) : tensor<16xf32>
  func.func @forward(%arg0: tensor<4x16xf32>) -> tensor<4x16xf32> {
    %c0 = arith.constant 0.000000e+00 : f32
    %half = arith.constant 5.000000e-01 : f32
    %one = arith.constant 1.000000e+00 : f32
    %rsqrt2 = arith.constant 0.707106769 : f32
    %n = arith.constant 1.600000e+01 : f32
    %eps = arith.constant 9.99999996E-13 : f32
    %w1 = ml_program.global_load_const @fc1.weight : tensor<32x16xf32>
    %b1 = ml_program.global_load_const @fc1.bias : tensor<32xf32>
    %w2 = ml_program.global_load_const @fc2.weight : tensor<16x32xf32>
    %g = ml_program.global_load_const @ln.weight : tensor<16xf32>
    %b = ml_program.global_load_const @ln.bias : tensor<16xf32>
    %e0 = tensor.empty() : tensor<16x32xf32>
    %w1t = linalg.transpose ins(%w1 : tensor<32x16xf32>) outs(%e0 : tensor<16x32xf32>) permutation = [1, 0]
    %e1 = tensor.empty() : tensor<4x32xf32>
    %f1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<4x32xf32>) -> tensor<4x32xf32>
    %mm1 = linalg.matmul ins(%arg0, %w1t : tensor<4x16xf32>, tensor<16x32xf32>) outs(%f1 : tensor<4x32xf32>) -> tensor<4x32xf32>
    %gelu = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel"]} ins(%mm1, %b1 : tensor<4x32xf32>, tensor<32xf32>) outs(%e1 : tensor<4x32xf32>) {
    ^bb0(%in: f32, %bias: f32, %out: f32):
      %0 = arith.addf %in, %bias : f32
      %1 = arith.mulf %0, %rsqrt2 : f32
      %2 = math.erf %1 : f32
      %3 = arith.addf %2, %one : f32
      %4 = arith.mulf %0, %3 : f32
      %5 = arith.mulf %4, %half : f32
      linalg.yield %5 : f32
    } -> tensor<4x32xf32>
    %e2 = tensor.empty() : tensor<32x16xf32>
    %w2t = linalg.transpose ins(%w2 : tensor<16x32xf32>) outs(%e2 : tensor<32x16xf32>) permutation = [1, 0]
    %e3 = tensor.empty() : tensor<4x16xf32>
    %f3 = linalg.fill ins(%c0 : f32) outs(%e3 : tensor<4x16xf32>) -> tensor<4x16xf32>
    %mm2 = linalg.matmul ins(%gelu, %w2t : tensor<4x32xf32>, tensor<32x16xf32>) outs(%f3 : tensor<4x16xf32>) -> tensor<4x16xf32>
    %res = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%mm2, %arg0 : tensor<4x16xf32>, tensor<4x16xf32>) outs(%e3 : tensor<4x16xf32>) {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %0 = arith.addf %in, %in_0 : f32
      linalg.yield %0 : f32
    } -> tensor<4x16xf32>
    // LayerNorm: mean, centred square mean, rsqrt, scale and shift.
    %e4 = tensor.empty() : tensor<4x1xf32>
    %f4 = linalg.fill ins(%c0 : f32) outs(%e4 : tensor<4x1xf32>) -> tensor<4x1xf32>
    %sum = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "reduction"]} ins(%res : tensor<4x16xf32>) outs(%f4 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %0 = arith.addf %in, %out : f32
      linalg.yield %0 : f32
    } -> tensor<4x1xf32>
    %mean = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%sum : tensor<4x1xf32>) outs(%e4 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %0 = arith.divf %in, %n : f32
      linalg.yield %0 : f32
    } -> tensor<4x1xf32>
    %sq = linalg.generic {indexing_maps = [#map, #map1, #map1], iterator_types = ["parallel", "reduction"]} ins(%res, %mean : tensor<4x16xf32>, tensor<4x1xf32>) outs(%f4 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %m: f32, %out: f32):
      %0 = arith.subf %in, %m : f32
      %1 = arith.mulf %0, %0 : f32
      %2 = arith.addf %1, %out : f32
      linalg.yield %2 : f32
    } -> tensor<4x1xf32>
    %out = linalg.generic {indexing_maps = [#map, #map1, #map1, #map2, #map2, #map], iterator_types = ["parallel", "parallel"]} ins(%res, %mean, %sq, %g, %b : tensor<4x16xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<16xf32>, tensor<16xf32>) outs(%e3 : tensor<4x16xf32>) {
    ^bb0(%in: f32, %m: f32, %s: f32, %gamma: f32, %beta: f32, %o: f32):
      %0 = arith.divf %s, %n : f32
      %1 = arith.addf %0, %eps : f32
      %2 = math.rsqrt %1 : f32
      %3 = arith.subf %in, %m : f32
      %4 = arith.mulf %3, %2 : f32
      %5 = arith.mulf %4, %gamma : f32
      %6 = arith.addf %5, %beta : f32
      linalg.yield %6 : f32
    } -> tensor<4x16xf32>
    return %out : tensor<4x16xf32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      torch_tensor_32_16_torch.float32: "0x04000000000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD9A99193E9A9919BECDCCCC3DCDCC4CBECDCC4C3D000080BE000000000000803ECDCC4CBDCDCC4C3ECDCCCCBD"
    }
  }
#-}
