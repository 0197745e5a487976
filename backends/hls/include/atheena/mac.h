// mac: acc += x * w, the multiply-accumulate of the conv and linear units.
//
// For synthesis (and in any C simulation but the project's own) it is exactly `acc += x * w`. In the
// project's C simulation, when the product is exact in the accumulator's type and the accumulator
// wraps (the rule atheena_ir's fixed-point model checks, `check_accumulator`), it computes the same bits
// on the raw integers: raw(acc) + raw(x) * raw(w) * 2^(F_acc - F_x - F_w), wrapped to the accumulator's
// width. That is the same number the ap_fixed operators give, some twenty times faster, which is what
// lets a C simulation run a data set (tests/csim check every unit bit for bit either way; define
// ATHEENA_SIM_EXACT_ARITHMETIC to use the ap_fixed operators everywhere).
#ifndef ATHEENA_MAC_H
#define ATHEENA_MAC_H

#include <ap_fixed.h>

#if !defined(__SYNTHESIS__) && defined(ATHEENA_SIM_STREAM) && !defined(ATHEENA_SIM_EXACT_ARITHMETIC)
#define ATHEENA_SIM_RAW_MAC 1
namespace atheena {
namespace raw_arith {

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
constexpr bool sign_of(const ap_fixed_base<W, I, S, Q, O, N>*) {
  return S;
}

template <class T>
constexpr bool is_signed() {
  return sign_of(static_cast<const T*>(nullptr));
}

template <class T>
constexpr int frac() {
  return T::width - T::iwidth;
}

// True when acc + x * w can be computed on raw integers bit for bit.
template <class TACC, class T, class TW>
constexpr bool exact() {
  return TACC::width <= 62 && T::width <= 30 && TW::width <= 30 && is_signed<TACC>() &&
         TACC::omode == AP_WRAP && frac<TACC>() >= frac<T>() + frac<TW>() &&
         T::width + TW::width + (frac<TACC>() - frac<T>() - frac<TW>()) <= 62;
}

template <class T>
inline long long raw(const T& v) {
  return static_cast<long long>(v.V.VAL);
}

}  // namespace raw_arith
}  // namespace atheena
#endif

namespace atheena {

template <class TACC, class T, class TW>
inline void mac(TACC& acc, const T& x, const TW& w) {
#pragma HLS INLINE
#ifdef ATHEENA_SIM_RAW_MAC
  if (raw_arith::exact<TACC, T, TW>()) {
    const int SHIFT = raw_arith::frac<TACC>() - raw_arith::frac<T>() - raw_arith::frac<TW>();
    const int EXCESS = 64 - TACC::width;
    unsigned long long sum = static_cast<unsigned long long>(raw_arith::raw(acc)) +
                             static_cast<unsigned long long>(raw_arith::raw(x) * raw_arith::raw(w))
                                 * (1ull << (SHIFT > 0 ? SHIFT : 0));
    acc.V.VAL = static_cast<decltype(acc.V.VAL)>(static_cast<long long>(sum << EXCESS) >> EXCESS);
    return;
  }
#endif
  acc += x * w;
}

}  // namespace atheena

#endif  // ATHEENA_MAC_H
