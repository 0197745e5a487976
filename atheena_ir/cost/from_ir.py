"""
Read the hardware layers of an `ee` function: each op becomes a `LayerSpec` with its
folding, each `ee.stage` a stage, and def-use edges the stage's layer graph.

```python
design = design_layers(module)          # after split-exits (or a network without exits)
for stage in design.stages:
    print(stage.index, stage.reach, [layer.name for layer in stage.layers])
```

Ops that are only wiring (`ee.flatten`, `ee.reshape`, `ee.constant`, `ee.yield`) cost
nothing and are looked through when drawing edges. The `i1` splits that fan a decision
out to its buffers are part of the exit-decision unit (its `consumers`). Ops outside
any stage (the exit merge) run at the full input rate and are counted in stage 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Operation, SSAValue

from atheena_ir.cost.buffer_depths import min_cond_buffer_maps
from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.layer_kind import LayerKind
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.stage import StageLayer
from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.syntax import int_list
from atheena_ir.errors import UserError

WIRING = (ee.FlattenOp, ee.ReshapeOp, ee.ConstantOp, ee.YieldOp, ee.StageOp)
NAME_ATTR = "onnx_name"


@dataclass
class HardwareLayer:
    """One hardware layer: its op, a unique name, its shape description and folding."""

    op: Operation
    name: str
    spec: LayerSpec
    fold: Folding

    def stage_layer(self) -> StageLayer:
        return StageLayer(self.name, self.spec, self.fold)


@dataclass
class DesignStage:
    """The layers of one stage and the probability that a sample reaches it."""

    index: int
    reach: float
    layers: list[HardwareLayer] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DesignLayers:
    """Every stage of a function, in order."""

    function: str
    stages: list[DesignStage]

    def layer(self, name: str) -> HardwareLayer:
        return next(layer for s in self.stages for layer in s.layers if layer.name == name)


def _map(value: SSAValue) -> tuple[int, int, int]:
    """rows, cols, channels of an NCHW map or a [N, K] vector (1, 1, K)."""
    t = value.type
    assert isinstance(t, TensorType)
    shape = tuple(t.get_shape())
    if len(shape) == 4:
        return shape[2], shape[3], shape[1]
    return 1, 1, math.prod(shape[1:]) if len(shape) > 1 else shape[0]


def _through_wiring(value: SSAValue) -> SSAValue:
    """The value before any flatten/reshape, where the map's shape is still visible."""
    while isinstance(value.owner, ee.FlattenOp | ee.ReshapeOp):
        value = value.owner.input
    return value


def _folding(op: Operation) -> Folding:
    fold = op.properties.get("folding")
    if isinstance(fold, ee.FoldAttr):
        return Folding(**fold.factors())
    return Folding()


def _consumers(decision: SSAValue) -> int:
    """How many buffers a decision drives (through its i1 splits)."""
    count = 0
    for use in decision.uses:
        user = use.operation
        count += sum(_consumers(r) for r in user.results) if isinstance(user, ee.SplitOp) else 1
    return count


def activation_kind(op: ee.ActivationOp) -> LayerKind:
    """The layer kind of an activation: the `LayerKind` with the op's unit name."""
    try:
        return LayerKind(op.unit_name())
    except ValueError:
        raise CostModelError(
            f"'{op.name}': the cost model has no layer kind '{op.unit_name()}'; add it to "
            "LayerKind and BUILDERS in atheena_ir/cost/layer_kind.py"
        ) from None


