"""
`atheena-opt` starts light: its help and a plain parse import none of the heavy libraries the passes
need (the cost model's sympy, the search's scipy, the plots' matplotlib, the importer's onnx).

This checks which modules get imported, not how long it takes; the start-up time is measured by
`benchmarks/startup.py` (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from atheena_ir.backends import get_all_targets
from atheena_ir.passes import get_all_passes

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "two_exit_net.mlir"

PROBE = """
import json, sys
from atheena_ir.tools.atheena_opt import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {"scipy", "matplotlib",
      "sympy", "onnx", "numpy"} or m.startswith(("atheena_ir.cost", "atheena_ir.dse")))),
      file=sys.stderr)
"""


def heavy_modules_imported(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300
    )
    imported = json.loads(done.stderr.strip().splitlines()[-1])
    return sorted({m.split(".")[0] if not m.startswith("atheena_ir") else m for m in imported})


@pytest.mark.parametrize("args", [["--help"], [str(EXAMPLE)]])
def test_help_and_parse_import_no_heavy_library(args: list[str]) -> None:
    # not even numpy: the ee dialect imports it where it computes (folds, reference values)
    assert heavy_modules_imported(*args) == []


def test_canonicalize_imports_no_cost_model_or_search() -> None:
    imported = heavy_modules_imported(str(EXAMPLE), "-p", "canonicalize,cse")
    assert set(imported) <= {"numpy"}


def test_the_probe_sees_a_heavy_import() -> None:
    # The dse pass needs the search: the probe must report it, or the test above proves nothing.
    imported = heavy_modules_imported(str(EXAMPLE), "-p", "split-exits{exit-probs=0.5},dse")
    assert "scipy" in imported
    assert "atheena_ir.dse" in imported


def test_help_lists_the_project_passes_first_with_their_summaries() -> None:
    text = subprocess.run(
        [str(Path(sys.executable).parent / "atheena-opt"), "--help"],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert "examples:" in text
    assert text.index("project passes") < text.index("options:")
    for name, factory in [*get_all_passes().items(), *get_all_targets().items()]:
        first_line = factory().__doc__.strip().splitlines()[0]
        assert f"  {name:<22} {first_line}\n" in text
