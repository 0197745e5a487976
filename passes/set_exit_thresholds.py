"""
`set-exit-thresholds`: give every `ee.exit_decision` a new confidence threshold.

The threshold decides how many samples leave early, so it is the knob one turns after
profiling (`atheena-profile`), before `split-exits`. One value applies to every exit;
several give one per exit, earliest first, in each function (before or after
`split-exits`: the decisions are numbered in the order they appear). A changed threshold
makes a profiled `exit_fraction` on that decision stale, so the pass removes it (profile
again, or give `split-exits{exit-probs=...}`); an unchanged one keeps it.

Before (`-p 'set-exit-thresholds{thresholds=0.8,0.95}'`):
```mlir
func.func @main(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %d0 = ee.exit_decision top1(%x) > 0.9 {exit_fraction = 0.6 : f64} : tensor<1x10xf32>
  %out = ee.exit %x if %d0 : tensor<1x10xf32> else {
    %z1 = ee.relu %x : tensor<1x10xf32>
    %d1 = ee.exit_decision top1(%z1) > 0.9 : tensor<1x10xf32>
    %r = ee.exit %z1 if %d1 : tensor<1x10xf32> else {
      %z2 = ee.relu %z1 : tensor<1x10xf32>
      ee.yield %z2 : tensor<1x10xf32>
    }
    ee.yield %r : tensor<1x10xf32>
  }
  func.return %out : tensor<1x10xf32>
}
```
After:
```mlir
func.func @main(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %d0 = ee.exit_decision top1(%x) > 0.8 : tensor<1x10xf32>
  %out = ee.exit %x if %d0 : tensor<1x10xf32> else {
    %z1 = ee.relu %x : tensor<1x10xf32>
    %d1 = ee.exit_decision top1(%z1) > 0.95 : tensor<1x10xf32>
    %r = ee.exit %z1 if %d1 : tensor<1x10xf32> else {
      %z2 = ee.relu %z1 : tensor<1x10xf32>
      ee.yield %z2 : tensor<1x10xf32>
    }
    ee.yield %r : tensor<1x10xf32>
  }
  func.return %out : tensor<1x10xf32>
}
```
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FloatAttr, ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

from atheena_ir.dialects import ee
from atheena_ir.passes.split_exits import EXIT_FRACTION_ATTR


@dataclass(frozen=True)
class SetExitThresholdsPass(ModulePass):
    """Set the threshold of every exit decision: one value for all exits or one per exit."""

    name = "set-exit-thresholds"

    thresholds: tuple[float, ...] = ()
    """The new thresholds in (0, 1): one for every exit, or one per exit, earliest first."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not self.thresholds:
            raise PassFailedException(
                "set-exit-thresholds needs thresholds: e.g. "
                "set-exit-thresholds{thresholds=0.9} or {thresholds=0.9,0.8} (one per exit)"
            )
        for t in self.thresholds:
            if not (math.isfinite(t) and 0.0 < t < 1.0):
                raise PassFailedException(f"threshold {t} is not in (0, 1)")
        for f in op.walk():
            if isinstance(f, func.FuncOp) and not f.is_declaration:
                set_exit_thresholds(f, self.thresholds)


def set_exit_thresholds(f: func.FuncOp, thresholds: Sequence[float]) -> None:
    """Give the decisions of `f`, in order, `thresholds` (one value: every decision)."""
    decisions = [o for o in f.walk() if isinstance(o, ee.ExitDecisionOp)]
    if not decisions:
        return
    if len(thresholds) == 1:
        thresholds = list(thresholds) * len(decisions)
    if len(thresholds) != len(decisions):
        raise PassFailedException(
            f"@{f.sym_name.data}: {len(thresholds)} thresholds for {len(decisions)} exit(s); "
            "give one value for every exit or one per exit"
        )
    for decision, t in zip(decisions, thresholds, strict=True):
        if decision.threshold.value.data == t:
            continue
        decision.properties["threshold"] = FloatAttr(t, 64)
        decision.attributes.pop(EXIT_FRACTION_ATTR, None)
