"""`-t report-json`: its schema, agreement with the text report, byte-for-byte determinism."""

from __future__ import annotations

import io
import json
import math

import pytest

import atheena_ir
from atheena_ir.backends.report import ReportTarget, format_report
from atheena_ir.backends.report_json import ReportJsonTarget
from atheena_ir.cost.design import RESOURCE_NAMES, SCHEMA, design_report
from atheena_ir.models import lenet_backbone
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes.fold import FoldPass
from tests.report.blenet import committed_blenet, prepared

FOLD_KEYS = ["coarse_in", "coarse_out", "coarse_group", "fine"]
LAYER_KEYS = ["name", "op", "kind", "folding", "interval", "depth", "resources", "utilisation"]
STAGE_KEYS = ["index", "reach", "interval", "depth", "bottleneck", "throughput", "latency_s",
              "limit", "resources", "utilisation", "layers", "edges", "units"]  # fmt: skip
NETWORK_KEYS = ["throughput", "latency_s", "limiting_stage", "resources", "utilisation",
                "over_budget"]  # fmt: skip


def emit(target: object, module: object) -> str:
    out = io.StringIO()
    target.emit(atheena_ir.context(), module, out)  # type: ignore[attr-defined]
    return out.getvalue()


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(emit(ReportJsonTarget(fidelity="atheena-v1"), prepared(committed_blenet())))


def _resources(value: object, kind: type) -> None:
    assert isinstance(value, dict)
    assert list(value) == list(RESOURCE_NAMES)
    assert all(isinstance(v, kind) and not isinstance(v, bool) for v in value.values())


def test_schema(data: dict) -> None:
    assert list(data) == ["schema", "function", "platform", "model", "stages", "network"]
    assert data["schema"] == SCHEMA
    assert data["function"] == "main"
    assert list(data["platform"]) == ["name", "part", "clock_mhz", "resources"]
    assert data["platform"]["name"] == "zc706"
    _resources(data["platform"]["resources"], int)
    assert data["model"] == {"fidelity": "atheena-v1", "clock_hz": 125e6, "batch": 1024}
    assert [s["index"] for s in data["stages"]] == [0, 1]
    for stage in data["stages"]:
        assert list(stage) == STAGE_KEYS
        assert isinstance(stage["depth"], int)
        assert isinstance(stage["interval"], float)
        _resources(stage["resources"], int)
        _resources(stage["utilisation"], float)
        names = [layer["name"] for layer in stage["layers"]]
        assert stage["bottleneck"] in names
        assert all(a in names and b in names for a, b in stage["edges"])
        for layer in stage["layers"]:
            assert list(layer) == LAYER_KEYS
            assert list(layer["folding"]) == FOLD_KEYS
            assert layer["op"].startswith("ee.")
            _resources(layer["resources"], int)
            _resources(layer["utilisation"], float)
            assert layer["interval"] <= stage["interval"]
    network = data["network"]
    assert list(network) == NETWORK_KEYS
    assert network["throughput"] == min(s["limit"] for s in data["stages"])
    assert network["over_budget"] == []
    totals = {r: sum(s["resources"][r] for s in data["stages"]) for r in RESOURCE_NAMES}
    assert network["resources"] == totals


def test_figures(data: dict) -> None:
    stage0, stage1 = data["stages"]
    assert stage0["throughput"] == pytest.approx(19523.864797846396, rel=1e-12)
    assert stage1["throughput"] == pytest.approx(8679.045245354575, rel=1e-12)
    assert stage1["limit"] == pytest.approx(4 * 8679.045245354575, rel=1e-12)
    assert data["network"]["limiting_stage"] == 0
    conv = next(layer for layer in stage0["layers"] if layer["name"] == "Conv_0")
    assert conv["folding"] == {"coarse_in": 1, "coarse_out": 1, "coarse_group": 1, "fine": 25}
    assert conv["interval"] == 5120.0


