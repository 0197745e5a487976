// Unit testbench: the convolution layer (sliding_window -> fork -> conv x CO -> accum x CO -> glue
// [-> bias]) and the linear unit [-> bias]. Usage: conv MODE SAMPLES < weights, biases, inputs.
#include <cstring>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

using namespace atheena;
using namespace atheena::tb;

template <int CI, int CO, int R, int C, int CIN, int F, int KH, int KW, int S, int PT, int PL, int PB,
          int PR, int FINE, bool BIAS>
void conv_layer(int samples) {
  const int G = CIN / CI, FILT = F / CO;
  static weight_t w[CO][FILT][G][KH * KW][CI];
  static weight_t b[FILT][CO];
  for (int o = 0; o < CO; o++)
    for (int j = 0; j < FILT; j++)
      for (int g = 0; g < G; g++)
        for (int k = 0; k < KH * KW; k++)
          for (int l = 0; l < CI; l++) w[o][j][g][k][l] = from_raw<weight_t>(read_int());
  if (BIAS)
    for (int j = 0; j < FILT; j++)
      for (int o = 0; o < CO; o++) b[j][o] = from_raw<weight_t>(read_int());
  hls::stream<word<data_t, CI> > in("in", 2);
  hls::stream<window<data_t, CI, KH, KW> > win("win", 2);
  hls::stream<window<data_t, CI, KH, KW> > forked[CO];
  hls::stream<word<acc_t, CI> > partial[CO], summed[CO];
  hls::stream<word<acc_t, CO> > glued("glued", 2);
  hls::stream<word<data_t, CO> > out("out", 2);
  ATHEENA_STREAM_DEPTH(forked, 2);
  ATHEENA_STREAM_DEPTH(partial, 2);
  ATHEENA_STREAM_DEPTH(summed, 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<data_t, CI>(in, samples, R * C * CIN / CI)))
  ATHEENA_PROCESS((sliding_window<data_t, CI, R, C, CIN, KH, KW, S, S, PT, PL, PB, PR>(in, win)))
  ATHEENA_PROCESS((fork<window<data_t, CI, KH, KW>, CO>(win, forked)))
  ATHEENA_PROCESS_EACH(o, CO, (conv<data_t, weight_t, acc_t, CI, KH, KW, G, FILT, FINE>(
                                  forked[o], w[o], partial[o])))
  ATHEENA_PROCESS_EACH(o, CO, (accum<acc_t, CI, G, FILT>(partial[o], summed[o])))
  if (BIAS) {
    ATHEENA_PROCESS((glue<acc_t, acc_t, CI, CO>(summed, glued)))
    ATHEENA_PROCESS((bias<acc_t, weight_t, data_t, CO, FILT>(glued, b, out)))
  } else {
    ATHEENA_PROCESS((glue<acc_t, data_t, CI, CO>(summed, out)))
  }
  ATHEENA_PROCESS((print_words<data_t, CO>(out)))
  ATHEENA_DATAFLOW_END
}

template <int CI, int CO, int K, int F, bool BIAS>
void linear_layer(int samples) {
  const int N_IN = K / CI, FILT = F / CO;
  static weight_t w[N_IN][FILT][CO][CI];
  static weight_t b[FILT][CO];
  for (int i = 0; i < N_IN; i++)
    for (int j = 0; j < FILT; j++)
      for (int o = 0; o < CO; o++)
        for (int l = 0; l < CI; l++) w[i][j][o][l] = from_raw<weight_t>(read_int());
  if (BIAS)
    for (int j = 0; j < FILT; j++)
      for (int o = 0; o < CO; o++) b[j][o] = from_raw<weight_t>(read_int());
  hls::stream<word<data_t, CI> > in("in", 2);
  hls::stream<word<acc_t, CO> > sums("sums", 2);
  hls::stream<word<data_t, CO> > out("out", 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<data_t, CI>(in, samples, N_IN)))
  if (BIAS) {
    ATHEENA_PROCESS((linear<data_t, weight_t, acc_t, acc_t, CI, CO, N_IN, FILT>(in, w, sums)))
    ATHEENA_PROCESS((bias<acc_t, weight_t, data_t, CO, FILT>(sums, b, out)))
  } else {
    ATHEENA_PROCESS((linear<data_t, weight_t, acc_t, data_t, CI, CO, N_IN, FILT>(in, w, out)))
  }
  ATHEENA_PROCESS((print_words<data_t, CO>(out)))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const char* m = argv[1];
  int n = std::atoi(argv[2]);
  // conv modes: CI CO R C CIN F KH KW S PT PL PB PR FINE BIAS
  if (!std::strcmp(m, "conv_a"))
    conv_layer<2, 3, 5, 5, 4, 6, 3, 3, 1, 1, 1, 1, 1, 3, true>(n);
  else if (!std::strcmp(m, "conv_b"))
    conv_layer<1, 2, 7, 6, 3, 4, 3, 3, 2, 0, 0, 0, 0, 9, false>(n);
  else if (!std::strcmp(m, "conv_c"))
    conv_layer<2, 1, 4, 4, 2, 2, 1, 1, 1, 0, 0, 0, 0, 1, true>(n);
  else if (!std::strcmp(m, "conv_d"))
    conv_layer<4, 4, 4, 5, 4, 4, 2, 2, 1, 0, 1, 1, 0, 1, true>(n);
  else if (!std::strcmp(m, "linear_a"))  // 24 inputs on 2 lanes, 6 outputs on 3 lanes, bias
    linear_layer<2, 3, 24, 6, true>(n);
  else if (!std::strcmp(m, "linear_b"))  // 10 inputs, 4 outputs, 1 lane each, no bias
    linear_layer<1, 1, 10, 4, false>(n);
  else
    return 2;
  return 0;
}
