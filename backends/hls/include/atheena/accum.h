// accum: sums a conv unit's partial sums over the G channel groups of an output pixel (fpgaConvNet's
// Accum). Input words arrive in (pixel, g, j) order, j < FILT; for each (pixel, j) it writes one word
// whose lane l is sum_g in[pixel, g, j][l] (in TACC, wrapping).
#ifndef ATHEENA_ACCUM_H
#define ATHEENA_ACCUM_H

#include "types.h"

namespace atheena {

template <class TACC, int L, int G, int FILT>
void accum(hls::stream<word<TACC, L> >& in, hls::stream<word<TACC, L> >& out) {
#pragma HLS INLINE OFF
  TACC acc[FILT][L];
#pragma HLS ARRAY_PARTITION variable = acc complete dim = 2
  int g = 0;
  int j = 0;
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 2)
    // acc[j] is read and written again FILT iterations later: no dependence between neighbours.
#pragma HLS DEPENDENCE variable = acc inter RAW distance = FILT true
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<TACC, L> w = in.read();
    done = is_end(w);
    if (done) {
      out.write(w);
    } else {
      word<TACC, L> y;
      y.id = w.id;
      for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
        TACC sum = (g == 0) ? w.data[l] : TACC(acc[j][l] + w.data[l]);
        acc[j][l] = sum;
        y.data[l] = sum;
      }
      if (g == G - 1) out.write(y);
      if (j + 1 == FILT) {
        j = 0;
        g = (g + 1 == G) ? 0 : g + 1;
      } else {
        j++;
      }
    }
  }
}

}  // namespace atheena

#endif  // ATHEENA_ACCUM_H
