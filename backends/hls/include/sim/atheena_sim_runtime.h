// atheena-ir C-simulation runtime (never synthesised): the registry of live streams, the dataflow
// threads and the deadlock watchdog used by the project's own `hls_stream.h`.
//
// Watchdog: a global progress counter moves on every successful stream read or write. While at least
// one dataflow process is running or one thread is blocked on a stream, a watchdog thread checks the
// counter; when it has not moved for the timeout (env ATHEENA_CSIM_WATCHDOG_SECONDS, default 5 s, or
// atheena::sim::set_watchdog_timeout), it prints every stuck stream (name, depth, occupancy, the
// processes waiting to read or write it) to stderr and exits with ATHEENA_DEADLOCK_EXIT_CODE.
#ifndef ATHEENA_SIM_RUNTIME_H
#define ATHEENA_SIM_RUNTIME_H

#ifdef __SYNTHESIS__
#error "atheena_sim_runtime.h is for C simulation only"
#endif

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#define ATHEENA_DEADLOCK_EXIT_CODE 86

namespace atheena {
namespace sim {

// What the watchdog needs to know of a stream; hls::stream<T> implements it.
class stream_base {
 public:
  virtual ~stream_base() {}
  // One line describing the stream, or "" when nobody waits on it and it holds no data.
  virtual std::string report(bool only_waited) = 0;
};

struct runtime {
  std::mutex lock;
  std::set<stream_base*> streams;
  std::multiset<std::string> running;
  std::atomic<unsigned long long> progress{0};
  std::atomic<int> blocked{0};
  std::atomic<int> active{0};
  std::atomic<double> timeout{-1.0};
  std::once_flag watchdog_started;
};

inline runtime& state() {
  static runtime* r = new runtime();  // never destroyed: threads may outlive static destruction
  return *r;
}

// The name of the dataflow process running on this thread ("main" outside a dataflow region).
inline std::string& current_process() {
  static thread_local std::string name = "main";
  return name;
}

inline void set_watchdog_timeout(double seconds) { state().timeout = seconds; }

inline double watchdog_timeout() {
  double t = state().timeout;
  if (t > 0) return t;
  const char* env = std::getenv("ATHEENA_CSIM_WATCHDOG_SECONDS");
  double v = env ? std::atof(env) : 0.0;
  return v > 0 ? v : 5.0;
}

inline void note_progress() { state().progress.fetch_add(1, std::memory_order_relaxed); }

inline void register_stream(stream_base* s) {
  std::lock_guard<std::mutex> g(state().lock);
  state().streams.insert(s);
}

inline void unregister_stream(stream_base* s) {
  std::lock_guard<std::mutex> g(state().lock);
  state().streams.erase(s);
}

[[noreturn]] inline void report_deadlock(double seconds) {
  runtime& r = state();
  std::lock_guard<std::mutex> g(r.lock);
  std::fprintf(stderr,
               "ATHEENA C-SIM DEADLOCK: no stream moved for %.1f s (%d process(es) running, "
               "%d thread(s) blocked on a stream)\n",
               seconds, r.active.load(), r.blocked.load());
  for (int waited = 1; waited >= 0; waited--) {
    std::fprintf(stderr, waited ? "stuck streams:\n" : "other streams holding data:\n");
    std::set<std::string> lines;  // sorted by stream name: the same deadlock, the same report
    for (stream_base* s : r.streams) {
      std::string line = s->report(waited == 1);
      if (!line.empty()) lines.insert(line);
    }
    for (const std::string& line : lines) std::fprintf(stderr, "  %s\n", line.c_str());
  }
  std::fprintf(stderr, "processes still running:\n");
  for (const std::string& name : r.running) std::fprintf(stderr, "  %s\n", name.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  std::_Exit(ATHEENA_DEADLOCK_EXIT_CODE);
}

inline void watchdog_loop() {
  runtime& r = state();
  unsigned long long seen = r.progress.load();
  auto last = std::chrono::steady_clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto now = std::chrono::steady_clock::now();
    unsigned long long p = r.progress.load();
    bool waiting = r.blocked.load() > 0 || r.active.load() > 0;
    if (p != seen || !waiting) {
      seen = p;
      last = now;
      continue;
    }
    double idle = std::chrono::duration<double>(now - last).count();
    if (idle > watchdog_timeout()) report_deadlock(idle);
  }
}

inline void ensure_watchdog() {
  std::call_once(state().watchdog_started, [] { std::thread(watchdog_loop).detach(); });
}

// A polling process found nothing to do: let the other threads run (and back off when it persists).
inline void idle_poll() {
  static thread_local unsigned misses = 0;
  if (++misses % 64 == 0)
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  else
    std::this_thread::yield();
}

// Runs each process of a dataflow region on its own thread; join() waits for all of them.
class dataflow_region {
 public:
  dataflow_region() { ensure_watchdog(); }
  dataflow_region(const dataflow_region&) = delete;
  dataflow_region& operator=(const dataflow_region&) = delete;
  ~dataflow_region() { join(); }

  template <class F>
  void spawn(const char* name, F body) {
    runtime& r = state();
    {
      std::lock_guard<std::mutex> g(r.lock);
      r.running.insert(name);
    }
    r.active.fetch_add(1);
    threads_.emplace_back([name, body]() mutable {
      current_process() = name;
      body();
      runtime& rt = state();
      {
        std::lock_guard<std::mutex> g(rt.lock);
        rt.running.erase(rt.running.find(name));
      }
      rt.active.fetch_sub(1);
      note_progress();
    });
  }

  void join() {
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  std::vector<std::thread> threads_;
};

}  // namespace sim
}  // namespace atheena

#endif  // ATHEENA_SIM_RUNTIME_H
