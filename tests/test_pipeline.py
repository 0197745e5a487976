"""The Python entry points of atheena_ir/pipeline.py: context, parse, run_passes, option types."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest
from xdsl.passes import ModulePass
from xdsl.utils.exceptions import PassFailedException

import atheena_ir
from atheena_ir.errors import UserError
from atheena_ir.pipeline import check_pipeline, option_keys, option_types
from atheena_ir.tools.pass_docs import options_table

RELU = """
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = ee.relu %x : tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
"""

PASS_SOURCE = '''
from dataclasses import dataclass
from xdsl.passes import ModulePass

@dataclass(frozen=True)
class ScalePass(ModulePass):
    """A pass with list and optional options."""

    name = "scale"

    factors: tuple[float, ...] = ()
    limit: int | None = None
    mode: str = "max"

    def apply(self, ctx, op):
        pass
'''


def _pass_class(future: bool) -> type[ModulePass]:
    """The pass of PASS_SOURCE, in a module of its own (with or without the future import)."""
    name = f"scale_pass_{'future' if future else 'plain'}"
    if name not in sys.modules:
        module = types.ModuleType(name)
        sys.modules[name] = module
        source = ("from __future__ import annotations\n" if future else "") + PASS_SOURCE
        exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    return sys.modules[name].ScalePass


def test_context_knows_the_project_and_xdsl_dialects() -> None:
    module = atheena_ir.parse(
        RELU.replace("func.return %y", "%c = arith.constant 1 : i32\n  func.return %y")
    )
    assert [op.name for op in module.walk()][2:4] == ["ee.relu", "arith.constant"]
    assert atheena_ir.context().get_optional_op("hws.relu") is not None


def test_run_passes_takes_the_pipeline_syntax_of_atheena_opt() -> None:
    module = atheena_ir.run_passes(atheena_ir.parse(RELU), "fold{coarse=2}")
    assert "#ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>" in str(module)


def test_run_passes_refuses_what_atheena_opt_refuses() -> None:
    with pytest.raises(UserError, match=r"unknown option 'corse' for pass 'fold'\. Did you mean"):
        atheena_ir.run_passes(atheena_ir.parse(RELU), "fold{corse=2}")
    with pytest.raises(PassFailedException, match="data-width = 99 is out of range"):
        atheena_ir.run_passes(atheena_ir.parse(RELU), "lower-to-hws{data-width=99}")


@pytest.mark.parametrize("future", [True, False], ids=["future-import", "plain"])
def test_option_types_print_the_same_whatever_the_imports(future: bool) -> None:
    """Without `from __future__ import annotations` the types printed as `tuple`, `UnionType`."""
    cls = _pass_class(future)
    assert option_types(cls) == {
        "factors": "tuple[float, ...]",
        "limit": "int | None",
        "mode": "str",
    }
    assert "| `factors` | `tuple[float, ...]` | (none) |" in "\n".join(options_table(cls))
    with pytest.raises(UserError, match=r"Valid options: factors: tuple\[float, \.\.\.\], limit"):
        check_pipeline({"scale": lambda: cls}, "scale{factors=high}")


def test_unknown_option_is_refused_with_a_suggestion() -> None:
    """`exit_probs` was accepted silently (xDSL maps `_` and `-` alike); options use dashes."""
    with pytest.raises(UserError) as e:
        check_pipeline(atheena_ir.available_passes(), "canonicalize,split-exits{exit_probs=0.5}")
    assert str(e.value).startswith(
        "unknown option 'exit_probs' for pass 'split-exits'. Did you mean 'exit-probs'? "
        "Valid options: exit-probs: tuple[float, ...]"
    )


def test_repeated_option_is_refused() -> None:
    """`{exit-probs=0.2 exit-probs=0.5}` silently kept the last value."""
    with pytest.raises(UserError, match="option 'exit-probs' given twice for pass 'split-exits'"):
        check_pipeline(atheena_ir.available_passes(), "split-exits{exit-probs=0.2 exit-probs=0.5}")
    check_pipeline(atheena_ir.available_passes(), "split-exits{exit-probs=0.2,0.5}")


def test_option_keys_are_read_as_written() -> None:
    assert option_keys('a{x=1,2 y-z="q r" w},b,c{x}') == [
        ("a", ["x", "y-z", "w"]),
        ("b", []),
        ("c", ["x"]),
    ]


def test_the_module_docstring_example_runs() -> None:
    """The example at the top of atheena_ir/pipeline.py, as written (its pass object aside)."""
    from atheena_ir import pipeline

    doc = pipeline.__doc__ or ""
    code = doc.split("```python\n")[1].split("```")[0]
    code = textwrap.dedent(code).replace("SomePass()", "_pass_class(True)()")
    exec(code, {"_pass_class": _pass_class, "print": lambda *_: None})


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import REPO
    from tests.doc_blocks import fenced_blocks

    monkeypatch.chdir(REPO)
    blocks = [
        b
        for b in fenced_blocks((REPO / "README.md").read_text())
        if b.lang == "python" and "import atheena_ir\n" in b.text
    ]
    assert blocks
    for block in blocks:
        exec(compile(block.text, block.where("README.md"), "exec"), {})
