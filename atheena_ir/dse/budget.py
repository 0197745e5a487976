"""The resource budget of a search: a fraction of every resource or per-resource limits.

``Budget.parse`` reads what a user writes::

    0.5                 half of every resource of the platform
    50%                 the same
    dsp=400 lut=0.5     400 DSPs, half the LUTs, the whole platform otherwise
    dsp=40% bram=600    percentages, fractions (<= 1 with a decimal point) and counts mix freely

Entries are separated by spaces, commas or semicolons; resources are ``lut``, ``ff``, ``dsp``
and ``bram`` (BRAM18 blocks; ``bram18`` is accepted too).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from atheena_ir.cost.platform import Platform
from atheena_ir.errors import UserError

RESOURCES = ("lut", "ff", "dsp", "bram")
"""The resource order of every array in the search (BRAM in 18 Kb blocks)."""

_ALIASES = {"lut": "lut", "luts": "lut", "ff": "ff", "ffs": "ff", "dsp": "dsp", "dsps": "dsp",
            "bram": "bram", "bram18": "bram", "brams": "bram"}  # fmt: skip


def platform_capacity(platform: Platform) -> np.ndarray:
    """The platform's LUT, FF, DSP, BRAM18 counts as a float array."""
    return np.array([platform.resources[r] for r in RESOURCES], dtype=float)


@dataclass(frozen=True)
class Budget:
    """Per-resource limits as fractions of the platform (``fractions[k]`` for ``RESOURCES[k]``)."""

    fractions: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    text: str = "1.0"

    @property
    def uniform(self) -> bool:
        """True when every resource gets the same fraction."""
        return len(set(self.fractions)) == 1

    def caps(self, platform: Platform) -> np.ndarray:
        """The absolute limits (resource counts) on ``platform``."""
        return np.array(self.fractions) * platform_capacity(platform)

    def scaled(self, factor: float) -> Budget:
        """Every limit multiplied by ``factor``."""
        fr = tuple(f * factor for f in self.fractions)
        return Budget(fr, describe(fr))  # type: ignore[arg-type]

    @classmethod
    def fraction(cls, value: float) -> Budget:
        """``value`` of every resource."""
        _check_fraction(value, "budget")
        return cls((value,) * 4, f"{value:g}")

    @classmethod
    def parse(cls, text: str | float, platform: Platform | None = None) -> Budget:
        """Read a budget (see the module docstring); raises ``UserError`` with the bad entry."""
        if isinstance(text, int | float):
            return cls.fraction(float(text))
        raw = text.strip()
        single = _number(raw, None)
        if single is not None:
            if single[1] == "count":
                raise UserError(
                    f"budget {raw!r}: a budget for every resource is a fraction (0.5) or a "
                    "percentage (50%); give counts per resource, e.g. 'dsp=400'"
                )
            return cls.fraction(single[0])
        fractions = [1.0, 1.0, 1.0, 1.0]
        entries = [e for e in re.split(r"[\s,;]+", raw) if e]
        if not entries:
            raise UserError("empty budget; give a fraction such as 0.5 or limits like 'dsp=400'")
        for entry in entries:
            key, sep, value = entry.partition("=")
            if not sep:
                key, sep, value = entry.partition(":")
            name = _ALIASES.get(key.strip().lower())
            if not sep or name is None:
                raise UserError(
                    f"budget entry {entry!r}: expected RESOURCE=LIMIT with RESOURCE one of "
                    "lut, ff, dsp, bram (e.g. 'dsp=400 lut=0.5')"
                )
            parsed = _number(value.strip(), name)
            if parsed is None:
                raise UserError(f"budget entry {entry!r}: {value!r} is not a number")
            number, unit = parsed
            index = RESOURCES.index(name)
            if unit == "count":
                if platform is None:
                    raise UserError(f"budget entry {entry!r}: a count needs a platform")
                if number <= 0:
                    raise UserError(f"budget entry {entry!r}: the limit must be positive")
                have = platform.resources[name]
                if number > have:
                    raise UserError(
                        f"budget entry {entry!r}: {platform.name} has only {have} "
                        f"{name.upper()}; a design larger than the device cannot be built"
                    )
                fractions[index] = number / have
            else:
                _check_fraction(number, f"budget entry {entry!r}")
                fractions[index] = number
        return cls(tuple(fractions), raw)  # type: ignore[arg-type]


def describe(fractions: tuple[float, ...]) -> str:
    """A budget's text for messages: '0.25' or 'lut=0.25 ff=1 dsp=0.1 bram=1'."""
    if len(set(fractions)) == 1:
        return f"{fractions[0]:.4g}"
    return " ".join(f"{r}={f:.4g}" for r, f in zip(RESOURCES, fractions, strict=True))


def _number(text: str, resource: str | None) -> tuple[float, str] | None:
    """(value, 'fraction' | 'count') or None when ``text`` is not a number."""
    percent = text.endswith("%")
    body = text[:-1] if percent else text
    try:
        value = float(body)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    if percent:
        return value / 100.0, "fraction"
    if "." in body or "e" in body.lower() or value <= 1.0:
        return value, "fraction"
    return value, "count"


def _check_fraction(value: float, what: str) -> None:
    if not (math.isfinite(value) and 0.0 < value <= 1.0):
        raise UserError(f"{what}: {value:g} is not a fraction in (0, 1] of the platform")
