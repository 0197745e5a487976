"""The cost model's API: layers, stages, networks, fidelities, vectorised evaluation, docs."""

from __future__ import annotations

import numpy as np
import pytest

from atheena_ir.cost import (
    CostModel,
    CostModelError,
    Folding,
    LayerKind,
    LayerSpec,
    StageLayer,
    load_platform,
    network_throughput,
    stage_cost,
)
from atheena_ir.cost.docs import render_markdown

PROJECT, REFERENCE = CostModel(), CostModel("atheena-v1")
CONV = LayerSpec.conv(16, 16, 5, 10, (3, 3), pads=(1, 1, 1, 1), has_bias=True)


def test_bias_is_charged_when_present_in_the_project_model() -> None:
    with_bias = PROJECT.layer(CONV, Folding(1, 2, 1, 9)).resources
    without = PROJECT.layer(CONV.__class__(**{**CONV.__dict__, "has_bias": False}),
                            Folding(1, 2, 1, 9)).resources  # fmt: skip
    assert with_bias.dsp > without.dsp
    assert with_bias.lut > without.lut
    # the reference zeroes the bias unit exactly when the layer has one
    ref = REFERENCE.layer(CONV, Folding(1, 2, 1, 9)).resources
    assert ref.dsp == 18


def test_exit_decision_depth_scales_with_classes() -> None:
    ten, hundred = LayerSpec.exit_decision(10), LayerSpec.exit_decision(100)
    assert REFERENCE.layer(ten, Folding()).depth == 180
    assert REFERENCE.layer(hundred, Folding()).depth == 180
    assert PROJECT.layer(ten, Folding()).depth == 180
    assert PROJECT.layer(hundred, Folding()).depth == 1800
    assert PROJECT.layer(hundred, Folding()).interval == 100
    # the reference's float-truncated DSPs (8) of ATHEENA's float units
    assert REFERENCE.layer(ten, Folding()).resources.dsp == 8
    assert REFERENCE.layer(ten, Folding()).resources.bram == 0


def test_exit_decision_costs_its_rom_and_no_multiplier() -> None:
    """The project's unit adds entries of one ROM of 3017 17-bit words (exit_decision.h): no
    DSP; 17 bits fit the 18-bit x 1000-word aspect, so ceil(3017 / 1000) = 4 BRAM18, whatever
    the classes or lanes."""
    for classes, lanes in ((10, 1), (10, 5), (100, 4)):
        cost = PROJECT.layer(LayerSpec.exit_decision(classes), Folding(coarse_in=lanes))
        assert cost.resources.dsp == 0
        assert cost.resources.bram == 4


def test_exp_table_size_matches_the_printed_table() -> None:
    from atheena_ir.cost.layers.early_exit import exp_table_size
    from atheena_ir.numerics.exp_table import exp_table

    assert exp_table_size() == len(exp_table()) == 3017
    assert exp_table_size(6, 12) == len(exp_table(6, 12))


def test_exit_merge_and_relu_fixes() -> None:
    merge = LayerSpec.exit_merge(1, 1, 10, exits=2)
    assert REFERENCE.layer(merge, Folding()).interval == 20
    assert PROJECT.layer(merge, Folding()).interval == 10
    relu = LayerSpec.elementwise(LayerKind.RELU, 8, 8, 10)
    assert REFERENCE.layer(relu, Folding.uniform(2)).resources.lut == 0
    assert PROJECT.layer(relu, Folding.uniform(2)).resources.lut > 0


def test_illegal_folding_is_a_clear_error() -> None:
    with pytest.raises(CostModelError, match="illegal coarse_in=3"):
        PROJECT.layer(CONV, Folding(3, 1, 1, 9))
    with pytest.raises(CostModelError, match="illegal fine=4"):
        PROJECT.layer(CONV, Folding(1, 1, 1, 4))
    pool = LayerSpec.pool(8, 8, 4, (2, 2))
    with pytest.raises(CostModelError, match="one coarse factor"):
        PROJECT.layer(pool, Folding(2, 4))
    with pytest.raises(CostModelError, match="unknown cost-model fidelity"):
        CostModel("fast")


def test_vectorised_evaluation_matches_scalar() -> None:
    ci = np.array([1, 5, 1, 5])
    co = np.array([1, 1, 2, 10])
    values = {
        **{"R": 16, "C": 16, "Ch": 5, "F": 10, "K_0": 3, "K_1": 3, "S_0": 1, "S_1": 1},
        **{"p_t": 1, "p_l": 1, "p_b": 1, "p_r": 1, "b": 1, "c_i": ci, "c_o": co, "f": 9},
    }
    out = PROJECT.evaluate(LayerKind.CONV, values)
    for i in range(4):
        cost = PROJECT.layer(CONV, Folding(int(ci[i]), int(co[i]), 1, 9))
        assert out["interval"][i] == cost.interval
        assert out["lut"][i] == cost.resources.lut
        assert out["bram"][i] == cost.resources.bram


def test_stage_and_network_throughput() -> None:
    layers = [
        StageLayer("conv", CONV, Folding(1, 2, 1, 9)),
        StageLayer("pool", LayerSpec.pool(16, 16, 10, (2, 2)), Folding.uniform(2)),
        StageLayer("relu", LayerSpec.elementwise(LayerKind.RELU, 8, 8, 10), Folding.uniform(2)),
    ]
    cost = stage_cost(PROJECT, layers)
    assert cost.interval == 6400
    assert cost.bottleneck == "conv"
    assert cost.depth == sum(c.depth for c in cost.layers.values())
    board = load_platform("zc706")
    t = cost.throughput(1024, PROJECT.clock_hz(board))
    assert t == pytest.approx(1024 / ((6400 * 1024 + cost.depth) / 125e6))
    assert network_throughput([t, 0.3 * t], [1.0, 0.25]) == pytest.approx(t)
    assert network_throughput([t, 0.2 * t], [1.0, 0.25]) == pytest.approx(0.8 * t)
    with pytest.raises(CostModelError, match="reach probability"):
        network_throughput([t], [1.5])
    with pytest.raises(CostModelError, match="unknown layer"):
        stage_cost(PROJECT, layers, [("conv", "nowhere")])


def test_symbolic_forms_print() -> None:
    exprs = PROJECT.symbolic(LayerKind.LINEAR)
    assert "c_i" in str(exprs.interval)
    text = render_markdown()
    assert "### conv" in text
    assert "bram18" in text
