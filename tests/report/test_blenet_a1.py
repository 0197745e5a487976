"""The report of B-LeNet folded as ATHEENA's design A1 gives the published figures (atheena-v1).

Against the literals of tests/cost/blenet_designs.py (runs everywhere, on the project's own
B-LeNet) and, when ATHEENA's model file is present, on that model too. The literals are checked
against ATHEENA's design and report files by tests/cost/check_published_tables.py.
"""

from __future__ import annotations

from pathlib import Path

import onnx
import pytest

from atheena_ir.cost.design import DesignReport, design_report
from atheena_ir.passes.fold import read_factors
from tests.cost.blenet_designs import DESIGNS
from tests.report.blenet import (
    A1_FACTORS,
    ATHEENA_TO_IR,
    SHARED_ONNX,
    committed_blenet,
    prepared,
)

A1 = DESIGNS["A1"]
STAGES = ("ee1", "eef")


@pytest.fixture(scope="module")
def report() -> DesignReport:
    return design_report(prepared(committed_blenet()), "zc706", 1024, "atheena-v1")


def _layers(report: DesignReport, stage: int) -> dict[str, object]:
    return {layer.name: layer for layer in report.stages[stage].layers}


def check_against_literals(report: DesignReport) -> None:
    """Stage throughput, latency, per-layer interval and resources as published for A1."""
    assert [s.reach for s in report.stages] == [1.0, 0.25]
    for index, name in enumerate(STAGES):
        stage, published = report.stages[index], A1[name]
        assert stage.throughput == pytest.approx(published["throughput"], rel=1e-12)
        assert stage.latency_s == pytest.approx(published["latency_s"], rel=1e-12)
        layers = _layers(report, index)
        assert set(layers) == set(ATHEENA_TO_IR[name].values())
        for atheena, ours in ATHEENA_TO_IR[name].items():
            interval, lut, ff, dsp, bram = published["published"][atheena]
            layer = layers[ours]
            assert layer.interval == interval, ours
            assert layer.resources.as_dict() == {"lut": lut, "ff": ff, "dsp": dsp, "bram": bram}
    for index, name in enumerate(STAGES):  # every stage total is the published one
        assert report.stages[index].resources.as_dict() == dict(
            zip(("lut", "ff", "dsp", "bram"), A1[name]["totals"], strict=True)
        )


def test_a1_stage_throughputs_match_the_published(report: DesignReport) -> None:
    assert report.stages[0].throughput == pytest.approx(19523.864797846396, rel=1e-12)
    assert report.stages[1].throughput == pytest.approx(8679.045245354575, rel=1e-12)
    assert report.throughput == pytest.approx(min(19523.864797846396, 8679.045245354575 / 0.25))
    assert report.limiting_stage == 0
    assert report.latency_s == pytest.approx(1024 / report.throughput)


def test_a1_bottlenecks(report: DesignReport) -> None:
    assert (report.stages[0].bottleneck, report.stages[0].interval) == ("Conv_3", 6400.0)
    assert (report.stages[1].bottleneck, report.stages[1].interval) == ("Conv_18", 14400.0)


def test_a1_layers_match_the_literals(report: DesignReport) -> None:
    check_against_literals(report)


def test_a1_fits_the_zc706(report: DesignReport) -> None:
    assert report.over_budget == []
    assert report.resources.dsp == 55 + 110
    assert report.utilisation["dsp"] == pytest.approx(165 / 900)


def test_factors_file_holds_the_a1_folding() -> None:
    """The committed factors are the literals' folding, layer for layer."""
    factors = read_factors(A1_FACTORS)
    for name in STAGES:
        for atheena, _kind, _shape, fold in A1[name]["layers"]:
            ours = ATHEENA_TO_IR[name].get(atheena)
            if ours is None or ours not in factors:
                continue
            entry = dict(factors[ours])
            if "coarse" in entry:
                entry["coarse_in"] = entry["coarse_out"] = entry.pop("coarse")
            for key, value in fold.items():
                assert entry.get(key, 1) == value, (ours, key)
    foldable = {"Conv", "MaxPool", "Relu", "Gemm", "split0", "split1"}  # A1's non-default ones
    expected = {
        ir for m in ATHEENA_TO_IR.values() for ir in m.values() if ir.split("_")[0] in foldable
    }
    assert set(factors) == expected


def test_shared_blenet_report_matches_the_literals(shared: Path) -> None:
    model = onnx.load(shared / SHARED_ONNX)
    check_against_literals(design_report(prepared(model), "zc706", 1024, "atheena-v1"))
