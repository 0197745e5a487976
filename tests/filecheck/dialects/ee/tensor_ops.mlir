// RUN: ROUNDTRIP
// RUN: GENERIC_ROUNDTRIP
// RUN: atheena-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=GENERIC

// Convolutions: bias, groups, strides, dilations, folding.
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>, %w1: tensor<8x4x1x1xf32>) -> tensor<1x8x8x8xf32> {
  %0 = ee.conv2d %x, %w bias %b strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 2 : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [2, 2] groups 2 {folding = #ee.fold<coarse_in = 2, coarse_out = 4, coarse_group = 2, fine = 9>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x8x8xf32>
  %2 = ee.conv2d %x, %w1 strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {folding = #ee.fold<coarse_out = 8>} : (tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x8x8xf32>
  func.return %1 : tensor<1x8x8x8xf32>
}
// CHECK-LABEL: func.func @conv
// CHECK-NEXT:    %0 = ee.conv2d %x, %w bias %b strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 2 : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT:    %1 = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [2, 2] groups 2 {folding = #ee.fold<coarse_in = 2, coarse_out = 4, coarse_group = 2, fine = 9>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x8x8xf32>
// CHECK-NEXT:    %2 = ee.conv2d %x, %w1 strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {folding = #ee.fold<coarse_in = 1, coarse_out = 8, coarse_group = 1, fine = 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x8x8xf32>
// GENERIC: "ee.conv2d"(%x, %w, %b) <{strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, groups = 2 : i64}> : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>

// -----

// Pooling.
func.func @pool(%x: tensor<1x5x28x28xf32>) -> tensor<1x5x1x1xf32> {
  %0 = ee.maxpool2d %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
  %1 = ee.avgpool2d %0 kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] {count_include_pad} : tensor<1x5x14x14xf32> -> tensor<1x5x14x14xf32>
  %2 = ee.avgpool2d %1 kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0] {folding = #ee.fold<coarse_in = 5, coarse_out = 5, coarse_group = 1, fine = 1>} : tensor<1x5x14x14xf32> -> tensor<1x5x6x6xf32>
  %3 = ee.global_avgpool %2 : tensor<1x5x6x6xf32> -> tensor<1x5x1x1xf32>
  func.return %3 : tensor<1x5x1x1xf32>
}
// CHECK-LABEL: func.func @pool
// CHECK-NEXT:    %0 = ee.maxpool2d %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x5x28x28xf32> -> tensor<1x5x14x14xf32>
// CHECK-NEXT:    %1 = ee.avgpool2d %0 kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] {count_include_pad} : tensor<1x5x14x14xf32> -> tensor<1x5x14x14xf32>
// CHECK-NEXT:    %2 = ee.avgpool2d %1 kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0] {folding = #ee.fold<coarse_in = 5, coarse_out = 5, coarse_group = 1, fine = 1>} : tensor<1x5x14x14xf32> -> tensor<1x5x6x6xf32>
// CHECK-NEXT:    %3 = ee.global_avgpool %2 : tensor<1x5x6x6xf32> -> tensor<1x5x1x1xf32>
// GENERIC: "ee.avgpool2d"(%0) <{kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad}> : (tensor<1x5x14x14xf32>) -> tensor<1x5x14x14xf32>

// -----

// Linear, element-wise ops, normalisation.
func.func @dense(%x: tensor<1x640xf32>, %w: tensor<10x640xf32>, %b: tensor<10xf32>, %f: tensor<1x16x4x4xf32>, %s: tensor<16xf32>) -> tensor<1x10xf32> {
  %0 = ee.linear %x, %w bias %b : (tensor<1x640xf32>, tensor<10x640xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %1 = ee.linear %x, %w {folding = #ee.fold<coarse_in = 64, coarse_out = 2, coarse_group = 1, fine = 1>} : (tensor<1x640xf32>, tensor<10x640xf32>) -> tensor<1x10xf32>
  %2 = ee.relu %0 : tensor<1x10xf32>
  %3 = ee.add %2, %1 {folding = #ee.fold<coarse_in = 10, coarse_out = 10, coarse_group = 1, fine = 1>} : tensor<1x10xf32>
  %4 = ee.softmax %3 axis 1 : tensor<1x10xf32>
  %5 = ee.batchnorm %f, %s, %s, %s, %s epsilon 1.0e-05 : tensor<1x16x4x4xf32>, tensor<16xf32>
  func.return %4 : tensor<1x10xf32>
}
// CHECK-LABEL: func.func @dense
// CHECK-NEXT:    %0 = ee.linear %x, %w bias %b : (tensor<1x640xf32>, tensor<10x640xf32>, tensor<10xf32>) -> tensor<1x10xf32>
// CHECK-NEXT:    %1 = ee.linear %x, %w {folding = #ee.fold<coarse_in = 64, coarse_out = 2, coarse_group = 1, fine = 1>} : (tensor<1x640xf32>, tensor<10x640xf32>) -> tensor<1x10xf32>
// CHECK-NEXT:    %2 = ee.relu %0 : tensor<1x10xf32>
// CHECK-NEXT:    %3 = ee.add %2, %1 {folding = #ee.fold<coarse_in = 10, coarse_out = 10, coarse_group = 1, fine = 1>} : tensor<1x10xf32>
// CHECK-NEXT:    %4 = ee.softmax %3 axis 1 : tensor<1x10xf32>
// CHECK-NEXT:    %5 = ee.batchnorm %f, %s, %s, %s, %s epsilon 1.0e-05 : tensor<1x16x4x4xf32>, tensor<16xf32>
// GENERIC: "ee.batchnorm"(%f, %s, %s, %s, %s) <{epsilon = 1.000000e-05 : f64}> : (tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>

// -----

// Shapes and constants.
func.func @shapes(%x: tensor<1x10x8x8xf32>, %y: tensor<1x6x8x8xf32>) -> tensor<1x640xf32> {
  %c = ee.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %z = ee.constant dense<0.0> : tensor<2x3xf32>
  %0 = ee.flatten %x axis 1 : tensor<1x10x8x8xf32> -> tensor<1x640xf32>
  %1 = ee.reshape %0 : tensor<1x640xf32> -> tensor<1x10x64xf32>
  %2 = ee.concat %x, %y axis 1 : (tensor<1x10x8x8xf32>, tensor<1x6x8x8xf32>) -> tensor<1x16x8x8xf32>
  func.return %0 : tensor<1x640xf32>
}
// CHECK-LABEL: func.func @shapes
// CHECK-NEXT:    %c = ee.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %z = ee.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-NEXT:    %0 = ee.flatten %x axis 1 : tensor<1x10x8x8xf32> -> tensor<1x640xf32>
// CHECK-NEXT:    %1 = ee.reshape %0 : tensor<1x640xf32> -> tensor<1x10x64xf32>
// CHECK-NEXT:    %2 = ee.concat %x, %y axis 1 : (tensor<1x10x8x8xf32>, tensor<1x6x8x8xf32>) -> tensor<1x16x8x8xf32>
// GENERIC: %c = "ee.constant"() <{value = dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>}> : () -> tensor<2xf32>
