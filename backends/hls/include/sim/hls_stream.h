// atheena-ir's own simulation hls::stream<T> (C simulation with g++ only; Vitis HLS uses its own).
//
// A bounded, thread-safe FIFO: `write` blocks while the FIFO holds `depth` words, `read` blocks while it
// is empty, exactly as the hardware FIFO of `#pragma HLS STREAM depth=N` would. Since g++ ignores the
// pragma, the depth is set by the generated code: `hls::stream<T> s("name", depth)`, `s.set_depth(n)`
// or ATHEENA_STREAM_DEPTH(s, n) from atheena/dataflow.h. The default depth is 2, Vitis' default.
// Every blocking wait is visible to the deadlock watchdog of atheena_sim_runtime.h.
// The include path must list this folder before the ap_types folder (which has another hls_stream.h).
#ifndef ATHEENA_SIM_HLS_STREAM_H
#define ATHEENA_SIM_HLS_STREAM_H

#define ATHEENA_SIM_STREAM 1

#include <cstddef>
#include <deque>
#include <string>

#include "atheena_sim_runtime.h"

namespace hls {

template <class T>
class stream : public atheena::sim::stream_base {
 public:
  stream() : name_(auto_name()) { atheena::sim::register_stream(this); }
  explicit stream(const char* name) : name_(name) { atheena::sim::register_stream(this); }
  stream(const char* name, int depth) : name_(name), depth_(clamp(depth)) {
    atheena::sim::register_stream(this);
  }
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  ~stream() override {
    atheena::sim::unregister_stream(this);
    if (!queue_.empty())
      std::fprintf(stderr, "WARNING: hls::stream '%s' destroyed with %zu word(s) left\n",
                   name_.c_str(), queue_.size());
  }

  void set_name(const std::string& name) {
    std::lock_guard<std::mutex> g(lock_);
    name_ = name;
  }

  void set_depth(int depth) {
    std::lock_guard<std::mutex> g(lock_);
    depth_ = clamp(depth);
    not_full_.notify_all();
  }

  const std::string& name() const { return name_; }
  std::size_t depth() const { return depth_; }

  void read(T& value) {
    std::unique_lock<std::mutex> g(lock_);
    if (queue_.empty()) wait(g, readers_, [this] { return !queue_.empty(); });
    value = queue_.front();
    queue_.pop_front();
    not_full_.notify_one();
    atheena::sim::note_progress();
  }

  T read() {
    T value;
    read(value);
    return value;
  }

  void write(const T& value) {
    std::unique_lock<std::mutex> g(lock_);
    if (queue_.size() >= depth_) wait(g, writers_, [this] { return queue_.size() < depth_; });
    queue_.push_back(value);
    not_empty_.notify_one();
    atheena::sim::note_progress();
  }

  bool read_nb(T& value) {
    {
      std::lock_guard<std::mutex> g(lock_);
      if (!queue_.empty()) {
        value = queue_.front();
        queue_.pop_front();
        not_full_.notify_one();
        atheena::sim::note_progress();
        return true;
      }
    }
    atheena::sim::idle_poll();
    return false;
  }

  bool write_nb(const T& value) {
    {
      std::lock_guard<std::mutex> g(lock_);
      if (queue_.size() < depth_) {
        queue_.push_back(value);
        not_empty_.notify_one();
        atheena::sim::note_progress();
        return true;
      }
    }
    atheena::sim::idle_poll();
    return false;
  }

  bool empty() {
    bool result;
    {
      std::lock_guard<std::mutex> g(lock_);
      result = queue_.empty();
    }
    if (result) atheena::sim::idle_poll();
    return result;
  }

  bool full() {
    bool result;
    {
      std::lock_guard<std::mutex> g(lock_);
      result = queue_.size() >= depth_;
    }
    if (result) atheena::sim::idle_poll();
    return result;
  }

  std::size_t size() {
    std::lock_guard<std::mutex> g(lock_);
    return queue_.size();
  }

  void operator>>(T& value) { read(value); }
  void operator<<(const T& value) { write(value); }

  std::string report(bool only_waited) override {
    std::lock_guard<std::mutex> g(lock_);
    bool waited = !readers_.empty() || !writers_.empty();
    if (only_waited ? !waited : (waited || queue_.empty())) return "";
    std::string line = "stream '" + name_ + "' depth " + std::to_string(depth_) + " holds " +
                       std::to_string(queue_.size()) + "/" + std::to_string(depth_);
    if (queue_.empty()) line += " (empty)";
    if (queue_.size() >= depth_) line += " (full)";
    for (const std::string& p : readers_) line += "; reader waiting: " + p;
    for (const std::string& p : writers_) line += "; writer waiting: " + p;
    return line;
  }

 private:
  static std::size_t clamp(int depth) { return depth < 1 ? 1 : static_cast<std::size_t>(depth); }

  static std::string auto_name() {
    static std::atomic<int> counter{0};
    return "hls::stream#" + std::to_string(counter.fetch_add(1));
  }

  template <class Ready>
  void wait(std::unique_lock<std::mutex>& g, std::multiset<std::string>& waiters, Ready ready) {
    atheena::sim::ensure_watchdog();
    auto it = waiters.insert(atheena::sim::current_process());
    atheena::sim::state().blocked.fetch_add(1);
    std::condition_variable& cv = (&waiters == &readers_) ? not_empty_ : not_full_;
    cv.wait(g, ready);
    atheena::sim::state().blocked.fetch_sub(1);
    waiters.erase(it);
  }

  std::string name_;
  std::size_t depth_ = 2;
  std::deque<T> queue_;
  std::mutex lock_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::multiset<std::string> readers_;
  std::multiset<std::string> writers_;
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
