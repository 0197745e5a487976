"""
What is costed is what is built: on every example model, at the DSE's designs across the budget
range, the report's units are exactly the units `lower-to-hws` builds (kind, lanes, maps of each
conditional buffer, words of each FIFO), their memory is what the lowered op's own parameters
need, and the design costed as built never exceeds the budget the DSE was given.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.transforms.canonicalize import CanonicalizePass

import atheena_ir
from atheena_ir.cost import CostModel, Folding, LayerSpec, load_platform
from atheena_ir.cost.design import design_report
from atheena_ir.cost.from_ir import design_layers
from atheena_ir.cost.layer_kind import LayerKind
from atheena_ir.dialects import ee, hws
from atheena_ir.dse import build_problem, exact
from atheena_ir.dse.apply import apply_design
from atheena_ir.dse.as_built import built_design
from atheena_ir.dse.budget import Budget
from atheena_ir.dse.design import within
from atheena_ir.dse.search import explore
from atheena_ir.models import (
    b_alexnet,
    b_lenet,
    triple_wins,
)
from atheena_ir.onnx_frontend import import_onnx, import_onnx_file
from atheena_ir.passes.lower_to_hws import LowerToHwsPass
from atheena_ir.passes.split_exits import SplitExitsPass
from tests.conftest import REPO
from tests.residual_networks import b_resnet

ZC706 = load_platform("zc706")
PROJECT = CostModel()


def _two_exit_net() -> ModuleOp:
    text = (REPO / "examples" / "two_exit_net.mlir").read_text(encoding="utf-8")
    return Parser(atheena_ir.context(), text).parse_module()


MODELS = {
    "b_lenet": lambda: import_onnx(b_lenet()),
    "blenet_mnist": lambda: import_onnx_file(Path(REPO / "examples" / "blenet_mnist.onnx")),
    "two_exit_net": _two_exit_net,
    "triple_wins": lambda: import_onnx(triple_wins()),
    "b_alexnet": lambda: import_onnx(b_alexnet()),
    "b_resnet": lambda: import_onnx(b_resnet().build(seed=3)),
}


def _staged(name: str) -> ModuleOp:
    module = MODELS[name]()
    CanonicalizePass().apply(atheena_ir.context(), module)
    exits = sum(isinstance(op, ee.ExitOp) for op in module.walk())
    SplitExitsPass(tuple([0.5 / exits] * exits)).apply(atheena_ir.context(), module)
    return module


def _budgets(problem) -> list[float]:
    """Three budgets from the smallest feasible one (as built) to the whole board."""
    smallest = exact.smallest_design(problem, Budget.fraction(1.0).caps(ZC706))
    assert smallest is not None
    low = max(built_design(problem, smallest).utilisation) * 1.0001
    return [float(b) for b in np.linspace(min(low, 0.99), 1.0, 3)]


def _lowered(module: ModuleOp) -> list[hws.UnitOp]:
    ctx = atheena_ir.context()
    lowered = module.clone()
    LowerToHwsPass().apply(ctx, lowered)
    return [op for op in lowered.walk() if isinstance(op, hws.UnitOp)]


def _signature(op: hws.UnitOp) -> tuple[str, int, int, int]:
    """kind, lanes in and out, depth (maps of a buffer, words of a FIFO) of a lowered unit."""
    lanes_in = op.operands[0].type.lanes_or_none() or 0 if op.operands else 0
    lanes_out = op.results[0].type.lanes_or_none() or 0
    depth = 0
    if isinstance(op, hws.CondBufferOp):
        depth = op.maps.value.data
    elif isinstance(op, hws.FifoOp):
        depth = op.depths()[0]
    return (op.name.removeprefix("hws."), lanes_in, lanes_out, depth)


def _bram18(depth: int, width: int) -> int:
    """Block RAM of an array as docs/cost_model.md states it: none up to 1 024 bits (registers
    or distributed RAM), else the cheapest BRAM18 aspect ratio."""
    if depth <= 1 or depth * width <= 1024:
        return 0
    ratios = ((1, 16000), (2, 8000), (4, 4000), (9, 2000), (18, 1000), (36, 512))
    return min(math.ceil(width / b) * math.ceil(depth / w) for b, w in ratios)


@pytest.mark.parametrize("name", list(MODELS))
def test_dse_designs_fit_their_budget_as_built_and_the_report_lists_the_built_units(name):
    base = _staged(name)
    problem = build_problem(base, ZC706)
    for budget in _budgets(problem):
        module = base.clone()
        layers = design_layers(module)
        design = explore(problem, Budget.fraction(budget))
        apply_design(module, layers, problem, design, {})
        report = design_report(module)
        caps = Budget.fraction(budget).caps(ZC706)
        used = report.resources
        assert np.all(np.array([used.lut, used.ff, used.dsp, used.bram]) <= caps), (name, budget)
        assert design.resources == (used.lut, used.ff, used.dsp, used.bram)

        units = [u for s in report.stages for u in s.units]
        lowered = _lowered(module)
        assert Counter((u.role, u.lanes_in, u.lanes_out, u.depth) for u in units) == Counter(
            _signature(op) for op in lowered
        ), (name, budget)
        # the units add up to the layers and the layers to the design
        for stage in report.stages:
            for layer in stage.layers:
                mine = [u.resources for u in stage.units if u.layer == layer.name]
                total = [sum(getattr(r, k) for r in mine) for k in ("lut", "ff", "dsp", "bram")]
                assert total == list(layer.resources.as_dict().values()), (name, layer.name)
        # memory as the lowered ops' own parameters need it (16-bit data, 16-bit sample ids)
        mem = Counter()
        for op in lowered:
            lanes = op.operands[0].type.lanes_or_none() or 1
            if isinstance(op, hws.CondBufferOp):
                words = op.maps.value.data * op.map_words.value.data
                mem["cond_buffer", lanes, op.maps.value.data] += _bram18(words, 16) * lanes
            elif isinstance(op, hws.FifoOp):
                mem["fifo", lanes, op.depths()[0]] += _bram18(op.depths()[0], 16 + 16 * lanes)
        mine = Counter()
        for u in units:
            if u.role in ("cond_buffer", "fifo"):
                mine[u.role, u.lanes_in, u.depth] += u.resources.bram
        assert mine == mem, name


def test_the_search_repairs_a_design_that_does_not_fit_as_built():
    """At 55 % of a ZC706 the program's optimum for B-LeNet fits what it charges but not its
    buffers and squeezes as built; the search returns a design that fits as built."""
    module = _staged("b_lenet")
    problem = build_problem(module, ZC706)
    caps = Budget.fraction(0.55).caps(ZC706)
    charged = exact.max_throughput(problem, caps)
    assert charged is not None
    assert within(problem, charged, caps)
    assert not within(problem, built_design(problem, charged), caps)
    repaired = explore(problem, Budget.fraction(0.55))
    assert within(problem, repaired, caps)
    assert repaired.throughput <= charged.throughput


def test_reference_fidelity_charges_layers_only():
    """atheena-v1 is ATHEENA's model: no built structure, no units, no repair."""
    module = _staged("b_lenet")
    problem = build_problem(module, ZC706, model=CostModel("atheena-v1"))
    assert problem.built is None
    assert all(not s.units for s in design_report(module, fidelity="atheena-v1").stages)


