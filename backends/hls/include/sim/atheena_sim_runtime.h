// atheena-ir C-simulation runtime (never synthesised): the processes of a dataflow design run as
// coroutines on one thread, each with a clock of its own, so the simulation is both functional and
// timed, needs no locks and no polling, and gives the same results and cycle counts on every run.
//
// Time. Every process has a cycle counter `t`. An iteration of a pipelined loop (ATHEENA_PIPELINE,
// atheena/pipeline.h) takes II cycles; leaving a pipelined loop costs its depth minus II (the drain, so
// a loop of N iterations takes (N-1)*II + depth); a stream access outside a pipelined loop takes one
// cycle. Every word carries the cycle it was written; a read completes no earlier than that cycle + 1
// (the FIFO's latency), and the k-th write into a FIFO of depth D waits for the cycle after the reader
// took word k-D. The waiting is counted as stall cycles of the process, per stream.
//
// Non-blocking accesses (read_nb, write_nb, empty, full) answer by the simulated clock: read_nb at
// cycle t succeeds when a word was written before t. When the writer has not yet run up to cycle t the
// answer is not known; the process is parked until it is. Parked processes are resolved when no other
// process can run, from lower bounds on every process's clock (a process blocked on a stream runs no
// earlier than the process it waits for, plus one): the one with the smallest clock always resolves, so
// the simulation always moves. Since no answer depends on the order in which processes happen to run,
// the results and all cycle counts are deterministic (ATHEENA_CSIM_SCHEDULE=fifo|lifo|random:SEED picks
// another order; tests check the figures do not change).
//
// Deadlock. When no process can run and some have not finished, the runtime prints every stuck stream
// (name, depth, occupancy, the processes waiting on it) with the simulated cycle and exits with
// ATHEENA_DEADLOCK_EXIT_CODE. Processes that only poll are stopped the same way when no stream has moved
// for ATHEENA_CSIM_STALL_CYCLES cycles (default 1,000,000), and every run stops at
// ATHEENA_CSIM_CYCLE_LIMIT cycles (exit code ATHEENA_CYCLE_LIMIT_EXIT_CODE) when that is set.
//
// Timing report: with ATHEENA_CSIM_TIMING=path, the outermost dataflow region writes a JSON file with
// per process busy and stalled cycles (per stream), per stream peak occupancy, and per sample the cycle
// its first word entered the design and the cycle its last result word left (see atheena_tb.h).
#ifndef ATHEENA_SIM_RUNTIME_H
#define ATHEENA_SIM_RUNTIME_H

#ifdef __SYNTHESIS__
#error "atheena_sim_runtime.h is for C simulation only"
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "coroutine.h"

#define ATHEENA_DEADLOCK_EXIT_CODE 86
#define ATHEENA_CYCLE_LIMIT_EXIT_CODE 87

namespace atheena {
namespace sim {

typedef unsigned long long cycle_t;
static const cycle_t NEVER = ~0ull;

class stream_base;
class dataflow_region;

enum class pstate { ready, running, blocked, polling, joining, done };
enum class access { read, write };

// A dataflow process (or the main thread, which runs the scheduler).
struct process {
  std::string name;
  std::function<void()> body;
  coroutine context;
  pstate state = pstate::running;
  int index = 0;                   // creation order: the deterministic tie-break
  cycle_t t = 0;                   // the process's clock
  cycle_t start = 0, end = 0;
  const void* site = nullptr;      // the pipelined loop whose iterations it runs
  cycle_t drain = 0;               // what leaving that loop costs
  bool in_iteration = false;
  stream_base* waiting_on = nullptr;  // blocked or polling on this stream
  access waiting_for = access::read;
  bool poll_false = false;         // set by the scheduler: the parked poll answers false
  dataflow_region* region = nullptr;  // the region that spawned it
  // statistics
  cycle_t busy = 0;
  std::map<const stream_base*, cycle_t> stalls;   // by live stream
  std::map<std::string, cycle_t> stalls_named;    // by the name of a stream gone out of scope
  const stream_base* primary = nullptr;  // the first stream it read: samples are counted there
  long samples = 0;
  unsigned last_id = ~0u;

