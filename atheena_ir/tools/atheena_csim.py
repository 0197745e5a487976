"""
`atheena-csim`: C-simulate an HLS project written by `atheena-opt -t hls` on a batch of inputs.

```
atheena-opt model.onnx -p 'canonicalize,split-exits{exit-probs=0.75},fold{coarse=2},lower-to-hws' \\
    -t 'hls{dir="build"}'
atheena-csim build --inputs x.npz -o results.npz
atheena-csim build --inputs x.npz --limit 32 --watchdog 2
```

The project is compiled with g++ (cached by a hash of its files), the batch (the `x` array of
the .npz file, or its only array; shape `[N, C, H, W]` in real values) is quantised to the input
port's type and streamed through the design; every sample's output, exit and sample id come
back sorted into sample order. It prints one summary line per exit and, with `-o`, writes
`raw`, `real`, `exits` and `order` (the order samples left the design) to an .npz file. A
deadlock ends with the watchdog's report naming the stuck streams; user errors print one message
and exit 1.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from atheena_ir.csim.simulate import MANIFEST, CsimResult, simulate
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
        "--watchdog",
        type=lambda t: _positive(t, float),
        metavar="SECONDS",
        help="report a deadlock after this long without progress (default 5)",
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
    refuse_input_as_output({"-o": args.output}, [args.inputs, *project_files])
    check_output_file(args.output, "-o")
    x = load_inputs(args.inputs)
    if args.limit is not None:
        x = x[: args.limit]
    result = simulate(args.project, x, timeout=args.timeout, watchdog_seconds=args.watchdog)
    sys.stdout.write(summary(result))
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
