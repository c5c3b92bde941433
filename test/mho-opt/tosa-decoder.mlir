// Llama-style decoder pieces in current-syntax TOSA: RMSNorm and SwiGLU with
// weights as function arguments, attention scores with reshape through
// tosa.const_shape and softmax, GELU (erf), tanh and clamp.
// RUN: mho-opt %s --split-input-file | FileCheck %s
// RUN: mho-opt %s --split-input-file | mho-opt --split-input-file | FileCheck %s
// RUN: mho-opt %s --split-input-file --mlir-print-op-generic | mho-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @rmsnorm_swiglu(
// CHECK: tosa.reduce_sum %{{.*}} {axis = 2 : i32}
// CHECK: tosa.rsqrt
// CHECK: tosa.matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x4x8xf32>, tensor<1x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x16xf32>
// CHECK: tosa.sigmoid
// CHECK: tosa.add

// CHECK-LABEL: func.func @attention_softmax(
// CHECK: tosa.const_shape {values = dense<[4, 2, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
// CHECK: tosa.reshape
// CHECK: tosa.transpose %{{.*}} {perms = array<i32: 1, 2, 0>}
// CHECK: tosa.reduce_max
// CHECK: tosa.exp
// CHECK: tosa.reciprocal

// CHECK-LABEL: func.func @activations(
// CHECK: tosa.erf
// CHECK: tosa.tanh
// CHECK: tosa.clamp %{{.*}} {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32}

module {
  func.func @rmsnorm_swiglu(%x: tensor<1x4x8xf32>, %w_gate: tensor<1x8x16xf32>, %w_up: tensor<1x8x16xf32>, %w_down: tensor<1x16x8xf32>, %gamma: tensor<1x1x8xf32>) -> tensor<1x4x8xf32> {
    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %inv_n = "tosa.const"() <{values = dense<1.250000e-01> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %eps = "tosa.const"() <{values = dense<9.99999997E-7> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %sq = tosa.mul %x, %x, %shift : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1xi8>) -> tensor<1x4x8xf32>
    %sum = tosa.reduce_sum %sq {axis = 2 : i32} : (tensor<1x4x8xf32>) -> tensor<1x4x1xf32>
    %mean = tosa.mul %sum, %inv_n, %shift : (tensor<1x4x1xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<1x4x1xf32>
    %var = tosa.add %mean, %eps : (tensor<1x4x1xf32>, tensor<1x1x1xf32>) -> tensor<1x4x1xf32>
    %rs = tosa.rsqrt %var : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
    %n = tosa.mul %x, %rs, %shift : (tensor<1x4x8xf32>, tensor<1x4x1xf32>, tensor<1xi8>) -> tensor<1x4x8xf32>
    %h = tosa.mul %n, %gamma, %shift : (tensor<1x4x8xf32>, tensor<1x1x8xf32>, tensor<1xi8>) -> tensor<1x4x8xf32>
    %g = tosa.matmul %h, %w_gate, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x16xf32>
    %u = tosa.matmul %h, %w_up, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x16xf32>
    %sg = tosa.sigmoid %g : (tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
    %silu = tosa.mul %g, %sg, %shift : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1xi8>) -> tensor<1x4x16xf32>
    %gu = tosa.mul %silu, %u, %shift : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1xi8>) -> tensor<1x4x16xf32>
    %d = tosa.matmul %gu, %w_down, %zp, %zp : (tensor<1x4x16xf32>, tensor<1x16x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x8xf32>
    %r = tosa.add %x, %d : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    return %r : tensor<1x4x8xf32>
  }
}

// -----

// Attention scores and softmax in TOSA: transpose, reshape through
// tosa.const_shape, reduce_max, exp, reduce_sum, reciprocal.
module {
  func.func @attention_softmax(%q: tensor<4x16xf32>, %k: tensor<4x16xf32>) -> tensor<2x4x4xf32> {
    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %scale = "tosa.const"() <{values = dense<0.353553385> : tensor<1x1x1xf32>}> : () -> tensor<1x1x1xf32>
    %s3 = tosa.const_shape {values = dense<[4, 2, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %q3 = tosa.reshape %q, %s3 : (tensor<4x16xf32>, !tosa.shape<3>) -> tensor<4x2x8xf32>
    %k3 = tosa.reshape %k, %s3 : (tensor<4x16xf32>, !tosa.shape<3>) -> tensor<4x2x8xf32>
    %qt = tosa.transpose %q3 {perms = array<i32: 1, 0, 2>} : (tensor<4x2x8xf32>) -> tensor<2x4x8xf32>
    %kt = tosa.transpose %k3 {perms = array<i32: 1, 2, 0>} : (tensor<4x2x8xf32>) -> tensor<2x8x4xf32>
    %s = tosa.matmul %qt, %kt, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x4xf32>
    %ss = tosa.mul %s, %scale, %shift : (tensor<2x4x4xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<2x4x4xf32>
    %m = tosa.reduce_max %ss {axis = 2 : i32} : (tensor<2x4x4xf32>) -> tensor<2x4x1xf32>
    %c = tosa.sub %ss, %m : (tensor<2x4x4xf32>, tensor<2x4x1xf32>) -> tensor<2x4x4xf32>
    %e = tosa.exp %c : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
    %z = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x4x4xf32>) -> tensor<2x4x1xf32>
    %rz = tosa.reciprocal %z : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
    %p = tosa.mul %e, %rz, %shift : (tensor<2x4x4xf32>, tensor<2x4x1xf32>, tensor<1xi8>) -> tensor<2x4x4xf32>
    return %p : tensor<2x4x4xf32>
  }
}

// -----

// GELU (erf and tanh forms) and clamp as exporters emit them.
module {
  func.func @activations(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %half = "tosa.const"() <{values = dense<5.000000e-01> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
    %one = "tosa.const"() <{values = dense<1.000000e+00> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
    %rsqrt2 = "tosa.const"() <{values = dense<0.707106769> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
    %a = tosa.mul %x, %rsqrt2, %shift : (tensor<2x8xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<2x8xf32>
    %erf = tosa.erf %a : (tensor<2x8xf32>) -> tensor<2x8xf32>
    %b = tosa.add %erf, %one : (tensor<2x8xf32>, tensor<1x1xf32>) -> tensor<2x8xf32>
    %c = tosa.mul %x, %b, %shift : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<1xi8>) -> tensor<2x8xf32>
    %gelu = tosa.mul %c, %half, %shift : (tensor<2x8xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<2x8xf32>
    %t = tosa.tanh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
    %cl = tosa.clamp %x {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32} : (tensor<2x8xf32>) -> tensor<2x8xf32>
    return %gelu, %t, %cl : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
  }
}
