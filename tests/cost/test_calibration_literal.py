"""Calibration against ATHEENA's published B-LeNet designs A1-A3 (literal figures; runs anywhere).

With the atheena-v1 fidelity and the published folding factors, every per-layer interval equals
the published one, stage throughputs agree within 0.5 % and per-layer LUT/FF/DSP/BRAM within 2 %
(in fact all of them match exactly, which ``test_reference_reproduces_reports_exactly`` pins).
"""

from __future__ import annotations

import pytest

from atheena_ir.cost import CostModel
from tests.cost.blenet_designs import DESIGNS
from tests.cost.calibration import evaluate_stage, measured, stage_throughput

STAGES = [(d, s) for d, stages in DESIGNS.items() for s in stages]
REFERENCE = CostModel("atheena-v1")


def _within(measured_value: float, published: float, rel: float) -> bool:
    return abs(measured_value - published) <= rel * max(abs(published), 1.0)


@pytest.mark.parametrize(("design", "stage"), STAGES)
def test_intervals_match_exactly(design: str, stage: str) -> None:
    data = DESIGNS[design][stage]
    got = measured(REFERENCE, data)
    for name, published in data["published"].items():
        assert got[name][0] == published[0], f"{design}/{stage}/{name}"


@pytest.mark.parametrize(("design", "stage"), STAGES)
def test_stage_throughput_within_half_percent(design: str, stage: str) -> None:
    data = DESIGNS[design][stage]
    assert _within(stage_throughput(REFERENCE, data), data["throughput"], 0.005)


@pytest.mark.parametrize(("design", "stage"), STAGES)
def test_layer_resources_within_two_percent(design: str, stage: str) -> None:
    data = DESIGNS[design][stage]
    got = measured(REFERENCE, data)
    for name, published in data["published"].items():
        for index, resource in enumerate(("LUT", "FF", "DSP", "BRAM"), start=1):
            assert _within(got[name][index], published[index], 0.02), (
                f"{design}/{stage}/{name} {resource}: {got[name][index]} vs {published[index]}"
            )


@pytest.mark.parametrize(("design", "stage"), STAGES)
def test_reference_reproduces_reports_exactly(design: str, stage: str) -> None:
    data = DESIGNS[design][stage]
    got = measured(REFERENCE, data)
    assert {n: tuple(v) for n, v in got.items()} == {
        n: tuple(v) for n, v in data["published"].items()
    }
    cost = evaluate_stage(REFERENCE, data)
    assert (cost.resources.lut, cost.resources.ff, cost.resources.dsp, cost.resources.bram) == (
        data["totals"]
    )
    assert cost.latency_s(data["batch"], 125e6) == pytest.approx(data["latency_s"], rel=1e-12)


def test_network_throughput_of_published_designs() -> None:
    """ATHEENA's combination min(T1, T2/q) with q = 0.25 (75 % exit early): limited by stage 1."""
    from atheena_ir.cost import network_throughput

    expected = {"A1": 19523.864797846396, "A2": 48809.87789903982, "A3": 96364.13597883}
    for design, value in expected.items():
        t1 = stage_throughput(REFERENCE, DESIGNS[design]["ee1"])
        t2 = stage_throughput(REFERENCE, DESIGNS[design]["eef"])
        assert network_throughput([t1, t2], [1.0, 0.25]) == pytest.approx(value, rel=1e-9)
