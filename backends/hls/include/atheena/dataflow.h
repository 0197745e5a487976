// atheena-ir dataflow helper: one macro set that is a `#pragma HLS DATAFLOW` region for Vitis HLS and
// runs every process as a coroutine of the project's timed C simulation (sim/atheena_sim_runtime.h).
//
//   void top(hls::stream<w_t>& in, hls::stream<w_t>& out) {
//   #pragma HLS DATAFLOW
//     hls::stream<w_t> mid("mid");
//   #pragma HLS STREAM variable=mid depth=4
//     ATHEENA_STREAM_DEPTH(mid, 4);                 // the pragma's depth, for C simulation
//     ATHEENA_DATAFLOW_BEGIN
//     ATHEENA_PROCESS(atheena::relu<atheena::data_t, 2>(in, mid))
//     ATHEENA_PROCESS(atheena::relu<atheena::data_t, 2>(mid, out))
//     ATHEENA_DATAFLOW_END
//   }
//
// ATHEENA_PROCESS_EACH(i, N, call using i) starts N processes, one per value of i (for arrays of
// units such as a layer's coarse_out conv units); for synthesis a printer should unroll them.
// Under __SYNTHESIS__ (and with any other hls_stream.h) the processes are plain calls in order and
// ATHEENA_STREAM_DEPTH does nothing. With atheena's sim/hls_stream.h, BEGIN opens a scope holding a
// dataflow region, each PROCESS starts a process named after the call text (deadlock and timing
// reports name it), and END runs them all to completion. Nested regions (a layer that is itself a dataflow region) work the same way.
#ifndef ATHEENA_DATAFLOW_H
#define ATHEENA_DATAFLOW_H

#include <hls_stream.h>

#if !defined(__SYNTHESIS__) && defined(ATHEENA_SIM_STREAM)
#define ATHEENA_DATAFLOW_BEGIN {::atheena::sim::dataflow_region atheena_dataflow_region_;
#define ATHEENA_PROCESS(...) atheena_dataflow_region_.spawn(#__VA_ARGS__, [&]() { __VA_ARGS__; });
#define ATHEENA_PROCESS_EACH(i, n, ...)                                                        \
  for (int i = 0; i < (n); i++)                                                                 \
    atheena_dataflow_region_.spawn(std::string(#__VA_ARGS__) + " [" #i "=" + std::to_string(i) + "]", \
                                   [&, i]() { __VA_ARGS__; });
#define ATHEENA_DATAFLOW_END \
  atheena_dataflow_region_.join(); \
  }
#define ATHEENA_STREAM_DEPTH(var, depth) ::atheena::sim::configure_stream(var, #var, depth)
#else
#define ATHEENA_DATAFLOW_BEGIN
#define ATHEENA_PROCESS(...) __VA_ARGS__;
#define ATHEENA_PROCESS_EACH(i, n, ...) \
  for (int i = 0; i < (n); i++) {       \
    __VA_ARGS__;                        \
  }
#define ATHEENA_DATAFLOW_END
#define ATHEENA_STREAM_DEPTH(var, depth) ((void)0)
#endif

#endif  // ATHEENA_DATAFLOW_H
