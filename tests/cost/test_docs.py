"""docs/cost_model.md is what docs/gen_cost_model_doc.py generates (else regenerate it)."""

from __future__ import annotations

import runpy
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_cost_model_doc_is_up_to_date() -> None:
    script = runpy.run_path(str(DOCS / "gen_cost_model_doc.py"))
    assert script["render"]() == (DOCS / "cost_model.md").read_text(encoding="utf-8"), (
        "run `python docs/gen_cost_model_doc.py`"
    )
