// atheena-ir testbench support for C simulation (never synthesised): raw fixed-point I/O and the
// stream sources/sinks of the generated and unit testbenches.
// A raw value is the ap_fixed's bit pattern read as a (signed, for signed types) integer, i.e. the
// value times 2^fractional_bits; this is the integer format of atheena_ir.numerics.fixed_point.
// Text formats: inputs are whitespace-separated integers on stdin; `print_words` prints one line
// "w <id> <raw>..." per word; `print_results` prints one line "result <id> <exit> <raw>..." per sample.
#ifndef ATHEENA_SIM_TB_H
#define ATHEENA_SIM_TB_H

#include <cstdio>
#include <cstdlib>
#include <string>

#include "atheena/types.h"

namespace atheena {
namespace tb {

template <class T>
bool is_signed_type() {
  T x = 0;
  x.range(T::width - 1, T::width - 1) = 1;
  return x < 0;
}

template <class T>
T from_raw(long long raw) {
  T v = 0;
  ap_uint<T::width> bits = (unsigned long long)raw;
  v.range(T::width - 1, 0) = bits;
  return v;
}

template <class T>
long long to_raw(const T& v) {
  ap_uint<T::width> bits = v.range(T::width - 1, 0);
  long long r = (long long)bits.to_uint64();
  if (is_signed_type<T>() && ((r >> (T::width - 1)) & 1)) r -= (long long)1 << (T::width - 1) << 1;
  return r;
}

// The next integer on stdin; exits with a message when there is none.
inline long long read_int() {
  long long v;
  if (std::scanf("%lld", &v) != 1) {
    std::fprintf(stderr, "testbench: expected another integer on stdin\n");
    std::exit(2);
  }
  return v;
}

// Writes `samples` samples of `words` words each (ids 0, 1, ...; raw values from stdin), then END.
template <class T, int L>
void source_from_stdin(hls::stream<word<T, L> >& out, int samples, int words) {
#ifdef ATHEENA_SIM_STREAM
  out.observe_entries();  // the timing report: when the design reads each sample's first word
#endif
  for (int s = 0; s < samples; s++) {
    for (int i = 0; i < words; i++) {
      word<T, L> w;
      w.id = s;
      for (int l = 0; l < L; l++) w.data[l] = from_raw<T>(read_int());
      out.write(w);
    }
  }
  out.write(end_word<word<T, L> >());
}

// Prints one line at once (lines of concurrent sinks never interleave).
inline void print_line(const std::string& line) { std::fputs((line + "\n").c_str(), stdout); }

template <class T>
void append_raw(std::string& line, const T* data, int n) {
  for (int i = 0; i < n; i++) line += " " + std::to_string(to_raw(data[i]));
}

// Prints "<tag> <id> <raw>..." for one word.
template <class T, int L>
void print_word(const char* tag, const word<T, L>& w) {
  std::string line = std::string(tag) + " " + std::to_string((unsigned)w.id);
  append_raw(line, w.data, L);
  print_line(line);
}

// Reads words until END and prints "w <id> <raw>..." per word.
template <class T, int L>
void print_words(hls::stream<word<T, L> >& in) {
  for (;;) {
    word<T, L> w = in.read();
    if (is_end(w)) break;
    print_word("w", w);
  }
}

// Reads result words until END and prints one "result <id> <exit> <raw>..." line per sample.
template <class T, int L, int MAP_WORDS>
void print_results(hls::stream<result_word<T, L> >& in) {
#ifdef ATHEENA_SIM_STREAM
  in.observe_exits();  // the timing report: when the design writes each sample's last word
#endif
  for (;;) {
    result_word<T, L> w = in.read();
    if (is_end(w)) break;
    std::string line =
        "result " + std::to_string((unsigned)w.id) + " " + std::to_string((unsigned)w.exit);
    for (int i = 0; i < MAP_WORDS; i++) {
      if (i > 0) w = in.read();
      append_raw(line, w.data, L);
    }
    print_line(line);
  }
}

// A design without exits: reads MAP_WORDS words per sample until END and prints them as results of
// exit 0 ("result <id> 0 <raw>...").
template <class T, int L, int MAP_WORDS>
void print_plain(hls::stream<word<T, L> >& in) {
#ifdef ATHEENA_SIM_STREAM
  in.observe_exits();
#endif
  for (;;) {
    word<T, L> w = in.read();
    if (is_end(w)) break;
    std::string line = "result " + std::to_string((unsigned)w.id) + " 0";
    for (int i = 0; i < MAP_WORDS; i++) {
      if (i > 0) w = in.read();
      append_raw(line, w.data, L);
    }
    print_line(line);
  }
}

}  // namespace tb
}  // namespace atheena

#endif  // ATHEENA_SIM_TB_H
