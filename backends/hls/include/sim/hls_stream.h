// atheena-ir's own simulation hls::stream<T> (C simulation with g++ only; Vitis HLS uses its own).
//
// A bounded FIFO of `depth` words in simulated time (atheena_sim_runtime.h): `write` waits while the
// FIFO is full, `read` while it is empty, exactly as the hardware FIFO of `#pragma HLS STREAM depth=N`
// would; every word carries the cycle it was written. Since g++ ignores the pragma, the depth is set by
// the generated code: `hls::stream<T> s("name", depth)`, `s.set_depth(n)` or ATHEENA_STREAM_DEPTH(s, n)
// from atheena/dataflow.h. The default depth is 2, Vitis' default. The non-blocking calls answer by the
// simulated clock (see the runtime). A stream destroyed with data left prints a WARNING.
// The include path must list this folder before the ap_types folder (which has another hls_stream.h).
#ifndef ATHEENA_SIM_HLS_STREAM_H
#define ATHEENA_SIM_HLS_STREAM_H

#define ATHEENA_SIM_STREAM 1

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "atheena_sim_runtime.h"

namespace atheena {
namespace sim {

// The sample id of a word (every atheena word type has `id`); ~0 for other element types.
template <class T, class = void>
struct id_of {
  static unsigned get(const T&) { return ~0u; }
};
template <class T>
struct id_of<T, decltype((void)std::declval<T>().id, void())> {
  static unsigned get(const T& w) { return (unsigned)w.id; }
};

static const unsigned END_SAMPLE_ID = 0xFFFF;

}  // namespace sim
}  // namespace atheena

namespace hls {

template <class T>
class stream : public atheena::sim::stream_base {
  typedef atheena::sim::cycle_t cycle_t;
  typedef atheena::sim::process process;

 public:
  stream() : name_(auto_name()) { init(2); }
  explicit stream(const char* name) : name_(name) { init(2); }
  stream(const char* name, int depth) : name_(name) { init(depth); }
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  ~stream() override {
    atheena::sim::unregister_stream(this);
    if (count_ > 0)
      std::fprintf(stderr, "WARNING: hls::stream '%s' destroyed with %zu word(s) left\n",
                   name_.c_str(), count_);
  }

  void set_name(const std::string& name) { name_ = name; }

  void set_depth(int depth) {
    std::size_t d = depth < 1 ? 1 : static_cast<std::size_t>(depth);
    if (d < atheena::sim::state().min_depth) d = atheena::sim::state().min_depth;
    if (d == depth_) return;
    std::vector<slot> words;
    for (std::size_t i = 0; i < count_; i++) words.push_back(buffer_[(head_ + i) % depth_]);
    std::vector<cycle_t> reads(d, 0);
    for (std::size_t k = 0; k < d && k < reads_ && k < depth_; k++)
      reads[(reads_ - 1 - k) % d] = read_times_[(reads_ - 1 - k) % depth_];
    depth_ = d < count_ ? count_ : d;
    buffer_.assign(depth_, slot());
    for (std::size_t i = 0; i < words.size(); i++) buffer_[i] = words[i];
    head_ = 0;
    read_times_.assign(depth_, 0);
    for (std::size_t k = 0; k < depth_ && k < reads_ && k < reads.size(); k++)
      read_times_[(reads_ - 1 - k) % depth_] = reads[(reads_ - 1 - k) % d];
  }

  const std::string& name() const override { return name_; }
  std::size_t depth() const { return depth_; }

  void read(T& value) {
    process& p = atheena::sim::current();
    atheena::sim::before_access(p);
    reader = &p;
    while (count_ == 0) wait(p, atheena::sim::pstate::blocked, atheena::sim::access::read);
    p.stall(this, buffer_[head_].t + 1);
    pop(p, value);
    atheena::sim::after_access(p);
  }

  T read() {
    T value;
    read(value);
    return value;
  }

  void write(const T& value) {
    process& p = atheena::sim::current();
    atheena::sim::before_access(p);
    writer = &p;
    while (count_ >= depth_) wait(p, atheena::sim::pstate::blocked, atheena::sim::access::write);
    p.stall(this, slot_free_at());
    push(p, value);
    atheena::sim::after_access(p);
  }

  bool read_nb(T& value) {
    process& p = atheena::sim::current();
    atheena::sim::before_access(p);
    reader = &p;
    bool ok = readable(p);
    if (ok) pop(p, value);
    atheena::sim::after_access(p);
    return ok;
  }

