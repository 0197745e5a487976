"""
C simulation of a generated HLS project (`-t hls`): build with g++, run a batch, read it back.

```python
import numpy as np
from atheena_ir.csim import simulate
result = simulate("build", np.zeros((4, 1, 28, 28)))
result.exits, result.real.shape                 # (array([1, 1, 1, 1]), (4, 10))
```

The project's testbench reads the batch (quantised to the input port's type, in stream order)
from a file (with `-` for its expected-results file: `simulate` checks the results itself) and
prints one `result <id> <exit> <raw>...` line per sample as it leaves the design;
`simulate` checks that every sample id came back exactly once and sorts the results back into
sample order. The simulation is timed (`atheena_ir.csim.timing`): with `timed=True` the result
carries the cycle-level report of the printed design. A deadlock (found in simulated time: no
process can move) raises a UserError whose message names the stuck streams and the cycle.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from atheena_ir.csim.manifest import read_manifest
from atheena_ir.csim.runner import parse_results, run_program
from atheena_ir.csim.timing import TimingReport
from atheena_ir.csim.toolchain import compile_program
from atheena_ir.errors import UserError
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.layout import from_stream, to_stream

MANIFEST = "atheena_project.json"
"""Written by `-t hls`: the project's ports, types and exit limits."""


@dataclass(frozen=True)
class CsimResult:
    """Each sample's output in sample order: raw integers, real values, exit and sample id.

    `raw` / `real` have shape `(N, C, H, W)` for a map output and `(N, C)` for a vector
    (a `1 x 1` map), like the ONNX model's output; `exits[n]` is the exit sample n took (0 =
    earliest; always 0 without exits); `sample_ids[n] == n`; `order` lists the sample ids in the
    order they left the design.
    """

    raw: np.ndarray
    real: np.ndarray
    exits: np.ndarray
    sample_ids: np.ndarray
    order: np.ndarray
    stdout: str
    stderr: str
    timing: TimingReport | None = None


def load_manifest(project_dir: str | Path) -> dict:
    """The project's `atheena_project.json` (UserError when it is not an atheena-ir project)."""
    path = Path(project_dir) / MANIFEST
    if not path.is_file():
        raise UserError(
            f"{project_dir} is not an HLS project written by atheena-opt -t hls "
            f"({MANIFEST} missing)"
        )
    return read_manifest(path)


def _fixed(spec: dict) -> fx.FixedType:
    return fx.FixedType(
        spec["width"], spec["int_bits"], rounding=spec["rounding"], overflow=spec["overflow"]
    )


def build(project_dir: str | Path, *, opt: str = "-O1", warnings: bool = False) -> Path:
    """Compile the project's testbench and top function; the executable is cached by content.

    The cache key covers every file of the project (weights included), the flags and the
    compiler, so an unchanged project is compiled once.
    """
    root = Path(project_dir).resolve()
    manifest = load_manifest(root)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".h", ".hpp", ".cpp", ".json"):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    includes = "\n".join(
        f'#include "{rel}"' for rel in [manifest["testbench"], *manifest["sources"]]
    )
    source = (
        f"// atheena-ir HLS project {manifest['top']}, digest {digest.hexdigest()}\n{includes}\n"
    )
    return compile_program(
        source,
        name=f"{manifest['top']}_csim",
        opt=opt,
        warnings=warnings,
        include_dirs=[
            root,
            root / "include" / "sim",
            root / "include",
            root / "src",
            root / "include" / "vitis",  # the stand-in <ap_axi_sdata.h> of the AXI-stream ports
        ],
    )


def format_inputs(manifest: dict, inputs: np.ndarray) -> str:
    """The testbench's input file: the sample count, then each sample's raw integers."""
    port = manifest["inputs"][0]
    rows, cols, ch = port["map"]
    x = np.asarray(inputs)
    if x.dtype.kind not in "fiu":
        raise UserError(f"inputs must be real numbers, got dtype {x.dtype}")
    x = x.astype(np.float64)
    if not np.isfinite(x).all():
        raise UserError("inputs hold NaN or infinite values")
    if x.ndim == 4 and x.shape[1:] != (ch, rows, cols):
        raise UserError(
            f"inputs of shape {x.shape} are not [N, C, H, W] = [N, {ch}, {rows}, {cols}] "
            "(an [N, H, W, C] batch needs x.transpose(0, 3, 1, 2))"
        )
    if x.size % (rows * cols * ch) or x.ndim < 2 or x.shape[0] == 0:
        raise UserError(
            f"inputs of shape {x.shape} are not a batch of ({ch}, {rows}, {cols}) samples"
        )
    n = x.shape[0]
    if x[0].size != rows * cols * ch:
        raise UserError(f"each sample must have {ch}x{rows}x{cols} values, got {x.shape[1:]}")
    if n > 0xFFFE:
        raise UserError(f"a batch holds at most 65534 samples (16-bit ids), got {n}")
    raw = fx.from_float(to_stream(x.reshape(n, ch, rows, cols)), _fixed(port["type"]))
    lines = [str(n)] + [" ".join(map(str, sample.ravel())) for sample in raw]
    return "\n".join(lines) + "\n"


