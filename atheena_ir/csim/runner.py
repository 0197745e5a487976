"""Run a compiled C-simulation program with a timeout and parse what it prints.

Result lines (printed by the testbenches, one per sample leaving the design's exit merge):
`result <id> <exit> <v0> <v1> ...` where the values are raw fixed-point integers (the ap_fixed
bits as a signed integer). `parse_results` turns them into `SampleResult`s; `parse_ints` reads
whitespace-separated integers for unit testbenches.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from atheena_ir.errors import UserError

DEADLOCK_EXIT_CODE = 86
"""The exit code of a program whose processes can no longer move (ATHEENA_DEADLOCK_EXIT_CODE)."""
CYCLE_LIMIT_EXIT_CODE = 87
"""The exit code of a program stopped at its cycle limit (ATHEENA_CYCLE_LIMIT_EXIT_CODE)."""
STALL_CYCLES_ENV = "ATHEENA_CSIM_STALL_CYCLES"
CYCLE_LIMIT_ENV = "ATHEENA_CSIM_CYCLE_LIMIT"


@dataclass(frozen=True)
class RunResult:
    """What a C-simulation program printed and how it ended."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def deadlocked(self) -> bool:
        """True when the simulation found that its processes can no longer move."""
        return self.returncode == DEADLOCK_EXIT_CODE

    @property
    def out_of_cycles(self) -> bool:
        """True when the simulation stopped at its cycle limit."""
        return self.returncode == CYCLE_LIMIT_EXIT_CODE


@dataclass(frozen=True)
class SampleResult:
    """One sample's output: its id, the exit it took and its raw fixed-point values."""

    sample_id: int
    exit: int
    values: np.ndarray


def run_program(
    executable: Path,
    args: Sequence[str] = (),
    *,
    stdin: str = "",
    timeout: float = 60.0,
    stall_cycles: int | None = None,
    cycle_limit: int | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> RunResult:
    """Run `executable` with `stdin`, stopping it after `timeout` seconds of wall time.

    A deadlock is found in simulated time (no process can move) and reported at once. Processes
    that only poll are stopped when no stream moved for `stall_cycles` simulated cycles (default
    1,000,000), and the run stops at `cycle_limit` cycles when given. With `check`, a deadlock, the
    cycle limit, a non-zero exit or a timeout raises UserError (with the simulation's report).
    """
    environment = dict(os.environ if env is None else env)
    for name, value in ((STALL_CYCLES_ENV, stall_cycles), (CYCLE_LIMIT_ENV, cycle_limit)):
        if value is not None:
            if int(value) < 1:
                raise UserError(f"{name.lower()} must be a positive number of cycles, got {value}")
            environment[name] = str(int(value))
    try:
        done = subprocess.run(
            [str(executable), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
        )
    except subprocess.TimeoutExpired as exc:
        raise UserError(
            f"C simulation {executable.name} did not finish in {timeout:.0f} s"
        ) from exc
    result = RunResult(done.returncode, done.stdout, done.stderr)
    if check and result.deadlocked:
        raise UserError(f"C simulation {executable.name} deadlocked:\n{result.stderr.strip()}")
    if check and result.out_of_cycles:
        raise UserError(
            f"C simulation {executable.name} did not finish within its cycle limit:\n"
            f"{result.stderr.strip()}"
        )
    if check and result.returncode != 0:
        raise UserError(
            f"C simulation {executable.name} failed with exit code {result.returncode}:\n"
            f"{result.stderr.strip()[-2000:]}"
        )
    return result


def parse_ints(text: str) -> np.ndarray:
    """Every whitespace-separated integer of `text`, as int64."""
    return np.array(text.split(), dtype=np.int64)


def parse_results(text: str) -> list[SampleResult]:
    """The `result <id> <exit> <values...>` lines of a program's output, in printed order."""
    results = []
    for line in text.splitlines():
        fields = line.split()
        if fields[:1] != ["result"]:
            continue
        if len(fields) < 3:
            raise UserError(f"malformed C-simulation result line: {line!r}")
        values = np.array(fields[3:], dtype=np.int64)
        results.append(SampleResult(int(fields[1]), int(fields[2]), values))
    return results


def format_ints(values: np.ndarray | Sequence[int]) -> str:
    """Integers as one whitespace-separated line (the stdin format of the testbenches)."""
    return " ".join(str(int(v)) for v in np.asarray(values).ravel()) + "\n"
