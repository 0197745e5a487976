"""The simulation hls::stream: bounded FIFO semantics, and the report of a deadlock."""

from __future__ import annotations

import pytest

from atheena_ir.csim import DEADLOCK_EXIT_CODE, compile_program, run_program
from atheena_ir.csim.toolchain import find_ap_types
from atheena_ir.errors import UserError
from tests.csim.harness import HAVE_GXX, NO_GXX, built, prebuild

BUILD = prebuild("deadlock")


def test_stream_calls_follow_a_bounded_fifo() -> None:
    out = run_program(built(BUILD), ["basics"]).stdout.splitlines()
    assert out == [
        "empty 1 full 0",
        "read_nb 0",
        "write_nb 1 1 0",
        "size 2 full 1",
        "read_nb 1 value 7",
        "size 3 full 1",
        "values 8 10 11 empty 1",
    ]


def test_deep_enough_fifo_completes() -> None:
    out = run_program(built(BUILD), ["8", "5"])
    assert out.stdout.strip() == "sum 11"


def test_a_deadlock_names_the_stuck_streams_and_the_cycle() -> None:
    out = run_program(built(BUILD), ["2", "5"], timeout=300, check=False)
    assert "no process can run at cycle 2 " in out.stderr
    assert out.returncode == DEADLOCK_EXIT_CODE
    assert out.deadlocked
    report = out.stderr
    assert "DEADLOCK" in report
    assert (
        "stream 'a_to_b' depth 2 holds 2/2 (full); writer waiting: producer(a_to_b, flag, n)"
        in (report)
    )
    assert "stream 'flag' depth 2 holds 0/2 (empty); reader waiting: consumer(a_to_b, flag, n)" in (
        report
    )
    with pytest.raises(UserError, match="deadlocked"):
        run_program(built(BUILD), ["2", "5"], timeout=300)


@pytest.mark.skipif(not HAVE_GXX, reason=NO_GXX)
def test_compile_errors_are_user_errors_with_the_first_error(tmp_path) -> None:
    with pytest.raises(UserError, match=r"(?s)g\+\+ failed to compile broken:\n.*error") as info:
        compile_program(
            "int main() { return undefined_name; }\n", name="broken", cache_dir=tmp_path
        )
    assert "undefined_name" in str(info.value)


def test_ap_types_come_from_the_hls4ml_wheel() -> None:
    folder = find_ap_types()
    assert (folder / "ap_fixed.h").is_file()
    assert folder.parts[-3:] == (
        "templates",
        "vivado",
        "ap_types",
    )
