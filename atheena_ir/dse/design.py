"""A chosen design (one configuration per layer) and its exact cost.

`evaluate` computes what `atheena_ir.cost.stage_cost` and `network_throughput` give for the same
foldings (stage interval = the slowest layer, depth = the longest path of layer depths,
`T_s = B f / (II_s B + D_s)`, network `T = min_s T_s / reach_s`), from the precomputed tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from atheena_ir.cost.folding import Folding
from atheena_ir.dse.budget import RESOURCES
from atheena_ir.dse.problem import Problem


@dataclass(frozen=True)
class Design:
    """One folding per layer and its predicted performance."""

    choice: tuple[int, ...]
    """Row of each layer's configuration table."""
    throughput: float
    """Network throughput, samples per second."""
    stage_throughputs: tuple[float, ...]
    stage_intervals: tuple[float, ...]
    stage_depths: tuple[int, ...]
    resources: tuple[int, int, int, int]
    """LUT, FF, DSP, BRAM18 of the whole design."""
    stage_resources: tuple[tuple[int, int, int, int], ...]
    utilisation: tuple[float, float, float, float]
    """Each resource as a fraction of the platform."""

    @property
    def rmax(self) -> float:
        """The largest utilisation (ATHEENA's resource axis)."""
        return max(self.utilisation)

    def foldings(self, problem: Problem) -> dict[str, Folding]:
        """The folding of every layer, by name."""
        return {
            layer.name: layer.table.folding(c)
            for layer, c in zip(problem.layers, self.choice, strict=True)
        }

    def to_json(self, problem: Problem) -> dict[str, Any]:
        """A JSON-ready summary, foldings included."""
        return {
            "throughput": self.throughput,
            "rmax": self.rmax,
            "resources": dict(zip(RESOURCES, self.resources, strict=True)),
            "utilisation": dict(zip(RESOURCES, self.utilisation, strict=True)),
            "stages": [
                {
                    "index": s.index,
                    "reach": s.reach,
                    "throughput": t,
                    "interval": ii,
                    "depth": d,
                    "resources": dict(zip(RESOURCES, r, strict=True)),
                }
                for s, t, ii, d, r in zip(
                    problem.stages,
                    self.stage_throughputs,
                    self.stage_intervals,
                    self.stage_depths,
                    self.stage_resources,
                    strict=True,
                )
            ],
            "folding": {
                name: {
                    "coarse_in": f.coarse_in,
                    "coarse_out": f.coarse_out,
                    "coarse_group": f.coarse_group,
                    "fine": f.fine,
                }
                for name, f in self.foldings(problem).items()
            },
        }


def evaluate(problem: Problem, choice: Sequence[int]) -> Design:
    """The exact cost of ``choice`` (one table row per layer)."""
    layers = problem.layers
    b, f = problem.batch, problem.clock_hz
    st_t, st_ii, st_d, st_r = [], [], [], []
    limits = []
    total = np.zeros(4, dtype=np.int64)
    for s in problem.stages:
        ii = max(float(layers[i].table.interval[choice[i]]) for i in s.layers)
        longest: dict[int, int] = {}
        for i in s.order:
            d = int(layers[i].table.depth[choice[i]])
            longest[i] = d + max((longest[p] for p in s.preds[i]), default=0)
        depth = max(longest.values())
        t = b / ((ii * b + depth) / f)
        res = np.sum([layers[i].table.resources[choice[i]] for i in s.layers], axis=0)
        total += res
        st_t.append(t)
        st_ii.append(ii)
        st_d.append(depth)
        st_r.append(tuple(int(v) for v in res))
        if s.reach > 0:
            limits.append(t / s.reach)
    util = total / problem.capacity
    return Design(
        choice=tuple(int(c) for c in choice),
        throughput=min(limits),
        stage_throughputs=tuple(st_t),
        stage_intervals=tuple(st_ii),
        stage_depths=tuple(st_d),
        resources=tuple(int(v) for v in total),  # type: ignore[arg-type]
        stage_resources=tuple(st_r),  # type: ignore[arg-type]
        utilisation=tuple(float(u) for u in util),  # type: ignore[arg-type]
    )


def within(problem: Problem, design: Design, caps: np.ndarray) -> bool:
    """True when ``design`` fits ``caps`` and every per-stage cap of the constraints."""
    if np.any(np.array(design.resources) > caps + 1e-9):
        return False
    for cap in problem.stage_caps:
        if design.stage_resources[cap.stage][cap.resource] > cap.limit + 1e-9:
            return False
    return True
