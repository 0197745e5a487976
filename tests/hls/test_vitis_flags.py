"""
Every printed project builds and passes its own testbench under exactly the flags run_hls.tcl
gives Vitis HLS (issue 18, item 1): the `cflags` of the script (`-std=c++14 -I<prj>/include
-I<prj>/src`), the testbench and the top function compiled as the two files Vitis adds, and
Vitis's own kind of `hls_stream.h` (the ap_types folder's: unbounded, the dataflow processes run
one after the other, as `csim_design` runs them). The project's own builds (C++17, include/sim's
bounded FIFOs) are covered by `simulate` in the other tests of this folder.

Under C++14 a `static constexpr` table member indexed at run time needs a definition outside its
class; the exit decision's exp table once lacked it and no project with an exit linked.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import numpy as np
import pytest

from atheena_ir import models
from atheena_ir.backends.hls.project import VITIS_CFLAGS, project_files, write_project
from atheena_ir.backends.hls.testbench import TestVectors
from atheena_ir.csim import find_ap_types, find_compiler
from atheena_ir.numerics.layout import to_stream
from tests.hls import test_exits, test_models, test_three_exits, test_types
from tests.hls.flow import ROOT, flow

HEAVY = ("b_alexnet", "alexnet_backbone")
"""Projects whose sequential C simulation is slow: built and run with the other flags too."""


def script_cflags(project: Path) -> list[str]:
    """The `cflags` run_hls.tcl hands to `add_files`, with `$here` the project folder."""
    script = (project / "run_hls.tcl").read_text()
    line = next(x for x in script.splitlines() if x.startswith("set cflags "))
    (value,) = shlex.split(line[len("set cflags ") :])  # one Tcl word in double quotes
    flags = value.replace("$here", str(project)).split()
    assert flags[: len(VITIS_CFLAGS)] == list(VITIS_CFLAGS)
    return flags


def build_like_vitis(project: Path, opt: str = "-O0") -> Path:
    """g++ with the script's cflags, Vitis's kind of hls_stream.h and its ap_axi_sdata.h."""
    (top,) = (p.stem for p in (project / "src").glob("*_top.cpp"))
    exe = project / "build_vitis_flags" / "csim.exe"
    exe.parent.mkdir(exist_ok=True)
    done = subprocess.run(
        [find_compiler(), *script_cflags(project), opt,
         "-isystem", str(find_ap_types()), "-isystem", str(project / "include" / "vitis"),
         str(project / "tb" / f"{top}_tb.cpp"), str(project / "src" / f"{top}.cpp"),
         "-o", str(exe)],
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return exe


def run_testbench(project: Path, exe: Path) -> subprocess.CompletedProcess[str]:
    """The testbench with the arguments run_hls.tcl gives csim_design (absolute paths)."""
    args = [str(project / "tb" / "samples.txt"), str(project / "tb" / "expected.txt")]
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=3600, check=False
    )


def skew_project() -> Path:
    """The reconverging design of test_deadlock with expected results from its numpy model."""
    from tests.hls.test_deadlock import N, expected
    from tests.hls.test_project_files import module

    x = np.random.default_rng(3).uniform(-2, 2, (3, 1, N, N))
    raw = to_stream(expected(x)).reshape(3, -1)
    vectors = TestVectors(x, "3 random maps", raw, np.zeros(3, dtype=np.int64))
    path = ROOT / "skew_vitis_flags"
    write_project(project_files(module(), vectors=vectors), path)
    return path


def b_lenet() -> Path:
    return flow("b_lenet", models.b_lenet, test_exits.SPEC).project


def b_lenet_types() -> Path:
    return flow("b_lenet_types", models.b_lenet, test_types.SPEC, test_types.LOWER).project


def three_exits() -> Path:
    return flow("three_exits", test_three_exits.three_exit_model, test_three_exits.SPEC).project


def residual() -> Path:
    """The units `add` and `fifo` (a residual block with a projection)."""
    from tests.hls.test_residual import residual_net

    return flow("residual_proj_c2", lambda: residual_net(True), "fold{coarse=2 fine=max}").project


def squeezenet() -> Path:
    """The unit `concat` (two fire modules)."""
    from atheena_ir.models.zoo import ZOO

    return flow("squeezenet", ZOO["squeezenet"], "fold{coarse=2 fine=max}").project


def activations() -> list[tuple[str, object]]:
    """Every activation unit (`lanewise` with each function)."""
    from atheena_ir.dialects import ee
    from tests.hls.test_activations_e2e import conv_activation_gemm

    def make(op: type) -> object:
        name = op.unit_name()  # type: ignore[attr-defined]
        return lambda: (
            flow(f"{name}_c2", lambda: conv_activation_gemm(op), "fold{coarse=2 fine=max}").project
        )

    return [(op.unit_name(), make(op)) for op in ee.ACTIVATIONS]


CASES = [("skew", skew_project), ("b_lenet", b_lenet), ("b_lenet_types", b_lenet_types)]
CASES += [("three_exits", three_exits)]
CASES += [
    (f"{name}_{folding}", lambda n=name, f=folding: test_models.model_flow(n, f).project)
    for name, folding in test_models.CASES
]
CASES += [("residual", residual), ("squeezenet", squeezenet), *activations()]


@pytest.mark.parametrize(("name", "make"), CASES, ids=[n for n, _ in CASES])
def test_builds_and_passes_its_testbench_with_the_vitis_flags(name: str, make: object) -> None:
    project = make()  # type: ignore[operator]
    assert (project / "tb" / "expected.txt").read_text().startswith("expected ")
    exe = build_like_vitis(project, "-O1" if name.startswith(HEAVY) else "-O0")
    done = run_testbench(project, exe)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "testbench: PASSED" in done.stderr
    samples = int((project / "tb" / "samples.txt").read_text().split()[0])
    assert done.stdout.count("result ") == samples
