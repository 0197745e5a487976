"""The hardswish layer kind: relu-like interval and LUT/FF, plus its two multipliers' DSPs."""

from __future__ import annotations

import pytest
from xdsl.parser import Parser

import atheena_ir
from atheena_ir.cost import CostModel, Folding, LayerKind, LayerSpec
from atheena_ir.cost.from_ir import design_layers

IR = """
func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %y = ee.hardswish %x {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}
"""


@pytest.mark.parametrize("fidelity", ["project", "atheena-v1"])
def test_hardswish_costs_like_relu_plus_three_dsps_per_lane(fidelity: str) -> None:
    model = CostModel(fidelity)
    spec = LayerSpec.elementwise(LayerKind.HARDSWISH, 6, 6, 4)
    hs = model.layer(spec, Folding.uniform(2))
    relu = CostModel().layer(LayerSpec.elementwise(LayerKind.RELU, 6, 6, 4), Folding.uniform(2))
    assert hs.interval == relu.interval == 6 * 6 * 4 / 2
    assert hs.depth == 0
    assert (hs.resources.lut, hs.resources.ff) == (relu.resources.lut, relu.resources.ff)
    # w_d = 16: ceil(32/48) + ceil(52/48) = 1 + 2 per lane, two lanes
    assert hs.resources.dsp == 6
    assert hs.resources.bram == 0


def test_hardswish_is_one_coarse() -> None:
    assert LayerKind.HARDSWISH.single_coarse
    with pytest.raises(Exception, match="coarse"):
        LayerSpec.elementwise(LayerKind.HARDSWISH, 6, 6, 4).check(Folding(2, 4))


def test_an_ee_hardswish_is_a_hardswish_layer_with_its_folding() -> None:
    module = Parser(atheena_ir.context(), IR).parse_module()
    (layer,) = design_layers(module).stages[0].layers
    assert layer.spec.kind is LayerKind.HARDSWISH
    assert (layer.spec.rows, layer.spec.cols, layer.spec.channels) == (6, 6, 4)
    assert layer.fold == Folding.uniform(2)
