// RUN: atheena-opt %s -t 'hls{dir=""}' | filecheck %s

// Logits with 10 fractional bits: the exit decision needs its own exp table (exp_table_f10_p16),
// printed into src/ and passed as the TABLE template argument.
// Two stages, one exit: stages become clusters, buffers show their maps, edges their lanes and depths.
hws.design @wide_frac attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 6, rnd_conv, sat>, 2>):
  %cont, %keep = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 6, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>) {
    %f0, %f1 = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 6, rnd_conv, sat>, 2>
    %q = hws.squeeze %f1 depth 2 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
    %z = hws.linear %q weights(!hws.fixed<16, 6, rnd_conv, sat>) dense<1.250000e-01> : tensor<4x2x1x1xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 1> -> !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
    %z0, %z1 = hws.split %z depth [2, 2] : !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
    %d0, %d1 = hws.exit_decision %z1 classes 2 threshold 0.75 limit 87382 depth [3, 3] : !hws.stream<fixed<16, 6, rnd_conv, sat>, 1> -> !hws.ctrl, !hws.ctrl
    %e = hws.cond_buffer %z0, %d0 forward exit map_words 2 maps 3 depth 3 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
    %c = hws.cond_buffer %f0, %d1 forward continue map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 2>
    hws.yield %c, %e : !hws.stream<fixed<16, 6, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
  }
  %late = hws.stage 1 reach 0.25 -> (!hws.stream<fixed<16, 6, rnd_conv, sat>, 1>) {
    %r = hws.relu %cont depth 2 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 2>
    %y = hws.linear %r weights(!hws.fixed<16, 6, rnd_conv, sat>) dense<1.250000e-01> : tensor<2x2x1x2xf32> acc(!hws.fixed<32, 16>) depth 3 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
    hws.yield %y : !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>
  }
  %out = hws.exit_merge %keep, %late map_words 2 depth 2 : !hws.stream<fixed<16, 6, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 6, rnd_conv, sat>, 1> -> !hws.result<fixed<16, 6, rnd_conv, sat>, 1>
  hws.output %out : !hws.result<fixed<16, 6, rnd_conv, sat>, 1>
}

// CHECK-LABEL: // ----- src/exp_table_f10_p16.h
// CHECK:      struct exp_table_f10_p16_t {
// CHECK-NEXT:   static const int IN_FRAC = 10;
// CHECK-NEXT:   static const int OUT_FRAC = 16;
// CHECK:      const unsigned exp_table_f10_p16_t<UNUSED>::DATA[SIZE] = {
// CHECK:      typedef exp_table_f10_p16_t<> exp_table_f10_p16;
// CHECK-NOT:  typedef exp_table_f10_p16 default_exp_table;
// CHECK-LABEL: // ----- src/wide_frac_top.cpp
// CHECK:      #include "atheena/units.h"
// CHECK-NEXT: #include "exp_table_f10_p16.h"
// CHECK:      ATHEENA_PROCESS(atheena::exit_decision<ap_fixed<16, 6, AP_RND_CONV, AP_SAT>, 1, 2, 2, atheena::exp_table_f10_p16>(z0[1], d0, limit_0))
