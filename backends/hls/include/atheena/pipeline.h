// atheena-ir pipelined loops: one macro that is `#pragma HLS PIPELINE II=<ii>` for Vitis HLS and the
// clock of the timed C simulation.
//
//   for (int i = 0; i < N; i++) {
//     ATHEENA_PIPELINE(1, 4)       // first statement of the loop body: II 1, pipeline depth 4
//     ...
//   }
//
// Under __SYNTHESIS__ (and with any hls_stream.h other than the project's sim/hls_stream.h) it is only
// the pragma. In the project's C simulation every iteration advances the process's clock by II, and
// leaving the loop costs depth - II (the pipeline drains), so a loop entered once per item shows its fill
// and drain in the simulated cycles (atheena_sim_runtime.h). Consecutive iterations of the same loop
// with no stream access outside it in between count as one pass, as Vitis flattens a perfect nest
// around a pipelined loop. `depth` is the unit's estimate of the pipeline's depth (Vitis reports the
// real one); it only matters for loops entered often.
#ifndef ATHEENA_PIPELINE_H
#define ATHEENA_PIPELINE_H

#include <hls_stream.h>

#define ATHEENA_PRAGMA(text) _Pragma(#text)

#if !defined(__SYNTHESIS__) && defined(ATHEENA_SIM_STREAM)
#define ATHEENA_PIPELINE(ii_, depth_)                 \
  ATHEENA_PRAGMA(HLS PIPELINE II = ii_)               \
  static const char atheena_loop_site_ = 0;           \
  ::atheena::sim::iteration atheena_iteration_(&atheena_loop_site_, (ii_), (depth_));
#else
#define ATHEENA_PIPELINE(ii_, depth_) ATHEENA_PRAGMA(HLS PIPELINE II = ii_)
#endif

#endif  // ATHEENA_PIPELINE_H
