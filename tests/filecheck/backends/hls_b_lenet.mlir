// The B-LeNet example from ONNX through the whole pipeline to the HLS project's sources.
// RUN: python -c "from atheena_ir import models; import onnx; onnx.save(models.b_lenet(), '%t.onnx')"
// RUN: atheena-opt %t.onnx -p 'canonicalize,split-exits{exit-probs=0.75},fold{coarse=2 fine=max},lower-to-hws' -t 'hls{dir=""}' | filecheck %s

// CHECK-LABEL: // ----- src/main_top.cpp
// The AXI-stream ports have names legal in Verilog and VHDL (`input` is a keyword of both).
// CHECK: void main_top(hls::stream<main_top_in0_axis>& input_axis, hls::stream<main_top_out0_axis>& exit_merge_out_axis, ap_uint<32> limit_0) {
// CHECK-NEXT: #pragma HLS INTERFACE axis port=input_axis
// CHECK-NEXT: #pragma HLS INTERFACE axis port=exit_merge_out_axis
// CHECK: #pragma HLS DATAFLOW
// CHECK: hls::stream<atheena::ctrl_word> Greater_11_ctrl[2];
// CHECK-NEXT: #pragma HLS STREAM variable=Greater_11_ctrl depth=32
// CHECK: ATHEENA_DATAFLOW_BEGIN
// CHECK-NEXT: ATHEENA_PROCESS(atheena::axis_in(input_axis, input))
// CHECK-NEXT: // stage 0 (reach 1)
// CHECK-NEXT: ATHEENA_PROCESS(atheena::sliding_window<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 28, 28, 1, 5, 5, 1, 1, 4, 4, 4, 4>(input, Conv_0_sw))
// CHECK: ATHEENA_PROCESS(atheena::exit_decision<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 10, 2>(Gemm_7_bias_split[1], Greater_11_ctrl, limit_0))
// CHECK-NEXT: ATHEENA_PROCESS(atheena::cond_buffer<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 1, 1280, 4, false>(Relu_2_relu_split[0], Greater_11_ctrl[0], cond_buffer_continue))
// CHECK-NEXT: ATHEENA_PROCESS(atheena::cond_buffer<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 5, 4, true>(Gemm_7_bias_split[0], Greater_11_ctrl[1], exit_merge_out_in[0]))
// CHECK-NEXT: // stage 1 (reach 0.25)
// CHECK: ATHEENA_PROCESS(atheena::exit_merge<ap_fixed<16, 8, AP_RND_CONV, AP_SAT>, 2, 5, 2>(exit_merge_out_in, exit_merge_out))
// CHECK-NEXT: ATHEENA_PROCESS(atheena::axis_out(exit_merge_out, exit_merge_out_axis))
// CHECK-NEXT: ATHEENA_DATAFLOW_END

// CHECK-LABEL: // ----- src/main_top.h
// CHECK: const int MAIN_TOP_IN0_WORDS = 784;
// CHECK: const int MAIN_TOP_OUT0_WORDS = 5;
// CHECK: const unsigned MAIN_TOP_LIMIT_0 = 65800u;  // threshold 0.996

// CHECK-LABEL: // ----- src/main_top_weights.h
// CHECK: static const ap_fixed<16, 8, AP_RND_CONV, AP_SAT> Conv_0_conv0_w[5][1][25][1] =
// CHECK: static const ap_fixed<16, 8, AP_RND_CONV, AP_SAT> Gemm_22_linear_w[360][5][2][2] =
