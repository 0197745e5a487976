// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' | atheena-opt --split-input-file | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' --print-op-generic | atheena-opt --split-input-file | filecheck %s

// ee.hardswish lowers to one hardswish unit whose lanes are the op's coarse (2: the
// input port takes 2 lanes too); the result round-trips, custom and generic.
func.func @chain(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %y = ee.hardswish %x {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : tensor<1x4x2x2xf32>
  func.return %y : tensor<1x4x2x2xf32>
}

// -----

// After a convolution with coarse_out 2, a hardswish with coarse 1: a squeeze re-lanes 2 -> 1.
func.func @conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = ee.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = ee.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {folding = #ee.fold<coarse_in = 1, coarse_out = 2, coarse_group = 1, fine = 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %h = ee.hardswish %y : tensor<1x2x3x3xf32>
  func.return %h : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: hws.design @chain attributes {port_maps = [array<i64: 2, 2, 4>, array<i64: 2, 2, 4>]} {
// CHECK-NEXT:  ^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
// CHECK-NEXT:    %0 = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>) {
// CHECK-NEXT:      %hardswish_hardswish = hws.hardswish %x depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:      hws.yield %hardswish_hardswish : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    }
// CHECK-NEXT:    hws.output %0 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:  }

// CHECK-LABEL: hws.design @conv
// CHECK:         %conv2d_glue = hws.glue %conv2d_acc0, %conv2d_acc1 depth 32 : {{.*}} -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    %hardswish_sq = hws.squeeze %conv2d_glue depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    %hardswish_hardswish = hws.hardswish %hardswish_sq depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    hws.yield %hardswish_hardswish : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
