// System testbench: a three-exit design built from split, linear, exit_decision, cond_buffer and
// exit_merge. Usage: early_exit SAMPLES LIMIT0 LIMIT1 < W0 W1 W2 (linear weights) inputs.
//   x (16 values, 2 lanes) -> split -+-> linear W0 -> split -+-> exit_decision 0 -> ctrl to both buffers
//                                    |                      +-> cond_buffer (forward if exit) -> merge 0
//                                    +-> cond_buffer (forward if continue) -> relu -> y (stage 2)
//   y -> split -+-> linear W1 -> split -> exit_decision 1 / cond_buffer (forward if exit) -> merge 1
//               +-> cond_buffer (forward if continue) -> linear W2 -> merge 2
#include "atheena/units.h"
#include "sim/atheena_tb.h"

using namespace atheena;
using namespace atheena::tb;

const int L = 2, MAP = 8, CLASSES = 5, DEPTH = 4;
typedef word<data_t, L> map_w;
typedef word<data_t, 1> logit_w;
static weight_t w0[MAP][CLASSES][1][L], w1[MAP][CLASSES][1][L], w2[MAP][CLASSES][1][L];

void load(weight_t (&w)[MAP][CLASSES][1][L]) {
  for (int i = 0; i < MAP; i++)
    for (int j = 0; j < CLASSES; j++)
      for (int l = 0; l < L; l++) w[i][j][0][l] = from_raw<weight_t>(read_int());
}

// One stage: the input map splits into an exit branch (logits, decision, buffered logits) and the
// buffered backbone that continues.
void stage(hls::stream<map_w>& in, weight_t (&w)[MAP][CLASSES][1][L], unsigned limit,
           hls::stream<logit_w>& exit_out, hls::stream<map_w>& cont_out) {
  hls::stream<map_w> branches[2];
  hls::stream<logit_w> logits("logits", 2);
  hls::stream<logit_w> logit_copies[2];
  hls::stream<ctrl_word> ctrl[2];
  ATHEENA_STREAM_DEPTH(branches, 4);
  ATHEENA_STREAM_DEPTH(logit_copies, CLASSES + 1);
  ATHEENA_STREAM_DEPTH(ctrl, 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((split<data_t, L, 2>(in, branches)))
  ATHEENA_PROCESS((linear<data_t, weight_t, acc_t, data_t, L, 1, MAP, CLASSES>(branches[0], w,
                                                                               logits)))
  ATHEENA_PROCESS((split<data_t, 1, 2>(logits, logit_copies)))
  ATHEENA_PROCESS((exit_decision<data_t, 1, CLASSES, 2>(logit_copies[0], ctrl, limit)))
  ATHEENA_PROCESS((cond_buffer<data_t, 1, CLASSES, DEPTH, true>(logit_copies[1], ctrl[0],
                                                                 exit_out)))
  ATHEENA_PROCESS((cond_buffer<data_t, L, MAP, DEPTH, false>(branches[1], ctrl[1], cont_out)))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  int samples = std::atoi(argv[1]);
  unsigned limit0 = (unsigned)std::strtoul(argv[2], 0, 10);
  unsigned limit1 = (unsigned)std::strtoul(argv[3], 0, 10);
  load(w0);
  load(w1);
  load(w2);
  hls::stream<map_w> x("x", 4), cont0("cont0", 4), y("y", 4), cont1("cont1", 4);
  hls::stream<logit_w> exits[3];
  hls::stream<result_word<data_t, 1> > results("results", 4);
  ATHEENA_STREAM_DEPTH(exits, 4);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<data_t, L>(x, samples, MAP)))
  ATHEENA_PROCESS(stage(x, w0, limit0, exits[0], cont0))
  ATHEENA_PROCESS((relu<data_t, L>(cont0, y)))
  ATHEENA_PROCESS(stage(y, w1, limit1, exits[1], cont1))
  ATHEENA_PROCESS((linear<data_t, weight_t, acc_t, data_t, L, 1, MAP, CLASSES>(cont1, w2, exits[2])))
  ATHEENA_PROCESS((exit_merge<data_t, 1, CLASSES, 3>(exits, results)))
  ATHEENA_PROCESS((print_results<data_t, 1, CLASSES>(results)))
  ATHEENA_DATAFLOW_END
  return 0;
}
