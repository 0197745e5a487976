"""
The unit chains of `lower-to-hws`: how each folded `ee` op becomes the HLS library's units
(the table in that pass's docstring), with lanes, squeezes, weights in the units' layouts
and stream names. `UnitChains` holds the state of lowering one function; the pass drives it
stage by stage.

```python
state = UnitChains(fn, data, weight, acc, fifo_depth, buffer_slack)   # one per function
```
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    f32,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.cost import CostModel
from atheena_ir.dialects import ee, hws
from atheena_ir.dialects.ee.syntax import int_array, int_list
from atheena_ir.numerics import layout
from atheena_ir.numerics.exp_table import threshold_limit
from atheena_ir.passes.hws_join_units import lower_add, lower_concat
from atheena_ir.passes.hws_legality import describe, op_problem
from atheena_ir.passes.hws_values import WIRING, fold_factors, map_shape, through_wiring


def _dense(values: np.ndarray) -> DenseIntOrFPElementsAttr:
    arr = np.ascontiguousarray(values, dtype="<f4")
    return DenseIntOrFPElementsAttr(TensorType(f32, arr.shape), BytesAttr(arr.tobytes()))


_DTYPES = {16: "<f2", 32: "<f4", 64: "<f8"}


def _hint(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if name and not name[0].isdigit() else f"v{name}"


@dataclass
class UnitChains:
    """The state of lowering one function."""

    fn: func.FuncOp
    data: hws.FixedType
    weight: hws.FixedType
    acc: hws.FixedType
    fifo: int
    slack: int
    model: CostModel = field(default_factory=CostModel)
    streams: dict[SSAValue, SSAValue] = field(default_factory=dict)
    ctrl: dict[SSAValue, SSAValue] = field(default_factory=dict)
    maps_of: dict[ee.CondBufferOp, int] = field(default_factory=dict)
    block: Block = field(default_factory=Block)

    # --- helpers -------------------------------------------------------------------
    def fail(self, op: Operation, what: str) -> PassFailedException:
        return PassFailedException(describe(self.fn, op, what))

    def add(self, op: hws.UnitOp, hint: str) -> hws.UnitOp:
        self.block.add_op(op)
        for i, r in enumerate(op.results):
            r.name_hint = _hint(hint if len(op.results) == 1 else f"{hint}_p{i}")
        return op

    def unit(
        self, cls: type, operands: list, types: list[Attribute], hint: str, **props
    ) -> SSAValue:
        op = cls.create(
            operands=operands,
            result_types=types,
            properties={"depth": int_array([self.fifo] * len(types)), **props},
        )
        return self.add(op, hint).results[0]

    def word(self, lanes: int, elt: hws.FixedType | None = None) -> hws.StreamType:
        return hws.StreamType.get(elt or self.data, lanes)

    def stream(self, value: SSAValue, lanes: int, user: Operation, hint: str) -> SSAValue:
        """The hws stream of ee `value` with `lanes` lanes (a squeeze if needed)."""
        while isinstance(value.owner, WIRING):
            value = value.owner.input
        s = self.streams[value]
        have = hws.base.lanes(s)
        if have == lanes:
            return s
        rows, cols, ch = map_shape(value)
        total = rows * cols * ch
        if total % math.lcm(have, lanes):
            raise self.fail(
                user,
                f"cannot re-lane {have} to {lanes} lanes: lcm({have}, {lanes}) does not divide "
                f"the {total} values of a sample; choose folding factors that divide the channels",
            )
        return self.unit(hws.SqueezeOp, [s], [self.word(lanes, hws.base.element(s))], f"{hint}_sq")

    def weights(self, op: Operation, value: SSAValue, what: str) -> np.ndarray:
        owner = value.owner
        if not isinstance(owner, ee.ConstantOp):
            raise self.fail(op, f"its {what} must be constants (ee.constant) to become a ROM")
        attr = owner.value
        t = attr.type
        assert isinstance(t, TensorType)
        width = getattr(t.element_type, "bitwidth", 32)
        if width not in _DTYPES:
            raise self.fail(op, f"its {what} have an unsupported element type {t.element_type}")
        data = np.frombuffer(attr.data.data, dtype=_DTYPES[width]).astype(np.float32)
        shape = tuple(t.get_shape())
        if data.size == 1 and math.prod(shape) != 1:
            return np.full(shape, data[0], dtype=np.float32)
        return data.reshape(shape)

    def name(self, op: Operation, fallback: str) -> str:
        attr = op.attributes.get("onnx_name")
        return attr.data if isinstance(attr, StringAttr) else fallback

    # --- ops ------------------------------------------------------------------------
    def lower_block(self, ops: Iterable[Operation]) -> None:
        for op in ops:
            self.lower(op)

    def lower(self, op: Operation) -> None:
        if (why := op_problem(op)) is not None:  # the rules of hws_legality.py
            raise self.fail(op, why)
        hint = self.name(op, op.name.split(".")[-1])
        match op:
            case ee.ConstantOp() | ee.FlattenOp() | ee.ReshapeOp():
                pass
            case ee.Conv2dOp():
                self.conv(op, hint)
            case ee.LinearOp():
                self.linear(op, hint)
            case ee.MaxPool2dOp() | ee.AvgPool2dOp():
                self.pool(op, hint)
            case ee.GlobalAvgPoolOp():
                self.global_pool(op, hint)
            case ee.ActivationOp():
                self.activation(op, hint)
            case ee.AddOp():
                lower_add(self, op, hint)
            case ee.ConcatOp():
                lower_concat(self, op, hint)
            case ee.SplitOp() if isinstance(op.input.type, TensorType):
                self.split(op, hint)
            case ee.SplitOp():
                pass  # decision fan-out: part of the exit decision unit
            case ee.ExitDecisionOp():
                self.exit_decision(op, hint)
            case ee.CondBufferOp():
                self.cond_buffer(op, hint)
            case ee.ExitMergeOp():
                self.exit_merge(op, hint)
            case _:
                raise self.fail(op, "the unit library has no unit for this op")

    def conv(self, op: ee.Conv2dOp, hint: str) -> None:
        ci, co, _, fine = fold_factors(op)
        kh, kw = op.kernel
        rows, cols, ch = map_shape(op.input)
        filters = map_shape(op.output)[2]
        w = self.weights(op, op.weight, "weights")
        x = self.stream(op.input, ci, op, hint)
        win = self.unit(
            hws.SlidingWindowOp,
            [x],
            [hws.WindowType.get(self.data, ci, (kh, kw))],
            f"{hint}_sw",
            map=int_array([rows, cols, ch]),
            strides=op.strides,
            pads=op.pads,
        )
        branches = [win]
        if co > 1:
            fork = hws.ForkOp.create(
                operands=[win],
                result_types=[win.type] * co,
                properties={"depth": int_array([self.fifo] * co)},
            )
            branches = list(self.add(fork, f"{hint}_fork").results)
        unit_weights = layout.conv_unit_weights(w, ci, co)
        groups = ch // ci
        partial = []
        for o, window in enumerate(branches):
            c = self.unit(
                hws.ConvOp,
                [window],
                [self.word(ci, self.acc)],
                f"{hint}_conv{o}",
                weight_type=self.weight,
                weights=_dense(unit_weights[o]),
                fine=IntegerAttr(fine, 64),
            )
            if groups > 1:
                c = self.unit(
                    hws.AccumOp,
                    [c],
                    [c.type],
                    f"{hint}_acc{o}",
                    groups=IntegerAttr(groups, 64),
                    filters=IntegerAttr(filters // co, 64),
                )
            partial.append(c)
        out_elt = self.acc if op.bias is not None else self.data
        y = self.unit(hws.GlueOp, partial, [self.word(co, out_elt)], f"{hint}_glue")
        if op.bias is not None:
            y = self.bias(op, op.bias, y, co, hint)
        self.streams[op.output] = y

    def bias(self, op: Operation, value: SSAValue, x: SSAValue, lanes: int, hint: str) -> SSAValue:
        b = self.weights(op, value, "biases")
        return self.unit(
            hws.BiasOp,
            [x],
            [self.word(lanes)],
            f"{hint}_bias",
            bias_type=self.weight,
            biases=_dense(layout.lane_table(b, lanes)),
        )

    def linear(self, op: ee.LinearOp, hint: str) -> None:
        ci, co, _, _ = fold_factors(op)
        w = self.weights(op, op.weight, "weights")
        source = op.input
        while isinstance(source.owner, WIRING):
            source = source.owner.input
        shape = tuple(source.type.get_shape())  # type: ignore[attr-defined]
        if len(shape) == 4 and shape[2] * shape[3] > 1:
            w = layout.gemm_to_stream_order(w, shape[1], shape[2], shape[3])
        x = self.stream(op.input, ci, op, hint)
        out_elt = self.acc if op.bias is not None else self.data
        y = self.unit(
            hws.LinearOp,
            [x],
            [self.word(co, out_elt)],
            f"{hint}_linear",
            weight_type=self.weight,
            weights=_dense(layout.linear_unit_weights(w, ci, co)),
            acc_type=self.acc,
        )
        if op.bias is not None:
            y = self.bias(op, op.bias, y, co, hint)
        self.streams[op.output] = y

    def window_pool(self, op: Operation, x_value: SSAValue, kernel, strides, pads, mode, hint):
        lanes = fold_factors(op)[0]
        kh, kw = kernel
        x = self.stream(x_value, lanes, op, hint)
        win = self.unit(
            hws.SlidingWindowOp,
            [x],
            [hws.WindowType.get(hws.base.element(x), lanes, (kh, kw))],
            f"{hint}_sw",
            map=int_array(list(map_shape(x_value))),
            strides=int_array(list(strides)),
            pads=int_array(list(pads)),
        )
        return self.unit(hws.PoolOp, [win], [x.type], f"{hint}_pool", mode=StringAttr(mode))

    def pool(self, op: ee.MaxPool2dOp | ee.AvgPool2dOp, hint: str) -> None:
        pads = int_list(op.pads)
        mode = "avg" if isinstance(op, ee.AvgPool2dOp) else "max"
        y = self.window_pool(
            op, op.input, int_list(op.kernel), int_list(op.strides), pads, mode, hint
        )
        self.streams[op.output] = y

    def activation(self, op: ee.ActivationOp, hint: str) -> None:
        """`ee.<name>` -> `hws.<name>` with the op's coarse as lanes."""
        x = self.stream(op.input, fold_factors(op)[0], op, hint)
        unit = hws.UNITS[type(op)]
        self.streams[op.output] = self.unit(unit, [x], [x.type], f"{hint}_{op.unit_name()}")

    def global_pool(self, op: ee.GlobalAvgPoolOp, hint: str) -> None:
        rows, cols, _ = map_shape(op.input)
        y = self.window_pool(op, op.input, (rows, cols), (1, 1), (0, 0, 0, 0), "avg", hint)
        self.streams[op.output] = y

    def split(self, op: ee.SplitOp, hint: str) -> None:
        src = op.input
        while isinstance(src.owner, WIRING):
            src = src.owner.input
        lanes = (
            fold_factors(op)[0]
            if fold_factors(op) != (1, 1, 1, 1)
            else hws.base.lanes(self.streams[src])
        )
        if "onnx_name" not in op.attributes and self.streams[src].name_hint:
            hint = self.streams[src].name_hint or hint
        x = self.stream(op.input, lanes, op, hint)
        n = len(op.outputs)
        split = hws.SplitOp.create(
            operands=[x],
            result_types=[x.type] * n,
            properties={"depth": int_array([self.fifo] * n)},
        )
        self.add(split, f"{hint}_split")
        for ee_out, out in zip(op.outputs, split.results, strict=True):
            self.streams[ee_out] = out

    def exit_decision(self, op: ee.ExitDecisionOp, hint: str) -> None:
        classes = map_shape(op.logits)[2]
        have = hws.base.lanes(self.streams[through_wiring(op.logits)])
        x = self.stream(op.logits, have if classes % have == 0 else 1, op, hint)
        leaves = _leaf_decisions(op.decision)
        if not leaves:
            raise self.fail(op, "its decision drives no conditional buffer (run split-exits)")
        thr = float(op.threshold.value.data)
        depths = [max(self.fifo, self.maps_of.get(_buffer_of(v), self.fifo)) for v in leaves]
        unit = hws.ExitDecisionOp.create(
            operands=[x],
            result_types=[hws.CtrlType()] * len(leaves),
            properties={
                "depth": int_array(depths),
                "classes": IntegerAttr(classes, 64),
                "threshold": FloatAttr(thr, 64),
                "limit": IntegerAttr(threshold_limit(thr), 64),
            },
        )
        self.add(unit, f"{hint}_ctrl")
        for leaf, ctrl in zip(leaves, unit.results, strict=True):
            self.ctrl[leaf] = ctrl

    def cond_buffer(self, op: ee.CondBufferOp, hint: str) -> None:
        x = self.streams[through_wiring(op.input)]
        x = self.stream(op.input, hws.base.lanes(x), op, hint)
        if op.decision not in self.ctrl:
            raise self.fail(op, "its decision must come from an ee.exit_decision in the same stage")
        rows, cols, ch = map_shape(op.input)
        y = self.unit(
            hws.CondBufferOp,
            [x, self.ctrl[op.decision]],
            [x.type],
            f"{hint}_{op.mode.data}",
            mode=StringAttr(op.mode.data),
            map_words=IntegerAttr(rows * cols * ch // hws.base.lanes(x), 64),
            maps=IntegerAttr(self.maps_of[op], 64),
        )
        self.streams[op.output] = y

    def exit_merge(self, op: ee.ExitMergeOp, hint: str) -> None:
        lanes = hws.base.lanes(self.streams[through_wiring(op.inputs[0])])
        xs = [self.stream(v, lanes, op, f"{hint}_{i}") for i, v in enumerate(op.inputs)]
        rows, cols, ch = map_shape(op.output)
        words = rows * cols * ch // lanes
        for x in xs:
            _set_depth(x, max(self.fifo, words + 1))
        self.streams[op.output] = self.unit(
            hws.ExitMergeOp,
            xs,
            [hws.ResultType.get(self.data, lanes)],
            f"{hint}_out",
            map_words=IntegerAttr(words, 64),
        )


def _leaf_decisions(value: SSAValue) -> list[SSAValue]:
    """The `i1` values that reach the buffers, through the decision's splits, in op order."""
    leaves: list[SSAValue] = []
    for use in value.uses:
        user = use.operation
        if isinstance(user, ee.SplitOp):
            for r in user.outputs:
                leaves += _leaf_decisions(r)
        elif isinstance(user, ee.CondBufferOp):
            leaves.append(value)
    block = value.owner.parent_block() if isinstance(value.owner, Operation) else None
    order = {op: i for i, op in enumerate(block.ops)} if block is not None else {}
    return sorted(set(leaves), key=lambda v: min(order.get(u.operation, 0) for u in v.uses))


def _buffer_of(leaf: SSAValue) -> ee.CondBufferOp | None:
    return next((u.operation for u in leaf.uses if isinstance(u.operation, ee.CondBufferOp)), None)


def _set_depth(value: SSAValue, depth: int) -> None:
    """Set the FIFO depth of the stream `value` at its producer (through stage results)."""
    owner = value.owner
    if isinstance(owner, hws.StageOp):
        term = owner.body.block.last_op
        assert term is not None
        value = term.operands[value.index]  # type: ignore[attr-defined]
        owner = value.owner
    if isinstance(owner, hws.UnitOp):
        depths = list(owner.depths())
        depths[value.index] = depth  # type: ignore[attr-defined]
        owner.properties["depth"] = int_array(depths)
