"""Headline figures of the early-exit designs: best against best, and the ratio at every budget.

    .venv/bin/python benchmarks/headline.py [--points 20] [--jobs 2] [--plot docs/img/ratio.png]

A ratio read at one budget depends on where the two fronts' discrete steps fall, so the headline
is **best against best**: the early-exit design's best throughput on the board over the
baseline's best. The per-budget ratios are printed as a curve (and plotted with `--plot`).

Both fronts come from the exact search on the same cost model and platform (zc706, batch 1024),
at the same budgets (a fraction of every resource). Each network is searched in two design
spaces, so the gain of each difference from ATHEENA's search is shown on its own:

- `project`: every layer folds, the stream split and the conditional buffers included;
- `buffer 1 lane`: the split and the conditional buffers stay at one lane
  (`split.coarse = 1; cond_buffer.coarse = 1`), as in ATHEENA's search, which never moves them.

ATHEENA's own fronts for B-LeNet (its annealing, its cost model; `ATHEENA_BLENET` below, from
running ATHEENA v1.0's optimiser) go through the same two computations, and the project's exact
search is run on ATHEENA's cost model (`fidelity=atheena-v1`) for a comparison on equal terms.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from atheena_ir.cost import CostModel, load_platform
from atheena_ir.dse.constraints import parse_constraints
from atheena_ir.dse.front import Front, default_budgets, sweep
from atheena_ir.dse.load import problems
from atheena_ir.models import (
    alexnet_backbone,
    b_alexnet,
    b_lenet,
    lenet_backbone,
    triple_wins,
    triple_wins_backbone,
)

ROOT = Path(__file__).resolve().parent.parent

BUFFER_ONE_LANE = "split.coarse = 1; cond_buffer.coarse = 1"

ATHEENA_BLENET: dict[str, list[tuple[float, float]]] = {
    "baseline": [
        (0.198, 6249), (0.291, 12497), (0.384, 21693), (0.454, 24403), (0.572, 31236),
        (0.736, 43355), (0.893, 43387),
    ],
    "p=0.75": [
        (0.284, 19526), (0.361, 24410), (0.441, 34716), (0.556, 48812), (0.568, 49991),
        (0.585, 69421), (0.617, 77100), (0.672, 86771), (0.728, 96393),
    ],
}  # fmt: skip
"""ATHEENA v1.0's optimiser on B-LeNet (zc706, batch 1024, 10 annealing runs per limit): each
front as (largest utilisation, samples/s). Early exit at p = 0.75 against the no-exit backbone."""


@dataclass(frozen=True)
class Curve:
    """Best throughput within each budget, for the early-exit design and its baseline."""

    budgets: list[float]
    early_exit: list[float | None]
    baseline: list[float | None]

    def ratios(self) -> list[float | None]:
        return [
            e / b if e and b else None for e, b in zip(self.early_exit, self.baseline, strict=True)
        ]

    def best_vs_best(self) -> float:
        return max(t for t in self.early_exit if t) / max(t for t in self.baseline if t)

    def best_per_budget(self) -> tuple[float, float]:
        """The largest per-budget ratio and the budget where it is read."""
        ratio, budget = max((r, b) for r, b in zip(self.ratios(), self.budgets, strict=True) if r)
        return ratio, budget


def best_within(front: Sequence[tuple[float, float]], budget: float) -> float | None:
    """The best throughput of a published front using at most `budget` of the board."""
    fitting = [t for r, t in front if r <= budget + 1e-9]
    return max(fitting) if fitting else None


def atheena_curve(budgets: list[float]) -> Curve:
    return Curve(
        budgets,
        [best_within(ATHEENA_BLENET["p=0.75"], b) for b in budgets],
        [best_within(ATHEENA_BLENET["baseline"], b) for b in budgets],
    )


def searched_curve(
    ee_model, base_model, p: float, budgets: list[float], jobs: int, space: str, fidelity: str
) -> Curve:
    constraints = parse_constraints(BUFFER_ONE_LANE) if space == "buffer 1 lane" else None
    ee, base = problems(
        ee_model,
        load_platform("zc706"),
        [p],
        base_model,
        cost_model=CostModel(fidelity),
        constraints=constraints,
    )

    def best(front: Front) -> list[float | None]:
        return [pt.design.throughput if pt.design else None for pt in front.points]

    return Curve(
        budgets,
        best(sweep(ee, budgets, "exact", jobs=jobs)),
        best(sweep(base, budgets, "exact", jobs=jobs)),
    )


def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=20, help="budgets from 5 %% to 100 %%")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes per sweep")
    ap.add_argument("--plot", type=Path, help="write the ratio curves to this PNG")
    args = ap.parse_args()
    budgets = default_budgets(args.points)
    cases = [
        ("B-LeNet", b_lenet, lenet_backbone),
        ("Triple-Wins", triple_wins, triple_wins_backbone),
        ("B-AlexNet", b_alexnet, alexnet_backbone),
    ]
    rows: list[tuple[str, str, str, Curve]] = []
    for name, ee_model, base_model in cases:
        for space in ("project", "buffer 1 lane"):
            print(f"{name}, {space}", file=sys.stderr)
            curve = searched_curve(
                ee_model(), base_model(), 0.75, budgets, args.jobs, space, "project"
            )
            rows.append((name, space, "project", curve))
    print("B-LeNet on ATHEENA's cost model", file=sys.stderr)
    for space in ("project", "buffer 1 lane"):
        curve = searched_curve(
            b_lenet(), lenet_backbone(), 0.75, budgets, args.jobs, space, "atheena-v1"
        )
        rows.append(("B-LeNet", space, "atheena-v1", curve))
    rows.append(("B-LeNet (ATHEENA's fronts)", "ATHEENA (annealing)", "atheena-v1", None))

    print("### Best against best (p = 0.75, exact search, zc706)\n")
    print(
        "| network | design space | cost model | best early exit (samples/s) | best baseline "
        "(samples/s) | **best vs best** | largest per-budget ratio (at budget) |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, space, fidelity, curve in rows:
        curve = curve or atheena_curve(budgets)
        ratio, at = curve.best_per_budget()
        best_ee = max(t for t in curve.early_exit if t)
        best_base = max(t for t in curve.baseline if t)
        print(
            f"| {name} | {space} | {fidelity} | {best_ee:,.0f} | {best_base:,.0f} | "
            f"**{curve.best_vs_best():.2f}x** | {ratio:.2f}x ({at:.0%}) |"
        )
    show = [i for i, b in enumerate(budgets) if abs(b * 10 - round(b * 10)) < 1e-9]
    print("\n### Early-exit / baseline ratio at each budget (the curve)\n")
    print(
        "| network | design space | cost model | "
        + " | ".join(f"{budgets[i]:.0%}" for i in show)
        + " |"
    )
    print("|---|---|---|" + "---|" * len(show))
    for name, space, fidelity, curve in rows:
        ratios = (curve or atheena_curve(budgets)).ratios()
        print(
            f"| {name} | {space} | {fidelity} | " + " | ".join(fmt(ratios[i]) for i in show) + " |"
        )
    if args.plot:
        plot(rows, budgets, args.plot)


def plot(rows, budgets: list[float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = ["B-LeNet", "Triple-Wins", "B-AlexNet"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
    for ax, name in zip(axes, names, strict=True):
        for row_name, space, fidelity, curve in rows:
            if not row_name.startswith(name):
                continue
            curve = curve or atheena_curve(budgets)
            label = f"{space}, {fidelity} cost model"
            ratios = [r if r else float("nan") for r in curve.ratios()]
            ax.plot([100 * b for b in budgets], ratios, marker=".", label=label)
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.set_title(f"{name}, p = 0.75")
        ax.set_xlabel("budget (% of every zc706 resource)")
        ax.set_xlim(0, 100)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("early exit / baseline throughput")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
