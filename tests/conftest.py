"""Shared pytest fixtures: the parsing context (`atheena_ir.context()`), the path of ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from xdsl.context import Context

import atheena_ir

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")


@pytest.fixture
def ctx() -> Context:
    """The context scripts use too: every xDSL dialect plus ee and hws."""
    return atheena_ir.context()


@pytest.fixture
def shared() -> Path:
    """The shared ATHEENA artefacts; the test skips where they are not laid out."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED
