// exit_decision: max softmax(z) > threshold for each sample's CLASSES logits, without division,
// without floating point (ATHEENA's SoftMaxCmp, generic in the class count).
// With m = max_i z_i and k_i = (m - z_i) * 2^F (an exact non-negative integer, F = the logits'
// fractional bits = TABLE::IN_FRAC):
//     S = sum_i TABLE::DATA[k_i]   (0 where k_i >= TABLE::SIZE),  exit  <=>  S < limit
// where DATA[k] = round(exp(-k/2^F) * 2^P) (P = TABLE::OUT_FRAC) and limit = ceil(2^P / threshold),
// both produced by atheena_ir.numerics.exp_table (so the numpy model reproduces S exactly). Strict `>` as
// in the model (ATHEENA's HLS used >=). `limit` is an argument: the threshold can change at run time.
// One table lookup per class and cycle: CLASSES/L + CLASSES cycles per sample.
// Input: CLASSES/L words of L lanes per sample. Output: one ctrl_word per sample on each of the PORTS
// control streams (one per conditional buffer that waits for this decision).
#ifndef ATHEENA_EXIT_DECISION_H
#define ATHEENA_EXIT_DECISION_H

#include "exp_table.h"
#include "types.h"

namespace atheena {

template <class T, int L, int CLASSES, int PORTS, class TABLE = default_exp_table>
void exit_decision(hls::stream<word<T, L> >& in, hls::stream<ctrl_word> out[PORTS],
                   ap_uint<32> limit) {
#pragma HLS INLINE OFF
  static_assert(CLASSES % L == 0, "exit_decision: the lanes must divide the classes");
  static_assert(T::width - T::iwidth == TABLE::IN_FRAC,
                "exit_decision: the table's input fraction must be the logits' fractional bits");
  static_assert((static_cast<long long>(CLASSES) << TABLE::OUT_FRAC) < (1LL << 32),
                "exit_decision: the sum of the table entries must fit 32 bits");
  const int WORDS = CLASSES / L;
  T logits[CLASSES];
#pragma HLS ARRAY_PARTITION variable = logits cyclic factor = L
  for (;;) {
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, L> w = in.read();
    if (is_end(w)) break;
    const sample_id_t id = w.id;
    T m = w.data[0];
    // Read the logits, one word per cycle, keeping their maximum.
    for (int i = 0; i < WORDS; i++) {
      ATHEENA_PIPELINE(1, 2)
      if (i > 0) w = in.read();
      for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
        logits[i * L + l] = w.data[l];
        m = w.data[l] > m ? w.data[l] : m;
      }
    }
    // One class per cycle: one lookup of the one table (a ROM), no multiplier.
    ap_uint<32> sum = 0;
    for (int i = 0; i < CLASSES; i++) {
      ATHEENA_PIPELINE(1, 4)
      ap_ufixed<T::width + 1, T::iwidth + 1> diff = m - logits[i];
      ap_uint<T::width + 1> k = diff.range(T::width, 0);
      sum += (k < TABLE::SIZE) ? TABLE::DATA[k] : 0u;
    }
    ctrl_word c;
    c.id = id;
    c.exit = sum < limit;
    for (int p = 0; p < PORTS; p++) {
#pragma HLS UNROLL
      out[p].write(c);
    }
  }
  for (int p = 0; p < PORTS; p++) out[p].write(end_word<ctrl_word>());
}

}  // namespace atheena

#endif  // ATHEENA_EXIT_DECISION_H