def test_deterministic() -> None:
    """Two imports and two emissions give the same bytes, for both targets."""
    for target in (ReportJsonTarget(), ReportTarget(), ReportTarget(fidelity="atheena-v1")):
        first = emit(target, prepared(committed_blenet()))
        second = emit(target, prepared(committed_blenet()))
        assert first == second


def test_text_and_json_agree() -> None:
    module = prepared(committed_blenet())
    report = design_report(module, fidelity="atheena-v1")
    data = json.loads(emit(ReportJsonTarget(fidelity="atheena-v1"), module))
    text = format_report(report)
    assert text == emit(ReportTarget(fidelity="atheena-v1"), module)
    assert f"throughput {data['network']['throughput']:.2f} samples/s" in text
    for stage in data["stages"]:
        assert f"bottleneck {stage['bottleneck']} " in text


def test_backbone_is_one_stage() -> None:
    module = import_onnx(lenet_backbone())
    FoldPass(coarse="max", fine="max").apply(atheena_ir.context(), module)
    data = json.loads(emit(ReportJsonTarget(), module))
    assert len(data["stages"]) == 1
    stage = data["stages"][0]
    assert stage["reach"] == 1.0
    assert stage["limit"] == stage["throughput"] == data["network"]["throughput"]
    kinds = {layer["kind"] for layer in stage["layers"]}
    assert "split" not in kinds
    assert "exit_decision" not in kinds


def test_over_budget_is_flagged(tmp_path) -> None:
    small = tmp_path / "small.toml"
    small.write_text(
        'name = "small"\nclock_mhz = 200.0\n[resources]\nlut = 10000\nff = 1000000\n'
        "dsp = 100\nbram18 = 1000\n"
    )
    module = prepared(committed_blenet())
    report = design_report(module, platform=small)
    assert report.over_budget == ["lut", "dsp"]
    assert report.clock_hz == 200e6  # the project model honours the platform clock
    text = format_report(report)
    assert "over the board: LUT, DSP" in text
    assert [line.split()[0] for line in text.splitlines() if line.endswith("OVER")] == [
        "LUT",
        "DSP",
    ]
    data = json.loads(emit(ReportJsonTarget(platform=str(small)), module))
    assert data["network"]["over_budget"] == ["lut", "dsp"]
    assert data["network"]["utilisation"]["lut"] > 1.0


def test_unreached_stage_has_no_limit() -> None:
    """A stage no sample reaches never limits the network; its limit is null in JSON."""
    from xdsl.parser import Parser

    text = str(prepared(committed_blenet())).replace("reach 0.25", "reach 0.0")
    module = Parser(atheena_ir.context(), text).parse_module()
    report = design_report(module)
    assert report.stages[1].limit == math.inf
    assert report.throughput == report.stages[0].throughput
    data = json.loads(emit(ReportJsonTarget(), module))
    assert data["stages"][1]["limit"] is None
    assert "never reached" in format_report(report)


def test_report_shows_the_searched_budget_beside_the_board() -> None:
    """After `dse{budget=0.5}` the report's resources give the board and the budget's limits
    (the 'budget' column used to show the whole board whatever --budget was)."""
    from xdsl.context import Context

    from atheena_ir.passes.dse import DsePass

    module = prepared(committed_blenet(), factors=None)
    DsePass(platform="zc706", budget="0.5").apply(Context(), module)
    out = io.StringIO()
    ReportTarget().emit(Context(), module, out)
    text = out.getvalue()
    resources = text.split("resources (all stages) on zc706\n")[1].splitlines()
    assert resources[0].split() == ["resource", "used", "on", "board", "util", "budget"]
    assert resources[1].split()[2] == "218600"
    assert resources[1].split()[4] == "109300"  # half the LUTs
    assert resources[4].split()[4] == "545"  # half the BRAM18
    assert resources[5:7] == ["  fits the board", "  within the budget 0.5"]
