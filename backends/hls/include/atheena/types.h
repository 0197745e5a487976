// atheena-ir HLS unit library: the stream word formats and the default fixed-point types.
//
// Stream format. Every stream carries one sample's tensor as a sequence of words; each word holds
// `L` lanes of one pixel's channels plus the sample id:
//     template <class T, int L> struct word { sample_id_t id; T data[L]; };
// Layout: an NCHW tensor of one sample is streamed channel-fastest, in (row, col, channel) order, as in
// fpgaConvNet. With L lanes, the k-th word of pixel (r, c) holds channels k*L .. k*L+L-1 (lane l is
// channel k*L+l), so a sample is ROWS*COLS*CH/L words. A flat vector (linear layers, logits) is a 1x1
// map with CH values.
// End of batch: after its last sample a producer writes one word whose id is END_ID (0xFFFF; sample
// ids are 0..0xFFFE). Every unit forwards it to all of its outputs and returns, so no unit needs the
// batch size, even behind a conditional buffer where the number of samples depends on the data.
// Default types: data and weights ap_fixed<16,8,AP_RND_CONV,AP_SAT> (round half to even, saturate);
// accumulator ap_fixed<32,16> (AP_TRN, AP_WRAP: products are exact, sums wrap modulo 2^32, so the
// accumulation order never changes a result). Every unit takes its types as template parameters.
#ifndef ATHEENA_TYPES_H
#define ATHEENA_TYPES_H

#include <ap_fixed.h>
#include <ap_int.h>
#include <hls_stream.h>

#include "pipeline.h"

namespace atheena {

typedef ap_uint<16> sample_id_t;
static const unsigned END_ID = 0xFFFF;

typedef ap_fixed<16, 8, AP_RND_CONV, AP_SAT> data_t;
typedef ap_fixed<16, 8, AP_RND_CONV, AP_SAT> weight_t;
typedef ap_fixed<32, 16> acc_t;

// L lanes of a feature map (or of a vector) with the sample id.
template <class T, int L>
struct word {
  sample_id_t id;
  T data[L];
};

// The KH x KW window around one output pixel for L channels (sliding window -> conv/pool).
template <class T, int L, int KH, int KW>
struct window {
  sample_id_t id;
  T data[KH][KW][L];
};

// The exit decision for one sample: exit = 1 when the sample may leave at this exit.
struct ctrl_word {
  sample_id_t id;
  ap_uint<1> exit;
};

// A result leaving the exit merge: the sample id, the exit that produced it and L lanes of data.
template <class T, int L>
struct result_word {
  sample_id_t id;
  ap_uint<8> exit;
  T data[L];
};

template <class W>
inline bool is_end(const W& w) {
#pragma HLS INLINE
  return w.id == END_ID;
}

// The end-of-batch marker of any word type (its data is zero).
template <class W>
inline W end_word() {
#pragma HLS INLINE
  W w = W();
  w.id = END_ID;
  return w;
}

// Compile-time helpers for template arithmetic.
constexpr int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
constexpr int lcm(int a, int b) { return a / gcd(a, b) * b; }
constexpr int clog2(int n) { return n <= 1 ? 0 : 1 + clog2((n + 1) / 2); }

}  // namespace atheena

#endif  // ATHEENA_TYPES_H
