"""Every valid `hws` design prints and parses back unchanged, in custom and generic syntax."""

from __future__ import annotations

import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from xdsl.context import Context
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    TensorType,
    f32,
)
from xdsl.ir import Block, SSAValue
from xdsl.parser import Parser
from xdsl.printer import Printer

import atheena_ir
from atheena_ir.dialects import hws
from atheena_ir.dialects.ee.syntax import int_array
from atheena_ir.numerics.exp_table import threshold_limit


def _ctx() -> Context:
    ctx = atheena_ir.context()
    return ctx


def _generic(module: object) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_op(module)  # type: ignore[arg-type]
    return out.getvalue()


def _dense(values: np.ndarray) -> DenseIntOrFPElementsAttr:
    return DenseIntOrFPElementsAttr(
        TensorType(f32, values.shape), BytesAttr(values.astype("<f4").tobytes())
    )


def _unit(cls: type, operands: list, types: list, depth: list[int], **props) -> hws.UnitOp:
    return cls.create(
        operands=operands,
        result_types=types,
        properties={"depth": int_array(depth), **props},
    )


@st.composite
def fixed_types(draw: st.DrawFn) -> hws.FixedType:
    width = draw(st.integers(4, 40))
    return hws.FixedType.get(
        width,
        draw(st.integers(-4, width + 4)),
        draw(st.sampled_from(["trn", "rnd", "rnd_conv"])),
        draw(st.sampled_from(["wrap", "sat"])),
    )


@st.composite
def designs(draw: st.DrawFn) -> ModuleOp:
    """A random chain of relu/squeeze/pool/bias units, optionally ending in an exit."""
    elt = draw(fixed_types())
    channels = draw(st.sampled_from([2, 4, 6, 12]))
    size = draw(st.integers(2, 5))
    lanes_ = draw(st.sampled_from([d for d in range(1, channels + 1) if channels % d == 0]))
    block = Block(arg_types=[hws.StreamType.get(elt, lanes_)])
    value: SSAValue = block.args[0]
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    depth = lambda: draw(st.integers(1, 64))  # noqa: E731
    for kind in draw(st.lists(st.sampled_from(["relu", "squeeze", "pool", "bias"]), max_size=5)):
        lanes_now = value.type.lanes.data  # type: ignore[attr-defined]
        if kind == "relu":
            op = _unit(hws.ReluOp, [value], [value.type], [depth()])
        elif kind == "squeeze":
            choices = [d for d in range(1, channels + 1) if channels % d == 0 and d != lanes_now]
            out = hws.StreamType.get(elt, draw(st.sampled_from(choices)))
            op = _unit(hws.SqueezeOp, [value], [out], [depth()])
        elif kind == "pool":
            k = draw(st.integers(1, size))
            sw = _unit(
                hws.SlidingWindowOp,
                [value],
                [hws.WindowType.get(elt, lanes_now, (k, k))],
                [depth()],
                map=int_array([size, size, channels]),
                strides=int_array([1, 1]),
                pads=int_array([k - 1, k - 1, k - 1, k - 1]),
            )
            block.add_op(sw)
            mode = StringAttr(draw(st.sampled_from(["max", "avg"])))
            op = _unit(hws.PoolOp, [sw.results[0]], [value.type], [depth()], mode=mode)
        else:
            biases = _dense(rng.standard_normal((channels // lanes_now, lanes_now)))
            op = _unit(
                hws.BiasOp, [value], [value.type], [depth()], bias_type=hws.WEIGHT, biases=biases
            )
        block.add_op(op)
        value = op.results[0]
    out_map = (size, size, channels)
    if draw(st.booleans()):
        lanes_now = value.type.lanes.data  # type: ignore[attr-defined]
        words = size * size * channels // lanes_now
        split = _unit(hws.SplitOp, [value], [value.type] * 2, [depth(), depth()])
        thr = draw(st.floats(0.01, 0.99))
        decision = _unit(
            hws.ExitDecisionOp,
            [split.results[1]],
            [hws.CtrlType(), hws.CtrlType()],
            [depth(), depth()],
            classes=IntegerAttr(size * size * channels, 64),
            threshold=FloatAttr(thr, 64),
            limit=IntegerAttr(threshold_limit(thr), 64),
        )
        tap = _unit(hws.SplitOp, [split.results[0]], [value.type] * 2, [depth(), depth()])
        buffers = [
            _unit(
                hws.CondBufferOp,
                [tap.results[i], decision.results[i]],
                [value.type],
                [depth()],
                mode=StringAttr(mode),
                map_words=IntegerAttr(words, 64),
                maps=IntegerAttr(draw(st.integers(1, 9)), 64),
            )
            for i, mode in enumerate(["exit", "continue"])
        ]
        merge = _unit(
            hws.ExitMergeOp,
            [b.results[0] for b in buffers],
            [hws.ResultType.get(elt, lanes_now)],
            [depth()],
            map_words=IntegerAttr(words, 64),
        )
        for op in (split, decision, tap, *buffers, merge):
            block.add_op(op)
        value = merge.results[0]
    block.add_op(hws.OutputOp(value))
    design = hws.DesignOp("main", block, [(size, size, channels), out_map])
    module = ModuleOp([design])
    module.verify()
    return module


@given(designs())
def test_custom_syntax_round_trips(module: ModuleOp) -> None:
    text = str(module)
    reparsed = Parser(_ctx(), text).parse_module()
    reparsed.verify()
    assert str(reparsed) == text


@given(designs())
def test_generic_syntax_round_trips(module: ModuleOp) -> None:
    generic = _generic(module)
    reparsed = Parser(_ctx(), generic).parse_module()
    reparsed.verify()
    assert _generic(reparsed) == generic
    assert str(reparsed) == str(module)


@given(fixed_types())
def test_fixed_types_match_the_numpy_reference(t: hws.FixedType) -> None:
    if 1 <= t.width.data <= 62:
        assert hws.FixedType.from_numpy(t.to_numpy()) == t
        assert t.to_numpy().cpp().replace(" ", "") == t.cpp().replace(" ", "")
