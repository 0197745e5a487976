"""
How far the fixed-point interpreter may be from the float one: a rigorous per-sample bound.

`bounded(module, x, arith)` evaluates every branch of a network of supported ops in float64
(the float result) and, next to every value, an elementwise bound `E` on `|fixed - float|`
(the fixed-point value the interpreter computes with `arith`), assuming nothing saturates
or wraps (`saturation_free` says per sample whether that holds). With `q` the data type's
rounding error (half an ulp for RND/RND_CONV, one ulp for TRN) and `^` marking quantised
weights:

- input: `E = |x^ - x|` (exact);
- conv / linear: `E_out = q + conv(E_in, |w^|) + conv(|x|, |w^ - w|) + |b^ - b|`, since
  `|x^ w^ - x w| <= |w^| |x^ - x| + |x| |w^ - w|` and the accumulator holds products exactly;
- relu, max pool, flatten: `E` passes through (1-Lipschitz; max pools carry no padding here);
- average pool over `n` values with the unit's `R = round(2^16 / n)`:
  `E_out = q + R 2^-16 sum(E_in) + |R 2^-16 - 1/n| sum(|x|)` over the window.

For an exit decision with logits bound `E` (the largest over the classes) and float
`S = sum exp(z - max z) = 1 / confidence`, the decisions can differ only when
`|S - 1/thr| <= S (e^(2E) - 1) + C 2^-(P+1) + 2^-P` (+ float32 slack): the logits'
differences move by at most `2E`, the table sum is within `C 2^-(P+1)` of the exact sum
(docs/hls_units.md) and the integer limit within `2^-P` of `1/thr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Block, Operation, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.interpreter import FixedPointArithmetic
from atheena_ir.numerics import fixed_point as fx
from tests.interpreter.numpy_reference import conv2d, pool

FLOAT32_SLACK = 1e-4
"""Relative slack for the float interpreter computing in float32 rather than float64."""


def _ints(attr: object) -> list[int]:
    return [int(v) for v in attr.get_values()]  # type: ignore[attr-defined]


@dataclass
class Bounded:
    """Float64 results of `@main` and their error bounds, every branch for every sample."""

    outputs: list[np.ndarray]
    errors: list[np.ndarray]
    exit_index: np.ndarray
    saturation_free: np.ndarray
    confidence: dict[ee.ExitDecisionOp, np.ndarray] = field(default_factory=dict)
    logit_error: dict[ee.ExitDecisionOp, np.ndarray] = field(default_factory=dict)

    def margin(
        self, op: ee.ExitDecisionOp, logit_error: np.ndarray | None = None, table_frac: int = 16
    ) -> np.ndarray:
        """Per sample: how close `S` may come to `1/thr` before the decisions may differ, for
        logits that differ by at most `logit_error` (default: the bound)."""
        s = 1.0 / self.confidence[op]
        classes = int(np.prod(op.logits.type.get_shape()))  # type: ignore[attr-defined]
        e = self.logit_error[op] if logit_error is None else logit_error
        return (
            s * np.expm1(2 * e)
            + fx.exit_margin(classes, table_frac)
            + 2.0**-table_frac
            + FLOAT32_SLACK * s
        )

    def gap(self, op: ee.ExitDecisionOp) -> np.ndarray:
        """Per sample: `|S - 1/thr|` in float64."""
        return np.abs(1.0 / self.confidence[op] - 1.0 / op.threshold.value.data)

    def ambiguous(self, table_frac: int = 16) -> np.ndarray:
        """Samples that may saturate, or whose `S` lies within the margin of `1/thr` at an exit."""
        mask = ~self.saturation_free
        for op in self.confidence:
            mask |= self.gap(op) <= self.margin(op, table_frac=table_frac)
        return mask


class _Walker:
    def __init__(self, arith: FixedPointArithmetic):
        self.arith = arith
        t = arith.data
        self.q = 2.0 ** -(t.frac + (0 if t.rounding == "TRN" else 1))
        self.limit = fx.to_float(t.max_raw, t)
        self.value: dict[SSAValue, np.ndarray] = {}
        self.err: dict[SSAValue, np.ndarray] = {}
        self.exits: dict[SSAValue, np.ndarray] = {}
        self.free: np.ndarray | None = None
        self.confidence: dict[ee.ExitDecisionOp, np.ndarray] = {}
        self.logit_error: dict[ee.ExitDecisionOp, np.ndarray] = {}

    def bind(self, ssa: SSAValue, v: np.ndarray, e: np.ndarray) -> None:
        self.value[ssa], self.err[ssa] = v, e
        if e.ndim and e.shape[0] == self.free.shape[0]:  # type: ignore[union-attr]
            over = (np.abs(v) + e).reshape(e.shape[0], -1).max(axis=1) >= self.limit
            self.free &= ~over  # type: ignore[operator]

    def block(self, block: Block) -> list[SSAValue]:
        for op in block.ops:
            if isinstance(op, ee.YieldOp | func.ReturnOp):
                return list(op.operands)
            self.op(op)
        raise AssertionError("no terminator")

    def quantised(self, ssa: SSAValue, t: fx.FixedType) -> tuple[np.ndarray, np.ndarray]:
        """A constant's float value and its quantised value."""
        w = self.value[ssa]
        return w, fx.to_float(fx.from_float(w, t), t)

    def op(self, op: Operation) -> None:
        v, e = self.value, self.err
        a = self.arith
        if isinstance(op, ee.ConstantOp):
            self.value[op.output] = op.to_array().astype(np.float64)
            self.err[op.output] = np.zeros(())
        elif isinstance(op, ee.ExitOp):
            (rest,) = self.block(op.rest.block)
            d = v[op.decision].astype(bool)
            shape = (-1,) + (1,) * (v[op.logits].ndim - 1)
            self.value[op.output] = np.where(d.reshape(shape), v[op.logits], v[rest])
            self.err[op.output] = np.where(d.reshape(shape), e[op.logits], e[rest])
            inner = self.exits.get(rest, np.zeros(d.shape, np.int64))
            self.exits[op.output] = np.where(d, 0, inner + 1)
        elif isinstance(op, ee.ExitDecisionOp):
            z = v[op.logits].reshape(v[op.logits].shape[0], -1)
            conf = 1.0 / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1)
            self.confidence[op] = conf
            self.logit_error[op] = e[op.logits].reshape(z.shape[0], -1).max(axis=1)
            self.value[op.decision] = conf > op.threshold.value.data
            self.err[op.decision] = np.zeros(())
        elif isinstance(op, ee.Conv2dOp | ee.LinearOp):
            x, ex = v[op.input], e[op.input]
            w, wq = self.quantised(op.weight, a.weight)
            if op.bias is None:
                b = bq = np.zeros(w.shape[0])
            else:
                b, bq = self.quantised(op.bias, a.bias)
            if isinstance(op, ee.Conv2dOp):
                attrs = (_ints(op.strides), _ints(op.pads), (1, 1), 1)
                y = conv2d(x, w, b, *attrs)
                ey = conv2d(ex, np.abs(wq), None, *attrs) + conv2d(
                    np.abs(x), np.abs(wq - w), np.abs(bq - b), *attrs
                )
            else:
                y = x @ w.T + b
                ey = ex @ np.abs(wq).T + np.abs(x) @ np.abs(wq - w).T + np.abs(bq - b)
            self.bind(op.output, y, ey + self.q)
        elif isinstance(op, ee.ReluOp):
            self.bind(op.output, np.maximum(v[op.input], 0), e[op.input])
        elif isinstance(op, ee.MaxPool2dOp):
            attrs = (_ints(op.kernel), _ints(op.strides), _ints(op.pads))
            assert not any(attrs[2]), "the bound assumes max pools without padding"
            y = pool(v[op.input], *attrs, "max")
            self.bind(op.output, y, pool(e[op.input], *attrs, "max"))
        elif isinstance(op, ee.AvgPool2dOp | ee.GlobalAvgPoolOp):
            x, ex = v[op.input], e[op.input]
            if isinstance(op, ee.GlobalAvgPoolOp):
                attrs = (list(x.shape[2:]), [1, 1], [0, 0, 0, 0])
            else:
                attrs = (_ints(op.kernel), _ints(op.strides), _ints(op.pads))
            n = attrs[0][0] * attrs[0][1]
            recip = fx.avg_recip(n) * 2.0**-fx.AVG_RECIP_FRAC
            sums = pool(x, *attrs, "avg", include_pad=True) * n
            esums = pool(ex, *attrs, "avg", include_pad=True) * n
            abs_sums = pool(np.abs(x), *attrs, "avg", include_pad=True) * n
            ey = self.q + recip * esums + abs(recip - 1.0 / n) * abs_sums
            self.bind(op.output, sums / n, ey)
        elif isinstance(op, ee.FlattenOp | ee.ReshapeOp):
            assert isinstance(op.output.type, TensorType)
            shape = op.output.type.get_shape()[1:]
            x, ex = v[op.input], e[op.input]
            self.bind(op.output, x.reshape(x.shape[0], *shape), ex.reshape(ex.shape[0], *shape))
        else:
            raise NotImplementedError(op.name)


