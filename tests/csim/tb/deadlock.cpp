// Watchdog testbench: a producer writes N words to 'a_to_b' and then one to 'flag'; the consumer
// reads 'flag' first. With depth(a_to_b) < N both block forever. Usage: deadlock DEPTH N
// Also "basics": the non-blocking calls and the occupancy of a bounded stream.
#include <cstring>

#include "atheena/units.h"
#include "sim/atheena_tb.h"

static_assert(ATHEENA_SIM_STREAM, "the project's hls_stream.h must win on the include path");

void producer(hls::stream<int>& a, hls::stream<int>& flag, int n) {
  for (int i = 0; i < n; i++) a.write(i);
  flag.write(1);
}

void consumer(hls::stream<int>& a, hls::stream<int>& flag, int n) {
  int sum = flag.read();
  for (int i = 0; i < n; i++) sum += a.read();
  std::printf("sum %d\n", sum);
}

int main(int argc, char** argv) {
  if (argc >= 2 && !std::strcmp(argv[1], "basics")) {
    hls::stream<int> s("s", 2);
    int v = -1;
    std::printf("empty %d full %d\n", (int)s.empty(), (int)s.full());
    std::printf("read_nb %d\n", (int)s.read_nb(v));
    int w7 = s.write_nb(7), w8 = s.write_nb(8), w9 = s.write_nb(9);
    std::printf("write_nb %d %d %d\n", w7, w8, w9);
    std::printf("size %d full %d\n", (int)s.size(), (int)s.full());
    int got = s.read_nb(v);
    std::printf("read_nb %d value %d\n", got, v);
    s.set_depth(3);
    s << 10;
    s.write(11);
    std::printf("size %d full %d\n", (int)s.size(), (int)s.full());
    int a = s.read(), b, c;
    s >> b;
    s.read(c);
    std::printf("values %d %d %d empty %d\n", a, b, c, (int)s.empty());
    return 0;
  }
  if (argc < 3) return 2;
  int depth = std::atoi(argv[1]);
  int n = std::atoi(argv[2]);
  hls::stream<int> a_to_b("a_to_b", depth);
  hls::stream<int> flag;
  ATHEENA_STREAM_DEPTH(flag, 2);
  ATHEENA_DATAFLOW_BEGIN
  ATHEENA_PROCESS(producer(a_to_b, flag, n))
  ATHEENA_PROCESS(consumer(a_to_b, flag, n))
  ATHEENA_DATAFLOW_END
  return 0;
}
