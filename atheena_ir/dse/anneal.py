"""ATHEENA's simulated annealing (v1.0 `optimiser/simulated_annealing.py` with
`examples/optimiser_example.yml`), the baseline the exact search is compared with.

Settings as ATHEENA: only coarse transforms (a random layer gets a random legal value of one of
its coarse factors), `fine` starts complete (K*K) and never changes, T = 10, T_min = 0.001,
k = 0.1, cool = 0.9, 10 transforms per temperature step. A step whose design breaks the limit is
reverted without cooling; otherwise it is accepted when
`exp(min(0, (cost_old - cost_new) / (k T))) >= U(0, 1)` and T is multiplied by `cool`. An
infeasible start gets up to 1000 random transforms to become feasible. ATHEENA anneals each
stage separately per resource limit and pairs the stage designs afterwards; here one annealing
runs over all stages at once with the network's throughput as the cost (a joint search, at least
as strong), keeping the best of `runs` seeded runs (ATHEENA: 10 runs per limit).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from atheena_ir.dse.design import Design, evaluate, within
from atheena_ir.dse.problem import Problem


@dataclass(frozen=True)
class AnnealSettings:
    """ATHEENA v1.0's optimiser settings."""

    t_start: float = 10.0
    t_min: float = 0.001
    k: float = 0.1
    cool: float = 0.9
    iterations: int = 10
    start_moves: int = 1000
    max_reverts: int = 20000
    """Safety stop: steps reverted in a row before giving up (ATHEENA would spin forever)."""


class _Moves:
    """Coarse moves of one layer: the table rows reachable by changing one coarse factor."""

    def __init__(self, problem: Problem) -> None:
        self.index: list[dict[tuple[int, ...], int]] = []
        self.options: list[list[list[int]]] = []
        for layer in problem.layers:
            f = layer.table.factors
            self.index.append({tuple(int(v) for v in row): i for i, row in enumerate(f)})
            tied = layer.spec.kind.single_coarse
            cols = [0] if tied else [0, 1, 2]
            self.options.append([sorted({int(v) for v in f[:, c]}) for c in cols])
        self.movable = [
            li for li, opts in enumerate(self.options) if problem.layers[li].foldable
            and any(len(o) > 1 for o in opts)
        ]  # fmt: skip

    def move(self, problem: Problem, choice: list[int], rng: np.random.Generator) -> None:
        """Apply one random coarse transform to ``choice`` in place (no-op if none applies)."""
        if not self.movable:
            return
        li = self.movable[int(rng.integers(len(self.movable)))]
        layer = problem.layers[li]
        row = [int(v) for v in layer.table.factors[choice[li]]]
        opts = self.options[li]
        col = int(rng.integers(len(opts)))
        value = opts[col][int(rng.integers(len(opts[col])))]
        if layer.spec.kind.single_coarse:
            row[0] = row[1] = value
        else:
            row[col] = value
        new = self.index[li].get(tuple(row))
        if new is not None:
            choice[li] = new


def _start(problem: Problem) -> list[int]:
    """coarse = 1 everywhere, fine complete (the largest allowed fine)."""
    choice = []
    for layer in problem.layers:
        f = layer.table.factors
        key = np.lexsort((f[:, 0] * f[:, 1] * f[:, 2], -f[:, 3]))
        choice.append(int(key[0]))
    return choice


def anneal(
    problem: Problem,
    feasible: Callable[[Design], bool],
    cost: Callable[[Design], float],
    seed: int = 0,
    runs: int = 1,
    settings: AnnealSettings | None = None,
) -> Design | None:
    """The best design of ``runs`` annealing runs (seeds ``seed``, ``seed + 1``, ...), or None
    when no run found a feasible design."""
    settings = settings or AnnealSettings()
    moves = _Moves(problem)
    best: Design | None = None
    for run in range(runs):
        rng = np.random.default_rng(seed + run)
        design = _run(problem, moves, feasible, cost, rng, settings)
        if design is not None and (best is None or cost(design) < cost(best)):
            best = design
    return best


def _run(problem, moves, feasible, cost, rng, s: AnnealSettings) -> Design | None:
    choice = _start(problem)
    design = evaluate(problem, choice)
    tries = 0
    while not feasible(design):
        if tries >= s.start_moves:
            return None
        moves.move(problem, choice, rng)
        design = evaluate(problem, choice)
        tries += 1
    temperature, reverts = s.t_start, 0
    while temperature > s.t_min:
        trial = list(choice)
        for _ in range(s.iterations):
            moves.move(problem, trial, rng)
        candidate = evaluate(problem, trial)
        if not feasible(candidate):
            reverts += 1
            if reverts > s.max_reverts:
                break
            continue
        reverts = 0
        delta = cost(design) - cost(candidate)
        if math.exp(min(0.0, delta / (s.k * temperature))) >= rng.uniform():
            choice, design = trial, candidate
        temperature *= s.cool
    return design


def anneal_throughput(
    problem: Problem, caps: np.ndarray, seed: int = 0, runs: int = 1
) -> Design | None:
    """Maximise throughput within ``caps`` by annealing."""
    return anneal(problem, lambda d: within(problem, d, caps), lambda d: -d.throughput, seed, runs)


def anneal_resources(
    problem: Problem, caps: np.ndarray, target: float, seed: int = 0, runs: int = 1
) -> Design | None:
    """Minimise the largest utilisation reaching ``target`` samples/s within ``caps``."""
    return anneal(
        problem,
        lambda d: within(problem, d, caps) and d.throughput >= target,
        lambda d: d.rmax,
        seed,
        runs,
    )
