// concat: joins two maps along the channels (ONNX Concat, axis 1; Inception's and SqueezeNet's
// branches). The streams are channel-fastest, so per pixel the unit copies W0 words from in0, then
// W1 words from in1 (W_i = C_i / L), one word per cycle (II = 1). Both inputs carry the same pixels
// and samples; an N-input concat is a chain of these. Data movement only: no arithmetic.
#ifndef ATHEENA_CONCAT_H
#define ATHEENA_CONCAT_H

#include "types.h"

namespace atheena {

template <class T, int L, int W0, int W1>
void concat(hls::stream<word<T, L> >& in0, hls::stream<word<T, L> >& in1,
            hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  int k = 0;  // position in the pixel's W0 + W1 output words
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 1)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, L> w = k < W0 ? in0.read() : in1.read();
    done = is_end(w);
    if (done && k < W0) in1.read();  // both inputs end together; drop in1's end marker
    out.write(w);
    k = (k + 1 == W0 + W1) ? 0 : k + 1;
  }
}

}  // namespace atheena

#endif  // ATHEENA_CONCAT_H
