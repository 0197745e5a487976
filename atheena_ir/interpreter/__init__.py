"""
The reference interpreter of the `ee` dialect: the oracle for every pass and backend.

It runs a batch of N samples through a `func.func @main` whose IR shapes have batch 1,
with per-sample early-exit semantics: an exit's region (and, after `split-exits`, every
op downstream of a `forward continue` buffer) computes only for the samples that reach
it, vectorised over that subset. The result gives every output for the whole batch in
sample order and the exit each sample took.

    >>> from atheena_ir.interpreter import run
    >>> res = run(module, x)                 # x: float32 [N, 1, 28, 28]
    >>> res.output.shape, res.exit_index     # (N, 10), array([0, 1, 0, ...])

Files: `values.py` (a value held for a subset of samples), `frame.py` (scopes),
`arithmetic.py` (the number format: `Float32Arithmetic`), `fixed_arithmetic.py`
(`FixedPointArithmetic`: the HLS units' fixed-point arithmetic, bit for bit),
`windows.py`, `kernels.py` (tensor ops), `exits.py` and `streaming.py` (ops that
choose samples), `engine.py` (dispatch), `run.py` (entry point), `result.py`.
docs/interpreter.md describes the semantics and how to add an op.
"""

from atheena_ir.interpreter import exits as _exits
from atheena_ir.interpreter import streaming as _streaming
from atheena_ir.interpreter.arithmetic import Arithmetic, Float32Arithmetic
from atheena_ir.interpreter.engine import CONTROL, Engine, control
from atheena_ir.interpreter.fixed_arithmetic import FixedPointArithmetic
from atheena_ir.interpreter.kernels import KERNELS, kernel
from atheena_ir.interpreter.result import InterpreterResult
from atheena_ir.interpreter.run import run
from atheena_ir.interpreter.values import BatchValue

del _exits, _streaming  # imported for their registrations

__all__ = [
    "CONTROL",
    "KERNELS",
    "Arithmetic",
    "BatchValue",
    "Engine",
    "FixedPointArithmetic",
    "Float32Arithmetic",
    "InterpreterResult",
    "control",
    "kernel",
    "run",
]
