// RUN: atheena-opt %s -t 'hls{dir=""}' | filecheck %s
// Same input, same bytes; and a project folder written whole:
// RUN: atheena-opt %s -t 'hls{dir=""}' > %t.a && atheena-opt %s -t 'hls{dir=""}' > %t.b && diff %t.a %t.b
// RUN: rm -rf %t.prj && atheena-opt %s -t 'hls{dir="%t.prj" platform=zcu102}' | filecheck %s --check-prefix=SUMMARY
// RUN: test -f %t.prj/include/atheena/units.h && test -f %t.prj/include/sim/hls_stream.h && grep -q "part {xczu9eg" %t.prj/run_hls.tcl

// The early-exit units: split (an array of streams), squeeze, linear with its weights, exit
// decision (limit from an s_axilite argument), conditional buffers in both modes, relu, exit merge.
// Two stages, one exit: stages become clusters, buffers show their maps, edges their lanes and depths.
hws.design @early_exit attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
  %cont, %keep = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
    %f0, %f1 = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    %q = hws.squeeze %f1 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %z = hws.linear %q weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<4x2x1x1xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %z0, %z1 = hws.split %z depth [2, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %d0, %d1 = hws.exit_decision %z1 classes 2 threshold 0.75 limit 87382 depth [3, 3] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.ctrl, !hws.ctrl
    %e = hws.cond_buffer %z0, %d0 forward exit map_words 2 maps 3 depth 3 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %c = hws.cond_buffer %f0, %d1 forward continue map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    hws.yield %c, %e : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
  }
  %late = hws.stage 1 reach 0.25 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
    %r = hws.relu %cont depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    %y = hws.linear %r weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<2x2x1x2xf32> acc(!hws.fixed<32, 16>) depth 3 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    hws.yield %y : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
  }
  %out = hws.exit_merge %keep, %late map_words 2 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
  hws.output %out : !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
}

// SUMMARY: HLS project written to {{.*}}.prj (top early_exit_top):
// SUMMARY: src/early_exit_top.cpp
// SUMMARY: C simulation: atheena-csim

// CHECK-LABEL: // ----- run_hls.tcl
// CHECK: set_top {early_exit_top}
// CHECK: set_part {xc7z045ffg900-2}
// CHECK: create_clock -period 8.000 -name default
// CHECK: csim_design
// CHECK: csynth_design
// CHECK: cosim_design
// CHECK: export_design -format ip_catalog

// CHECK-LABEL: // ----- src/early_exit_top.cpp
// CHECK: #include "atheena/units.h"
// CHECK: #include "early_exit_top_weights.h"
// CHECK: void early_exit_top(hls::stream<early_exit_top_in0_axis>& x_axis, hls::stream<early_exit_top_out0_axis>& out_axis, ap_uint<32> limit_0) {
// CHECK-NEXT: #pragma HLS INTERFACE axis port=x_axis
// CHECK-NEXT: #pragma HLS INTERFACE axis port=out_axis
// CHECK-NEXT: #pragma HLS INTERFACE s_axilite port=limit_0
// CHECK-NEXT: #pragma HLS INTERFACE s_axilite port=return
// CHECK-NEXT: #pragma HLS DATAFLOW
// CHECK-NEXT:   hls::stream<atheena::word<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2>> x("x");
// CHECK-NEXT: #pragma HLS STREAM variable=x depth=2
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(x, 2);
// CHECK-NEXT:   hls::stream<atheena::word<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2>> f0[2];
// CHECK-NEXT: #pragma HLS STREAM variable=f0 depth=2
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(f0, 2);
// CHECK:        hls::stream<atheena::ctrl_word> d0[2];
// CHECK-NEXT: #pragma HLS STREAM variable=d0 depth=3
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(d0, 3);
// CHECK-NEXT:   hls::stream<atheena::word<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1>> out_in[2];
// CHECK-NEXT: #pragma HLS STREAM variable=out_in depth=3
// CHECK:        hls::stream<atheena::word<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1>> q("q");
// CHECK-NEXT: #pragma HLS STREAM variable=q depth=2
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(q, 2);
// CHECK:        ATHEENA_DATAFLOW_BEGIN
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::axis_in(x_axis, x))
// CHECK-NEXT:   // stage 0 (reach 1)
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::split<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 2>(x, f0))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::squeeze<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 1>(f0[1], q))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::linear<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<32, 16>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 1, 4, 2>(q, z_w, z))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::split<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 2>(z, z0))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::exit_decision<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 2, 2>(z0[1], d0, limit_0))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::cond_buffer<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 2, 3, true>(z0[0], d0[0], out_in[0]))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::cond_buffer<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 2, 3, false>(f0[0], d0[1], c))
// CHECK-NEXT:   // stage 1 (reach 0.25)
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::relu<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2>(c, r))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::linear<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<32, 16>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 1, 2, 2>(r, y_w, out_in[1]))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::exit_merge<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 2, 2>(out_in, out))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::axis_out(out, out_axis))
// CHECK-NEXT:   ATHEENA_DATAFLOW_END
// CHECK-NEXT: }

// CHECK-LABEL: // ----- src/early_exit_top.h
// CHECK: typedef atheena::word<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2> early_exit_top_in0_word;
// CHECK-NEXT: typedef atheena::axis_traits<early_exit_top_in0_word>::beat early_exit_top_in0_axis;
// CHECK: const int EARLY_EXIT_TOP_IN0_WORDS = 2;
// CHECK: const int EARLY_EXIT_TOP_OUT0_WORDS = 2;
// CHECK: const unsigned EARLY_EXIT_TOP_LIMIT_0 = 87382u;  // threshold 0.75

// CHECK-LABEL: // ----- src/early_exit_top_weights.h
// CHECK:      // hws.linear -> z: ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, layout 4x2x1x1
// CHECK-NEXT: #if defined(__SYNTHESIS__) || defined(ATHEENA_LITERAL_WEIGHTS)
// CHECK-NEXT: static const ap_fixed<16, 8, AP_RND_CONV, AP_SAT> z_w[4][2][1][1] = {{\{\{\{\{}}0.125}},
// CHECK:      static const long long z_w_raw[8] = {32, 32, 32, 32, 32, 32, 32, 32};
// CHECK-NEXT: static ap_fixed<16, 8, AP_RND_CONV, AP_SAT> z_w[4][2][1][1];

// CHECK-LABEL: // ----- tb/early_exit_top_tb.cpp
// CHECK: r.exit = (int)w.exit;
// CHECK: ATHEENA_PROCESS(source(in_axis, samples))
// CHECK-NEXT: ATHEENA_PROCESS(early_exit_top(in_axis, out_axis, limit_0))
// CHECK-NEXT: ATHEENA_PROCESS(sink(out_axis, got, bad_last))
