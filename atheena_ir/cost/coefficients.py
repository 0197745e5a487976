"""The fitted linear resource coefficients per hardware module, loaded from coefficients.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

RESOURCES: tuple[str, ...] = ("lut", "ff", "dsp", "bram")
"""Resource names in the order the cost model reports them."""

PROJECT_SIGNIFICANT_DIGITS = 12
"""The project rounds each coefficient to this many significant digits (see ``Coefficients``)."""


@dataclass(frozen=True)
class Coefficients:
    """Coefficient vectors per module and resource: ``coef.of("conv", "lut")``.

    With ``rounded=True`` (the project model) the coefficients are rounded to 12 significant
    digits, which removes the regression's float noise: the reference's exponential unit has
    0.4374999999999998 DSP per data bit, so int(0.4374999999999998 * 16) = 6 rather than 7.
    """

    table: dict[str, dict[str, tuple[float, ...]]]
    rounded: bool

    def of(self, module: str, resource: str) -> tuple[float, ...]:
        """The coefficient vector of ``module`` for ``resource`` (lut, ff, dsp, bram)."""
        values = self.table[module][resource]
        if self.rounded:
            return tuple(float(f"{v:.{PROJECT_SIGNIFICANT_DIGITS}g}") for v in values)
        return values


@cache
def load_coefficients(rounded: bool) -> Coefficients:
    """Read the packaged coefficients.toml (cached)."""
    text = resources.files("atheena_ir.cost").joinpath("coefficients.toml").read_text()
    raw = tomllib.loads(text)
    table = {
        module: {r: tuple(float(v) for v in entry[r]) for r in RESOURCES}
        for module, entry in raw.items()
    }
    return Coefficients(table=table, rounded=rounded)
