"""
Every activation (`ee.ACTIVATIONS`) is complete at every level: the importer takes its ONNX op,
`hws` has its unit op, the fixed-point interpreter its unit's arithmetic, the cost model its
layer kind, the HLS library its header; it lowers to its unit and the cost model reads it
from IR. A missing piece fails here with the place to add it (docs/tutorial_add_a_layer.md).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.printer import Printer

import atheena_ir
from atheena_ir.backends.hls import INCLUDE_DIR
from atheena_ir.cost import CostModel, LayerKind
from atheena_ir.cost.from_ir import design_layers
from atheena_ir.cost.layer_kind import BUILDERS
from atheena_ir.dialects import ee, hws
from atheena_ir.numerics import fixed_point as fx
from atheena_ir.onnx_frontend.folding import FOLDERS
from atheena_ir.onnx_frontend.registry import CONVERTERS
from atheena_ir.passes.lower_to_hws import LowerToHwsPass

ACTIVATIONS = pytest.mark.parametrize("op", ee.ACTIVATIONS, ids=lambda op: op.unit_name())


@ACTIVATIONS
def test_every_level_has_the_activation(op: type[ee.ActivationOp]) -> None:
    name = op.unit_name()
    assert op.ONNX, f"{op.__name__}: set ONNX"
    assert op.FORMULA, f"{op.__name__}: set FORMULA"
    assert f"ee.{name} %x" in (op.__doc__ or ""), f"{op.__name__}: docstring IR example"
    assert op in ee.OPS
    assert op.ONNX in CONVERTERS
    assert op.ONNX in FOLDERS
    unit = hws.UNITS[op]
    assert (unit.name, unit.UNIT, unit.__name__) == (f"hws.{name}", name, op.__name__)
    assert unit in hws.OPS
    assert name in fx.ACTIVATION_UNITS, f"add @activation_unit({name!r}) to csim/fixed_point.py"
    assert LayerKind(name) in BUILDERS, f"add LayerKind {name!r} and its builder to BUILDERS"
    roles = [u.role for u in CostModel().symbolic(LayerKind(name)).units]
    assert roles == [name], f"name the unit of {name!r} in its builder: _layer(cost, {name!r})"
    header = INCLUDE_DIR / "atheena" / f"{name}.h"
    assert header.is_file(), f"write the unit {header}"
    assert f"void {name}(" in header.read_text()
    assert f'#include "{name}.h"' in (INCLUDE_DIR / "atheena" / "units.h").read_text()


def _module(name: str, coarse: int) -> ModuleOp:
    fold = f"#ee.fold<coarse_in = {coarse}, coarse_out = {coarse}>"
    text = f"""
func.func @main(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {{
  %y = ee.{name} %x {{folding = {fold}}} : tensor<1x4x3x3xf32>
  func.return %y : tensor<1x4x3x3xf32>
}}
"""
    ctx = atheena_ir.context()
    return Parser(ctx, text).parse_module()


@ACTIVATIONS
def test_lowers_to_its_unit_and_round_trips(op: type[ee.ActivationOp]) -> None:
    name = op.unit_name()
    module = _module(name, 2)
    layers = design_layers(module).stages[0].layers
    assert [layer.spec.kind for layer in layers] == [LayerKind(name)]
    cost = CostModel().layer(layers[0].spec, layers[0].fold)
    assert cost.interval == 4 * 3 * 3 / 2
    ctx = atheena_ir.context()
    LowerToHwsPass().apply(ctx, module)
    units = [o for o in module.walk() if isinstance(o, hws.UnitOp)]
    assert [(type(u), u.template_args()[1]) for u in units] == [(hws.UNITS[op], ("L", 2))]
    out = io.StringIO()
    Printer(stream=out).print_op(module)
    assert f"hws.{name} %x depth 32" in out.getvalue()
    reparsed = Parser(ctx, out.getvalue()).parse_module()
    assert str(reparsed) == str(module)


@ACTIVATIONS
def test_a_constant_operand_folds_with_the_float_definition(op: type[ee.ActivationOp]) -> None:
    x = np.array([-4.0, -1.0, 0.0, 1.0, 4.0], np.float32)
    c = ee.ConstantOp.from_array(x)
    folded = op(c.output).fold()
    assert folded is not None
    np.testing.assert_array_equal(np.array(folded[0].get_values(), np.float32), op.reference(x))
