"""The timed simulation runtime against cycle counts computed by hand (tests/csim/tb/timing.cpp).

Rules (backends/hls/include/sim/atheena_sim_runtime.h): an iteration of a pipelined loop takes its
II; leaving the loop costs depth - II; a read completes no earlier than the word's write cycle + 1;
the k-th write into a FIFO of depth D waits for the cycle after word k-D was read; a stream access
outside a pipelined loop takes one cycle.
"""

from __future__ import annotations

import json

import pytest

from atheena_ir.csim import DEADLOCK_EXIT_CODE, run_program
from atheena_ir.csim.runner import CYCLE_LIMIT_EXIT_CODE
from atheena_ir.csim.timing import TimingReport
from tests.csim.harness import built, prebuild

BUILD = prebuild("timing")


def timed(tmp_path, case: str, n: int = 10, schedule: str | None = None) -> tuple[str, dict]:
    path = tmp_path / f"{case}-{schedule}.json"
    env = {"ATHEENA_CSIM_TIMING": str(path)}
    if schedule:
        env["ATHEENA_CSIM_SCHEDULE"] = schedule
    import os

    out = run_program(built(BUILD), [case, str(n)], env={**os.environ, **env})
    return out.stdout, json.loads(path.read_text())


def by_name(report: dict) -> dict[str, dict]:
    return {p["name"].split("(")[0]: p for p in report["processes"]}


def test_a_slow_consumer_sets_the_pace_through_a_two_word_fifo(tmp_path) -> None:
    # Consumer II 3 reads word k at 3k + 1 (word 0 is readable at cycle 1); it ends at 3*9+1+3.
    # Producer II 1: word k >= 3 waits for the slot word k-2 freed at 3(k-2)+1, so it is written
    # at 3k-4 (stalled 2 cycles for k = 3..9: 14 cycles) and the producer ends at 23 + 1.
    out, report = timed(tmp_path, "rate")
    assert out.strip() == "sum 45"
    p = by_name(report)
    assert report["cycles"] == 31
    assert p["consumer"]["end"] == 31
    assert p["consumer"]["busy"] == 30
    assert p["consumer"]["stalls"] == {"s1": 1}
    assert p["producer"]["end"] == 24
    assert p["producer"]["busy"] == 10
    assert p["producer"]["stalls"] == {"s1": 14}
    assert {s["name"]: s["peak"] for s in report["streams"]}["s1"] == 2


def test_a_loop_entered_per_word_pays_its_drain_each_time(tmp_path) -> None:
    # nested: per word 1 cycle to read + 4 iterations + a drain of 5 - 1 = 9 cycles; flat: the
    # same 40 iterations in one loop, one drain of 4 at the end; both wait 1 cycle for word 0.
    _, nested = timed(tmp_path, "drain")
    _, flat = timed(tmp_path, "flat")
    assert by_name(nested)["nested"]["end"] == 1 + 10 * 9
    assert by_name(flat)["flat"]["end"] == 1 + 40 + 4


def test_polls_answer_by_the_simulated_clock_whatever_the_schedule(tmp_path) -> None:
    out, report = timed(tmp_path, "merge")
    # Producer a (II 1) and b (II 3) both write word 0 at cycle 0; the merge polls a at cycle 0
    # (nothing readable before cycle 1), b at cycle 1: b0 comes first.
    assert out.split()[:4] == ["b0", "a0", "a1", "b1"]
    assert sorted(out.split()) == sorted(
        [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(10)]
    )
    for schedule in ("lifo", "random:1", "random:2", "random:99"):
        again, again_report = timed(tmp_path, "merge", schedule=schedule)
        assert again == out
        assert again_report == report


def test_the_same_run_twice_gives_the_same_cycles(tmp_path) -> None:
    assert timed(tmp_path, "rate", 50)[1] == timed(tmp_path, "rate", 50)[1]


def test_a_process_that_polls_forever_is_stopped_in_simulated_time() -> None:
    out = run_program(built(BUILD), ["spin"], timeout=120, check=False)
    assert out.returncode == DEADLOCK_EXIT_CODE
    assert "no stream moved for ATHEENA_CSIM_STALL_CYCLES cycles at cycle 1000001" in out.stderr
    assert "spin(s3)" in out.stderr
    limited = run_program(built(BUILD), ["spin"], timeout=120, cycle_limit=500, check=False)
    assert limited.returncode == CYCLE_LIMIT_EXIT_CODE
    assert "cycle limit" in limited.stderr
    assert "at cycle 501" in limited.stderr


def test_the_report_reads_back(tmp_path) -> None:
    _, data = timed(tmp_path, "rate")
    report = TimingReport.from_json(data)
    assert report.cycles == 31
    assert report.to_json() == TimingReport.from_json(report.to_json()).to_json()
    consumer = next(p for p in report.processes if p.unit == "consumer")
    assert consumer.arguments == "s1, n, 3"


def test_bad_limits_are_refused() -> None:
    from atheena_ir.errors import UserError

    with pytest.raises(UserError, match="positive"):
        run_program(built(BUILD), ["spin"], cycle_limit=0)
