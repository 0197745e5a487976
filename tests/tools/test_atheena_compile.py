"""`atheena-compile`: one command from ONNX to design, report and Pareto front."""

from __future__ import annotations

import json
import re
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
def compiled(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One run of the whole flow, shared by the tests of its outputs (each run takes a while)."""
    out = tmp_path_factory.mktemp("build")
    result = compile_(str(MODEL), "--exit-probs", "0.75", "--points", "3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture(scope="module")
def build(compiled: tuple[Path, subprocess.CompletedProcess[str]]) -> tuple[Path, str]:
    out, result = compiled
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


def test_report_gives_the_budget_given(build: tuple[Path, str]) -> None:
    out, _ = build
    text = (out / "report.txt").read_text()
    header = text.split("resources (all stages) on zc706\n")[1].splitlines()[0]
    assert header.split() == ["resource", "used", "on", "board", "util", "budget"]
    assert "within the budget 0.5" in text


def test_hws_design_parses_back(build: tuple[Path, str]) -> None:
    out, _ = build
    from xdsl.parser import Parser

    ctx = atheena_ir.context()
    text = (out / "design.hws.mlir").read_text()
    assert "hws.design @main" in text
    Parser(ctx, text).parse_module().verify()


def test_progress_goes_to_stderr(compiled: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, result = compiled
    lines = result.stderr.splitlines()
    assert lines[0].startswith("[1/7] importing")
    assert lines[-1].startswith("[7/7] done: ")
    # each step's line ends with the time the step took, not the time it started
    for line in lines[:-1]:
        assert re.fullmatch(r"\[\d/7\] .* \.\.\. \d+\.\d s", line), line
    assert "[1/7]" not in result.stdout


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


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["--platform", "nope"], "unknown platform 'nope'"), (["--budget", "lots"], "'lots'")],
)
def test_bad_platform_or_budget_is_refused_before_any_step(
    args: list[str], fragment: str, tmp_path: Path
) -> None:
    result = compile_(str(MODEL), *args, "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert fragment in result.stderr
    assert "[1/7]" not in result.stderr  # not after importing and profiling the model


def test_missing_model(tmp_path: Path) -> None:
    result = compile_(str(tmp_path / "none.onnx"), "-o", str(tmp_path))
    assert result.returncode == 1
    assert "no such file" in result.stderr.lower()


def test_default_output_is_named_after_the_inputs_not_build() -> None:
    # `pip install .` leaves a setuptools build/ folder: the default must never be that.
    from atheena_ir.tools.atheena_compile import default_output, parser

    assert parser().parse_args([str(MODEL)]).output is None
    assert default_output(str(MODEL), "zc706") == Path("blenet_mnist_zc706")
    assert default_output("net.onnx", "boards/my_board.toml") == Path("net_my_board")


def test_help_describes_the_tool_in_whole_sentences_with_examples() -> None:
    text = compile_("--help").stdout
    description = text.split("\n\n")[1]
    assert description.endswith("against the no-exit baseline.")
    assert "examples:\n  atheena-compile examples/blenet_mnist.onnx" in text


def test_runs_the_atheena_pass_steps_and_the_sweep_function(build: tuple[Path, str]) -> None:
    # The flow is written once: the design compile wrote is what the atheena pass's steps give.
    from xdsl.context import Context

    from atheena_ir.dse.load import load_model
    from atheena_ir.passes.atheena_pipeline import AtheenaPipelinePass
    from atheena_ir.tools.atheena_compile import exit_fractions
    from atheena_ir.tools.atheena_dse import pareto_fronts  # the sweep, as a function

    assert callable(pareto_fronts)
    out, _ = build
    module, ctx = load_model(MODEL), Context()
    steps = AtheenaPipelinePass(exit_probs=(0.75,), budget=0.5).steps()
    assert [name for name, _ in steps] == ["canonicalize", "split-exits", "dse", "lower-to-hws"]
    for _name, step in steps[:3]:
        step(ctx, module)
    assert str(module) + "\n" == (out / "design.ee.mlir").read_text()
    assert exit_fractions([1.0, 0.25]) == (0.75,)
    assert exit_fractions([1.0, 0.5, 0.3]) == (0.5, 0.2)
