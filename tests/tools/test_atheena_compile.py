"""`atheena-compile`: one command from ONNX to design, report and Pareto front."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import atheena_ir
from atheena_ir.cost.design import design_report
from tests.conftest import REPO

BIN = Path(sys.executable).parent
MODEL = REPO / "examples" / "blenet_mnist.onnx"


def compile_(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "atheena-compile"), *args], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("build")
    result = compile_(str(MODEL), "--exit-probs", "0.75", "--points", "3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_writes_every_output(build: tuple[Path, str]) -> None:
    out, _ = build
    for name in ("design.ee.mlir", "design.hws.mlir", "report.txt", "report.json",
                 "front.json", "front.png", "front.svg"):  # fmt: skip
        assert (out / name).stat().st_size > 0, name


def test_summary_agrees_with_the_written_design(build: tuple[Path, str]) -> None:
    out, stdout = build
    from xdsl.parser import Parser

    module = Parser(atheena_ir.context(), (out / "design.ee.mlir").read_text()).parse_module()
    report = design_report(module, "zc706", 1024)
    assert f"throughput     {report.throughput:,.0f} samples/s" in stdout
    assert "stage reaches 1, 0.25" in stdout
    assert json.loads((out / "report.json").read_text())["network"]["throughput"] == (
        report.throughput
    )
    front = json.loads((out / "front.json").read_text())
    base = next(p for p in front["no_exit_baseline"]["points"] if p["budget"] == 0.5)
    assert f"speed-up {report.throughput / base['throughput']:.2f}x" in stdout
    assert max(report.utilisation.values()) <= 0.5 + 1e-9


def test_hws_design_parses_back(build: tuple[Path, str]) -> None:
    out, _ = build
    from xdsl.parser import Parser

    ctx = atheena_ir.context()
    text = (out / "design.hws.mlir").read_text()
    assert "hws.design @main" in text
    Parser(ctx, text).parse_module().verify()


def test_progress_goes_to_stderr(build: tuple[Path, str], tmp_path: Path) -> None:
    result = compile_(str(MODEL), "--exit-probs", "0.75", "--points", "2", "-o", str(tmp_path))
    assert "[1/6] importing" in result.stderr
    assert "[6/6] done" in result.stderr
    assert "[1/6]" not in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--exit-probs", "lots"], "--exit-probs: expected fractions"),
        (["--exit-probs", "0.75,0.2"], "exit-probs gives 2 value(s) but the network has 1 exit"),
        (["--budget", "0.01"], "budget"),
        (["--platform", "nope"], "nope"),
    ],
)
def test_user_errors(args: list[str], fragment: str, tmp_path: Path) -> None:
    result = compile_(str(MODEL), *args, "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr


def test_missing_model(tmp_path: Path) -> None:
    result = compile_(str(tmp_path / "none.onnx"), "-o", str(tmp_path))
    assert result.returncode == 1
    assert "no such file" in result.stderr.lower()
