"""A bundle of FPGA resources (LUT, FF, DSP, BRAM18) with addition and utilisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atheena_ir.cost.platform import Platform


@dataclass(frozen=True)
class Resources:
    """Resource counts; BRAM is in 18 Kb blocks."""

    lut: int = 0
    ff: int = 0
    dsp: int = 0
    bram: int = 0

    def __add__(self, other: Resources) -> Resources:
        return Resources(
            self.lut + other.lut, self.ff + other.ff, self.dsp + other.dsp, self.bram + other.bram
        )

    def as_dict(self) -> dict[str, int]:
        """{"lut": ..., "ff": ..., "dsp": ..., "bram": ...}."""
        return {"lut": self.lut, "ff": self.ff, "dsp": self.dsp, "bram": self.bram}

    def utilisation(self, platform: Platform) -> dict[str, float]:
        """Each resource as a fraction of the platform's budget."""
        budget = platform.resources
        return {name: value / budget[name] for name, value in self.as_dict().items()}

    def fits(self, platform: Platform, allocation: float = 1.0) -> bool:
        """True when every resource is within ``allocation`` of the platform's budget."""
        return all(u <= allocation for u in self.utilisation(platform).values())
