"""Shared pytest fixtures: the parsing context and the path of ../shared (skip when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from xdsl.context import Context
from xdsl.dialects.builtin import Builtin
from xdsl.dialects.func import Func

from atheena_ir.dialects.ee import EE

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")


def make_context() -> Context:
    """A context that knows builtin, func and ee."""
    ctx = Context()
    for dialect in (Builtin, Func, EE):
        ctx.load_dialect(dialect)
    return ctx


@pytest.fixture
def ctx() -> Context:
    return make_context()


@pytest.fixture
def shared() -> Path:
    """The shared ATHEENA artefacts; the test skips where they are not laid out."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED
