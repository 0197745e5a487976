// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' --verify-diagnostics | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws{data-width=12 data-int=4 acc-width=40 acc-int=24}' --verify-diagnostics | filecheck %s --check-prefix=TYPES
// RUN: atheena-opt %s --split-input-file -p 'lower-to-hws' --verify-diagnostics | filecheck %s --check-prefix=ERR

// A network without exits becomes one stage; the relu's coarse sets the port's lanes.
func.func @chain(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = ee.relu %x {folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>} : tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
// CHECK-LABEL: hws.design @chain attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 4>]} {
// CHECK-NEXT:  ^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
// CHECK-NEXT:    %0 = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>) {
// CHECK-NEXT:      %relu_relu = hws.relu %x depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:      hws.yield %relu_relu : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    }
// CHECK-NEXT:    hws.output %0 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:  }
// TYPES: ^bb0(%x: !hws.stream<fixed<12, 4, rnd_conv, sat>, 2>):

// -----

// A convolution with coarse_in 2, coarse_out 2 and a bias: sliding window, fork, two conv
// units with their accumulators (2 channel groups), glue, bias; a squeeze re-lanes 2 -> 1
// for the relu.
func.func @conv(%x: tensor<1x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = ee.constant dense<1.0> : tensor<2x4x1x1xf32>
  %b = ee.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = ee.conv2d %x, %w bias %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>} : (tensor<1x4x3x3xf32>, tensor<2x4x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %r = ee.relu %y : tensor<1x2x3x3xf32>
  func.return %r : tensor<1x2x3x3xf32>
}
// CHECK-LABEL: hws.design @conv
// CHECK-NEXT:  ^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
// CHECK-NEXT:    %0 = hws.stage 0 reach 1.0
// CHECK-NEXT:      %conv2d_sw = hws.sliding_window %x map [3, 3, 4] strides [1, 1] pads [0, 0, 0, 0] depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 1, 1>
// CHECK-NEXT:      %conv2d_fork_p0, %conv2d_fork_p1 = hws.fork %conv2d_sw depth [32, 32] : !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 1, 1>
// CHECK-NEXT:      %conv2d_conv0 = hws.conv %conv2d_fork_p0 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.000000e+00> : tensor<1x2x1x2xf32> fine 1 depth 32 : !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 1, 1> -> !hws.stream<fixed<32, 16>, 2>
// CHECK-NEXT:      %conv2d_acc0 = hws.accum %conv2d_conv0 groups 2 filters 1 depth 32 : !hws.stream<fixed<32, 16>, 2>
// CHECK-NEXT:      %conv2d_conv1 = hws.conv %conv2d_fork_p1
// CHECK-NEXT:      %conv2d_acc1 = hws.accum %conv2d_conv1 groups 2 filters 1 depth 32
// CHECK-NEXT:      %conv2d_glue = hws.glue %conv2d_acc0, %conv2d_acc1 depth 32 : !hws.stream<fixed<32, 16>, 2>, !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<32, 16>, 2>
// CHECK-NEXT:      %conv2d_bias = hws.bias %conv2d_glue biases(!hws.fixed<16, 8, rnd_conv, sat>) dense<{{\[\[}}5.000000e-01, -5.000000e-01]]> : tensor<1x2xf32> depth 32 : !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:      %relu_sq = hws.squeeze %conv2d_bias depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:      %relu_relu = hws.relu %relu_sq depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// TYPES-LABEL: hws.design @conv
// TYPES: hws.conv {{.*}} -> !hws.stream<fixed<40, 24>, 2>

// -----

// After split-exits: the exit decision drives both buffers; the continue buffer holds
// ceil((A + D_b) / A) + 1 + 1 = 9 maps, the control streams as many decisions, and the
// streams into the exit merge a whole result.
func.func @one_exit(%x: tensor<1x4x4x4xf32>) -> tensor<1x3xf32> {
  %cont, %early = ee.stage 0 reach 1.0 -> (tensor<1x4x4x4xf32>, tensor<1x3xf32>) {
    %w = ee.constant dense<0.1> : tensor<3x64xf32>
    %f = ee.relu %x : tensor<1x4x4x4xf32>
    %fa, %fb = ee.split %f into 2 : tensor<1x4x4x4xf32>
    %flat = ee.flatten %fb axis 1 : tensor<1x4x4x4xf32> -> tensor<1x64xf32>
    %z0 = ee.linear %flat, %w : (tensor<1x64xf32>, tensor<3x64xf32>) -> tensor<1x3xf32>
    %za, %zb = ee.split %z0 into 2 : tensor<1x3xf32>
    %d = ee.exit_decision top1(%zb) > 0.9 : tensor<1x3xf32>
    %da, %db = ee.split %d into 2 : i1
    %c = ee.cond_buffer %fa, %db forward continue : tensor<1x4x4x4xf32>
    %e = ee.cond_buffer %za, %da forward exit : tensor<1x3xf32>
    ee.yield %c, %e : tensor<1x4x4x4xf32>, tensor<1x3xf32>
  }
  %late = ee.stage 1 reach 0.25 -> (tensor<1x3xf32>) {
    %g = ee.relu %cont : tensor<1x4x4x4xf32>
    %gf = ee.flatten %g axis 1 : tensor<1x4x4x4xf32> -> tensor<1x64xf32>
    %w1 = ee.constant dense<0.1> : tensor<3x64xf32>
    %z1 = ee.linear %gf, %w1 : (tensor<1x64xf32>, tensor<3x64xf32>) -> tensor<1x3xf32>
    ee.yield %z1 : tensor<1x3xf32>
  }
  %out, %exit = ee.exit_merge %early, %late : tensor<1x3xf32>
  func.return %out : tensor<1x3xf32>
}
// CHECK-LABEL: hws.design @one_exit attributes {port_maps = [array<i64: 4, 4, 4>, array<i64: 1, 1, 3>]} {
// CHECK-NEXT:  ^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>):
// CHECK-NEXT:    %0, %1 = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
// CHECK-NEXT:      %relu_relu = hws.relu %x depth 32
// CHECK-NEXT:      %relu_relu_split_p0, %relu_relu_split_p1 = hws.split %relu_relu depth [32, 32]
// CHECK-NEXT:      %linear_linear = hws.linear %relu_relu_split_p1 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.000000e-01> : tensor<64x3x1x1xf32> acc(!hws.fixed<32, 16>) depth 32
// CHECK-NEXT:      %linear_linear_split_p0, %linear_linear_split_p1 = hws.split %linear_linear depth [32, 32]
// CHECK-NEXT:      %exit_decision_ctrl_p0, %exit_decision_ctrl_p1 = hws.exit_decision %linear_linear_split_p1 classes 3 threshold 0.9 limit 72818 depth [32, 32] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.ctrl, !hws.ctrl
// CHECK-NEXT:      %cond_buffer_continue = hws.cond_buffer %relu_relu_split_p0, %exit_decision_ctrl_p0 forward continue map_words 64 maps 9 depth 32
// CHECK-NEXT:      %cond_buffer_exit = hws.cond_buffer %linear_linear_split_p0, %exit_decision_ctrl_p1 forward exit map_words 3 maps 4 depth 32
// CHECK-NEXT:      hws.yield %cond_buffer_continue, %cond_buffer_exit
// CHECK-NEXT:    }
// CHECK-NEXT:    %2 = hws.stage 1 reach 0.25
// CHECK-NEXT:      %relu_relu_1 = hws.relu %0 depth 32
// CHECK-NEXT:      %linear_linear_1 = hws.linear %relu_relu_1 {{.*}} depth 32
// CHECK-NEXT:      hws.yield %linear_linear_1
// CHECK-NEXT:    }
// CHECK-NEXT:    %exit_merge_out = hws.exit_merge %1, %2 map_words 3 depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    hws.output %exit_merge_out : !hws.result<fixed<16, 8, rnd_conv, sat>, 1>

// -----

func.func @grouped(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %w = ee.constant dense<1.0> : tensor<4x2x1x1xf32>
  %y = ee.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 2 {onnx_name = "Conv_7"} : (tensor<1x4x3x3xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x3x3xf32>
  func.return %y : tensor<1x4x3x3xf32>
}
// ERR: @grouped: 'ee.conv2d' (Conv_7): grouped convolutions (groups > 1) are not supported by the unit library's conv yet

// -----

func.func @bn(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %s = ee.constant dense<1.0> : tensor<2xf32>
  %y = ee.batchnorm %x, %s, %s, %s, %s epsilon 1.0e-05 : tensor<1x2x2x2xf32>, tensor<2xf32>
  func.return %y : tensor<1x2x2x2xf32>
}
// ERR: @bn: 'ee.batchnorm': the unit library has no batch-norm unit; run canonicalize first to fold it into the preceding convolution

// -----

// Adding a constant tensor has no unit (the importer folds a constant addend into a bias where
// it can).
func.func @add_constant(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %c = ee.constant dense<1.0> : tensor<1x2x2x2xf32>
  %y = ee.add %x, %c : tensor<1x2x2x2xf32>
  func.return %y : tensor<1x2x2x2xf32>
}
// ERR: @add_constant: 'ee.add': it adds a constant tensor; the add unit sums two streams (a residual connection); fold a constant addend into a bias before lowering

// -----

// A concat joins streams only: a constant input has no stream.
func.func @concat_constant(%x: tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %c = ee.constant dense<1.0> : tensor<1x2x2x2xf32>
  %y = ee.concat %x, %c axis 1 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  func.return %y : tensor<1x4x2x2xf32>
}
// ERR: @concat_constant: 'ee.concat': its input 1 is a constant tensor; the concat unit joins streams only

// -----

func.func @unsplit(%z0: tensor<1x2xf32>, %z1: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %d = ee.exit_decision top1(%z0) > 0.5 : tensor<1x2xf32>
  %out = ee.exit %z0 if %d : tensor<1x2xf32> else {
    ee.yield %z1 : tensor<1x2xf32>
  }
  func.return %out : tensor<1x2xf32>
}
// ERR: @unsplit: 'ee.exit' left: cut the network into stages first (-p 'split-exits{exit-probs=...}')
