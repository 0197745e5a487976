"""
What `lower-to-hws` reads off an `ee` value or op: its map shape, its producer through wiring
(flattens and reshapes keep the stream as it is) and its folding factors.

```python
map_shape(conv.output)        # (rows, cols, channels), (1, 1, K) for a [1, K] vector
through_wiring(flat.output)   # the value before the flatten
fold_factors(conv)            # (coarse_in, coarse_out, coarse_group, fine), 1s when unfolded
```
"""

from __future__ import annotations

import math

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from atheena_ir.dialects import ee

WIRING = (ee.FlattenOp, ee.ReshapeOp)
"""Ops that keep the stream as it is (the stream order is already the flattened order)."""


def map_shape(value: SSAValue) -> tuple[int, int, int]:
    """rows, cols, channels of an NCHW map or a [1, K] vector (1, 1, K)."""
    t = value.type
    assert isinstance(t, TensorType)
    shape = tuple(t.get_shape())
    if len(shape) == 4:
        return (shape[2], shape[3], shape[1])
    return (1, 1, math.prod(shape[1:]) if len(shape) > 1 else shape[0])


def through_wiring(value: SSAValue) -> SSAValue:
    while isinstance(value.owner, WIRING):
        value = value.owner.input
    return value


def fold_factors(op: Operation) -> tuple[int, int, int, int]:
    """coarse_in, coarse_out, coarse_group, fine of an op (1s without a folding)."""
    attr = op.properties.get("folding") or op.attributes.get("folding")
    if isinstance(attr, ee.FoldAttr):
        f = attr.factors()
        return (f["coarse_in"], f["coarse_out"], f["coarse_group"], f["fine"])
    return (1, 1, 1, 1)
