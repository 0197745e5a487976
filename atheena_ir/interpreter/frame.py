"""
Frames: the SSA environment of a block, scoped to the samples that run it.

The function body runs in a frame over all N samples. An `ee.exit` region runs in a child
frame over the samples that continue: every outer value read there is restricted to those
samples (once, then cached), so the region computes only for them.

Example::

    >>> top = Frame(np.arange(4))
    >>> top.bind(x, BatchValue(data, np.arange(4)))
    >>> Frame(np.array([1, 3]), top).get(x).samples
    array([1, 3])
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from atheena_ir.interpreter.values import BatchValue


class Frame:
    """Values bound in one block, for the samples in `samples` (sorted indices)."""

    def __init__(self, samples: np.ndarray, parent: Frame | None = None):
        self.samples = samples
        self.parent = parent
        self.values: dict[SSAValue, BatchValue] = {}

    def bind(self, ssa: SSAValue, value: BatchValue) -> None:
        self.values[ssa] = value

    def get(self, ssa: SSAValue) -> BatchValue:
        """The value of `ssa`, restricted to this frame's samples."""
        found = self.values.get(ssa)
        if found is not None:
            return found
        if self.parent is None:
            raise KeyError(f"value {ssa.name_hint or ssa} is used before it is defined")
        value = self.parent.get(ssa).restrict(self.samples)
        self.values[ssa] = value
        return value
