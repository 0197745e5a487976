"""A budget below the smallest design names the resource that limits it."""

from __future__ import annotations

import pytest

from atheena_ir.cost import load_platform
from atheena_ir.dse.budget import Budget
from atheena_ir.dse.load import problems
from atheena_ir.dse.search import explore
from atheena_ir.errors import UserError
from atheena_ir.models import triple_wins, triple_wins_backbone


def test_too_small_a_budget_names_the_limiting_resource() -> None:
    # Triple-Wins' weights need about half the BRAM18 at the smallest folding, while its LUTs
    # are far from full: the message must say BRAM, not leave the user to guess.
    problem, _ = problems(triple_wins(), load_platform("zc706"), [0.75], triple_wins_backbone())
    with pytest.raises(UserError) as info:
        explore(problem, Budget.fraction(0.3))
    message = str(info.value)
    assert "the smallest feasible budget is 0.6073 of every resource" in message
    assert message.endswith(
        "(limited by BRAM18: the smallest design needs 60.7% of the board's BRAM18)"
    )
