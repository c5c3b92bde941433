// --cim-tile: cim.mvm -> crossbar-sized cim.mvm_tile chains joined by tensor.concat.
// RUN: mho-opt %s --split-input-file --cim-tile --verify-diagnostics | FileCheck %s

// A 3 x 3 weight on 2 x 2 crossbars: column block 0 (columns 0-1) chains row
// blocks [0, 2) and [2, 3); column block 1 (column 2) the same; the weight
// blocks are sliced at compile time.
// CHECK-LABEL: func.func @data
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xi8>)
// CHECK: %[[Z0:.*]] = arith.constant dense<0> : tensor<4x2xi32>
// CHECK: %[[W00:.*]] = arith.constant dense<{{\[}}[1, 2], [4, 5]]> : tensor<2x2xi8>
// CHECK: %[[P0:.*]] = cim.mvm_tile %[[X]][0], %[[W00]], %[[Z0]] {cols = 2 : i64, rows = 2 : i64, slicing = #cim.slicing<{{.*}}>} : tensor<4x3xi8>, tensor<2x2xi8> -> tensor<4x2xi32>
// CHECK: %[[W10:.*]] = arith.constant dense<{{\[}}[7, 8]]> : tensor<1x2xi8>
// CHECK: %[[P1:.*]] = cim.mvm_tile %[[X]][2], %[[W10]], %[[P0]] {cols = 2 : i64, rows = 2 : i64, slicing = #cim.slicing<{{.*}}>} : tensor<4x3xi8>, tensor<1x2xi8> -> tensor<4x2xi32>
// CHECK: %[[Z1:.*]] = arith.constant dense<0> : tensor<4x1xi32>
// CHECK: %[[W01:.*]] = arith.constant dense<{{\[}}[3], [6]]> : tensor<2x1xi8>
// CHECK: %[[Q0:.*]] = cim.mvm_tile %[[X]][0], %[[W01]], %[[Z1]] {{.*}} : tensor<4x3xi8>, tensor<2x1xi8> -> tensor<4x1xi32>
// CHECK: %[[W11:.*]] = arith.constant dense<-9> : tensor<1x1xi8>
// CHECK: %[[Q1:.*]] = cim.mvm_tile %[[X]][2], %[[W11]], %[[Q0]] {{.*}} : tensor<4x3xi8>, tensor<1x1xi8> -> tensor<4x1xi32>
// CHECK: %[[R:.*]] = tensor.concat dim(1) %[[P1]], %[[Q1]] : (tensor<4x2xi32>, tensor<4x1xi32>) -> tensor<4x3xi32>
// CHECK: return %[[R]]
// CHECK-NOT: cim.mvm
module attributes {cim.target = #cim.target<rows = 2, cols = 2, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @data(%x: tensor<4x3xi8>) -> tensor<4x3xi32> {
    %w = arith.constant dense<[[1, 2, 3], [4, 5, 6], [7, 8, -9]]> : tensor<3x3xi8>
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x3xi8> -> tensor<4x3xi32>
    return %y : tensor<4x3xi32>
  }
}

// -----

// An i8 dense_resource blob is sliced like dense elements.
// CHECK-LABEL: func.func @blob
// CHECK: arith.constant dense<{{\[}}[1, 2], [4, 5]]> : tensor<2x2xi8>
// CHECK: arith.constant dense<{{\[}}[7, 8]]> : tensor<1x2xi8>
// CHECK: arith.constant dense<{{\[}}[3], [6]]> : tensor<2x1xi8>
// CHECK: arith.constant dense<-9> : tensor<1x1xi8>
module attributes {cim.target = #cim.target<rows = 2, cols = 2, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @blob(%x: tensor<4x3xi8>) -> tensor<4x3xi32> {
    %w = arith.constant dense_resource<w8> : tensor<3x3xi8>
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x3xi8> -> tensor<4x3xi32>
    return %y : tensor<4x3xi32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      w8: "0x010000000102030405060708F7"
    }
  }
