"""Reading hardware layers from `ee` IR: stages, names, edges, shapes and folding."""

from __future__ import annotations

import pytest
from xdsl.transforms.canonicalize import CanonicalizePass

import atheena_ir
from atheena_ir.cost import CostModel, Folding, LayerKind, stage_cost
from atheena_ir.cost.from_ir import design_layers, set_folding
from atheena_ir.errors import UserError
from atheena_ir.models import b_lenet
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes.split_exits import SplitExitsPass


@pytest.fixture(scope="module")
def split_blenet():
    module = import_onnx(b_lenet())
    CanonicalizePass().apply(atheena_ir.context(), module)
    SplitExitsPass(exit_probs=(0.75,)).apply(atheena_ir.context(), module)
    return module


def test_stages_reach_and_layer_kinds(split_blenet) -> None:
    design = design_layers(split_blenet)
    assert [(s.index, s.reach) for s in design.stages] == [(0, 1.0), (1, 0.25)]
    kinds = [layer.spec.kind for layer in design.stages[0].layers]
    assert kinds.count(LayerKind.CONV) == 2
    assert kinds.count(LayerKind.COND_BUFFER) == 2
    assert kinds.count(LayerKind.SPLIT) == 2  # feature map and exit logits; decisions are ctrl
    assert LayerKind.EXIT_MERGE in kinds
    decision = next(x for x in design.stages[0].layers if x.spec.kind is LayerKind.EXIT_DECISION)
    assert decision.spec.channels == 10
    assert decision.spec.ports == 2  # drives both buffers
    assert [layer.spec.kind for layer in design.stages[1].layers] == [
        LayerKind.CONV, LayerKind.MAXPOOL, LayerKind.RELU,
        LayerKind.CONV, LayerKind.MAXPOOL, LayerKind.RELU, LayerKind.LINEAR,
    ]  # fmt: skip


def test_shapes_follow_the_published_blenet(split_blenet) -> None:
    design = design_layers(split_blenet)
    conv0 = design.layer("Conv_0").spec
    assert (conv0.rows, conv0.cols, conv0.channels, conv0.filters) == (28, 28, 1, 5)
    assert conv0.pads == (4, 4, 4, 4)
    gemm = design.layer("Gemm_7").spec  # the exit classifier sees the 10x8x8 map
    assert (gemm.rows, gemm.cols, gemm.channels, gemm.filters) == (8, 8, 10, 10)


def test_interval_of_first_conv_is_hand_computed(split_blenet) -> None:
    design = design_layers(split_blenet)
    conv = design.layer("Conv_0")
    set_folding(conv.op, Folding(fine=25))
    split_blenet.verify()
    design = design_layers(split_blenet)
    cost = CostModel().layer(design.layer("Conv_0").spec, design.layer("Conv_0").fold)
    assert cost.interval == 32 * 32 * 1 * 5 * 25 / 25  # Ro*Co*Cin*F*K/(f) = 5120
    stage = design.stages[0]
    assert stage_cost(CostModel(), [x.stage_layer() for x in stage.layers], stage.edges)


def test_unsplit_exits_are_refused() -> None:
    with pytest.raises(UserError, match="split-exits"):
        design_layers(import_onnx(b_lenet()))
