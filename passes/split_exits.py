"""
`split-exits`: cut an early-exit network into pipeline stages at its exits.

Every `ee.exit` becomes a stage boundary. Stage k holds the layers that run before
exit k (backbone and exit branch), the exit decision and two kinds of conditional
buffer: one forwards exit k's logits for the samples that leave there, the others
forward every value the later stages need for the samples that continue. The last
stage holds the rest of the network. One `ee.exit_merge` collects every sample's
result; `ee.split` ops make every fan-out of a stream explicit.

Each stage carries `reach`, the probability that a sample gets there: 1 for stage 0,
then `1 - (p_0 + ... + p_{k-1})`, where `p_j` is the fraction of all samples that leave
at exit j. The fractions come from the option `exit-probs` (one value per exit) or,
without it, from the `exit_fraction` attributes that profiling writes on the
`ee.exit_decision` ops.

Before (`-p 'split-exits{exit-probs=0.75}'`):
```mlir
func.func @main(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %f = ee.relu %x : tensor<1x10xf32>
  %d = ee.exit_decision top1(%f) > 0.9 : tensor<1x10xf32>
  %out = ee.exit %f if %d : tensor<1x10xf32> else {
    %g = ee.relu %f : tensor<1x10xf32>
    ee.yield %g : tensor<1x10xf32>
  }
  func.return %out : tensor<1x10xf32>
}
```
After:
```mlir
func.func @main(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %f, %0 = ee.stage 0 reach 1.0 -> (tensor<1x10xf32>, tensor<1x10xf32>) {
    %f_1 = ee.relu %x : tensor<1x10xf32>
    %1, %2, %3 = ee.split %f_1 into 3 : tensor<1x10xf32>
    %d = ee.exit_decision top1(%3) > 0.9 : tensor<1x10xf32>
    %4, %5 = ee.split %d into 2 : i1
    %6 = ee.cond_buffer %2, %5 forward continue : tensor<1x10xf32>
    %7 = ee.cond_buffer %1, %4 forward exit : tensor<1x10xf32>
    ee.yield %6, %7 : tensor<1x10xf32>, tensor<1x10xf32>
  }
  %8 = ee.stage 1 reach 0.25 -> (tensor<1x10xf32>) {
    %g = ee.relu %f : tensor<1x10xf32>
    ee.yield %g : tensor<1x10xf32>
  }
  %out, %9 = ee.exit_merge %0, %8 : tensor<1x10xf32>
  func.return %out : tensor<1x10xf32>
}
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FloatAttr, ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.traits import IsTerminator
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.dialects import ee
from atheena_ir.passes.streams import insert_splits, localise_constants

EXIT_FRACTION_ATTR = "exit_fraction"
"""Discardable attribute on `ee.exit_decision`: the fraction of all samples leaving there."""


@dataclass(frozen=True)
class SplitExitsPass(ModulePass):
    """Cut the network into stages at its exits, with split, buffers and one exit merge."""

    name = "split-exits"

    exit_probs: tuple[float, ...] = ()
    """Fraction of all samples that leave at each exit, earliest first."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = [f for f in op.walk() if isinstance(f, func.FuncOp) and not f.is_declaration]
        if self.exit_probs and not any(_exit_chain(f)[1] for f in functions):
            raise PassFailedException(
                f"exit-probs gives {len(self.exit_probs)} value(s) but the network has no "
                "ee.exit: drop exit-probs (a network without exits needs no split)"
            )
        for f in functions:
            _split_function(f, self.exit_probs)


def _exit_chain(f: func.FuncOp) -> tuple[list[Block], list[ee.ExitOp]]:
    """The blocks from the function body down the nested exits, and the exits."""
    blocks, exits = [f.body.block], []
    while True:
        found = [o for o in blocks[-1].ops if isinstance(o, ee.ExitOp)]
        if len(found) > 1:
            raise PassFailedException(
                f"@{f.sym_name.data}: {len(found)} exits side by side in one region; "
                "split-exits needs each exit nested in the previous exit's region"
            )
        if not found:
            return blocks, exits
        exits.append(found[0])
        blocks.append(found[0].rest.block)


