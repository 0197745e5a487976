"""
Hypothesis strategies that build random, valid early-exit networks in the `ee` dialect.

Used by the round-trip and pass-semantics properties (every network carries real constant
weights, so the interpreter can run it). A new pass's property should draw networks that
contain the ops it rewrites: `early_exit_networks(pattern=("ee.relu", "ee.maxpool2d"))` puts
that chain (`maxpool(relu(x))`, each op drawn with random parameters) into every network, and
`chains(module, pattern)` finds it again (docs/tutorial_write_a_pass.md, section 7).

```python
@given(early_exit_networks(pattern=("ee.relu", "ee.maxpool2d")))
def test_my_pass(module):
    assert chains(module, ("ee.relu", "ee.maxpool2d"))     # every example has the chain
```
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import reject
from hypothesis import strategies as st
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint

from atheena_ir.dialects import ee
from atheena_ir.dialects.ee.folding import FoldAttr, LegalFolding


def _short_repr(module: ModuleOp, printer: object, cycle: bool) -> None:
    """Hypothesis prints failing examples with this instead of a megabyte-long dataclass repr."""
    ops = sum(1 for _ in module.walk())
    printer.text(f"<generated ee module, {ops} ops; print it with str()>")  # type: ignore[attr-defined]


ModuleOp._repr_pretty_ = _short_repr  # type: ignore[attr-defined]


def _shape(v: SSAValue) -> tuple[int, ...]:
    assert isinstance(v.type, TensorType)
    return tuple(v.type.get_shape())


class _NetBuilder:
    """Appends layers to a block, drawing every choice from hypothesis."""

    def __init__(self, draw: st.DrawFn, block: Block, rng: np.random.Generator, fold: bool):
        self.draw, self.rng, self.fold = draw, rng, fold
        self.b = Builder(InsertPoint.at_end(block))

    def const(self, shape: tuple[int, ...]) -> SSAValue:
        data = self.rng.standard_normal(shape).astype(np.float32) * 0.5
        return self.b.insert(ee.ConstantOp.from_array(data)).output

    def maybe_fold(self, op: ee.Conv2dOp | ee.LinearOp | ee.ReluOp | ee.MaxPool2dOp) -> None:
        if not self.fold or not self.draw(st.booleans()):
            return
        legal: LegalFolding = op.legal_folding()
        ci = self.draw(st.sampled_from(legal.coarse_in))
        co = ci if legal.tied else self.draw(st.sampled_from(legal.coarse_out))
        cg = self.draw(st.sampled_from(legal.coarse_group))
        fine = self.draw(st.sampled_from(legal.fine))
        op.properties["folding"] = FoldAttr.get(ci, co, cg, fine)

    def layer(self, x: SSAValue, kind: str | None = None) -> SSAValue:
        """One random feature-map layer (keeps the map at least 2x2); `kind` forces one."""
        _, c, h, w = _shape(x)
        if kind is None:
            kind = self.draw(
                st.sampled_from(["conv", "relu", "maxpool", "avgpool", "batchnorm", "add"])
            )
        if kind in ACTIVATION_KINDS:
            op = ACTIVATION_KINDS[kind](x)
            self.maybe_fold(op)
            return self.b.insert(op).output
        if kind == "conv":
            k = self.draw(st.integers(1, min(3, h, w)))
            groups = self.draw(st.sampled_from([g for g in (1, 2) if c % g == 0]))
            filters = groups * self.draw(st.integers(1, 3))
            stride = self.draw(st.integers(1, 2))
            pad = self.draw(st.integers(0, k // 2 + 1))
            dil = self.draw(st.integers(1, 2)) if k > 1 and h > 2 * k and w > 2 * k else 1
            w_ = self.const((filters, c // groups, k, k))
            bias = self.const((filters,)) if self.draw(st.booleans()) else None
            op = ee.Conv2dOp(x, w_, bias, (stride, stride), (pad,) * 4, (dil, dil), groups)
            if min(_shape(op.output)[2:]) < 2:
                return x
            self.maybe_fold(op)
            return self.b.insert(op).output
        if kind == "relu":
            op = ee.ReluOp(x)
            self.maybe_fold(op)
            return self.b.insert(op).output
        if kind in ("maxpool", "avgpool"):
            if min(h, w) < 4:
                return x
            k = self.draw(st.integers(2, 3))
            stride = self.draw(st.integers(1, 2))
            pad = self.draw(st.integers(0, 1))
            cls = ee.MaxPool2dOp if kind == "maxpool" else ee.AvgPool2dOp
            op = cls(x, (k, k), (stride, stride), (pad,) * 4)
            if kind == "avgpool" and self.draw(st.booleans()):
                from xdsl.dialects.builtin import UnitAttr

                op.properties["count_include_pad"] = UnitAttr()
            if min(_shape(op.output)[2:]) < 2:
                return x
            self.maybe_fold(op)
            return self.b.insert(op).output
        if kind == "batchnorm":
            stats = [self.const((c,)) for _ in range(3)]
            var = self.b.insert(ee.ConstantOp.from_array(self.rng.uniform(0.5, 2, c))).output
            return self.b.insert(ee.BatchNormOp(x, *stats, var, 1e-5)).output
        relu = self.b.insert(ee.ReluOp(x)).output
        return self.b.insert(ee.AddOp(x, relu)).output

    def classifier(self, x: SSAValue, classes: int) -> SSAValue:
        """Map a feature map to `[1, classes]` logits."""
        if self.draw(st.booleans()):
            x = self.b.insert(ee.GlobalAvgPoolOp(x)).output
        flat = self.b.insert(ee.FlattenOp(x, 1)).output
        features = _shape(flat)[1]
        op = ee.LinearOp(flat, self.const((classes, features)), self.const((classes,)))
        self.maybe_fold(op)
        return self.b.insert(op).output


ACTIVATION_KINDS = {op.name.removeprefix("ee."): op for op in ee.ACTIVATIONS if op is not ee.ReluOp}
KINDS = {
    "ee.conv2d": "conv",
    "ee.maxpool2d": "maxpool",
    "ee.avgpool2d": "avgpool",
    "ee.batchnorm": "batchnorm",
    "ee.add": "add",
    "ee.relu": "relu",
    **{f"ee.{kind}": kind for kind in ACTIVATION_KINDS},
}
"""The ops a `pattern` may name, each with the layer kind that builds it."""


def _pattern_layers(nb: _NetBuilder, x: SSAValue, pattern: Sequence[str]) -> SSAValue:
    """The ops of `pattern`, each reading the one before; rejects a draw too small for them."""
    for name in pattern:
        y = nb.layer(x, KINDS[name])
        if y is x:  # the map is too small for this op
            reject()
        x = y
    return x


def chains(module: ModuleOp, pattern: Sequence[str]) -> list[tuple[Operation, ...]]:
    """Every chain of ops named `pattern` in `module`, each op reading the previous one."""
    found = []
    for op in module.walk():
        if op.name != pattern[0]:
            continue
        chain = [op]
        for name in pattern[1:]:
            users = [u.operation for r in chain[-1].results for u in r.uses]
            nxt = next((u for u in users if u.name == name), None)
            if nxt is None:
                break
            chain.append(nxt)
        if len(chain) == len(pattern):
            found.append(tuple(chain))
    return found


@st.composite
def early_exit_networks(
    draw: st.DrawFn,
    min_exits: int = 0,
    max_exits: int = 3,
    folding: bool = True,
    pattern: Sequence[str] = (),
) -> ModuleOp:
    """
    A `func.func @main` of random layers with 0..3 nested early exits and real weights; with a
    `pattern` of op names (keys of `KINDS`), that chain of ops follows the first 0 to 2 layers.
    """
    unknown = [name for name in pattern if name not in KINDS]
    if unknown:
        raise ValueError(f"pattern ops {unknown} are not generated; known: {', '.join(KINDS)}")
    exits = draw(st.integers(min_exits, max_exits))
    classes = draw(st.integers(2, 5))
    channels = draw(st.integers(1, 3))
    size = draw(st.integers(6, 10))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    in_type = TensorType(f32, [1, channels, size, size])
    out_type = TensorType(f32, [1, classes])

    def segment(block: Block, x: SSAValue, remaining: int, first: bool = False) -> SSAValue:
        nb = _NetBuilder(draw, block, rng, folding)
        if first and pattern:
            for _ in range(draw(st.integers(0, 2))):
                x = nb.layer(x)
            x = _pattern_layers(nb, x, pattern)
        for _ in range(draw(st.integers(0 if first and pattern else 1, 3))):
            x = nb.layer(x)
        if remaining == 0:
            return nb.classifier(x, classes)
        branch = x
        if draw(st.booleans()):
            branch = nb.layer(branch)
        logits = nb.classifier(branch, classes)
        threshold = draw(st.floats(0.05, 0.95)).__round__(4)
        decision = nb.b.insert(ee.ExitDecisionOp(logits, threshold)).decision
        rest = Block()
        rest_out = segment(rest, x, remaining - 1)
        Builder(InsertPoint.at_end(rest)).insert(ee.YieldOp(rest_out))
        return nb.b.insert(ee.ExitOp(logits, decision, rest)).output

    body = Block(arg_types=[in_type])
    result = segment(body, body.args[0], exits, first=True)
    Builder(InsertPoint.at_end(body)).insert(func.ReturnOp(result))
    module = ModuleOp([func.FuncOp("main", ([in_type], [out_type]), Region(body))])
    module.verify()
    return module
