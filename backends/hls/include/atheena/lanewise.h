// lanewise: the loop every activation unit shares. Per word: read it, apply F to every lane
// (unrolled), write the result with the word's sample id, and stop after the end-of-batch word;
// one word per cycle (II = 1). F is a struct with `template <class T> static T apply(T x)`, the
// activation's arithmetic on one value; the unit (relu.h, hardswish.h) wraps this loop.
#ifndef ATHEENA_LANEWISE_H
#define ATHEENA_LANEWISE_H

#include "types.h"

namespace atheena {

template <class T, int L, class F>
void lanewise(hls::stream<word<T, L> >& in, hls::stream<word<T, L> >& out) {
#pragma HLS INLINE
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 2)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, L> w = in.read();
    word<T, L> y;
    y.id = w.id;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      y.data[l] = F::template apply<T>(w.data[l]);
    }
    out.write(y);
    done = is_end(w);
  }
}

}  // namespace atheena

#endif  // ATHEENA_LANEWISE_H
