"""
`profile`: every exit's logits once, then every threshold with numpy.

    >>> from atheena_ir.profiling import profile
    >>> p = profile(module, samples, [(0.5,), (0.9,), (0.996,)])
    >>> p.results[2].exits[0].fraction      # fraction of all samples leaving at exit 0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp

from atheena_ir.profiling.data import Samples, check_labels
from atheena_ir.profiling.measure import (
    ThresholdResult,
    accuracy_alone,
    evaluate,
    exit_names,
)
from atheena_ir.profiling.probe import DEFAULT_BATCH, ExitScores, collect_exit_scores


@dataclass(frozen=True)
class Profile:
    """The measured table: one `ThresholdResult` per threshold setting, and its context."""

    model: str
    data: str
    num_samples: int
    num_classes: int
    exit_names: tuple[str, ...]
    accuracy_alone: tuple[float, ...]
    """Each exit's accuracy if every sample took it."""
    results: tuple[ThresholdResult, ...]
    scores: ExitScores


def profile(
    module: ModuleOp,
    samples: Samples,
    thresholds: Sequence[Sequence[float]],
    *,
    model: str = "<module>",
    batch: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> Profile:
    """
    Run `samples` once through `module` and measure each setting in `thresholds` (each one
    value for every exit or one per early exit). A network without exits gives one row.
    """
    scores = collect_exit_scores(module, samples.x, batch, progress)
    check_labels(samples, scores.num_classes)
    settings = list(thresholds) if scores.num_early_exits else [()]
    results = tuple(evaluate(scores, samples.y, t) for t in settings)
    return Profile(
        model=model,
        data=samples.source,
        num_samples=scores.num_samples,
        num_classes=scores.num_classes,
        exit_names=tuple(exit_names(scores.num_early_exits)),
        accuracy_alone=accuracy_alone(scores, samples.y),
        results=results,
        scores=scores,
    )
