"""
What `lower-to-hws` builds for a folded `ee` function, costed without lowering it: every layer
at the lanes its units really get, every conditional buffer with the maps
`buffer_depths.cond_buffer_maps` gives it, and the units no `ee` op stands for (a `squeeze`
wherever a consumer needs other lanes than its producer gives, a join's `fifo` sized by
`buffer_depths.join_fifo_words`). The search (`atheena_ir.dse`) and the reports use it; a test
lowers every example design and checks that the units and their parameters are the same.

`BuiltStructure` holds only names and numbers (it pickles to the DSE's worker processes); the
lane rules mirror `passes/hws_unit_chains.py`:

| layer | lanes in | lanes out |
|---|---|---|
| conv, linear | coarse_in | coarse_out |
| pools, activations, add, concat | coarse | coarse |
| split (tensor) | its coarse when folded, else its producer's | the same |
| cond_buffer | its producer's (no squeeze) | the same |
| exit_decision | its producer's if they divide the classes, else 1 | control |
| exit_merge | its first input's | the same |
| an input port | what its consumer takes | |

```python
structure = BuiltStructure.from_design(design_layers(module))
built = structure.build(foldings, CostModel())        # foldings: layer name -> Folding
built.resources(CostModel()), [u.role for u in built.units(CostModel())]
```
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from graphlib import TopologicalSorter

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from atheena_ir.cost.buffer_depths import (
    BUFFER_SLACK,
    FIFO_DEPTH,
    buffer_paths,
    cond_buffer_maps,
    join_fifo_words,
    join_lags,
)
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.from_ir import DesignLayers
from atheena_ir.cost.layer_kind import LayerKind
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.model import CostModel
from atheena_ir.cost.resources import Resources
from atheena_ir.dialects import ee

Map = tuple[int, int, int]
"""rows, cols, channels."""


@dataclass(frozen=True)
class StreamIn:
    """One data input of a layer: its producer (a layer name, or None for an input port), the
    map it carries and, when the value has several consumers in the layer's block (lower-to-hws
    then gives it an `ee.split`), their number and a key naming the value."""

    producer: str | None
    values: Map
    fanout: int = 1
    key: int = 0


@dataclass(frozen=True)
class BufferSizing:
    """The layers that size one conditional buffer (`buffer_depths.BufferPaths`, by name; None
    names wiring, which costs nothing)."""

    into: tuple[str | None, ...]
    branch: tuple[tuple[str | None, tuple[int, ...]], ...]


@dataclass(frozen=True)
class JoinFifo:
    """A join input that waits for its partners: its index, the partners' lag (rows of the
    fork's map), the fork's rows and the input's map."""

    index: int
    lag: float
    fork_rows: int
    values: Map


@dataclass(frozen=True)
class BuiltUnit:
    """One unit as built: its role (the hws op's name without `hws.`), the layer it belongs to
    (a squeeze or FIFO: the layer it feeds), its stage, lanes, depth and resources."""

    role: str
    layer: str
    stage: int
    lanes_in: int
    lanes_out: int
    depth: int
    """Maps of a conditional buffer, words of a FIFO's output, else 0."""
    resources: Resources


@dataclass
class BuiltDesign:
    """Every layer at its built spec and folding, plus the units no layer stands for."""

    layers: dict[str, tuple[LayerSpec, Folding]]
    stages: dict[str, int]
    lanes: dict[str, tuple[int, int]]
    """Per layer: lanes in and out as built."""
    extras: list[tuple[str, LayerSpec, Folding]] = field(default_factory=list)
    """(layer fed, spec, folding) of every squeeze and FIFO."""

    def resources(self, model: CostModel) -> Resources:
        """The whole design's resources."""
        total = Resources()
        for spec, fold in [*self.layers.values(), *((s, f) for _, s, f in self.extras)]:
            total = total + model.layer(spec, fold, check=False).resources
        return total

    def layer_resources(self, model: CostModel) -> dict[str, Resources]:
        """Per layer: its own units plus the squeezes and FIFOs that feed it."""
        out = {n: model.layer(s, f, check=False).resources for n, (s, f) in self.layers.items()}
        for name, spec, fold in self.extras:
            out[name] = out[name] + model.layer(spec, fold, check=False).resources
        return out

    def units(self, model: CostModel) -> list[BuiltUnit]:
        """Every unit lower-to-hws builds, with its resources (the project fidelity's units)."""
        out: list[BuiltUnit] = []
        for name, spec, fold in self.extras:
            for role, count, res in model.units(spec, fold):
                depth = spec.maps if spec.kind is LayerKind.FIFO else 0
                out += [BuiltUnit(role, name, self.stages[name], fold.coarse_in,
                                  fold.coarse_out, depth, res)] * count  # fmt: skip
        for name, (spec, fold) in self.layers.items():
            lanes_in, lanes_out = self.lanes[name]
            for role, count, res in model.units(spec, fold):
                depth = spec.maps if spec.kind is LayerKind.COND_BUFFER else 0
                li, lo = _unit_lanes(spec.kind, role, fold, lanes_in, lanes_out)
                out += [BuiltUnit(role, name, self.stages[name], li, lo, depth, res)] * count
        return out


