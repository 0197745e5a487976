"""
Tests never read a clock: a machine shared by several jobs makes any wall-time bound flaky.

Speed is measured by the scripts in `benchmarks/` (docs/benchmarks.md). Timeouts passed to a
subprocess stay allowed: they only stop a hang and are far above the expected time.
Benchmark scripts kept beside the tests (`bench_*.py`, not collected by pytest) may time themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCKS = {"time", "monotonic", "perf_counter", "process_time", "monotonic_ns", "perf_counter_ns"}


def clock_reads(source: str) -> list[int]:
    """Line numbers where `source` reads a clock (`time.monotonic()`, `perf_counter()`, ...)."""
    tree = ast.parse(source)
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "time"
        for alias in node.names
        if alias.name in CLOCKS
    }
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in CLOCKS
            and isinstance(func.value, ast.Name)
            and func.value.id == "time"
        ) or (isinstance(func, ast.Name) and func.id in imported):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_wall_time_assert() -> None:
    source = "import time\nstart = time.monotonic()\nrun()\nassert time.monotonic() - start < 30\n"
    assert clock_reads(source) == [2, 4]
    assert clock_reads("from time import perf_counter as now\nt = now()\n") == [2]
    assert clock_reads("run(timeout=600)\n") == []


def test_no_test_reads_a_clock() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        if not path.name.startswith("bench_")
        for line in clock_reads(path.read_text())
    ]
    assert offenders == [], "move speed checks to benchmarks/ (docs/benchmarks.md)"
