"""Which cost model to build: the project's (defects fixed) or ATHEENA v1.0's exact reproduction."""

from __future__ import annotations

from enum import Enum

from atheena_ir.cost.errors import CostModelError


class Fidelity(Enum):
    """The two models the cost package builds.

    ``PROJECT`` is the default and fixes the reference's known defects (see docs/cost_model.md);
    ``ATHEENA_V1`` reproduces fpgaConvNet as forked by ATHEENA v1.0 figure for figure, for
    calibration against the published designs.
    """

    PROJECT = "project"
    ATHEENA_V1 = "atheena-v1"

    @classmethod
    def parse(cls, value: Fidelity | str) -> Fidelity:
        """Accept a ``Fidelity`` or its string name (``"project"``, ``"atheena-v1"``)."""
        if isinstance(value, Fidelity):
            return value
        for member in cls:
            if member.value == value:
                return member
        names = ", ".join(repr(m.value) for m in cls)
        raise CostModelError(f"unknown cost-model fidelity {value!r}; use one of {names}")

    @property
    def reference(self) -> bool:
        """True for the exact reproduction of ATHEENA v1.0."""
        return self is Fidelity.ATHEENA_V1
