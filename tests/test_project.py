"""Project-wide rules: packaging covers every package, docs match the code, examples exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from atheena_ir.dialects import get_all_dialects
from atheena_ir.dialects.ee import OPS
from atheena_ir.tools.dialect_docs import render

REPO = Path(__file__).resolve().parents[1]
MAPPED = {
    "atheena_ir": "atheena_ir",
    "dialects": "atheena_ir.dialects",
    "passes": "atheena_ir.passes",
    "backends": "atheena_ir.backends",
}


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set()
    for folder, namespace in MAPPED.items():
        for init in (REPO / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / folder).parts
            found.add(".".join([namespace, *rel]))
    assert found - listed == set(), "add these to [tool.setuptools] packages"


def test_code_imports_only_through_the_namespace() -> None:
    bare = re.compile(r"^\s*(from|import) (dialects|passes|backends)(\.|\s|$)", re.M)
    offenders = [
        str(p.relative_to(REPO))
        for folder in [*MAPPED, "tests"]
        for p in (REPO / folder).rglob("*.py")
        if bare.search(p.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(get_all_dialects()))
def test_dialect_reference_is_up_to_date(name: str) -> None:
    committed = (REPO / "docs" / "dialects" / f"{name}.md").read_text()
    assert committed == render(get_all_dialects()[name]()), (
        f"regenerate: python -m atheena_ir.tools.dialect_docs {name} > docs/dialects/{name}.md"
    )


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_op_documents_an_ir_example(op: type) -> None:
    doc = op.__doc__ or ""
    assert "```mlir" in doc
    assert op.name in doc


def test_pass_reference_is_up_to_date() -> None:
    from atheena_ir.tools.pass_docs import render as render_passes

    committed = (REPO / "docs" / "passes.md").read_text()
    assert committed == render_passes(), (
        "regenerate: python -m atheena_ir.tools.pass_docs > docs/passes.md"
    )
