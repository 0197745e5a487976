// sliding_window: turns a feature map into the KH x KW windows of a convolution or pooling.
// Input: ROWS*COLS*(CH/L) words per sample, channel-fastest. Output: for every output pixel (ro, co)
// in row-major order and every channel group g (channels g*L .. g*L+L-1), one window word:
//     data[kh][kw][l] = x[ro*SH - PT + kh][co*SW - PL + kw][g*L + l]   (0 outside the map)
// with RO = (ROWS+PT+PB-KH)/SH + 1 and CO = (COLS+PL+PR-KW)/SW + 1. Padding is zero (fpgaConvNet).
// Storage: KH-1 line buffers of the padded width and a KH x KW shift register per channel group.
#ifndef ATHEENA_SLIDING_WINDOW_H
#define ATHEENA_SLIDING_WINDOW_H

#include "types.h"

namespace atheena {

template <class T, int L, int ROWS, int COLS, int CH, int KH, int KW, int SH, int SW, int PT, int PL,
          int PB, int PR>
void sliding_window(hls::stream<word<T, L> >& in, hls::stream<window<T, L, KH, KW> >& out) {
#pragma HLS INLINE OFF
  static_assert(CH % L == 0, "sliding_window: the lanes must divide the channels");
  const int G = CH / L;
  const int RP = ROWS + PT + PB;
  const int CP = COLS + PL + PR;
  static_assert(RP >= KH && CP >= KW, "sliding_window: the kernel is larger than the padded map");
  T lines[KH][CP][G][L];
#pragma HLS ARRAY_PARTITION variable = lines complete dim = 1
#pragma HLS ARRAY_PARTITION variable = lines complete dim = 4
  T shift[G][KH][KW][L];
#pragma HLS ARRAY_PARTITION variable = shift complete dim = 2
#pragma HLS ARRAY_PARTITION variable = shift complete dim = 3
#pragma HLS ARRAY_PARTITION variable = shift complete dim = 4
  for (;;) {
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
    word<T, L> first = in.read();
    if (is_end(first)) break;
    bool pending = true;
    for (int r = 0; r < RP; r++) {
      for (int c = 0; c < CP; c++) {
        for (int g = 0; g < G; g++) {
          ATHEENA_PIPELINE(1, 2)
          // A line-buffer column and a group's shift register are written back before the same
          // address is read again (a row, resp. G iterations later).
#pragma HLS DEPENDENCE variable = lines inter false
#pragma HLS DEPENDENCE variable = shift inter false
          bool inside = r >= PT && r < PT + ROWS && c >= PL && c < PL + COLS;
          word<T, L> x;
          if (inside) {
            x = pending ? first : in.read();
            pending = false;
          }
          T column[KH][L];
          for (int kh = 0; kh < KH; kh++) {
            for (int l = 0; l < L; l++) {
              T v = inside ? x.data[l] : T(0);
              column[kh][l] = (kh == KH - 1) ? v : lines[kh][c][g][l];
            }
          }
          for (int kh = 0; kh + 1 < KH; kh++) {
            for (int l = 0; l < L; l++) lines[kh][c][g][l] = column[kh + 1][l];
          }
          for (int kh = 0; kh < KH; kh++) {
            for (int kw = 0; kw < KW; kw++) {
              for (int l = 0; l < L; l++) {
                shift[g][kh][kw][l] = (kw == KW - 1) ? column[kh][l] : shift[g][kh][kw + 1][l];
              }
            }
          }
          if (r >= KH - 1 && c >= KW - 1 && (r - (KH - 1)) % SH == 0 && (c - (KW - 1)) % SW == 0) {
            window<T, L, KH, KW> y;
            y.id = first.id;
            for (int kh = 0; kh < KH; kh++)
              for (int kw = 0; kw < KW; kw++)
                for (int l = 0; l < L; l++) y.data[kh][kw][l] = shift[g][kh][kw][l];
            out.write(y);
          }
        }
      }
    }
  }
  out.write(end_word<window<T, L, KH, KW> >());
}

}  // namespace atheena

#endif  // ATHEENA_SLIDING_WINDOW_H
