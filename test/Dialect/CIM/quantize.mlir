// --cim-quantize: cim.linear -> cim.quantize_dynamic + cim.mvm +
// cim.dequantize_acc (+ cim.binary <add>), weights quantized at compile time.
// RUN: rm -rf %t && split-file %s %t
// RUN: mho-opt %t/main.mlir --split-input-file --cim-quantize --verify-diagnostics | FileCheck %s
// RUN: mho-opt %t/bind.mlir --cim-quantize=bind-arguments=elided | FileCheck %s --check-prefix=BIND
// RUN: mho-opt --help | FileCheck %s --check-prefix=HELP
// RUN: %python %mho_src/test/tools/mho-sim/Inputs/npy.py write %t/w.npy f32 2x3 127,2.5,0,-3.5,-127,0
// RUN: %python %mho_src/test/tools/mho-sim/Inputs/npy.py write %t/e.npy f32 2x2x2 1,0,0,1,1,1,2,0
// RUN: %python %mho_src/test/tools/mho-sim/Inputs/npy.py write %t/i.npy i8 2x3 1
// RUN: %python %mho_src/test/tools/mho-sim/Inputs/npy.py safetensors %t/w.safetensors arg1=%t/w.npy gate=%t/e.npy
// RUN: %python %mho_src/test/tools/mho-sim/Inputs/npy.py safetensors %t/int.safetensors arg1=%t/i.npy
// RUN: mho-opt %t/file.mlir --cim-quantize=weights-file=%t/w.safetensors | FileCheck %s --check-prefix=FILE
// RUN: not mho-opt %t/file.mlir --cim-quantize=weights-file=%t/missing.safetensors 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not mho-opt %t/file.mlir --cim-quantize=weights-file=%t/int.safetensors 2>&1 | FileCheck %s --check-prefix=FILETYPE
// RUN: not mho-opt %t/unbound.mlir --cim-quantize=weights-file=%t/w.safetensors 2>&1 | FileCheck %s --check-prefix=UNBOUND

// HELP-DAG: --cim-quantize
// HELP-DAG: --bind-arguments=<value>
// HELP-DAG: --weights-file=<string>
// HELP-DAG: --cim-bitslice
// HELP-DAG: --cim-tile
// HELP-DAG: --cim-place
// HELP-DAG: --overflow=<value>

//--- main.mlir

