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
// CHECK:         %relu_relu_split_p0, %relu_relu_split_p1 = hws.split %relu_relu depth [2, 2]
// CHECK:         %conv2d_sw = hws.sliding_window %relu_relu_split_p1
// CHECK:         %add_fifo1 = hws.fifo %relu_relu_split_p0 depth 140 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    %add_add = hws.add %conv2d_glue, %add_fifo1 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    hws.yield %add_add

