// cond_buffer: holds each incoming feature map (MAP_WORDS words of L lanes, with its sample id) until
// the decision for that sample arrives on `ctrl`, then forwards the whole map or drops it (ATHEENA's
// Chisel CondBuffer, here in HLS). FORWARD_IF_EXIT = true keeps the samples that exit (the buffer on
// an exit's logits); false keeps those that continue (the buffer in front of the next stage).
// Storage: a circular buffer of DEPTH maps. It keeps accepting maps while a decision is pending (so
// the branch that computes the decision is never starved) and stalls its input only when full.
// Decisions arrive in sample order and are latched at map boundaries; a drop skips a map once it has
// fully arrived. It stops after the end marker has come on both inputs and the buffer is empty.
#ifndef ATHEENA_COND_BUFFER_H
#define ATHEENA_COND_BUFFER_H

#ifndef __SYNTHESIS__
#include <cstdio>
#endif

#include "types.h"

namespace atheena {

template <class T, int L, int MAP_WORDS, int DEPTH, bool FORWARD_IF_EXIT>
void cond_buffer(hls::stream<word<T, L> >& in, hls::stream<ctrl_word>& ctrl,
                 hls::stream<word<T, L> >& out) {
#pragma HLS INLINE OFF
  const int CAPACITY = DEPTH * MAP_WORDS;
  T memory[CAPACITY][L];
#pragma HLS ARRAY_PARTITION variable = memory complete dim = 2
  sample_id_t ids[DEPTH];
  int wr = 0, wr_word = 0, wr_map = 0;  // next free word, its offset in its map, its map slot
  int rd = 0, rd_word = 0, rd_map = 0;  // oldest stored word, its offset, its map slot
  int used = 0;                          // words stored and not yet released
  bool in_end = false, ctrl_end = false;
  bool decided = false, forward = false;
  sample_id_t decided_id = 0;
  for (;;) {
#pragma HLS PIPELINE II = 1
    int delta = 0;
    word<T, L> w;
    if (!in_end && used < CAPACITY && in.read_nb(w)) {
      if (is_end(w)) {
        in_end = true;
      } else {
        for (int l = 0; l < L; l++) memory[wr][l] = w.data[l];
        if (wr_word == 0) ids[wr_map] = w.id;
        wr = (wr + 1 == CAPACITY) ? 0 : wr + 1;
        if (++wr_word == MAP_WORDS) {
          wr_word = 0;
          wr_map = (wr_map + 1 == DEPTH) ? 0 : wr_map + 1;
        }
        delta++;
      }
    }
    ctrl_word c;
    if (!decided && !ctrl_end && ctrl.read_nb(c)) {
      if (is_end(c)) {
        ctrl_end = true;
      } else {
        decided = true;
        forward = (c.exit == 1) == FORWARD_IF_EXIT;
        decided_id = c.id;
      }
    }
#ifndef __SYNTHESIS__
    if (decided && rd_word == 0 && used > 0 && ids[rd_map] != decided_id)
      std::fprintf(stderr, "cond_buffer: decision for sample %u applied to sample %u\n",
                   (unsigned)decided_id, (unsigned)ids[rd_map]);
#endif
    if (decided && forward && used > 0) {
      word<T, L> y;
      y.id = ids[rd_map];
      for (int l = 0; l < L; l++) y.data[l] = memory[rd][l];
      if (out.write_nb(y)) {
        rd = (rd + 1 == CAPACITY) ? 0 : rd + 1;
        delta--;
        if (++rd_word == MAP_WORDS) {
          rd_word = 0;
          rd_map = (rd_map + 1 == DEPTH) ? 0 : rd_map + 1;
          decided = false;
        }
      }
    } else if (decided && !forward && used >= MAP_WORDS) {
      rd = (rd + MAP_WORDS >= CAPACITY) ? rd + MAP_WORDS - CAPACITY : rd + MAP_WORDS;
      rd_map = (rd_map + 1 == DEPTH) ? 0 : rd_map + 1;
      delta -= MAP_WORDS;
      decided = false;
    }
    used += delta;
    if (in_end && ctrl_end && !decided && used == 0) break;
#ifndef __SYNTHESIS__
    if (in_end && ctrl_end && !decided && used > 0) {
      std::fprintf(stderr, "cond_buffer: %d word(s) left without a decision\n", used);
      break;
    }
#endif
  }
  out.write(end_word<word<T, L> >());
}

}  // namespace atheena

#endif  // ATHEENA_COND_BUFFER_H
