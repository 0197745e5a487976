"""Every tool's --help ends with example commands that parse, on files the project ships."""

from __future__ import annotations

import shlex

import pytest

from atheena_ir.tools import atheena_compile, atheena_csim, atheena_dse, atheena_profile
from tests.conftest import REPO

PARSERS = {
    "atheena-compile": atheena_compile.parser,
    "atheena-dse": atheena_dse.parser,
    "atheena-profile": atheena_profile.build_parser,
    "atheena-csim": atheena_csim.build_parser,
}


@pytest.mark.parametrize("tool", sorted(PARSERS))
def test_help_shows_examples_that_parse(tool: str) -> None:
    text = PARSERS[tool]().format_help()
    examples = text.split("examples:\n")[1].split("\n\n")[0].splitlines()
    ours = [shlex.split(line) for line in examples if line.split()[0] == tool]
    assert ours, text
    for words in ours:
        PARSERS[tool]().parse_args(words[1:])
        assert (REPO / words[1]).exists() or tool == "atheena-csim"


def test_dse_algorithm_has_help() -> None:
    text = atheena_dse.parser().format_help()
    assert "exact: the proven best design per budget" in text
