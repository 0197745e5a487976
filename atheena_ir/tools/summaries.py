"""
One-line summaries of the project's passes and targets, read from their source without importing it.

`atheena-opt --help` lists every project pass and target with the first line of its class docstring.
Importing the pass modules would pull in the cost model, the search (scipy) and sympy, which a
help text or a plain parse does not need; the docstring is read from the module's source with
`ast` instead (the source stays the one place where the summary is written).

```python
summary("atheena_ir.passes.fold", "FoldPass")   # 'Set every compute op's folding from ...'
```
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path

from atheena_ir.backends import TARGETS
from atheena_ir.passes import PASSES


def summary(module: str, cls: str) -> str:
    """The first line of class `cls`'s docstring in `module` ('' when it has none)."""
    doc = _class_docs(module).get(cls, "")
    return doc.strip().splitlines()[0] if doc.strip() else ""


@cache
def _class_docs(module: str) -> dict[str, str]:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return {}
    tree = ast.parse(Path(spec.origin).read_text())
    return {
        node.name: ast.get_docstring(node) or ""
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }


def _listing(title: str, table: dict[str, str], package: str) -> list[str]:
    lines = [title]
    for name, location in table.items():
        module, cls = location.split(":")
        lines.append(f"  {name:<22} {summary(f'{package}.{module}', cls)}")
    return lines


def project_listing() -> str:
    """The project's passes and targets, one per line with its summary, under two headings."""
    return "\n".join(
        _listing("project passes (-p NAME{opt=value ...}):", PASSES, "atheena_ir.passes")
        + _listing("project targets (-t NAME):", TARGETS, "atheena_ir.backends")
    )