def _unit_lanes(kind: LayerKind, role: str, fold: Folding, li: int, lo: int) -> tuple[int, int]:
    """The lanes of a unit's (first) input and output stream."""
    if kind is LayerKind.CONV:
        return {"bias": (lo, lo), "glue": (li, lo)}.get(role, (li, li))
    if kind is LayerKind.LINEAR:
        return (lo, lo) if role == "bias" else (li, lo)
    return li, lo


@dataclass
class BuiltStructure:
    """The facts about a function that decide what is built, by layer name (no IR)."""

    specs: dict[str, LayerSpec]
    kinds: dict[str, str]
    """The ee op name without `ee.` (`conv2d`, `split`, ...)."""
    stages: dict[str, int]
    order: list[str]
    """Layers in an order where producers come first."""
    inputs: dict[str, list[StreamIn]]
    buffers: dict[str, BufferSizing | None]
    joins: dict[str, list[JoinFifo]]
    slack: int = BUFFER_SLACK
    fifo: int = FIFO_DEPTH

    @classmethod
    def from_design(cls, design: DesignLayers) -> BuiltStructure:
        """Read the structure of the hardware layers of `design` (see `design_layers`)."""
        names = {layer.op: layer.name for s in design.stages for layer in s.layers}
        keys: dict[SSAValue, int] = {}
        specs, kinds, stages, order = {}, {}, {}, []
        inputs: dict[str, list[StreamIn]] = {}
        buffers: dict[str, BufferSizing | None] = {}
        joins: dict[str, list[JoinFifo]] = {}
        for stage in design.stages:
            for layer in stage.layers:
                op, name = layer.op, layer.name
                specs[name], kinds[name] = layer.spec, op.name.removeprefix("ee.")
                stages[name] = stage.index
                order.append(name)
                inputs[name] = [
                    StreamIn(names.get(_producer(v)), _map(v), *_fanout(v, op, keys))
                    for v in _data_inputs(op)
                ]
                if isinstance(op, ee.AddOp | ee.ConcatOp):
                    values = list(_data_inputs(op))
                    fork, partners = join_lags(values)
                    if fork is not None:
                        rows = _map(next(iter(_data_inputs(fork)), values[0]))[0]
                        joins[name] = [
                            JoinFifo(i, lag, rows, _map(v))
                            for i, (v, lag) in enumerate(zip(values, partners, strict=True))
                            if lag > 0
                        ]
        for op in names:
            parent = op.parent_block()
            if isinstance(op, ee.CondBufferOp) and parent is not None:
                for buf, paths in buffer_paths(parent).items():
                    if buf is op:
                        buffers[names[op]] = (
                            None
                            if paths is None
                            else BufferSizing(
                                tuple(names.get(o) for o in paths.into),
                                tuple((names.get(o), preds) for o, preds in paths.branch),
                            )
                        )
        graph = {n: [s.producer for s in inputs[n] if s.producer is not None] for n in order}
        order = list(TopologicalSorter(graph).static_order())
        return cls(specs, kinds, stages, order, inputs, buffers, joins)

    def build(
        self,
        foldings: Mapping[str, Folding],
        model: CostModel,
        costs: Mapping[str, tuple[float, float]] | None = None,
    ) -> BuiltDesign:
        """What is built for `foldings` (every layer's; missing ones are unfolded). `costs`
        (interval, depth per layer at its folding) are computed with `model` when not given."""
        fold = {n: foldings.get(n, Folding()) for n in self.order}
        if costs is None:
            costs = {}
            for n in self.order:
                c = model.layer(self.specs[n], fold[n], check=False)
                costs[n] = (c.interval, c.depth)
        lanes: dict[str, tuple[int, int]] = {}
        built = BuiltDesign({}, dict(self.stages), lanes)
        split_done: set[int] = set()
        for name in self.order:
            spec, f, kind = self.specs[name], fold[name], self.kinds[name]
            ins = self.inputs[name]
            have = [self._have(s, lanes) for s in ins]
            for stream, h in zip(ins, have, strict=True):
                if stream.fanout > 1 and stream.key not in split_done:
                    # lower-to-hws's insert_splits: a split at the producer's lanes
                    split_done.add(stream.key)
                    rows, cols, ch = stream.values
                    sp_ = LayerSpec.elementwise(
                        LayerKind.SPLIT, rows, cols, ch, ports=stream.fanout
                    )
                    built.extras.append((name, sp_, Folding.uniform(h)))
            need, out = self._lanes(kind, spec, f, have)
            lanes[name] = (need[0] if need else 1, out)
            for stream, h, n in zip(ins, have, need, strict=True):
                if h != n:
                    rows, cols, ch = stream.values
                    sq = LayerSpec.elementwise(LayerKind.SQUEEZE, rows, cols, ch)
                    built.extras.append((name, sq, Folding(coarse_in=h, coarse_out=n)))
            for j in self.joins.get(name, []):
                words = join_fifo_words(j.lag, j.fork_rows, j.values, f.coarse_in, self.fifo)
                rows, cols, ch = j.values
                fifo = LayerSpec(LayerKind.FIFO, rows, cols, ch, maps=words)
                built.extras.append((name, fifo, Folding.uniform(f.coarse_in)))
            built.layers[name] = self._built_layer(name, kind, spec, f, need, out, costs)
        return built

    # --- lane rules (passes/hws_unit_chains.py) ----------------------------------------------
    def _have(self, stream: StreamIn, lanes: dict[str, tuple[int, int]]) -> int:
        """Lanes of the stream as its producer gives it; -1 for an input port, which gives
        what its consumer takes (1 when that is an inserted split)."""
        if stream.producer is None:
            return 1 if stream.fanout > 1 else -1
        return lanes[stream.producer][1]

    def _lanes(
        self, kind: str, spec: LayerSpec, f: Folding, have: list[int]
    ) -> tuple[list[int], int]:
        """Lanes each data input needs and the lanes of the output."""
        first = have[0] if have else 1
        if kind in ("conv2d", "linear"):
            need = [f.coarse_in] * len(have)
            out = f.coarse_out
        elif kind == "split":
            own = f.coarse_in if f != Folding() or first < 0 else first
            need, out = [own] * len(have), own
        elif kind == "cond_buffer":
            need, out = [first] * len(have), first
        elif kind == "exit_decision":
            lanes = first if first > 0 and spec.channels % first == 0 else 1
            need, out = [lanes] * len(have), 0  # control streams have no lanes
        elif kind == "exit_merge":
            need, out = [first] * len(have), first
        else:
            need = [f.coarse_in] * len(have)
            out = f.coarse_in
        for i, h in enumerate(have):
            if h < 0:
                have[i] = need[i]
        return need, out

    def _built_layer(
        self,
        name: str,
        kind: str,
        spec: LayerSpec,
        f: Folding,
        need: list[int],
        out: int,
        costs: Mapping[str, tuple[float, float]],
    ) -> tuple[LayerSpec, Folding]:
        lanes = need[0] if need else 1
        if kind == "split":
            return spec, Folding.uniform(lanes)
        if kind == "cond_buffer":
            sizing = self.buffers.get(name)
            if sizing is None:
                maps = cond_buffer_maps(1.0, 0.0, 0.0, self.slack)
            else:

                def cost(n: str | None) -> tuple[float, float]:
                    return costs[n] if n is not None else (0.0, 0.0)

                arrival = max((cost(n)[0] for n in sizing.into), default=1.0)
                longest: list[float] = []
                for n, preds in sizing.branch:
                    longest.append(cost(n)[1] + max((longest[p] for p in preds), default=0.0))
                branch_ii = max((cost(n)[0] for n, _ in sizing.branch), default=0.0)
                depth = longest[-1] if longest else 0.0
                maps = cond_buffer_maps(arrival, branch_ii, depth, self.slack)
            return replace(spec, maps=maps), Folding.uniform(lanes)
        if kind == "exit_decision":
            return spec, Folding(coarse_in=lanes, coarse_out=f.coarse_out)
        if kind == "exit_merge":
            return spec, Folding(coarse_in=lanes, coarse_out=lanes)
        return spec, f


