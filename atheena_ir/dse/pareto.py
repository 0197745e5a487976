"""Pareto pruning: drop configurations another one beats in every coordinate.

A layer's configuration matters to the search only through its interval, its pipeline depth
and its four resources; each enters the problem monotonically (smaller is never worse), so a
configuration dominated in all six is never needed for an optimum and can be dropped without
changing it. Before comparing, intervals below the stage's floor (the largest interval no layer
of the stage can go under) are raised to the floor: the stage interval can never be below it.
"""

from __future__ import annotations

import numpy as np


def nondominated(costs: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the rows of ``costs`` (n, d) not dominated by another row.

    Row j dominates row i when it is <= in every column and < in at least one; of several equal
    rows the first is kept.
    """
    n = len(costs)
    if n <= 1:
        return np.arange(n)
    le = np.all(costs[:, None, :] <= costs[None, :, :], axis=2)  # le[j, i]: j <= i everywhere
    lt = np.any(costs[:, None, :] < costs[None, :, :], axis=2)
    dominated = np.any(le & lt, axis=0)
    equal = le & le.T
    earlier_equal = np.any(np.tril(equal, k=-1), axis=1)  # an equal row comes before
    return np.flatnonzero(~dominated & ~earlier_equal)


def front_2d(points: list[tuple[float, float]]) -> list[int]:
    """Indices of the points (resource, throughput) on the Pareto front, by resource."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1]))
    best, keep = -np.inf, []
    for i in order:
        if points[i][1] > best:
            keep.append(i)
            best = points[i][1]
    return keep
