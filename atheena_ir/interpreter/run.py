"""
`run`: the interpreter's entry point — a batch through `func.func @main`.

Example::

    >>> from atheena_ir.interpreter import run
    >>> res = run(module, x)        # x: float32 [N, 1, 28, 28] for tensor<1x1x28x28xf32>
    >>> res.output                  # [N, 10]: each sample's result from the exit it took
    >>> res.exit_index              # [N]: 0 = first early exit, ..., last = final classifier
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import SSAValue
from xdsl.utils.exceptions import VerifyException

from atheena_ir.errors import UserError
from atheena_ir.interpreter.arithmetic import Arithmetic
from atheena_ir.interpreter.engine import Engine
from atheena_ir.interpreter.frame import Frame
from atheena_ir.interpreter.kernels import ir_shape
from atheena_ir.interpreter.result import InterpreterResult
from atheena_ir.interpreter.values import BatchValue


def run(
    module_or_func: ModuleOp | func.FuncOp,
    inputs: np.ndarray | Sequence[np.ndarray],
    arithmetic: Arithmetic | None = None,
) -> InterpreterResult:
    """
    Run N samples through `@main` (or the given function), whose IR shapes have batch 1.
    `inputs` is one array `[N, ...]` per function argument (a bare array for one argument).
    Raises `UserError` for invalid IR, a missing `@main`, inputs of the wrong number,
    shape or dtype, or an op the interpreter does not know.
    """
    fn = find_main(module_or_func)
    try:
        fn.verify()
    except VerifyException as e:
        raise UserError(f"the IR does not verify: {e}") from None
    engine = Engine(arithmetic)
    arrays = [inputs] if isinstance(inputs, np.ndarray) else list(inputs)
    args = fn.body.block.args
    if len(arrays) != len(args):
        raise UserError(f"@{fn.sym_name.data} takes {len(args)} inputs, got {len(arrays)}")
    n = batch_size(arrays)
    everyone = np.arange(n)
    frame = Frame(everyone)
    for i, (arg, x) in enumerate(zip(args, arrays, strict=True)):
        data = check_input(i, arg, x, n, engine)
        frame.bind(arg, BatchValue(engine.arith.input(data), everyone))
    values = engine.run_block(fn.body.block, frame)
    outputs, exit_index = [], None
    for i, value in enumerate(values):
        value = value.expand(everyone)
        if value.rows != n:
            raise UserError(
                f"result {i} of @{fn.sym_name.data} holds only {value.rows} of the {n} samples: "
                "values that exist for a subset of the samples (after a cond_buffer) must "
                "reach the return through an ee.exit_merge"
            )
        if exit_index is None and value.exits is not None:
            exit_index = value.exits.astype(np.int64)
        data = np.ascontiguousarray(value.data)
        outputs.append(data.reshape(-1, *data.shape[2:]) if data.ndim >= 2 else data)
    if exit_index is None:
        exit_index = np.zeros(n, np.int64)
    return InterpreterResult(tuple(outputs), exit_index)


def find_main(module_or_func: ModuleOp | func.FuncOp) -> func.FuncOp:
    """The function to run: the given one, `@main`, or a module's only function."""
    if isinstance(module_or_func, func.FuncOp):
        return module_or_func
    funcs = [op for op in module_or_func.walk() if isinstance(op, func.FuncOp)]
    for f in funcs:
        if f.sym_name.data == "main":
            return f
    if len(funcs) == 1:
        return funcs[0]
    names = ", ".join(f"@{f.sym_name.data}" for f in funcs) or "none"
    raise UserError(f"the module has no func.func @main to run (functions: {names})")


def batch_size(arrays: list[object]) -> int:
    """N, from the first input (0 when it is not an array; check_input then complains)."""
    first = arrays[0] if arrays else None
    return first.shape[0] if isinstance(first, np.ndarray) and first.ndim else 0


def check_input(i: int, arg: SSAValue, x: object, n: int, engine: Engine) -> np.ndarray:
    """Input `i` as `[N, *ir_shape]` rows, or a UserError saying what is expected."""
    typ = arg.type
    if not isinstance(typ, TensorType):
        raise UserError(f"input {i} has type {typ}; the interpreter runs tensor inputs only")
    shape = ir_shape(arg)
    want = f"[N, {', '.join(map(str, shape[1:]))}] {engine.arith.dtype.name} for {typ}"
    if not shape or shape[0] != 1:
        raise UserError(f"input {i} is {typ}: the interpreter needs IR with batch 1 (dim 0)")
    if not isinstance(x, np.ndarray):
        raise UserError(f"input {i} must be a numpy array {want}, got {type(x).__name__}")
    if x.dtype != engine.arith.dtype:
        raise UserError(
            f"input {i} has dtype {x.dtype}, expected {want} "
            f"(convert with .astype(np.{engine.arith.dtype.name}))"
        )
    if x.shape[1:] != shape[1:] or x.shape[0] != n:
        raise UserError(f"input {i} has shape {list(x.shape)}, expected {want} with N = {n}")
    return x.reshape(n, *shape)