def layer_spec(op: Operation) -> LayerSpec | None:
    """The cost model's description of `op`, or None for wiring and non-hardware ops."""
    match op:
        case ee.Conv2dOp():
            rows, cols, channels = _map(op.input)
            return LayerSpec.conv(
                rows, cols, channels, _map(op.output)[2], op.kernel, int_list(op.strides),
                int_list(op.pads), op.groups.value.data, op.bias is not None,
            )  # fmt: skip
        case ee.LinearOp():
            rows, cols, channels = _map(_through_wiring(op.input))
            filters = op.output.type.get_shape()[1]  # type: ignore[attr-defined]
            return LayerSpec.linear(rows, cols, channels, filters, op.bias is not None)
        case ee.MaxPool2dOp() | ee.AvgPool2dOp():
            rows, cols, channels = _map(op.input)
            return LayerSpec.pool(
                rows, cols, channels, int_list(op.kernel), int_list(op.strides),
                int_list(op.pads), average=isinstance(op, ee.AvgPool2dOp),
            )  # fmt: skip
        case ee.GlobalAvgPoolOp():
            return LayerSpec.elementwise(LayerKind.GLOBAL_AVGPOOL, *_map(op.input))
        case ee.ActivationOp():
            return LayerSpec.elementwise(activation_kind(op), *_map(op.input))
        case ee.BatchNormOp():
            return LayerSpec.elementwise(LayerKind.BATCHNORM, *_map(op.input))
        case ee.AddOp():
            return LayerSpec.elementwise(LayerKind.ADD, *_map(op.lhs))
        case ee.ConcatOp():
            rows, cols, _ = _map(op.inputs[0])
            return LayerSpec.concat(rows, cols, [_map(v)[2] for v in op.inputs])
        case ee.SplitOp() if isinstance(op.input.type, TensorType):
            return LayerSpec.elementwise(LayerKind.SPLIT, *_map(op.input), ports=len(op.outputs))
        case ee.ExitDecisionOp():
            return LayerSpec.exit_decision(_map(op.logits)[2], max(_consumers(op.decision), 1))
        case ee.CondBufferOp():
            # The fewest maps any buffer gets; what it is built with depends on its neighbours'
            # foldings (atheena_ir.cost.as_built).
            return LayerSpec.elementwise(
                LayerKind.COND_BUFFER, *_map(op.input), maps=min_cond_buffer_maps()
            )
        case ee.ExitMergeOp():
            return LayerSpec.exit_merge(*_map(op.output), exits=len(op.inputs))
        case _:
            return None


def design_layers(module: ModuleOp, function: str = "main") -> DesignLayers:
    """The hardware layers of `@function`, by stage. A network without stages is one stage."""
    funcs = [op for op in module.walk() if isinstance(op, func.FuncOp)]
    target = next((f for f in funcs if f.sym_name.data == function), None)
    if target is None and len(funcs) == 1:
        target = funcs[0]
    if target is None:
        raise UserError(f"no function @{function} to cost")
    if any(isinstance(op, ee.ExitOp) for op in target.walk()):
        raise UserError(
            f"@{target.sym_name.data} still has ee.exit ops: cut it into stages first "
            "(-p 'split-exits{exit-probs=...}')"
        )
    stage_ops = [op for op in target.body.block.ops if isinstance(op, ee.StageOp)]
    stages = [DesignStage(s.index.value.data, float(s.reach.value.data)) for s in stage_ops]
    if not stages:
        stages = [DesignStage(0, 1.0)]
    owner: dict[Operation, DesignStage] = {}
    names: set[str] = set()
    for op in target.walk():
        if op is target or isinstance(op, WIRING) or (spec := layer_spec(op)) is None:
            continue
        parent = op.parent_op()
        stage = stages[stage_ops.index(parent)] if isinstance(parent, ee.StageOp) else stages[0]
        name = _unique_name(op, spec, names)
        stage.layers.append(HardwareLayer(op, name, spec, _folding(op)))
        owner[op] = stage
    by_op = {layer.op: layer for s in stages for layer in s.layers}
    for layer in by_op.values():
        for operand in layer.op.operands:
            src = _producer(operand)
            if src in by_op and owner[src] is owner[layer.op]:
                owner[layer.op].edges.append((by_op[src].name, layer.name))
    return DesignLayers(target.sym_name.data, stages)


def _producer(value: SSAValue) -> Operation | None:
    """The hardware op producing `value`, looking through wiring and i1 splits."""
    while True:
        op = value.owner
        if isinstance(op, ee.FlattenOp | ee.ReshapeOp):
            value = op.input
        elif isinstance(op, ee.SplitOp) and not isinstance(op.input.type, TensorType):
            value = op.input
        elif isinstance(op, Operation):
            return op
        else:
            return None


def _unique_name(op: Operation, spec: LayerSpec, taken: set[str]) -> str:
    attr = op.attributes.get(NAME_ATTR)
    base = attr.data if attr is not None and hasattr(attr, "data") else spec.kind.value
    name, i = base, 0
    while name in taken or (attr is None and i == 0):
        name = f"{base}{i}"
        i += 1
        if name not in taken:
            break
    taken.add(name)
    return name


def set_folding(op: Operation, fold: Folding) -> None:
    """Write `fold` on `op` as its `#ee.fold` property (the verifier checks legality)."""
    op.properties["folding"] = ee.FoldAttr.get(
        fold.coarse_in, fold.coarse_out, fold.coarse_group, fold.fine
    )
