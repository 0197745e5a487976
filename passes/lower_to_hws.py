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
| `ee.relu`, `ee.hardswish` (every activation) | the unit of the same name (coarse) |
| `ee.add` of two streams | `fifo` on each path whose partner trails it -> `add` (coarse) |
| `ee.concat` (channels) | `fifo` on each branch whose partners trail it -> N - 1 `concat` |
| `ee.split` (tensor) | `split` (its folding's coarse, else the producer's lanes) |
| `ee.exit_decision` + its `i1` splits | `exit_decision` with one control stream per buffer |
| `ee.cond_buffer`, `ee.exit_merge` | `cond_buffer`, `exit_merge` (the producer's lanes) |
| `ee.flatten`, `ee.reshape` to `[1, K]`, `ee.constant` | nothing: wiring and weights |

The conditions each op must meet are the rules of hws_legality.py (listed per op in
docs/dialects/ee.md); `check-hws` reports every broken one without lowering.
A `squeeze` is inserted wherever a consumer needs other lanes than its producer gives.
Weights and biases go into the units' layouts (`atheena_ir.numerics.layout`), a Gemm after a
flatten with its columns in stream order. Types: data and weights
`ap_fixed<data-width, data-int, RND_CONV, SAT>` (weights `weight-width`, `weight-int`),
accumulators `ap_fixed<acc-width, acc-int>` (TRN, WRAP); defaults 16/8, 16/8, 32/16.

FIFO depths (docs/hws.md explains why they cannot deadlock); `II(op)` and `D(op)` are the
cost model's interval and pipeline depth of an ee op (`CostModel().layer(spec, fold)`):

- every data stream: `fifo-depth` words (default 32). The units of one layer consume their
  inputs in lock step, but neighbouring layers do not: a sliding window reads nothing while it
  emits the windows of a padding row and emits nothing while it fills its first lines, so with
  2-word FIFOs every such burst stalls the whole chain (the timed C simulation of B-LeNet at 0.5
  of a ZC706 ran 22 % below the cost model's throughput; at 32 words, within 5 %). A FIFO of up
  to 32 words is one SRL32 shift register per bit in Xilinx fabric, the same LUTs as 2 words;
- a conditional buffer holds `maps = ceil(T / A) + 1 + buffer-slack` whole maps, where
  `A` (arrival interval) is the largest interval on the path into the split feeding the
  buffer (maps cannot arrive faster than its slowest layer passes them),
  `D_b` / `II_b` are the summed pipeline depth / largest interval of the exit branch
  from that split to the exit decision, and `T = max(A, II_b) + D_b` is the longest a
  decision can stay pending after its map starts to arrive;
- each control stream from an exit decision holds as many decisions as its buffer holds
  maps (so a slow stage never holds up the decisions of another);
- every stream into the exit merge holds a whole result (`map_words + 1` words);
- a residual connection's or concat's `fifo` holds the largest lag of the other paths into
  its join: per op on
  that path `KH - PT` rows of its map (the whole map for a global pool or linear) plus 16
  pixels in flight, scaled to the rows of the split both paths leave (the depths come from
  `atheena_ir.cost.buffer_depths`, which the cost model uses too).

Exit decisions get `limit = threshold_limit(threshold)` (`atheena_ir.numerics.exp_table`).

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
    %relu_relu = hws.relu %x depth 32 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    hws.yield %relu_relu : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
  }
  hws.output %0 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
}
```
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ModuleOp,
    TensorType,
)
from xdsl.ir import Block
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.cost.buffer_depths import BUFFER_SLACK, FIFO_DEPTH
from atheena_ir.dialects import ee, hws
from atheena_ir.numerics.fixed_point import check_accumulator
from atheena_ir.passes.hws_buffer_bounds import buffer_bounds
from atheena_ir.passes.hws_legality import port_lanes
from atheena_ir.passes.hws_unit_chains import UnitChains
from atheena_ir.passes.hws_values import map_shape, through_wiring
from atheena_ir.passes.streams import insert_splits


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
    fifo_depth: int = FIFO_DEPTH
    """Depth of every plain FIFO, in words (32: one SRL32 per bit, as cheap as 2)."""
    buffer_slack: int = BUFFER_SLACK
    """Maps every conditional buffer holds beyond the derived bound."""

    def types(self) -> tuple[hws.FixedType, hws.FixedType, hws.FixedType]:
        for what, width, bits in (("data", self.data_width, self.data_int),
                                  ("weight", self.weight_width, self.weight_int),
                                  ("acc", self.acc_width, self.acc_int)):  # fmt: skip
            if not 2 <= width <= 62:
                raise PassFailedException(
                    f"lower-to-hws: {what}-width = {width} is out of range (2 to 62 bits)"
                )
            if not 0 <= bits <= width:
                raise PassFailedException(
                    f"lower-to-hws: {what}-int = {bits} must be between 0 and "
                    f"{what}-width = {width} (the integer bits are part of the width)"
                )
        data = hws.FixedType.get(self.data_width, self.data_int, "rnd_conv", "sat")
        weight = hws.FixedType.get(self.weight_width, self.weight_int, "rnd_conv", "sat")
        acc = hws.FixedType.get(self.acc_width, self.acc_int)
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
    state = UnitChains(fn, data, weight, acc, fifo, slack)
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
        port = design_block.insert_arg(hws.StreamType.get(data, port_lanes(arg)), arg.index)
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
            yielded = [state.streams[through_wiring(v)] for v in term.values]
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
        outputs = [state.streams[through_wiring(v)] for v in ret.arguments]
    else:
        inner = Block()
        state.block = inner
        state.lower_block(o for o in body.ops if o is not ret)
        yielded = [state.streams[through_wiring(v)] for v in ret.arguments]
        inner.add_op(hws.YieldOp(*yielded))
        hstage = hws.StageOp(0, 1.0, [v.type for v in yielded], inner)
        design_block.add_op(hstage)
        outputs = list(hstage.outputs)
    design_block.add_op(hws.OutputOp(*outputs))
    maps = [map_shape(a) for a in body.args] + [map_shape(v) for v in ret.arguments]
    return hws.DesignOp(fn.sym_name.data, design_block, maps)
