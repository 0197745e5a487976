// squeeze: re-lanes a stream from LIN to LOUT lanes (fpgaConvNet's Squeeze, inserted where the lane
// counts of neighbouring units differ). Values keep their channel-fastest order: it reads lcm(LIN,
// LOUT)/LIN words into a buffer and writes them as lcm/LOUT words. The channel count of the map must
// be a multiple of both lane counts (so no chunk spans two samples).
#ifndef ATHEENA_SQUEEZE_H
#define ATHEENA_SQUEEZE_H

#include "types.h"

namespace atheena {

template <class T, int LIN, int LOUT>
void squeeze(hls::stream<word<T, LIN> >& in, hls::stream<word<T, LOUT> >& out) {
#pragma HLS INLINE OFF
  const int CHUNK = lcm(LIN, LOUT);
  T buffer[CHUNK];
#pragma HLS ARRAY_PARTITION variable = buffer complete
  for (;;) {
    word<T, LIN> w = in.read();
    if (is_end(w)) break;
    for (int i = 0; i < CHUNK / LIN; i++) {
#pragma HLS PIPELINE II = 1
      if (i > 0) w = in.read();
      for (int l = 0; l < LIN; l++) {
#pragma HLS UNROLL
        buffer[i * LIN + l] = w.data[l];
      }
    }
    for (int o = 0; o < CHUNK / LOUT; o++) {
#pragma HLS PIPELINE II = 1
      word<T, LOUT> y;
      y.id = w.id;
      for (int l = 0; l < LOUT; l++) {
#pragma HLS UNROLL
        y.data[l] = buffer[o * LOUT + l];
      }
      out.write(y);
    }
  }
  out.write(end_word<word<T, LOUT> >());
}

}  // namespace atheena

#endif  // ATHEENA_SQUEEZE_H
