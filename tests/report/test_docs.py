"""The B-LeNet example in docs/reports.md is the report the code prints today."""

from __future__ import annotations

from atheena_ir.backends.report import format_report
from atheena_ir.cost.design import design_report
from tests.conftest import REPO
from tests.report.blenet import committed_blenet, prepared


def test_reports_doc_example_is_current() -> None:
    text = (REPO / "docs" / "reports.md").read_text(encoding="utf-8")
    start = text.index("```\natheena-ir cost report:") + len("```\n")
    example = text[start : text.index("```", start)]
    report = design_report(prepared(committed_blenet()), fidelity="atheena-v1")
    assert format_report(report) == example, "update the example in docs/reports.md"
