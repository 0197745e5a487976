"""
Residual connections end to end: ONNX networks with identity and projection shortcuts imported,
folded, lowered (an `hws.add` per `Add`, an `hws.fifo` on the path that must wait), printed and
C-simulated, bit for bit against the fixed-point interpreter; and the same design with the skip
FIFO cut to 2 words deadlocks (so the depth `lower-to-hws` computes is what makes it work).
"""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from atheena_ir.backends.hls.project import project_files, write_project
from atheena_ir.csim import simulate
from atheena_ir.dialects import hws
from atheena_ir.dialects.ee.syntax import int_array
from atheena_ir.errors import UserError
from atheena_ir.interpreter import run
from atheena_ir.models.zoo import ZOO
from tests.hls.flow import ROOT, flow
from tests.residual_networks import b_resnet


def residual_net(projection: bool) -> object:
    """
    Conv -> Relu -> [Conv -> Relu -> Conv] + shortcut -> Add -> Relu -> MaxPool -> Gemm.
    The shortcut is the identity, or (projection) a strided 1x1 Conv beside a strided block.
    """
    rng = np.random.default_rng(4)
    stride = 2 if projection else 1

    def w(*shape: int) -> np.ndarray:
        return rng.uniform(-0.4, 0.4, shape).astype(np.float32)

    inits = {"w0": w(4, 2, 3, 3), "w1": w(4, 4, 3, 3), "w2": w(4, 4, 3, 3), "b2": w(4)}
    side = 8 // stride // 2
    inits |= {"g": w(3, 4 * side * side), "gb": w(3)}
    conv = helper.make_node
    nodes = [
        conv("Conv", ["x", "w0"], ["c0"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        conv("Relu", ["c0"], ["r0"]),
        conv("Conv", ["r0", "w1"], ["c1"], kernel_shape=[3, 3], pads=[1] * 4, strides=[stride] * 2),
        conv("Relu", ["c1"], ["r1"]),
        conv("Conv", ["r1", "w2", "b2"], ["c2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    shortcut = "r0"
    if projection:
        inits["wp"] = w(4, 4, 1, 1)
        nodes.append(conv("Conv", ["r0", "wp"], ["p"], kernel_shape=[1, 1], strides=[2, 2]))
        shortcut = "p"
    nodes += [
        conv("Add", ["c2", shortcut], ["s"], name="Add_res"),
        conv("Relu", ["s"], ["r2"]),
        conv("MaxPool", ["r2"], ["m"], kernel_shape=[2, 2], strides=[2, 2]),
        conv("Flatten", ["m"], ["f"]),
        conv("Gemm", ["f", "g", "gb"], ["y"], transB=1),
    ]
    graph = helper.make_graph(
        nodes,
        "residual",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        [numpy_helper.from_array(a, n) for n, a in inits.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    return model


CASES = [(False, 2), (True, 2)]


@pytest.mark.parametrize(("projection", "coarse"), CASES)
def test_residual_block_is_bit_exact(projection: bool, coarse: int) -> None:
    key = f"residual_{'proj' if projection else 'id'}_c{coarse}"
    f = flow(key, lambda: residual_net(projection), f"fold{{coarse={coarse} fine=max}}")
    units = [op.name for op in f.hws_module.walk()]
    assert units.count("hws.add") == 1
    assert units.count("hws.fifo") == (2 if projection else 1)
    x = np.random.default_rng(5).uniform(-2, 2, (12, 2, 8, 8))
    want = f.reference(x)
    floats = run(f.ee_module, x.astype(np.float32)).output
    assert np.abs(want.output - floats).max() < 0.1  # the fixed point tracks the float net
    got = simulate(f.project, x)
    np.testing.assert_array_equal(got.real, want.output)


def test_a_skip_fifo_of_two_words_deadlocks() -> None:
    f = flow("residual_id_c2", lambda: residual_net(False), "fold{coarse=2 fine=max}")
    module = f.hws_module.clone()
    (skip,) = [op for op in module.walk() if isinstance(op, hws.FifoOp)]
    assert skip.depths()[0] > 8 * 4 // 2  # more than a row of words (8 pixels, 4 channels, 2 lanes)
    skip.properties["depth"] = int_array([2])
    path = ROOT / "residual_shallow_skip"
    write_project(project_files(module), path)
    x = np.random.default_rng(5).uniform(-2, 2, (2, 2, 8, 8))
    with pytest.raises(UserError, match="deadlocked"):
        simulate(path, x, timeout=120)


def test_zoo_resnet_is_bit_exact() -> None:
    """The model-zoo ResNet (stem, an identity block, a downsampling block with a 1x1
    projection, global pool) as exported; its Mul/Add and Sum variants canonicalize to the
    same ee and are compiled by the zoo walk."""
    f = flow("resnet", ZOO["resnet"], "fold")
    assert [op.name for op in f.hws_module.walk()].count("hws.fifo") == 3
    x = np.random.default_rng(0).uniform(-1, 1, (4, 3, 32, 32))
    np.testing.assert_array_equal(simulate(f.project, x).real, f.reference(x).output)


def test_early_exit_resnet_is_bit_exact() -> None:
    """Residual blocks on both sides of an exit: stages, buffers and skip FIFOs together."""
    spec = "split-exits{exit-probs=0.5},fold{coarse=2 fine=max}"
    f = flow("b_resnet", lambda: b_resnet().build(seed=3), spec)
    names = [op.name for op in f.hws_module.walk()]
    assert names.count("hws.stage") == 2
    assert names.count("hws.add") == 2
    x = np.random.default_rng(6).uniform(-1, 1, (24, 1, 12, 12))
    want = f.reference(x)
    assert 0 < np.count_nonzero(want.exit_index == 0) < len(x)  # both exits taken
    got = simulate(f.project, x)
    np.testing.assert_array_equal(got.exits, want.exit_index)
    np.testing.assert_array_equal(got.real, want.output)
