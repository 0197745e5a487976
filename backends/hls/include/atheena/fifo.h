// fifo: copies every word (any word type) from in to out, the end marker included. It computes
// nothing: it exists for the depth of its output stream, which holds a residual connection's skip
// path while the main path fills its line buffers (docs/hws.md, "Residual connections").
#ifndef ATHEENA_FIFO_H
#define ATHEENA_FIFO_H

#include "types.h"

namespace atheena {

template <class W>
void fifo(hls::stream<W>& in, hls::stream<W>& out) {
#pragma HLS INLINE OFF
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 1)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    W w = in.read();
    out.write(w);
    done = is_end(w);
  }
}

}  // namespace atheena

#endif  // ATHEENA_FIFO_H
