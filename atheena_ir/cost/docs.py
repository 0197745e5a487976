"""Render the cost model's symbolic forms as markdown (for docs/cost_model.md and reports)."""

from __future__ import annotations

import sympy as sp

from atheena_ir.cost.compile import layer_expressions
from atheena_ir.cost.fidelity import Fidelity
from atheena_ir.cost.layer_kind import LayerKind

_QUANTITIES = ("interval", "depth", "lut", "ff", "dsp", "bram")


def pretty(expr: sp.Expr, digits: int = 5) -> str:
    """A compact one-line form of ``expr`` with coefficients rounded to ``digits`` digits."""
    return sp.sstr(expr.xreplace({f: sp.Float(f, digits) for f in expr.atoms(sp.Float)}))


def render_kind(kind: LayerKind) -> str:
    """Markdown for one layer kind: the project's expressions, then where v1.0 differs."""
    project = layer_expressions(kind, Fidelity.PROJECT)
    reference = layer_expressions(kind, Fidelity.ATHEENA_V1)
    lines = [f"### {kind.value}", ""]
    for name in _QUANTITIES:
        lines.append(f"- `{name}` = `{pretty(getattr(project, name))}`")
    diffs = [
        name
        for name in _QUANTITIES
        if pretty(getattr(project, name), 8) != pretty(getattr(reference, name), 8)
    ]
    if diffs:
        lines += ["", 'ATHEENA v1.0 (`fidelity="atheena-v1"`) differs:', ""]
        for name in diffs:
            lines.append(f"- `{name}` = `{pretty(getattr(reference, name))}`")
    lines.append("")
    return "\n".join(lines)


def render_markdown() -> str:
    """Markdown for every layer kind (the equations section of docs/cost_model.md)."""
    return "\n".join(render_kind(kind) for kind in LayerKind)
