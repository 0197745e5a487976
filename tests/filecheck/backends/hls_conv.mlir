// RUN: atheena-opt %s -t 'hls{dir=""}' | filecheck %s

// A convolution layer (sliding window, fork to two conv units with different fine, accums, glue,
// bias) and an average pool; no exits, so no limit argument and ap_ctrl_none; the output is a
// plain word stream that the testbench prints as exit 0.
hws.design @conv_layer attributes {port_maps = [array<i64: 4, 4, 2>, array<i64: 2, 2, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>):
  %sw = hws.sliding_window %x map [4, 4, 2] strides [1, 1] pads [1, 1, 1, 1] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
  %f0, %f1 = hws.fork %sw depth [2, 3] : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3>
  %c0 = hws.conv %f0 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<0.5> : tensor<1x2x9x1xf32> fine 9 depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
  %a0 = hws.accum %c0 groups 2 filters 1 depth 2 : !hws.stream<fixed<32, 16>, 1>
  %c1 = hws.conv %f1 weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<-0.25> : tensor<1x2x9x1xf32> fine 3 depth 2 : !hws.window<fixed<16, 8, rnd_conv, sat>, 1, 3, 3> -> !hws.stream<fixed<32, 16>, 1>
  %a1 = hws.accum %c1 groups 2 filters 1 depth 2 : !hws.stream<fixed<32, 16>, 1>
  %g = hws.glue %a0, %a1 depth 2 : !hws.stream<fixed<32, 16>, 1>, !hws.stream<fixed<32, 16>, 1> -> !hws.stream<fixed<32, 16>, 2>
  %b = hws.bias %g biases(!hws.fixed<16, 8, rnd_conv, sat>) dense<[[0.75, -0.001]]> : tensor<1x2xf32> depth 2 : !hws.stream<fixed<32, 16>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  %pw = hws.sliding_window %b map [4, 4, 2] strides [2, 2] pads [0, 0, 0, 0] depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 2, 2>
  %p = hws.pool %pw avg depth 4 : !hws.window<fixed<16, 8, rnd_conv, sat>, 2, 2, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  hws.output %p : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
}

// CHECK-LABEL: // ----- src/conv_layer_top.cpp
// CHECK: void conv_layer_top(hls::stream<conv_layer_top_in0_axis>& x_axis, hls::stream<conv_layer_top_out0_axis>& p_axis) {
// CHECK-NEXT: #pragma HLS INTERFACE axis port=x_axis
// CHECK-NEXT: #pragma HLS INTERFACE axis port=p_axis
// CHECK-NEXT: #pragma HLS INTERFACE ap_ctrl_none port=return
// CHECK-NEXT: #pragma HLS DATAFLOW
// CHECK-NEXT:   hls::stream<atheena::word<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1>> x("x");
// CHECK-NEXT: #pragma HLS STREAM variable=x depth=2
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(x, 2);
// The fork's array takes the larger of its two depths.
// CHECK-NEXT:   hls::stream<atheena::window<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 3, 3>> f0[2];
// CHECK-NEXT: #pragma HLS STREAM variable=f0 depth=3
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(f0, 3);
// CHECK-NEXT:   hls::stream<atheena::word<ap_fixed<32, 16>, 1>> g_in[2];
// CHECK-NEXT: #pragma HLS STREAM variable=g_in depth=2
// CHECK:        hls::stream<atheena::window<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 2, 2>> pw("pw");
// CHECK-NEXT: #pragma HLS STREAM variable=pw depth=2
// CHECK-NEXT:   ATHEENA_STREAM_DEPTH(pw, 2);
// CHECK-NEXT:   ATHEENA_DATAFLOW_BEGIN
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::axis_in(x_axis, x))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::sliding_window<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 4, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1>(x, sw))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::fork<atheena::window<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 3, 3>, 2>(sw, f0))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::conv<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<32, 16>, 1, 3, 3, 2, 1, 9>(f0[0], c0_w, c0))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::accum<ap_fixed<32, 16>, 1, 2, 1>(c0, g_in[0]))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::conv<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<32, 16>, 1, 3, 3, 2, 1, 3>(f0[1], c1_w, c1))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::accum<ap_fixed<32, 16>, 1, 2, 1>(c1, g_in[1]))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::glue<ap_fixed<32, 16>, ap_fixed<32, 16>, 1, 2>(g_in, g))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::bias<ap_fixed<32, 16>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 1>(g, b_b, b))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::sliding_window<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 4, 4, 2, 2, 2, 2, 2, 0, 0, 0, 0>(b, pw))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::pool<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 2, 2, atheena::POOL_AVG>(pw, p))
// CHECK-NEXT:   ATHEENA_PROCESS(atheena::axis_out(p, p_axis))
// CHECK-NEXT:   ATHEENA_DATAFLOW_END
// CHECK-NEXT: }

// CHECK-LABEL: // ----- src/conv_layer_top.h
// CHECK: const int CONV_LAYER_TOP_IN0_WORDS = 32;
// CHECK: const int CONV_LAYER_TOP_OUT0_WORDS = 4;
// CHECK-NOT: LIMIT
// CHECK: void conv_layer_top(

// Weights: the literal array for synthesis, raw integers (value * 2^8) for C simulation.
// CHECK-LABEL: // ----- src/conv_layer_top_weights.h
// CHECK:      // hws.conv -> c0: ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, layout 1x2x9x1
// CHECK-NEXT: #if defined(__SYNTHESIS__) || defined(ATHEENA_LITERAL_WEIGHTS)
// CHECK-NEXT: static const ap_fixed<16, 8, AP_RND_CONV, AP_SAT> c0_w[1][2][9][1] = {{\{\{\{\{}}0.5},
// CHECK:      static const long long c0_w_raw[18] = {128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
// CHECK:      static const bool c0_w_loaded = atheena_load_raw(reinterpret_cast<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>*>(c0_w), c0_w_raw, 18);
// CHECK:      static const long long c1_w_raw[18] = {-64, -64,
// CHECK:      // hws.bias -> b: ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, layout 1x2
// CHECK-NEXT: #if defined(__SYNTHESIS__) || defined(ATHEENA_LITERAL_WEIGHTS)
// CHECK-NEXT: static const ap_fixed<16, 8, AP_RND_CONV, AP_SAT> b_b[1][2] = {{\{\{}}0.75, 0}};
// CHECK:      static const long long b_b_raw[2] = {192, 0};

// CHECK-LABEL: // ----- tb/conv_layer_top_tb.cpp
// CHECK: ATHEENA_PROCESS(source(in_axis, samples))
// CHECK-NEXT: ATHEENA_PROCESS(conv_layer_top(in_axis, out_axis))
// CHECK-NEXT: ATHEENA_PROCESS(sink(out_axis, got, bad_last))
