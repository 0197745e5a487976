"""C simulation of the HLS units and designs with g++, timed in simulated cycles.

- `toolchain`: locate g++ and the ap_types headers (from the hls4ml wheel), compile programs;
- `runner`: run a program with a timeout (deadlocks are found in simulated time), parse its output;
- `timing`: the timed simulation's report (cycles, throughput, stalls, per-sample latency);
- `manifest`: the checks on a project's manifest before it is trusted;
- `simulate`: build and run a project written by `-t hls` on a batch.

The numeric model the results must match bit for bit (fixed-point types, the exp table, the
stream layout) is `atheena_ir.numerics`, below the dialects.
"""

from atheena_ir.csim.runner import (
    DEADLOCK_EXIT_CODE,
    RunResult,
    SampleResult,
    parse_ints,
    parse_results,
    run_program,
)
from atheena_ir.csim.simulate import CsimResult, simulate
from atheena_ir.csim.toolchain import compile_program, find_ap_types, find_compiler, include_flags

__all__ = [
    "DEADLOCK_EXIT_CODE",
    "CsimResult",
    "RunResult",
    "SampleResult",
    "compile_program",
    "find_ap_types",
    "find_compiler",
    "include_flags",
    "parse_ints",
    "parse_results",
    "run_program",
    "simulate",
]
