"""
Every exit's logits for every sample, computed once with the reference interpreter.

`probe_module` rewrites a copy of the network so that nobody leaves early: each
`ee.exit`'s region is inlined in front of it (outermost exit first) and `@main`
returns the logits of every exit, earliest first, then the final classifier's:

```mlir
%d = ee.exit_decision top1(%z0) > 0.9 : tensor<1x10xf32>
%out = ee.exit %z0 if %d : tensor<1x10xf32> else {
  %z1 = ee.linear %f, %w : (tensor<1x64xf32>, tensor<10x64xf32>) -> tensor<1x10xf32>
  ee.yield %z1 : tensor<1x10xf32>
}
func.return %out : tensor<1x10xf32>
```
becomes
```mlir
%z1 = ee.linear %f, %w : (tensor<1x64xf32>, tensor<10x64xf32>) -> tensor<1x10xf32>
func.return %z0, %z1 : tensor<1x10xf32>, tensor<1x10xf32>
```
One interpreter run of the probe (in batches, with a progress bar) gives `ExitScores`;
every threshold is then evaluated with numpy (`measure.py`), using the interpreter's own
`top1_confidence`, so the decisions match `run(module, x)` at that threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Block, SSAValue

from atheena_ir.dialects import ee
from atheena_ir.errors import UserError
from atheena_ir.interpreter import Float32Arithmetic, run
from atheena_ir.interpreter.run import find_main

DEFAULT_BATCH = 256
"""Samples per interpreter run (one progress-bar step)."""


def exit_chain(fn: func.FuncOp) -> list[ee.ExitOp]:
    """The exits of `fn`, outermost (earliest) first; each must sit in the previous one's region."""
    exits: list[ee.ExitOp] = []
    block: Block = fn.body.block
    while True:
        found = [o for o in block.ops if isinstance(o, ee.ExitOp)]
        if len(found) > 1:
            raise UserError(
                f"@{fn.sym_name.data} has {len(found)} exits side by side in one region; "
                "profiling needs each exit nested in the previous exit's region"
            )
        if not found:
            break
        exits.append(found[0])
        block = found[0].rest.block
    nested = sum(isinstance(o, ee.ExitOp) for o in fn.walk())
    if nested != len(exits):
        raise UserError(
            f"@{fn.sym_name.data} has exits inside other ops; profiling needs the exits "
            "nested in each other's regions, directly in the function body"
        )
    return exits


def exit_decisions(fn: func.FuncOp) -> list[ee.ExitDecisionOp]:
    """The `ee.exit_decision` of each exit of `fn`, earliest first (criterion `top1`)."""
    decisions = []
    for i, x in enumerate(exit_chain(fn)):
        d = x.decision.owner
        if not isinstance(d, ee.ExitDecisionOp):
            raise UserError(
                f"exit {i} of @{fn.sym_name.data} decides with a value that no "
                "ee.exit_decision makes; profiling needs each exit's decision op"
            )
        if d.criterion.data != "top1":
            raise UserError(f"exit {i}: profiling knows only the 'top1' criterion")
        decisions.append(d)
    return decisions


def probe_module(module: ModuleOp) -> tuple[ModuleOp, int]:
    """
    A copy of `module` whose `@main` returns every exit's logits and the final classifier's
    (no sample leaves early); also the number of early exits.
    """
    probe = module.clone()
    fn = find_main(probe)
    if fn.is_declaration:
        raise UserError(f"@{fn.sym_name.data} is only a declaration")
    exits = exit_chain(fn)
    decisions = exit_decisions(fn)
    ret = fn.get_return_op()
    if ret is None or len(ret.arguments) != 1:
        raise UserError(f"@{fn.sym_name.data} must return one value (the class scores)")
    logits: list[SSAValue] = [x.logits for x in exits]
    final = ret.arguments[0]
    for x in exits:
        final = x.yielded()
        parent = x.parent_block()
        assert parent is not None
        for o in list(x.rest.block.ops):
            if isinstance(o, ee.YieldOp):
                break
            o.detach()
            parent.insert_op_before(o, x)
        x.output.replace_all_uses_with(final)
        x.detach()
        x.erase()
    for d in decisions:
        if not d.decision.uses:
            d.detach()
            d.erase()
    new_ret = func.ReturnOp(*logits, final)
    ret_block = ret.parent_block()
    assert ret_block is not None
    ret_block.insert_op_before(new_ret, ret)
    ret.detach()
    ret.erase()
    fn.update_function_type()
    return probe, len(exits)


@dataclass(frozen=True)
class ExitScores:
    """
    `logits[k]` is exit k's `[N, C]` class scores for all N samples (the last one is the final
    classifier's); `confidence[k]` is `max(softmax(logits[k]))` per sample for each early exit
    k, float32 as the interpreter computes it for `ee.exit_decision`.
    """

    logits: tuple[np.ndarray, ...]
    confidence: np.ndarray

    @property
    def num_samples(self) -> int:
        return int(self.logits[0].shape[0])

    @property
    def num_classes(self) -> int:
        return int(self.logits[0].shape[1])

    @property
    def num_early_exits(self) -> int:
        return len(self.logits) - 1

    def predictions(self) -> np.ndarray:
        """`[exits, N]`: each exit's predicted class (argmax of its logits) per sample."""
        return np.stack([np.argmax(z, axis=1) for z in self.logits])


def input_shape(module: ModuleOp) -> tuple[int, ...]:
    """The shape of `@main`'s only input, batch dimension included (`(1, 1, 28, 28)`)."""
    fn = find_main(module)
    args = fn.body.block.args if not fn.is_declaration else ()
    if len(args) != 1 or not isinstance(args[0].type, TensorType):
        raise UserError(
            f"@{fn.sym_name.data} takes {len(args)} inputs; profiling runs networks with one "
            "tensor input"
        )
    return tuple(args[0].type.get_shape())


def collect_exit_scores(
    module: ModuleOp,
    x: np.ndarray,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> ExitScores:
    """
    Run every sample of `x` (`float32 [N, *input]`) once through the probe of `module`;
    `progress(n)` is told each batch's size.
    """
    probe, _ = probe_module(module)
    parts: list[list[np.ndarray]] = []
    n = x.shape[0]
    for start in range(0, n, batch):
        chunk = x[start : start + batch]
        outputs = run(probe, chunk).outputs
        parts.append([o.reshape(chunk.shape[0], -1) for o in outputs])
        if progress is not None:
            progress(chunk.shape[0])
    logits = tuple(np.concatenate(column) for column in zip(*parts, strict=True))
    classes = {z.shape[1] for z in logits}
    if len(classes) != 1:
        raise UserError(f"the exits give different numbers of classes: {sorted(classes)}")
    arith = Float32Arithmetic()
    confidence = np.zeros((len(logits) - 1, n), np.float32)
    for k, z in enumerate(logits[:-1]):
        confidence[k] = arith.top1_confidence(z)
    return ExitScores(logits, confidence)
