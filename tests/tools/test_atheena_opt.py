"""`atheena-opt` and `xdsl-opt` from the outside: output, help, and every user error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "two_exit_net.mlir"

GOOD = """func.func @main(%z: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %d = ee.exit_decision top1(%z) > 0.9 : tensor<1x10xf32>
  %r = ee.exit %z if %d : tensor<1x10xf32> else {
    %s = ee.relu %z : tensor<1x10xf32>
    ee.yield %s : tensor<1x10xf32>
  }
  func.return %r : tensor<1x10xf32>
}
"""


def run(tool: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / tool), *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def expect_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr


def test_prints_what_it_parses() -> None:
    result = run("atheena-opt", stdin=GOOD)
    assert result.returncode == 0, result.stderr
    assert "%d = ee.exit_decision top1(%z) > 0.9 : tensor<1x10xf32>" in result.stdout


def test_xdsl_opt_knows_the_ee_dialect_through_the_entry_point() -> None:
    result = run("xdsl-opt", stdin=GOOD)
    assert result.returncode == 0, result.stderr
    assert "ee.exit %z if %d" in result.stdout


def test_xdsl_opt_knows_the_project_passes_through_the_entry_point() -> None:
    result = run("xdsl-opt", "-p", "split-exits{exit-probs=0.5}", stdin=GOOD)
    assert result.returncode == 0, result.stderr
    assert "ee.stage 1 reach 0.5" in result.stdout


def test_help_lists_the_project_passes_and_targets() -> None:
    result = run("atheena-opt", "--help")
    assert result.returncode == 0
    assert "project passes" in result.stdout
    assert "split-exits" in result.stdout
    assert "project targets" in result.stdout


def test_parse_error_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text(GOOD.replace("if %d :", "if %d"))
    expect_user_error(run("atheena-opt", str(bad)), "parse error", f"{bad}:3:")


def test_verifier_error_names_op_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text(GOOD.replace("0.9", "1.5"))
    expect_user_error(
        run("atheena-opt", str(bad)), "threshold must lie in (0, 1), got 1.5", "ee.exit_decision"
    )


def test_unknown_pass_lists_choices() -> None:
    expect_user_error(
        run("atheena-opt", "-p", "canonicalise", stdin=GOOD),
        "unknown pass 'canonicalise'",
        "Did you mean: canonicalize",
    )


def test_bad_pass_option_lists_valid_options() -> None:
    expect_user_error(
        run("atheena-opt", "-p", "split-exits{exit-probs=high}", stdin=GOOD),
        "bad option for pass 'split-exits'",
        "Valid options: exit-probs: tuple[float, ...]",
    )


def test_malformed_pipeline() -> None:
    expect_user_error(run("atheena-opt", "-p", "cse{", stdin=GOOD), "bad pass pipeline")


def test_malformed_target_options() -> None:
    expect_user_error(
        run("atheena-opt", "-t", "report{platform=my.toml}", stdin=GOOD),
        "bad option syntax",
        'platform="my.toml"',
    )


def test_missing_input_file(tmp_path: Path) -> None:
    expect_user_error(run("atheena-opt", str(tmp_path / "nope.mlir")), "No such file")


def test_unknown_target_lists_choices() -> None:
    result = run("atheena-opt", "-t", "verilog", stdin=GOOD)
    assert result.returncode != 0
    assert "invalid choice: 'verilog'" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_written_whole_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "out.mlir"
    assert run("atheena-opt", "-o", str(out), stdin=GOOD).returncode == 0
    assert "ee.exit_decision" in out.read_text()
    out.unlink()
    expect_user_error(run("atheena-opt", "-o", str(out), stdin=GOOD.replace("0.9", "2.0")))
    assert not out.exists()


def test_split_input_file_and_verify_diagnostics() -> None:
    text = GOOD + "// -----\n" + GOOD.replace("0.9", "7.0")
    result = run("atheena-opt", "--split-input-file", "--verify-diagnostics", stdin=text)
    assert result.returncode == 0
    assert "threshold must lie in (0, 1), got 7.0" in result.stdout
    assert result.stdout.count("ee.exit_decision") >= 2


def test_split_input_file_goes_on_past_a_chunk_that_does_not_parse() -> None:
    """As mlir-opt: the other chunks are processed and printed, the parse error is reported
    (with its line in the whole file) and the exit code is 1."""
    broken = GOOD.replace("> 0.9 :", "> 0.9")
    result = run("atheena-opt", "--split-input-file", stdin="// -----\n".join([GOOD, broken, GOOD]))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    chunks = result.stdout.split("// -----\n")
    assert len(chunks) == 3
    assert "ee.exit_decision" in chunks[0]
    assert chunks[1] == ""
    assert "ee.exit_decision" in chunks[2]
    line = GOOD.count("\n") + 1 + 2  # the broken chunk's second line, in the whole input
    assert f"atheena-opt: error: parse error: stdin:{line}:" in result.stderr


def test_diagnostics_keep_their_place_among_the_chunks() -> None:
    """A chunk's diagnostic prints where its output would be, so FileCheck sees file order."""
    bad = GOOD.replace("0.9", "7.0")
    result = run("atheena-opt", "--split-input-file", "--verify-diagnostics",
                 stdin="// -----\n".join([GOOD, bad, GOOD]))  # fmt: skip
    assert result.returncode == 0, result.stderr
    chunks = result.stdout.split("// -----\n")
    assert len(chunks) == 3
    assert "threshold must lie in (0, 1), got 7.0" in chunks[1]
    assert "ee.exit_decision" in chunks[0]
    assert "ee.exit_decision" in chunks[2]


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example not present")
def test_the_shipped_example_verifies() -> None:
    result = run("atheena-opt", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ee.exit ") == 2
