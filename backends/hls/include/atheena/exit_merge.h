// exit_merge: collects each sample's result (MAP_WORDS words of L lanes) from whichever of the EXITS
// ports has one and forwards it whole as result_words carrying the sample id and the exit index (the
// port). Ports are scanned round-robin; results leave in the order they complete, not in id order.
// It stops after the end marker has arrived on every port (so it needs no sample count: how many
// samples take each exit is only known at run time) and then writes one end marker.
#ifndef ATHEENA_EXIT_MERGE_H
#define ATHEENA_EXIT_MERGE_H

#include "types.h"

namespace atheena {

template <class T, int L, int MAP_WORDS, int EXITS>
void exit_merge(hls::stream<word<T, L> > in[EXITS], hls::stream<result_word<T, L> >& out) {
#pragma HLS INLINE OFF
  bool ended[EXITS];
  for (int e = 0; e < EXITS; e++) ended[e] = false;
  int open = EXITS;
  int e = 0;
  while (open > 0) {
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, L> w;
    if (!ended[e] && in[e].read_nb(w)) {
      if (is_end(w)) {
        ended[e] = true;
        open--;
      } else {
        for (int i = 0; i < MAP_WORDS; i++) {
          ATHEENA_PIPELINE(1, 2)
          if (i > 0) w = in[e].read();
          result_word<T, L> y;
          y.id = w.id;
          y.exit = e;
          for (int l = 0; l < L; l++) y.data[l] = w.data[l];
          out.write(y);
        }
      }
    }
    e = (e + 1 == EXITS) ? 0 : e + 1;
  }
  out.write(end_word<result_word<T, L> >());
}

}  // namespace atheena

#endif  // ATHEENA_EXIT_MERGE_H