  bool write_nb(const T& value) {
    process& p = atheena::sim::current();
    atheena::sim::before_access(p);
    writer = &p;
    bool ok = writable(p);
    if (ok) push(p, value);
    atheena::sim::after_access(p);
    return ok;
  }

  bool empty() {
    process& p = atheena::sim::current();
    reader = &p;
    return !readable(p);
  }

  bool full() {
    process& p = atheena::sim::current();
    writer = &p;
    return !writable(p);
  }

  std::size_t size() const { return count_; }

  void operator>>(T& value) { read(value); }
  void operator<<(const T& value) { write(value); }

  // For the timing report: the design reads each sample's first word from this stream.
  void observe_entries() { observe_ = 1; }
  // For the timing report: the design writes each sample's last result word to this stream.
  void observe_exits() { observe_ = 2; }

  std::string report(bool only_waited) override {
    bool waited = waiting_reader || waiting_writer;
    if (only_waited ? !waited : (waited || count_ == 0)) return "";
    std::string line = "stream '" + name_ + "' depth " + std::to_string(depth_) + " holds " +
                       std::to_string(count_) + "/" + std::to_string(depth_);
    if (count_ == 0) line += " (empty)";
    if (count_ >= depth_) line += " (full)";
    if (waiting_reader) line += "; reader waiting: " + waiting_reader->name;
    if (waiting_writer) line += "; writer waiting: " + waiting_writer->name;
    return line;
  }

  bool resolve(process& p, cycle_t other_lb) override {
    bool reading = p.waiting_for == atheena::sim::access::read;
    if (reading ? count_ > 0 : count_ < depth_) return true;  // look again
    cycle_t earliest = reading ? next_word_at(other_lb) : next_slot_at(other_lb);
    if (earliest <= p.t) return false;
    (reading ? read_horizon_ : write_horizon_) = earliest;
    p.poll_false = true;
    return true;
  }

  void timing_json(std::string& out) override {
    while (settled_ < writes_) settle_one(buffer_[(head_ + (settled_ - reads_)) % depth_].t);
    out += "{\"name\": " + atheena::sim::json_string(name_) + ", \"depth\": " +
           std::to_string(depth_) + ", \"words\": " + std::to_string(writes_) +
           ", \"peak\": " + std::to_string(peak_) + "}";
  }

 private:
  struct slot {
    T value;
    cycle_t t;
  };

  void init(int depth) {
    depth_ = 0;
    set_depth(depth);
    atheena::sim::register_stream(this);
  }

  static std::string auto_name() {
    static int counter = 0;
    return "hls::stream#" + std::to_string(counter++);
  }

  // The cycle from which the slot for the next write is free (the reader took word writes-depth).
  cycle_t slot_free_at() const {
    return writes_ >= depth_ ? read_times_[(writes_ - depth_) % depth_] + 1 : 0;
  }

  // With the FIFO empty: the earliest cycle a word can be read, the writer's clock being >= lb.
  cycle_t next_word_at(cycle_t lb) const {
    if (writer && writer->state == atheena::sim::pstate::done) return atheena::sim::NEVER;
    return lb == atheena::sim::NEVER ? lb : lb + 1;
  }

  // With the FIFO full: the earliest cycle a slot can be free, the reader's clock being >= lb.
  cycle_t next_slot_at(cycle_t lb) const {
    if (reader && reader->state == atheena::sim::pstate::done) return atheena::sim::NEVER;
    if (lb == atheena::sim::NEVER) return lb;
    cycle_t head_ready = buffer_[head_].t + 1;
    return (lb > head_ready ? lb : head_ready) + 1;
  }

  // Can `p` read a word at its cycle? Parks it until that is certain.
  bool readable(process& p) {
    for (;;) {
      if (count_ > 0) return buffer_[head_].t + 1 <= p.t;
      if (p.t < read_horizon_) return false;
      if (writer && writer != &p) {
        cycle_t earliest = next_word_at(writer->t);
        if (earliest > p.t) {
          read_horizon_ = earliest;
          return false;
        }
      }
      if (!poll(p, atheena::sim::access::read)) return false;
    }
  }

