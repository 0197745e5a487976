// atheena-ir top-level ports: AXI4-Stream beats with TLAST <-> the units' word streams.
//
// The top function's ports are hls::stream<ap_axiu<W, 0, 0, 0> > (an AXI DMA can drive them); the
// first and last processes of its dataflow region convert between those beats and the library's
// words (atheena/types.h). One word is one beat of W bits (a multiple of 8), little end first:
//     bits [L*B - 1 : 0]       the L lanes, lane l at [l*B + B - 1 : l*B] (B = T::width, raw bits)
//     bits [L*B + 15 : L*B]    the sample id (END_ID = 0xFFFF marks the end of a batch)
//     bits [L*B + 23 : L*B+16] the exit index (result words only)
// TKEEP and TSTRB are all ones. TLAST is 1 on the end-of-batch beat only, so one DMA transfer carries
// a whole batch: on the input the DMA should send it that way (the design ignores TLAST there and
// stops at END_ID); on the output it marks the batch's last beat for the receiving DMA.
#ifndef ATHEENA_AXIS_H
#define ATHEENA_AXIS_H

#include <ap_axi_sdata.h>
#include <hls_stream.h>

#include "atheena/types.h"

namespace atheena {

template <class W>
struct axis_traits;

// word<T, L>: lanes and sample id.
template <class T, int L>
struct axis_traits<word<T, L> > {
  static const int DATA_BITS = T::width * L;
  static const int WIDTH = (DATA_BITS + 16 + 7) / 8 * 8;
  typedef ap_axiu<WIDTH, 0, 0, 0> beat;
  static ap_uint<WIDTH> pack(const word<T, L>& w) {
#pragma HLS INLINE
    ap_uint<WIDTH> bits = 0;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      bits.range(l * T::width + T::width - 1, l * T::width) = w.data[l].range(T::width - 1, 0);
    }
    bits.range(DATA_BITS + 15, DATA_BITS) = w.id;
    return bits;
  }
  static word<T, L> unpack(const ap_uint<WIDTH>& bits) {
#pragma HLS INLINE
    word<T, L> w;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      w.data[l].range(T::width - 1, 0) = bits.range(l * T::width + T::width - 1, l * T::width);
    }
    w.id = bits.range(DATA_BITS + 15, DATA_BITS);
    return w;
  }
};

// result_word<T, L>: lanes, sample id and exit index.
template <class T, int L>
struct axis_traits<result_word<T, L> > {
  static const int DATA_BITS = T::width * L;
  static const int WIDTH = (DATA_BITS + 24 + 7) / 8 * 8;
  typedef ap_axiu<WIDTH, 0, 0, 0> beat;
  static ap_uint<WIDTH> pack(const result_word<T, L>& w) {
#pragma HLS INLINE
    ap_uint<WIDTH> bits = 0;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      bits.range(l * T::width + T::width - 1, l * T::width) = w.data[l].range(T::width - 1, 0);
    }
    bits.range(DATA_BITS + 15, DATA_BITS) = w.id;
    bits.range(DATA_BITS + 23, DATA_BITS + 16) = w.exit;
    return bits;
  }
  static result_word<T, L> unpack(const ap_uint<WIDTH>& bits) {
#pragma HLS INLINE
    result_word<T, L> w;
    for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
      w.data[l].range(T::width - 1, 0) = bits.range(l * T::width + T::width - 1, l * T::width);
    }
    w.id = bits.range(DATA_BITS + 15, DATA_BITS);
    w.exit = bits.range(DATA_BITS + 23, DATA_BITS + 16);
    return w;
  }
};

// One beat holding word `w`; TLAST on the end-of-batch word.
template <class W>
typename axis_traits<W>::beat to_beat(const W& w) {
#pragma HLS INLINE
  typename axis_traits<W>::beat b;
  b.data = axis_traits<W>::pack(w);
  b.keep = -1;
  b.strb = -1;
  b.last = is_end(w) ? 1 : 0;
  return b;
}

template <class W>
W from_beat(const typename axis_traits<W>::beat& b) {
#pragma HLS INLINE
  return axis_traits<W>::unpack(b.data);
}

// Input port -> word stream, up to and including the end-of-batch word.
template <class W>
void axis_in(hls::stream<typename axis_traits<W>::beat>& in, hls::stream<W>& out) {
#pragma HLS INLINE OFF
#ifdef ATHEENA_SIM_STREAM
  out.observe_entries();  // timing report: when the first unit reads each sample's first word
#endif
  for (;;) {
    ATHEENA_PIPELINE(1, 1)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    W w = from_beat<W>(in.read());
    out.write(w);
    if (is_end(w)) break;
  }
}

// Word stream -> output port, up to and including the end-of-batch word (TLAST).
template <class W>
void axis_out(hls::stream<W>& in, hls::stream<typename axis_traits<W>::beat>& out) {
#pragma HLS INLINE OFF
#ifdef ATHEENA_SIM_STREAM
  in.observe_exits();  // timing report: when the design writes each sample's last word
#endif
  for (;;) {
    ATHEENA_PIPELINE(1, 1)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    W w = in.read();
    out.write(to_beat(w));
    if (is_end(w)) break;
  }
}

}  // namespace atheena

#endif  // ATHEENA_AXIS_H
