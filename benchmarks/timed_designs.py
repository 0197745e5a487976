"""Benchmark: the cost model's throughput against the timed C simulation of the printed design.

    .venv/bin/python benchmarks/timed_designs.py [--quick] [--only NAME]

For each design (B-LeNet with ATHEENA's A1-A3 factors, the DSE's B-LeNet at 0.5 of a ZC706,
Triple-Wins and B-AlexNet at their smallest feasible budget and at 1.0, an early-exit ResNet and a
3-exit network) it prints the
`project` cost model's throughput (at the exit fractions the simulated samples really had) beside
the sustained throughput of the timed C simulation of the printed HLS project, for three exit
sequences:
- periodic: samples that exit and samples that continue interleaved evenly at the profiled
  fraction;
- real: the data set in file order (MNIST held-out digits; random inputs for the random-weight
  networks);
- sorted: the same samples with every continuing sample in one run at the end.
Then, for the DSE's B-LeNet, the throughput the real and sorted sequences lose against the
periodic one as the conditional buffers get deeper (`lower-to-hws{buffer-slack=...}`), and the
C simulation's own speed (samples per second of wall time, compile time excluded).

Exit fractions on random-weight networks come from the run-time limit of each exit decision: the
exit logits of every sample are read first (a run where every sample takes that exit), and the
limit is set to the quantile of their table sums that gives the fraction wanted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from xdsl.utils.exceptions import PassFailedException

import atheena_ir
from atheena_ir.backends.hls.project import project_files, write_project
from atheena_ir.cost.design import design_report
from atheena_ir.csim.simulate import build, simulate
from atheena_ir.errors import UserError
from atheena_ir.models import (
    b_alexnet,
    build_early_exit_model,
    conv,
    flatten,
    global_avgpool,
    linear,
    mnist_split,
    relu,
    residual,
    triple_wins,
)
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.onnx_frontend import import_onnx

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CLOCK_MHZ = 125.0
NEVER, ALWAYS = 0, 2**32 - 1
ATHEENA_ORDER = {
    "ee1": ["Conv_0", "MaxPool_1", "Relu_2", "Conv_3", "MaxPool_4", "Relu_5", "Gemm_7"],
    "eef": ["Conv_15", "MaxPool_16", "Relu_17", "Conv_18", "MaxPool_19", "Relu_20", "Gemm_22"],
}


@dataclass
class Design:
    name: str
    model: Callable[[], onnx.ModelProto]
    spec: str  # the ee pipeline after canonicalize (split-exits + fold, or dse)
    data: Callable[[int], np.ndarray]
    fractions: tuple[float, ...]  # fraction of all samples leaving at each early exit
    mnist: bool = False
    samples: int = 200


def mnist_heldout(n: int) -> np.ndarray:
    return mnist_split()[1][0][:n]


def random_inputs(shape: tuple[int, ...]) -> Callable[[int], np.ndarray]:
    return lambda n: np.random.default_rng(5).uniform(0, 1, (n, *shape)).astype(np.float32)


def blenet_model() -> onnx.ModelProto:
    shared = SHARED / "models" / "atheena" / "branchy_lenet_20220902.onnx"
    path = shared if shared.is_file() else ROOT / "examples" / "blenet_mnist.onnx"
    return onnx.load(str(path))


def atheena_factors(name: str, folder: Path) -> str:
    """A factors file for ATHEENA's published design `name` (A1-A3), keyed by ONNX layer name."""
    if name == "A1":
        return str(ROOT / "examples" / "blenet_a1_factors.toml")
    sys.path.insert(0, str(ROOT))
    from tests.cost.blenet_designs import DESIGNS

    lines = []
    for stage, names in ATHEENA_ORDER.items():
        layers = [
            layer
            for layer in DESIGNS[name][stage]["layers"]
            if layer[1] in ("conv", "maxpool", "relu", "linear")
        ]
        for onnx_name, (_, _, _, fold) in zip(names, layers, strict=True):
            lines.append(f"[{onnx_name}]")
            lines += [f"{k} = {v}" for k, v in fold.items()]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def b_resnet() -> onnx.ModelProto:
    head = [global_avgpool(), flatten(), linear(10)]
    return build_early_exit_model(
        [
            [conv(8, 3, pad=1), relu(), residual([conv(8, 3, pad=1), relu(), conv(8, 3, pad=1)])],
            [relu(), residual([conv(8, 3, pad=1), relu(), conv(8, 3, pad=1)]), relu()],
        ],
        [head, head],
        thresholds=(0.5,),
        input_shape=(3, 16, 16),
        num_classes=10,
        seed=3,
        name="b_resnet",
    )


