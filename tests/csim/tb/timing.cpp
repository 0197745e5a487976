// Timed-simulation testbench: small dataflow designs whose cycle counts are computed by hand in
// tests/csim/test_timed_runtime.py. Usage: timing CASE [N]
//   rate    a producer (II 1) feeds a consumer (II 3) through a FIFO of depth 2
//   drain   per word a pipelined loop of 4 iterations (depth 5) entered anew, vs one flat loop
//   merge   two producers at different rates, a poller merging them with read_nb (prints the order)
//   spin    a process polling a stream that nobody writes (never finishes)
#include <cstring>

#include "atheena/units.h"

static_assert(ATHEENA_SIM_STREAM, "the project's hls_stream.h must win on the include path");

void producer(hls::stream<int>& out, int n, int ii) {
  for (int i = 0; i < n; i++) {
    if (ii == 1) {
      ATHEENA_PIPELINE(1, 1)
      out.write(i);
    } else {
      ATHEENA_PIPELINE(3, 3)
      out.write(i);
    }
  }
}

void consumer(hls::stream<int>& in, int n, int ii) {
  long sum = 0;
  for (int i = 0; i < n; i++) {
    if (ii == 1) {
      ATHEENA_PIPELINE(1, 1)
      sum += in.read();
    } else {
      ATHEENA_PIPELINE(3, 3)
      sum += in.read();
    }
  }
  std::printf("sum %ld\n", sum);
}

// Per word: read it (one cycle outside a loop), then a pipelined loop of 4 iterations, depth 5.
void nested(hls::stream<int>& in, hls::stream<int>& out, int n) {
  for (int i = 0; i < n; i++) {
    int v = in.read();
    for (int s = 0; s < 4; s++) {
      ATHEENA_PIPELINE(1, 5)
      if (s == 3) out.write(v);
    }
  }
}

// The same work as one flat loop: a word read every 4 iterations.
void flat(hls::stream<int>& in, hls::stream<int>& out, int n) {
  int v = 0;
  for (int k = 0; k < 4 * n; k++) {
    ATHEENA_PIPELINE(1, 5)
    if (k % 4 == 0) v = in.read();
    if (k % 4 == 3) out.write(v);
  }
}

void sink(hls::stream<int>& in, int n) {
  for (int i = 0; i < n; i++) {
    ATHEENA_PIPELINE(1, 1)
    in.read();
  }
}

// Round-robin poller: whichever input has a word at this cycle goes out first.
void merge(hls::stream<int>& a, hls::stream<int>& b, int n) {
  int left = 2 * n;
  bool turn = false;
  while (left > 0) {
    ATHEENA_PIPELINE(1, 1)
    int v;
    hls::stream<int>& s = turn ? b : a;
    if (s.read_nb(v)) {
      std::printf("%c%d ", turn ? 'b' : 'a', v);
      left--;
    }
    turn = !turn;
  }
  std::printf("\n");
}

void spin(hls::stream<int>& in) {
  int v;
  for (;;) {
    ATHEENA_PIPELINE(1, 1)
    if (in.read_nb(v)) break;
  }
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  int n = argc > 2 ? std::atoi(argv[2]) : 10;
  hls::stream<int> s1("s1", 2), s2("s2", 2), s3("s3", 2);
  if (!std::strcmp(argv[1], "rate")) {
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS(producer(s1, n, 1))
    ATHEENA_PROCESS(consumer(s1, n, 3))
    ATHEENA_DATAFLOW_END
  } else if (!std::strcmp(argv[1], "drain") || !std::strcmp(argv[1], "flat")) {
    bool drain = !std::strcmp(argv[1], "drain");
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS(producer(s1, n, 1))
    if (drain) {
      ATHEENA_PROCESS(nested(s1, s2, n))
    } else {
      ATHEENA_PROCESS(flat(s1, s2, n))
    }
    ATHEENA_PROCESS(sink(s2, n))
    ATHEENA_DATAFLOW_END
  } else if (!std::strcmp(argv[1], "merge")) {
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS(producer(s1, n, 1))
    ATHEENA_PROCESS(producer(s2, n, 3))
    ATHEENA_PROCESS(merge(s1, s2, n))
    ATHEENA_DATAFLOW_END
  } else if (!std::strcmp(argv[1], "spin")) {
    ATHEENA_DATAFLOW_BEGIN
    ATHEENA_PROCESS(spin(s3))
    ATHEENA_DATAFLOW_END
  } else {
    return 2;
  }
  return 0;
}
