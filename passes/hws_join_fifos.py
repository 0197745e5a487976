"""
The FIFOs of paths that rejoin (residual connections, concats), for `lower-to-hws`.

A residual `ee.add` joins two paths that leave one split: typically the main path
(convolutions, whose sliding windows must receive `KH - PT` rows beyond a pixel before they
emit it) and the skip path (often no unit at all); an `ee.concat` joins the branches of an
Inception or SqueezeNet block. The split writes every word to all paths at once, so a path
that emits sooner must hold its words until the others catch up; if it cannot, the split
blocks, the slower path starves and the design deadlocks. The lowering therefore puts an
`hws.fifo` before the join on each path whose partners trail it, deep enough for the largest
partner's lag:

- `lag_rows(value, fork)` bounds how many rows of the fork's map the stream of `value` trails
  the fork: per windowed op on the path `(KH - PT)` rows of its input map, per whole-map op
  (global pool, linear) its whole input, per op `PATH_SLACK_PIXELS` pixels for the words
  held in its units' FIFOs and registers, each scaled to the fork's rows by the strides
  between (a conv on a map of half the rows lags twice as many fork rows per row);
- `fifo_words(...)` turns a partner's lag into words of the join's input stream, plus one
  row and the two ordinary FIFOs.

```python
fork = fork_of([add.lhs, add.rhs])                # the ee.split both paths leave from
lag_rows(add.lhs, fork), lag_rows(add.rhs, fork)   # e.g. (5.1, 0.0) for conv-relu-conv + identity
```
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.syntax import int_list

PATH_SLACK_PIXELS = 16
"""Pixels of its input map that one `ee` op's units may hold in flight (FIFOs, registers)."""


def _inputs(op: Operation) -> Iterator[SSAValue]:
    """The run-time tensor operands of `op` (weights and other constants excluded)."""
    for v in op.operands:
        if isinstance(v.type, TensorType) and not isinstance(v.owner, ee.ConstantOp):
            yield v


def _ancestors(value: SSAValue) -> set[Operation]:
    """Every op `value` is computed from, its own producer included."""
    seen: set[Operation] = set()
    todo = [value]
    while todo:
        owner = todo.pop().owner
        if isinstance(owner, Operation) and owner not in seen:
            seen.add(owner)
            todo.extend(_inputs(owner))
    return seen


def fork_of(values: Sequence[SSAValue]) -> Operation | None:
    """
    The nearest op all `values` are computed from (a residual or Inception block's split),
    if any: of their common ancestors in the block of the first one's user, the last in the
    block's (topological) order, which no other common ancestor is computed from.
    """
    common = set.intersection(*(_ancestors(v) for v in values))
    block = next(iter(values[0].uses)).operation.parent_block()
    if block is None:
        return None
    order = [op for op in block.ops if op in common]
    return order[-1] if order else None


def _rows_cols(value: SSAValue) -> tuple[int, int]:
    shape = value.type.get_shape()  # type: ignore[attr-defined]
    return (shape[2], shape[3]) if len(shape) == 4 else (1, 1)


def lag_rows(value: SSAValue, fork: Operation) -> float | None:
    """
    An upper bound on how many rows of the fork's input map the stream of `value` trails
    the fork's; None when `value` is not computed from the fork.
    """
    fork_rows = _rows_cols(next(_inputs(fork)))[0] if list(_inputs(fork)) else 1
    memo: dict[SSAValue, float | None] = {}

    def lag(v: SSAValue) -> float | None:
        if v in memo:
            return memo[v]
        op = v.owner
        result: float | None = None
        if op is fork:
            result = 0.0
        elif isinstance(op, Operation):
            known = [x for x in (lag(u) for u in _inputs(op)) if x is not None]
            if known:
                inp = next(_inputs(op))
                rows, cols = _rows_cols(inp)
                scale = fork_rows / rows
                result = max(known) + scale * (_own_rows(op, rows) + PATH_SLACK_PIXELS / cols)
        memo[v] = result
        return result

    return lag(value)


def _own_rows(op: Operation, rows: int) -> float:
    """Rows of its input map an op must receive beyond a pixel before it emits that pixel."""
    if isinstance(op, ee.Conv2dOp | ee.MaxPool2dOp | ee.AvgPool2dOp):
        kernel = op.kernel if isinstance(op, ee.Conv2dOp) else int_list(op.kernel)
        return kernel[0] - int_list(op.pads)[0]
    if isinstance(op, ee.GlobalAvgPoolOp | ee.LinearOp):
        return rows  # the whole map before the first output
    return 0.0


def fifo_words(
    join_input: SSAValue, partner_lag: float, fork_rows: int, lanes: int, fifo: int
) -> int:
    """Words of `join_input`'s stream (`lanes` lanes) that cover a partner path's lag."""
    rows, cols = _rows_cols(join_input)
    channels = math.prod(join_input.type.get_shape()[1:]) // (rows * cols)  # type: ignore[attr-defined]
    join_rows = partner_lag * rows / fork_rows + 1
    return math.ceil(join_rows * cols * channels / lanes) + 2 * fifo
