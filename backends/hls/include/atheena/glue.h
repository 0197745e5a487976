// glue: joins a convolution layer's CO conv/accum units into one output stream (fpgaConvNet's Glue).
// Unit o delivers, per output pixel and filter j, CI lane partial sums; the output word j of the
// pixel carries filters j*CO .. j*CO+CO-1:  out.data[o] = TOUT(sum_l in[o].data[l])  (sum in TACC,
// wrapping; one quantisation to TOUT: pass TACC to keep full precision for a following bias).
#ifndef ATHEENA_GLUE_H
#define ATHEENA_GLUE_H

#include "types.h"

namespace atheena {

template <class TACC, class TOUT, int CI, int CO>
void glue(hls::stream<word<TACC, CI> > in[CO], hls::stream<word<TOUT, CO> >& out) {
#pragma HLS INLINE OFF
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 2 + clog2(CI))
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<TOUT, CO> y;
    for (int o = 0; o < CO; o++) {
#pragma HLS UNROLL
      word<TACC, CI> w = in[o].read();
      TACC sum = 0;
      for (int l = 0; l < CI; l++) {
#pragma HLS UNROLL
        sum += w.data[l];
      }
      y.id = w.id;
      y.data[o] = TOUT(sum);
      done = is_end(w);
    }
    if (done) y = end_word<word<TOUT, CO> >();
    out.write(y);
  }
}

}  // namespace atheena

#endif  // ATHEENA_GLUE_H
