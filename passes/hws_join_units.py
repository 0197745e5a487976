"""
The joins of `lower-to-hws`: `ee.add` of two streams (a residual connection) becomes `hws.add`,
`ee.concat` along the channels a chain of two-input `hws.concat`, and each path into a join
whose partner paths trail it gets an `hws.fifo` (depth from `atheena_ir.cost.buffer_depths`,
which the cost model uses too).

```python
lower_add(chains, add_op, "Add_9")        # [fifo ->] add, into chains.streams[add_op.output]
lower_concat(chains, concat_op, "Concat_9")
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xdsl.ir import Operation, SSAValue

from atheena_ir.cost.buffer_depths import join_fifo_words, join_lags
from atheena_ir.dialects import ee, hws
from atheena_ir.dialects.ee.syntax import int_array
from atheena_ir.passes.hws_values import fold_factors, map_shape

if TYPE_CHECKING:
    from atheena_ir.passes.hws_unit_chains import UnitChains


def lower_add(chains: UnitChains, op: ee.AddOp, hint: str) -> None:
    """`ee.add` of two streams -> `hws.add` (a residual connection); hws_legality.py checked it."""
    x, y = join_inputs(chains, op, [op.lhs, op.rhs], hint)
    chains.streams[op.output] = chains.unit(hws.AddOp, [x, y], [x.type], f"{hint}_add")


def lower_concat(chains: UnitChains, op: ee.ConcatOp, hint: str) -> None:
    """`ee.concat` along the channels -> a chain of two-input `hws.concat` units."""
    lanes = fold_factors(op)[0]
    streams = join_inputs(chains, op, list(op.inputs), hint)
    words = [map_shape(v)[2] // lanes for v in op.inputs]
    y, have = streams[0], words[0]
    for x, w in zip(streams[1:], words[1:], strict=True):
        y = chains.unit(
            hws.ConcatOp, [y, x], [y.type], f"{hint}_concat", words=int_array([have, w])
        )
        have += w
    chains.streams[op.output] = y


def join_inputs(
    chains: UnitChains, op: Operation, values: list[SSAValue], hint: str
) -> list[SSAValue]:
    """
    The streams of the paths a join (`ee.add`, `ee.concat`) reads, with its coarse as
    lanes, each behind an `hws.fifo` when other paths from the same split trail it
    (`atheena_ir.cost.buffer_depths.join_fifo_words` sizes it).
    """
    lanes = fold_factors(op)[0]
    streams = [chains.stream(v, lanes, op, hint) for v in values]
    fork, partners = join_lags(values)
    if fork is None:
        return streams
    fork_rows = map_shape(next(iter(fork.operands)))[0]
    for i, (v, x) in enumerate(zip(values, streams, strict=True)):
        partner = partners[i]
        if partner > 0:
            depth = join_fifo_words(partner, fork_rows, map_shape(v), lanes, chains.fifo)
            streams[i] = chains.unit(
                hws.FifoOp, [x], [x.type], f"{hint}_fifo{i}", depth=int_array([depth])
            )
    return streams