def three_exits() -> onnx.ModelProto:
    head = [global_avgpool(), flatten(), linear(7)]
    return build_early_exit_model(
        [[conv(4, 3, pad=1), relu()], [conv(4, 3, pad=1), relu()], [conv(6, 3, pad=1), relu()]],
        [head, head, head],
        thresholds=(0.3, 0.45),
        input_shape=(3, 8, 8),
        num_classes=7,
        seed=4,
        name="three_exits",
    )


def smallest_budget(model: Callable[[], onnx.ModelProto], p: str) -> float:
    """The smallest budget (in steps of 0.05) at which the DSE finds a design."""
    for budget in np.arange(0.05, 1.0001, 0.05):
        module = import_onnx(model())
        try:
            atheena_ir.run_passes(
                module,
                f"canonicalize,split-exits{{exit-probs={p}}},"
                f"dse{{platform=zc706 budget={budget:.2f}}}",
            )
            return float(round(budget, 2))
        except (UserError, PassFailedException):  # an infeasible budget fails the pass
            continue
    raise UserError("no feasible budget")


def designs(folder: Path) -> list[Design]:
    out = []
    for a in ("A1", "A2", "A3"):
        factors = atheena_factors(a, folder)
        out.append(
            Design(
                f"B-LeNet {a} (ATHEENA's factors)",
                blenet_model,
                f'split-exits{{exit-probs=0.75}},fold{{file="{factors}"}}',
                mnist_heldout,
                (0.666,),
                mnist=True,
                samples=300,
            )
        )
    trained = lambda: onnx.load(str(ROOT / "examples" / "blenet_mnist.onnx"))  # noqa: E731
    out.append(
        Design(
            "B-LeNet, DSE at 0.5 of zc706",
            trained,
            "split-exits{exit-probs=0.666},dse{platform=zc706 budget=0.5}",
            mnist_heldout,
            (0.666,),
            mnist=True,
            samples=300,
        )
    )
    for name, model, shape in (
        ("Triple-Wins", triple_wins, (1, 28, 28)),
        ("B-AlexNet", b_alexnet, (3, 32, 32)),
    ):
        low = smallest_budget(model, "0.5")
        for budget in (low, 1.0):
            out.append(
                Design(
                    f"{name}, DSE at {budget:g} of zc706",
                    model,
                    f"split-exits{{exit-probs=0.5}},dse{{platform=zc706 budget={budget:g}}}",
                    random_inputs(shape),
                    (0.5,),
                    samples=40 if name == "B-AlexNet" else 80,
                )
            )
    out.append(
        Design(
            "early-exit ResNet (model builder)",
            b_resnet,
            "split-exits{exit-probs=0.5},fold{coarse=2 fine=max}",
            random_inputs((3, 16, 16)),
            (0.5,),
            samples=80,
        )
    )
    out.append(
        Design(
            "3-exit network",
            three_exits,
            "split-exits{exit-probs=0.3,0.3},fold{coarse=2 fine=max}",
            random_inputs((3, 8, 8)),
            (0.3, 0.3),
            samples=150,
        )
    )
    return out


@dataclass
class Built:
    project: Path
    stages: list[tuple[float, float]]  # (interval, profiled reach) per stage
    exits: int


