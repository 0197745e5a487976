"""Write a chosen design into the IR: every folding, and the prediction on the function.

Foldable ops get `#ee.fold<...>` (via `atheena_ir.cost.from_ir.set_folding`); the function gets
discardable attributes with the predicted figures:

```mlir
func.func @main(...) attributes {
    dse.throughput = 48812.5 : f64,                       // samples per second
    dse.resources = {bram = 304 : i64, dsp = 198 : i64, ff = 51008 : i64, lut = 42771 : i64},
    dse.utilisation = 0.2789 : f64,                        // the largest fraction used
    dse.stage_throughputs = [48812.5 : f64, 12497.1 : f64],
    dse.platform = "zc706", dse.budget = "0.3", dse.algorithm = "exact"}
```
"""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    i64,
)

from atheena_ir.cost.from_ir import DesignLayers, set_folding
from atheena_ir.dse.budget import RESOURCES
from atheena_ir.dse.design import Design
from atheena_ir.dse.problem import Problem

ATTR_PREFIX = "dse."


def _f64(value: float) -> FloatAttr:
    return FloatAttr(float(value), Float64Type())


def apply_design(
    module: ModuleOp,
    layers: DesignLayers,
    problem: Problem,
    design: Design,
    info: dict[str, str],
) -> None:
    """Set the foldings of ``design`` on the ops of ``layers`` and record its figures."""
    foldings = design.foldings(problem)
    for stage in layers.stages:
        for hw in stage.layers:
            if problem.layers[problem.layer_index(hw.name)].foldable:
                set_folding(hw.op, foldings[hw.name])
    target = next(
        op for op in module.walk()
        if isinstance(op, func.FuncOp) and op.sym_name.data == layers.function
    )  # fmt: skip
    attrs = target.attributes
    attrs[ATTR_PREFIX + "throughput"] = _f64(design.throughput)
    attrs[ATTR_PREFIX + "resources"] = DictionaryAttr(
        {r: IntegerAttr(v, i64) for r, v in zip(RESOURCES, design.resources, strict=True)}
    )
    attrs[ATTR_PREFIX + "utilisation"] = _f64(design.rmax)
    attrs[ATTR_PREFIX + "stage_throughputs"] = ArrayAttr(
        [_f64(t) for t in design.stage_throughputs]
    )
    for key, value in info.items():
        attrs[ATTR_PREFIX + key] = StringAttr(value)
