// hardswish: y = x * clamp(x + 3, 0, 6) / 6 on every lane, word by word (II = 1).
// Arithmetic, with T = ap_fixed<W, I, Q, O> and F = W - I fractional bits (mirrored bit for bit by
// atheena_ir.numerics.fixed_point.hardswish):
//   s = clamp(x + 3, 0, 6)        exact (ap_ufixed<F + 3, 3>);
//   p = x * s                     exact (2F fractional bits);
//   y = T(p * c), c = round(2^20 / 6) / 2^20 = 174763 / 2^20   p * c exact, ONE quantisation to T
//                                  (T's rounding and overflow modes).
// The result is within half an ulp of T (plus c's relative error, < 2^-20) of the real hardswish.
// Two multipliers per lane: x * s (W x (F + 3) bits) and p * c ((W + F + 3) x 18 bits).
#ifndef ATHEENA_HARDSWISH_H
#define ATHEENA_HARDSWISH_H

#include "lanewise.h"

namespace atheena {

static const int HARDSWISH_RECIP_FRAC = 20;
static const unsigned HARDSWISH_RECIP = 174763;  // round(2^20 / 6)

struct hardswish_op {
  template <class T>
  static T apply(T x) {
    static const int W = T::width;
    static const int F = T::width - T::iwidth;
    static const int SI = (T::iwidth > 3 ? T::iwidth : 3) + 1;  // x + 3 without overflow
    typedef ap_fixed<SI + F, SI> sum_t;
    typedef ap_ufixed<F + 3, 3> gate_t;                         // [0, 6], exact
    typedef ap_fixed<W + F + 3, T::iwidth + 3> prod_t;          // x * s, exact
    typedef ap_ufixed<HARDSWISH_RECIP_FRAC, 0> recip_t;
    const recip_t c = recip_t((double)HARDSWISH_RECIP / (double)(1 << HARDSWISH_RECIP_FRAC));
    sum_t s = sum_t(x) + sum_t(3);
    gate_t g = s < sum_t(0) ? gate_t(0) : s > sum_t(6) ? gate_t(6) : gate_t(s);
    prod_t p = x * g;
    return T(p * c);  // exact product, quantised once by T's modes
  }
};

template <class T, int L>
void hardswish(hls::stream<word<T, L> >& in, hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  lanewise<T, L, hardswish_op>(in, out);
}

}  // namespace atheena

#endif  // ATHEENA_HARDSWISH_H
