// conv: one of a convolution layer's coarse_out multiply-accumulate units (fpgaConvNet's Conv).
// For every window word (output pixel p, channel group g: windows arrive in (p, g) order) and every
// one of its FILT filters j, it writes one word of L partial sums, lane l being
//     sum_{kh,kw} window[kh][kw][l] * weights[j][g][kh*KW+kw][l]      (in TACC)
// i.e. the contribution of input channel g*L+l to filter j of this unit. Output order: (p, g, j).
// FINE multipliers per lane work in parallel: KH*KW/FINE cycles per (window, filter), FINE in
// {1, KW, KH*KW}. Products are exact in TACC by default; sums wrap, so the order never matters.
// One flat pipelined loop (II 1): FILT*STEPS cycles per window, with no per-window fill or drain.
// The layer composition is sliding_window -> fork<coarse_out> -> conv x coarse_out -> accum -> glue.
#ifndef ATHEENA_CONV_H
#define ATHEENA_CONV_H

#include "mac.h"
#include "types.h"

namespace atheena {

template <class T, class TW, class TACC, int L, int KH, int KW, int G, int FILT, int FINE>
void conv(hls::stream<window<T, L, KH, KW> >& in, const TW weights[FILT][G][KH * KW][L],
          hls::stream<word<TACC, L> >& out) {
#pragma HLS INLINE OFF
  static_assert((KH * KW) % FINE == 0, "conv: fine must divide the kernel size");
#pragma HLS ARRAY_PARTITION variable = weights cyclic factor = FINE dim = 3
#pragma HLS ARRAY_PARTITION variable = weights complete dim = 4
  const int STEPS = KH * KW / FINE;
  window<T, L, KH, KW> w;
  TACC acc[L];
#pragma HLS ARRAY_PARTITION variable = acc complete
  int g = 0, j = 0, s = 0;  // channel group, filter, step of the window in progress
  bool done = false;
  // One flat loop: one (window, filter, step) per cycle, a new window read every FILT*STEPS cycles,
  // so no pipeline fill or drain per window.
  while (!done) {
    ATHEENA_PIPELINE(1, 3 + clog2(FINE))
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    if (j == 0 && s == 0) {
      w = in.read();
      done = is_end(w);
    }
    if (!done) {
      for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
        TACC sum = (s == 0) ? TACC(0) : acc[l];
        for (int u = 0; u < FINE; u++) {
#pragma HLS UNROLL
          const int k = s * FINE + u;
          mac(sum, w.data[k / KW][k % KW][l], weights[j][g][k][l]);
        }
        acc[l] = sum;
      }
      if (s == STEPS - 1) {
        word<TACC, L> y;
        y.id = w.id;
        for (int l = 0; l < L; l++) y.data[l] = acc[l];
        out.write(y);
      }
      if (s + 1 < STEPS) {
        s++;
      } else if (j + 1 < FILT) {
        s = 0;
        j++;
      } else {
        s = 0;
        j = 0;
        g = (g + 1 == G) ? 0 : g + 1;
      }
    }
  }
  out.write(end_word<word<TACC, L> >());
}

}  // namespace atheena

#endif  // ATHEENA_CONV_H
