// relu: y = max(x, 0) on every lane, word by word (exact: no rounding).
#ifndef ATHEENA_RELU_H
#define ATHEENA_RELU_H

#include "lanewise.h"

namespace atheena {

struct relu_op {
  template <class T>
  static T apply(T x) {
    return x > T(0) ? x : T(0);
  }
};

template <class T, int L>
void relu(hls::stream<word<T, L> >& in, hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  lanewise<T, L, relu_op>(in, out);
}

}  // namespace atheena

#endif  // ATHEENA_RELU_H
