"""
Record a measured threshold in the IR: each `ee.exit_decision` gets that threshold and an
`exit_fraction` attribute (the fraction of ALL samples leaving there), which `split-exits`
turns into each stage's `reach` when it is run without `exit-probs`.

```mlir
%d = ee.exit_decision top1(%z0) > 0.996 {exit_fraction = 0.6 : f64} : tensor<1x10xf32>
```
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import FloatAttr, ModuleOp

from atheena_ir.errors import UserError
from atheena_ir.interpreter.run import find_main
from atheena_ir.passes.set_exit_thresholds import set_exit_thresholds
from atheena_ir.passes.split_exits import EXIT_FRACTION_ATTR
from atheena_ir.profiling.probe import exit_decisions


def record_profile(
    module: ModuleOp, thresholds: Sequence[float], fractions: Sequence[float]
) -> None:
    """Set `@main`'s exit thresholds and record each exit's measured fraction, in place."""
    fn = find_main(module)
    decisions = exit_decisions(fn)
    if len(thresholds) != len(decisions) or len(fractions) != len(decisions):
        raise UserError(
            f"{len(thresholds)} thresholds and {len(fractions)} fractions for "
            f"{len(decisions)} exit(s)"
        )
    if decisions:
        set_exit_thresholds(fn, thresholds)
    for decision, fraction in zip(decisions, fractions, strict=True):
        decision.attributes[EXIT_FRACTION_ATTR] = FloatAttr(float(fraction), 64)
