"""Calibration read straight from ../shared/reference/atheena_designs (skipped when absent).

Builds every layer from ATHEENA's own stage JSON files and compares with its report files; it also
checks that the literal figures in blenet_designs.py were transcribed faithfully.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atheena_ir.cost import CostModel
from tests.cost.blenet_designs import DESIGNS
from tests.cost.calibration import measured, stage_throughput

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DESIGN_DIR = SHARED / "reference" / "atheena_designs"
REFERENCE = CostModel("atheena-v1")


def _report_key(name: str) -> str:
    for prefix in ("CONVOLUTION", "POOLING", "RELU", "INNERPRODUCT", "GREATER"):
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            return name[len(prefix) :]
    return name


def _stage_files() -> list[tuple[str, str, Path]]:
    if not DESIGN_DIR.is_dir():
        return []
    out = []
    for design in ("A1", "A2", "A3"):
        for path in sorted((DESIGN_DIR / design).glob("NEW*.json")):
            out.append((design, "ee1" if "-ee1-" in path.name else "eef", path))
    return out


needs_shared = pytest.mark.skipif(not DESIGN_DIR.is_dir(), reason="../shared is not present")


@needs_shared
def test_all_six_stages_present() -> None:
    assert len(_stage_files()) == 6


@needs_shared
@pytest.mark.parametrize(("design", "stage", "path"), _stage_files() or [("-", "-", Path())])
def test_shared_reports_match(design: str, stage: str, path: Path) -> None:
    report = json.loads(path.with_name("report_" + path.name).read_text())["partitions"]["0"]
    layers = json.loads(path.read_text())["partition"][0]["layers"]
    data = DESIGNS[design][stage]
    assert data["source"] == path.name
    assert [name for name, *_ in data["layers"]] == [layer["name"] for layer in layers]
    got = measured(REFERENCE, data)
    for layer in layers:
        pub = report["layers"][_report_key(layer["name"])]
        res = pub["resource_usage"]
        published = (pub["interval"], res["LUT"], res["FF"], res["DSP"], res["BRAM"])
        assert tuple(data["published"][layer["name"]]) == published
        assert got[layer["name"]][0] == published[0]
        for index in range(1, 5):
            assert abs(got[layer["name"]][index] - published[index]) <= 0.02 * max(
                published[index], 1
            )
        params = layer["parameters"]
        folding = dict(data["layers"][[n for n, *_ in data["layers"]].index(layer["name"])][3])
        assert folding["coarse_in"] == params["coarse_in"]
        assert folding["coarse_out"] == params["coarse_out"]
        assert folding.get("fine", 1) == params.get("fine", 1)
    throughput = stage_throughput(REFERENCE, data)
    assert throughput == pytest.approx(report["throughput"], rel=0.005)
