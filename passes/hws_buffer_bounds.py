"""
The figures that size each conditional buffer of `lower-to-hws`: the cost model's interval
and pipeline depth of the ops on the path into a buffer's split and along the exit branch to
its decision, at the ops' own foldings. The paths and the formula live in
`atheena_ir.cost.buffer_depths`, which the cost model uses too (one source of truth).

```python
for buffer, bound in buffer_bounds(stage_block).items():   # every ee.cond_buffer of a stage
    print(bound.arrival, bound.branch_interval, bound.branch_depth, bound.maps(slack=1))
```
"""

from __future__ import annotations

from xdsl.ir import Block, Operation

from atheena_ir.cost import CostModel, Folding
from atheena_ir.cost.buffer_depths import BufferBound, buffer_paths
from atheena_ir.cost.from_ir import layer_spec
from atheena_ir.dialects import ee
from atheena_ir.passes.hws_values import fold_factors

__all__ = ["BufferBound", "buffer_bounds", "op_cost"]


def op_cost(op: Operation, model: CostModel | None = None) -> tuple[float, float]:
    """The cost model's (interval, pipeline depth) of an ee op (zero for wiring)."""
    spec = layer_spec(op)
    if spec is None:
        return (0.0, 0.0)
    ci, co, cg, fine = fold_factors(op)
    c = (model or CostModel()).layer(spec, Folding(ci, co, cg, fine), check=False)
    return (c.interval, c.depth)


def buffer_bounds(
    block: Block, model: CostModel | None = None
) -> dict[ee.CondBufferOp, BufferBound]:
    """The bound of every `ee.cond_buffer` in `block` (a stage's body)."""
    model = model or CostModel()
    costs: dict[Operation, tuple[float, float]] = {}

    def cost(op: Operation) -> tuple[float, float]:
        if op not in costs:
            costs[op] = op_cost(op, model)
        return costs[op]

    return {
        buf: paths.bound(cost) if paths is not None else BufferBound(1.0, 0.0, 0.0)
        for buf, paths in buffer_paths(block).items()
    }
