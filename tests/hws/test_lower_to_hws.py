"""`lower-to-hws` on the example models: structural invariants of the designs it builds."""

from __future__ import annotations

import math

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.parser import Parser
from xdsl.transforms.canonicalize import CanonicalizePass
from xdsl.utils.exceptions import PassFailedException

import atheena_ir
from atheena_ir.cost import CostModel
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.from_ir import design_layers, set_folding
from atheena_ir.dialects import ee, hws
from atheena_ir.models import b_alexnet, b_lenet, lenet_backbone, triple_wins
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes.lower_to_hws import LowerToHwsPass, buffer_bounds
from atheena_ir.passes.split_exits import SplitExitsPass

MODELS = {
    "b_lenet": (b_lenet, (0.75,)),
    "triple_wins": (triple_wins, None),
    "b_alexnet": (b_alexnet, None),
    "lenet": (lenet_backbone, ()),
}


def _ctx() -> Context:
    ctx = atheena_ir.context()
    return ctx


def _ee(name: str) -> ModuleOp:
    build, probs = MODELS[name]
    module = import_onnx(build())
    ctx = _ctx()
    CanonicalizePass().apply(ctx, module)
    exits = sum(isinstance(op, ee.ExitOp) for op in module.walk())
    if exits:
        SplitExitsPass(probs or tuple([0.5 / exits] * exits)).apply(ctx, module)
    return module


def _fold_some(module: ModuleOp) -> None:
    """Set coarse factors > 1 wherever legal, so lanes differ between neighbours."""
    for op in module.walk():
        if isinstance(op, ee.Conv2dOp | ee.LinearOp):
            legal = op.legal_folding()
            ci = legal.coarse_in[min(1, len(legal.coarse_in) - 1)]
            co = legal.coarse_out[-1 if len(legal.coarse_out) < 4 else 1]
            set_folding(
                op, Folding(ci, co, 1, legal.fine[-1] if isinstance(op, ee.Conv2dOp) else 1)
            )
        elif isinstance(op, ee.ReluOp | ee.MaxPool2dOp):
            c = op.legal_folding().coarse_in[-1]
            set_folding(op, Folding.uniform(c))


def _streams(design: hws.DesignOp) -> list[SSAValue]:
    found: list[SSAValue] = list(design.body.block.args)
    for op in design.walk():
        if op is not design:
            found += list(op.results)
    return found


def _check(module: ModuleOp, source: ModuleOp) -> None:
    module.verify()
    designs = [op for op in module.walk() if isinstance(op, hws.DesignOp)]
    assert len(designs) == 1
    design = designs[0]
    assert not any(op.dialect_name() == "ee" for op in module.walk())
    # Every stream has one producer (SSA) and one consumer.
    for s in _streams(design):
        assert len(list(s.uses)) == 1, s
    # Connected streams agree on element type and lanes: operand types are the producers' types,
    # and every unit with a declared relation verified; lanes divide channels at every window.
    for op in design.walk():
        if isinstance(op, hws.UnitOp):
            assert len(op.depths()) == len(op.results)
            assert all(d >= 1 for d in op.depths())
            assert [name for name, _ in op.template_args()]
    # Conditional buffers hold at least the derived bound.
    stages = [s for s in source.walk() if isinstance(s, ee.StageOp)]
    expected = []
    for stage in stages:
        expected += [b.maps() for b in buffer_bounds(stage.body.block).values()]
    got = [op.maps.value.data for op in design.walk() if isinstance(op, hws.CondBufferOp)]
    assert len(got) == len(expected)
    assert all(g >= e for g, e in zip(got, expected, strict=True))
    # Exit decisions: one control stream per buffer, each as deep as that buffer's maps.
    for op in design.walk():
        if isinstance(op, hws.ExitDecisionOp):
            for ctrl, depth in zip(op.outputs, op.depths(), strict=True):
                buf = next(iter(ctrl.uses)).operation
                assert isinstance(buf, hws.CondBufferOp)
                assert depth >= buf.maps.value.data


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("folded", [False, True], ids=["fold1", "folded"])
def test_models_lower_to_valid_designs(name: str, folded: bool) -> None:
    source = _ee(name)
    if folded:
        _fold_some(source)
    module = source.clone()
    LowerToHwsPass().apply(_ctx(), module)
    _check(module, source)
    text = str(module)
    reparsed = Parser(_ctx(), text).parse_module()
    assert str(reparsed) == text
    if folded:
        assert any(isinstance(op, hws.SqueezeOp) for op in module.walk())


def test_blenet_buffer_bound_follows_the_cost_model() -> None:
    source = _ee("b_lenet")
    design = design_layers(source)
    model = CostModel()
    costs = {layer.name: model.layer(layer.spec, layer.fold) for layer in design.stages[0].layers}
    stage0 = next(s for s in source.walk() if isinstance(s, ee.StageOp))
    bounds = list(buffer_bounds(stage0.body.block).values())
    # The continue buffer: maps arrive every II(Conv_0) cycles; the exit branch runs
    # Conv_3 .. Greater_11.
    branch = ["Conv_3", "MaxPool_4", "Relu_5", "Gemm_7", "split1", "Greater_11"]
    cont = next(b for b in bounds if b.branch_depth > 1000)
    assert cont.arrival == costs["Conv_0"].interval
    assert cont.branch_depth == sum(costs[n].depth for n in branch)
    assert cont.branch_interval == max(costs[n].interval for n in branch)
    assert cont.maps() == math.ceil((cont.arrival + cont.branch_depth) / cont.arrival) + 1
    module = source.clone()
    LowerToHwsPass(buffer_slack=0).apply(_ctx(), module)
    maps = sorted(op.maps.value.data for op in module.walk() if isinstance(op, hws.CondBufferOp))
    assert maps == sorted(b.maps() for b in bounds)


def test_options_set_the_fixed_point_types() -> None:
    module = _ee("b_lenet")
    LowerToHwsPass(data_width=12, data_int=6, acc_width=40, acc_int=20).apply(_ctx(), module)
    text = str(module)
    assert "fixed<12, 6, rnd_conv, sat>" in text
    assert "fixed<40, 20>" in text


def test_bad_accumulator_is_refused() -> None:
    with pytest.raises(PassFailedException, match="fractional bits but a product"):
        LowerToHwsPass(acc_width=20, acc_int=16).types()
    module = _ee("b_lenet")
    with pytest.raises(PassFailedException, match="out of range"):
        LowerToHwsPass(data_width=80).apply(_ctx(), module)


def test_exits_must_be_split_first() -> None:
    module = import_onnx(b_lenet())
    with pytest.raises(PassFailedException, match="split-exits"):
        LowerToHwsPass().apply(_ctx(), module)


def _padded_maxpool_after(producer: str) -> ModuleOp:
    t = "tensor<1x2x4x4xf32>"
    text = f"""
func.func @main(%x: {t}) -> tensor<1x2x2x2xf32> {{
  %a = {producer} %x : {t}
  %p = ee.maxpool2d %a kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] : {t} -> tensor<1x2x2x2xf32>
  func.return %p : tensor<1x2x2x2xf32>
}}
"""
    return Parser(_ctx(), text).parse_module()


def test_padded_max_pool_needs_non_negative_input() -> None:
    """The pool unit pads with 0, ONNX with -inf: equal only on non-negative input."""
    LowerToHwsPass().apply(_ctx(), _padded_maxpool_after("ee.relu"))
    with pytest.raises(PassFailedException, match="padded max pool must follow a ReLU"):
        LowerToHwsPass().apply(_ctx(), _padded_maxpool_after("ee.hardswish"))
