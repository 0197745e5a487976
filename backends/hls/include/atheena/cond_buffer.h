// cond_buffer: holds each incoming feature map (MAP_WORDS words of L lanes, with its sample id) until
// the decision for that sample arrives on `ctrl`, then forwards the whole map or drops it (ATHEENA's
// Chisel CondBuffer, here in HLS). FORWARD_IF_EXIT = true keeps the samples that exit (the buffer on
// an exit's logits); false keeps those that continue (the buffer in front of the next stage).
// Storage: a circular buffer of DEPTH maps. It keeps accepting maps while a decision is pending (so
// the branch that computes the decision is never starved) and stalls its input only when full.
// Decisions arrive in sample order and are latched at map boundaries; a drop skips a map once it has
// fully arrived. It stops after the end marker has come on both inputs and the buffer is empty.
// One II 1 loop: a forwarded word is fetched from memory into two registers a cycle before it is
// offered to the output, so whether it leaves (the output FIFO's full flag) never waits on a memory
// read; counters are as narrow as the capacity.
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
  typedef ap_uint<clog2(CAPACITY + 1) + 1> addr_t;  // narrow counters
  typedef ap_uint<clog2(MAP_WORDS + 1) + 1> offset_t;
  typedef ap_uint<clog2(DEPTH + 1) + 1> slot_t;
  T memory[CAPACITY][L];
#pragma HLS ARRAY_PARTITION variable = memory complete dim = 2
  sample_id_t ids[DEPTH];
  addr_t wr = 0, rd = 0;        // next free word; next word to fetch (the oldest kept)
  offset_t wr_word = 0, fetched = 0;  // offset of the next stored word in its map; words fetched
  slot_t wr_map = 0, rd_map = 0;      // map slot being stored; oldest map slot
  addr_t used = 0;              // words stored and not yet fetched or dropped
  // The words on their way out, in registers: the pop decision never waits for a memory read.
  word<T, L> ahead[2];
#pragma HLS ARRAY_PARTITION variable = ahead complete
  ap_uint<2> ahead_n = 0;
  ap_uint<1> ahead_head = 0;
  bool in_end = false, ctrl_end = false;
  bool decided = false, forward = false;
  sample_id_t decided_id = 0;
  for (;;) {
    ATHEENA_PIPELINE(1, 3)
#pragma HLS LOOP_TRIPCOUNT min = 1 max = 1000000
#pragma HLS DEPENDENCE variable = memory inter false
    addr_t stored = 0, released = 0;
    word<T, L> w;
    if (!in_end && used < CAPACITY && in.read_nb(w)) {
      if (is_end(w)) {
        in_end = true;
      } else {
        for (int l = 0; l < L; l++) memory[wr][l] = w.data[l];
        if (wr_word == 0) ids[wr_map] = w.id;
        wr = (wr + 1 == CAPACITY) ? addr_t(0) : addr_t(wr + 1);
        if (wr_word + 1 == MAP_WORDS) {
          wr_word = 0;
          wr_map = (wr_map + 1 == DEPTH) ? slot_t(0) : slot_t(wr_map + 1);
        } else {
          wr_word++;
        }
        stored = 1;
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
    if (decided && fetched == 0 && used > 0 && ids[rd_map] != decided_id)
      std::fprintf(stderr, "cond_buffer: decision for sample %u applied to sample %u\n",
                   (unsigned)decided_id, (unsigned)ids[rd_map]);
#endif
    const ap_uint<2> ahead_before = ahead_n;
    if (ahead_n > 0 && out.write_nb(ahead[ahead_head])) {
      ahead_head = ~ahead_head;
      ahead_n--;
    }
    if (decided && forward && used > 0 && ahead_before < 2) {
      word<T, L> y;
      y.id = ids[rd_map];
      for (int l = 0; l < L; l++) y.data[l] = memory[rd][l];
      ahead[ahead_head ^ ap_uint<1>(ahead_n)] = y;
      ahead_n++;
      rd = (rd + 1 == CAPACITY) ? addr_t(0) : addr_t(rd + 1);
      released = 1;
      if (fetched + 1 == MAP_WORDS) {
        fetched = 0;
        rd_map = (rd_map + 1 == DEPTH) ? slot_t(0) : slot_t(rd_map + 1);
        decided = false;
      } else {
        fetched++;
      }
    } else if (decided && !forward && used >= MAP_WORDS) {
      rd = (rd + MAP_WORDS >= CAPACITY) ? addr_t(rd + MAP_WORDS - CAPACITY) : addr_t(rd + MAP_WORDS);
      rd_map = (rd_map + 1 == DEPTH) ? slot_t(0) : slot_t(rd_map + 1);
      released = MAP_WORDS;
      decided = false;
    }
    used = used + stored - released;
    if (in_end && ctrl_end && !decided && used == 0 && ahead_n == 0) break;
#ifndef __SYNTHESIS__
    if (in_end && ctrl_end && !decided && used > 0) {
      std::fprintf(stderr, "cond_buffer: %d word(s) left without a decision\n", (int)used);
      break;
    }
#endif
  }
  out.write(end_word<word<T, L> >());
}
}  // namespace atheena

#endif  // ATHEENA_COND_BUFFER_H