def _fractions(f: func.FuncOp, exits: list[ee.ExitOp], option: tuple[float, ...]) -> list[float]:
    """Per-exit fractions of all samples, checked for consistency."""
    where = f"@{f.sym_name.data}"
    if option:
        fractions, source = list(option), "exit-probs"
    else:
        fractions, source = [], "the profiled exit_fraction attributes"
        for x in exits:
            decision = x.decision.owner
            attr = (
                decision.attributes.get(EXIT_FRACTION_ATTR)
                if isinstance(decision, Operation)
                else None
            )
            if not isinstance(attr, FloatAttr):
                raise PassFailedException(
                    f"{where}: no exit probabilities: give split-exits{{exit-probs=...}} "
                    "(one fraction per exit) or profile the model first"
                )
            fractions.append(float(attr.value.data))
    if len(fractions) != len(exits):
        raise PassFailedException(
            f"{where}: {source} gives {len(fractions)} value(s) but the network has "
            f"{len(exits)} exit(s); give one fraction of all samples per exit"
        )
    for i, p in enumerate(fractions):
        if not (math.isfinite(p) and 0.0 <= p <= 1.0):
            raise PassFailedException(f"{where}: exit {i} fraction {p} is not in [0, 1] ({source})")
    if sum(fractions) >= 1.0 - 1e-12:
        raise PassFailedException(
            f"{where}: the exit fractions {fractions} sum to {sum(fractions):.6g}; they must sum "
            "to less than 1, or no sample would reach the final classifier"
        )
    return fractions


def _split_function(f: func.FuncOp, option: tuple[float, ...]) -> None:
    blocks, exits = _exit_chain(f)
    if not exits:
        return
    fractions = _fractions(f, exits, option)
    top = blocks[0]
    localise_constants(f)

    # Ops after the outermost exit act on every sample's result: they stay after the merge.
    if any(_ops_after(x) for x in exits[1:]):
        raise PassFailedException(
            f"@{f.sym_name.data}: ops follow a nested exit inside its parent's region; "
            "split-exits needs every nested exit to be the last op before the yield"
        )

    stages: list[ee.StageOp] = []
    early_results: list[SSAValue] = []
    reach = 1.0
    for level, block in enumerate(blocks):
        later = blocks[level + 1 :]
        body = Block()
        x = exits[level] if level < len(exits) else None
        for o in list(block.ops):
            if o is x or o.has_trait(IsTerminator):
                break
            o.detach()
            body.add_op(o)
        yields: list[SSAValue] = []
        carried: list[SSAValue] = []
        if x is None:
            term = block.last_op
            assert term is not None
            yields.append(term.operands[0])
        else:
            decision = x.decision
            for v in _needed_later(later):
                body.add_op(buf := ee.CondBufferOp(v, decision, "continue"))
                yields.append(buf.output)
                carried.append(v)
            body.add_op(keep := ee.CondBufferOp(x.logits, decision, "exit"))
            yields.append(keep.output)
        body.add_op(ee.YieldOp(*yields))
        stage = ee.StageOp(level, reach, [v.type for v in yields], body)
        top.insert_op_before(stage, exits[0])
        stages.append(stage)
        for v, result in zip(carried, stage.outputs, strict=False):
            v.replace_uses_with_if(result, lambda use, blocks=later: _inside(use.operation, blocks))
        early_results.append(stage.outputs[-1])
        if x is not None:
            reach = round(1.0 - sum(fractions[: level + 1]), 12)

    merge = ee.ExitMergeOp(early_results)
    top.insert_op_before(merge, exits[0])
    exits[0].output.replace_all_uses_with(merge.output)
    for x in reversed(exits):
        x.detach()
        x.erase(safe_erase=False)
    for stage in stages:
        insert_splits(stage.body.block)


def _ops_after(x: ee.ExitOp) -> list[Operation]:
    ops, o = [], x.next_op
    while o is not None and not o.has_trait(IsTerminator):
        ops.append(o)
        o = o.next_op
    return ops


def _inside(op: Operation, blocks: list[Block]) -> bool:
    """Whether `op` sits in one of `blocks` (at any depth)."""
    while op is not None:
        if op.parent_block() in blocks:
            return True
        parent = op.parent_op()
        if parent is None:
            return False
        op = parent
    return False


def _needed_later(later: list[Block]) -> list[SSAValue]:
    """Non-constant values used but not defined by the later levels, in first-use order."""
    defined: set[SSAValue] = set()
    needed: list[SSAValue] = []
    for block in later:
        for o in block.walk():
            defined.update(o.results)
            for region in o.regions:
                for b in region.blocks:
                    defined.update(b.args)
    for block in later:
        for o in block.walk():
            for v in o.operands:
                if v in defined or v in needed:
                    continue
                if isinstance(v.owner, ee.ConstantOp):
                    continue
                needed.append(v)
    return needed
