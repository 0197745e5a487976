"""
`atheena-csim`: C-simulate an HLS project written by `atheena-opt -t hls` on a batch of inputs.

```
atheena-opt model.onnx -p 'canonicalize,split-exits{exit-probs=0.75},fold{coarse=2},lower-to-hws' \\
    -t 'hls{dir="hls_project"}'
atheena-csim hls_project --inputs x.npz -o results.npz
atheena-csim hls_project --inputs x.npz --limit 32 --timed timing.json
```

The project is compiled with g++ (cached by a hash of its files), the batch (the `x` array of
the .npz file, or its only array; shape `[N, C, H, W]` in real values) is quantised to the input
port's type and streamed through the design; every sample's output, exit and sample id come
back sorted into sample order. It prints one summary line per exit and, with `-o`, writes
`raw`, `real`, `exits` and `order` (the order samples left the design) to an .npz file. The
simulation is timed (every pipelined loop at its II, every FIFO at its depth): `--timed` prints
the cycles, the sustained throughput at the platform's clock and the busiest units, and with a
file name writes the whole cycle-level report there as JSON (`atheena_ir.csim.timing`). A
deadlock ends with a report naming the stuck streams and the cycle; user errors print one
message and exit 1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from atheena_ir.csim.simulate import MANIFEST, CsimResult, load_manifest, simulate
from atheena_ir.errors import UserError
from atheena_ir.outputs import (
    atomic_file,
    check_output_file,
    recorded_files,
    refuse_input_as_output,
)
from atheena_ir.profiling.data import read_npz
from atheena_ir.tools.cli import user_errors


def build_parser() -> argparse.ArgumentParser:
    """The command line of atheena-csim."""
    p = argparse.ArgumentParser(
        prog="atheena-csim",
        description="Run the C simulation of an HLS project written by atheena-opt -t hls on a "
        "batch of inputs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  atheena-opt examples/blenet_mnist.onnx -p 'atheena{exit-probs=0.75}' "
        "-t 'hls{dir=\"hls_project\"}'\n"
        "  atheena-csim hls_project --inputs x.npz -o results.npz",
    )
    p.add_argument("project", help="the project folder (the dir of -t 'hls{dir=...}')")
    p.add_argument(
        "--inputs",
        required=True,
        metavar="X.npz",
        help="the batch: array 'x' (or the file's only array), shape [N, C, H, W], real values",
    )
    p.add_argument("-o", "--output", metavar="FILE.npz", help="write raw, real, exits, order")
    p.add_argument(
        "--limit",
        type=lambda t: _positive(t, int),
        metavar="N",
        help="simulate only the first N samples",
    )
    p.add_argument(
        "--timed",
        nargs="?",
        const="",
        metavar="TIMING.json",
        help="print the timed simulation's figures (cycles, samples/s, latency, busiest units); "
        "with a file name, also write its whole report there as JSON",
    )
    p.add_argument(
        "--clock-mhz",
        type=lambda t: _positive(t, float),
        metavar="MHZ",
        help="clock for samples/s (default: the platform's, from the project)",
    )
    p.add_argument(
        "--stall-cycles",
        type=lambda t: _positive(t, int),
        metavar="N",
        help="stop a run in which no stream moved for N simulated cycles (default 1000000)",
    )
    p.add_argument(
        "--cycle-limit",
        type=lambda t: _positive(t, int),
        metavar="N",
        help="stop the run after N simulated cycles",
    )
    p.add_argument(
        "--min-fifo-depth",
        type=lambda t: _positive(t, int),
        metavar="N",
        help="deepen every FIFO to at least N words: faster on large batches, same results, but a "
        "FIFO too shallow for the design no longer deadlocks and the cycles change",
    )
    p.add_argument(
        "--timeout",
        type=lambda t: _positive(t, float),
        default=600.0,
        metavar="SECONDS",
        help="stop after (600)",
    )
    return p


def load_inputs(path: str) -> np.ndarray:
    """The batch in an .npz file: its `x` array, or its only array (checked like
    `atheena-profile --data`: no pickles, a real-valued batch of at least one sample).

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "x.npz")
    >>> np.savez(f, x=np.zeros((2, 1, 4, 4)))
    >>> load_inputs(f).shape
    (2, 1, 4, 4)
    """
    arrays = read_npz(path, "the batch as array 'x' [N, C, H, W]")
    names = list(arrays)
    if "x" in arrays:
        x = arrays["x"]
    elif len(names) == 1:
        x = arrays[names[0]]
    else:
        raise UserError(f"{path} holds arrays {names}; name the inputs 'x'")
    if x.dtype.kind not in "fiu":
        raise UserError(f"{path}: the inputs have dtype {x.dtype}; give real numbers [N, C, H, W]")
    if x.ndim < 2 or x.shape[0] == 0:
        raise UserError(f"{path}: the inputs have shape {list(x.shape)}; expected [N, C, H, W]")
    if not np.isfinite(x).all():
        raise UserError(f"{path}: the inputs hold NaN or infinite values")
    return x


def _positive(text: str, kind: type) -> float:
    """An argparse type: a finite number > 0 (`kind` int or float)."""
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
    return value


def summary(result: CsimResult) -> str:
    """One line per exit: how many samples took it."""
    n = len(result.exits)
    counts = np.bincount(result.exits, minlength=1) if n else np.zeros(1, dtype=int)
    lines = [f"{n} samples, every sample id returned once"]
    lines += [f"  exit {i}: {c} samples ({100 * c / max(n, 1):.1f}%)" for i, c in enumerate(counts)]
    return "\n".join(lines) + "\n"


def run(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and simulate."""
    args = build_parser().parse_args(argv)
    project_files = [Path(args.project) / MANIFEST, *recorded_files(args.project)]
    refuse_input_as_output(
        {"-o": args.output, "--timed": args.timed or None}, [args.inputs, *project_files]
    )
    check_output_file(args.output, "-o")
    check_output_file(args.timed or None, "--timed")
    x = load_inputs(args.inputs)
    if args.limit is not None:
        x = x[: args.limit]
    timed = args.timed is not None
    # The g++ build of a new project takes a while (minutes for a large design); say so first.
    print(
        f"atheena-csim: compiling {args.project} with g++ (reused while the project is "
        f"unchanged), then simulating {len(x)} samples",
        file=sys.stderr,
        flush=True,
    )
    result = simulate(
        args.project,
        x,
        timeout=args.timeout,
        timed=timed,
        stall_cycles=args.stall_cycles,
        cycle_limit=args.cycle_limit,
        min_fifo_depth=args.min_fifo_depth,
    )
    sys.stdout.write(summary(result))
    if timed and result.timing is not None:
        clock = args.clock_mhz or load_manifest(args.project).get("clock_mhz")
        sys.stdout.write(result.timing.summary(clock))
        if args.timed:
            with atomic_file(args.timed, "w") as f:
                f.write(json.dumps(result.timing.to_json(), indent=1) + "\n")
            sys.stdout.write(f"timing report written to {args.timed}\n")
    if args.output:
        with atomic_file(args.output, "wb") as f:
            np.savez(f, raw=result.raw, real=result.real, exits=result.exits, order=result.order)
        sys.stdout.write(f"results written to {args.output}\n")


def main(argv: Sequence[str] | None = None) -> None:
    """Run `atheena-csim`; user errors end with one message on stderr and exit code 1."""
    with user_errors("atheena-csim"):
        run(argv)


if __name__ == "__main__":
    main()
