// Unit testbench: quantisation, relu, bias, squeeze, split. Usage: basic MODE SAMPLES WORDS < ints
#include <cmath>
#include <cstring>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

using namespace atheena;
using namespace atheena::tb;

template <class T, int L>
void sink(hls::stream<word<T, L> >& in, const char* tag) {
  for (;;) {
    word<T, L> w = in.read();
    if (is_end(w)) break;
    print_word(tag, w);
  }
}

template <int LIN, int LOUT>
void run_squeeze(int samples, int words) {
  hls::stream<word<data_t, LIN> > a("a", 4);
  hls::stream<word<data_t, LOUT> > b("b", 4);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS(source_from_stdin<data_t, LIN>(a, samples, words))
  ATHEENA_PROCESS((squeeze<data_t, LIN, LOUT>(a, b)))
  ATHEENA_PROCESS((sink<data_t, LOUT>(b, "w")))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const char* mode = argv[1];
  int samples = std::atoi(argv[2]);
  int words = std::atoi(argv[3]);
  if (!std::strcmp(mode, "quant")) {  // data_t(v / 2^20) for each integer v
    for (int i = 0; i < samples; i++) {
      data_t d = std::ldexp((double)read_int(), -20);
      print_line("q " + std::to_string(to_raw(d)));
    }
  } else if (!std::strcmp(mode, "requant")) {  // data_t(acc_t raw)
    for (int i = 0; i < samples; i++) {
      data_t d = from_raw<acc_t>(read_int());
      print_line("q " + std::to_string(to_raw(d)));
    }
  } else if (!std::strcmp(mode, "relu")) {
    hls::stream<word<data_t, 3> > a("a", 2), b("b", 2);
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS((source_from_stdin<data_t, 3>(a, samples, words)))
    ATHEENA_PROCESS((relu<data_t, 3>(a, b)))
    ATHEENA_PROCESS((sink<data_t, 3>(b, "w")))
    ATHEENA_DATAFLOW_END
  } else if (!std::strcmp(mode, "bias")) {  // acc_t in, 6 channels on 2 lanes, data_t out
    weight_t biases[3][2];
    for (int k = 0; k < 3; k++)
      for (int l = 0; l < 2; l++) biases[k][l] = from_raw<weight_t>(read_int());
    hls::stream<word<acc_t, 2> > a("a", 2);
    hls::stream<word<data_t, 2> > b("b", 2);
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS((source_from_stdin<acc_t, 2>(a, samples, words)))
    ATHEENA_PROCESS((bias<acc_t, weight_t, data_t, 2, 3>(a, biases, b)))
    ATHEENA_PROCESS((sink<data_t, 2>(b, "w")))
    ATHEENA_DATAFLOW_END
  } else if (!std::strcmp(mode, "squeeze23")) {
    run_squeeze<2, 3>(samples, words);
  } else if (!std::strcmp(mode, "squeeze42")) {
    run_squeeze<4, 2>(samples, words);
  } else if (!std::strcmp(mode, "split")) {
    hls::stream<word<data_t, 2> > a("a", 2);
    hls::stream<word<data_t, 2> > ports[3];
    ATHEENA_STREAM_DEPTH(ports, 3);
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS((source_from_stdin<data_t, 2>(a, samples, words)))
    ATHEENA_PROCESS((split<data_t, 2, 3>(a, ports)))
    ATHEENA_PROCESS((sink<data_t, 2>(ports[0], "p0")))
    ATHEENA_PROCESS((sink<data_t, 2>(ports[1], "p1")))
    ATHEENA_PROCESS((sink<data_t, 2>(ports[2], "p2")))
    ATHEENA_DATAFLOW_END
  } else {
    return 2;
  }
  return 0;
}
