"""
The post-split ops: `ee.stage`, `ee.split`, `ee.cond_buffer`, `ee.exit_merge`.

- a stage runs its region over the same samples (its `reach` is an annotation);
- a split gives every consumer the same value;
- a conditional buffer passes on the rows whose decision is true (`forward exit`) or false
  (`forward continue`), so its result holds only those samples;
- an exit merge reassembles the results in sample order from whichever input holds each
  sample; its second result, and the tag of the first, is the input's position (the exit).

Example: with decisions `[T, F, T]`, `cond_buffer %fm, %d forward continue` holds sample 1
only, the next stage computes for sample 1 only, and `exit_merge %keep, %late` takes
samples 0 and 2 from `%keep` (exit 0) and sample 1 from `%late` (exit 1).
"""

from __future__ import annotations

import numpy as np

from atheena_ir.dialects import ee
from atheena_ir.interpreter.engine import Engine, control
from atheena_ir.interpreter.exits import decided
from atheena_ir.interpreter.frame import Frame
from atheena_ir.interpreter.values import BatchValue, union


@control(ee.StageOp)
def run_stage(engine: Engine, op: ee.StageOp, frame: Frame) -> list[BatchValue]:
    return engine.run_block(op.body.block, Frame(frame.samples, frame))


@control(ee.SplitOp)
def run_split(engine: Engine, op: ee.SplitOp, frame: Frame) -> list[BatchValue]:
    value = frame.get(op.input)
    return [value] * len(op.outputs)


@control(ee.CondBufferOp)
def run_cond_buffer(engine: Engine, op: ee.CondBufferOp, frame: Frame) -> list[BatchValue]:
    value, leave = decided(frame.get(op.input), frame.get(op.decision), frame)
    keep = leave if op.mode.data == "exit" else ~leave
    return [value.take(keep)]


@control(ee.ExitMergeOp)
def run_exit_merge(engine: Engine, op: ee.ExitMergeOp, frame: Frame) -> list[BatchValue]:
    parts = [frame.get(v).expand(frame.samples).with_exits(i) for i, v in enumerate(op.inputs)]
    merged = union(parts, f"'{op.name}'")
    assert merged.exits is not None
    index = BatchValue(merged.exits.astype(np.int32), merged.samples, merged.exits)
    return [merged, index]
