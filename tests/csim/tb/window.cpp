// Unit testbench: sliding_window and pool. Usage: window MODE SAMPLES < raw ints (ROWS*COLS*CH each)
#include <cstring>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

using namespace atheena;
using namespace atheena::tb;

template <class T, int L, int KH, int KW>
void print_windows(hls::stream<window<T, L, KH, KW> >& in) {
  for (;;) {
    window<T, L, KH, KW> w = in.read();
    if (is_end(w)) break;
    std::string line = "w " + std::to_string((unsigned)w.id);
    append_raw(line, &w.data[0][0][0], KH * KW * L);
    print_line(line);
  }
}

template <int L, int R, int C, int CH, int KH, int KW, int SH, int SW, int PT, int PL, int PB, int PR>
void windows_only(int samples) {
  hls::stream<word<data_t, L> > a("a", 2);
  hls::stream<window<data_t, L, KH, KW> > b("b", 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<data_t, L>(a, samples, R * C * CH / L)))
  ATHEENA_PROCESS((sliding_window<data_t, L, R, C, CH, KH, KW, SH, SW, PT, PL, PB, PR>(a, b)))
  ATHEENA_PROCESS((print_windows<data_t, L, KH, KW>(b)))
  ATHEENA_DATAFLOW_END
}

template <int MODE, int L, int R, int C, int CH, int K, int S, int P>
void pooling(int samples) {
  hls::stream<word<data_t, L> > a("a", 2), c("c", 2);
  hls::stream<window<data_t, L, K, K> > b("b", 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<data_t, L>(a, samples, R * C * CH / L)))
  ATHEENA_PROCESS((sliding_window<data_t, L, R, C, CH, K, K, S, S, P, P, P, P>(a, b)))
  ATHEENA_PROCESS((pool<data_t, L, K, K, MODE>(b, c)))
  ATHEENA_PROCESS((print_words<data_t, L>(c)))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const char* mode = argv[1];
  int samples = std::atoi(argv[2]);
  if (!std::strcmp(mode, "win_a"))  // 5x6x4, 2 lanes, 3x3, stride 1, pad 1
    windows_only<2, 5, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1>(samples);
  else if (!std::strcmp(mode, "win_b"))  // 7x5x3, 1 lane, 2x3, stride (2,1), pads t0 l1 b1 r0
    windows_only<1, 7, 5, 3, 2, 3, 2, 1, 0, 1, 1, 0>(samples);
  else if (!std::strcmp(mode, "maxpool"))  // 6x6x4, 2 lanes, 2x2 stride 2
    pooling<POOL_MAX, 2, 6, 6, 4, 2, 2, 0>(samples);
  else if (!std::strcmp(mode, "avgpool"))  // 5x5x3, 3 lanes, 3x3 stride 1 pad 1 (divide by 9)
    pooling<POOL_AVG, 3, 5, 5, 3, 3, 1, 1>(samples);
  else if (!std::strcmp(mode, "avgpool2"))  // 4x4x2, 1 lane, 2x2 stride 2 (exact divide by 4)
    pooling<POOL_AVG, 1, 4, 4, 2, 2, 2, 0>(samples);
  else
    return 2;
  return 0;
}
