// Unit testbench: exit_decision. Usage: exit MODE SAMPLES LIMIT < raw logits (CLASSES per sample).
// Prints "c <port> <id> <exit>" for every control word of every port.
#include <cstring>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

using namespace atheena;
using namespace atheena::tb;

void print_ctrl(hls::stream<ctrl_word>& in, int port) {
  for (;;) {
    ctrl_word c = in.read();
    if (is_end(c)) break;
    print_line("c " + std::to_string(port) + " " + std::to_string((unsigned)c.id) + " " +
               std::to_string((unsigned)c.exit));
  }
}

template <int L, int CLASSES, int PORTS>
void decide(int samples, unsigned limit) {
  hls::stream<word<data_t, L> > logits("logits", 2);
  hls::stream<ctrl_word> ctrl[PORTS];
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS((source_from_stdin<data_t, L>(logits, samples, CLASSES / L)))
  ATHEENA_PROCESS((exit_decision<data_t, L, CLASSES, PORTS>(logits, ctrl, limit)))
  ATHEENA_PROCESS_EACH(p, PORTS, print_ctrl(ctrl[p], p))
  ATHEENA_DATAFLOW_END
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  const char* m = argv[1];
  int n = std::atoi(argv[2]);
  unsigned limit = (unsigned)std::strtoul(argv[3], 0, 10);
  if (!std::strcmp(m, "c10"))
    decide<1, 10, 2>(n, limit);
  else if (!std::strcmp(m, "c12"))
    decide<3, 12, 1>(n, limit);
  else if (!std::strcmp(m, "c3"))
    decide<3, 3, 3>(n, limit);
  else
    return 2;
  return 0;
}
