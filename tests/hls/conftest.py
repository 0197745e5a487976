"""Compile every design of the folder on all cores before the first test (cached by content)."""

from __future__ import annotations

import pytest

from atheena_ir import models
from tests.conftest import SHARED
from tests.hls.flow import Flow, flow, prebuild


@pytest.fixture(scope="session", autouse=True)
def _compiled_designs() -> None:
    from tests.hls import test_exits, test_models, test_shared, test_three_exits, test_types

    flows: list[Flow] = [test_models.model_flow(n, f) for n, f in test_models.CASES]
    flows.append(flow("b_lenet", models.b_lenet, test_exits.SPEC))
    flows.append(flow("b_lenet_types", models.b_lenet, test_types.SPEC, test_types.LOWER))
    flows.append(flow("three_exits", test_three_exits.three_exit_model, test_three_exits.SPEC))
    if (SHARED / test_shared.MODEL).is_file():
        flows.append(test_shared.shared_flow(SHARED)[0])
    prebuild(flows)
