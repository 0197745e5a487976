// bias: y = TOUT(x + b[channel]) on every lane. x + b is exact (ap_fixed addition widens), then one
// quantisation to TOUT (its rounding and overflow modes). WORDS = CH/L words per pixel; word k of a
// pixel takes biases[k][l] for its lane l, i.e. the bias of channel k*L+l.
#ifndef ATHEENA_BIAS_H
#define ATHEENA_BIAS_H

#include "types.h"

namespace atheena {

template <class TIN, class TB, class TOUT, int L, int WORDS>
void bias(hls::stream<word<TIN, L> >& in, const TB biases[WORDS][L],
          hls::stream<word<TOUT, L> >& out) {
#pragma HLS INLINE OFF
#pragma HLS ARRAY_PARTITION variable = biases complete dim = 2
  int k = 0;
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 2)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<TIN, L> w = in.read();
    done = is_end(w);
    word<TOUT, L> y;
    y.id = w.id;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      y.data[l] = TOUT(w.data[l] + biases[k][l]);
    }
    if (done) y = end_word<word<TOUT, L> >();
    out.write(y);
    k = (k + 1 == WORDS) ? 0 : k + 1;
  }
}

}  // namespace atheena

#endif  // ATHEENA_BIAS_H
