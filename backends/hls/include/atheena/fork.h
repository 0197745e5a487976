// fork: copies every word of one stream to N streams (fpgaConvNet's Fork: a conv layer's windows to
// its coarse_out conv units). Works on any word type; forwards the end marker to all outputs.
#ifndef ATHEENA_FORK_H
#define ATHEENA_FORK_H

#include "types.h"

namespace atheena {

template <class W, int N>
void fork(hls::stream<W>& in, hls::stream<W> out[N]) {
#pragma HLS INLINE OFF
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 1)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    W w = in.read();
    for (int n = 0; n < N; n++) {
#pragma HLS UNROLL
      out[n].write(w);
    }
    done = is_end(w);
  }
}

}  // namespace atheena

#endif  // ATHEENA_FORK_H