#-}

// -----

// 300 x 200 on 128 x 128: 3 row blocks (128, 128, 44) x 2 column blocks
// (128, 72); an elided weight stays elided block by block.
// CHECK-LABEL: func.func @elided
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x300xi8>)
// CHECK: %[[Z0:.*]] = arith.constant dense<0> : tensor<2x8x128xi32>
// CHECK: %[[W0:.*]] = arith.constant dense_resource<block{{.*}}> : tensor<128x128xi8>
// CHECK: %[[A0:.*]] = cim.mvm_tile %[[X]][0], %[[W0]], %[[Z0]] {cols = 128 : i64, rows = 128 : i64, {{.*}}} : tensor<2x8x300xi8>, tensor<128x128xi8> -> tensor<2x8x128xi32>
// CHECK: %[[W1:.*]] = arith.constant dense_resource<block{{.*}}> : tensor<128x128xi8>
// CHECK: %[[A1:.*]] = cim.mvm_tile %[[X]][128], %[[W1]], %[[A0]] {{.*}} : tensor<2x8x300xi8>, tensor<128x128xi8> -> tensor<2x8x128xi32>
// CHECK: %[[W2:.*]] = arith.constant dense_resource<block{{.*}}> : tensor<44x128xi8>
// CHECK: %[[A2:.*]] = cim.mvm_tile %[[X]][256], %[[W2]], %[[A1]] {{.*}} : tensor<2x8x300xi8>, tensor<44x128xi8> -> tensor<2x8x128xi32>
// CHECK: %[[Z1:.*]] = arith.constant dense<0> : tensor<2x8x72xi32>
// CHECK: %[[W3:.*]] = arith.constant dense_resource<block{{.*}}> : tensor<128x72xi8>
// CHECK: %[[B0:.*]] = cim.mvm_tile %[[X]][0], %[[W3]], %[[Z1]] {{.*}} : tensor<2x8x300xi8>, tensor<128x72xi8> -> tensor<2x8x72xi32>
// CHECK: %[[W4:.*]] = arith.constant dense_resource<block{{.*}}> : tensor<128x72xi8>
// CHECK: %[[B1:.*]] = cim.mvm_tile %[[X]][128], %[[W4]], %[[B0]] {{.*}} : tensor<2x8x300xi8>, tensor<128x72xi8> -> tensor<2x8x72xi32>
// CHECK: %[[W5:.*]] = arith.constant dense_resource<block{{.*}}> : tensor<44x72xi8>
// CHECK: %[[B2:.*]] = cim.mvm_tile %[[X]][256], %[[W5]], %[[B1]] {{.*}} : tensor<2x8x300xi8>, tensor<44x72xi8> -> tensor<2x8x72xi32>
// CHECK: %[[R:.*]] = tensor.concat dim(2) %[[A2]], %[[B2]] : (tensor<2x8x128xi32>, tensor<2x8x72xi32>) -> tensor<2x8x200xi32>
// CHECK: return %[[R]]
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @elided(%x: tensor<2x8x300xi8>) -> tensor<2x8x200xi32> {
    %w = arith.constant dense_resource<__elided__> : tensor<300x200xi8>
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x8x300xi8>, tensor<300x200xi8> -> tensor<2x8x200xi32>
    return %y : tensor<2x8x200xi32>
  }
}

// -----

// A splat weight gives splat blocks; 4-bit weights keep their type.
// CHECK-LABEL: func.func @splat
// CHECK: arith.constant dense<-3> : tensor<128x128xi4>
// CHECK: arith.constant dense<-3> : tensor<128x128xi4>
// CHECK: arith.constant dense<-3> : tensor<44x128xi4>
// CHECK: arith.constant dense<-3> : tensor<128x72xi4>
// CHECK: arith.constant dense<-3> : tensor<128x72xi4>
// CHECK: arith.constant dense<-3> : tensor<44x72xi4>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 4, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @splat(%x: tensor<4x300xi8>) -> tensor<4x200xi32> {
    %w = arith.constant dense<-3> : tensor<300x200xi4>
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 4, cell_bits = 2, slices = 2, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x300xi8>, tensor<300x200xi4> -> tensor<4x200xi32>
    return %y : tensor<4x200xi32>
  }
}

