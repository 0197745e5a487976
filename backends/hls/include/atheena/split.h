// split: one feature-map stream to PORTS ports (the backbone and the exit branches of an early-exit
// network; ATHEENA's SplitLayer). Every port receives every word, the sample id and the end marker.
#ifndef ATHEENA_SPLIT_H
#define ATHEENA_SPLIT_H

#include "fork.h"
#include "types.h"

namespace atheena {

template <class T, int L, int PORTS>
void split(hls::stream<word<T, L> >& in, hls::stream<word<T, L> > out[PORTS]) {
#pragma HLS INLINE OFF
  fork<word<T, L>, PORTS>(in, out);
}

}  // namespace atheena

#endif  // ATHEENA_SPLIT_H
