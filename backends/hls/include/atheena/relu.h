// relu: y = max(x, 0) on every lane, word by word (exact: no rounding).
#ifndef ATHEENA_RELU_H
#define ATHEENA_RELU_H

#include "types.h"

namespace atheena {

template <class T, int L>
void relu(hls::stream<word<T, L> >& in, hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  bool done = false;
  while (!done) {
#pragma HLS PIPELINE II = 1
    word<T, L> w = in.read();
    word<T, L> y;
    y.id = w.id;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      y.data[l] = w.data[l] > T(0) ? w.data[l] : T(0);
    }
    out.write(y);
    done = is_end(w);
  }
}

}  // namespace atheena

#endif  // ATHEENA_RELU_H
