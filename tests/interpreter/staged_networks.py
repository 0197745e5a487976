"""
Hand-built twins for the post-split tests: the same chain network with k early exits, once
with nested `ee.exit`s and once as `split-exits` would cut it into k + 1 stages (split, exit
decision, two conditional buffers per exit, one exit merge), sharing the same weights.

Stage i: `f = relu(conv3x3(f))`; its exit: `z = linear(flatten(f))`.
"""

from __future__ import annotations

import numpy as np
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32, i32
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from atheena_ir.dialects import ee


class Weights:
    """Conv and classifier weights of every stage, drawn once and shared by both forms."""

    def __init__(self, exits: int, channels: int, size: int, classes: int, seed: int):
        rng = np.random.default_rng(seed)
        self.exits, self.channels, self.size, self.classes = exits, channels, size, classes
        feats = channels * size * size
        self.conv = [
            (
                rng.standard_normal((channels, channels, 3, 3)).astype(np.float32) * 0.4,
                rng.standard_normal(channels).astype(np.float32) * 0.1,
            )
            for _ in range(exits + 1)
        ]
        self.head = [
            (
                rng.standard_normal((classes, feats)).astype(np.float32) * 0.3,
                rng.standard_normal(classes).astype(np.float32),
            )
            for _ in range(exits + 1)
        ]
        self.thresholds = [0.5] * exits

    @property
    def in_type(self) -> TensorType:
        return TensorType(f32, [1, self.channels, self.size, self.size])

    @property
    def out_type(self) -> TensorType:
        return TensorType(f32, [1, self.classes])


def _c(b: Builder, a: np.ndarray) -> SSAValue:
    return b.insert(ee.ConstantOp.from_array(a)).output


def _features(b: Builder, w: Weights, i: int, x: SSAValue) -> SSAValue:
    kw, kb = w.conv[i]
    conv = b.insert(ee.Conv2dOp(x, _c(b, kw), _c(b, kb), pads=(1, 1, 1, 1))).output
    return b.insert(ee.ReluOp(conv)).output


def _head(b: Builder, w: Weights, i: int, f: SSAValue) -> SSAValue:
    hw, hb = w.head[i]
    flat = b.insert(ee.FlattenOp(f, 1)).output
    return b.insert(ee.LinearOp(flat, _c(b, hw), _c(b, hb))).output


def _module(w: Weights, block: Block, results: list[SSAValue]) -> ModuleOp:
    Builder(InsertPoint.at_end(block)).insert(func.ReturnOp(*results))
    types = ([w.in_type], [r.type for r in results])
    module = ModuleOp([func.FuncOp("main", types, Region(block))])
    module.verify()
    return module


def unsplit(w: Weights) -> ModuleOp:
    """Nested `ee.exit`s: exit i's region holds stages i+1..k."""

    def segment(block: Block, x: SSAValue, i: int) -> SSAValue:
        b = Builder(InsertPoint.at_end(block))
        f = _features(b, w, i, x)
        z = _head(b, w, i, f)
        if i == w.exits:
            return z
        d = b.insert(ee.ExitDecisionOp(z, w.thresholds[i])).decision
        rest = Block()
        Builder(InsertPoint.at_end(rest)).insert(ee.YieldOp(segment(rest, f, i + 1)))
        return b.insert(ee.ExitOp(z, d, rest)).output

    block = Block(arg_types=[w.in_type])
    return _module(w, block, [segment(block, block.args[0], 0)])


def split(w: Weights, reach: float = 0.5) -> ModuleOp:
    """k + 1 `ee.stage`s; returns the merged logits and the merge's exit index."""
    block = Block(arg_types=[w.in_type])
    top = Builder(InsertPoint.at_end(block))
    x, keeps = block.args[0], []
    for i in range(w.exits + 1):
        body = Block()
        b = Builder(InsertPoint.at_end(body))
        f = _features(b, w, i, x)
        if i == w.exits:
            z = _head(b, w, i, f)
            b.insert(ee.YieldOp(z))
            stage = top.insert(ee.StageOp(i, reach**i, [w.out_type], body))
            keeps.append(stage.outputs[0])
            break
        to_head, to_next = b.insert(ee.SplitOp(f, 2)).outputs
        z = _head(b, w, i, to_head)
        z_keep, z_decide = b.insert(ee.SplitOp(z, 2)).outputs
        d = b.insert(ee.ExitDecisionOp(z_decide, w.thresholds[i])).decision
        keep = b.insert(ee.CondBufferOp(z_keep, d, "exit")).output
        cont = b.insert(ee.CondBufferOp(to_next, d, "continue")).output
        b.insert(ee.YieldOp(cont, keep))
        stage = top.insert(ee.StageOp(i, reach**i, [cont.type, keep.type], body))
        x = stage.outputs[0]
        keeps.append(stage.outputs[1])
    merge = top.insert(ee.ExitMergeOp(keeps))
    assert merge.exit_index.type == i32
    return _module(w, block, [merge.output, merge.exit_index])