  // Can `p` write a word at its cycle? Parks it until that is certain.
  bool writable(process& p) {
    for (;;) {
      if (count_ < depth_) return slot_free_at() <= p.t;
      if (p.t < write_horizon_) return false;
      if (reader && reader != &p) {
        cycle_t earliest = next_slot_at(reader->t);
        if (earliest > p.t) {
          write_horizon_ = earliest;
          return false;
        }
      }
      if (!poll(p, atheena::sim::access::write)) return false;
    }
  }

  // Parks a poll; returns false when the scheduler found that it fails, true to look again.
  bool poll(process& p, atheena::sim::access a) {
    p.poll_false = false;
    wait(p, atheena::sim::pstate::polling, a);
    bool failed = p.poll_false;
    p.poll_false = false;
    return !failed;
  }

  void wait(process& p, atheena::sim::pstate why, atheena::sim::access a) {
    process*& slot = a == atheena::sim::access::read ? waiting_reader : waiting_writer;
    slot = &p;
    atheena::sim::park(why, this, a);
    slot = nullptr;
  }

  // The occupancy just after write k is k + 1 less the reads at or before its cycle. Reads come
  // in order, so once a read later than the write has happened every read before it is known:
  // settle write k then (at the latest at read k), counting reads with a pointer that only moves
  // forward (reads before k - depth came before write k, which had to wait for their slot).
  void settle_occupancy(cycle_t now) {
    while (settled_ < writes_) {
      cycle_t w = buffer_[(head_ + (settled_ - reads_)) % depth_].t;
      if (w >= now) break;
      settle_one(w);
    }
  }

  void settle_one(cycle_t w) {
    if (settled_ + 1 > depth_ && counted_ < settled_ + 1 - depth_) counted_ = settled_ + 1 - depth_;
    while (counted_ < reads_ && read_times_[counted_ % depth_] <= w) counted_++;
    std::size_t held = static_cast<std::size_t>(settled_ + 1 - counted_);
    if (held > peak_) peak_ = held;
    settled_++;
  }

  void pop(process& p, T& value) {
    settle_occupancy(p.t);
    slot& s = buffer_[head_];
    value = s.value;
    head_ = head_ + 1 == depth_ ? 0 : head_ + 1;
    count_--;
    read_times_[reads_ % depth_] = p.t;
    reads_++;
    atheena::sim::note_move(p.t);
    unsigned id = atheena::sim::id_of<T>::get(value);
    if (!p.primary) p.primary = this;
    if (p.primary == this && id != atheena::sim::END_SAMPLE_ID && id != p.last_id) {
      p.samples++;
      p.last_id = id;
    }
    if (observe_ == 1 && id != atheena::sim::END_SAMPLE_ID) {
      atheena::sim::sample_time& st = atheena::sim::state().samples[id];
      if (p.t < st.entry) st.entry = p.t;
    }
    atheena::sim::wake(waiting_writer);
  }

  void push(process& p, const T& value) {
    std::size_t tail = head_ + count_;
    if (tail >= depth_) tail -= depth_;
    buffer_[tail].value = value;
    buffer_[tail].t = p.t;
    count_++;
    writes_++;
    atheena::sim::note_move(p.t);
    if (observe_ == 2) {
      unsigned id = atheena::sim::id_of<T>::get(value);
      if (id != atheena::sim::END_SAMPLE_ID) atheena::sim::state().samples[id].exit = p.t;
    }
    atheena::sim::wake(waiting_reader);
  }

  std::string name_;
  std::size_t depth_ = 0;
  std::vector<slot> buffer_;
  std::size_t head_ = 0, count_ = 0;
  std::vector<cycle_t> read_times_;  // the cycles of the last `depth` reads, by read number
  unsigned long long reads_ = 0, writes_ = 0, settled_ = 0, counted_ = 0;
  std::size_t peak_ = 0;
  cycle_t read_horizon_ = 0, write_horizon_ = 0;
  int observe_ = 0;
};

}  // namespace hls

namespace atheena {
namespace sim {

// Names a stream (or every stream of an array, as name[i]) and sets its FIFO depth.
template <class T>
void configure_stream(hls::stream<T>& s, const std::string& name, int depth) {
  s.set_name(name);
  s.set_depth(depth);
}

template <class S, std::size_t N>
void configure_stream(S (&streams)[N], const std::string& name, int depth) {
  for (std::size_t i = 0; i < N; i++)
    configure_stream(streams[i], name + "[" + std::to_string(i) + "]", depth);
}

}  // namespace sim
}  // namespace atheena

#endif  // ATHEENA_SIM_HLS_STREAM_H
