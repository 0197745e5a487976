// linear: the inner-product (Gemm) unit. Input: N_IN words of CI lanes per sample (a feature map
// streamed channel-fastest: word i, lane l is stream value i*CI+l). Output: FILT words of CO lanes per
// sample, word j lane o being output feature f = j*CO+o:
//     out[j].data[o] = TOUT(sum_{i,l} x[i].data[l] * weights[i][j][o][l])    (sum in TACC, wrapping)
// CO*CI multipliers work in parallel, FILT cycles per input word. The weights are in stream order;
// the compiler permutes an ONNX Gemm's columns from (c, h, w) to (h, w, c) (see docs/hls_units.md).
#ifndef ATHEENA_LINEAR_H
#define ATHEENA_LINEAR_H

#include "mac.h"
#include "types.h"

namespace atheena {

template <class T, class TW, class TACC, class TOUT, int CI, int CO, int N_IN, int FILT>
void linear(hls::stream<word<T, CI> >& in, const TW weights[N_IN][FILT][CO][CI],
            hls::stream<word<TOUT, CO> >& out) {
#pragma HLS INLINE OFF
#pragma HLS ARRAY_PARTITION variable = weights complete dim = 3
#pragma HLS ARRAY_PARTITION variable = weights complete dim = 4
  TACC acc[FILT][CO];
#pragma HLS ARRAY_PARTITION variable = acc complete dim = 2
  for (;;) {
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, CI> x = in.read();
    if (is_end(x)) break;
    const sample_id_t id = x.id;
    for (int i = 0; i < N_IN; i++) {
      for (int j = 0; j < FILT; j++) {
        ATHEENA_PIPELINE(1, 3 + clog2(CI))
        if (j == 0 && i > 0) x = in.read();
        for (int o = 0; o < CO; o++) {
#pragma HLS UNROLL
          TACC sum = (i == 0) ? TACC(0) : acc[j][o];
          for (int l = 0; l < CI; l++) {
#pragma HLS UNROLL
            mac(sum, x.data[l], weights[i][j][o][l]);
          }
          acc[j][o] = sum;
        }
      }
    }
    for (int j = 0; j < FILT; j++) {
      ATHEENA_PIPELINE(1, 2)
      word<TOUT, CO> y;
      y.id = id;
      for (int o = 0; o < CO; o++) y.data[o] = TOUT(acc[j][o]);
      out.write(y);
    }
  }
  out.write(end_word<word<TOUT, CO> >());
}

}  // namespace atheena

#endif  // ATHEENA_LINEAR_H
