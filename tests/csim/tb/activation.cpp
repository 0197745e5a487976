// Unit testbench: the activation unit ACTIVATION (a -D or #define, e.g. hardswish) on three data
// types. Usage: activation TYPE SAMPLES WORDS < ints
// TYPE: data (data_t = ap_fixed<16,8,RND_CONV,SAT>), rnd12 (ap_fixed<12,4,RND,SAT>),
// wrap10 (ap_fixed<10,2>: TRN, WRAP, few integer bits).
#include <cstring>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

#ifndef ACTIVATION
#error "define ACTIVATION as the unit's name, e.g. -DACTIVATION=hardswish"
#endif

using namespace atheena;
using namespace atheena::tb;

template <class T>
void run_activation(int samples, int words) {
  hls::stream<word<T, 3> > a("a", 2), b("b", 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<T, 3>(a, samples, words)))
  ATHEENA_PROCESS((ACTIVATION<T, 3>(a, b)))
  ATHEENA_PROCESS((print_words<T, 3>(b)))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const char* type = argv[1];
  int samples = std::atoi(argv[2]);
  int words = std::atoi(argv[3]);
  if (!std::strcmp(type, "data")) {
    run_activation<data_t>(samples, words);
  } else if (!std::strcmp(type, "rnd12")) {
    run_activation<ap_fixed<12, 4, AP_RND, AP_SAT> >(samples, words);
  } else if (!std::strcmp(type, "wrap10")) {
    run_activation<ap_fixed<10, 2> >(samples, words);
  } else {
    return 2;
  }
  return 0;
}
