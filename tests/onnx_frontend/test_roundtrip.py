"""ONNX -> IR text -> parse -> identical print, for the shared ATHEENA models and exit forms."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.printer import Printer

import atheena_ir
from atheena_ir.dialects import ee
from atheena_ir.onnx_frontend import ONNX_NAME_ATTR, import_onnx, import_onnx_file
from tests.onnx_frontend.onnx_builders import exit_model


def assert_round_trips(module: ModuleOp) -> str:
    """The custom and the generic print both parse back to the same custom print."""
    text = str(module)
    ctx = atheena_ir.context()
    reparsed = Parser(ctx, text).parse_module()
    reparsed.verify()
    assert str(reparsed) == text
    generic = io.StringIO()
    Printer(stream=generic, print_generic_format=True).print_op(module)
    assert str(Parser(ctx, generic.getvalue()).parse_module()) == text
    return text


def _ops(module: ModuleOp) -> list[str]:
    return [op.name for op in module.walk() if op.name.startswith("ee.")]


def test_shared_blenet_imports_with_one_exit(shared: Path) -> None:
    module = import_onnx_file(shared / "models/atheena/branchy_lenet_20220902.onnx")
    text = assert_round_trips(module)
    assert "ee.exit_decision top1(%13) > 0.996" in text
    ops = _ops(module)
    counts = {name: ops.count(name) for name in ("ee.conv2d", "ee.linear", "ee.exit", "ee.softmax")}
    assert counts == {"ee.conv2d": 4, "ee.linear": 2, "ee.exit": 1, "ee.softmax": 0}
    names = {
        op.attributes[ONNX_NAME_ATTR].data
        for op in module.walk()
        if ONNX_NAME_ATTR in op.attributes
    }  # type: ignore[attr-defined]
    assert {"Conv_0", "Gemm_7", "Greater_11", "If_13", "Conv_15", "Gemm_22"} <= names
    exit_op = next(op for op in module.walk() if isinstance(op, ee.ExitOp))
    assert exit_op.attributes[ONNX_NAME_ATTR].data == "If_13"  # type: ignore[attr-defined]


def test_shared_backbone_imports(shared: Path) -> None:
    module = import_onnx_file(shared / "models/atheena/lenet_backbone.onnx")
    assert_round_trips(module)
    assert "ee.exit" not in _ops(module)
    assert _ops(module).count("ee.conv2d") == 3


def test_import_is_deterministic() -> None:
    model = exit_model(exits=2)
    assert str(import_onnx(model, "a")) == str(import_onnx(model, "b"))


@pytest.mark.parametrize("opset", [9, 11, 12, 13, 17, 18, 21])
@pytest.mark.parametrize("exits", [0, 1, 3])
def test_exit_models_round_trip(opset: int, exits: int) -> None:
    module = import_onnx(exit_model(opset=opset, exits=exits), "m")
    assert_round_trips(module)
    assert _ops(module).count("ee.exit") == exits
    assert _ops(module).count("ee.exit_decision") == exits
