"""User errors of `fold` and the report targets: one clear message, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import atheena_ir
from atheena_ir.cost import CostModelError
from atheena_ir.cost.design import design_report
from atheena_ir.errors import UserError
from tests.report.blenet import A1_FACTORS, committed_blenet, prepared

BIN = Path(sys.executable).parent
PIPELINE = 'canonicalize,split-exits{exit-probs=0.75},fold{file="%s"}'


@pytest.fixture(scope="module")
def blenet_onnx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "blenet.onnx"
    path.write_bytes(committed_blenet().SerializeToString())
    return path


def opt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "atheena-opt"), *args], capture_output=True, text=True, timeout=120
    )


def expect_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_cli_prints_the_a1_report(blenet_onnx: Path) -> None:
    result = opt(str(blenet_onnx), "-p", PIPELINE % A1_FACTORS, "-t", "report{fidelity=atheena-v1}")
    assert result.returncode == 0, result.stderr
    assert "throughput 19523.86 samples/s (stage 0 limits)" in result.stdout
    assert "bottleneck Conv_18 (14400 cycles/sample)" in result.stdout


def test_illegal_factor_api(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[Conv_3]\ncoarse_out = 3\nfine = 9\n")
    with pytest.raises(
        UserError,
        match=r"'Conv_3' \(ee.conv2d\): coarse_out = 3 is not legal; legal values: 1, 2, 5, 10$",
    ):
        prepared(committed_blenet(), bad)


def test_illegal_factor_cli(tmp_path: Path, blenet_onnx: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[Conv_0]\nfine = 9\n")
    result = opt(str(blenet_onnx), "-p", PIPELINE % bad, "-t", "report")
    expect_user_error(
        result, "atheena-opt: error: fold:", "layer 'Conv_0' (ee.conv2d): fine = 9 is not legal",
        "legal values: 1, 5, 25",
    )  # fmt: skip


def test_atheena_layer_names_are_refused_with_the_known_names(
    tmp_path: Path, blenet_onnx: Path
) -> None:
    bad = tmp_path / "atheena_names.toml"
    bad.write_text("[CONVOLUTION13]\nfine = 25\n")
    result = opt(str(blenet_onnx), "-p", PIPELINE % bad, "-t", "report")
    expect_user_error(
        result,
        "unknown layer 'CONVOLUTION13'",
        "known layers: Conv_0, MaxPool_1, Relu_2, split0, Conv_3",
    )


def test_unfoldable_layer_is_refused(tmp_path: Path, blenet_onnx: Path) -> None:
    bad = tmp_path / "split.toml"
    bad.write_text("[Greater_11]\ncoarse = 1\n")
    result = opt(str(blenet_onnx), "-p", PIPELINE % bad, "-t", "report")
    expect_user_error(
        result, "layer 'Greater_11' (ee.exit_decision) has no folding in the ee dialect"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("name = 'x'\nclock_mhz = 100.0\n", "missing required key(s) resources"),
        ("name = 'x'\nclock_mhz = 'fast'\n[resources]\nlut = 1\nff = 1\ndsp = 1\nbram18 = 1\n",
         "clock_mhz must be a number"),
        ("name = 'x'\nclock_mhz = 100.0\n[resources]\nlut = 1\nff = 1\ndsp = 0\nbram18 = 1\n",
         "resources.dsp must be positive"),
        ("name = [\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_malformed_platform_file_cli(
    tmp_path: Path, blenet_onnx: Path, text: str, fragment: str
) -> None:
    platform = tmp_path / "bad.toml"
    platform.write_text(text)
    for target in ("report", "report-json"):
        result = opt(
            str(blenet_onnx),
            "-p",
            PIPELINE % A1_FACTORS,
            "-t",
            f'{target}{{platform="{platform}"}}',
        )
        expect_user_error(result, "atheena-opt: error:", str(platform), fragment)


def test_missing_platform_file_cli(tmp_path: Path, blenet_onnx: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = opt(
        str(blenet_onnx), "-p", PIPELINE % A1_FACTORS, "-t", f'report{{platform="{missing}"}}'
    )
    expect_user_error(result, f"platform file '{missing}' does not exist")


def test_bad_target_options_api() -> None:
    module = prepared(committed_blenet())
    with pytest.raises(CostModelError, match="unknown cost-model fidelity 'v2'"):
        design_report(module, fidelity="v2")
    with pytest.raises(CostModelError, match="batch must be a positive integer"):
        design_report(module, batch=0)
    with pytest.raises(CostModelError, match="unknown platform 'zc707'"):
        design_report(module, platform="zc707")


def test_bad_fold_options_api() -> None:
    from atheena_ir.passes.fold import FoldPass

    module = prepared(committed_blenet(), None)
    with pytest.raises(UserError, match="option coarse-out=-1 must be a positive integer or 'max'"):
        FoldPass(coarse_out=-1).apply(atheena_ir.context(), module)
