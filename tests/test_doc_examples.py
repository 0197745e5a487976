"""
The IR of the references runs: every pass's before/after example (docs/passes.md is generated
from the same docstrings) is the pass's real output, and every `mlir` block of
docs/dialects/*.md parses and verifies. The tutorials' blocks: tests/test_tutorials.py.
"""

from __future__ import annotations

import inspect
import re
import sys

import pytest
from xdsl.parser import Parser
from xdsl.utils.exceptions import PassFailedException
from xdsl.utils.mlir_lexer import MLIRTokenKind

import atheena_ir
from atheena_ir.passes import get_all_passes
from tests.conftest import REPO
from tests.doc_blocks import fenced_blocks, matches

EXAMPLE = re.compile(
    r"Before \(`-p '(?P<pipeline>[^']+)'`\)[^\n]*:\n```mlir\n(?P<before>.*?)```\n"
    r"(?P<kind>After|Fails with)[^\n]*:\n```[a-z]*\n(?P<after>.*?)```",
    re.S,
)
"""A pass example: `Before (`-p 'PIPELINE'`):`, an mlir block, then `After:` and the IR the
pipeline prints, or `Fails with:` and its message (a line `...` stands for any lines)."""


def _pass_docs() -> dict[str, str]:
    docs = {}
    for name, factory in get_all_passes().items():
        docs[name] = inspect.getdoc(sys.modules[factory().__module__]) or ""
    from atheena_ir.passes import ee_canonicalization

    docs["canonicalize"] = inspect.getdoc(ee_canonicalization) or ""
    return docs


PASS_DOCS = _pass_docs()


@pytest.mark.parametrize("name", sorted(PASS_DOCS))
def test_every_pass_documents_a_before_after_example(name: str) -> None:
    assert EXAMPLE.search(PASS_DOCS[name]), (
        f"the module docstring of '{name}' needs an IR example: Before (`-p '...'`): + an mlir "
        "block, then After: + the IR it prints (or Fails with: + the message)"
    )


@pytest.mark.parametrize(
    ("name", "index"),
    [
        (name, i)
        for name, doc in sorted(PASS_DOCS.items())
        for i, _ in enumerate(EXAMPLE.finditer(doc))
    ],
)
def test_pass_examples_are_the_real_output(name: str, index: int) -> None:
    example = list(EXAMPLE.finditer(PASS_DOCS[name]))[index]
    module = atheena_ir.parse(example["before"])
    if example["kind"] == "Fails with":
        with pytest.raises(PassFailedException) as failure:
            atheena_ir.run_passes(module, example["pipeline"])
        assert " ".join(str(failure.value).split()) == " ".join(example["after"].split())
        return
    atheena_ir.run_passes(module, example["pipeline"])
    printed = "\n".join(str(op) for op in module.ops)
    assert matches(example["after"], printed), f"the pass prints:\n{printed}"


def _ops_of(text: str) -> list[str]:
    """Parse `text` op by op (operands may be defined elsewhere), verify each, return names;
    a block of types or attributes (`!hws.ctrl`), one per line."""
    if text.lstrip().startswith(("!", "#")):
        lines = [line.split("//")[0].strip() for line in text.splitlines()]
        return [str(Parser(atheena_ir.context(), t).parse_attribute()) for t in lines if t]
    parser = Parser(atheena_ir.context(), text)
    names = []
    while parser._current_token.kind is not MLIRTokenKind.EOF:
        op = parser.parse_op()
        op.verify()
        names.append(op.name)
    return names


DIALECT_BLOCKS = [
    (path.name, block)
    for path in sorted((REPO / "docs" / "dialects").glob("*.md"))
    for block in fenced_blocks(path.read_text())
    if block.lang == "mlir"
]


@pytest.mark.parametrize(
    ("page", "block"), DIALECT_BLOCKS, ids=[f"{p}:{b.line}" for p, b in DIALECT_BLOCKS]
)
def test_dialect_reference_ir_parses_and_verifies(page: str, block: object) -> None:
    assert _ops_of(block.text)  # type: ignore[attr-defined]
