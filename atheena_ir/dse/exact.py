"""The exact search: a mixed-integer linear program over the Pareto-pruned configurations.

Variables: ``x[l,c]`` (binary) picks configuration c of layer l; ``I_s`` is stage s's interval,
``p_l`` the longest depth path ending at layer l, ``z`` the network's cycles per sample and ``u``
the largest utilisation. With B the batch and f the clock, stage s runs ``T_s = B f / (I_s B +
D_s)`` samples/s and the network ``T = min_s T_s / reach_s = f / max_s reach_s (I_s + D_s / B)``,
so every constraint is linear:

    sum_c x[l,c] = 1                                   one configuration per layer
    I_s >= sum_c interval[l,c] x[l,c]                  for every l in s
    p_l >= sum_c depth[l,c] x[l,c] + p_k               for every edge k -> l (and p_k = 0)
    reach_s * (I_s + p_l / B) <= z                     for every l in s
    sum_{l,c} res_r[l,c] x[l,c] <= cap_r               budget, per resource r
    sum_{l in s,c} res_r[l,c] x[l,c] <= cap_{s,r}      per-stage caps of the constraints
    sum_{l,c} res_r[l,c] x[l,c] <= u * scale_r         the utilisation being minimised

Every configuration's interval, depth and resources enter only as upper bounds that the optimum
makes tight, so the program's optimum is the optimum over all designs. Minimising z gives the
largest throughput in a budget; fixing z <= f / target and minimising u gives the smallest
design for a target. Each is solved to a zero optimality gap (HiGHS via scipy.optimize.milp)
and followed by the other as a tie-break, so every design returned is Pareto-optimal in
(throughput, largest utilisation). Pruning dominated configurations first (`pareto`) keeps the
program small without changing its optimum.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from atheena_ir.dse.design import Design, evaluate, within
from atheena_ir.dse.greedy import greedy
from atheena_ir.dse.pareto import nondominated
from atheena_ir.dse.problem import Problem
from atheena_ir.errors import UserError

_OPTIONS = {
    "mip_rel_gap": 0.0,
    "presolve": False,
    # HiGHS's defaults (1e-6) let x be 1e-6 away from 0/1; with intervals of ~1e5 cycles that
    # could hide 0.1 cycle per sample. Tight tolerances keep the optimum exact to ~1e-9.
    "mip_feasibility_tolerance": 1e-9,
    "primal_feasibility_tolerance": 1e-9,
    "mip_abs_gap": 0.0,
}
_FALLBACK = {k: v for k, v in _OPTIONS.items() if not k.endswith("feasibility_tolerance")}
"""The options of a second try when HiGHS fails at the tight tolerances (its defaults, 1e-6)."""


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS sometimes prints debug lines straight to file descriptor 1; drop them."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 (embedded use): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass
class _Program:
    """The constraint matrix of one problem, reused by every solve."""

    problem: Problem
    rows: list[np.ndarray]
    """Per layer: the table rows (configurations) that are variables."""
    offsets: np.ndarray
    n_x: int
    n_vars: int
    z: int
    u: int
    resources: np.ndarray
    """(n_x, 4) resources of every variable."""
    base: list[LinearConstraint]


def _program(problem: Problem, rows: list[np.ndarray]) -> _Program:
    layers = problem.layers
    sizes = np.array([len(r) for r in rows])
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    n_x = int(offsets[-1])
    n_s, n_l = len(problem.stages), len(layers)
    i_var = n_x  # I_s at i_var + s
    p_var = n_x + n_s  # p_l at p_var + l
    z, u = p_var + n_l, p_var + n_l + 1
    n_vars = u + 1
    interval = np.concatenate([layers[li].table.interval[r] for li, r in enumerate(rows)])
    depth = np.concatenate([layers[li].table.depth[r] for li, r in enumerate(rows)])
    res = np.concatenate([layers[li].table.resources[r] for li, r in enumerate(rows)]).astype(float)
    ri, ci, vals, lo, hi = [], [], [], [], []
    row = 0

    def add(cols, coefs, low, high):
        nonlocal row
        ri.extend([row] * len(cols))
        ci.extend(cols)
        vals.extend(coefs)
        lo.append(low)
        hi.append(high)
        row += 1

    inv_b = 1.0 / problem.batch
    for li in range(n_l):
        block = range(offsets[li], offsets[li + 1])
        add(list(block), [1.0] * len(block), 1.0, 1.0)
    for s_pos, s in enumerate(problem.stages):
        for li in s.layers:
            block = list(range(offsets[li], offsets[li + 1]))
            add([*block, i_var + s_pos], [*interval[block], -1.0], -np.inf, 0.0)
            preds = s.preds[li] or [None]
            for k in preds:
                cols = [*block, p_var + li]
                coefs = [*depth[block], -1.0]
                if k is not None:
                    cols.append(p_var + k)
                    coefs.append(1.0)
                add(cols, coefs, -np.inf, 0.0)
            if s.reach > 0:
                add([i_var + s_pos, p_var + li, z], [s.reach, s.reach * inv_b, -1.0], -np.inf, 0.0)
    for cap in problem.stage_caps:
        cols = [
            c
            for li in problem.stages[cap.stage].layers
            for c in range(offsets[li], offsets[li + 1])
        ]
        add(cols, list(res[cols, cap.resource]), -np.inf, float(np.floor(cap.limit + 1e-9)))
    matrix = coo_array((vals, (ri, ci)), shape=(row, n_vars)).tocsr()
    base = [LinearConstraint(matrix, np.array(lo), np.array(hi))]
    return _Program(problem, rows, offsets, n_x, n_vars, z, u, res, base)


def _get(problem: Problem, caps: np.ndarray | None = None, z_max: float | None = None) -> _Program:
    """The program over the configurations that can be part of a design within ``caps`` (with
    the other layers at their smallest) and ``z_max`` cycles per sample, Pareto-pruned."""
    layers = problem.layers
    keep = [np.ones(len(layer.table), dtype=bool) for layer in layers]
    if caps is not None:
        mins = np.array([layer.table.resources.min(axis=0) for layer in layers])
        total = mins.sum(axis=0)
        for li, layer in enumerate(layers):
            room = caps + 1e-9 - (total - mins[li])
            keep[li] &= np.all(layer.table.resources <= room, axis=1)
    for cap in problem.stage_caps:
        members = problem.stages[cap.stage].layers
        mins = {li: layers[li].table.resources[:, cap.resource].min() for li in members}
        total = sum(mins.values())
        for li in members:
            room = cap.limit + 1e-9 - (total - mins[li])
            keep[li] &= layers[li].table.resources[:, cap.resource] <= room
    if z_max is not None:
        for s in problem.stages:
            if s.reach > 0:
                for li in s.layers:
                    keep[li] &= s.reach * layers[li].table.interval <= z_max
    if not all(k.any() for k in keep):
        return _program(problem, [np.arange(0) for _ in layers])
    floors = [max(float(layers[li].table.interval[keep[li]].min()) for li in s.layers)
              for s in problem.stages]  # fmt: skip
    rows = []
    for li, layer in enumerate(layers):
        idx = np.flatnonzero(keep[li])
        t = layer.table
        clamped = np.maximum(t.interval[idx], floors[layer.stage])
        costs = np.column_stack([clamped, t.depth[idx], t.resources[idx]]).astype(float)
        rows.append(idx[nondominated(costs)])
    return _program(problem, rows)


def _solve(
    prog: _Program,
    objective: str,
    caps: np.ndarray | None,
    scale: np.ndarray | None = None,
    z_max: float | None = None,
    u_max: float | None = None,
) -> np.ndarray | None:
    """Minimise ``objective`` ('z' or 'u'); None when infeasible."""
    n_x = prog.n_x
    if any(len(r) == 0 for r in prog.rows):
        return None
    cons = list(prog.base)
    if caps is not None:
        finite = np.isfinite(caps)
        if finite.any():
            cons.append(
                LinearConstraint(
                    np.hstack(
                        [prog.resources[:, finite].T, np.zeros((finite.sum(), prog.n_vars - n_x))]
                    ),
                    -np.inf,
                    np.floor(caps[finite] + 1e-9),
                )
            )
    if scale is not None:
        m = np.hstack([prog.resources.T, np.zeros((4, prog.n_vars - n_x))])
        m[:, prog.u] = -scale
        cons.append(LinearConstraint(m, -np.inf, 0.0))
    c = np.zeros(prog.n_vars)
    c[prog.z if objective == "z" else prog.u] = 1.0
    integrality = np.zeros(prog.n_vars)
    integrality[:n_x] = 1
    lower = np.zeros(prog.n_vars)
    upper = np.full(prog.n_vars, np.inf)
    upper[:n_x] = 1.0
    if z_max is not None:
        upper[prog.z] = z_max
    if u_max is not None:
        upper[prog.u] = u_max
    with _quiet_stdout(), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "options passed to HiGHS verbatim"
        try:
            result = milp(c, constraints=cons, integrality=integrality,
                          bounds=Bounds(lower, upper), options=_OPTIONS)  # fmt: skip
        except ValueError as err:
            # HiGHS fails internally on a few programs at the tight tolerances (vector::reserve);
            # its default tolerances solve them. The answer is re-evaluated exactly by the caller.
            try:
                result = milp(c, constraints=cons, integrality=integrality,
                              bounds=Bounds(lower, upper), options=_FALLBACK)  # fmt: skip
            except ValueError:
                raise UserError(f"the MILP solver failed: {err}") from None
    if result.status == 2 or result.x is None:
        return None
    if result.status != 0:
        raise UserError(f"the MILP solver stopped without an answer: {result.message}")
    return result.x


def _choice(prog: _Program, x: np.ndarray) -> list[int]:
    out = []
    for li, rows in enumerate(prog.rows):
        block = x[prog.offsets[li] : prog.offsets[li + 1]]
        out.append(int(rows[int(np.argmax(block))]))
    return out


def _better(a: Design, b: Design) -> Design:
    """The design with the higher throughput, then the smaller largest utilisation."""
    return a if (a.throughput, -a.rmax) >= (b.throughput, -b.rmax) else b


def max_throughput(
    problem: Problem, caps: np.ndarray, hint: Sequence[int] | None = None
) -> Design | None:
    """The fastest design within ``caps`` (LUT, FF, DSP, BRAM counts), then the smallest such.

    ``hint`` (a choice, e.g. the optimum of a smaller budget) only narrows the search when it
    fits; the result does not depend on it.
    """
    incumbent = greedy(problem, caps)
    if hint is not None:
        hinted = evaluate(problem, hint)
        if within(problem, hinted, caps) and (
            incumbent is None or hinted.throughput > incumbent.throughput
        ):
            incumbent = hinted
    z_ub = None if incumbent is None else problem.clock_hz / incumbent.throughput * (1 + 1e-9)
    prog = _get(problem, caps, z_ub)
    x = _solve(prog, "z", caps, z_max=z_ub)
    first = incumbent if x is None else evaluate(problem, _choice(prog, x))
    if first is None:
        return None
    if incumbent is not None and incumbent.throughput > first.throughput:
        first = incumbent
    z_star = problem.clock_hz / first.throughput * (1 + 1e-12)
    prog2 = _get(problem, caps, z_star)
    x2 = _solve(prog2, "u", caps, scale=problem.capacity, z_max=z_star)
    if x2 is None:
        return first
    return evaluate(problem, _choice(prog2, x2))


def min_resources(problem: Problem, caps: np.ndarray, target: float) -> Design | None:
    """The design with the smallest largest utilisation reaching ``target`` samples/s within
    ``caps``, then the fastest such; None when no design reaches it."""
    z_max = problem.clock_hz / target * (1 + 1e-12)
    prog = _get(problem, caps, z_max)
    x = _solve(prog, "u", caps, scale=problem.capacity, z_max=z_max)
    if x is None:
        return None
    first = evaluate(problem, _choice(prog, x))
    caps2 = np.minimum(caps, first.rmax * problem.capacity * (1 + 1e-12))
    z_first = problem.clock_hz / first.throughput * (1 + 1e-12)
    prog2 = _get(problem, caps2, z_first)
    x2 = _solve(prog2, "z", caps2, z_max=z_first)
    if x2 is None:
        return first
    second = evaluate(problem, _choice(prog2, x2))
    if second.rmax <= first.rmax and second.throughput >= first.throughput:
        return second
    return first


def smallest_design(problem: Problem, caps: np.ndarray) -> Design | None:
    """The design that fits the smallest scaling of ``caps`` (any throughput); None when even
    the per-stage caps of the constraints leave none."""
    prog = _get(problem)
    x = _solve(prog, "u", None, scale=caps)
    if x is None:
        return None
    return evaluate(problem, _choice(prog, x))


def min_scale(problem: Problem, caps: np.ndarray) -> float | None:
    """The smallest factor by which ``caps`` could be scaled and still hold a design (any
    throughput); None when even the per-stage caps of the constraints leave none."""
    design = smallest_design(problem, caps)
    if design is None:
        return None
    return float(max(np.array(design.resources) / caps))