# --- the units' costs by hand (docs/cost_model.md, "What is built") --------------------------


def _unit(kind_spec: LayerSpec, fold: Folding, role: str):
    return next(res for r, _, res in PROJECT.units(kind_spec, fold) if r == role)


def test_squeeze_buffers_lcm_values_in_registers():
    """4 -> 6 lanes: lcm 12 values of 16 bits (192 FFs), the 16-bit id and two 4-bit counters
    (ceil(log2(13))); one LUT per buffered bit."""
    spec = LayerSpec.elementwise(LayerKind.SQUEEZE, 4, 4, 12)
    res = PROJECT.layer(spec, Folding(coarse_in=4, coarse_out=6), check=False).resources
    assert (res.lut, res.ff, res.dsp, res.bram) == (192, 192 + 16 + 8, 0, 0)


def test_line_buffers_are_sized_by_their_words():
    """A 3x3 window over 224x224x64 with one lane: 2 lines of 226 x 64 = 14 464 words of 16
    bits (18 x 1000: 15 BRAM18 each); the 3 x 3 shift registers hold 64 words each (1 024
    bits: distributed RAM, no BRAM)."""
    conv = LayerSpec.conv(224, 224, 64, 64, (3, 3), pads=(1, 1, 1, 1))
    assert _unit(conv, Folding(), "sliding_window").bram == 30
    # B-LeNet's first conv: 4 lines of 36 words (576 bits each) and a 5x5 register: no BRAM
    first = LayerSpec.conv(28, 28, 1, 5, (5, 5), pads=(4, 4, 4, 4))
    assert _unit(first, Folding(), "sliding_window").bram == 0


def test_cond_buffer_holds_its_maps_and_their_ids():
    """B-LeNet's continue buffer: 4 maps of 5 x 16 x 16 words, one lane: 5 120 x 16 bits,
    9 x 2000 gives 2 x 3 = 6 BRAM18; 4 ids of 16 bits in distributed RAM."""
    buf = LayerSpec.elementwise(LayerKind.COND_BUFFER, 16, 16, 5, maps=4)
    res = PROJECT.layer(buf, Folding(), check=False).resources
    assert res.bram == 6
    five_lanes = PROJECT.layer(buf, Folding.uniform(5), check=False).resources
    assert five_lanes.bram == 5 * _bram18(4 * 256, 16) == 10


def test_fifo_unit_costs_its_output_stream():
    """A join FIFO of 140 words of 4 lanes: 140 x (16 + 64) bits, 36 x 512: 3 BRAM18."""
    fifo = LayerSpec(LayerKind.FIFO, 6, 6, 16, maps=140)
    res = PROJECT.layer(fifo, Folding.uniform(4), check=False).resources
    assert res.bram == 3 == _bram18(140, 80)


def test_per_stage_caps_hold_as_built():
    """A cap on one stage's LUTs holds for the stage as built (its squeezes included), at every
    cap from tight to loose."""
    from atheena_ir.dse import parse_constraints

    module = _staged("b_lenet")
    for limit in (16000, 30000, 60000):  # the smallest stage 0 takes 15 277 LUTs as built
        rules = parse_constraints(f"stage(0).LUT <= {limit}")
        problem = build_problem(module, ZC706, constraints=rules)
        design = explore(problem, Budget.fraction(1.0))
        assert design.stage_resources[0][0] <= limit
        module_copy = module.clone()
        apply_design(module_copy, design_layers(module_copy), problem, design, {})
        assert design_report(module_copy).stages[0].resources.lut <= limit


def test_a_stage_cap_nothing_meets_as_built_is_named():
    """The smallest stage 0 of B-LeNet is charged 14 497 LUTs but takes 15 277 as built: a cap of
    15 000 is refused with a message naming it."""
    from atheena_ir.dse import parse_constraints
    from atheena_ir.errors import UserError

    rules = parse_constraints("stage(0).LUT <= 15000")
    problem = build_problem(_staged("b_lenet"), ZC706, constraints=rules)
    with pytest.raises(UserError, match=r"per-stage caps \(stage\(0\)\.LUT <= 15000\) as built"):
        explore(problem, Budget.fraction(1.0))
