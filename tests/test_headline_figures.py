"""
The headline of docs/benchmarks.md is best against best, and the per-budget ratio is a curve:
computed on ATHEENA's published B-LeNet fronts, best against best is 2.22x while the largest
per-budget ratio is 2.78x (the figure the docs once headlined).
"""

from __future__ import annotations

import pytest

from atheena_ir.dse.front import default_budgets
from benchmarks.headline import ATHEENA_BLENET, atheena_curve, best_within
from tests.conftest import REPO


def test_best_within_a_budget_reads_the_published_front() -> None:
    front = ATHEENA_BLENET["baseline"]
    assert best_within(front, 0.19) is None
    assert best_within(front, 0.4) == 21693
    assert best_within(front, 1.0) == 43387


def test_atheena_fronts_best_against_best_and_per_budget() -> None:
    curve = atheena_curve(default_budgets(20))
    assert curve.best_vs_best() == pytest.approx(96393 / 43387)
    assert round(curve.best_vs_best(), 2) == 2.22
    ratio, budget = curve.best_per_budget()
    assert ratio == pytest.approx(86771 / 31236)
    assert budget == pytest.approx(0.7)


def test_benchmarks_doc_headlines_best_against_best() -> None:
    text = (REPO / "docs" / "benchmarks.md").read_text()
    headline = text.split("\n## ")[1]
    assert headline.startswith("Headline: early exit against the baseline, best against best")
    atheena_row = (
        "| B-LeNet (ATHEENA's fronts) | ATHEENA (annealing) | atheena-v1 | 96,393 | 43,387 "
        "| **2.22x** | 2.78x (70%) |"
    )
    assert atheena_row in headline
    assert "img/ratio_by_budget.png" in headline
    assert (REPO / "docs" / "img" / "ratio_by_budget.png").is_file()
