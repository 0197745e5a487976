"""
`check-hws` / `hws_problems()`: the rules of `lower-to-hws`, run without lowering. The property
ties them to the lowering: on random networks the check passes exactly when the lowering does,
and the lowering's message is one the check reports.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from xdsl.dialects.builtin import ModuleOp
from xdsl.transforms.canonicalize import CanonicalizePass
from xdsl.utils.exceptions import PassFailedException

import atheena_ir
from atheena_ir.dialects import ee
from atheena_ir.passes.hws_legality import RULES, hws_problems, rules_of
from atheena_ir.passes.lower_to_hws import LowerToHwsPass
from atheena_ir.passes.split_exits import SplitExitsPass
from tests.ee_networks import early_exit_networks

MAP = "tensor<1x2x6x6xf32>"


def _module(body: str, arg: str = MAP, result: str = MAP) -> ModuleOp:
    return atheena_ir.parse(
        f"func.func @main(%x: {arg}) -> {result} {{\n{body}\n  func.return %y : {result}\n}}"
    )


def _lowering_error(module: ModuleOp) -> str | None:
    try:
        LowerToHwsPass().apply(atheena_ir.context(), module.clone())
    except PassFailedException as e:
        return str(e)
    return None


@settings(max_examples=20)
@given(early_exit_networks(max_exits=2))
def test_the_check_passes_exactly_when_the_lowering_does(module: ModuleOp) -> None:
    split = _split(module, sum(isinstance(op, ee.ExitOp) for op in module.walk()))
    problems = hws_problems(split)
    error = _lowering_error(split)
    if error is None:
        assert problems == []
    else:
        assert error in problems


def _split(module: ModuleOp, exits: int) -> ModuleOp:
    out = module.clone()
    CanonicalizePass().apply(atheena_ir.context(), out)
    SplitExitsPass(exit_probs=(0.1,) * exits).apply(atheena_ir.context(), out)
    return out


RELU_THEN_POOL = f"""
  %r = ee.relu %x : {MAP}
  %y = ee.maxpool2d %r kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] : {MAP} -> {MAP}"""

POOL_THEN_RELU = f"""
  %p = ee.maxpool2d %x kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] : {MAP} -> {MAP}
  %y = ee.relu %p : {MAP}"""


def test_a_padded_max_pool_lowers_after_a_relu_only() -> None:
    """The researcher's case: moving a ReLU past a padded max pool is exact in float, but the
    pool unit pads with 0, so only maxpool(relu(x)) lowers."""
    assert hws_problems(_module(RELU_THEN_POOL)) == []
    assert _lowering_error(_module(RELU_THEN_POOL)) is None
    problems = hws_problems(_module(POOL_THEN_RELU))
    assert problems == [
        "@main: 'ee.maxpool2d': the pool unit pads with zeros, which equals ONNX's -inf padding "
        "only on non-negative input; a padded max pool must follow a ReLU (or drop its padding)"
    ]
    assert _lowering_error(_module(POOL_THEN_RELU)) == problems[0]


def test_every_broken_rule_is_listed_not_only_the_first() -> None:
    body = f"""
  %w = ee.constant dense<0.5> : tensor<2x1x3x3xf32>
  %c = ee.conv2d %x, %w strides [1, 1] pads [2, 2, 2, 2] dilations [2, 2] groups 2
      : ({MAP}, tensor<2x1x3x3xf32>) -> {MAP}
  %s = ee.softmax %c axis 1 : {MAP}
  %y = ee.maxpool2d %s kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1] : {MAP} -> {MAP}"""
    problems = hws_problems(_module(body))
    assert [p.split(": ")[1] for p in problems] == [
        "'ee.conv2d'",
        "'ee.conv2d'",
        "'ee.softmax'",
        "'ee.maxpool2d'",
    ]
    assert "grouped convolutions" in problems[0]
    assert "dilated convolutions" in problems[1]
    assert _lowering_error(_module(body)) == problems[0]


def test_the_pass_reports_and_leaves_the_module_alone() -> None:
    module = _module(POOL_THEN_RELU)
    before = str(module)
    with pytest.raises(PassFailedException, match=r"1 reason\(s\) lower-to-hws would refuse"):
        atheena_ir.run_passes(module, "check-hws")
    assert str(module) == before
    atheena_ir.run_passes(_module(RELU_THEN_POOL), "check-hws")


def test_unsplit_exits_are_refused_unless_split_later() -> None:
    body = """
  %d = ee.exit_decision top1(%x) > 0.9 : tensor<1x4xf32>
  %y = ee.exit %x if %d : tensor<1x4xf32> else {
    %s = ee.softmax %x axis 1 : tensor<1x4xf32>
    ee.yield %s : tensor<1x4xf32>
  }"""
    module = _module(body, "tensor<1x4xf32>", "tensor<1x4xf32>")
    assert [p.split(": ", 1)[1] for p in hws_problems(module)] == [
        "'ee.exit': exits must be cut into stages first: run split-exits{exit-probs=...}",
        "'ee.softmax': the unit library has no softmax unit; an exit's softmax belongs to its "
        "exit decision",
    ]
    assert len(hws_problems(module, exits_split_later=True)) == 1


@pytest.mark.parametrize("op", [ee.Conv2dOp, ee.MaxPool2dOp, ee.ExitDecisionOp, ee.ReluOp])
def test_each_lowered_op_names_its_rules(op: type) -> None:
    assert rules_of(op), f"{op.name} has no lowering rule"
    assert all(rule.text for rule in RULES)


V = "tensor<1x4xf32>"
CASES = {
    "only a flatten to [1, K] can be streamed, not a reshape to (1, 2, 36)": (
        f"  %y = ee.reshape %x : {MAP} -> tensor<1x2x36xf32>",
        MAP,
        "tensor<1x2x36xf32>",
    ),
    "its weights must be constants (ee.constant) to become a ROM": (
        "  %y = ee.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1\n"
        "      : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x1x1xf32>",
        "tensor<1x2x1x1xf32>, %w: tensor<2x2x1x1xf32>",
        "tensor<1x2x1x1xf32>",
    ),
    "a 17x17 window is larger than the pool unit's 256 values": (
        "  %y = ee.maxpool2d %x kernel [17, 17] strides [1, 1] pads [0, 0, 0, 0]\n"
        "      : tensor<1x1x17x17xf32> -> tensor<1x1x1x1xf32>",
        "tensor<1x1x17x17xf32>",
        "tensor<1x1x1x1xf32>",
    ),
    "it adds a constant tensor; the add unit sums two streams": (
        f"  %c = ee.constant dense<1.0> : {V}\n  %y = ee.add %x, %c : {V}",
        V,
        V,
    ),
    "only a concat of maps or vectors along axis 1 can be streamed": (
        "  %y = ee.concat %x, %x axis 2 : (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>)"
        " -> tensor<1x2x12x6xf32>",
        MAP,
        "tensor<1x2x12x6xf32>",
    ),
    "its input 1 is a constant tensor; the concat unit joins streams only": (
        f"  %c = ee.constant dense<1.0> : {V}\n"
        f"  %y = ee.concat %x, %c axis 1 : ({V}, {V}) -> tensor<1x8xf32>",
        V,
        "tensor<1x8xf32>",
    ),
    "its decision drives no conditional buffer (run split-exits)": (
        f"  %d = ee.exit_decision top1(%x) > 0.9 : {V}\n  %y = ee.relu %x : {V}",
        V,
        V,
    ),
    "its exit index travels in the result words of the output stream": (
        f"  %o, %y = ee.exit_merge %x, %x : {V}",
        V,
        "i32",
    ),
    "the unit library has no unit for this op": (
        f"  %c = arith.constant 1 : i32\n  %y = ee.relu %x : {V}",
        V,
        V,
    ),
}


@pytest.mark.parametrize("why", list(CASES))
def test_each_rule_is_what_the_lowering_refuses(why: str) -> None:
    body, arg, result = CASES[why]
    module = _module(body, arg, result)
    problems = hws_problems(module)
    assert any(why in p for p in problems), problems
    error = _lowering_error(module)
    assert error is not None
    assert why in error
    assert error in problems