// A 2x3 weight by hand (weight_bits = 8, Q = 127), per column n:
// scale = max|w[:, n]| / 127, wq = roundeven(w * f32(1 / scale)).
//   column 0: max 127 -> scale 1, [127, -3.5] -> [127, -4] (half to even)
//   column 1: max 127 -> scale 1, [2.5, -127] -> [2, -127] (half to even)
//   column 2: zero    -> scale 1, [0, 0]
// CHECK-LABEL: func.func @hand
// CHECK-SAME: (%[[X:.*]]: tensor<4x2xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[Q:.*]], %[[S:.*]] = cim.quantize_dynamic %[[X]] {bits = 8 : i64} : tensor<4x2xf32> -> tensor<4x2xi8>, tensor<4x1xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[127, 2, 0], [-4, -127, 0]]> : tensor<2x3xi8>
// CHECK: %[[WS:.*]] = arith.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK: %[[ACC:.*]] = cim.mvm %[[Q]], %[[W]] {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x2xi8>, tensor<2x3xi8> -> tensor<4x3xi32>
// CHECK: %[[Y:.*]] = cim.dequantize_acc %[[ACC]] scales(%[[WS]] : tensor<3xf32>) input_scales(%[[S]] : tensor<4x1xf32>) : tensor<4x3xi32> -> tensor<4x3xf32>
// CHECK: %[[Z:.*]] = cim.binary <add> %[[Y]], %[[B]] : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
// CHECK: return %[[Z]]
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @hand(%x: tensor<4x2xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
    %w = arith.constant dense<[[127.0, 2.5, 0.0], [-3.5, -127.0, 0.0]]> : tensor<2x3xf32>
    %y = cim.linear %x, %w bias %b : tensor<4x2xf32>, tensor<2x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

// Scales that are not 1: column 0 max 1.0 -> scale 1/127, f32(1/scale) = 127
// (0.25 * 127 = 31.75 -> 32); column 1 max 2.0 -> scale 2/127, f32(1/scale) = 63.5
// (-0.5 * 63.5 = -31.75 -> -32). 4-bit weights and 6-bit inputs under
// differential encoding (Q = 7): scale = f32(1/7) = 0.142857149, whose f32
// reciprocal is 6.99999952, so 0.5 -> 3.49999976 -> 3 (dividing by the scale
// would give 3.5 -> 4). Batched input; no bias.
// CHECK-LABEL: func.func @scales
// CHECK: cim.quantize_dynamic %{{.*}} {bits = 6 : i64} : tensor<2x5x2xf32> -> tensor<2x5x2xi6>, tensor<2x5x1xf32>
// CHECK: arith.constant dense<{{\[}}[3, -7], [-7, 1]]> : tensor<2x2xi4>
// CHECK: arith.constant dense<0.142857149> : tensor<2xf32>
// CHECK: cim.mvm %{{.*}}, %{{.*}} {slicing = #cim.slicing<weight_bits = 4, cell_bits = 1, slices = 3, input_bits = 6, dac_bits = 2, planes = 3, encoding = differential>} : tensor<2x5x2xi6>, tensor<2x2xi4> -> tensor<2x5x2xi32>
// CHECK: cim.dequantize_acc %{{.*}} scales(%{{.*}} : tensor<2xf32>) input_scales(%{{.*}} : tensor<2x5x1xf32>) : tensor<2x5x2xi32> -> tensor<2x5x2xf32>
// CHECK-NOT: cim.binary
// CHECK-LABEL: func.func @scales8
// CHECK: arith.constant dense<{{\[}}[127, -32], [32, 127]]> : tensor<2x2xi8>
// CHECK: arith.constant dense<[0.00787401571, 0.0157480314]> : tensor<2xf32>
module attributes {cim.target = #cim.target<rows = 64, cols = 64, weight_bits = 4, cell_bits = 1, encoding = differential, input_bits = 6, dac_bits = 2, adc_bits = 6, mvm_units = 4, cores = 1, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = false>} {
  func.func @scales(%x: tensor<2x5x2xf32>) -> tensor<2x5x2xf32> {
    %w = arith.constant dense<[[0.5, -1.0], [-1.0, 0.125]]> : tensor<2x2xf32>
    %y = cim.linear %x, %w : tensor<2x5x2xf32>, tensor<2x2xf32> -> tensor<2x5x2xf32>
    return %y : tensor<2x5x2xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @scales8(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %w = arith.constant dense<[[1.0, -0.5], [0.25, 2.0]]> : tensor<2x2xf32>
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x2xf32> -> tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}

// -----

// A dense_resource blob [[1, 2], [-4, 0.5]]: scales 4/127, 2/127; f32(1/scale)
// = 31.75, 63.5: 1 * 31.75 -> 32, 0.5 * 63.5 = 31.75 -> 32.
// CHECK-LABEL: func.func @blob
// CHECK: arith.constant dense<{{\[}}[32, 127], [-127, 32]]> : tensor<2x2xi8>
// CHECK: arith.constant dense<[0.0314960629, 0.0157480314]> : tensor<2xf32>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @blob(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %w = arith.constant dense_resource<weights> : tensor<2x2xf32>
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x2xf32> -> tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F00000040000080C00000003F"
    }
  }
#-}

// -----

// Folding producers into the constant: a fused [N_total, K] global (PyTorch
// layout), the second 2 x 3 slice of it, transposed to K x N, reshaped there
// and back. w^T = [[6, 9], [-127, 10.5], [8, 127]]: scales 127/127 = 1 each.
// The f32 constants and the data movement are erased.
// CHECK-LABEL: func.func @producers
// CHECK-NOT: ml_program.global_load_const
// CHECK-NOT: linalg.transpose
// CHECK-NOT: tensor.
// CHECK: arith.constant dense<{{\[}}[6, 9], [-127, 10], [8, 127]]> : tensor<3x2xi8>
// CHECK: arith.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NOT: tensor.
// CHECK: return
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  ml_program.global private @fused(dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [6.0, -127.0, 8.0], [9.0, 10.5, 127.0]]> : tensor<4x3xf32>) : tensor<4x3xf32>
  func.func @producers(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
    %f = ml_program.global_load_const @fused : tensor<4x3xf32>
    %s = tensor.extract_slice %f[2, 0] [2, 3] [1, 1] : tensor<4x3xf32> to tensor<2x3xf32>
    %e = tensor.empty() : tensor<3x2xf32>
    %t = linalg.transpose ins(%s : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
    %x3 = tensor.expand_shape %t [[0], [1, 2]] output_shape [3, 1, 2] : tensor<3x2xf32> into tensor<3x1x2xf32>
    %w = tensor.collapse_shape %x3 [[0], [1, 2]] : tensor<3x1x2xf32> into tensor<3x2xf32>
    %y = cim.linear %x, %w : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}

// -----

// A strided, rank-reducing slice: rows 0 and 2 of plane 1,
// [[1, 0], [-1, 0.5]]; scales 1/127 and 0.5/127 (f32 reciprocal 254).
// CHECK-LABEL: func.func @strided
// CHECK: arith.constant dense<{{\[}}[127, 0], [-127, 127]]> : tensor<2x2xi8>
// CHECK: arith.constant dense<[0.00787401571, 0.00393700786]> : tensor<2xf32>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @strided(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %c = arith.constant dense<[[[9.0, 9.0], [9.0, 9.0], [9.0, 9.0]], [[1.0, 0.0], [5.0, 5.0], [-1.0, 0.5]]]> : tensor<2x3x2xf32>
    %w = tensor.extract_slice %c[1, 0, 0] [1, 2, 2] [1, 2, 1] : tensor<2x3x2xf32> to tensor<2x2xf32>
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x2xf32> -> tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}

