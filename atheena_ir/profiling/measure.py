"""
Evaluate exit thresholds on precomputed exit scores: numpy only, no interpreter run.

A sample leaves at the first early exit k whose confidence `max(softmax(logits_k))`
exceeds threshold k (float32 comparison, as `ee.exit_decision` decides), otherwise at the
final classifier; its prediction is the argmax of that exit's logits.

    >>> scores = collect_exit_scores(module, x)
    >>> result = evaluate(scores, y, (0.996,))
    >>> [e.fraction for e in result.exits], result.accuracy
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from atheena_ir.errors import UserError
from atheena_ir.profiling.probe import ExitScores


@dataclass(frozen=True)
class ExitStats:
    """One exit at one threshold: how many samples leave there and how many are right."""

    name: str
    count: int
    correct: int
    fraction: float
    """`count / N`: the fraction of ALL samples that leave here (what split-exits reads)."""
    accuracy: float | None
    """`correct / count`, None when no sample leaves here."""


@dataclass(frozen=True)
class ThresholdResult:
    """The exits' statistics and the overall accuracy for one threshold per early exit."""

    thresholds: tuple[float, ...]
    exits: tuple[ExitStats, ...]
    accuracy: float

    @property
    def early_exit_fractions(self) -> tuple[float, ...]:
        """The fraction of all samples leaving at each early exit (not the final one)."""
        return tuple(e.fraction for e in self.exits[:-1])


def exit_names(num_early_exits: int) -> list[str]:
    """`exit 0`, `exit 1`, ..., then `final`."""
    return [f"exit {k}" for k in range(num_early_exits)] + ["final"]


def check_thresholds(thresholds: Sequence[float], num_early_exits: int) -> tuple[float, ...]:
    """One threshold in (0, 1) per early exit (a single value applies to every exit)."""
    values = tuple(float(t) for t in thresholds)
    for t in values:
        if not (math.isfinite(t) and 0.0 < t < 1.0):
            raise UserError(f"threshold {t:g} is not in (0, 1)")
    if len(values) == 1:
        return values * num_early_exits
    if len(values) != num_early_exits:
        raise UserError(
            f"{len(values)} thresholds ({':'.join(f'{t:g}' for t in values)}) for a network with "
            f"{num_early_exits} early exit(s): give one value for every exit or one per exit"
        )
    return values


def exit_choices(scores: ExitScores, thresholds: Sequence[float]) -> np.ndarray:
    """The exit each sample takes (`0..E-1` early, `E` final), as the interpreter numbers them."""
    values = check_thresholds(thresholds, scores.num_early_exits)
    leave = scores.confidence > np.asarray(values, np.float32).reshape(-1, 1)
    taken = np.vstack([leave, np.ones((1, scores.num_samples), bool)])
    return np.argmax(taken, axis=0)


def evaluate(
    scores: ExitScores, labels: np.ndarray, thresholds: Sequence[float]
) -> ThresholdResult:
    """Fractions and accuracies of every exit, and overall accuracy, at `thresholds`."""
    values = check_thresholds(thresholds, scores.num_early_exits)
    choice = exit_choices(scores, values)
    n = scores.num_samples
    right = scores.predictions()[choice, np.arange(n)] == labels
    stats = []
    for k, name in enumerate(exit_names(scores.num_early_exits)):
        here = choice == k
        count, correct = int(here.sum()), int(right[here].sum())
        stats.append(ExitStats(name, count, correct, count / n, correct / count if count else None))
    return ThresholdResult(values, tuple(stats), float(right.mean()))


def accuracy_alone(scores: ExitScores, labels: np.ndarray) -> tuple[float, ...]:
    """Each exit's accuracy if every sample took it."""
    return tuple(float(p.mean()) for p in scores.predictions() == labels)
