"""
Values that exist for a subset of the samples in a batch.

The interpreter runs a batch of N samples through IR whose shapes have batch 1. After an
exit decision, some values exist only for some samples: an exit's region runs only for the
samples that continue, and after `split-exits` a `forward continue` buffer passes on only
those samples. A `BatchValue` therefore carries, next to its data, the sorted indices of the
samples it holds:

    data.shape == (len(samples), *ir_shape)   # one row per held sample, IR shape kept whole

A value that is the same for every sample (a constant, or anything computed only from
constants) is *uniform*: `samples is None` and `data` has a single row, which broadcasts.
`exits` optionally tags each row with the index of the exit that produced it (0 = earliest).

Example::

    >>> v = BatchValue(np.zeros((3, 1, 10), np.float32), np.array([0, 2, 5]))
    >>> v.restrict(np.array([2, 3, 5])).samples
    array([2, 5])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from atheena_ir.errors import UserError


@dataclass(frozen=True)
class BatchValue:
    """One SSA value's data for the samples it holds (all of them when `samples` is None)."""

    data: np.ndarray
    samples: np.ndarray | None = None
    exits: np.ndarray | None = None

    @staticmethod
    def uniform(array: np.ndarray) -> BatchValue:
        """A value that is the same for every sample (one broadcasting row)."""
        return BatchValue(np.asarray(array)[None])

    @property
    def is_uniform(self) -> bool:
        return self.samples is None

    @property
    def rows(self) -> int:
        return self.data.shape[0]

    def restrict(self, samples: np.ndarray) -> BatchValue:
        """The rows of the samples in `samples` that this value holds (uniform stays uniform)."""
        if self.samples is None:
            return self
        if self.samples.shape == samples.shape and np.array_equal(self.samples, samples):
            return self
        pos = np.searchsorted(self.samples, samples)
        found = pos < self.samples.size
        found[found] = self.samples[pos[found]] == samples[found]
        return self.take(pos[found])

    def expand(self, samples: np.ndarray) -> BatchValue:
        """Like `restrict`, but a uniform value is broadcast to one row per sample."""
        if self.samples is not None:
            return self.restrict(samples)
        data = np.broadcast_to(self.data, (samples.size, *self.data.shape[1:]))
        return BatchValue(data, samples, None)

    def take(self, rows: np.ndarray) -> BatchValue:
        """The value restricted to the given row positions (or a boolean row mask)."""
        assert self.samples is not None, "take() on a uniform value"
        exits = None if self.exits is None else self.exits[rows]
        return BatchValue(self.data[rows], self.samples[rows], exits)

    def with_exits(self, exits: np.ndarray | int) -> BatchValue:
        """The same rows, each tagged with an exit index."""
        tags = np.broadcast_to(np.asarray(exits, np.int64), (self.rows,)).copy()
        return BatchValue(self.data, self.samples, tags)


def common_samples(values: Sequence[BatchValue]) -> np.ndarray | None:
    """The samples held by every non-uniform value (None when all are uniform)."""
    result: np.ndarray | None = None
    for v in values:
        if v.samples is None:
            continue
        result = v.samples if result is None else np.intersect1d(result, v.samples, True)
    return result


def union(parts: Sequence[BatchValue], what: str) -> BatchValue:
    """
    Reassemble disjoint subsets into one value in sample order. Every part must be
    non-uniform and tagged with exits. `what` names the op for the error when a sample
    arrives twice.
    """
    samples = np.concatenate([p.samples for p in parts if p.samples is not None])
    order = np.argsort(samples, kind="stable")
    samples = samples[order]
    dup = np.flatnonzero(samples[1:] == samples[:-1])
    if dup.size:
        raise UserError(
            f"{what}: sample {int(samples[dup[0]])} arrives from more than one input; "
            "each sample must leave through exactly one exit"
        )
    data = np.concatenate([p.data for p in parts])[order]
    exits = np.concatenate([p.exits for p in parts if p.exits is not None])[order]
    return BatchValue(data, samples, exits)
