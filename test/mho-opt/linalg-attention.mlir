// Self-attention of one BERT layer as torch-mlir exports it (seq 8, hidden 16,
// 2 heads): weights as dense_resource constants (one with its blob, one elided),
// transposes, expand/collapse_shape, batch_matmul, softmax decomposed into
// linalg.generic reductions.
// RUN: mho-opt %s | FileCheck %s
// RUN: mho-opt %s | mho-opt | FileCheck %s
// RUN: mho-opt %s --mlir-print-op-generic | mho-opt | FileCheck %s

// CHECK-LABEL: func.func @forward(
// CHECK: arith.constant dense_resource<torch_tensor_16_16_torch.float32> : tensor<16x16xf32>
// CHECK: arith.constant dense_resource<__elided__> : tensor<16x16xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<16x16xf32>) outs(%{{.*}} : tensor<16x16xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x16xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [8, 2, 8]
// CHECK: linalg.batch_matmul
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: linalg.batch_matmul
// CHECK: tensor.collapse_shape
// CHECK: dialect_resources
// CHECK-NEXT: builtin
// CHECK-NEXT: torch_tensor_16_16_torch.float32: "0x04000000

#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#map4 = affine_map<(d0, d1, d2) -> ()>
module attributes {torch.debug_module_name = "BertSelfAttention"} {
  ml_program.global private mutable @global_seed(dense<0> : tensor<i64>) : tensor<i64>
  func.func @forward(%arg0: tensor<8x16xf32>) -> tensor<8x16xf32> {
    %cst = arith.constant dense_resource<torch_tensor_16_16_torch.float32> : tensor<16x16xf32>
    %cst_0 = arith.constant dense_resource<__elided__> : tensor<16x16xf32>
    %cst_1 = arith.constant dense<0.0> : tensor<16x16xf32>
    %cst_2 = arith.constant dense<1.000000e-01> : tensor<16xf32>
    %cst_3 = arith.constant 0.000000e+00 : f32
    %cst_4 = arith.constant 0.353553385 : f32
    %cst_5 = arith.constant 0xFF800000 : f32
    %0 = tensor.empty() : tensor<16x16xf32>
    %transposed = linalg.transpose ins(%cst : tensor<16x16xf32>) outs(%0 : tensor<16x16xf32>) permutation = [1, 0]
    %1 = tensor.empty() : tensor<8x16xf32>
    %2 = linalg.fill ins(%cst_3 : f32) outs(%1 : tensor<8x16xf32>) -> tensor<8x16xf32>
    %3 = linalg.matmul ins(%arg0, %transposed : tensor<8x16xf32>, tensor<16x16xf32>) outs(%2 : tensor<8x16xf32>) -> tensor<8x16xf32>
    %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %cst_2 : tensor<8x16xf32>, tensor<16xf32>) outs(%1 : tensor<8x16xf32>) {
    ^bb0(%in: f32, %in_6: f32, %out: f32):
      %20 = arith.addf %in, %in_6 : f32
      linalg.yield %20 : f32
    } -> tensor<8x16xf32>
    %5 = linalg.matmul ins(%arg0, %cst_0 : tensor<8x16xf32>, tensor<16x16xf32>) outs(%2 : tensor<8x16xf32>) -> tensor<8x16xf32>
    %expanded = tensor.expand_shape %4 [[0], [1, 2]] output_shape [8, 2, 8] : tensor<8x16xf32> into tensor<8x2x8xf32>
    %expanded_7 = tensor.expand_shape %5 [[0], [1, 2]] output_shape [8, 2, 8] : tensor<8x16xf32> into tensor<8x2x8xf32>
    %6 = tensor.empty() : tensor<2x8x8xf32>
    %transposed_8 = linalg.transpose ins(%expanded : tensor<8x2x8xf32>) outs(%6 : tensor<2x8x8xf32>) permutation = [1, 0, 2]
    %transposed_9 = linalg.transpose ins(%expanded_7 : tensor<8x2x8xf32>) outs(%6 : tensor<2x8x8xf32>) permutation = [1, 2, 0]
    %7 = linalg.fill ins(%cst_3 : f32) outs(%6 : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %8 = linalg.batch_matmul ins(%transposed_8, %transposed_9 : tensor<2x8x8xf32>, tensor<2x8x8xf32>) outs(%7 : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %9 = linalg.generic {indexing_maps = [#map2, #map4, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%8, %cst_4 : tensor<2x8x8xf32>, f32) outs(%6 : tensor<2x8x8xf32>) {
    ^bb0(%in: f32, %in_6: f32, %out: f32):
      %20 = arith.mulf %in, %in_6 : f32
      linalg.yield %20 : f32
    } -> tensor<2x8x8xf32>
    // softmax as torch-mlir decomposes it: max, subtract, exp, sum, divide.
    %10 = tensor.empty() : tensor<2x8x1xf32>
    %11 = linalg.fill ins(%cst_5 : f32) outs(%10 : tensor<2x8x1xf32>) -> tensor<2x8x1xf32>
    %12 = linalg.generic {indexing_maps = [#map2, #map3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%9 : tensor<2x8x8xf32>) outs(%11 : tensor<2x8x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %20 = arith.maximumf %in, %out : f32
      linalg.yield %20 : f32
    } -> tensor<2x8x1xf32>
    %13 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%9, %12 : tensor<2x8x8xf32>, tensor<2x8x1xf32>) outs(%6 : tensor<2x8x8xf32>) {
    ^bb0(%in: f32, %in_6: f32, %out: f32):
      %20 = arith.subf %in, %in_6 : f32
      %21 = math.exp %20 : f32
      linalg.yield %21 : f32
    } -> tensor<2x8x8xf32>
    %14 = linalg.fill ins(%cst_3 : f32) outs(%10 : tensor<2x8x1xf32>) -> tensor<2x8x1xf32>
    %15 = linalg.generic {indexing_maps = [#map2, #map3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%13 : tensor<2x8x8xf32>) outs(%14 : tensor<2x8x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %20 = arith.addf %in, %out : f32
      linalg.yield %20 : f32
    } -> tensor<2x8x1xf32>
    %16 = linalg.generic {indexing_maps = [#map2, #map3, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%13, %15 : tensor<2x8x8xf32>, tensor<2x8x1xf32>) outs(%6 : tensor<2x8x8xf32>) {
    ^bb0(%in: f32, %in_6: f32, %out: f32):
      %20 = arith.divf %in, %in_6 : f32
      linalg.yield %20 : f32
    } -> tensor<2x8x8xf32>
    %17 = linalg.batch_matmul ins(%16, %transposed_8 : tensor<2x8x8xf32>, tensor<2x8x8xf32>) outs(%7 : tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %18 = tensor.empty() : tensor<8x2x8xf32>
    %transposed_10 = linalg.transpose ins(%17 : tensor<2x8x8xf32>) outs(%18 : tensor<8x2x8xf32>) permutation = [1, 0, 2]
    %collapsed = tensor.collapse_shape %transposed_10 [[0], [1, 2]] : tensor<8x2x8xf32> into tensor<8x16xf32>
    return %collapsed : tensor<8x16xf32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      torch_tensor_16_16_torch.float32: "0x040000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE0000003FCDCCCCBD9A99193F000000009A9919BFCDCCCC3D000000BFCDCC4C3ECDCCCCBE9A99993E9A9999BECDCCCC3ECDCC4CBE"
    }
  }
#-}