  void stall(const stream_base* s, cycle_t until) {
    if (until <= t) return;
    stalls[s] += until - t;
    t = until;
  }
};

struct sample_time {
  cycle_t entry = NEVER;
  cycle_t exit = 0;
};

struct runtime {
  process main;
  process* current = &main;
  std::deque<process*> ready;
  std::vector<process*> processes;     // every process ever spawned, in creation order
  std::vector<stream_base*> streams;   // live streams
  std::vector<std::string> retired;    // the timing JSON of streams gone out of scope
  cycle_t last_move = 0;               // the latest cycle at which a word moved
  cycle_t stall_limit = 1000000;
  cycle_t cycle_limit = NEVER;
  int schedule = 0;                    // 0 fifo, 1 lifo, 2 random
  unsigned long long seed = 0;
  int regions = 0;                     // open dataflow regions
  std::map<unsigned, sample_time> samples;
  std::size_t min_depth = 1;           // functional mode: every FIFO at least this deep
  runtime() {
    if (const char* s = std::getenv("ATHEENA_CSIM_MIN_DEPTH")) min_depth = std::strtoull(s, 0, 10);
    if (min_depth < 1) min_depth = 1;
    main.name = "main";
    if (const char* s = std::getenv("ATHEENA_CSIM_STALL_CYCLES")) stall_limit = std::strtoull(s, 0, 10);
    if (const char* s = std::getenv("ATHEENA_CSIM_CYCLE_LIMIT")) cycle_limit = std::strtoull(s, 0, 10);
    if (cycle_limit == 0) cycle_limit = NEVER;
    if (stall_limit == 0) stall_limit = 1000000;
    if (const char* s = std::getenv("ATHEENA_CSIM_SCHEDULE")) {
      if (!std::strcmp(s, "lifo")) schedule = 1;
      if (!std::strncmp(s, "random:", 7)) {
        schedule = 2;
        seed = std::strtoull(s + 7, 0, 10) * 2654435761ull + 1;
      }
    }
  }
};

// One runtime per program (a template's static member is one object across translation units, in
// C++14 as in C++17); never destroyed: streams may outlive static destruction.
template <class = void>
struct the_runtime {
  static runtime* instance;
};
template <class T>
runtime* the_runtime<T>::instance = new runtime();

inline runtime& state() { return *the_runtime<>::instance; }

inline process& current() { return *state().current; }

// What the scheduler and the reports need to know of a stream; hls::stream<T> implements it.
class stream_base {
 public:
  virtual ~stream_base() {}
  virtual const std::string& name() const = 0;
  // One line describing the stream for a deadlock report, or "" (see hls_stream.h).
  virtual std::string report(bool only_waited) = 0;
  // True when the parked access of `p` can now be decided by looking at the stream again; otherwise,
  // given `other_lb`, a lower bound on the clock of the process at the other end, sets p.poll_false
  // when the access certainly fails at p.t. Returns whether p may resume.
  virtual bool resolve(process& p, cycle_t other_lb) = 0;
  virtual void timing_json(std::string& out) = 0;
  process* writer = nullptr;
  process* reader = nullptr;
  process* waiting_reader = nullptr;
  process* waiting_writer = nullptr;
};

inline void register_stream(stream_base* s) { state().streams.push_back(s); }

// A stream goes out of scope: keep what the timing report needs of it.
inline void unregister_stream(stream_base* s) {
  runtime& r = state();
  std::string json;
  s->timing_json(json);
  r.retired.push_back(json);
  for (process* p : r.processes) {
    auto it = p->stalls.find(s);
    if (it == p->stalls.end()) continue;
    p->stalls_named[s->name()] += it->second;
    p->stalls.erase(it);
  }
  std::vector<stream_base*>& v = r.streams;
  for (std::size_t i = 0; i < v.size(); i++)
    if (v[i] == s) {
      v.erase(v.begin() + i);
      return;
    }
}

inline void note_move(cycle_t t) {
  runtime& r = state();
  if (t > r.last_move) r.last_move = t;
}

inline void wake(process* p) {
  if (p && (p->state == pstate::blocked || p->state == pstate::polling)) {
    p->state = pstate::ready;
    state().ready.push_back(p);
  }
}

inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

// The lowest cycle at which each process can next touch a stream (NEVER when it never will).
inline std::vector<cycle_t> lower_bounds() {
  runtime& r = state();
  std::vector<process*>& ps = r.processes;
  std::vector<cycle_t> lb(ps.size(), NEVER);
  cycle_t least_poll = NEVER;
  for (process* p : ps)
    if (p->state == pstate::polling || p->state == pstate::ready || p->state == pstate::joining)
      least_poll = p->t < least_poll ? p->t : least_poll;
  for (std::size_t i = 0; i < ps.size(); i++)
    if (ps[i]->state != pstate::blocked && ps[i]->state != pstate::done) lb[i] = ps[i]->t;
  // A blocked process runs again no earlier than one cycle after the process it waits for; a cycle of
  // blocked processes never runs again (NEVER). Relax until nothing changes (at most one pass a hop).
  for (std::size_t pass = 0; pass <= ps.size(); pass++) {
    bool changed = false;
    for (std::size_t i = 0; i < ps.size(); i++) {
      process* p = ps[i];
      if (p->state != pstate::blocked) continue;
      stream_base* s = p->waiting_on;
      process* other = p->waiting_for == access::read ? s->writer : s->reader;
      cycle_t o = other ? lb[other->index] : least_poll;
      cycle_t v = o == NEVER ? NEVER : (o + 1 > p->t ? o + 1 : p->t);
      if (v != lb[i]) {
        lb[i] = v;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return lb;
}

[[noreturn]] inline void report_stop(const char* what, int code) {
  runtime& r = state();
  cycle_t now = 0;
  int blocked = 0, active = 0;
  for (process* p : r.processes) {
    if (p->state == pstate::done) continue;
    active++;
    if (p->state == pstate::blocked || p->state == pstate::polling) blocked++;
    if (p->t > now) now = p->t;
  }
  std::fprintf(stderr,
               "ATHEENA C-SIM %s: %s at cycle %llu (%d process(es) running, %d waiting on a "
               "stream)\n",
               code == ATHEENA_DEADLOCK_EXIT_CODE ? "DEADLOCK" : "STOPPED", what, now, active,
               blocked);
  for (int waited = 1; waited >= 0; waited--) {
    std::fprintf(stderr, waited ? "stuck streams:\n" : "other streams holding data:\n");
    std::vector<std::string> lines;
    for (stream_base* s : r.streams) {
      std::string line = s->report(waited == 1);
      if (!line.empty()) lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    for (const std::string& line : lines) std::fprintf(stderr, "  %s\n", line.c_str());
  }
  std::fprintf(stderr, "processes still running:\n");
  std::vector<std::string> names;
  for (process* p : r.processes)
    if (p->state != pstate::done) names.push_back(p->name);
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) std::fprintf(stderr, "  %s\n", n.c_str());
  std::fflush(stderr);
  std::fflush(stdout);
  std::_Exit(code);
}

// Called where a process's clock moves on: stops a run that polls forever or passes the cycle limit.
inline void check_clock(const process& p) {
  runtime& r = state();
  if (p.t > r.cycle_limit) report_stop("the cycle limit (ATHEENA_CSIM_CYCLE_LIMIT) was reached",
                                       ATHEENA_CYCLE_LIMIT_EXIT_CODE);
  if (p.t > r.last_move + r.stall_limit) report_stop("no stream moved for ATHEENA_CSIM_STALL_CYCLES cycles",
                                                     ATHEENA_DEADLOCK_EXIT_CODE);
}

// Nobody can run: resolve the parked polls that are now certain; deadlock when none is.
inline void resolve_polls() {
  runtime& r = state();
  std::vector<cycle_t> lb = lower_bounds();
  cycle_t least = NEVER;
  for (process* p : r.processes)
    if (p->state == pstate::polling && p->t < least) least = p->t;
  bool any = false;
  for (process* p : r.processes) {
    if (p->state != pstate::polling) continue;
    stream_base* s = p->waiting_on;
    process* other = p->waiting_for == access::read ? s->writer : s->reader;
    cycle_t o = other ? lb[other->index] : least;
    if (s->resolve(*p, o)) {
      wake(p);
      any = true;
    }
  }
  if (!any) report_stop("no process can run", ATHEENA_DEADLOCK_EXIT_CODE);
}

inline process* next_ready() {
  runtime& r = state();
  if (r.ready.empty()) return nullptr;
  process* p;
  if (r.schedule == 1) {
    p = r.ready.back();
    r.ready.pop_back();
  } else if (r.schedule == 2) {
    r.seed = r.seed * 6364136223846793005ull + 1442695040888963407ull;
    std::size_t i = (r.seed >> 33) % r.ready.size();
    p = r.ready[i];
    r.ready.erase(r.ready.begin() + i);
  } else {
    p = r.ready.front();
    r.ready.pop_front();
  }
  return p;
}

// Runs processes until `done()` holds. Only the main thread schedules.
template <class Done>
void schedule_until(Done done) {
  runtime& r = state();
  while (!done()) {
    process* p = next_ready();
    if (!p) {
      resolve_polls();
      continue;
    }
    p->state = pstate::running;
    r.current = p;
    coroutine::switch_to(r.main.context, p->context);
    r.current = &r.main;
  }
}

// Parks the running process (blocked or polling on `s`) until the scheduler resumes it.
inline void park(pstate why, stream_base* s, access a) {
  runtime& r = state();
  process& p = *r.current;
  if (&p == &r.main) {
    // Outside a dataflow region the main thread is alone: a poll fails, a blocking access never ends.
    if (why == pstate::polling) {
      p.poll_false = true;
      return;
    }
    p.state = why;
    p.waiting_on = s;
    p.waiting_for = a;
    report_stop("the main thread waits on a stream that no process serves",
                ATHEENA_DEADLOCK_EXIT_CODE);
  }
  p.state = why;
  p.waiting_on = s;
  p.waiting_for = a;
  coroutine::switch_to(p.context, r.main.context);
  p.waiting_on = nullptr;
}

// The iteration of a pipelined loop in progress (see ATHEENA_PIPELINE in atheena/pipeline.h).
class iteration {
 public:
  iteration(const void* site, int ii, int depth) : ii_(ii) {
    process& p = current();
    if (p.site != site) {
      p.t += p.drain;
      p.busy += p.drain;
      p.site = site;
      p.drain = depth > ii ? depth - ii : 0;
    }
    p.in_iteration = true;
  }
  ~iteration() {
    process& p = current();
    p.t += ii_;
    p.busy += ii_;
    p.in_iteration = false;
    check_clock(p);
  }

 private:
  int ii_;
};

// Around every stream access: outside a pipelined loop, finish the loop left before and take a cycle.
inline void before_access(process& p) {
  if (!p.in_iteration && p.site) {
    p.t += p.drain;
    p.busy += p.drain;
    p.drain = 0;
    p.site = nullptr;
  }
}

inline void after_access(process& p) {
  if (!p.in_iteration) {
    p.t += 1;
    p.busy += 1;
  }
}

inline void write_timing_report();

// The processes of one dataflow region; join() waits for all of them.
class dataflow_region {
 public:
  dataflow_region() {
    parent_ = &current();
    state().regions++;
  }
  dataflow_region(const dataflow_region&) = delete;
  dataflow_region& operator=(const dataflow_region&) = delete;
  ~dataflow_region() { join(); }

  template <class F>
  void spawn(const std::string& name, F body) {
    runtime& r = state();
    process* p = new process();
    p->name = name;
    p->body = body;
    p->region = this;
    p->t = p->start = parent_->t;
    p->index = (int)r.processes.size();
    p->state = pstate::ready;
    p->context.start(&trampoline);
    r.processes.push_back(p);
    r.ready.push_back(p);
    running_++;
  }

  void join() {
    if (joined_) return;
    joined_ = true;
    runtime& r = state();
    if (parent_ == &r.main) {
      schedule_until([this] { return running_ == 0; });
    } else if (running_ > 0) {
      parent_->state = pstate::joining;
      coroutine::switch_to(parent_->context, r.main.context);
    }
    if (end_ > parent_->t) parent_->t = end_;
    if (--r.regions == 0) write_timing_report();
  }

 private:
  static void trampoline() {
    runtime& r = state();
    process* p = r.current;
    p->body();
    p->t += p->drain;
    p->busy += p->drain;
    p->drain = 0;
    p->end = p->t;
    p->state = pstate::done;
    dataflow_region* region = p->region;
    if (p->end > region->end_) region->end_ = p->end;
    if (--region->running_ == 0 && region->parent_->state == pstate::joining) {
      region->parent_->state = pstate::ready;
      r.ready.push_back(region->parent_);
    }
    coroutine::switch_to(p->context, r.main.context);
    std::abort();  // a finished process is never resumed
  }

  process* parent_;
  int running_ = 0;
  cycle_t end_ = 0;
  bool joined_ = false;
};

inline void write_timing_report() {
  const char* path = std::getenv("ATHEENA_CSIM_TIMING");
  if (!path || !*path) return;
  runtime& r = state();
  cycle_t cycles = 0;
  std::string out = "{\n  \"processes\": [";
  bool first = true;
  for (process* p : r.processes) {
    if (p->end > cycles) cycles = p->end;
    out += first ? "\n" : ",\n";
    first = false;
    out += "    {\"name\": " + json_string(p->name) + ", \"start\": " + std::to_string(p->start) +
           ", \"end\": " + std::to_string(p->end) + ", \"busy\": " + std::to_string(p->busy) +
           ", \"samples\": " + std::to_string(p->samples) + ", \"stalls\": {";
    bool f2 = true;
    std::map<std::string, cycle_t> named = p->stalls_named;
    for (const auto& kv : p->stalls) named[kv.first->name()] += kv.second;
    for (const auto& kv : named) {
      out += (f2 ? "" : ", ") + json_string(kv.first) + ": " + std::to_string(kv.second);
      f2 = false;
    }
    out += "}}";
  }
  out += "\n  ],\n  \"streams\": [";
  first = true;
  for (const std::string& json : r.retired) {
    out += (first ? "\n    " : ",\n    ") + json;
    first = false;
  }
  for (stream_base* s : r.streams) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    s->timing_json(out);
  }
  out += "\n  ],\n  \"samples\": [";
  first = true;
  for (const auto& kv : r.samples) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "    {\"id\": " + std::to_string(kv.first) + ", \"entry\": " +
           std::to_string(kv.second.entry == NEVER ? 0 : kv.second.entry) +
           ", \"exit\": " + std::to_string(kv.second.exit) + "}";
  }
  out += "\n  ],\n  \"cycles\": " + std::to_string(cycles) + "\n}\n";
  std::string tmp = std::string(path) + ".part";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0 ||
      std::rename(tmp.c_str(), path) != 0) {
    std::fprintf(stderr, "ATHEENA C-SIM: cannot write the timing report %s\n", path);
    std::exit(2);
  }
}

}  // namespace sim
}  // namespace atheena

#endif  // ATHEENA_SIM_RUNTIME_H
