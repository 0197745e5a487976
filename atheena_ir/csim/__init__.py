"""C simulation of the HLS units with g++ and the numpy fixed-point reference they must match.

- `toolchain`: locate g++ and the ap_types headers (from the hls4ml wheel), compile programs;
- `runner`: run a program with a timeout (deadlocks are found in simulated time), parse its output;
- `timing`: the timed simulation's report (cycles, throughput, stalls, per-sample latency);
- `fixed_point`: the numpy model of every unit's arithmetic, bit for bit;
- `exp_table`: the exit decision's exponential table and threshold constant;
- `layout`: the stream order of tensors and the units' weight arrays;
- `manifest`: the checks on a project's manifest before it is trusted;
- `simulate`: build and run a project written by `-t hls` on a batch.
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
