"""
The rules `lower-to-hws` enforces, checkable without lowering: which `ee` ops the HLS unit
library can build, and under which conditions. `lower-to-hws` refuses an op with the message of
the first rule it breaks; `check-hws` (and `hws_problems()`) report every broken rule of a
module at once and change nothing, so a pass author can ask "does this still lower?" right after
their pass (the rules per op are also listed in docs/dialects/ee.md).

```python
from atheena_ir.passes.hws_legality import hws_problems

for problem in hws_problems(module, exits_split_later=True):
    print(problem)    # @main: 'ee.maxpool2d' (MaxPool_3): the pool unit pads with zeros, ...
```

Before (`-p 'check-hws'`), a padded max pool on input that may be negative:
```mlir
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %y = ee.maxpool2d %x kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1]
      : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}
```
Fails with (the module is left as it is):
```
1 reason(s) lower-to-hws would refuse this module:
  @main: 'ee.maxpool2d': the pool unit pads with zeros, which equals ONNX's -inf padding
  only on non-negative input; a padded max pool must follow a ReLU (or drop its padding)
```
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr, TensorType
from xdsl.ir import Block, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.dialects import ee, hws
from atheena_ir.dialects.ee.syntax import int_list
from atheena_ir.passes.hws_values import WIRING, fold_factors, map_shape, through_wiring

WEIGHT_WIDTHS = (16, 32, 64)
"""Float widths of constant weights the lowering reads (f16, f32, f64)."""


@dataclass(frozen=True)
class Rule:
    """One condition of the lowering on the ops of some kinds."""

    ops: tuple[type[Operation], ...]
    text: str
    """The rule in words (docs/dialects/ee.md lists it under each op)."""
    check: Callable[[Operation], str | None]
    """The message when `op` breaks the rule, else None."""
    refusal: bool = False
    """The op never lowers (the text says what to do instead)."""


def _refuse(why: str) -> Callable[[Operation], str]:
    return lambda op: why


def _constant(value: SSAValue | None, what: str) -> str | None:
    if value is None:
        return None
    owner = value.owner
    if not isinstance(owner, ee.ConstantOp):
        return f"its {what} must be constants (ee.constant) to become a ROM"
    t = owner.value.type
    if not isinstance(t, TensorType) or getattr(t.element_type, "bitwidth", 32) not in (
        WEIGHT_WIDTHS
    ):
        return f"its {what} have an unsupported element type {getattr(t, 'element_type', t)}"
    return None


def _weights(op: Operation) -> str | None:
    assert isinstance(op, ee.Conv2dOp | ee.LinearOp)
    return _constant(op.weight, "weights") or _constant(op.bias, "biases")


def _conv_groups(op: Operation) -> str | None:
    assert isinstance(op, ee.Conv2dOp)
    if op.groups.value.data != 1 or fold_factors(op)[2] != 1:
        return "grouped convolutions (groups > 1) are not supported by the unit library's conv yet"
    return None


def _conv_dilation(op: Operation) -> str | None:
    assert isinstance(op, ee.Conv2dOp)
    if int_list(op.dilations) != (1, 1):
        return "dilated convolutions are not supported by the unit library yet"
    return None


def _conv_fine(op: Operation) -> str | None:
    assert isinstance(op, ee.Conv2dOp)
    fine = fold_factors(op)[3]
    kh, kw = op.kernel
    if fine not in (1, kw, kh * kw):
        return (
            f"fine = {fine} needs {fine} multipliers along a kernel row, but the conv unit "
            f"takes 1, KW = {kw} or KH*KW = {kh * kw}"
        )
    return None


def pool_window(op: Operation) -> tuple[int, int]:
    """The window of a pool op (the whole map for a global pool)."""
    if isinstance(op, ee.GlobalAvgPoolOp):
        rows, cols, _ = map_shape(op.input)
        return rows, cols
    assert isinstance(op, ee.MaxPool2dOp | ee.AvgPool2dOp)
    kh, kw = int_list(op.kernel)
    return kh, kw


def _pool_window(op: Operation) -> str | None:
    kh, kw = pool_window(op)
    if kh * kw > hws.window.POOL_MAX_WINDOW:
        return (
            f"a {kh}x{kw} window is larger than the pool unit's {hws.window.POOL_MAX_WINDOW} values"
        )
    return None


def _avgpool_pads(op: Operation) -> str | None:
    assert isinstance(op, ee.AvgPool2dOp)
    if any(int_list(op.pads)) and op.count_include_pad is None:
        return (
            "the pool unit counts padded positions as zeros (count_include_pad = 1); "
            "an average pool with padding that excludes them is not supported"
        )
    return None


def _maxpool_pads(op: Operation) -> str | None:
    assert isinstance(op, ee.MaxPool2dOp)
    if any(int_list(op.pads)) and not non_negative(op.input):
        return (
            "the pool unit pads with zeros, which equals ONNX's -inf padding only on "
            "non-negative input; a padded max pool must follow a ReLU (or drop its padding)"
        )
    return None


def _reshape(op: Operation) -> str | None:
    assert isinstance(op, ee.ReshapeOp)
    shape = tuple(op.output.type.get_shape())  # type: ignore[attr-defined]
    if len(shape) != 2 or shape[0] != 1:
        return f"only a flatten to [1, K] can be streamed, not a reshape to {shape}"
    return None


def _add_constant(op: Operation) -> str | None:
    assert isinstance(op, ee.AddOp)
    if any(isinstance(through_wiring(v).owner, ee.ConstantOp) for v in (op.lhs, op.rhs)):
        return (
            "it adds a constant tensor; the add unit sums two streams (a residual connection); "
            "fold a constant addend into a bias before lowering"
        )
    return None


def _concat_axis(op: Operation) -> str | None:
    assert isinstance(op, ee.ConcatOp)
    rank = len(op.output.type.get_shape())  # type: ignore[attr-defined]
    if op.axis.value.data != 1 or rank not in (2, 4):
        return "only a concat of maps or vectors along axis 1 can be streamed"
    return None


def _concat_constant(op: Operation) -> str | None:
    assert isinstance(op, ee.ConcatOp)
    for i, v in enumerate(op.inputs):
        if isinstance(through_wiring(v).owner, ee.ConstantOp):
            return f"its input {i} is a constant tensor; the concat unit joins streams only"
    return None


def _top1(op: Operation) -> str | None:
    assert isinstance(op, ee.ExitDecisionOp)
    if op.criterion.data != "top1":
        return f"the exit-decision unit computes top1 only, not '{op.criterion.data}'"
    return None


def _drives_buffer(op: Operation) -> str | None:
    assert isinstance(op, ee.ExitDecisionOp)
    if not _decision_users(op.decision, (ee.CondBufferOp, ee.ExitOp)):
        return "its decision drives no conditional buffer (run split-exits)"
    return None


def _buffer_decision(op: Operation) -> str | None:
    assert isinstance(op, ee.CondBufferOp)
    root = op.decision
    while isinstance(root.owner, ee.SplitOp):
        root = root.owner.input
    owner = root.owner
    if not (isinstance(owner, ee.ExitDecisionOp) and owner.parent_block() is op.parent_block()):
        return "its decision must come from an ee.exit_decision in the same stage"
    return None


def _merge_index(op: Operation) -> str | None:
    assert isinstance(op, ee.ExitMergeOp)
    if list(op.exit_index.uses):
        return (
            "its exit index travels in the result words of the output stream; "
            "return only the merged result"
        )
    return None


def _lanes(op: Operation) -> str | None:
    for value, want in demanded_lanes(op):
        have = stream_lanes(value)
        rows, cols, ch = map_shape(through_wiring(value))
        total = rows * cols * ch
        if total % math.lcm(have, want):
            return (
                f"cannot re-lane {have} to {want} lanes: lcm({have}, {want}) does not divide "
                f"the {total} values of a sample; choose folding factors that divide the channels"
            )
    return None


COMPUTE = (
    ee.Conv2dOp,
    ee.LinearOp,
    ee.MaxPool2dOp,
    ee.AvgPool2dOp,
    ee.GlobalAvgPoolOp,
    ee.ActivationOp,
    ee.AddOp,
    ee.ConcatOp,
)
POOLS = (ee.MaxPool2dOp, ee.AvgPool2dOp, ee.GlobalAvgPoolOp)

RULES: tuple[Rule, ...] = (
    Rule(
        (ee.BatchNormOp,),
        "no batch-norm unit: `canonicalize` must fold it into the convolution or linear "
        "layer before it",
        _refuse(
            "the unit library has no batch-norm unit; run canonicalize first to fold it into "
            "the preceding convolution"
        ),
        refusal=True,
    ),
    Rule(
        (ee.SoftmaxOp,),
        "no softmax unit: an exit's softmax belongs to its exit decision",
        _refuse(
            "the unit library has no softmax unit; an exit's softmax belongs to its exit decision"
        ),
        refusal=True,
    ),
    Rule(
        (ee.ExitOp,),
        "cut into stages by `split-exits` first",
        _refuse("exits must be cut into stages first: run split-exits{exit-probs=...}"),
        refusal=True,
    ),
    Rule((ee.ReshapeOp,), "only a flatten to `[1, K]`", _reshape),
    Rule((ee.Conv2dOp,), "`groups = 1` and `coarse_group = 1`", _conv_groups),
    Rule((ee.Conv2dOp,), "dilations `[1, 1]`", _conv_dilation),
    Rule((ee.Conv2dOp,), "`fine` is 1, KW or KH*KW", _conv_fine),
    Rule(
        (ee.Conv2dOp, ee.LinearOp),
        "weights and bias are `ee.constant`s of f16, f32 or f64",
        _weights,
    ),
    Rule(POOLS, f"a window of at most {hws.window.POOL_MAX_WINDOW} values", _pool_window),
    Rule(
        (ee.AvgPool2dOp,),
        "with pads, `count_include_pad` (the unit counts padding as zeros)",
        _avgpool_pads,
    ),
    Rule(
        (ee.MaxPool2dOp,),
        "with pads, its input is never negative (made by `ee.relu`, through pools, splits, "
        "buffers, adds and concats of such values): the unit pads with 0, ONNX with -inf",
        _maxpool_pads,
    ),
    Rule((ee.AddOp,), "both operands are streams, not constants", _add_constant),
    Rule((ee.ConcatOp,), "along axis 1 of a map or vector", _concat_axis),
    Rule((ee.ConcatOp,), "every input is a stream, not a constant", _concat_constant),
    Rule((ee.ExitDecisionOp,), "criterion `top1`", _top1),
    Rule(
        (ee.ExitDecisionOp,),
        "its decision drives conditional buffers (after `split-exits`)",
        _drives_buffer,
    ),
    Rule(
        (ee.CondBufferOp,),
        "its decision comes from an `ee.exit_decision` in the same stage",
        _buffer_decision,
    ),
    Rule((ee.ExitMergeOp,), "its exit index is not used", _merge_index),
    Rule(
        (*COMPUTE, ee.SplitOp, ee.ExitMergeOp, ee.ExitDecisionOp),
        "its input streams can be re-laned to the lanes it reads: lcm(have, want) divides "
        "the values of a sample (a `squeeze` re-lanes them)",
        _lanes,
    ),
)
"""Every rule, in the order `lower-to-hws` checks them."""

LOWERABLE = (
    *COMPUTE,
    ee.ConstantOp,
    ee.FlattenOp,
    ee.ReshapeOp,
    ee.SplitOp,
    ee.ExitDecisionOp,
    ee.CondBufferOp,
    ee.ExitMergeOp,
)
"""The ops that become units or wiring (others are refused, batch norms and softmax with why)."""

STRUCTURE = (func.ReturnOp, ee.StageOp, ee.YieldOp)
"""Ops that give the design its structure: they are not lowered one by one."""


def lowering_summary(op_type: type[Operation]) -> list[str]:
    """How `lower-to-hws` treats ops of `op_type`: a line, then its rules (for the dialect docs)."""
    rules = rules_of(op_type)
    refusals = [r.text for r in rules if r.refusal]
    if refusals:
        return ["refused: " + "; ".join(refusals)]
    if issubclass(op_type, STRUCTURE):
        return ["the design's structure (stages and their results)"]
    if not issubclass(op_type, LOWERABLE):
        return ["refused: the unit library has no unit for it"]
    if not rules:
        return ["always"]
    return ["if", *(r.text for r in rules)]


def rules_of(op_type: type[Operation]) -> list[Rule]:
    """The rules that apply to ops of `op_type`."""
    return [r for r in RULES if issubclass(op_type, r.ops)]


def op_problem(op: Operation) -> str | None:
    """Why `lower-to-hws` refuses `op` (its first broken rule), or None."""
    for rule in RULES:
        if isinstance(op, rule.ops) and (why := rule.check(op)) is not None:
            return why
    if not isinstance(op, LOWERABLE):
        return "the unit library has no unit for this op"
    return None


def describe(fn: func.FuncOp, op: Operation, what: str) -> str:
    """`@fn: 'op' (onnx name): what`, the form of every lowering message."""
    name = op.attributes.get("onnx_name")
    where = f" ({name.data})" if isinstance(name, StringAttr) else ""
    return f"@{fn.sym_name.data}: '{op.name}'{where}: {what}"


def hws_problems(module: ModuleOp, *, exits_split_later: bool = False) -> list[str]:
    """
    Every reason `lower-to-hws` would refuse `module`, one message per broken rule of an op
    (empty: it lowers). `exits_split_later` accepts unsplit `ee.exit`s (a pipeline runs
    `split-exits` before the lowering) and checks the ops inside them.
    """
    problems: list[str] = []
    for fn in module.ops:
        if not isinstance(fn, func.FuncOp) or fn.is_declaration:
            continue
        for arg in fn.body.block.args:
            if not isinstance(arg.type, TensorType):
                problems.append(
                    f"@{fn.sym_name.data}: argument {arg.index} is {arg.type}, not a tensor"
                )
        for op in _ops(fn.body.block):
            if exits_split_later and isinstance(op, ee.ExitOp):
                continue
            for rule in RULES:
                if isinstance(op, rule.ops) and (why := rule.check(op)) is not None:
                    problems.append(describe(fn, op, why))
            if not isinstance(op, LOWERABLE) and not rules_of(type(op)):
                problems.append(describe(fn, op, "the unit library has no unit for this op"))
    return problems


def _ops(block: Block) -> Iterator[Operation]:
    for op in block.ops:
        if isinstance(op, STRUCTURE):
            pass
        else:
            yield op
        for region in op.regions:
            for inner in region.blocks:
                yield from _ops(inner)


# --- lanes: what the lowering gives each stream and what each unit reads ------------


def port_lanes(value: SSAValue) -> int:
    """The lanes of an input port: what its (single) consumer reads (1 when it takes any, or
    when a fan-out gives it an `ee.split`, as the lowering's `insert_splits` does)."""
    blocks = [use.operation.parent_block() for use in value.uses]
    if any(blocks.count(b) > 1 for b in blocks):
        return 1
    for use in value.uses:
        user = use.operation
        if isinstance(user, WIRING):
            return port_lanes(user.results[0])
        if isinstance(user, (*COMPUTE, ee.SplitOp)):
            return fold_factors(user)[0]
    return 1


def stream_lanes(value: SSAValue) -> int:
    """The lanes of the stream that carries `value` in the lowered design."""
    value = through_wiring(value)
    owner = value.owner
    if isinstance(value, BlockArgument):
        parent = value.owner.parent_op()
        return port_lanes(value) if isinstance(parent, func.FuncOp) else 1
    if isinstance(owner, ee.Conv2dOp | ee.LinearOp):
        return fold_factors(owner)[1]
    if isinstance(owner, COMPUTE):
        return fold_factors(owner)[0]
    if isinstance(owner, ee.SplitOp):
        return _split_lanes(owner)
    if isinstance(owner, ee.CondBufferOp | ee.ExitOp):
        return stream_lanes(owner.operands[0])
    if isinstance(owner, ee.ExitMergeOp):
        return stream_lanes(owner.inputs[0])
    if isinstance(owner, ee.StageOp):
        term = owner.body.block.last_op
        assert term is not None
        return stream_lanes(term.operands[value.index])  # type: ignore[attr-defined]
    return 1


def _split_lanes(op: ee.SplitOp) -> int:
    factors = fold_factors(op)
    return factors[0] if factors != (1, 1, 1, 1) else stream_lanes(op.input)


def demanded_lanes(op: Operation) -> list[tuple[SSAValue, int]]:
    """The streams `op` reads, each with the lanes its unit reads them with."""
    if isinstance(op, ee.Conv2dOp | ee.LinearOp):
        return [(op.input, fold_factors(op)[0])]
    if isinstance(op, ee.AddOp):
        return [(v, fold_factors(op)[0]) for v in (op.lhs, op.rhs)]
    if isinstance(op, ee.ConcatOp):
        return [(v, fold_factors(op)[0]) for v in op.inputs]
    if isinstance(op, COMPUTE):
        return [(op.operands[0], fold_factors(op)[0])]
    if isinstance(op, ee.SplitOp) and isinstance(op.input.type, TensorType):
        return [(op.input, _split_lanes(op))]
    if isinstance(op, ee.ExitDecisionOp):
        have = stream_lanes(op.logits)
        classes = map_shape(op.logits)[2]
        return [(op.logits, have if classes % have == 0 else 1)]
    if isinstance(op, ee.ExitMergeOp):
        want = stream_lanes(op.inputs[0])
        return [(v, want) for v in op.inputs]
    return []


def non_negative(value: SSAValue) -> bool:
    """Whether `value` is never negative: made by a non-negative activation (`ee.relu`),
    through wiring, splits, buffers and pools (a pool of non-negative values is one)."""
    op = value.owner
    if isinstance(op, ee.ActivationOp):
        return op.NON_NEGATIVE
    if isinstance(op, ee.ConcatOp | ee.AddOp):
        return all(non_negative(v) for v in op.operands)
    if isinstance(op, (*WIRING, ee.SplitOp, ee.CondBufferOp, ee.MaxPool2dOp, ee.AvgPool2dOp)):
        return non_negative(op.operands[0])
    return False


def _decision_users(value: SSAValue, kinds: tuple[type[Operation], ...]) -> bool:
    for use in value.uses:
        user = use.operation
        if isinstance(user, ee.SplitOp):
            if any(_decision_users(r, kinds) for r in user.outputs):
                return True
        elif isinstance(user, kinds):
            return True
    return False


@dataclass(frozen=True)
class CheckHwsPass(ModulePass):
    """Check that lower-to-hws would accept the module (every broken rule listed); no change."""

    name = "check-hws"

    exits_split_later: bool = False
    """Accept unsplit `ee.exit`s (split-exits will cut them) and check the ops inside them."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        problems = hws_problems(op, exits_split_later=self.exits_split_later)
        if problems:
            raise PassFailedException(
                f"{len(problems)} reason(s) lower-to-hws would refuse this module:\n  "
                + "\n  ".join(problems)
            )