def _map(value: SSAValue) -> Map:
    """rows, cols, channels of the map `value` carries (before any flatten)."""
    while isinstance(value.owner, ee.FlattenOp | ee.ReshapeOp):
        value = value.owner.input
    t = value.type
    assert isinstance(t, TensorType)
    shape = tuple(t.get_shape())
    if len(shape) == 4:
        return (shape[2], shape[3], shape[1])
    return (1, 1, math.prod(shape[1:]) if len(shape) > 1 else shape[0])


def _data_inputs(op: Operation):
    """The operands of `op` that are streams: tensors not computed from constants."""
    for v in op.operands:
        if not isinstance(v.type, TensorType):
            continue
        src = v
        while isinstance(src.owner, ee.FlattenOp | ee.ReshapeOp):
            src = src.owner.input
        if not isinstance(src.owner, ee.ConstantOp):
            yield v


def _fanout(value: SSAValue, user: Operation, keys: dict[SSAValue, int]) -> tuple[int, int]:
    """How many ops of `user`'s block use `value` (lower-to-hws splits it when > 1), and a key
    naming the value."""
    block = user.parent_block()
    uses = sum(1 for u in value.uses if u.operation.parent_block() is block)
    key = keys.setdefault(value, len(keys))
    return uses, key


def _producer(value: SSAValue) -> Operation | None:
    """The op computing `value`, through wiring and stage results; None for a port."""
    while True:
        owner = value.owner
        if isinstance(owner, ee.FlattenOp | ee.ReshapeOp):
            value = owner.input
        elif isinstance(owner, ee.StageOp):
            term = owner.body.block.last_op
            assert isinstance(term, ee.YieldOp)
            value = term.values[value.index]  # type: ignore[attr-defined]
        elif isinstance(owner, Operation):
            return owner
        else:
            return None
