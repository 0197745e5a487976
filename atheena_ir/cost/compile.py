"""Compile layer expressions into fast numpy functions with ``sympy.lambdify``.

Each layer kind compiles to one function of ``symbols.ARGS`` returning the tuple
(interval, depth, rate_in, rate_out, lut, ff, dsp, bram). Arguments may be numpy arrays of any
broadcastable shapes, so a design-space search can evaluate many foldings in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, reduce

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from atheena_ir.cost.coefficients import load_coefficients
from atheena_ir.cost.expressions import LayerExpressions
from atheena_ir.cost.fidelity import Fidelity
from atheena_ir.cost.layer_kind import BUILDERS, LayerKind
from atheena_ir.cost.memory import NUMPY_IMPLEMENTATIONS
from atheena_ir.cost.symbols import ARGS

QUANTITIES: tuple[str, ...] = (
    "interval",
    "depth",
    "rate_in",
    "rate_out",
    "lut",
    "ff",
    "dsp",
    "bram",
)
"""The order of the values a compiled cost function returns."""


class _BroadcastingPrinter(NumPyPrinter):
    """Prints Max/Min as nested numpy.maximum/minimum, which broadcast scalars and arrays."""

    def _nested(self, name: str, expr: sp.Expr) -> str:
        func = self._module_format(f"numpy.{name}")
        args = [self._print(a) for a in expr.args]
        return reduce(lambda acc, a: f"{func}({acc}, {a})", args)

    def _print_Max(self, expr: sp.Expr) -> str:
        return self._nested("maximum", expr)

    def _print_Min(self, expr: sp.Expr) -> str:
        return self._nested("minimum", expr)


@cache
def layer_expressions(kind: LayerKind, fidelity: Fidelity) -> LayerExpressions:
    """The symbolic cost of ``kind`` (built once per kind and fidelity)."""
    coef = load_coefficients(rounded=not fidelity.reference)
    return BUILDERS[kind](fidelity.reference, coef)


@cache
def compiled(kind: LayerKind, fidelity: Fidelity) -> Callable[..., tuple[np.ndarray, ...]]:
    """The numpy function of ``ARGS`` computing ``QUANTITIES`` for ``kind``."""
    exprs = layer_expressions(kind, fidelity).quantities()
    printer = _BroadcastingPrinter(
        {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True}
    )
    body = [exprs[q] for q in QUANTITIES]
    return sp.lambdify(ARGS, body, modules=[NUMPY_IMPLEMENTATIONS, "numpy"], printer=printer)


@cache
def compiled_units(kind: LayerKind, fidelity: Fidelity) -> Callable[..., list]:
    """The numpy function of ``ARGS`` giving, per built unit role of ``kind`` (the order of
    ``LayerExpressions.units``), ``[count, lut, ff, dsp, bram]`` of one unit."""
    parts = layer_expressions(kind, fidelity).units
    printer = _BroadcastingPrinter(
        {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True}
    )
    body = [[p.count, p.cost.lut, p.cost.ff, p.cost.dsp, p.cost.bram] for p in parts]
    return sp.lambdify(ARGS, body, modules=[NUMPY_IMPLEMENTATIONS, "numpy"], printer=printer)
