// Unit testbench: the add unit (a residual connection's join) on three data types.
// Usage: add TYPE SAMPLES WORDS < ints (all words of input a, then all words of input b)
// TYPE: data (data_t = ap_fixed<16,8,RND_CONV,SAT>), rnd12 (ap_fixed<12,4,RND,SAT>),
// wrap10 (ap_fixed<10,2>: TRN, WRAP).
#include <cstring>
#include <vector>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

using namespace atheena;
using namespace atheena::tb;

template <class T, int L>
void source(hls::stream<word<T, L> >& out, const std::vector<long long>& raw, int samples,
            int words) {
  int k = 0;
  for (int s = 0; s < samples; s++) {
    for (int i = 0; i < words; i++) {
      word<T, L> w;
      w.id = s;
      for (int l = 0; l < L; l++) w.data[l] = from_raw<T>(raw[k++]);
      out.write(w);
    }
  }
  out.write(end_word<word<T, L> >());
}

template <class T>
void run_add(int samples, int words) {
  std::vector<long long> a_raw(samples * words * 3), b_raw(samples * words * 3);
  for (auto& v : a_raw) v = read_int();
  for (auto& v : b_raw) v = read_int();
  hls::stream<word<T, 3> > a("a", 2), b("b", 2), y("y", 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source<T, 3>(a, a_raw, samples, words)))
  ATHEENA_PROCESS((source<T, 3>(b, b_raw, samples, words)))
  ATHEENA_PROCESS((add<T, 3>(a, b, y)))
  ATHEENA_PROCESS((print_words<T, 3>(y)))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const char* type = argv[1];
  int samples = std::atoi(argv[2]);
  int words = std::atoi(argv[3]);
  if (!std::strcmp(type, "data")) {
    run_add<data_t>(samples, words);
  } else if (!std::strcmp(type, "rnd12")) {
    run_add<ap_fixed<12, 4, AP_RND, AP_SAT> >(samples, words);
  } else if (!std::strcmp(type, "wrap10")) {
    run_add<ap_fixed<10, 2> >(samples, words);
  } else {
    return 2;
  }
  return 0;
}
