"""The timed C simulation of a printed design: deterministic, and each unit as fast as the cost
model says (issue: units that Vitis would schedule as the cost model says).

B-LeNet (the flow of test_exits.py, already compiled for the session) runs a few samples timed:
the report is the same twice and under other process orders (the runtime's answers never depend
on which process runs first), and every compute unit's busy cycles per sample are within 5 % of
the `project` cost model's interval for its layer.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

from atheena_ir import models
from atheena_ir.cost.design import design_report
from atheena_ir.csim import simulate
from tests.hls.flow import flow
from tests.hls.test_exits import SPEC

X = np.random.default_rng(21).uniform(0, 1, (6, 1, 28, 28))
POLLERS = {"split", "exit_decision", "cond_buffer", "exit_merge", "fork"}


def timed(schedule: str | None = None):
    f = flow("b_lenet", models.b_lenet, SPEC)
    old = os.environ.get("ATHEENA_CSIM_SCHEDULE")
    try:
        if schedule:
            os.environ["ATHEENA_CSIM_SCHEDULE"] = schedule
        return f, simulate(f.project, X, timed=True, timeout=600)
    finally:
        if old is None:
            os.environ.pop("ATHEENA_CSIM_SCHEDULE", None)
        else:
            os.environ["ATHEENA_CSIM_SCHEDULE"] = old


def test_the_timed_simulation_is_deterministic() -> None:
    _, first = timed()
    _, again = timed()
    assert first.timing is not None
    assert first.timing.to_json() == again.timing.to_json()
    for schedule in ("lifo", "random:3"):
        _, other = timed(schedule)
        assert other.timing.to_json() == first.timing.to_json()
        np.testing.assert_array_equal(other.order, first.order)
        np.testing.assert_array_equal(other.raw, first.raw)


def test_every_sample_has_an_entry_and_exit_cycle() -> None:
    _, result = timed()
    samples = result.timing.samples
    assert sorted(s.sample_id for s in samples) == list(range(len(X)))
    assert all(0 <= s.entry < s.exit <= result.timing.cycles for s in samples)


@pytest.mark.parametrize("min_depth", [None])
def test_each_unit_runs_at_the_cost_models_interval(min_depth) -> None:
    f, result = timed()
    report = design_report(f.ee_module, "zc706", 1024, "project", "main")
    intervals = {layer.name: layer.interval for stage in report.stages for layer in stage.layers}
    names = sorted(intervals, key=len, reverse=True)
    compared = 0
    for p in result.timing.processes:
        if p.unit in POLLERS or p.samples == 0:
            continue
        streams = [a.strip() for a in p.arguments.split(",")]
        layer = next(
            (n for s in reversed(streams) for n in names if re.match(rf"{re.escape(n)}_", s)),
            None,
        )
        if layer is None:
            continue
        measured = p.cycles_per_sample()
        model = intervals[layer]
        where = f"{p.unit}({p.arguments}) of {layer}"
        assert measured == pytest.approx(model, rel=0.05) or measured < model, (
            f"{where}: {measured:.1f} cycles per sample, model {model}"
        )
        compared += 1
    assert compared >= 10
