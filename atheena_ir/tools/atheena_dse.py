"""
`atheena-dse`: Pareto fronts of an early-exit network and its no-exit baseline.

```
atheena-dse model.onnx --platform zc706 --exit-probs 0.75 [--baseline backbone.onnx] -o front/
```

For each budget of the sweep (default 20 budgets, 5 % to 100 % of every resource) it finds the
fastest design (exact by default, or ATHEENA's annealing) of the early-exit network (cut into
stages by split-exits with the given exit probabilities) and of its baseline (the given backbone,
or the same network with its exits removed), on every core. It writes `front.json` (every point
with its design) and `front.png` / `front.svg` (throughput against utilisation, and the
early-exit/baseline ratio per budget), and prints a table. User errors print one line and exit 1.
`pareto_fronts` does the same from Python (`atheena-compile` calls it).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.platform import load_platform
from atheena_ir.dse.constraints import parse_constraints
from atheena_ir.dse.front import Front, default_budgets, match_budget, stderr_progress, sweep
from atheena_ir.dse.load import problems
from atheena_ir.dse.macs import ideal_ratio
from atheena_ir.dse.plot import plot_fronts
from atheena_ir.errors import UserError
from atheena_ir.outputs import check_writable_folder, install_folder, staging_folder, write_atomic
from atheena_ir.tools.cli import user_errors


def _floats(text: str, what: str) -> list[float]:
    try:
        return [float(v) for v in text.replace(",", " ").split()]
    except ValueError:
        raise UserError(f"{what}: expected numbers separated by commas, got {text!r}") from None


def _budgets(text: str | None, points: int) -> list[float]:
    if text is None:
        if points < 1:
            raise UserError("--points must be at least 1")
        return default_budgets(points)
    values = _floats(text, "--budgets")
    if not values or any(not 0 < v <= 1 for v in values):
        raise UserError("--budgets: give fractions in (0, 1], e.g. 0.1,0.2,0.5")
    return values


EXAMPLES = """\
examples:
  atheena-dse examples/blenet_mnist.onnx --exit-probs 0.75 -o front/
  atheena-dse examples/blenet_mnist.onnx --exit-probs profile --points 10 --algorithm anneal
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="atheena-dse",
        description="Pareto fronts of an early-exit network and its no-exit baseline: the "
        "fastest design at each budget, for both.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.add_argument("model", help="the early-exit network (.onnx)")
    p.add_argument("--platform", default="zc706", help="built-in name or .toml (default zc706)")
    p.add_argument(
        "--exit-probs",
        help="fraction of all samples leaving at each exit (0.75, or 0.5,0.2 for two exits), "
        "or 'profile' to measure them on --data (as atheena-compile does)",
    )
    p.add_argument("--data", default="", help="labelled .npz (x, y) for --exit-probs profile")
    p.add_argument("--limit", type=int, default=1000, help="samples to profile (1000)")
    p.add_argument("--baseline", help="the no-exit network (.onnx); default: exits removed")
    p.add_argument("--budgets", help="budgets to sweep, e.g. 0.1,0.2,0.5 (default: --points)")
    p.add_argument("--points", type=int, default=20, help="budgets from 5%% to 100%% (20)")
    p.add_argument(
        "--algorithm",
        choices=["exact", "anneal"],
        default="exact",
        help="exact: the proven best design per budget (default); anneal: ATHEENA's simulated "
        "annealing (--seed, --runs)",
    )
    p.add_argument("--seed", type=int, default=0, help="annealing seed (0)")
    p.add_argument("--runs", type=int, default=10, help="annealing runs per budget (10)")
    p.add_argument("--batch", type=int, default=1024, help="batch size B (1024)")
    p.add_argument("--constraints", default="", help="constraints, e.g. 'conv2d.fine == 1'")
    p.add_argument("--fidelity", default="project", help="cost model: project | atheena-v1")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (all cores)")
    p.add_argument("-o", "--output", default="front", help="output folder (front/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


@dataclass(frozen=True)
class Sweep:
    """What to sweep: the options of `atheena-dse`, for `pareto_fronts`."""

    model: str
    exit_probs: Sequence[float]
    budgets: Sequence[float]
    output: Path
    platform: str = "zc706"
    baseline: str | None = None
    algorithm: str = "exact"
    seed: int = 0
    runs: int = 10
    batch: int = 1024
    constraints: str = ""
    fidelity: str = "project"
    jobs: int | None = None
    quiet: bool = False
    chosen: float | None = None
    """A budget of the sweep whose design the plot marks (atheena-compile's --budget)."""


def pareto_fronts(sweep_: Sweep) -> dict[str, object]:
    """Sweep both fronts, write front.json and the plots, print the table; returns the
    front.json data."""
    try:
        platform = load_platform(sweep_.platform)
        model = CostModel(sweep_.fidelity)
    except (CostModelError, ValueError) as err:
        raise UserError(str(err)) from None
    budgets = list(sweep_.budgets)
    probs = list(sweep_.exit_probs)
    for option, value in (
        ("--batch", sweep_.batch),
        ("--runs", sweep_.runs),
        ("--jobs", sweep_.jobs),
    ):
        if value is not None and value < 1:
            raise UserError(f"{option} must be a positive integer, got {value}")
    out = check_writable_folder(sweep_.output, "-o")
    rules = parse_constraints(sweep_.constraints) if sweep_.constraints.strip() else None
    ee_problem, base_problem = problems(
        sweep_.model, platform, probs, sweep_.baseline, batch=sweep_.batch, cost_model=model,
        constraints=rules,
    )  # fmt: skip
    fronts: dict[str, Front] = {}
    for label, problem in (("early exit", ee_problem), ("baseline", base_problem)):
        fronts[label] = sweep(
            problem, budgets, sweep_.algorithm, sweep_.seed, sweep_.runs, sweep_.jobs,
            None if sweep_.quiet else stderr_progress(f"{label} ({sweep_.algorithm})"),
        )  # fmt: skip
    ee_front, base_front = fronts["early exit"], fronts["baseline"]
    ratios = []
    for a, b in zip(ee_front.points, base_front.points, strict=True):
        ok = a.design is not None and b.design is not None
        ratios.append(a.design.throughput / b.design.throughput if ok else None)  # type: ignore[union-attr]
    best_base = max((t for t in base_front.throughputs() if t), default=None)
    reach = [s.reach for s in ee_problem.stages]
    report = {
        "model": str(sweep_.model),
        "baseline": str(sweep_.baseline) if sweep_.baseline else "exits removed",
        "platform": platform.name,
        "exit_probs": probs,
        "reach": reach,
        "batch": sweep_.batch,
        "constraints": sweep_.constraints,
        "budgets": budgets,
        "ratio": ratios,
        "ideal_ratio": ideal_ratio(ee_problem, base_problem),
        "match_baseline_best_at": match_budget(ee_front, best_base) if best_base else None,
        "early_exit": ee_front.to_json(ee_problem),
        "no_exit_baseline": base_front.to_json(base_problem),
    }
    title = f"{Path(sweep_.model).stem} on {platform.name}" + (
        f", stage reaches {', '.join(f'{r:g}' for r in reach)}" if len(reach) > 1 else ""
    )
    with staging_folder(out) as stage:
        write_atomic(stage / "front.json", json.dumps(report, indent=1, allow_nan=False) + "\n")
        plot_fronts(ee_front, base_front, title, stage, chosen=sweep_.chosen)
        install_folder(stage, out, shared=True)
    head = ("budget", "early exit/s", "rmax", "baseline/s", "rmax", "ratio")
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, (7, 13, 6, 13, 6, 6), strict=True)))
    for a, b, r in zip(ee_front.points, base_front.points, ratios, strict=True):
        cells = [f"{a.budget:7.3f}"]
        for p in (a, b):
            cells.append(
                f"{p.design.throughput:13,.1f} {p.design.rmax:6.3f}"
                if p.design
                else f"{'-':>13} {'-':>6}"
            )
        cells.append(f"{r:6.2f}" if r else f"{'-':>6}")
        print(" ".join(cells))
    print(f"wrote {out / 'front.json'}, {out / 'front.png'}, {out / 'front.svg'}")
    return report


def _exit_probs(args: argparse.Namespace) -> list[float]:
    """The --exit-probs values, or the fractions profiled on --data with `profile`."""
    if not args.exit_probs:
        return []
    if args.exit_probs.strip() == "profile":
        from xdsl.context import Context
        from xdsl.transforms.canonicalize import CanonicalizePass

        from atheena_ir.dse.load import load_model
        from atheena_ir.passes.atheena_pipeline import profile_exit_fractions

        module = load_model(args.model)
        CanonicalizePass().apply(Context(), module)
        return list(profile_exit_fractions(module, args.data, args.limit))
    try:
        return [float(v) for v in args.exit_probs.replace(",", " ").split()]
    except ValueError:
        raise UserError(
            f"--exit-probs: give one fraction of all samples per exit (0.75, or 0.5,0.2 for two "
            f"exits) or 'profile', got {args.exit_probs!r}"
        ) from None


def run(args: argparse.Namespace) -> dict[str, object]:
    """`atheena-dse` with parsed arguments: see `pareto_fronts`."""
    budgets = _budgets(args.budgets, args.points)
    return pareto_fronts(
        Sweep(
            model=args.model, exit_probs=_exit_probs(args), budgets=budgets,
            output=Path(args.output), platform=args.platform, baseline=args.baseline,
            algorithm=args.algorithm, seed=args.seed, runs=args.runs, batch=args.batch,
            constraints=args.constraints, fidelity=args.fidelity, jobs=args.jobs,
            quiet=args.quiet,
        )
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    """Run `atheena-dse`; user errors print one line and exit 1."""
    args = parser().parse_args(argv)
    with user_errors("atheena-dse"):
        run(args)
    raise SystemExit(0)


if __name__ == "__main__":
    main()
