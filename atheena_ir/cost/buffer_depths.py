"""
The one place where the depths of the buffers `lower-to-hws` builds are decided: conditional
buffers (whole maps) and the FIFOs of paths that rejoin (words). The lowering sizes its units
with these functions and the cost model (reports, the DSE) charges their memory with the same
ones, so what is costed is what is built (docs/hws.md explains why the depths cannot deadlock).

- `cond_buffer_maps(arrival, branch_interval, branch_depth, slack)`:
  `ceil((max(A, II_b) + D_b) / A) + 1 + slack` maps, where A is the interval at which maps reach
  the buffer's split, II_b the largest interval and D_b the longest pipeline depth along the exit
  branch (split to decision). `buffer_paths(block)` finds, for every `ee.cond_buffer`, which ops
  set A (every op the split is computed from) and which form the branch; `BufferPaths.bound`
  turns any op costs into A, II_b, D_b.
- `join_fifo_words(...)`: the words of the `hws.fifo` before a join (`ee.add`, `ee.concat`) on a
  path whose partners trail it by `lag_rows` rows of the fork's map (`fork_of`, `lag_rows`).

```python
for buf, paths in buffer_paths(stage_block).items():
    bound = paths.bound(lambda op: (interval_of(op), depth_of(op)))
    maps = cond_buffer_maps(bound.arrival, bound.branch_interval, bound.branch_depth)
```
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Block, Operation, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.syntax import int_list

BUFFER_SLACK = 1
"""Maps every conditional buffer holds beyond the derived bound (`buffer-slack`)."""
FIFO_DEPTH = 32
"""Words of every plain stream (`fifo-depth`). With 2, the bursts of neighbouring layers (a
sliding window's padding rows and line fill) stall the whole chain: the timed C simulation of
B-LeNet at 0.5 of a ZC706 ran 22 % below the cost model, and within 5 % at 32 words. Up to 32
words a FIFO is one SRL32 shift register per bit in Xilinx fabric, the same LUTs as 2 words."""
PATH_SLACK_PIXELS = 16
"""Pixels of its input map that one `ee` op's units may hold in flight (FIFOs, registers)."""


def cond_buffer_maps(
    arrival: float, branch_interval: float, branch_depth: float, slack: int = BUFFER_SLACK
) -> int:
    """Maps a conditional buffer holds: ceil((max(A, II_b) + D_b) / A) + 1 + slack."""
    pending = max(arrival, branch_interval) + branch_depth
    return math.ceil(pending / max(arrival, 1.0)) + 1 + slack


def min_cond_buffer_maps(slack: int = BUFFER_SLACK) -> int:
    """The fewest maps any conditional buffer gets: its branch ends in an exit decision, whose
    pipeline depth is positive, so ceil(T / A) >= 2."""
    return 2 + 1 + slack


def join_fifo_words(
    partner_lag: float,
    fork_rows: int,
    join_map: tuple[int, int, int],
    lanes: int,
    fifo: int = FIFO_DEPTH,
) -> int:
    """Words of a join input's FIFO (`lanes` lanes, the join's map rows x cols x channels)
    covering a partner path that trails by `partner_lag` rows of the fork's map, plus one row
    and the two ordinary FIFOs."""
    rows, cols, channels = join_map
    join_rows = partner_lag * rows / fork_rows + 1
    return math.ceil(join_rows * cols * channels / lanes) + 2 * fifo


# --- conditional buffers ---------------------------------------------------------------------


@dataclass(frozen=True)
class BufferBound:
    """The figures behind one conditional buffer's size."""

    arrival: float
    """A: the interval at which maps reach the buffer's split."""
    branch_interval: float
    """II_b: the largest interval on the exit branch, split to decision."""
    branch_depth: float
    """D_b: the longest summed pipeline depth of the exit branch."""

    @property
    def pending(self) -> float:
        """T: the longest a decision can be pending after its map starts to arrive."""
        return max(self.arrival, self.branch_interval) + self.branch_depth

    def maps(self, slack: int = 0) -> int:
        """Maps the buffer must hold (`cond_buffer_maps`)."""
        return cond_buffer_maps(self.arrival, self.branch_interval, self.branch_depth, slack)


Cost = Callable[[Operation], tuple[float, float]]
"""An op's (interval, pipeline depth); zero for wiring."""


@dataclass(frozen=True)
class BufferPaths:
    """Which ops size one conditional buffer: those its split is computed from (`into`, within
    the stage) and the exit branch (`branch`, in order, each with its producers in the branch)."""

    into: tuple[Operation, ...]
    branch: tuple[tuple[Operation, tuple[int, ...]], ...]

    def bound(self, cost: Cost) -> BufferBound:
        """A, II_b and D_b for the op costs `cost`."""
        arrival = max((cost(op)[0] for op in self.into), default=1.0)
        longest: list[float] = []
        for op, preds in self.branch:
            longest.append(cost(op)[1] + max((longest[p] for p in preds), default=0.0))
        return BufferBound(
            arrival=arrival,
            branch_interval=max((cost(op)[0] for op, _ in self.branch), default=0.0),
            branch_depth=longest[-1] if longest else 0.0,
        )


def buffer_paths(block: Block) -> dict[ee.CondBufferOp, BufferPaths | None]:
    """The paths of every `ee.cond_buffer` in `block` (a stage's body); None when the buffer's
    input or decision is not computed in the block (then it gets the smallest size)."""
    ops = list(block.ops)
    found: dict[ee.CondBufferOp, BufferPaths | None] = {}
    for buf in ops:
        if not isinstance(buf, ee.CondBufferOp):
            continue
        source = _hardware_producer(buf.input)
        decision = _decision_of(buf.decision)
        if source is None or source not in ops or decision is None:
            found[buf] = None
            continue
        into = _ancestors_in(source, ops)
        branch = [op for op in ops if op in _between(source, decision, ops)]
        index = {op: i for i, op in enumerate(branch)}
        found[buf] = BufferPaths(
            into=tuple(op for op in ops if op in into),
            branch=tuple(
                (op, tuple(index[p] for p in _producers(op) if p in index)) for op in branch
            ),
        )
    return found


def _producers(op: Operation) -> list[Operation]:
    """The ops whose results `op` reads."""
    return [v.owner for v in op.operands if isinstance(v.owner, Operation)]


def _ancestors_in(op: Operation, ops: list[Operation]) -> set[Operation]:
    """`op` and every op of `ops` it is computed from."""
    inside = set(ops)
    seen = {op}
    todo = [op]
    while todo:
        for p in _producers(todo.pop()):
            if p in inside and p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def _hardware_producer(value: SSAValue) -> Operation | None:
    while isinstance(value.owner, ee.FlattenOp | ee.ReshapeOp):
        value = value.owner.input
    return value.owner if isinstance(value.owner, Operation) else None


def _decision_of(value: SSAValue) -> ee.ExitDecisionOp | None:
    while isinstance(value.owner, ee.SplitOp):
        value = value.owner.input
    return value.owner if isinstance(value.owner, ee.ExitDecisionOp) else None


def _between(source: Operation, target: Operation, ops: list[Operation]) -> set[Operation]:
    """Ops on some path from `source` to `target` (both included)."""
    after = {source}
    for op in ops:
        if any(p in after for p in _producers(op)):
            after.add(op)
    before = {target}
    for op in reversed(ops):
        if op in before:
            before.update(_producers(op))
    return after & before


# --- joins -----------------------------------------------------------------------------------


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


def map_rows_cols(value: SSAValue) -> tuple[int, int]:
    """Rows and columns of an NCHW map (1, 1 for a vector)."""
    shape = value.type.get_shape()  # type: ignore[attr-defined]
    return (shape[2], shape[3]) if len(shape) == 4 else (1, 1)


def fork_rows(fork: Operation) -> int:
    """Rows of the map a fork reads (1 for a vector)."""
    inputs = list(_inputs(fork))
    return map_rows_cols(inputs[0])[0] if inputs else 1


def lag_rows(value: SSAValue, fork: Operation) -> float | None:
    """
    An upper bound on how many rows of the fork's input map the stream of `value` trails
    the fork's; None when `value` is not computed from the fork. Per op on the path,
    `scale * (own + PATH_SLACK_PIXELS / cols)`: `own` = KH - PT rows for a conv or pool, the
    whole input map for a global pool or linear, else 0; `scale` = the fork's rows / the op's.
    """
    rows_at_fork = fork_rows(fork)
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
                rows, cols = map_rows_cols(next(_inputs(op)))
                scale = rows_at_fork / rows
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


def join_lags(values: Sequence[SSAValue]) -> tuple[Operation | None, list[float]]:
    """The fork of a join's inputs and, per input, the largest lag of the other inputs (rows
    of the fork's map; 0 when no FIFO is needed)."""
    fork = fork_of(values) if len(values) > 1 else None
    if fork is None:
        return None, [0.0] * len(values)
    lags = [lag_rows(v, fork) or 0.0 for v in values]
    partners = [max(lag for j, lag in enumerate(lags) if j != i) for i in range(len(values))]
    return fork, partners
