"""
`lower-to-hws`: turn a folded `ee` network (after `split-exits`, or one without exits)
into one `hws.design` whose units are the HLS unit library's, with every FIFO sized.

Each `func.func` becomes `hws.design @name`: its arguments the input ports, its results
the output ports, each `ee.stage` an `hws.stage` (a network without exits is one stage).
Every compute op expands to its unit chain, with lanes from its `#ee.fold`:

| ee op | units (lanes) |
|---|---|
| `ee.conv2d` | `sliding_window` (ci) -> `fork` (co > 1) -> `conv` x co -> `accum` x co |
| | (C/ci > 1) -> `glue` (ci -> co) -> `bias` (co, if any) |
| `ee.linear` | `linear` (ci -> co) -> `bias` (co, if any) |
| `ee.maxpool2d`, `ee.avgpool2d`, `ee.global_avgpool` | `sliding_window` -> `pool` (coarse) |
| `ee.relu` | `relu` (coarse) |
| `ee.hardswish` | `hardswish` (coarse) |
| `ee.split` (tensor) | `split` (its folding's coarse, else the producer's lanes) |
| `ee.exit_decision` + its `i1` splits | `exit_decision` with one control stream per buffer |
| `ee.cond_buffer`, `ee.exit_merge` | `cond_buffer`, `exit_merge` (the producer's lanes) |
| `ee.flatten`, `ee.reshape` to `[1, K]`, `ee.constant` | nothing: wiring and weights |

A `squeeze` is inserted wherever a consumer needs other lanes than its producer gives.
Weights and biases go into the units' layouts (`atheena_ir.csim.layout`), a Gemm after a
flatten with its columns in stream order. Types: data and weights
`ap_fixed<data-width, data-int, RND_CONV, SAT>` (weights `weight-width`, `weight-int`),
accumulators `ap_fixed<acc-width, acc-int>` (TRN, WRAP); defaults 16/8, 16/8, 32/16.

FIFO depths (docs/hws.md explains why they cannot deadlock); `II(op)` and `D(op)` are the
cost model's interval and pipeline depth of an ee op (`CostModel().layer(spec, fold)`):

- every data stream: `fifo-depth` words (default 2): the units of one layer consume
  their inputs in lock step, so no FIFO has to absorb a skew;
- a conditional buffer holds `maps = ceil(T / A) + 1 + buffer-slack` whole maps, where
  `A` (arrival interval) is the largest interval on the path into the split feeding the
  buffer (maps cannot arrive faster than its slowest layer passes them),
  `D_b` / `II_b` are the summed pipeline depth / largest interval of the exit branch
  from that split to the exit decision, and `T = max(A, II_b) + D_b` is the longest a
  decision can stay pending after its map starts to arrive;
- each control stream from an exit decision holds as many decisions as its buffer holds
  maps (so a slow stage never holds up the decisions of another);
- every stream into the exit merge holds a whole result (`map_words + 1` words).

Exit decisions get `limit = threshold_limit(threshold)` (`atheena_ir.csim.exp_table`).

Before (`-p 'lower-to-hws'`):
```mlir
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = ee.relu %x {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
```
After:
```mlir
hws.design @main attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 4>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
  %0 = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>) {
    %y = hws.relu %x depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    hws.yield %y : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  }
  hws.output %0 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
}
```
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from atheena_ir.dialects import ee, hws
from atheena_ir.dialects.ee.syntax import int_array, int_list
from atheena_ir.passes.hws_buffer_bounds import (
    WIRING,
    buffer_bounds,
    fold_factors,
)
from atheena_ir.passes.streams import insert_splits
from xdsl.context import Context
from xdsl.dialects import func
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
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.cost import CostModel
from atheena_ir.csim import layout
from atheena_ir.csim.exp_table import threshold_limit
from atheena_ir.csim.fixed_point import check_accumulator

UNSUPPORTED: dict[type[Operation], str] = {
    ee.BatchNormOp: "the unit library has no batch-norm unit; run canonicalize first to fold "
    "it into the preceding convolution",
    ee.AddOp: "the unit library has no element-wise add unit (residual connections) yet",
    ee.ConcatOp: "the unit library has no concat unit yet",
    ee.SoftmaxOp: "the unit library has no softmax unit; an exit's softmax belongs to its "
    "exit decision",
    ee.ExitOp: "exits must be cut into stages first: run split-exits{exit-probs=...}",
}


def _map(value: SSAValue) -> tuple[int, int, int]:
    """rows, cols, channels of an NCHW map or a [1, K] vector (1, 1, K)."""
    t = value.type
    assert isinstance(t, TensorType)
    shape = tuple(t.get_shape())
    if len(shape) == 4:
        return (shape[2], shape[3], shape[1])
    return (1, 1, math.prod(shape[1:]) if len(shape) > 1 else shape[0])


def _dense(values: np.ndarray) -> DenseIntOrFPElementsAttr:
    arr = np.ascontiguousarray(values, dtype="<f4")
    return DenseIntOrFPElementsAttr(TensorType(f32, arr.shape), BytesAttr(arr.tobytes()))


_DTYPES = {16: "<f2", 32: "<f4", 64: "<f8"}


def _hint(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if name and not name[0].isdigit() else f"v{name}"


@dataclass
class _Lowering:
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
        name = op.attributes.get("onnx_name")
        where = f" ({name.data})" if isinstance(name, StringAttr) else ""
        return PassFailedException(f"@{self.fn.sym_name.data}: '{op.name}'{where}: {what}")

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
        rows, cols, ch = _map(value)
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
        for cls, why in UNSUPPORTED.items():
            if isinstance(op, cls):
                raise self.fail(op, why)
        hint = self.name(op, op.name.split(".")[-1])
        match op:
            case ee.ConstantOp() | ee.FlattenOp():
                pass
            case ee.ReshapeOp():
                shape = tuple(op.output.type.get_shape())  # type: ignore[attr-defined]
                if len(shape) != 2 or shape[0] != 1:
                    raise self.fail(
                        op, f"only a flatten to [1, K] can be streamed, not a reshape to {shape}"
                    )
            case ee.Conv2dOp():
                self.conv(op, hint)
            case ee.LinearOp():
                self.linear(op, hint)
            case ee.MaxPool2dOp() | ee.AvgPool2dOp():
                self.pool(op, hint)
            case ee.GlobalAvgPoolOp():
                self.global_pool(op, hint)
            case ee.ReluOp():
                lanes = fold_factors(op)[0]
                x = self.stream(op.input, lanes, op, hint)
                self.streams[op.output] = self.unit(hws.ReluOp, [x], [x.type], f"{hint}_relu")
            case ee.HardswishOp():
                lanes = fold_factors(op)[0]
                x = self.stream(op.input, lanes, op, hint)
                self.streams[op.output] = self.unit(
                    hws.HardswishOp, [x], [x.type], f"{hint}_hardswish"
                )
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
        ci, co, cg, fine = fold_factors(op)
        if op.groups.value.data != 1 or cg != 1:
            raise self.fail(
                op, "grouped convolutions (groups > 1) are not supported by the unit library's "
                "conv yet",
            )  # fmt: skip
        if int_list(op.dilations) != (1, 1):
            raise self.fail(op, "dilated convolutions are not supported by the unit library yet")
        kh, kw = op.kernel
        if fine not in (1, kw, kh * kw):
            raise self.fail(
                op, f"fine = {fine} needs {fine} multipliers along a kernel row, but the conv unit "
                f"takes 1, KW = {kw} or KH*KW = {kh * kw}",
            )  # fmt: skip
        rows, cols, ch = _map(op.input)
        filters = _map(op.output)[2]
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
        if kh * kw > hws.window.POOL_MAX_WINDOW:
            raise self.fail(
                op, f"a {kh}x{kw} window is larger than the pool unit's "
                f"{hws.window.POOL_MAX_WINDOW} values",
            )  # fmt: skip
        x = self.stream(x_value, lanes, op, hint)
        win = self.unit(
            hws.SlidingWindowOp,
            [x],
            [hws.WindowType.get(hws.base.element(x), lanes, (kh, kw))],
            f"{hint}_sw",
            map=int_array(list(_map(x_value))),
            strides=int_array(list(strides)),
            pads=int_array(list(pads)),
        )
        return self.unit(hws.PoolOp, [win], [x.type], f"{hint}_pool", mode=StringAttr(mode))

    def pool(self, op: ee.MaxPool2dOp | ee.AvgPool2dOp, hint: str) -> None:
        pads = int_list(op.pads)
        mode = "max"
        if isinstance(op, ee.AvgPool2dOp):
            mode = "avg"
            if any(pads) and op.count_include_pad is None:
                raise self.fail(
                    op, "the pool unit counts padded positions as zeros (count_include_pad = 1); "
                    "an average pool with padding that excludes them is not supported",
                )  # fmt: skip
        y = self.window_pool(
            op, op.input, int_list(op.kernel), int_list(op.strides), pads, mode, hint
        )
        self.streams[op.output] = y

    def global_pool(self, op: ee.GlobalAvgPoolOp, hint: str) -> None:
        rows, cols, _ = _map(op.input)
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
        if op.criterion.data != "top1":
            raise self.fail(
                op, f"the exit-decision unit computes top1 only, not '{op.criterion.data}'"
            )
        classes = _map(op.logits)[2]
        have = hws.base.lanes(self.streams[_through(op.logits)])
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
        x = self.streams[_through(op.input)]
        x = self.stream(op.input, hws.base.lanes(x), op, hint)
        if op.decision not in self.ctrl:
            raise self.fail(op, "its decision must come from an ee.exit_decision in the same stage")
        rows, cols, ch = _map(op.input)
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
        if list(op.exit_index.uses):
            raise self.fail(
                op, "its exit index travels in the result words of the output stream; "
                "return only the merged result",
            )  # fmt: skip
        lanes = hws.base.lanes(self.streams[_through(op.inputs[0])])
        xs = [self.stream(v, lanes, op, f"{hint}_{i}") for i, v in enumerate(op.inputs)]
        rows, cols, ch = _map(op.output)
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


def _through(value: SSAValue) -> SSAValue:
    while isinstance(value.owner, WIRING):
        value = value.owner.input
    return value


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


@dataclass(frozen=True)
class LowerToHwsPass(ModulePass):
    """Lower folded ee (after split-exits) to one hws design per function, FIFOs sized."""

    name = "lower-to-hws"

    data_width: int = 16
    """Total bits of activations (ap_fixed, RND_CONV, SAT)."""
    data_int: int = 8
    """Integer bits of activations."""
    weight_width: int = 16
    """Total bits of weights and biases."""
    weight_int: int = 8
    """Integer bits of weights and biases."""
    acc_width: int = 32
    """Total bits of accumulators (ap_fixed, TRN, WRAP)."""
    acc_int: int = 16
    """Integer bits of accumulators."""
    fifo_depth: int = 2
    """Depth of every plain FIFO, in words."""
    buffer_slack: int = 1
    """Maps every conditional buffer holds beyond the derived bound."""

    def types(self) -> tuple[hws.FixedType, hws.FixedType, hws.FixedType]:
        data = hws.FixedType.get(self.data_width, self.data_int, "rnd_conv", "sat")
        weight = hws.FixedType.get(self.weight_width, self.weight_int, "rnd_conv", "sat")
        acc = hws.FixedType.get(self.acc_width, self.acc_int)
        for what, t in (("data", data), ("weight", weight), ("acc", acc)):
            if not 2 <= t.width.data <= 62:
                raise PassFailedException(
                    f"lower-to-hws: {what}-width = {t.width.data} is out of range (2 to 62 bits)"
                )
        product = data.frac + weight.frac
        if acc.frac < product:
            raise PassFailedException(
                f"lower-to-hws: the accumulator ap_fixed<{acc.width.data}, {acc.int_bits.data}> "
                f"has {acc.frac} fractional bits but a product of data and weight has {product}; "
                "give acc-width - acc-int >= their sum so every product accumulates exactly"
            )
        check_accumulator(acc.to_numpy(), product)
        if self.fifo_depth < 1 or self.buffer_slack < 0:
            raise PassFailedException(
                "lower-to-hws: fifo-depth must be >= 1 and buffer-slack >= 0, got "
                f"{self.fifo_depth} and {self.buffer_slack}"
            )
        return data, weight, acc

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        data, weight, acc = self.types()
        for fn in [f for f in op.ops if isinstance(f, func.FuncOp) and not f.is_declaration]:
            design = _lower_function(fn, data, weight, acc, self.fifo_depth, self.buffer_slack)
            op.body.block.insert_op_before(design, fn)
            fn.detach()
            fn.erase()


def _lower_function(
    fn: func.FuncOp,
    data: hws.FixedType,
    weight: hws.FixedType,
    acc: hws.FixedType,
    fifo: int,
    slack: int,
) -> hws.DesignOp:
    body = fn.body.block
    for op in body.walk():
        if isinstance(op, ee.ExitOp):
            raise PassFailedException(
                f"@{fn.sym_name.data}: 'ee.exit' left: cut the network into stages first "
                "(-p 'split-exits{exit-probs=...}')"
            )
    stage_ops = [o for o in body.ops if isinstance(o, ee.StageOp)]
    for block in [body, *(s.body.block for s in stage_ops)]:
        insert_splits(block)
    state = _Lowering(fn, data, weight, acc, fifo, slack)
    for block in (s.body.block for s in stage_ops) if stage_ops else [body]:
        for buf, bound in buffer_bounds(block, state.model).items():
            state.maps_of[buf] = bound.maps(slack)

    # Input ports: the lanes their consumer wants.
    design_block = Block()
    for arg in body.args:
        if not isinstance(arg.type, TensorType):
            raise PassFailedException(
                f"@{fn.sym_name.data}: argument {arg.index} is {arg.type}, not a tensor"
            )
        port = design_block.insert_arg(hws.StreamType.get(data, _demanded_lanes(arg)), arg.index)
        port.name_hint = arg.name_hint or f"in{arg.index}"
        state.streams[arg] = port
    state.block = design_block

    ret = body.last_op
    assert isinstance(ret, func.ReturnOp)
    if stage_ops:
        for stage in stage_ops:
            inner = Block()
            outer, state.block = state.block, inner
            term = stage.body.block.last_op
            assert isinstance(term, ee.YieldOp)
            state.lower_block(o for o in stage.body.block.ops if o is not term)
            yielded = [state.streams[_through(v)] for v in term.values]
            inner.add_op(hws.YieldOp(*yielded))
            state.block = outer
            hstage = hws.StageOp(
                stage.index.value.data,
                float(stage.reach.value.data),
                [v.type for v in yielded],
                inner,
            )
            design_block.add_op(hstage)
            for ee_out, out in zip(stage.outputs, hstage.outputs, strict=True):
                state.streams[ee_out] = out
        others = [o for o in body.ops if not isinstance(o, ee.StageOp) and o is not ret]
        state.lower_block(others)
        outputs = [state.streams[_through(v)] for v in ret.arguments]
    else:
        inner = Block()
        state.block = inner
        state.lower_block(o for o in body.ops if o is not ret)
        yielded = [state.streams[_through(v)] for v in ret.arguments]
        inner.add_op(hws.YieldOp(*yielded))
        hstage = hws.StageOp(0, 1.0, [v.type for v in yielded], inner)
        design_block.add_op(hstage)
        outputs = list(hstage.outputs)
    design_block.add_op(hws.OutputOp(*outputs))
    maps = [_map(a) for a in body.args] + [_map(v) for v in ret.arguments]
    return hws.DesignOp(fn.sym_name.data, design_block, maps)


def _demanded_lanes(value: SSAValue) -> int:
    """The lanes the (single) consumer of an input port wants (1 when it takes any)."""
    for use in value.uses:
        user = use.operation
        if isinstance(user, WIRING):
            return _demanded_lanes(user.results[0])
        if isinstance(
            user,
            ee.Conv2dOp
            | ee.LinearOp
            | ee.ReluOp
            | ee.HardswishOp
            | ee.MaxPool2dOp
            | ee.AvgPool2dOp,
        ):
            return fold_factors(user)[0]
        if isinstance(user, ee.GlobalAvgPoolOp | ee.SplitOp):
            return fold_factors(user)[0]
    return 1
