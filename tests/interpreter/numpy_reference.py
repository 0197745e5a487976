"""
An independent numpy reference for `ee` networks with exits, written for the tests only.

Unlike the interpreter it computes *every* branch for *every* sample, in float64, with
direct loops over kernel offsets, and only then chooses per sample: an `ee.exit` gives
`where(decision, logits, rest)`. It also records each exit decision's top-1 confidence per
sample, so a test can move thresholds to where samples split and skip samples whose
confidence lies too close to a threshold to call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import FloatAttr, ModuleOp, TensorType
from xdsl.ir import Block, Operation, SSAValue

from atheena_ir.dialects import ee


@dataclass
class Reference:
    """Outputs `[N, ...]`, exits `[N]`, and each decision op's confidences `[N]`."""

    output: np.ndarray
    exit_index: np.ndarray
    confidence: dict[ee.ExitDecisionOp, np.ndarray] = field(default_factory=dict)

    def ambiguous(self, margin: float = 1e-4) -> np.ndarray:
        """Samples whose confidence at some exit lies within `margin` of its threshold."""
        mask = np.zeros(self.exit_index.shape, bool)
        for op, conf in self.confidence.items():
            mask |= np.abs(conf - op.threshold.value.data) < margin
        return mask


def _ints(attr: object) -> list[int]:
    return [int(v) for v in attr.get_values()]  # type: ignore[attr-defined]


def _pad(x: np.ndarray, pads: list[int], value: float) -> np.ndarray:
    t, left, b, r = pads
    return np.pad(x, ((0, 0), (0, 0), (t, b), (left, r)), constant_values=value)


def _offsets(xp: np.ndarray, kernel, strides, dils, out_hw):
    """Yield, for each kernel offset, the input slice every output position sees there."""
    oh, ow = out_hw
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            r0, c0 = i * dils[0], j * dils[1]
            yield (
                i,
                j,
                xp[
                    :,
                    :,
                    r0 : r0 + strides[0] * (oh - 1) + 1 : strides[0],
                    c0 : c0 + strides[1] * (ow - 1) + 1 : strides[1],
                ],
            )