// -----

// Shape-only compilation: an elided GPT-2-sized weight (stored [out, in]
// and transposed) gives elided integer weights and scales; nothing is read.
// CHECK-LABEL: func.func @elided
// CHECK: cim.quantize_dynamic %{{.*}} {bits = 8 : i64} : tensor<1x1024x768xf32> -> tensor<1x1024x768xi8>, tensor<1x1024x1xf32>
// CHECK: %[[W:.*]] = arith.constant dense_resource<weight_q_0> : tensor<768x3072xi8>
// CHECK: %[[S:.*]] = arith.constant dense_resource<weight_scale_0> : tensor<3072xf32>
// CHECK: cim.mvm %{{.*}}, %[[W]] {{.*}} : tensor<1x1024x768xi8>, tensor<768x3072xi8> -> tensor<1x1024x3072xi32>
// CHECK: cim.dequantize_acc %{{.*}} scales(%[[S]] : tensor<3072xf32>)
// CHECK: cim.binary <add>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @elided(%x: tensor<1x1024x768xf32>) -> tensor<1x1024x3072xf32> {
    %w = arith.constant dense_resource<__elided__> : tensor<3072x768xf32>
    %b = arith.constant dense_resource<__elided__> : tensor<3072xf32>
    %e = tensor.empty() : tensor<768x3072xf32>
    %t = linalg.transpose ins(%w : tensor<3072x768xf32>) outs(%e : tensor<768x3072xf32>) permutation = [1, 0]
    %y = cim.linear %x, %t bias %b : tensor<1x1024x768xf32>, tensor<768x3072xf32>, tensor<3072xf32> -> tensor<1x1024x3072xf32>
    return %y : tensor<1x1024x3072xf32>
  }
}

// -----

// Shape-only names are counted per compilation: this chunk (a new context)
// starts at _0 again, whatever the chunk before made.
// CHECK-LABEL: func.func @elided_again
// CHECK: arith.constant dense_resource<weight_q_0> : tensor<128x64xi8>
// CHECK: arith.constant dense_resource<weight_scale_0> : tensor<64xf32>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @elided_again(%x: tensor<4x128xf32>) -> tensor<4x64xf32> {
    %w = arith.constant dense_resource<__elided__> : tensor<128x64xf32>
    %y = cim.linear %x, %w : tensor<4x128xf32>, tensor<128x64xf32> -> tensor<4x64xf32>
    return %y : tensor<4x64xf32>
  }
}

