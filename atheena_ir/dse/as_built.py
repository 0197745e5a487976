"""The resources of a design as `lower-to-hws` builds it, and the check-and-repair loop that
makes every design the search returns fit its budget as built (docs/cost_model.md, "What is
built").

The program of `exact` (and the annealing) charges every layer at its own folding, each
conditional buffer at the fewest maps any buffer gets (`min_cond_buffer_maps`) and nothing for
the squeezes and join FIFOs. What is built differs by terms that depend on several layers'
foldings at once (a buffer's maps on the intervals and depths around its exit, a squeeze on
both neighbours' lanes), which a per-layer program cannot express. So each search is followed
by a check: the chosen design is costed as built (`atheena_ir.cost.as_built`); when that
exceeds the budget by `over_k` in some resources, the caps the program sees are lowered in those
resources and the search runs again:

    caps_0 = budget;  caps_{k+1} = min(caps_k - over_k, charged_k - 1)   (resources over only)

`caps_k - over_k` makes room for the overshoot (a design charged like this one and as much
extra fits), `charged_k - 1` excludes this design; every round lowers a cap by at least one unit,
so the loop ends with a design that fits as built or with none. Per-stage caps of the
constraints are repaired the same way.

```python
design = fit_as_built(problem, caps, lambda c, p: exact.max_throughput(p, c))
design.resources          # as built: buffers, squeezes and FIFOs included
```
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from atheena_ir.cost.model import CostModel
from atheena_ir.dse.design import Design, within
from atheena_ir.dse.problem import Problem, StageCap

MAX_ROUNDS = 64
"""Searches before giving up (in practice one to three suffice)."""

Search = Callable[[np.ndarray, Problem], Design | None]
"""A search within caps (LUT, FF, DSP, BRAM18) on a problem (whose stage caps it honours)."""


def built_design(problem: Problem, design: Design) -> Design:
    """`design` with its resources (total, per stage, utilisation) as built; unchanged when
    the problem has no built structure (the reference fidelity)."""
    if problem.built is None:
        return design
    model = CostModel(problem.model_fidelity)
    foldings = design.foldings(problem)
    costs = {
        layer.name: (float(layer.table.interval[c]), float(layer.table.depth[c]))
        for layer, c in zip(problem.layers, design.choice, strict=True)
    }
    built = problem.built.build(foldings, model, costs)
    per_layer = built.layer_resources(model)
    stage_res = np.zeros((len(problem.stages), 4), dtype=np.int64)
    position = {s.index: i for i, s in enumerate(problem.stages)}
    for name, res in per_layer.items():
        stage_res[position[built.stages[name]]] += (res.lut, res.ff, res.dsp, res.bram)
    total = stage_res.sum(axis=0)
    return replace(
        design,
        resources=tuple(int(v) for v in total),
        stage_resources=tuple(tuple(int(v) for v in r) for r in stage_res),
        utilisation=tuple(float(u) for u in total / problem.capacity),
    )


def fit_as_built(problem: Problem, caps: np.ndarray, search: Search) -> Design | None:
    """The design `search` returns for the largest caps at which it fits `caps` (and the stage
    caps) as built; None when no caps leave a design that fits."""
    if problem.built is None:
        return search(caps, problem)
    limits = np.array(caps, dtype=float)
    current = problem
    for _ in range(MAX_ROUNDS):
        design = search(limits, current)
        if design is None:
            return None
        built = built_design(problem, design)
        if within(problem, built, caps):
            return built
        over = np.array(built.resources, dtype=float) - np.asarray(caps, dtype=float)
        charged = np.array(design.resources, dtype=float)
        limits = np.where(over > 1e-9, np.minimum(limits - over, charged - 1), limits)
        current = _tighter_stage_caps(problem, current, design, built)
    return None


def _tighter_stage_caps(
    problem: Problem, current: Problem, charged: Design, built: Design
) -> Problem:
    """`current` with every per-stage cap lowered by what building adds to that stage."""
    if not problem.stage_caps:
        return current
    caps: list[StageCap] = []
    for original, now in zip(problem.stage_caps, current.stage_caps, strict=True):
        r, s = original.resource, original.stage
        over = built.stage_resources[s][r] - original.limit
        if over > 1e-9:
            now = replace(now, limit=min(now.limit - over, charged.stage_resources[s][r] - 1))
        caps.append(now)
    return replace(current, stage_caps=caps)