// -----

// A weight that is not a constant is sliced with tensor.extract_slice; a
// dynamic batch gets its zero partial sums from tensor.splat.
// CHECK-LABEL: func.func @variable
// CHECK-SAME: (%[[X:.*]]: tensor<?x3xi8>, %[[W:.*]]: tensor<3x3xi8>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x3xi8>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[Z:.*]] = tensor.splat %[[ZERO]][%[[D]]] : tensor<?x2xi32>
// CHECK: %[[B:.*]] = tensor.extract_slice %[[W]][0, 0] [2, 2] [1, 1] : tensor<3x3xi8> to tensor<2x2xi8>
// CHECK: cim.mvm_tile %[[X]][0], %[[B]], %[[Z]] {{.*}} : tensor<?x3xi8>, tensor<2x2xi8> -> tensor<?x2xi32>
// CHECK: tensor.extract_slice %[[W]][2, 0] [1, 2] [1, 1] : tensor<3x3xi8> to tensor<1x2xi8>
// CHECK: tensor.extract_slice %[[W]][0, 2] [2, 1] [1, 1] : tensor<3x3xi8> to tensor<2x1xi8>
// CHECK: tensor.extract_slice %[[W]][2, 2] [1, 1] [1, 1] : tensor<3x3xi8> to tensor<1x1xi8>
// CHECK: tensor.concat dim(1) %{{.*}}, %{{.*}} : (tensor<?x2xi32>, tensor<?x1xi32>) -> tensor<?x3xi32>
module attributes {cim.target = #cim.target<rows = 2, cols = 2, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @variable(%x: tensor<?x3xi8>, %w: tensor<3x3xi8>) -> tensor<?x3xi32> {
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<?x3xi8>, tensor<3x3xi8> -> tensor<?x3xi32>
    return %y : tensor<?x3xi32>
  }
}

// -----

// A weight that fits one unit is one block, with no concat.
// CHECK-LABEL: func.func @fits
// CHECK: %[[Z:.*]] = arith.constant dense<0> : tensor<4x32xi32>
// CHECK: %[[W:.*]] = arith.constant dense<1> : tensor<64x32xi8>
// CHECK: %[[R:.*]] = cim.mvm_tile %{{.*}}[0], %[[W]], %[[Z]] {{.*}} : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
// CHECK-NOT: tensor.concat
// CHECK: return %[[R]]
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @fits(%x: tensor<4x64xi8>) -> tensor<4x32xi32> {
    %w = arith.constant dense<1> : tensor<64x32xi8>
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x64xi8>, tensor<64x32xi8> -> tensor<4x32xi32>
    return %y : tensor<4x32xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @empty(%x: tensor<4x0xi8>, %w: tensor<0x8xi8>) -> tensor<4x8xi32> {
    // expected-error @+1 {{'cim.mvm' op cannot tile an empty 0 x 8 weight}}
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x0xi8>, tensor<0x8xi8> -> tensor<4x8xi32>
    return %y : tensor<4x8xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @short_blob(%x: tensor<4x3xi8>) -> tensor<4x3xi32> {
    %w = arith.constant dense_resource<short8> : tensor<3x3xi8>
    // expected-error @+1 {{'cim.mvm' op weight resource 'short8' holds 2 bytes, but 'tensor<3x3xi8>' needs 9}}
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x3xi8> -> tensor<4x3xi32>
    return %y : tensor<4x3xi32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      short8: "0x010000000102"
    }
  }
#-}

// -----

// expected-error @+1 {{'cim.target' attribute missing on the module; run --cim-set-target first}}
module {
  func.func @no_target(%x: tensor<4x3xi8>, %w: tensor<3x2xi8>) -> tensor<4x2xi32> {
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}
