"""A fast greedy design: the exact search's first incumbent (it only narrows the MILP).

Start every layer at its cheapest configuration (resources weighted by the budget), then
repeatedly give the network's bottleneck stage's slowest layers their cheapest faster
configuration while the design stays within the budget. The result is feasible, so its cycles
per sample bound the optimum: configurations slower than that can never be part of an optimal
design and are dropped before the MILP.
"""

from __future__ import annotations

import numpy as np

from atheena_ir.dse.design import Design, evaluate, within
from atheena_ir.dse.problem import Problem


def greedy(problem: Problem, caps: np.ndarray) -> Design | None:
    """A feasible design within ``caps`` (None when the cheapest start does not fit)."""
    weights = 1.0 / np.maximum(caps, 1.0)
    scores = [layer.table.resources @ weights for layer in problem.layers]
    choice = [int(np.argmin(s)) for s in scores]
    design = evaluate(problem, choice)
    if not within(problem, design, caps):
        return None
    b = problem.batch
    while True:
        limits = [
            s.reach * (ii + d / b) if s.reach > 0 else -1.0
            for s, ii, d in zip(
                problem.stages, design.stage_intervals, design.stage_depths, strict=True
            )
        ]
        stage = problem.stages[int(np.argmax(limits))]
        ii = design.stage_intervals[int(np.argmax(limits))]
        trial = list(choice)
        for li in stage.layers:
            table = problem.layers[li].table
            if table.interval[choice[li]] < ii:
                continue
            faster = np.flatnonzero(table.interval < ii)
            if len(faster) == 0:
                return design
            trial[li] = int(faster[np.argmin(scores[li][faster])])
        candidate = evaluate(problem, trial)
        if not within(problem, candidate, caps) or candidate.throughput <= design.throughput:
            return design
        choice, design = trial, candidate
