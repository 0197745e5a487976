"""
The figures that size each conditional buffer of `lower-to-hws` (formulas in that pass's
docstring and docs/hws.md): the cost model's interval and pipeline depth of every op on
the path into a buffer's split and along the exit branch to its decision.

```python
for buffer, bound in buffer_bounds(stage_block).items():   # every ee.cond_buffer of a stage
    print(bound.arrival, bound.branch_interval, bound.branch_depth, bound.maps(slack=1))
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.ir import Block, Operation, SSAValue

from atheena_ir.cost import CostModel, Folding
from atheena_ir.cost.from_ir import layer_spec
from atheena_ir.dialects import ee
from atheena_ir.passes.hws_values import WIRING, fold_factors


@dataclass(frozen=True)
class Cost:
    """The cost model's interval (cycles per sample) and pipeline depth (cycles) of an op."""

    interval: float = 0.0
    depth: float = 0.0


@dataclass(frozen=True)
class BufferBound:
    """The figures behind one conditional buffer's size (see the module docstring)."""

    arrival: float
    """A: the interval at which maps reach the buffer's split."""
    branch_interval: float
    """II_b: the largest interval on the exit branch, split to decision."""
    branch_depth: float
    """D_b: the summed pipeline depth of the exit branch."""

    @property
    def pending(self) -> float:
        """T: the longest a decision can be pending after its map starts to arrive."""
        return max(self.arrival, self.branch_interval) + self.branch_depth

    def maps(self, slack: int = 0) -> int:
        """Maps the buffer must hold: ceil(T / A) + 1 (+ slack)."""
        return math.ceil(self.pending / max(self.arrival, 1.0)) + 1 + slack


def op_cost(op: Operation, model: CostModel | None = None) -> Cost:
    """The cost model's figures for an ee op (zero for wiring and non-hardware ops)."""
    spec = layer_spec(op)
    if spec is None:
        return Cost()
    ci, co, cg, fine = fold_factors(op)
    c = (model or CostModel()).layer(spec, Folding(ci, co, cg, fine), check=False)
    return Cost(c.interval, c.depth)


def buffer_bounds(
    block: Block, model: CostModel | None = None
) -> dict[ee.CondBufferOp, BufferBound]:
    """The bound of every `ee.cond_buffer` in `block` (a stage's body)."""
    model = model or CostModel()
    ops = list(block.ops)
    costs = {op: op_cost(op, model) for op in ops}
    arrival: dict[Operation, float] = {}
    for op in ops:
        inputs = [arrival[p] for p in _producers(op) if p in arrival]
        arrival[op] = max([costs[op].interval, *inputs])
    bounds: dict[ee.CondBufferOp, BufferBound] = {}
    for buf in ops:
        if not isinstance(buf, ee.CondBufferOp):
            continue
        source = _hardware_producer(buf.input)
        decision = _decision_of(buf.decision)
        if source is None or source not in arrival or decision is None:
            bounds[buf] = BufferBound(1.0, 0.0, 0.0)
            continue
        branch = _between(source, decision, ops)
        longest: dict[Operation, float] = {}
        for op in ops:
            if op not in branch:
                continue
            before = [longest[p] for p in _producers(op) if p in longest]
            longest[op] = costs[op].depth + (max(before) if before else 0.0)
        bounds[buf] = BufferBound(
            arrival=arrival[source],
            branch_interval=max(costs[op].interval for op in branch),
            branch_depth=longest.get(decision, 0.0),
        )
    return bounds


def _producers(op: Operation) -> list[Operation]:
    """The ops whose results `op` reads (looking through nothing)."""
    return [v.owner for v in op.operands if isinstance(v.owner, Operation)]


def _hardware_producer(value: SSAValue) -> Operation | None:
    while isinstance(value.owner, WIRING):
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
