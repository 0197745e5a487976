"""`-t dot`: every unit and stream of a lowered model appears once; same input, same text."""

from __future__ import annotations

import io
import re

import pytest
from xdsl.dialects.builtin import ModuleOp

from atheena_ir.backends.dot import DotTarget
from atheena_ir.dialects import hws
from atheena_ir.errors import UserError
from atheena_ir.passes.lower_to_hws import LowerToHwsPass
from tests.hws.test_lower_to_hws import _ctx, _ee


def _dot(module: ModuleOp) -> str:
    out = io.StringIO()
    DotTarget().emit(_ctx(), module, out)
    return out.getvalue()


def test_blenet_graph_has_every_unit_stream_and_stage() -> None:
    module = _ee("b_lenet")
    LowerToHwsPass().apply(_ctx(), module)
    text = _dot(module)
    units = [op for op in module.walk() if isinstance(op, hws.UnitOp)]
    streams = sum(len(op.operands) for op in units) + 1  # + the output port
    assert len(re.findall(r"^  n\d+ -> \w+ \[label=", text, re.M)) == streams
    assert text.count("shape=box") == len(units)
    assert text.count("subgraph cluster_stage") == 2
    assert "4 maps x 1280 words" in text
    again = _ee("b_lenet")
    LowerToHwsPass().apply(_ctx(), again)
    assert _dot(again) == text


def test_ee_input_is_refused() -> None:
    with pytest.raises(UserError, match="lower-to-hws"):
        _dot(_ee("b_lenet"))