def conv2d(x, w, b, strides, pads, dils, groups):
    n, _, h, wd = x.shape
    f, cg, k0, k1 = w.shape
    oh = (h + pads[0] + pads[2] - dils[0] * (k0 - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dils[1] * (k1 - 1) - 1) // strides[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for i, j, sl in _offsets(_pad(x, pads, 0.0), (k0, k1), strides, dils, (oh, ow)):
        for g in range(groups):
            xs = sl[:, g * cg : (g + 1) * cg]
            ws = w[g * fg : (g + 1) * fg, :, i, j]
            out[:, g * fg : (g + 1) * fg] += np.einsum("ncij,fc->nfij", xs, ws)
    return out if b is None else out + b[None, :, None, None]


def pool(x, kernel, strides, pads, kind, include_pad=False):
    n, c, h, w = x.shape
    oh = (h + pads[0] + pads[2] - kernel[0]) // strides[0] + 1
    ow = (w + pads[1] + pads[3] - kernel[1]) // strides[1] + 1
    if kind == "max":
        acc = np.full((n, c, oh, ow), -np.inf)
        for _, _, sl in _offsets(_pad(x, pads, -np.inf), kernel, strides, (1, 1), (oh, ow)):
            acc = np.maximum(acc, sl)
        return acc
    acc = np.zeros((n, c, oh, ow))
    cnt = np.zeros((1, 1, oh, ow))
    ones = _pad(np.ones((1, 1, h, w)), pads, 0.0)
    for _, _, sl in _offsets(_pad(x, pads, 0.0), kernel, strides, (1, 1), (oh, ow)):
        acc += sl
    for _, _, sl in _offsets(ones, kernel, strides, (1, 1), (oh, ow)):
        cnt += sl
    return acc / (kernel[0] * kernel[1] if include_pad else cnt)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class _Evaluator:
    def __init__(self) -> None:
        self.env: dict[SSAValue, np.ndarray] = {}
        self.exits: dict[SSAValue, np.ndarray] = {}
        self.confidence: dict[ee.ExitDecisionOp, np.ndarray] = {}

    def block(self, block: Block) -> list[SSAValue]:
        for op in block.ops:
            if isinstance(op, ee.YieldOp | func.ReturnOp):
                return list(op.operands)
            self.op(op)
        raise AssertionError("no terminator")

    def op(self, op: Operation) -> None:
        g = self.env.__getitem__
        if isinstance(op, ee.ExitOp):
            (rest,) = self.block(op.rest.block)
            d = g(op.decision).astype(bool)
            shape = (-1,) + (1,) * (g(op.logits).ndim - 1)
            self.env[op.output] = np.where(d.reshape(shape), g(op.logits), g(rest))
            inner = self.exits.get(rest, np.zeros(d.shape, np.int64))
            self.exits[op.output] = np.where(d, 0, inner + 1)
            return
        self.env[op.results[0]] = self.compute(op, g)

    def compute(self, op: Operation, g) -> np.ndarray:
        if isinstance(op, ee.ConstantOp):
            return op.to_array().astype(np.float64)
        if isinstance(op, ee.Conv2dOp):
            b = None if op.bias is None else g(op.bias)
            return conv2d(
                g(op.input),
                g(op.weight),
                b,
                _ints(op.strides),
                _ints(op.pads),
                _ints(op.dilations),
                op.groups.value.data,
            )
        if isinstance(op, ee.MaxPool2dOp | ee.AvgPool2dOp):
            kind = "max" if isinstance(op, ee.MaxPool2dOp) else "avg"
            include = isinstance(op, ee.AvgPool2dOp) and op.count_include_pad is not None
            attrs = (_ints(op.kernel), _ints(op.strides), _ints(op.pads))
            return pool(g(op.input), *attrs, kind, include)
        if isinstance(op, ee.GlobalAvgPoolOp):
            return g(op.input).mean(axis=(2, 3), keepdims=True)
        if isinstance(op, ee.LinearOp):
            y = g(op.input) @ g(op.weight).T
            return y if op.bias is None else y + g(op.bias)
        if isinstance(op, ee.ReluOp):
            return np.maximum(g(op.input), 0)
        if isinstance(op, ee.AddOp):
            return g(op.lhs) + g(op.rhs)
        if isinstance(op, ee.BatchNormOp):
            x = g(op.input)
            shp = (1, -1) + (1,) * (x.ndim - 2)
            p = [g(v).reshape(shp) for v in (op.scale, op.bias, op.mean, op.var)]
            return p[0] * (x - p[2]) / np.sqrt(p[3] + op.epsilon.value.data) + p[1]
        if isinstance(op, ee.FlattenOp | ee.ReshapeOp):
            assert isinstance(op.output.type, TensorType)
            x = g(op.input)
            return x.reshape(x.shape[0], *op.output.type.get_shape()[1:])
        if isinstance(op, ee.SoftmaxOp):
            return softmax(g(op.input), op.axis.value.data)
        if isinstance(op, ee.ExitDecisionOp):
            z = g(op.logits)
            conf = softmax(z.reshape(z.shape[0], -1), 1).max(axis=1)
            self.confidence[op] = conf
            return conf > op.threshold.value.data
        raise NotImplementedError(op.name)


def reference(module: ModuleOp, x: np.ndarray) -> Reference:
    """Evaluate `@main` on the batch `x` (IR batch 1 read as batch N: all ops are per sample)."""
    main = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    ev = _Evaluator()
    ev.env[main.body.block.args[0]] = x.astype(np.float64)
    (out,) = ev.block(main.body.block)
    exits = ev.exits.get(out, np.zeros(x.shape[0], np.int64))
    return Reference(ev.env[out], exits, ev.confidence)


def retune_thresholds(module: ModuleOp, ref: Reference) -> None:
    """
    Move each exit's threshold to the middle of its samples' confidences (between two
    neighbours, so no sample sits on it), so that some samples leave and some go on.
    """
    for op, conf in ref.confidence.items():
        values = np.unique(conf)
        if values.size < 2:
            continue
        mid = values.size // 2
        thr = float((values[mid - 1] + values[mid]) / 2)
        if 0.0 < thr < 1.0:
            op.properties["threshold"] = FloatAttr(thr, 64)
