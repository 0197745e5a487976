"""
`ee.exit`: per-sample early exit with a region that runs only for the continuing samples.

For the samples whose decision holds, the result is the exit's logits (tagged exit 0);
the region runs in a child frame over the other samples, and its yielded value becomes
their result, tagged `1 + ` the tag it carries (so nested exits number 0, 1, ..., N).

Example: with decisions `[T, F, T, F]` the region runs on samples `[1, 3]` only::

    %out = ee.exit %z0 if %d0 : tensor<1x10xf32> else { ... ee.yield %z1 ... }
"""

from __future__ import annotations

import numpy as np

from atheena_ir.dialects import ee
from atheena_ir.interpreter.engine import Engine, control
from atheena_ir.interpreter.frame import Frame
from atheena_ir.interpreter.values import BatchValue, common_samples, union


def decided(
    logits: BatchValue, decision: BatchValue, frame: Frame
) -> tuple[BatchValue, np.ndarray]:
    """Align a value and its decision to the samples both hold; return the value and mask."""
    samples = common_samples([logits, decision])
    samples = frame.samples if samples is None else samples
    value = logits.expand(samples)
    mask = decision.expand(samples).data.astype(bool).reshape(samples.size)
    return value, mask


@control(ee.ExitOp)
def run_exit(engine: Engine, op: ee.ExitOp, frame: Frame) -> list[BatchValue]:
    logits, leave = decided(frame.get(op.logits), frame.get(op.decision), frame)
    assert logits.samples is not None
    parts = [logits.take(leave).with_exits(0)]
    continuing = logits.samples[~leave]
    if continuing.size:
        (rest,) = engine.run_block(op.rest.block, Frame(continuing, frame))
        rest = rest.expand(continuing)
        tags = 1 if rest.exits is None else rest.exits + 1
        parts.append(rest.with_exits(tags))
    return [union(parts, f"'{op.name}'")]
