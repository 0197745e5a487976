"""
Every tensor op of the interpreter against onnxruntime, over varied attributes: a one-node
ONNX model and the equivalent one-op `ee` function, on the same random samples.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import helper
from xdsl.builder import Builder
from xdsl.dialects.builtin import TensorType, UnitAttr, f32
from xdsl.ir import SSAValue

from atheena_ir.dialects import ee
from tests.interpreter.single_op import const, ee_outputs, onnx_outputs

N = 3
RTOL, ATOL = 1e-4, 1e-5
ops = settings(max_examples=40)


def _rng(data: st.DataObject) -> np.random.Generator:
    return np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))


def _samples(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.standard_normal((N, *shape)).astype(np.float32)


def _close(actual: np.ndarray, expected: np.ndarray) -> None:
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


@ops
@given(st.data())
def test_conv(data: st.DataObject) -> None:
    d = data.draw
    rng = _rng(data)
    groups, cg, fg = d(st.integers(1, 3)), d(st.integers(1, 3)), d(st.integers(1, 3))
    k = (d(st.integers(1, 4)), d(st.integers(1, 4)))
    strides = (d(st.integers(1, 3)), d(st.integers(1, 3)))
    dil = (d(st.integers(1, 2)), d(st.integers(1, 2)))
    pads = tuple(d(st.integers(0, 2)) for _ in range(4))
    span = [dl * (kk - 1) + 1 for kk, dl in zip(k, dil, strict=True)]
    h = d(st.integers(max(1, span[0] - pads[0] - pads[2]), 9))
    w_ = d(st.integers(max(1, span[1] - pads[1] - pads[3]), 9))
    x = _samples(rng, (groups * cg, h, w_))
    weight = rng.standard_normal((groups * fg, cg, *k)).astype(np.float32)
    bias = rng.standard_normal(groups * fg).astype(np.float32) if d(st.booleans()) else None
    inits = {"w": weight} | ({} if bias is None else {"b": bias})
    node = helper.make_node(
        "Conv",
        ["x", "w", "b"] if bias is not None else ["x", "w"],
        ["y"],
        kernel_shape=list(k),
        strides=list(strides),
        dilations=list(dil),
        pads=[pads[0], pads[1], pads[2], pads[3]],
        group=groups,
    )

    def build(b: Builder, args: list[SSAValue]) -> SSAValue:
        bv = None if bias is None else const(b, bias)
        op = ee.Conv2dOp(args[0], const(b, weight), bv, strides, pads, dil, groups)
        return b.insert(op).output

    _close(ee_outputs([x], build), onnx_outputs(node, [x], inits))


def _pool_attrs(d: st.DrawFn) -> tuple[tuple[int, int], tuple[int, int], tuple[int, ...]]:
    k = (d(st.integers(1, 3)), d(st.integers(1, 3)))
    strides = (d(st.integers(1, 3)), d(st.integers(1, 3)))
    pads = tuple(d(st.integers(0, k[i % 2] - 1)) for i in range(4))
    return k, strides, pads


@ops
@given(st.data(), st.sampled_from(["max", "avg_include", "avg_exclude"]))
def test_pool(data: st.DataObject, kind: str) -> None:
    d = data.draw
    rng = _rng(data)
    k, strides, pads = _pool_attrs(d)
    c, h, w = d(st.integers(1, 4)), d(st.integers(k[0], 9)), d(st.integers(k[1], 9))
    x = _samples(rng, (c, h, w))
    attrs = {"kernel_shape": list(k), "strides": list(strides), "pads": list(pads)}
    if kind == "max":
        node = helper.make_node("MaxPool", ["x"], ["y"], **attrs)
    else:
        include = int(kind == "avg_include")
        node = helper.make_node("AveragePool", ["x"], ["y"], count_include_pad=include, **attrs)

    def build(b: Builder, args: list[SSAValue]) -> SSAValue:
        cls = ee.MaxPool2dOp if kind == "max" else ee.AvgPool2dOp
        op = cls(args[0], k, strides, pads)
        if kind == "avg_include":
            op.properties["count_include_pad"] = UnitAttr()
        return b.insert(op).output

    _close(ee_outputs([x], build), onnx_outputs(node, [x], {}))


@ops
@given(st.data())
def test_global_avgpool(data: st.DataObject) -> None:
    d = data.draw
    x = _samples(_rng(data), (d(st.integers(1, 6)), d(st.integers(1, 9)), d(st.integers(1, 9))))
    node = helper.make_node("GlobalAveragePool", ["x"], ["y"])
    out = ee_outputs([x], lambda b, a: b.insert(ee.GlobalAvgPoolOp(a[0])).output)
    _close(out, onnx_outputs(node, [x], {}))


@ops
@given(st.data())
def test_gemm(data: st.DataObject) -> None:
    d = data.draw
    rng = _rng(data)
    k, m = d(st.integers(1, 64)), d(st.integers(1, 12))
    x = _samples(rng, (k,))
    weight = rng.standard_normal((m, k)).astype(np.float32)
    bias = rng.standard_normal(m).astype(np.float32) if d(st.booleans()) else None
    inputs = ["x", "w", "b"] if bias is not None else ["x", "w"]
    node = helper.make_node("Gemm", inputs, ["y"], transB=1)
    inits = {"w": weight} | ({} if bias is None else {"b": bias})

    def build(b: Builder, args: list[SSAValue]) -> SSAValue:
        bv = None if bias is None else const(b, bias)
        return b.insert(ee.LinearOp(args[0], const(b, weight), bv)).output

    _close(ee_outputs([x], build), onnx_outputs(node, [x], inits))


def _shape(d: st.DrawFn, min_rank: int = 1) -> tuple[int, ...]:
    """A per-sample shape (without the batch dim) of rank `min_rank`..3."""
    return tuple(d(st.lists(st.integers(1, 5), min_size=min_rank, max_size=3)))


@ops
@given(st.data())
def test_relu(data: st.DataObject) -> None:
    x = _samples(_rng(data), _shape(data.draw))
    out = ee_outputs([x], lambda b, a: b.insert(ee.ReluOp(a[0])).output)
    _close(out, onnx_outputs(helper.make_node("Relu", ["x"], ["y"]), [x], {}))


@ops
@given(st.data(), st.booleans())
def test_add(data: st.DataObject, constant_rhs: bool) -> None:
    """Two inputs, or an input and a constant (a value the same for every sample)."""
    rng = _rng(data)
    shape = _shape(data.draw)
    x, y = _samples(rng, shape), _samples(rng, shape)
    if constant_rhs:
        c = y[:1].copy()
        node = helper.make_node("Add", ["x", "c"], ["y"])
        out = ee_outputs([x], lambda b, a: b.insert(ee.AddOp(a[0], const(b, c))).output)
        _close(out, onnx_outputs(node, [x], {"c": c}))
    else:
        node = helper.make_node("Add", ["x", "z"], ["y"])
        out = ee_outputs([x, y], lambda b, a: b.insert(ee.AddOp(a[0], a[1])).output)
        _close(out, onnx_outputs(node, [x, y], {}))


@ops
@given(st.data())
def test_softmax(data: st.DataObject) -> None:
    shape = _shape(data.draw)
    axis = data.draw(st.integers(0, len(shape)))
    x = _samples(_rng(data), shape) * 4
    node = helper.make_node("Softmax", ["x"], ["y"], axis=axis)
    out = ee_outputs([x], lambda b, a: b.insert(ee.SoftmaxOp(a[0], axis)).output)
    _close(out, onnx_outputs(node, [x], {}))


@ops
@given(st.data())
def test_batchnorm(data: st.DataObject) -> None:
    d = data.draw
    rng = _rng(data)
    shape = (d(st.integers(1, 6)), *_shape(d, 0)[:2])
    x = _samples(rng, shape)
    c = shape[0]
    scale, bias, mean = (rng.standard_normal(c).astype(np.float32) for _ in range(3))
    var = rng.uniform(0.1, 3, c).astype(np.float32)
    eps = d(st.sampled_from([1e-5, 1e-3, 0.1]))
    stats = {"s": scale, "b": bias, "m": mean, "v": var}
    node = helper.make_node("BatchNormalization", ["x", *stats], ["y"], epsilon=eps)

    def build(b: Builder, args: list[SSAValue]) -> SSAValue:
        params = [const(b, v) for v in stats.values()]
        return b.insert(ee.BatchNormOp(args[0], *params, eps)).output

    _close(ee_outputs([x], build), onnx_outputs(node, [x], stats))


@ops
@given(st.data())
def test_flatten(data: st.DataObject) -> None:
    shape = _shape(data.draw)
    axis = data.draw(st.integers(0, len(shape) + 1))
    x = _samples(_rng(data), shape)
    node = helper.make_node("Flatten", ["x"], ["y"], axis=axis)
    out = ee_outputs([x], lambda b, a: b.insert(ee.FlattenOp(a[0], axis)).output)
    _close(out, onnx_outputs(node, [x], {}))


def _divisors(n: int) -> list[int]:
    return [i for i in range(1, n + 1) if n % i == 0]


@ops
@given(st.data())
def test_reshape(data: st.DataObject) -> None:
    d = data.draw
    shape = _shape(d)
    remaining, target = math.prod(shape), []
    for _ in range(d(st.integers(0, 3))):
        target.append(d(st.sampled_from(_divisors(remaining))))
        remaining //= target[-1]
    target = [1, *target, remaining]
    x = _samples(_rng(data), shape)
    node = helper.make_node("Reshape", ["x", "shape"], ["y"])
    out_type = TensorType(f32, target)
    out = ee_outputs([x], lambda b, a: b.insert(ee.ReshapeOp(a[0], out_type)).output)
    _close(out, onnx_outputs(node, [x], {"shape": np.array(target, np.int64)}))


@ops
@given(st.data())
def test_concat(data: st.DataObject) -> None:
    d = data.draw
    rng = _rng(data)
    shape = _shape(d)
    axis = d(st.integers(0, len(shape)))
    count = d(st.integers(1, 3))
    full = (1, *shape)
    xs = []
    for _ in range(count):
        s = list(full)
        s[axis] = d(st.integers(1, 3)) if axis else 1
        xs.append(_samples(rng, tuple(s[1:])))
    names = [f"x{i}" for i in range(count)]
    node = helper.make_node("Concat", names, ["y"], axis=axis)
    out = ee_outputs(xs, lambda b, a: b.insert(ee.ConcatOp(a, axis)).output)
    _close(out, onnx_outputs(node, xs, {}))