def bounded(module: ModuleOp, x: np.ndarray, arith: FixedPointArithmetic) -> Bounded:
    """Float64 evaluation of `@main` on `x` with error bounds for `arith` (see the module doc)."""
    main = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    walker = _Walker(arith)
    x = x.astype(np.float64)
    walker.free = np.all(np.abs(x.reshape(len(x), -1)) < walker.limit, axis=1)
    arg = main.body.block.args[0]
    walker.bind(arg, x, np.abs(arith.input(x) - x))
    outs = walker.block(main.body.block)
    exits = walker.exits.get(outs[0], np.zeros(x.shape[0], np.int64))
    return Bounded(
        [walker.value[v] for v in outs],
        [walker.err[v] for v in outs],
        exits,
        walker.free,
        walker.confidence,
        walker.logit_error,
    )


def heads(module: ModuleOp) -> ModuleOp:
    """
    A copy of `module` whose `@main` computes every exit for every sample and returns the
    logits of each exit (earliest first) and then the final classifier's: every `ee.exit`
    is replaced by its region's ops, inlined in place.
    """
    copy = module.clone()
    main = next(op for op in copy.walk() if isinstance(op, func.FuncOp))
    logits: list[SSAValue] = []

    def inline(block: Block) -> None:
        for op in list(block.ops):
            if not isinstance(op, ee.ExitOp):
                continue
            logits.append(op.logits)
            inner = op.rest.block
            inline(inner)
            terminator = inner.last_op
            assert isinstance(terminator, ee.YieldOp)
            for inner_op in list(inner.ops):
                if inner_op is terminator:
                    break
                inner_op.detach()
                block.insert_op_before(inner_op, op)
            op.output.replace_all_uses_with(terminator.operands[0])
            op.detach()
            op.erase()

    block = main.body.block
    inline(block)
    ret = block.last_op
    assert isinstance(ret, func.ReturnOp)
    (final,) = ret.operands
    ret.detach()
    ret.erase()
    block.add_op(func.ReturnOp(*logits, final))
    main.update_function_type()
    copy.verify()
    return copy
