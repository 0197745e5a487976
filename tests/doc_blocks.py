"""
Fenced blocks of the docs (Markdown files and docstrings), for the tests that run them.

The conventions the docs follow (docs/testing.md):

- a ```` ```python ```` block in a tutorial runs, in order with the page's other python blocks,
  in one namespace; ```` ```python excerpt=FILE ```` is a verbatim excerpt of FILE instead;
- ```` ```mlir ```` blocks parse and verify (ops whose operands are defined elsewhere are fine);
  ```` ```mlir excerpt=FILE ```` is an excerpt of FILE;
- ```` ```console ```` blocks hold `$ command` lines followed by lines of their output;
- an excerpt or an expected output is compared up to whitespace (docs may wrap long lines);
  `...` in it stands for any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(
    r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)


@dataclass(frozen=True)
class FencedBlock:
    """One fenced block: its language, its `key=value` options, its text and first line."""

    lang: str
    options: dict[str, str]
    text: str
    line: int

    def where(self, source: str) -> str:
        return f"{source}:{self.line}"


def fenced_blocks(markdown: str) -> list[FencedBlock]:
    """Every fenced block of `markdown`, in order."""
    blocks = []
    for m in FENCE.finditer(markdown):
        lang, *opts = m.group("info").split() or [""]
        options = {key: value for key, _, value in (o.partition("=") for o in opts)}
        indent = len(m.group("indent"))
        body = "\n".join(line[indent:] for line in m.group("body").splitlines())
        blocks.append(FencedBlock(lang, options, body, markdown.count("\n", 0, m.start()) + 2))
    return blocks


def matches(expected: str, actual: str) -> bool:
    """
    Whether `actual` reads as `expected` up to whitespace (line breaks and indentation are
    free, so docs may wrap long lines: `{a = 1}` and `{\n  a = 1}` match), where `...` stands
    for any text.
    """
    parts = []
    for part in expected.split("..."):
        words = [re.escape(w) for w in part.split()]
        parts.append(r"\s*".join(words))
    pattern = r"\s*.*?\s*".join(parts)
    return re.fullmatch(r"\s*" + pattern + r"\s*", actual, re.S) is not None


def is_excerpt(excerpt: str, text: str) -> bool:
    """Whether `excerpt` (lines, `...` for any) appears somewhere in `text` as written."""
    return matches("...\n" + excerpt + "\n...", text)
