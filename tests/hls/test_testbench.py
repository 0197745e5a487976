"""
The generated testbench means something (issue 18, item 5): it drives a batch of real samples
through the AXI-stream ports, compares every result by sample id (results leave out of order)
with the fixed-point interpreter's, and fails with a message on any difference. The ports' beat
layout and TLAST are checked bit by bit, and the Makefile finds the ap_types headers when it
runs (issue 14, item 7).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from atheena_ir import models
from atheena_ir.csim import compile_program, find_ap_types, run_program, simulate
from atheena_ir.csim.simulate import build
from tests.hls import test_exits
from tests.hls.flow import flow, tb_inputs
from tests.hls.test_vitis_flags import skew_project


def b_lenet() -> Path:
    return flow("b_lenet", models.b_lenet, test_exits.SPEC).project


def run_tb(project: Path, expected: Path | str) -> subprocess.CompletedProcess[str]:
    exe = build(project)  # the project's own C simulation (C++17, bounded FIFOs), cached
    return subprocess.run(
        [str(exe), str(project / "tb" / "samples.txt"), str(expected)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def expected_rows(project: Path) -> tuple[str, list[list[int]]]:
    header, *rows = (project / "tb" / "expected.txt").read_text().splitlines()
    return header, [[int(v) for v in row.split()] for row in rows]


def write_rows(path: Path, header: str, rows: list[list[int]]) -> Path:
    path.write_text("\n".join([header, *(" ".join(map(str, r)) for r in rows)]) + "\n")
    return path


def test_the_batch_is_real_data_and_its_results_the_interpreters() -> None:
    """tb/ holds MNIST digits and what the C simulation gives for them: the expected file is
    what `simulate` (checked against the interpreter in the other tests) returns."""
    project = b_lenet()
    flow_ = flow("b_lenet", models.b_lenet, test_exits.SPEC)
    x = tb_inputs(flow_.canonical)
    got = simulate(project, x)
    header, rows = expected_rows(project)
    assert header == f"expected {len(x)} 10"
    assert [r[0] for r in rows] == list(range(len(x)))
    np.testing.assert_array_equal([r[1] for r in rows], got.exits)
    np.testing.assert_array_equal([r[2:] for r in rows], got.raw)
    want = flow_.reference(x)
    np.testing.assert_array_equal([r[1] for r in rows], want.exit_index)


def test_passes_on_its_own_batch() -> None:
    done = run_tb(b_lenet(), b_lenet() / "tb" / "expected.txt")
    assert done.returncode == 0, done.stderr
    assert "testbench: PASSED, 6 sample(s) match" in done.stderr


def test_fails_on_a_corrupted_value(tmp_path: Path) -> None:
    header, rows = expected_rows(b_lenet())
    rows[2][2 + 3] += 1
    done = run_tb(b_lenet(), write_rows(tmp_path / "e.txt", header, rows))
    assert done.returncode == 1
    assert f"sample 2 value 3 is {rows[2][5] - 1}, expected {rows[2][5]}" in done.stderr
    assert "testbench: FAILED, 1 problem(s)" in done.stderr


def test_fails_on_a_corrupted_exit(tmp_path: Path) -> None:
    header, rows = expected_rows(b_lenet())
    rows[4][1] = 1 - rows[4][1]
    done = run_tb(b_lenet(), write_rows(tmp_path / "e.txt", header, rows))
    assert done.returncode == 1
    assert f"sample 4 left at exit {1 - rows[4][1]}, expected exit {rows[4][1]}" in done.stderr


def test_refuses_an_expected_file_of_another_batch(tmp_path: Path) -> None:
    header, rows = expected_rows(b_lenet())
    n, values = header.split()[1:]
    done = run_tb(
        b_lenet(), write_rows(tmp_path / "e.txt", f"expected {int(n) - 1} {values}", rows[:-1])
    )
    assert done.returncode == 2
    assert "is not `expected 6 10`" in done.stderr
    done = run_tb(b_lenet(), tmp_path / "missing.txt")
    assert done.returncode == 2
    assert "cannot open" in done.stderr


def test_unchecked_says_so(tmp_path: Path) -> None:
    done = run_tb(b_lenet(), write_rows(tmp_path / "e.txt", "unchecked", []))
    assert done.returncode == 0
    assert "says `unchecked`: no expected results to compare" in done.stderr


BEAT_PROGRAM = r"""
#include <cstdio>
#include "axis/atheena_axis.h"
using namespace atheena;
typedef ap_fixed<16, 8, AP_RND_CONV, AP_SAT> T;
int main() {
  result_word<T, 2> r;
  r.id = 7; r.exit = 3; r.data[0] = 1.5; r.data[1] = -2;
  axis_traits<result_word<T, 2> >::beat b = to_beat(r);
  result_word<T, 2> back = from_beat<result_word<T, 2> >(b);
  std::printf("%d %s %d %d %d %d %d\n", (int)axis_traits<result_word<T, 2> >::WIDTH,
              b.data.to_string(16, false).c_str(), (int)b.last, (int)b.keep, (int)back.id,
              (int)back.exit, (int)(back.data[1] * 4));
  word<T, 3> w = end_word<word<T, 3> >();
  axis_traits<word<T, 3> >::beat e = to_beat(w);
  std::printf("%d %d\n", (int)axis_traits<word<T, 3> >::WIDTH, (int)e.last);
  return 0;
}
"""


def test_beat_layout_and_tlast(tmp_path: Path) -> None:
    """A result word is one beat: lanes from bit 0, then the id, then the exit; TLAST only on
    the end-of-batch word; TKEEP all ones; and the beat unpacks to the same word."""
    project = b_lenet()
    exe = compile_program(
        BEAT_PROGRAM, name="beat_layout",
        include_dirs=[project / "include", project / "include" / "vitis"],
    )  # fmt: skip
    first, second = run_program(exe).stdout.splitlines()
    width, bits, last, keep, bid, bexit, lane1 = first.split()
    assert int(width) == 56  # 2 x 16 data + 16 id + 8 exit
    value = int(bits, 16)
    assert value & 0xFFFF == 384  # 1.5 * 2^8
    assert (value >> 16) & 0xFFFF == (-512) & 0xFFFF
    assert (value >> 32) & 0xFFFF == 7
    assert (value >> 48) & 0xFF == 3
    assert (last, keep, bid, bexit, lane1) == ("0", "127", "7", "3", "-8")
    assert second.split() == ["64", "1"]  # 3 x 16 + 16 bits; TLAST on the end word


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_makefile_finds_ap_types_when_it_runs(tmp_path: Path) -> None:
    project = tmp_path / "prj"
    shutil.copytree(skew_project(), project)
    makefile = (project / "Makefile").read_text()
    assert str(find_ap_types()) not in makefile  # nothing of this machine baked in
    env = {k: v for k, v in os.environ.items() if k != "XILINX_HLS"}
    done = subprocess.run(
        ["make", "run", f"PYTHON={sys.executable}"],
        cwd=project, capture_output=True, text=True, timeout=1800, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"-isystem {find_ap_types()}" in done.stdout
    assert "testbench: PASSED, 3 sample(s)" in done.stderr
    missing = subprocess.run(
        ["make", "run", "PYTHON=false"],
        cwd=project, capture_output=True, text=True, timeout=600, env=env, check=False,
    )  # fmt: skip
    assert missing.returncode != 0
    assert "ap_fixed.h/ap_int.h headers were not found" in missing.stdout
    assert "pip install 'atheena-ir[csim]'" in missing.stdout
