// atheena-ir C simulation (never synthesised): the stackful coroutines that run the dataflow processes
// of a design on one thread, so that the simulation needs no locks, no polling and no OS scheduling.
//
// A coroutine is a stack of its own plus a saved stack pointer. `switch_to(from, to)` saves the
// callee-saved registers of the running code on its stack, stores its stack pointer in `from` and
// resumes `to` where it last switched away. On x86-64 this is ten instructions of assembly (no system
// call); elsewhere it falls back to POSIX ucontext (correct, slower: swapcontext saves the signal mask).
// Stacks are reserved with mmap (64 MiB of address space each, committed only where touched) with a
// guard page below, so a unit with large local arrays (a conditional buffer's maps) fits and an
// overflow faults instead of corrupting memory.
#ifndef ATHEENA_SIM_COROUTINE_H
#define ATHEENA_SIM_COROUTINE_H

#ifdef __SYNTHESIS__
#error "coroutine.h is for C simulation only"
#endif

#include <sys/mman.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#if defined(__x86_64__) && !defined(ATHEENA_SIM_UCONTEXT)
#define ATHEENA_SIM_ASM_SWITCH 1
extern "C" void atheena_sim_switch(void** save_sp, void* next_sp);
// A weak symbol: every translation unit that includes this header defines it; the linker keeps one.
__asm__(
    ".pushsection .text\n"
    ".weak atheena_sim_switch\n"
    ".type atheena_sim_switch,@function\n"
    "atheena_sim_switch:\n"
    "  pushq %rbp\n"
    "  pushq %rbx\n"
    "  pushq %r12\n"
    "  pushq %r13\n"
    "  pushq %r14\n"
    "  pushq %r15\n"
    "  movq %rsp, (%rdi)\n"
    "  movq %rsi, %rsp\n"
    "  popq %r15\n"
    "  popq %r14\n"
    "  popq %r13\n"
    "  popq %r12\n"
    "  popq %rbx\n"
    "  popq %rbp\n"
    "  ret\n"
    ".size atheena_sim_switch,.-atheena_sim_switch\n"
    ".popsection\n");
#else
#include <ucontext.h>
#endif

namespace atheena {
namespace sim {

static const std::size_t COROUTINE_STACK_BYTES = std::size_t(64) << 20;

// One execution context: the main thread's (no stack of its own) or a coroutine's.
class coroutine {
 public:
  typedef void (*entry_fn)();

  coroutine() {}
  coroutine(const coroutine&) = delete;
  coroutine& operator=(const coroutine&) = delete;
  ~coroutine() {
    if (stack_) munmap(stack_, COROUTINE_STACK_BYTES);
  }

  // Prepares a fresh stack on which `entry` starts at the first switch to this coroutine.
  // `entry` must never return (it switches away for the last time instead).
  void start(entry_fn entry) {
    if (!stack_) {
      void* p = mmap(nullptr, COROUTINE_STACK_BYTES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) {
        std::fprintf(stderr, "ATHEENA C-SIM: cannot reserve a process stack\n");
        std::exit(2);
      }
      mprotect(p, 4096, PROT_NONE);  // guard page: an overflow faults
      stack_ = p;
    }
#ifdef ATHEENA_SIM_ASM_SWITCH
    // Top of stack, 16-byte aligned: [fake return address][entry][six callee-saved registers].
    unsigned long top = (reinterpret_cast<unsigned long>(stack_) + COROUTINE_STACK_BYTES) & ~15ul;
    void** sp = reinterpret_cast<void**>(top);
    *--sp = nullptr;                               // entry's return address (never used)
    *--sp = reinterpret_cast<void*>(entry);        // popped by `ret` in atheena_sim_switch
    for (int i = 0; i < 6; i++) *--sp = nullptr;   // r15 r14 r13 r12 rbx rbp
    sp_ = sp;
#else
    getcontext(&context_);
    context_.uc_stack.ss_sp = stack_;
    context_.uc_stack.ss_size = COROUTINE_STACK_BYTES;
    context_.uc_link = nullptr;
    makecontext(&context_, entry, 0);
#endif
  }

  // Saves the running context in `from` and resumes `to`.
  static void switch_to(coroutine& from, coroutine& to) {
#ifdef ATHEENA_SIM_ASM_SWITCH
    atheena_sim_switch(&from.sp_, to.sp_);
#else
    swapcontext(&from.context_, &to.context_);
#endif
  }

 private:
  void* stack_ = nullptr;
#ifdef ATHEENA_SIM_ASM_SWITCH
  void* sp_ = nullptr;
#else
  ucontext_t context_;
#endif
};

}  // namespace sim
}  // namespace atheena

#endif  // ATHEENA_SIM_COROUTINE_H
