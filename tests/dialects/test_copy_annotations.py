"""`folding` prints with the attributes but is a property: `ee.copy_annotations` carries both."""

from __future__ import annotations

import atheena_ir
from atheena_ir.dialects import ee

IR = """
func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %r = ee.relu %x {onnx_name = "Relu_1", folding = #ee.fold<coarse_in = 2, coarse_out = 2>}
      : tensor<1x4x6x6xf32>
  %y = ee.maxpool2d %r kernel [3, 3] strides [1, 1] pads [1, 1, 1, 1]
      : tensor<1x4x6x6xf32> -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}
"""


def _ops() -> tuple[ee.ReluOp, ee.MaxPool2dOp]:
    module = atheena_ir.parse(IR)
    relu = next(op for op in module.walk() if isinstance(op, ee.ReluOp))
    pool = next(op for op in module.walk() if isinstance(op, ee.MaxPool2dOp))
    return relu, pool


def test_folding_prints_with_the_attributes_but_is_a_property() -> None:
    relu, _ = _ops()
    assert "folding" in relu.properties
    assert "folding" not in relu.attributes
    assert '{onnx_name = "Relu_1", folding = #ee.fold<' in str(relu)


def test_copying_attributes_alone_drops_the_folding() -> None:
    relu, _ = _ops()
    new = ee.ReluOp(relu.input)
    new.attributes.update(relu.attributes)
    assert new.folding is None


def test_copy_annotations_carries_attributes_and_folding() -> None:
    relu, pool = _ops()
    new = ee.MaxPool2dOp(pool.input, (3, 3), (1, 1), (1, 1, 1, 1))
    ee.copy_annotations(relu, new)
    assert new.attributes["onnx_name"] == relu.attributes["onnx_name"]
    assert new.folding == relu.folding
    new.verify()


def test_copy_annotations_keeps_a_folding_the_target_does_not_accept_out() -> None:
    relu, _ = _ops()
    three = atheena_ir.parse(
        IR.replace("1x4x6x6", "1x3x6x6").replace("coarse_in = 2, coarse_out = 2", "")
    )
    target = next(op for op in three.walk() if isinstance(op, ee.MaxPool2dOp))
    ee.copy_annotations(relu, target)  # coarse 2 does not divide 3 channels
    assert target.folding is None
    target.verify()
