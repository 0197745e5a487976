"""
The engine: walks a block op by op, binding each result in a frame.

Two dispatch tables, both keyed by op class:
- `KERNELS` (kernels.py): tensor ops. The engine aligns the operands to the samples they
  all hold (the intersection; a uniform operand broadcasts), calls the kernel on plain
  arrays, and gives the results those samples and the first operand's exit tags.
- `CONTROL` (exits.py, streaming.py): ops that choose samples (exit, stage, split,
  conditional buffer, exit merge). They receive the engine and the frame.

Why not `xdsl.interpreter`: its values are whole Python objects per SSA value and its
regions are run per call; per-sample subsets would have to be threaded through every
implementation by hand anyway, so a small table keyed by op class is clearer here.

Example::

    >>> engine = Engine(Float32Arithmetic())
    >>> outs = engine.run_block(func_op.body.block, frame)   # the values func.return gives
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.dialects.builtin import IntegerType, TensorType
from xdsl.ir import Block, Operation, SSAValue
from xdsl.traits import IsTerminator

from atheena_ir.errors import UserError
from atheena_ir.interpreter.arithmetic import Arithmetic, Float32Arithmetic
from atheena_ir.interpreter.frame import Frame
from atheena_ir.interpreter.kernels import KERNELS, ir_shape
from atheena_ir.interpreter.values import BatchValue, common_samples

Control = Callable[["Engine", Operation, Frame], list[BatchValue]]

CONTROL: dict[type[Operation], Control] = {}
"""The ops that choose samples, by op class (filled by exits.py and streaming.py)."""


def control(op_class: type[Operation]) -> Callable[[Control], Control]:
    """Register the implementation of a sample-choosing op."""

    def register(fn: Control) -> Control:
        CONTROL[op_class] = fn
        return fn

    return register


class Engine:
    """Runs blocks of `ee` ops on batches, with one arithmetic backend."""

    def __init__(self, arithmetic: Arithmetic | None = None):
        self.arith = arithmetic or Float32Arithmetic()

    def run_block(self, block: Block, frame: Frame) -> list[BatchValue]:
        """Run every op of `block`; return the values its terminator passes on."""
        for op in block.ops:
            if op.has_trait(IsTerminator):
                return [frame.get(v) for v in op.operands]
            for ssa, value in zip(op.results, self.run_op(op, frame), strict=True):
                frame.bind(ssa, value)
        raise UserError("a block ends without a terminator")

    def run_op(self, op: Operation, frame: Frame) -> list[BatchValue]:
        impl = CONTROL.get(type(op))
        if impl is not None:
            return impl(self, op, frame)
        kern = KERNELS.get(type(op))
        if kern is None:
            known = sorted({c.name for c in (*KERNELS, *CONTROL)})  # type: ignore[attr-defined]
            raise UserError(
                f"the interpreter has no implementation of '{op.name}'; "
                f"it runs: {', '.join(known)} (docs/interpreter.md says how to add one)"
            )
        values = [frame.get(v) for v in op.operands]
        samples = common_samples(values)
        if samples is not None:
            values = [v.restrict(samples) for v in values]
        exits = next((v.exits for v in values if v.exits is not None), None)
        if samples is not None and samples.size == 0:
            return [BatchValue(self.empty(r), samples, exits) for r in op.results]
        outs = kern(op, [v.data for v in values], self.arith)
        rows = 1 if samples is None else samples.size
        for res, out in zip(op.results, outs, strict=True):
            assert out.shape == (rows, *ir_shape(res)), (op.name, out.shape, res.type)
        return [BatchValue(out, samples, exits) for out in outs]

    def empty(self, ssa: SSAValue) -> np.ndarray:
        """Data of a value that holds no sample."""
        return np.zeros((0, *ir_shape(ssa)), self.dtype_of(ssa))

    def dtype_of(self, ssa: SSAValue) -> np.dtype:
        t = ssa.type
        element = t.element_type if isinstance(t, TensorType) else t
        if isinstance(element, IntegerType):
            width = element.width.data
            return np.dtype(np.bool_) if width == 1 else np.dtype(f"int{max(8, width)}")
        return self.arith.dtype
