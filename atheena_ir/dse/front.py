"""Pareto fronts: the best design at each budget of a sweep, computed on every core.

Budgets are independent searches, so they run in a process pool; results come back in budget
order whatever order the workers finish in, and every search is deterministic (the exact one
has no randomness; annealing is seeded), so a front is the same on any machine and core count.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from atheena_ir.dse import exact
from atheena_ir.dse.anneal import anneal_throughput
from atheena_ir.dse.as_built import fit_as_built
from atheena_ir.dse.budget import RESOURCES, Budget
from atheena_ir.dse.design import Design
from atheena_ir.dse.problem import Problem


@dataclass(frozen=True)
class FrontPoint:
    """The best design found within one budget (None when nothing fits)."""

    budget: float
    design: Design | None


@dataclass(frozen=True)
class Front:
    """A sweep's points, in budget order, and how long the sweep took."""

    points: list[FrontPoint]
    wall_s: float
    algorithm: str

    def throughputs(self) -> list[float | None]:
        """The throughput at each budget (None when infeasible)."""
        return [p.design.throughput if p.design else None for p in self.points]

    def to_json(self, problem: Problem) -> dict[str, Any]:
        """JSON-ready points with their full designs."""
        return {
            "algorithm": self.algorithm,
            "wall_s": self.wall_s,
            "points": [
                {"budget": p.budget, "feasible": p.design is not None}
                | (p.design.to_json(problem) if p.design else {})
                for p in self.points
            ],
        }


def default_budgets(points: int = 20, low: float = 0.05, high: float = 1.0) -> list[float]:
    """``points`` budgets evenly spaced from ``low`` to ``high`` (rounded to 4 digits)."""
    return [round(float(b), 4) for b in np.linspace(low, high, points)]


_WORKER: dict[str, Any] = {}


def _init(problem: Problem, algorithm: str, seed: int, runs: int) -> None:
    _WORKER.update(problem=problem, algorithm=algorithm, seed=seed, runs=runs)


def _worker_init(problem: Problem, algorithm: str, seed: int, runs: int, parent: int) -> None:
    """A pool worker's set-up: its problem, and dying with the process that started it."""
    _init(problem, algorithm, seed, runs)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)


def die_with_parent(parent: int, poll_s: float = 0.5) -> None:
    """End this process when `parent` (the tool) ends, even by SIGKILL: the kernel's
    parent-death signal on Linux, and a daemon thread watching the parent id everywhere (a
    process whose parent died is re-parented)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    # The process that forked this one: the tool (fork), or a fork server that ends with it.
    watched = os.getppid()
    if watched == 1 and parent != 1:  # the tool died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == watched:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the running workers at once (on an error or a signal)."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.join(timeout=5)


def _point(budget: float, hint: tuple[int, ...] | None = None) -> Design | None:
    problem: Problem = _WORKER["problem"]
    caps = Budget.fraction(budget).caps(problem.platform)
    if _WORKER["algorithm"] == "anneal":
        seed, runs = _WORKER["seed"], _WORKER["runs"]
        return fit_as_built(problem, caps, lambda c, p: anneal_throughput(p, c, seed, runs))
    return fit_as_built(problem, caps, lambda c, p: exact.max_throughput(p, c, hint))


def sweep(
    problem: Problem,
    budgets: Sequence[float],
    algorithm: str = "exact",
    seed: int = 0,
    runs: int = 10,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Front:
    """The best design at every budget (fractions of every resource), in budget order.

    The exact sweep first solves the largest budget: every budget at least as large as that
    design's utilisation has the same answer. The rest run in rounds of ``jobs`` budgets in
    increasing order, each given the previous round's best design as a hint (it fits every
    larger budget and bounds the search); the answers do not depend on the hints.
    """
    for b in budgets:
        Budget.fraction(b)  # validates
    jobs = max(1, jobs or os.cpu_count() or 1)
    start = time.perf_counter()
    results: dict[float, Design | None] = {}
    order = sorted(set(budgets))
    done = 0

    def report(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(order))

    pool = (
        ProcessPoolExecutor(max_workers=min(jobs, len(order)), initializer=_worker_init,
                            initargs=(problem, algorithm, seed, runs, os.getpid()))
        if jobs > 1 and len(order) > 1 else None
    )  # fmt: skip
    _init(problem, algorithm, seed, runs)

    def run_round(items: list[float], hint: tuple[int, ...] | None) -> None:
        if pool is None:
            for b in items:
                results[b] = _point(b, hint)
        else:
            for b, d in zip(items, pool.map(_point, items, [hint] * len(items)), strict=True):
                results[b] = d
        report(len(items))

    try:
        rest = order
        if algorithm == "exact":
            top = order[-1]
            run_round([top], None)
            best = results[top]
            if best is not None:
                for b in order[:-1]:
                    if b >= best.rmax:
                        results[b] = best
                        report(1)
            rest = [b for b in order[:-1] if b not in results]
        hint = None
        step = jobs if pool is not None else len(rest) or 1
        for i in range(0, len(rest), step):
            chunk = rest[i : i + step]
            run_round(chunk, hint)
            found = [results[b] for b in chunk if results[b] is not None]
            if found and algorithm == "exact":
                hint = found[-1].choice  # type: ignore[union-attr]
    except BaseException:
        if pool is not None:
            _stop_workers(pool)
        raise
    if pool is not None:
        pool.shutdown()
    wall = time.perf_counter() - start
    points = [FrontPoint(b, results[b]) for b in budgets]
    return Front(points, wall, algorithm)


def stderr_progress(label: str) -> Callable[[int, int], None]:
    """A progress callback writing ``label: done/total`` on stderr."""

    def report(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r{label}: {done}/{total} budgets{end}")
        sys.stderr.flush()

    return report


def match_budget(front: Front, throughput: float) -> float | None:
    """The smallest largest-utilisation at which ``front`` reaches ``throughput`` (None if
    never)."""
    rs = [p.design.rmax for p in front.points if p.design and p.design.throughput >= throughput]
    return min(rs) if rs else None


__all__ = ["RESOURCES", "Front", "FrontPoint", "default_budgets", "match_budget", "sweep"]
