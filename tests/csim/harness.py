"""Shared C-simulation test support: testbenches compiled once per session, in parallel, cached.

Every test module calls `prebuild(name)` at import, so all testbenches (tests/csim/tb/<name>.cpp)
compile on two workers while pytest collects; `built(future)` waits for one (or skips the test with
the reason when g++ is missing). Programs are cached by source hash (atheena_ir.csim.toolchain).
"""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from atheena_ir.csim import compile_program, parse_ints, run_program
from atheena_ir.csim.runner import RunResult, format_ints

TB_DIR = Path(__file__).resolve().parent / "tb"
HAVE_GXX = shutil.which("g++") is not None
NO_GXX = "g++ is not installed: the C-simulation tests need a C++17 compiler"
_POOL = ThreadPoolExecutor(max_workers=2)
_BUILDS: dict[str, Future[Path]] = {}


def prebuild(name: str, **defines: str) -> Future[Path] | None:
    """
    Start compiling tests/csim/tb/<name>.cpp (once per session and set of `defines`, each
    written as a `#define` before the source); None without g++.
    """
    if not HAVE_GXX:
        return None
    key = "_".join([name, *(f"{k}_{v}" for k, v in sorted(defines.items()))])
    if key not in _BUILDS:
        header = "".join(f"#define {k} {v}\n" for k, v in sorted(defines.items()))
        source = header + (TB_DIR / f"{name}.cpp").read_text()
        _BUILDS[key] = _POOL.submit(compile_program, source, name=key)
    return _BUILDS[key]


def built(future: Future[Path] | None) -> Path:
    """The compiled testbench (skip when g++ is absent)."""
    if future is None:
        pytest.skip(NO_GXX)
    return future.result()


def run(binary: Path, *args: object, values: list[np.ndarray] | None = None) -> RunResult:
    """Run a testbench with integer inputs on stdin; fail on warnings printed to stderr."""
    stdin = "".join(format_ints(v) for v in values or [])
    result = run_program(binary, [str(a) for a in args], stdin=stdin, timeout=60)
    assert "WARNING" not in result.stderr, result.stderr
    assert "cond_buffer" not in result.stderr, result.stderr
    return result


def words(text: str, tag: str = "w") -> list[tuple[int, np.ndarray]]:
    """The `<tag> <id> <raw>...` lines of a testbench's output, as (id, values)."""
    out = []
    for line in text.splitlines():
        fields = line.split()
        if fields[:1] == [tag]:
            out.append((int(fields[1]), parse_ints(" ".join(fields[2:]))))
    return out


def stream_values(text: str, tag: str = "w") -> tuple[np.ndarray, np.ndarray]:
    """All words of one stream: (ids per word, values as a (words, lanes) array)."""
    got = words(text, tag)
    ids = np.array([i for i, _ in got], dtype=np.int64)
    return ids, np.array([v for _, v in got], dtype=np.int64)