// -----

// expected-error @+1 {{'cim.target' attribute missing on the module; run --cim-set-target first}}
module {
  func.func @no_target(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @k_overflow(%x: tensor<1x131072xf32>) -> tensor<1x1xf32> {
    %w = arith.constant dense_resource<__elided__> : tensor<131072x1xf32>
    // expected-error @+1 {{'cim.linear' op accumulating K = 131072 products of i8 x i8 can overflow the i32 accumulator of cim.mvm}}
    %y = cim.linear %x, %w : tensor<1x131072xf32>, tensor<131072x1xf32> -> tensor<1x1xf32>
    return %y : tensor<1x1xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @argument(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
    // expected-error @+1 {{'cim.linear' op weight is a function argument: bind its values (make it an arith.constant, a dense_resource blob or an ml_program.global, or pass weights-file=<safetensors>), or pass bind-arguments=elided for shape-only compilation}}
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @loop_carried(%x: tensor<4x2xf32>, %w0: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%w = %w0) -> (tensor<2x3xf32>) {
      // expected-error @+1 {{'cim.linear' op weight is an argument of a 'scf.for' region, not a compile-time constant}}
      %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
      scf.yield %w : tensor<2x3xf32>
    }
    return %r : tensor<2x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @computed(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %a = arith.constant dense<1.0> : tensor<2x3xf32>
    %w = arith.addf %a, %a : tensor<2x3xf32>
    // expected-error @+1 {{'cim.linear' op weight is computed by 'arith.addf', which cannot be evaluated at compile time (supported: arith.constant, ml_program.global_load_const, linalg.transpose, tensor.collapse_shape, tensor.expand_shape, tensor.extract_slice)}}
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @dynamic_producer(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
    %c = arith.constant dense<1.0> : tensor<4x3xf32>
    %d = tensor.cast %c : tensor<4x3xf32> to tensor<?x3xf32>
    %w = tensor.extract_slice %d[0, 0] [3, 3] [1, 1] : tensor<?x3xf32> to tensor<3x3xf32>
    // expected-error @+1 {{'cim.linear' op weight of type 'tensor<?x3xf32>' has a dynamic shape on its way from a constant}}
    %y = cim.linear %x, %w : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @dynamic_slice(%x: tensor<4x3xf32>, %i: index) -> tensor<4x3xf32> {
    %c = arith.constant dense<1.0> : tensor<4x3xf32>
    %w = tensor.extract_slice %c[%i, 0] [3, 3] [1, 1] : tensor<4x3xf32> to tensor<3x3xf32>
    // expected-error @+1 {{'cim.linear' op weight is a tensor.extract_slice with dynamic offsets, sizes or strides}}
    %y = cim.linear %x, %w : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @short_blob(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %w = arith.constant dense_resource<short> : tensor<2x2xf32>
    // expected-error @+1 {{'cim.linear' op weight resource 'short' holds 8 bytes, but 'tensor<2x2xf32>' needs 16}}
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x2xf32> -> tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000803F00000040"
    }
  }
#-}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @sparse(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = arith.constant sparse<[[0, 0]], [1.0]> : tensor<2x3xf32>
    // expected-error @+1 {{'cim.linear' op weight constant is a 'builtin.sparse_elements'; --cim-quantize reads dense elements and dense_resource blobs}}
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  ml_program.global private @outside(#ml_program.extern : tensor<2x3xf32>) : tensor<2x3xf32>
  func.func @extern(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = ml_program.global_load_const @outside : tensor<2x3xf32>
    // expected-error @+1 {{'cim.linear' op weight global @outside is external (#ml_program.extern): bind its values}}
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @nan(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
    %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 0x7FC00000, 6.0]]> : tensor<2x3xf32>
    // expected-error @+1 {{'cim.linear' op weight has the non-finite value nan at [1, 1]}}
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @moe_bias(%x: tensor<8x4xf32>, %i: tensor<8x1xi32>) -> tensor<8x1x6xf32> {
    %w = arith.constant dense<1.0> : tensor<2x4x6xf32>
    %b = arith.constant dense<1.0> : tensor<2x6xf32>
    // expected-error @+1 {{'cim.moe_linear' op has a bias, which --cim-quantize does not map yet (Mixtral-style experts have none)}}
    %h = cim.moe_linear %x, %w, %i bias %b : tensor<8x4xf32>, tensor<2x4x6xf32>, tensor<8x1xi32>, tensor<2x6xf32> -> tensor<8x1x6xf32>
    return %h : tensor<8x1x6xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @moe_nan(%x: tensor<8x2xf32>, %i: tensor<8x1xi32>) -> tensor<8x1x2xf32> {
    %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [0x7FC00000, 4.0]]]> : tensor<2x2x2xf32>
    // expected-error @+1 {{'cim.moe_linear' op weight has the non-finite value nan at [1, 1, 0]}}
    %h = cim.moe_linear %x, %w, %i : tensor<8x2xf32>, tensor<2x2x2xf32>, tensor<8x1xi32> -> tensor<8x1x2xf32>
    return %h : tensor<8x1x2xf32>
  }
}

// -----

// Mixture of experts: one dispatch per routing, shared by both expert layers;
// every expert quantized per output channel on its own (expert 1's column 0
// has max 2 -> scale 2/127, f32(1/scale) = 63.5: 1 -> 63.5 -> 64 (even)).
// CHECK-LABEL: func.func @moe
// CHECK-SAME: (%[[X:.*]]: tensor<3x2xf32>, %[[I:.*]]: tensor<3x2xi32>)
// CHECK: %[[L:.*]], %[[C:.*]] = cim.moe_dispatch %[[I]] {experts = 2 : i64} : tensor<3x2xi32> -> tensor<2x6xi32>, tensor<2xi32>
// CHECK: %[[Q:.*]], %[[S:.*]] = cim.quantize_dynamic %[[X]] {bits = 8 : i64} : tensor<3x2xf32> -> tensor<3x2xi8>, tensor<3x1xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[127, 0], [0, 127]], {{\[}}[64, 127], [127, 0]]]> : tensor<2x2x2xi8>
// CHECK: %[[WS:.*]] = arith.constant dense<{{\[}}[0.00787401571, 0.00787401571], [0.0157480314, 0.00787401571]]> : tensor<2x2xf32>
// CHECK: %[[H:.*]] = cim.moe_mvm %[[Q]] scales(%[[S]]), %[[W]] scales(%[[WS]]), %[[L]], %[[C]] {cols = 128 : i64, rows = 128 : i64, slicing = #cim.slicing<{{.*}}>} : tensor<3x2xi8>, tensor<3x1xf32>, tensor<2x2x2xi8>, tensor<2x2xf32>, tensor<2x6xi32>, tensor<2xi32> -> tensor<3x2x2xf32>
// CHECK: %[[Q2:.*]], %[[S2:.*]] = cim.quantize_dynamic %[[H]] {bits = 8 : i64} : tensor<3x2x2xf32> -> tensor<3x2x2xi8>, tensor<3x2x1xf32>
// CHECK: cim.moe_mvm %[[Q2]] scales(%[[S2]]), %{{.*}} scales(%{{.*}}), %[[L]], %[[C]] {{.*}} : tensor<3x2x2xi8>, tensor<3x2x1xf32>, tensor<2x2x2xi8>, tensor<2x2xf32>, tensor<2x6xi32>, tensor<2xi32> -> tensor<3x2x2xf32>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @moe(%x: tensor<3x2xf32>, %i: tensor<3x2xi32>) -> tensor<3x2x2xf32> {
    %w = arith.constant dense<[[[1.0, 0.0], [0.0, 1.0]], [[1.0, 1.0], [2.0, 0.0]]]> : tensor<2x2x2xf32>
    %h = cim.moe_linear %x, %w, %i : tensor<3x2xf32>, tensor<2x2x2xf32>, tensor<3x2xi32> -> tensor<3x2x2xf32>
    %y = cim.moe_linear %h, %w, %i : tensor<3x2x2xf32>, tensor<2x2x2xf32>, tensor<3x2xi32> -> tensor<3x2x2xf32>
    return %y : tensor<3x2x2xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @moe_dynamic(%x: tensor<?x2xf32>, %i: tensor<?x1xi32>) -> tensor<?x1x2xf32> {
    %w = arith.constant dense<1.0> : tensor<2x2x2xf32>
    // expected-error @+1 {{'cim.moe_linear' op needs static shapes to be quantized}}
    %h = cim.moe_linear %x, %w, %i : tensor<?x2xf32>, tensor<2x2x2xf32>, tensor<?x1xi32> -> tensor<?x1x2xf32>
    return %h : tensor<?x1x2xf32>
  }
}

//--- bind.mlir

// bind-arguments=elided: weights that are function arguments compile shape-only
// (without it, @argument in main.mlir is an error).
// BIND-LABEL: func.func @bound
// BIND-SAME: (%[[X:.*]]: tensor<?x64xf32>, %{{.*}}: tensor<64x32xf32>)
// BIND: %[[Q:.*]], %[[S:.*]] = cim.quantize_dynamic %[[X]] {bits = 8 : i64} : tensor<?x64xf32> -> tensor<?x64xi8>, tensor<?x1xf32>
// BIND: %[[W:.*]] = arith.constant dense_resource<weight_q{{.*}}> : tensor<64x32xi8>
// BIND: %[[WS:.*]] = arith.constant dense_resource<weight_scale{{.*}}> : tensor<32xf32>
// BIND: %[[ACC:.*]] = cim.mvm %[[Q]], %[[W]] {{.*}} : tensor<?x64xi8>, tensor<64x32xi8> -> tensor<?x32xi32>
// BIND: cim.dequantize_acc %[[ACC]] scales(%[[WS]] : tensor<32xf32>) input_scales(%[[S]] : tensor<?x1xf32>) : tensor<?x32xi32> -> tensor<?x32xf32>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @bound(%x: tensor<?x64xf32>, %w: tensor<64x32xf32>) -> tensor<?x32xf32> {
    %y = cim.linear %x, %w : tensor<?x64xf32>, tensor<64x32xf32> -> tensor<?x32xf32>
    return %y : tensor<?x32xf32>
  }
}

//--- file.mlir

// weights-file: argument 1 binds to tensor 'arg1' (the @hand weight of
// main.mlir, same quantized values), the experts to 'gate' by mho.name.
// FILE-LABEL: func.func @bound
// FILE: arith.constant dense<{{\[}}[127, 2, 0], [-4, -127, 0]]> : tensor<2x3xi8>
// FILE: cim.mvm
// FILE: arith.constant dense<{{\[}}{{\[}}[127, 0], [0, 127]], {{\[}}[64, 127], [127, 0]]]> : tensor<2x2x2xi8>
// FILE: cim.moe_mvm
// NOFILE: error: cannot bind weights: {{.*}}missing.safetensors{{.*}}
// FILETYPE: error: 'cim.linear' op weight 'arg1' in '{{.*}}int.safetensors' is 2x3xi8 but argument 1 is 'tensor<2x3xf32>'
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @bound(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>, %g: tensor<2x2x2xf32> {mho.name = "gate"}, %i: tensor<4x1xi32>) -> (tensor<4x3xf32>, tensor<4x1x2xf32>) {
    %y = cim.linear %x, %w : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
    %z = cim.moe_linear %x, %g, %i : tensor<4x2xf32>, tensor<2x2x2xf32>, tensor<4x1xi32> -> tensor<4x1x2xf32>
    return %y, %z : tensor<4x3xf32>, tensor<4x1x2xf32>
  }
}

//--- unbound.mlir

// UNBOUND: error: 'cim.linear' op weight argument 2 is bound by name 'arg2', which weights file '{{.*}}w.safetensors' does not hold
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @unbound(%x: tensor<4x2xf32>, %b: tensor<3xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
    %y = cim.linear %x, %w bias %b : tensor<4x2xf32>, tensor<2x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    return %y : tensor<4x3xf32>
  }
}
