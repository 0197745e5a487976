"""The cost model: evaluate layers, stages and networks at a chosen fidelity.

>>> from atheena_ir.cost import CostModel, Folding, LayerSpec
>>> model = CostModel()                       # the project's model
>>> conv = LayerSpec.conv(28, 28, 1, 5, kernel=(5, 5), pads=(4, 4, 4, 4))
>>> model.layer(conv, Folding(fine=25)).interval
5120.0
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy as sp

from atheena_ir.cost.compile import QUANTITIES, compiled, compiled_units, layer_expressions
from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.expressions import LayerExpressions
from atheena_ir.cost.fidelity import Fidelity
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.layer_cost import LayerCost
from atheena_ir.cost.layer_kind import LayerKind
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.platform import Platform
from atheena_ir.cost.resources import Resources
from atheena_ir.cost.symbols import ARGS

REFERENCE_CLOCK_HZ = 125e6
"""ATHEENA v1.0 ignores the platform clock and always uses 125 MHz."""


class CostModel:
    """Rates, intervals, depths and resources of layers (``fidelity="project"`` by default;
    ``fidelity="atheena-v1"`` reproduces ATHEENA v1.0 exactly, defects included)."""

    def __init__(self, fidelity: Fidelity | str = Fidelity.PROJECT) -> None:
        self.fidelity = Fidelity.parse(fidelity)

    def __repr__(self) -> str:
        return f"CostModel(fidelity={self.fidelity.value!r})"

    def clock_hz(self, platform: Platform) -> float:
        """The clock the model assumes on ``platform`` (the reference: always 125 MHz)."""
        return REFERENCE_CLOCK_HZ if self.fidelity.reference else platform.clock_hz

    def symbolic(self, kind: LayerKind) -> LayerExpressions:
        """The sympy expressions of ``kind`` (for docs and reports)."""
        return layer_expressions(kind, self.fidelity)

    def layer(self, spec: LayerSpec, fold: Folding, check: bool = True) -> LayerCost:
        """Evaluate one layer; ``check`` first verifies the folding is legal."""
        if check:
            spec.check(fold)
        if (
            self.fidelity.reference
            and max(spec.data_width, spec.weight_width, spec.acc_width, spec.bias_width) > 36
        ):
            raise CostModelError("the atheena-v1 model supports data widths up to 36 bits")
        values = compiled(spec.kind, self.fidelity)(*spec.arguments(fold))
        v = dict(zip(QUANTITIES, (float(x) for x in values), strict=True))
        return LayerCost(
            interval=v["interval"],
            depth=round(v["depth"]),
            rate_in=v["rate_in"],
            rate_out=v["rate_out"],
            resources=Resources(*(round(v[r]) for r in ("lut", "ff", "dsp", "bram"))),
        )

    def units(self, spec: LayerSpec, fold: Folding) -> list[tuple[str, int, Resources]]:
        """The units `lower-to-hws` builds for the layer, as (role, count, resources of one),
        roles in the order of ``LayerExpressions.units``; they add up to ``layer(...)``'s
        resources. Empty in the reference fidelity (it models fpgaConvNet's modules)."""
        parts = layer_expressions(spec.kind, self.fidelity).units
        if not parts:
            return []
        values = compiled_units(spec.kind, self.fidelity)(*spec.arguments(fold))
        return [
            (p.role, round(float(v[0])), Resources(*(round(float(x)) for x in v[1:])))
            for p, v in zip(parts, values, strict=True)
        ]

    def evaluate(
        self, kind: LayerKind, values: Mapping[str, np.ndarray | int]
    ) -> dict[str, np.ndarray]:
        """Vectorised evaluation without legality checks, for searches.

        ``values`` maps symbol names (``str(s)`` of ``symbols.ARGS``, e.g. ``"c_i"``, ``"R"``) to
        numbers or broadcastable arrays; missing ones default to 1 (widths to 16, pads to 0).
        Returns arrays for ``compile.QUANTITIES``.
        """
        args = []
        for sym in ARGS:
            name = str(sym)
            if name in values:
                args.append(np.asarray(values[name]))
            else:
                args.append(16 if name.startswith("w_") else (0 if name.startswith("p_") else 1))
        unknown = set(values) - {str(s) for s in ARGS}
        if unknown:
            raise CostModelError(f"unknown cost-model symbols {sorted(unknown)}")
        out = compiled(kind, self.fidelity)(*args)
        shape = np.broadcast_shapes(*(np.shape(a) for a in args))
        return {q: np.broadcast_to(np.asarray(o, dtype=float), shape) for q, o in
                zip(QUANTITIES, out, strict=True)}  # fmt: skip

    def stage_throughput_expr(self) -> sp.Expr:
        """B / ((II*B + depth) / f_clk) as a sympy expression (samples per second)."""
        b, ii, d, f = sp.symbols("B II_s D_s f_clk", positive=True)
        return b / ((ii * b + d) / f)
