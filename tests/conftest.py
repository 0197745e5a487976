"""Shared pytest fixtures: the parsing context, and ATHEENA's own model files (skip when absent).

Every published figure a test needs is kept in the project (e.g. tests/cost/blenet_designs.py).
Only ATHEENA's trained B-LeNet export is not: it is GPL-3 licensed and this project is
Apache-2.0. Tests that run on it take the `shared` fixture and skip with that reason when the
file is absent; set ATHEENA_SHARED to the folder that holds `models/atheena/` (default ../shared).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from xdsl.context import Context

import atheena_ir

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ATHEENA_SHARED", REPO.parent / "shared"))
ATHEENA_MODELS = SHARED / "models" / "atheena"
NO_ATHEENA_MODEL = (
    "needs ATHEENA's own B-LeNet export (GPL-3, not shipped with this Apache-2.0 project): "
    f"put it in {ATHEENA_MODELS} or set ATHEENA_SHARED"
)

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
    """The folder holding ATHEENA's model files (`models/atheena/`); skips when they are absent."""
    if not ATHEENA_MODELS.is_dir():
        pytest.skip(NO_ATHEENA_MODEL)
    return SHARED