def build_design(d: Design, folder: Path, slack: int = 1) -> Built:
    module = import_onnx(d.model())
    atheena_ir.run_passes(module, "canonicalize," + d.spec)
    report = design_report(module, "zc706", 1024, "project", "main")
    stages = [(s.interval, s.reach) for s in report.stages]
    atheena_ir.run_passes(module, f"lower-to-hws{{buffer-slack={slack}}}")
    project = folder / f"{abs(hash((d.name, slack)))}"
    write_project(project_files(module, "zc706"), project)
    build(project)
    return Built(project, stages, len(stages) - 1)


def predicted(b: Built, exits: np.ndarray) -> float:
    """The cost model's throughput at the exit fractions `exits` really had."""
    reach = [float(np.mean(exits >= s)) for s in range(len(b.stages))]
    limits = [
        CLOCK_MHZ * 1e6 / (interval * r)
        for (interval, _), r in zip(b.stages, reach, strict=True)
        if r > 0
    ]
    return min(limits)


def exit_limits(b: Built, x: np.ndarray, fractions: tuple[float, ...]) -> list[int]:
    """Run-time limits giving the wanted fraction at each exit (of all samples)."""
    limits: list[int] = []
    left = np.ones(len(x), dtype=bool)
    for i, frac in enumerate(fractions):
        probe = simulate(b.project, x, limits=[*limits, ALWAYS] + [NEVER] * (b.exits - i - 1))
        sums = fx.exit_sum(probe.raw.reshape(len(x), -1))
        want = frac * len(x)
        candidates = np.sort(sums[left])
        k = int(min(max(round(want), 1), len(candidates) - 1))
        limit = int(candidates[k - 1]) + 1 if k > 0 else NEVER
        limits.append(limit)
        left &= sums >= limit
    return limits


def sequences(exits: np.ndarray, fractions: tuple[float, ...], n: int) -> dict[str, np.ndarray]:
    """Indices into the pool: the periodic, real (pool order) and sorted sequences of n samples."""
    by_exit = [np.flatnonzero(exits == e) for e in range(len(fractions) + 1)]
    shares = [*fractions, 1 - sum(fractions)]
    periodic, used, taken = [], np.zeros(len(shares)), np.zeros(len(shares), dtype=int)
    for _ in range(n):
        used += shares
        e = int(np.argmax(used - taken))
        pool = by_exit[e] if len(by_exit[e]) else np.flatnonzero(exits >= 0)
        periodic.append(pool[taken[e] % len(pool)])
        taken[e] += 1
    real = np.arange(min(n, len(exits)))
    order = np.argsort(exits[real], kind="stable")
    return {"periodic": np.array(periodic), "real": real, "sorted": real[order]}


def run_design(d: Design, folder: Path, out: list[str], speed: list[str]) -> None:
    t0 = time.perf_counter()
    b = build_design(d, folder)
    pool = d.data(max(d.samples, 2 * d.samples))
    limits = None if d.mnist else exit_limits(b, pool, d.fractions)
    first = simulate(b.project, pool, limits=limits)
    seqs = sequences(first.exits, d.fractions, d.samples)
    thr = {}
    for kind, idx in seqs.items():
        start = time.perf_counter()
        r = simulate(b.project, pool[idx], limits=limits, timed=True, timeout=3600)
        wall = time.perf_counter() - start
        sim = r.timing.throughput(CLOCK_MHZ)
        pred = predicted(b, r.exits)
        thr[kind] = sim
        frac = ", ".join(f"{np.mean(r.exits == e):.2f}" for e in range(len(d.fractions)))
        out.append(
            f"| {d.name} | {kind} | {frac} | {pred:,.0f} | {sim:,.0f} | "
            f"{100 * (sim / pred - 1):+.1f} % |"
        )
        if kind == "periodic":
            speed.append(f"| {d.name} | {len(idx)} | {wall:.1f} | {len(idx) / wall:,.1f} |")
    for kind in ("real", "sorted"):
        loss = 100 * (thr[kind] / thr["periodic"] - 1)
        out.append(f"| {d.name} | {kind} loss vs periodic | | | | {loss:+.1f} % |")
    print(f"  {d.name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)


POLLERS = {"split", "exit_decision", "cond_buffer", "exit_merge", "fork", "axis_in", "axis_out"}


def _output_of(p) -> str:
    """The stream a unit writes: its last argument (`conv(in, weights, out)`)."""
    return p.arguments.split(",")[-1].strip()


def unit_table(d: Design, folder: Path) -> list[str]:
    """Per layer: the cost model's interval beside the busiest unit's busy cycles per sample."""
    module = import_onnx(d.model())
    atheena_ir.run_passes(module, "canonicalize," + d.spec)
    report = design_report(module, "zc706", 1024, "project", "main")
    b = build_design(d, folder)
    r = simulate(b.project, d.data(d.samples), timed=True, timeout=3600)
    rows = []
    for stage in report.stages:
        for layer in stage.layers:
            mine = [
                p
                for p in r.timing.processes
                if p.unit not in POLLERS
                and p.samples
                and _output_of(p).startswith(layer.name + "_")
            ]
            if not mine:
                continue
            busiest = max(mine, key=lambda p: p.cycles_per_sample())
            sim = busiest.cycles_per_sample()
            rows.append(
                f"| {stage.index} | {layer.name} | {busiest.unit} | {layer.interval:,.0f} | "
                f"{sim:,.1f} | {100 * (sim / layer.interval - 1):+.1f} % |"
            )
    return rows


def buffer_sweep(d: Design, folder: Path) -> list[str]:
    rows = []
    pool = d.data(2 * d.samples)
    for slack in (1, 3, 7, 15):
        b = build_design(d, folder, slack)
        first = simulate(b.project, pool)
        seqs = sequences(first.exits, d.fractions, d.samples)
        thr = {
            k: simulate(b.project, pool[i], timed=True, timeout=3600).timing.throughput(CLOCK_MHZ)
            for k, i in seqs.items()
        }
        rows.append(
            f"| {slack} | {100 * (thr['real'] / thr['periodic'] - 1):+.1f} % | "
            f"{100 * (thr['sorted'] / thr['periodic'] - 1):+.1f} % |"
        )
        print(f"  buffer slack {slack} done", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run only the designs whose name contains this text")
    ap.add_argument("--no-sweep", action="store_true", help="skip the buffer-depth sweep")
    ap.add_argument("--no-units", action="store_true", help="skip the per-unit table and sweep")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="atheena-timed-bench-"))
    rows: list[str] = []
    speed: list[str] = []
    all_designs = designs(folder)
    for d in all_designs:
        if args.only and args.only not in d.name:
            continue
        try:
            run_design(d, folder, rows, speed)
        except (UserError, PassFailedException) as err:
            first = str(err).splitlines()[0]
            rows.append(f"| {d.name} | not simulated: {first} | | | | |")
        print("\n".join(rows[-5:]), file=sys.stderr, flush=True)
    print(
        "| design | exit sequence | exit fractions | predicted samples/s | simulated samples/s "
        "| simulated vs predicted |"
    )
    print("|---|---|---|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print("| design | samples | wall s (timed, compile excluded) | samples/s |")
    print("|---|---:|---:|---:|")
    print("\n".join(speed))
    dse = next(d for d in all_designs if d.name.startswith("B-LeNet, DSE"))
    if args.no_units:
        return
    print()
    print("| stage | layer | busiest unit | model interval | simulated busy cycles/sample | diff |")
    print("|---:|---|---|---:|---:|---:|")
    print("\n".join(unit_table(dse, folder)))
    if not args.no_sweep:
        print()
        print("| buffer slack (maps beyond the bound) | real vs periodic | sorted vs periodic |")
        print("|---:|---:|---:|")
        print("\n".join(buffer_sweep(dse, folder)))


if __name__ == "__main__":
    main()
