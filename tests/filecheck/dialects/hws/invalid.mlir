// RUN: atheena-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// One case per verifier message of the hws dialect.

"test.op"() {t = !hws.fixed<0, 0>} : () -> ()
// CHECK: fixed-point width must lie in 1..1024, got 0

// -----

"test.op"() {t = !hws.fixed<16, 8, round, sat>} : () -> ()
// CHECK: unknown rounding mode 'round', expected one of: trn, rnd, rnd_conv

// -----

"test.op"() {t = !hws.fixed<16, 8, trn, clip>} : () -> ()
// CHECK: unknown overflow mode 'clip', expected one of: wrap, sat

// -----

"test.op"() {t = !hws.stream<fixed<16, 8>, 0>} : () -> ()
// CHECK: a stream needs at least 1 lane, got 0

// -----

"test.op"() {t = !hws.window<fixed<16, 8>, 1, 0, 3>} : () -> ()
// CHECK: window kernel must be >= 1, got 0x3

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = "hws.relu"(%x) <{depth = array<i64: 2, 2>}> : (!hws.stream<fixed<16, 8>, 1>) -> !hws.stream<fixed<16, 8>, 1>
// CHECK: 'hws.relu' has 1 result stream(s) but 2 depth(s); give one FIFO depth per result

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.relu %x depth 0 : !hws.stream<fixed<16, 8>, 1>
// CHECK: FIFO depths must be >= 1, got [0]

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.sliding_window %x map [4, 4] strides [1, 1] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<16, 8>, 1, 3, 3>
// CHECK: map (rows, cols, channels) must be 3 integer(s) >= 1, got [4, 4]

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.sliding_window %x map [4, 4, 1] strides [0, 1] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<16, 8>, 1, 3, 3>
// CHECK: strides must be 2 integer(s) >= 1, got [0, 1]

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.sliding_window %x map [4, 4, 1] strides [1, 1] pads [0, -1, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<16, 8>, 1, 3, 3>
// CHECK: pads must be 4 integer(s) >= 0, got [0, -1, 0, 0]

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.sliding_window %x map [4, 4, 1] strides [1, 1] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<8, 4>, 1, 3, 3>
// CHECK: input and windows: element types differ (ap_fixed<16, 8> vs ap_fixed<8, 4>)

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.sliding_window %x map [4, 4, 2] strides [1, 1] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<16, 8>, 2, 3, 3>
// CHECK: input has 1 lanes but the windows have 2

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 2>
%y = hws.sliding_window %x map [4, 4, 3] strides [1, 1] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 2> -> !hws.window<fixed<16, 8>, 2, 3, 3>
// CHECK: 2 lanes do not divide the 3 channels

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.sliding_window %x map [2, 2, 1] strides [1, 1] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.window<fixed<16, 8>, 1, 3, 3>
// CHECK: the 3x3 kernel is larger than the padded 2x2 map

// -----

%x = "test.op"() : () -> !hws.window<fixed<16, 8>, 1, 2, 2>
%y = hws.pool %x mean depth 2 : !hws.window<fixed<16, 8>, 1, 2, 2> -> !hws.stream<fixed<16, 8>, 1>
// CHECK: unknown pool mode 'mean', expected one of: max, avg

// -----

%x = "test.op"() : () -> !hws.window<fixed<16, 8>, 1, 2, 2>
%y = hws.pool %x max depth 2 : !hws.window<fixed<16, 8>, 1, 2, 2> -> !hws.stream<fixed<16, 8>, 2>
// CHECK: windows have 1 lanes but the output has 2

// -----

%x = "test.op"() : () -> !hws.window<fixed<16, 8>, 1, 17, 17>
%y = hws.pool %x max depth 2 : !hws.window<fixed<16, 8>, 1, 17, 17> -> !hws.stream<fixed<16, 8>, 1>
// CHECK: a 17x17 window has 289 values; the pool unit takes at most 256

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.fork %x depth [2] : !hws.stream<fixed<16, 8>, 1>
// CHECK: a fork needs at least 2 results, got 1

// -----

%x = "test.op"() : () -> !hws.window<fixed<16, 8>, 1, 3, 3>
%y = hws.conv %x weights(!hws.fixed<16, 8>) dense<1.0> : tensor<2x1x9x1xf32> fine 1 depth 2 : !hws.window<fixed<16, 8>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 2>
// CHECK: windows have 1 lanes but the output has 2

// -----

%x = "test.op"() : () -> !hws.window<fixed<16, 8>, 1, 3, 3>
%y = hws.conv %x weights(!hws.fixed<16, 8>) dense<1.0> : tensor<2x1x4x1xf32> fine 1 depth 2 : !hws.window<fixed<16, 8>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
// CHECK: weights have shape 2x1x4x1, expected ?x?x9x1 ([FILT][G][KH*KW][L])

// -----

%x = "test.op"() : () -> !hws.window<fixed<16, 8>, 1, 3, 3>
%y = hws.conv %x weights(!hws.fixed<16, 8>) dense<1.0> : tensor<2x1x9x1xf32> fine 2 depth 2 : !hws.window<fixed<16, 8>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
// CHECK: fine = 2 is not supported by the conv unit for a 3x3 kernel; allowed: 1, 3, 9

// -----

%x = "test.op"() : () -> !hws.stream<fixed<32, 16>, 1>
%y = hws.accum %x groups 0 filters 1 depth 2 : !hws.stream<fixed<32, 16>, 1>
// CHECK: groups must be >= 1, got 0

// -----

%x = "test.op"() : () -> !hws.stream<fixed<32, 16>, 1>
%z = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = "hws.glue"(%x, %z) <{depth = array<i64: 2>}> : (!hws.stream<fixed<32, 16>, 1>, !hws.stream<fixed<16, 8>, 1>) -> !hws.stream<fixed<16, 8>, 2>
// CHECK: input 1 is !hws.stream<fixed<16, 8>, 1>, expected !hws.stream<fixed<32, 16>, 1> like input 0

// -----

%x = "test.op"() : () -> !hws.stream<fixed<32, 16>, 1>
%y = hws.glue %x depth 2 : !hws.stream<fixed<32, 16>, 1> -> !hws.stream<fixed<16, 8>, 2>
// CHECK: 1 input(s) give 1 output lane(s), but the output has 2

// -----

%x = "test.op"() : () -> !hws.stream<fixed<32, 16>, 1>
%y = hws.bias %x biases(!hws.fixed<16, 8>) dense<1.0> : tensor<2x1xf32> depth 2 : !hws.stream<fixed<32, 16>, 1> -> !hws.stream<fixed<16, 8>, 2>
// CHECK: input has 1 lanes but the output has 2

// -----

%x = "test.op"() : () -> !hws.stream<fixed<32, 16>, 1>
%y = hws.bias %x biases(!hws.fixed<16, 8>) dense<1.0> : tensor<2x2xf32> depth 2 : !hws.stream<fixed<32, 16>, 1> -> !hws.stream<fixed<16, 8>, 1>
// CHECK: biases have shape 2x2, expected ?x1 ([WORDS][L])

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.linear %x weights(!hws.fixed<16, 8>) dense<1.0> : tensor<4x2x1x2xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.stream<fixed<16, 8>, 1>
// CHECK: weights have shape 4x2x1x2, expected ?x?x1x1 ([N_IN][FILT][CO][CI])

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.squeeze %x depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.stream<fixed<8, 4>, 2>
// CHECK: a squeeze keeps the element type: element types differ (ap_fixed<16, 8> vs ap_fixed<8, 4>)

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.squeeze %x depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.stream<fixed<16, 8>, 1>
// CHECK: a squeeze between equal lane counts (1) does nothing; remove it

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.split %x depth [2] : !hws.stream<fixed<16, 8>, 1>
// CHECK: a split needs at least 2 results, got 1

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_decision %x classes 1 threshold 0.75 limit 87382 depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.ctrl
// CHECK: an exit decision needs at least 2 classes, got 1

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 2>
%y = hws.exit_decision %x classes 3 threshold 0.75 limit 87382 depth 2 : !hws.stream<fixed<16, 8>, 2> -> !hws.ctrl
// CHECK: 2 lanes do not divide the 3 classes

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
"hws.exit_decision"(%x) <{classes = 2 : i64, threshold = 7.500000e-01 : f64, limit = 87382 : i64, depth = array<i64>}> : (!hws.stream<fixed<16, 8>, 1>) -> ()
// CHECK: an exit decision needs at least one control output

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_decision %x classes 2 threshold 1.5 limit 87382 depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.ctrl
// CHECK: threshold must lie in (0, 1), got 1.5

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_decision %x classes 2 threshold 0.75 limit 87000 depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.ctrl
// CHECK: limit 87000 does not match threshold 0.75 (threshold_limit gives 87382)

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%c = "test.op"() : () -> !hws.ctrl
%y = hws.cond_buffer %x, %c forward always map_words 2 maps 2 depth 2 : !hws.stream<fixed<16, 8>, 1>
// CHECK: unknown buffer mode 'always', expected one of: exit, continue

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%c = "test.op"() : () -> !hws.ctrl
%y = hws.cond_buffer %x, %c forward exit map_words 0 maps 2 depth 2 : !hws.stream<fixed<16, 8>, 1>
// CHECK: map_words must be >= 1, got 0

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%c = "test.op"() : () -> !hws.ctrl
%y = hws.cond_buffer %x, %c forward exit map_words 2 maps 0 depth 2 : !hws.stream<fixed<16, 8>, 1>
// CHECK: a conditional buffer must hold at least 1 map, got 0

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_merge %x map_words 2 depth 2 : !hws.stream<fixed<16, 8>, 1> -> !hws.result<fixed<16, 8>, 1>
// CHECK: an exit merge needs at least 2 inputs, got 1

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%z = "test.op"() : () -> !hws.stream<fixed<16, 8>, 2>
%y = hws.exit_merge %x, %z map_words 2 depth 2 : !hws.stream<fixed<16, 8>, 1>, !hws.stream<fixed<16, 8>, 2> -> !hws.result<fixed<16, 8>, 1>
// CHECK: exit 1 delivers !hws.stream<fixed<16, 8>, 2> but exit 0 delivers !hws.stream<fixed<16, 8>, 1>; every exit must give the same element type and lanes

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%z = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_merge %x, %z map_words 2 depth 2 : !hws.stream<fixed<16, 8>, 1>, !hws.stream<fixed<16, 8>, 1> -> !hws.result<fixed<8, 4>, 1>
// CHECK: exits and result: element types differ (ap_fixed<16, 8> vs ap_fixed<8, 4>)

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%z = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_merge %x, %z map_words 2 depth 2 : !hws.stream<fixed<16, 8>, 1>, !hws.stream<fixed<16, 8>, 1> -> !hws.result<fixed<16, 8>, 2>
// CHECK: exits have 1 lanes but the result has 2

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%z = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%y = hws.exit_merge %x, %z map_words 0 depth 2 : !hws.stream<fixed<16, 8>, 1>, !hws.stream<fixed<16, 8>, 1> -> !hws.result<fixed<16, 8>, 1>
// CHECK: map_words must be >= 1, got 0

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>]} {
^bb0(%x: i32):
  hws.output
}
// CHECK: every port must be a stream, got i32

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  hws.output %x : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: port_maps gives 1 map(s) but the design has 2 port(s) (1 in, 1 out)

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  hws.output %x : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: a port map is [rows, cols, channels] >= 1, got [1, 2]

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 3>, array<i64: 1, 1, 3>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 2>):
  hws.output %x : !hws.stream<fixed<16, 8>, 2>
}
// CHECK: 2 lanes do not divide the 3 channels of a port

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  %y = hws.relu %x depth 2 : !hws.stream<fixed<16, 8>, 1>
  %z = hws.relu %x depth 2 : !hws.stream<fixed<16, 8>, 1>
  hws.output %y : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: stream %x has 2 consumers; every stream needs exactly one consumer (fan out with hws.split or hws.fork)

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  %y, %z = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8>, 1>
  hws.output %y : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: stream %z is never read; every stream needs exactly one consumer

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
%s = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8>, 1>) {
  hws.yield %x : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: 'hws.stage' expects parent op 'hws.design', got 'builtin.module'

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  %s = hws.stage 0 reach 1.5 -> (!hws.stream<fixed<16, 8>, 1>) {
    hws.yield %x : !hws.stream<fixed<16, 8>, 1>
  }
  hws.output %s : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: reach probability must lie in (0, 1], got 1.5

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  %s = hws.stage -1 reach 1.0 -> (!hws.stream<fixed<16, 8>, 1>) {
    hws.yield %x : !hws.stream<fixed<16, 8>, 1>
  }
  hws.output %s : !hws.stream<fixed<16, 8>, 1>
}
// CHECK: stage index must be >= 0, got -1

// -----

hws.design @d attributes {port_maps = [array<i64: 1, 1, 2>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8>, 1>):
  %s = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8>, 2>) {
    hws.yield %x : !hws.stream<fixed<16, 8>, 1>
  }
  hws.output %s : !hws.stream<fixed<16, 8>, 2>
}
// CHECK: the region yields (!hws.stream<fixed<16, 8>, 1>) but the stage returns (!hws.stream<fixed<16, 8>, 2>)

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
hws.yield %x : !hws.stream<fixed<16, 8>, 1>
// CHECK: 'hws.yield' expects parent op 'hws.stage', got 'builtin.module'

// -----

%x = "test.op"() : () -> !hws.stream<fixed<16, 8>, 1>
hws.output %x : !hws.stream<fixed<16, 8>, 1>
// CHECK: 'hws.output' expects parent op 'hws.design', got 'builtin.module'
