"""`set-exit-thresholds`: the interpreter then decides with the new thresholds; bad options fail."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import FloatAttr, ModuleOp
from xdsl.utils.exceptions import PassFailedException

import atheena_ir
from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from atheena_ir.passes import get_all_passes
from atheena_ir.passes.set_exit_thresholds import SetExitThresholdsPass
from atheena_ir.passes.split_exits import EXIT_FRACTION_ATTR
from atheena_ir.profiling import collect_exit_scores, exit_choices
from tests.ee_networks import early_exit_networks
from tests.profiling.models import three_exit_module


def _decisions(module: ModuleOp) -> list[ee.ExitDecisionOp]:
    return [o for o in module.walk() if isinstance(o, ee.ExitDecisionOp)]


def _inputs(module: ModuleOp, seed: int) -> np.ndarray:
    arg = next(o for o in module.walk() if o.name == "func.func").body.block.args[0]
    shape = (32, *arg.type.get_shape()[1:])  # type: ignore[attr-defined]
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@settings(max_examples=25)
@given(
    early_exit_networks(min_exits=1, max_exits=4),
    st.lists(st.floats(0.01, 0.99), min_size=4, max_size=4),
    st.integers(0, 1000),
)
def test_interpreter_decides_with_the_new_thresholds(
    module: ModuleOp, values: list[float], seed: int
) -> None:
    x = _inputs(module, seed)
    n = len(_decisions(module))
    thresholds = tuple(values[:n])
    after = module.clone()
    SetExitThresholdsPass(thresholds=thresholds).apply(atheena_ir.context(), after)
    after.verify()
    assert [d.threshold.value.data for d in _decisions(after)] == list(thresholds)
    result = run(after, x)
    np.testing.assert_array_equal(
        result.exit_index, exit_choices(collect_exit_scores(module, x), thresholds)
    )
    # the same threshold for all exits, given once
    SetExitThresholdsPass(thresholds=(0.5,)).apply(atheena_ir.context(), after)
    assert {d.threshold.value.data for d in _decisions(after)} == {0.5}


@settings(max_examples=15)
@given(early_exit_networks(min_exits=1, max_exits=2), st.integers(0, 1000))
def test_a_higher_threshold_lets_fewer_samples_leave(module: ModuleOp, seed: int) -> None:
    x = _inputs(module, seed)
    left = []
    for t in (0.3, 0.6, 0.9):
        m = module.clone()
        SetExitThresholdsPass(thresholds=(t,)).apply(atheena_ir.context(), m)
        left.append(int((run(m, x).exit_index == 0).sum()))
    assert left == sorted(left, reverse=True)


def test_changed_threshold_drops_the_stale_fraction() -> None:
    module = three_exit_module()
    d0, d1 = _decisions(module)
    for d in (d0, d1):
        d.attributes[EXIT_FRACTION_ATTR] = FloatAttr(0.25, 64)
    keep = d1.threshold.value.data
    SetExitThresholdsPass(thresholds=(0.123, keep)).apply(atheena_ir.context(), module)
    assert EXIT_FRACTION_ATTR not in d0.attributes
    assert EXIT_FRACTION_ATTR in d1.attributes


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ((), "needs thresholds"),
        ((1.0,), "threshold 1.0 is not in (0, 1)"),
        ((0.0,), "threshold 0.0 is not in (0, 1)"),
        ((0.5, 0.5, 0.5), "3 thresholds for 2 exit(s)"),
    ],
)
def test_errors(thresholds: tuple[float, ...], message: str) -> None:
    module = three_exit_module()
    with pytest.raises(PassFailedException, match=message.replace("(", r"\(").replace(")", r"\)")):
        SetExitThresholdsPass(thresholds=thresholds).apply(atheena_ir.context(), module)


def test_registered() -> None:
    assert get_all_passes()["set-exit-thresholds"]() is SetExitThresholdsPass