def simulate(
    project_dir: str | Path,
    inputs: np.ndarray,
    *,
    timeout: float = 300.0,
    limits: list[int] | None = None,
    timed: bool = False,
    stall_cycles: int | None = None,
    cycle_limit: int | None = None,
    min_fifo_depth: int | None = None,
) -> CsimResult:
    """Run a batch through the project's C simulation and return the outputs in sample order.

    `inputs` is `(N, C, H, W)` (or anything of N samples of that size) in real values; they are
    quantised to the input port's type. `limits` overrides the exit decisions' limits (the
    top function's `limit_<i>` arguments). With `timed`, `result.timing` is the cycle-level
    report. `stall_cycles` and `cycle_limit` bound a run that never finishes (see `run_program`);
    `min_fifo_depth` deepens every FIFO to at least that many words, which leaves the results
    alone and runs a data set faster, but hides a FIFO too shallow for the design (and changes the
    cycles). Raises UserError on a deadlock (naming the stuck streams and the cycle), a crash, a
    timeout, or when a sample id is missing, repeated or unknown.
    """
    if not (math.isfinite(timeout) and timeout > 0):
        raise UserError(f"the timeout must be a positive number of seconds, got {timeout}")
    manifest = load_manifest(project_dir)
    exe = build(project_dir)
    out = manifest["outputs"][0]
    rows, cols, ch = out["map"]
    n = int(np.asarray(inputs).shape[0])
    with tempfile.TemporaryDirectory(prefix="atheena-csim-run-") as tmp:
        samples = Path(tmp) / "samples.txt"
        samples.write_text(format_inputs(manifest, inputs))
        # "-": no expected file (the testbench's own batch is tb/samples.txt); limits follow
        args = [str(samples), "-", *(str(v) for v in (limits or []))]
        env = dict(os.environ)
        timing_file = Path(tmp) / "timing.json"
        env.pop("ATHEENA_CSIM_TIMING", None)
        if timed:
            env["ATHEENA_CSIM_TIMING"] = str(timing_file)
        if min_fifo_depth is not None:
            env["ATHEENA_CSIM_MIN_DEPTH"] = str(int(min_fifo_depth))
        done = run_program(
            exe,
            args,
            timeout=timeout,
            stall_cycles=stall_cycles,
            cycle_limit=cycle_limit,
            env=env,
            check=False,
        )
        timing = TimingReport.load(timing_file) if timed and done.returncode == 0 else None
    if done.deadlocked:
        raise UserError(f"C simulation of {manifest['top']} deadlocked:\n{done.stderr.strip()}")
    if done.out_of_cycles:
        raise UserError(
            f"C simulation of {manifest['top']} did not finish within {cycle_limit} cycles:\n"
            f"{done.stderr.strip()}"
        )
    if done.returncode != 0:
        raise UserError(
            f"C simulation of {manifest['top']} failed with exit code {done.returncode}:\n"
            f"{done.stderr.strip()[-2000:]}"
        )
    results = parse_results(done.stdout)
    ids = [r.sample_id for r in results]
    seen = np.bincount(np.array(ids, dtype=np.int64), minlength=n) if ids else np.zeros(n, int)
    if len(seen) > n or (seen != 1).any():
        missing = [i for i in range(n) if seen[i] == 0][:10]
        repeated = [i for i in range(min(n, len(seen))) if seen[i] > 1][:10]
        unknown = sorted({i for i in ids if i >= n})[:10]
        raise UserError(
            f"C simulation of {manifest['top']} did not return every sample id exactly once: "
            f"missing {missing}, repeated {repeated}, unknown {unknown}"
        )
    values = rows * cols * ch
    raw_stream = np.zeros((n, values), dtype=np.int64)
    exits = np.zeros(n, dtype=np.int64)
    for r in results:
        if r.values.size != values:
            raise UserError(
                f"sample {r.sample_id} has {r.values.size} output values, expected {values}"
            )
        raw_stream[r.sample_id] = r.values
        exits[r.sample_id] = r.exit
    raw = from_stream(raw_stream.reshape(n, rows, cols, ch))
    if rows == cols == 1:
        raw = raw.reshape(n, ch)
    real = fx.to_float(raw, _fixed(out["type"]))
    return CsimResult(
        raw=raw,
        real=real,
        exits=exits,
        sample_ids=np.arange(n),
        order=np.array(ids, dtype=np.int64),
        stdout=done.stdout,
        stderr=done.stderr,
        timing=timing,
    )
