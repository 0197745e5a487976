// pool: max or average over each KH x KW window of the sliding window (fpgaConvNet's Pool), word by
// word, L lanes. MODE = POOL_MAX: the largest value (exact). MODE = POOL_AVG: the exact sum s of the
// KH*KW values times R / 2^16 with R = round(2^16 / (KH*KW)) (an integer; exact for powers of two),
// quantised once to T:  y = T(s * R * 2^-16). Padded positions count as zeros (count_include_pad).
#ifndef ATHEENA_POOL_H
#define ATHEENA_POOL_H

#include "types.h"

namespace atheena {

enum { POOL_MAX = 0, POOL_AVG = 1 };

template <class T, int L, int KH, int KW, int MODE>
void pool(hls::stream<window<T, L, KH, KW> >& in, hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  const int N = KH * KW;
  static_assert(N <= 256, "pool: at most 256 values per window");
  typedef ap_fixed<T::width + 8, T::iwidth + 8> sum_t;
  const unsigned RECIP = ((1u << 17) + N) / (2 * N);  // round(2^16 / N), ties cannot occur
  ap_ufixed<17, 1> recip;
  recip.range(16, 0) = RECIP;
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 2 + clog2(KH * KW))
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    window<T, L, KH, KW> w = in.read();
    done = is_end(w);
    word<T, L> y;
    y.id = w.id;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      T best = w.data[0][0][l];
      sum_t sum = 0;
      for (int kh = 0; kh < KH; kh++) {
        for (int kw = 0; kw < KW; kw++) {
          T v = w.data[kh][kw][l];
          best = v > best ? v : best;
          sum += v;
        }
      }
      y.data[l] = (MODE == POOL_MAX) ? best : T(sum * recip);
    }
    if (done) y = end_word<word<T, L> >();
    out.write(y);
  }
}

}  // namespace atheena

#endif  // ATHEENA_POOL_H
