// RUN: ROUNDTRIP
// RUN: GENERIC_ROUNDTRIP
// RUN: atheena-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=GENERIC

// A convolution layer with coarse_in 1, coarse_out 2, bias, then pool and relu.
hws.design @conv attributes {port_maps = [array<i64: 4, 4, 1>, array<i64: 2, 2, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>):
  %w = hws.sliding_window %x map [4, 4, 1] strides [1, 1] pads [1, 1, 1, 1] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
  %w0, %w1 = hws.fork %w depth [2, 2] : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
  %c0 = hws.conv %w0 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<5.000000e-01> : tensor<1x1x9x1xf32> fine 9 depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
  %c1 = hws.conv %w1 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<2.500000e-01> : tensor<1x1x9x1xf32> fine 3 depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
  %a0 = hws.accum %c0 groups 1 filters 1 depth 2 : !hws.stream<fixed<32, 16>, 1>
  %g = hws.glue %a0, %c1 depth 2 : !hws.stream<fixed<32, 16>, 1>, !hws.stream<fixed<32, 16>, 1> -> !hws.stream<fixed<32, 16>, 2>
  %b = hws.bias %g biases(!hws.fixed<16, 8, rnd_conv, sat>) dense<[[1.000000e+00, -1.000000e+00]]> : tensor<1x2xf32> depth 2 : !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  %pw = hws.sliding_window %b map [4, 4, 2] strides [2, 2] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 2, 2>
  %p = hws.pool %pw max depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 2, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  %r = hws.relu %p depth 4 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  hws.output %r : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
}

// CHECK-LABEL: hws.design @conv attributes {port_maps = [array<i64: 4, 4, 1>, array<i64: 2, 2, 2>]} {
// CHECK-NEXT:  ^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>):
// CHECK-NEXT:    %w = hws.sliding_window %x map [4, 4, 1] strides [1, 1] pads [1, 1, 1, 1] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
// CHECK-NEXT:    %w0, %w1 = hws.fork %w depth [2, 2] : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
// CHECK-NEXT:    %c0 = hws.conv %w0 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<5.000000e-01> : tensor<1x1x9x1xf32> fine 9 depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
// CHECK-NEXT:    %c1 = hws.conv %w1 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<2.500000e-01> : tensor<1x1x9x1xf32> fine 3 depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
// CHECK-NEXT:    %a0 = hws.accum %c0 groups 1 filters 1 depth 2 : !hws.stream<fixed<32, 16>, 1>
// CHECK-NEXT:    %g = hws.glue %a0, %c1 depth 2 : !hws.stream<fixed<32, 16>, 1>, !hws.stream<fixed<32, 16>, 1> -> !hws.stream<fixed<32, 16>, 2>
// CHECK-NEXT:    %b = hws.bias %g biases(!hws.fixed<16, 8, rnd_conv, sat>) dense<{{\[\[}}1.000000e+00, -1.000000e+00]]> : tensor<1x2xf32> depth 2 : !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    %pw = hws.sliding_window %b map [4, 4, 2] strides [2, 2] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 2, 2>
// CHECK-NEXT:    %p = hws.pool %pw max depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 2, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    %r = hws.relu %p depth 4 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:    hws.output %r : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:  }

// GENERIC: "hws.design"() <{sym_name = "conv", port_maps = [array<i64: 4, 4, 1>, array<i64: 2, 2, 2>]}> ({
// GENERIC: %w = "hws.sliding_window"(%x) <{map = array<i64: 4, 4, 1>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, depth = array<i64: 2>}> : (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) -> !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
// GENERIC: %w0, %w1 = "hws.fork"(%w) <{depth = array<i64: 2, 2>}> : (!hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>) -> (!hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>, !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>)

// -----

// Two stages, one exit: split, exit decision, conditional buffers, squeeze, linear, exit merge.
hws.design @early_exit attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
  %cont, %keep = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
    %f0, %f1 = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    %q = hws.squeeze %f1 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %z = hws.linear %q weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<4x2x1x1xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %z0, %z1 = hws.split %z depth [4, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %d0, %d1 = hws.exit_decision %z1 classes 2 threshold 0.75 limit 87382 depth [3, 3] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.ctrl, !hws.ctrl
    %e = hws.cond_buffer %z0, %d0 forward exit map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %c = hws.cond_buffer %f0, %d1 forward continue map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    hws.yield %c, %e : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
  }
  %late = hws.stage 1 reach 0.25 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
    %r = hws.relu %cont depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    %z = hws.linear %r weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<2x2x1x2xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    hws.yield %z : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
  }
  %out = hws.exit_merge %keep, %late map_words 2 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
  hws.output %out : !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
}

// CHECK-LABEL: hws.design @early_exit
// CHECK:         %cont, %keep = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
// CHECK-NEXT:      %f0, %f1 = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:      %q = hws.squeeze %f1 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:      %z = hws.linear %q weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<4x2x1x1xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:      %z0, %z1 = hws.split %z depth [4, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:      %d0, %d1 = hws.exit_decision %z1 classes 2 threshold 0.75 limit 87382 depth [3, 3] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.ctrl, !hws.ctrl
// CHECK-NEXT:      %e = hws.cond_buffer %z0, %d0 forward exit map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:      %c = hws.cond_buffer %f0, %d1 forward continue map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK-NEXT:      hws.yield %c, %e : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    }
// CHECK-NEXT:    %late = hws.stage 1 reach 0.25 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
// CHECK-NEXT:      %r = hws.relu %cont depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
// CHECK:         %out = hws.exit_merge %keep, %late map_words 2 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
// CHECK-NEXT:    hws.output %out : !hws.result<fixed<16, 8, rnd_conv, sat>, 1>

// GENERIC: "hws.exit_decision"(%z1) <{classes = 2 : i64, threshold = 7.500000e-01 : f64, limit = 87382 : i64, depth = array<i64: 3, 3>}> : (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) -> (!hws.ctrl, !hws.ctrl)
// GENERIC: "hws.cond_buffer"(%z0, %d0) <{mode = "exit", map_words = 2 : i64, maps = 3 : i64, depth = array<i64: 2>}>

// -----

// Element types: a standalone fixed-point type and the modes.
"test.op"() {t = !hws.fixed<16, 8, rnd_conv, sat>, a = !hws.fixed<32, 16>, r = !hws.fixed<12, 4, rnd, wrap>, s = !hws.result<fixed<8, 2>, 3>} : () -> ()
// CHECK: "test.op"() {t = !hws.fixed<16, 8, rnd_conv, sat>, a = !hws.fixed<32, 16>, r = !hws.fixed<12, 4, rnd, wrap>, s = !hws.result<fixed<8, 2>, 3>} : () -> ()
