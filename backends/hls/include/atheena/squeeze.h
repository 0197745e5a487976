// squeeze: re-lanes a stream from LIN to LOUT lanes (fpgaConvNet's Squeeze, inserted where the lane
// counts of neighbouring units differ). Values keep their channel-fastest order: it reads lcm(LIN,
// LOUT)/LIN words into a buffer and writes them as lcm/LOUT words, reading and writing in the same
// cycle (one flat II 1 loop over a two-chunk buffer). The channel count of the map must
// be a multiple of both lane counts (so no chunk spans two samples).
#ifndef ATHEENA_SQUEEZE_H
#define ATHEENA_SQUEEZE_H

#include "types.h"

namespace atheena {

template <class T, int LIN, int LOUT>
void squeeze(hls::stream<word<T, LIN> >& in, hls::stream<word<T, LOUT> >& out) {
#pragma HLS INLINE OFF
  const int CHUNK = lcm(LIN, LOUT);
  const int CAP = 2 * CHUNK;  // two chunks: one filling while the other drains
  T buffer[CAP];
#pragma HLS ARRAY_PARTITION variable = buffer complete
  sample_id_t ids[2];  // the sample of each chunk held (a chunk never spans two samples)
#pragma HLS ARRAY_PARTITION variable = ids complete
  int head = 0, count = 0;   // first value held, values held
  int filled = 0;            // values read into the chunk being filled
  ap_uint<1> in_chunk = 0, out_chunk = 0;
  bool in_end = false;
  // One flat loop: per cycle at most one word out and one word in, so a chunk takes
  // max(CHUNK/LIN, CHUNK/LOUT) cycles once the pipeline runs.
  while (!in_end || count > 0) {
    ATHEENA_PIPELINE(1, 2)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    const bool can_write = count >= LOUT;
    const bool can_read = !in_end && count - (can_write ? LOUT : 0) + LIN <= CAP;
    if (can_write) {
      word<T, LOUT> y;
      y.id = ids[out_chunk];
      for (int l = 0; l < LOUT; l++) {
#pragma HLS UNROLL
        int p = head + l;
        y.data[l] = buffer[p >= CAP ? p - CAP : p];
      }
      out.write(y);
      const int before = head % CHUNK;
      head = (head + LOUT >= CAP) ? head + LOUT - CAP : head + LOUT;
      count -= LOUT;
      if (before + LOUT == CHUNK) out_chunk = ~out_chunk;
    }
    if (can_read) {
      word<T, LIN> w = in.read();
      if (is_end(w)) {
        in_end = true;
      } else {
        int tail = head + count;
        for (int l = 0; l < LIN; l++) {
#pragma HLS UNROLL
          int p = tail + l;
          p = p >= CAP ? p - CAP : p;
          p = p >= CAP ? p - CAP : p;
          buffer[p] = w.data[l];
        }
        if (filled == 0) ids[in_chunk] = w.id;
        count += LIN;
        filled += LIN;
        if (filled == CHUNK) {
          filled = 0;
          in_chunk = ~in_chunk;
        }
      }
    }
  }
  out.write(end_word<word<T, LOUT> >());
}

}  // namespace atheena

#endif  // ATHEENA_SQUEEZE_H
