"""
The project `-t hls` writes: deterministic bytes, written whole (a failure leaves the old folder
untouched), the files a Vitis project needs, code that compiles with -Wall -Wextra without
warnings from the project's own sources, and the atheena-csim command line.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from xdsl.parser import Parser

import atheena_ir
from atheena_ir import models
from atheena_ir.backends.hls.project import MANIFEST, project_files, write_project
from atheena_ir.csim import compile_program, find_ap_types, find_compiler, run_program
from atheena_ir.errors import UserError
from atheena_ir.tools import atheena_csim
from tests.hls.flow import flow
from tests.hls.test_deadlock import DESIGN, N, expected


def module(depth: int = 2 * N) -> object:
    ctx = atheena_ir.context()
    return Parser(ctx, DESIGN.replace("DEPTH", str(depth))).parse_module()


def test_same_ir_same_bytes_and_the_expected_files() -> None:
    a, b = project_files(module()), project_files(module())
    assert a == b
    for rel in (
        "src/skew_top.cpp",
        "src/skew_top.h",
        "src/skew_top_weights.h",
        "include/atheena/units.h",
        "include/sim/hls_stream.h",
        "tb/skew_top_tb.cpp",
        "tb/samples.txt",
        "tb/expected.txt",
        "include/axis/atheena_axis.h",
        "include/vitis/ap_axi_sdata.h",
        "run_hls.tcl",
        "Makefile",
        MANIFEST,
    ):
        assert rel in a, rel
    assert "#pragma HLS DATAFLOW" in a["src/skew_top.cpp"]


def test_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "prj"
    write_project(project_files(module()), target)
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    broken = {**project_files(module(1)), "src/skew_top.cpp/oops": "x"}  # a file as a folder
    with pytest.raises(FileExistsError):
        write_project(broken, target)
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert before == after
    leftovers = [*tmp_path.glob(".*"), *target.glob(".atheena-staging.*")]
    assert not leftovers
    other = tmp_path / "not_a_project"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(UserError, match="not written by atheena-ir"):
        write_project(project_files(module()), other)
    assert (other / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("std", ["-std=c++17", "-std=c++14"])  # the Makefile's, run_hls.tcl's
@pytest.mark.parametrize("design", ["skew", "b_lenet"])
def test_compiles_without_warnings_from_project_code(tmp_path: Path, design: str, std: str) -> None:
    if design == "b_lenet":
        spec = "split-exits{exit-probs=0.75},fold{coarse=2 fine=max}"  # as test_exits
        prj, top = flow("b_lenet", models.b_lenet, spec).project, "main_top"
    else:
        prj, top = tmp_path / "prj", "skew_top"
        write_project(project_files(module()), prj)
    done = subprocess.run(
        [
            find_compiler(),
            std,
            "-fsyntax-only",
            "-Wall",
            "-Wextra",
            "-Wno-unknown-pragmas",  # g++ does not know the HLS pragmas
            "-pthread",
            "-Iinclude/sim",
            "-Iinclude",
            "-Isrc",
            "-isystem",
            str(find_ap_types()),
            "-isystem",
            "include/vitis",
            f"tb/{top}_tb.cpp",
            f"src/{top}.cpp",
        ],
        cwd=prj,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr


def test_atheena_csim_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prj = tmp_path / "prj"
    write_project(project_files(module()), prj)
    x = np.random.default_rng(5).uniform(-2, 2, (3, 1, N, N))
    np.savez(tmp_path / "x.npz", x=x)
    out = tmp_path / "r"  # written as named: numpy's savez would have added .npz
    atheena_csim.main([str(prj), "--inputs", str(tmp_path / "x.npz"), "-o", str(out)])
    assert "3 samples, every sample id returned once" in capsys.readouterr().out
    assert not (tmp_path / "r.npz").exists()
    with np.load(out) as r:
        np.testing.assert_array_equal(r["raw"], expected(x))
        np.testing.assert_array_equal(r["exits"], [0, 0, 0])
    with pytest.raises(SystemExit):
        atheena_csim.main([str(tmp_path), "--inputs", str(tmp_path / "x.npz")])
    assert "is not an HLS project" in capsys.readouterr().err


def test_literal_weights_for_synthesis_equal_the_raw_ones(tmp_path: Path) -> None:
    """The ap_fixed literals Vitis synthesises hold the same bits as the C simulation's arrays."""
    from tests.hls.test_three_exits import SPEC, three_exit_model

    prj = flow("three_exits", three_exit_model, SPEC).project
    header = (prj / "src" / "main_top_weights.h").read_text()
    arrays = re.findall(r"static const long long (\w+)_raw\[(\d+)\] = \{([^}]*)\};", header)
    assert len(arrays) >= 6
    prints = "\n".join(
        f'  for (int i = 0; i < {n}; i++) std::printf("%lld ", '
        f"atheena::tb::to_raw(reinterpret_cast<const {ctype(header, name)}*>({name})[i]));"
        for name, n, _ in arrays
    )
    source = (
        "#define ATHEENA_LITERAL_WEIGHTS\n#include <cstdio>\n"
        '#include "main_top_weights.h"\n#include "sim/atheena_tb.h"\n'
        f"int main() {{\n{prints}\n  return 0;\n}}\n"
    )
    exe = compile_program(source, name="literal_weights", include_dirs=[prj / "src"])
    got = [int(v) for v in run_program(exe).stdout.split()]
    want = [int(v) for _, _, values in arrays for v in values.replace("\n", " ").split(",")]
    assert got == want


def ctype(header: str, name: str) -> str:
    """The ap_fixed type of weight array `name` in a weights header."""
    found = re.search(rf"static (ap_fixed<[^>]*>) {name}\[", header)
    assert found is not None
    return found.group(1)
