"""
Helpers of the per-op tests: a one-node ONNX model run by onnxruntime, and the equivalent
one-op `ee` function run by the interpreter, on the same samples.

onnxruntime runs each sample alone (batch 1, the IR's batch) so that ops with an axis of 0
mean the same on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from xdsl.builder import Builder
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region, SSAValue
from xdsl.rewriter import InsertPoint

from atheena_ir.dialects import ee
from atheena_ir.interpreter import run

OPSET = 17


def onnx_outputs(
    node: onnx.NodeProto, samples: Sequence[np.ndarray], initializers: dict[str, np.ndarray]
) -> np.ndarray:
    """
    Run a one-node model whose graph inputs are `node.input` minus the initializers, once
    per sample (`samples[i]` is `[N, ...]` for the i-th graph input); stack the results.
    """
    names = [n for n in node.input if n and n not in initializers]
    graph = helper.make_graph(
        [node],
        "single_op",
        [
            helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, *s.shape[1:]])
            for n, s in zip(names, samples, strict=True)
        ],
        [helper.make_tensor_value_info(node.output[0], TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in initializers.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    n = samples[0].shape[0]
    outs = [
        sess.run(None, {k: s[i : i + 1] for k, s in zip(names, samples, strict=True)})[0]
        for i in range(n)
    ]
    return np.concatenate(outs)


def ee_outputs(
    samples: Sequence[np.ndarray],
    build: Callable[[Builder, list[SSAValue]], SSAValue],
) -> np.ndarray:
    """
    Build `func.func @main` taking one batch-1 tensor per entry of `samples`, whose body
    `build` fills (given a builder and the arguments; it returns the result), and run it.
    """
    types = [TensorType(f32, [1, *s.shape[1:]]) for s in samples]
    block = Block(arg_types=types)
    b = Builder(InsertPoint.at_end(block))
    out = build(b, list(block.args))
    b.insert(func.ReturnOp(out))
    main = func.FuncOp("main", (types, [out.type]), Region(block))
    module = ModuleOp([main])
    module.verify()
    return run(module, list(samples)).output


def const(b: Builder, array: np.ndarray) -> SSAValue:
    """Insert an `ee.constant` holding `array`."""
    return b.insert(ee.ConstantOp.from_array(array)).output
