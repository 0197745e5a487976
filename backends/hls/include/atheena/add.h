// add: y = T(a + b) on every lane, word by word (II = 1): the sum of a residual connection's two
// streams (the main path and the skip path), which carry the same map in the same order. a + b is
// exact (ap_fixed addition widens by one bit), then one assignment to T: only its overflow mode
// acts (the sum has T's fractional bits). Mirrored by atheena_ir.numerics.fixed_point.add.
#ifndef ATHEENA_ADD_H
#define ATHEENA_ADD_H

#include "types.h"

namespace atheena {

template <class T, int L>
void add(hls::stream<word<T, L> >& a, hls::stream<word<T, L> >& b, hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  bool done = false;
  while (!done) {
    ATHEENA_PIPELINE(1, 2)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, L> x = a.read();
    word<T, L> y = b.read();
    done = is_end(x);
    word<T, L> s;
    s.id = x.id;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      s.data[l] = T(x.data[l] + y.data[l]);
    }
    if (done) s = end_word<word<T, L> >();
    out.write(s);
  }
}

}  // namespace atheena

#endif  // ATHEENA_ADD_H
