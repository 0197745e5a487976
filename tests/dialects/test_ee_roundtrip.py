"""Every valid `ee` graph prints and parses back unchanged, in custom and generic syntax."""

from __future__ import annotations

import io
import itertools

from hypothesis import given
from xdsl.context import Context
from xdsl.parser import Parser
from xdsl.printer import Printer

import atheena_ir
from tests.ee_networks import early_exit_networks


def _generic(module: object) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_op(module)  # type: ignore[arg-type]
    return out.getvalue()


def _parse(ctx: Context, text: str):
    module = Parser(ctx, text).parse_module()
    module.verify()
    return module


@given(early_exit_networks())
def test_custom_syntax_round_trips(module) -> None:
    ctx = atheena_ir.context()
    text = str(module)
    assert str(_parse(ctx, text)) == text


@given(early_exit_networks())
def test_generic_syntax_round_trips(module) -> None:
    ctx = atheena_ir.context()
    text = str(module)
    generic = _generic(module)
    reparsed = _parse(ctx, generic)
    assert _generic(reparsed) == generic
    assert str(reparsed) == text


@given(early_exit_networks(min_exits=1))
def test_exits_nest_once_per_exit(module) -> None:
    from atheena_ir.dialects.ee import ExitDecisionOp, ExitOp

    exits = [op for op in module.walk() if isinstance(op, ExitOp)]
    decisions = [op for op in module.walk() if isinstance(op, ExitDecisionOp)]
    assert len(exits) == len(decisions) >= 1
    # Each exit after the first sits in the region of the one before it.
    for outer, inner in itertools.pairwise(exits):
        assert inner.parent_op() is outer
