// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' | atheena-opt --split-input-file | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' --print-op-generic | atheena-opt --split-input-file | filecheck %s

// An identity residual block: the relu's output feeds the conv and the add, so lower-to-hws
// splits it, and the skip path waits in a fifo for the conv's 3x3 window: (3 - 1) + 16/6 rows
// of lag plus one row, ceil(5.67 * 6 * 4) + 2 * 2 = 140 words (a whole map is 144).
func.func @identity(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %w = ee.constant dense<0.125> : tensor<4x4x3x3xf32>
  %a = ee.relu %x : tensor<1x4x6x6xf32>
  %c = ee.conv2d %a, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %y = ee.add %c, %a : tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}
// CHECK-LABEL: hws.design @identity
// CHECK:         %relu_relu_split_p0, %relu_relu_split_p1 = hws.split %relu_relu depth [32, 32]
// CHECK:         %conv2d_sw = hws.sliding_window %relu_relu_split_p1
// CHECK:         %add_fifo1 = hws.fifo %relu_relu_split_p0 depth 200 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    %add_add = hws.add %conv2d_glue, %add_fifo1 depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    hws.yield %add_add


// -----

// A concat of two branches (a 1x1 and a 3x3 conv of one split map) along the channels, folded
// by 2 (a divisor of both 2 and 4 channels): one concat unit taking 1 then 2 words per pixel.
// Each branch waits for the other's lag in a fifo: the 1x1 branch (2 channels) for the 3x3 one,
// (3 - 1) + 16/4 = 6 rows + 1 of 4 x 2 / 2 words, + 4 = 32; the 3x3 branch (4 channels) for the
// 1x1 one, (1 - 0) + 16/4 = 5 rows + 1 of 4 x 4 / 2 words, + 4 = 52.
func.func @branches(%x: tensor<1x2x4x4xf32>) -> tensor<1x6x4x4xf32> {
  %w1 = ee.constant dense<0.25> : tensor<2x2x1x1xf32>
  %w3 = ee.constant dense<0.125> : tensor<4x2x3x3xf32>
  %a = ee.relu %x {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : tensor<1x2x4x4xf32>
  %b1 = ee.conv2d %a, %w1 strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %b3 = ee.conv2d %a, %w3 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : (tensor<1x2x4x4xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x4x4xf32>
  %y = ee.concat %b1, %b3 axis 1 {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : (tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x6x4x4xf32>
  func.return %y : tensor<1x6x4x4xf32>
}
// CHECK-LABEL: hws.design @branches
// CHECK:         %concat_fifo0 = hws.fifo %{{.*}} depth 92 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    %concat_fifo1 = hws.fifo %{{.*}} depth 112 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    %concat_concat = hws.concat %concat_fifo0, %concat_fifo1 words [1, 2] depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    hws.yield %concat_concat
