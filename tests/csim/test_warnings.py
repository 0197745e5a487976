"""The unit library compiles without warnings from the project's own headers (-Wall -Wextra)."""

from __future__ import annotations

import subprocess

import pytest

from atheena_ir.backends.hls import INCLUDE_DIR
from atheena_ir.csim.toolchain import BASE_FLAGS, WARNING_FLAGS, include_flags
from tests.csim.harness import HAVE_GXX, NO_GXX, TB_DIR


@pytest.mark.skipif(not HAVE_GXX, reason=NO_GXX)
@pytest.mark.parametrize("testbench", ["conv", "early_exit", "window"])
def test_no_warning_points_into_the_unit_library(testbench: str) -> None:
    command = [
        "g++",
        *BASE_FLAGS,
        *WARNING_FLAGS,
        "-fsyntax-only",
        *include_flags(),
        str(TB_DIR / f"{testbench}.cpp"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    ours = [
        line
        for line in done.stderr.splitlines()
        if line.startswith(str(INCLUDE_DIR)) and ": warning:" in line
    ]
    assert ours == []
