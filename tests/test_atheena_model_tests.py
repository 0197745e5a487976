"""
Only the tests that need ATHEENA's own model file (GPL-3) depend on anything outside the project,
and docs/testing.md names exactly those.
"""

from __future__ import annotations

import re

from tests.conftest import REPO

TESTS = REPO / "tests"
USES_MODEL = re.compile(r"\bshared: Path\b|\bATHEENA_MODELS\b|\bshared_flow\(")


def documented() -> set[str]:
    text = (REPO / "docs" / "testing.md").read_text()
    block = text.split("<!-- atheena-model-tests -->")[1].split("<!-- /atheena-model-tests -->")[0]
    return set(re.findall(r"^- `(tests/[^`]+\.py)`", block, re.M))


def test_docs_list_every_test_file_that_needs_the_model() -> None:
    using = {
        str(path.relative_to(REPO))
        for path in TESTS.rglob("test_*.py")
        if USES_MODEL.search(path.read_text())
    }
    assert using == documented()


def test_no_test_reads_anything_else_outside_the_project() -> None:
    # Published tables live in the project; the only outside files are the model exports.
    # (a path built into ../shared's reference folder, or ../shared reached by hand)
    outside = re.compile(r"""/\s*["']reference["']|parents\[\d\]\s*/\s*["']\.\.["']""")
    offenders = [
        str(path.relative_to(REPO))
        for path in TESTS.rglob("test_*.py")
        if outside.search(path.read_text())
    ]
    assert offenders == []
