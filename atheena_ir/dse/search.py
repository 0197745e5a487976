"""One search: the best design for a budget (or the smallest for a target), by either algorithm,
with a clear `UserError` when the request cannot be met."""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from atheena_ir.dse import exact
from atheena_ir.dse.anneal import anneal_resources, anneal_throughput
from atheena_ir.dse.as_built import built_design, fit_as_built
from atheena_ir.dse.budget import RESOURCES, Budget, describe, platform_capacity
from atheena_ir.dse.design import Design
from atheena_ir.dse.problem import Problem
from atheena_ir.errors import UserError


class Objective(StrEnum):
    """What the search optimises."""

    THROUGHPUT = "throughput"
    """The largest network throughput within the budget."""
    RESOURCES = "resources"
    """The smallest largest utilisation that reaches the target throughput (within the budget)."""


class Algorithm(StrEnum):
    """How the search optimises."""

    EXACT = "exact"
    ANNEAL = "anneal"


def parse_choice(enum: type[StrEnum], value: str, what: str) -> StrEnum:
    """``value`` as a member of ``enum``, or a `UserError` listing the choices."""
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise UserError(f"unknown {what} {value!r}; choose one of {choices}") from None


def explore(
    problem: Problem,
    budget: Budget,
    objective: Objective | str = Objective.THROUGHPUT,
    target: float | None = None,
    algorithm: Algorithm | str = Algorithm.EXACT,
    seed: int = 0,
    runs: int = 10,
) -> Design:
    """The chosen design; raises `UserError` naming the smallest feasible budget or the largest
    reachable throughput when the request is infeasible. ``runs`` counts annealing runs."""
    objective = parse_choice(Objective, str(objective), "objective")
    algorithm = parse_choice(Algorithm, str(algorithm), "algorithm")
    caps = budget.caps(problem.platform)
    if objective is Objective.RESOURCES:
        if target is None or not np.isfinite(target) or target <= 0:
            raise UserError("objective 'resources' needs a positive target throughput (samples/s)")
        if algorithm is Algorithm.EXACT:
            design = fit_as_built(problem, caps, lambda c, p: exact.min_resources(p, c, target))
        else:
            design = fit_as_built(
                problem, caps, lambda c, p: anneal_resources(p, c, target, seed, runs)
            )
        if design is None:
            _no_design(problem, budget, caps, target, algorithm)
    else:
        if algorithm is Algorithm.EXACT:
            design = fit_as_built(problem, caps, lambda c, p: exact.max_throughput(p, c))
        else:
            design = fit_as_built(problem, caps, lambda c, p: anneal_throughput(p, c, seed, runs))
        if design is None:
            _no_design(problem, budget, caps, None, algorithm)
    assert design is not None
    check_fits_device(problem, design)
    return design


def check_fits_device(problem: Problem, design: Design) -> None:
    """UserError when ``design`` uses more of any resource than the platform has: a design
    larger than the device is never reported as a result."""
    over = [
        f"{name.upper()} {used:,} of {int(cap):,}"
        for name, used, cap in zip(
            RESOURCES, design.resources, platform_capacity(problem.platform), strict=True
        )
        if used > cap
    ]
    if over:
        raise UserError(
            f"the design does not fit {problem.platform.name}: it needs {', '.join(over)}; "
            "choose a smaller budget or a larger platform"
        )


def _no_design(
    problem: Problem, budget: Budget, caps: np.ndarray, target: float | None, algorithm: Algorithm
) -> None:
    where = f"{problem.platform.name}"
    smallest = exact.smallest_design(problem, caps)
    if smallest is None:
        caps_text = "; ".join(c.text or f"stage({c.stage}) cap" for c in problem.stage_caps)
        raise UserError(
            f"no design meets the per-stage resource caps of the constraints ({caps_text}) "
            "with the smallest folding of every layer; relax them"
        )
    # as built, with its buffers, squeezes and FIFOs
    scale = float(max(np.array(built_design(problem, smallest).resources) / caps))
    if scale > 1.0 + 1e-12:
        smallest = budget.scaled(scale)
        if budget.uniform:
            hint = f"the smallest feasible budget is {smallest.fractions[0]:.4f} of every resource"
        else:
            hint = (
                "the smallest feasible budget with these proportions is "
                f"{describe(smallest.fractions)}"
            )
        raise UserError(
            f"budget {budget.text} on {where} is below the smallest design of @{problem.function}; "
            f"{hint}{_limiting(problem, smallest)}"
        )
    if target is not None:
        best = fit_as_built(problem, caps, lambda c, p: exact.max_throughput(p, c))
        if best is not None and best.throughput < target:
            raise UserError(
                f"target {target:,.1f} samples/s is above what @{problem.function} reaches on "
                f"{where} within budget {budget.text}: the largest reachable throughput is "
                f"{best.throughput:,.1f} samples/s (at {best.rmax:.4f} of the platform)"
            )
    if algorithm is Algorithm.ANNEAL:
        raise UserError(
            f"annealing found no design within budget {budget.text} on {where} (its start, "
            "coarse 1 with fine K*K, did not fit after 1000 random moves); feasible designs exist "
            "(use algorithm=exact)"
        )
    stage_caps = "; ".join(c.text or f"stage({c.stage}) cap" for c in problem.stage_caps)
    also = f" and the per-stage caps ({stage_caps})" if stage_caps else ""
    raise UserError(
        f"no design of @{problem.function} fits budget {budget.text} on {where}{also} as built "
        "(with its conditional buffers, squeezes and FIFOs)"
    )


def limiting_resource(design: Design) -> str:
    """The name of the resource with the largest utilisation."""
    return RESOURCES[int(np.argmax(design.utilisation))]


_LABELS = {"lut": "LUT", "ff": "FF", "dsp": "DSP", "bram": "BRAM18"}


def _limiting(problem: Problem, smallest: Budget) -> str:
    """The resource the smallest design runs out of first (the one at its limit)."""
    design = exact.max_throughput(problem, smallest.scaled(1 + 1e-9).caps(problem.platform))
    if design is None:
        return ""
    needs = np.array(design.utilisation) / np.array(smallest.fractions)
    k = int(np.argmax(needs))
    label = _LABELS[RESOURCES[k]]
    return (
        f" (limited by {label}: the smallest design needs {design.utilisation[k]:.1%} of the "
        f"board's {label})"
    )
