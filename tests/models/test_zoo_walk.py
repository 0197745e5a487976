"""
The model-zoo walk: every graph of `atheena_ir.models.zoo` goes through the pipeline as far as it
goes - import, canonicalize, fold, `-t report`, lower-to-hws and, when the `hls` target is
registered, the HLS project compiled with g++ (`-fsyntax-only`; with `ATHEENA_ZOO_BUILD=1` the
whole C simulation is built) - and stops exactly where `EXPECTED` says, with one message naming
what is missing (docs/limits.md quotes this table). Every graph that imports is also run by the
interpreter against onnxruntime, before and after canonicalize.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.transforms.canonicalize import CanonicalizePass
from xdsl.utils.exceptions import DiagnosticException

import atheena_ir
from atheena_ir.backends import get_all_targets
from atheena_ir.errors import UserError
from atheena_ir.interpreter import run
from atheena_ir.models.zoo import ZOO
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes.fold import FoldPass
from atheena_ir.passes.lower_to_hws import LowerToHwsPass

ort = pytest.importorskip("onnxruntime")

DONE = "done"
"""The outcome of a graph that goes all the way (to C++ that compiles, when `hls` exists)."""

EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "alexnet_caffe": (
        "import",
        (
            "cannot import 2 nodes",
            "'LRN_2' (op LRN, opset 9): op type not supported",
            "'LRN_6' (op LRN, opset 9): op type not supported",
        ),
    ),
    "alexnet_grouped": (
        "lower-to-hws",
        ("'ee.conv2d' (Conv_3)", "grouped convolutions (groups > 1) are not supported"),
    ),
    "alexnet_torchvision": (DONE, ()),
    "vgg": (DONE, ()),
    "vgg_mul_add_bn": (DONE, ()),
    "resnet": (DONE, ()),
    "resnet_mul_add_bn": (DONE, ()),
    "resnet_sum": (DONE, ()),
    "squeezenet": (DONE, ()),
    "inception": (DONE, ()),
    "pytorch_view": (DONE, ()),
}
"""Each zoo graph: the step that refuses it (with fragments of its message), or `DONE`."""

REFUSALS = (UserError, DiagnosticException)
"""One-message refusals: the importer's UserError, a pass's PassFailedException."""


def _ctx() -> Context:
    ctx = atheena_ir.context()
    return ctx


def _sample(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, (1, 3, 32, 32)).astype(np.float32)


def _ort(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"input": x})[0]


def _matches_ort(module: ModuleOp, model: onnx.ModelProto, x: np.ndarray) -> None:
    np.testing.assert_allclose(run(module, [x]).output, _ort(model, x), rtol=1e-4, atol=1e-4)


FULL_BUILD = os.environ.get("ATHEENA_ZOO_BUILD") == "1"
"""Build the C simulations for real (minutes each: the weights are large literal arrays)."""

CHECK_ONLY = "CXXFLAGS=-std=c++17 -fsyntax-only"
"""By default g++ compiles the project's sources without generating code (seconds each)."""


def _hls(ctx: Context, module: ModuleOp, folder: Path) -> None:
    """Print the HLS project into `folder` and compile it (testbench and top) with g++."""
    target = get_all_targets()["hls"]()
    target(dir=str(folder)).emit(ctx, module, io.StringIO())  # type: ignore[call-arg]
    if shutil.which("make") is None or shutil.which("g++") is None:
        pytest.skip("make or g++ is not installed: the printed project is not compiled")
    # the Makefile asks $(PYTHON) where the ap_types headers are: the interpreter running the tests
    python = f"PYTHON={sys.executable}"
    command = ["make", "-C", str(folder), "csim", python, *([] if FULL_BUILD else [CHECK_ONLY])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not FULL_BUILD or (folder / "build" / "csim").is_file()


def walk(name: str, folder: Path) -> tuple[str, str]:
    """Walk zoo graph `name`; return (the step that refused it or `DONE`, the message)."""
    model = ZOO[name]()
    x = _sample()
    ctx = _ctx()
    step = "import"
    try:
        module = import_onnx(model, name)
        _matches_ort(module, model, x)
        step = "canonicalize"
        CanonicalizePass().apply(ctx, module)
        _matches_ort(module, model, x)
        step = "fold"
        FoldPass().apply(ctx, module)
        step = "report"
        report = io.StringIO()
        get_all_targets()["report"]()().emit(ctx, module, report)
        assert report.getvalue().strip()
        step = "lower-to-hws"
        LowerToHwsPass().apply(ctx, module)
        module.verify()
        if "hls" not in get_all_targets():
            return DONE, "hls target not registered: the HLS project was not printed"
        step = "hls"
        _hls(ctx, module, folder)
    except REFUSALS as err:
        return step, str(err)
    return DONE, ""


def test_the_table_covers_the_zoo() -> None:
    assert set(EXPECTED) == set(ZOO)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_zoo_graph_is_checker_clean_and_deterministic(name: str) -> None:
    model = ZOO[name]()
    onnx.checker.check_model(model, full_check=True)
    assert model.SerializeToString() == ZOO[name]().SerializeToString()
    assert _ort(model, _sample()).shape == (1, 10)


@pytest.mark.parametrize("name", sorted(ZOO))
def test_zoo_walk(name: str, tmp_path: Path) -> None:
    step, message = walk(name, tmp_path / name)
    expected_step, fragments = EXPECTED[name]
    assert step == expected_step, f"{name} stopped at {step}: {message}"
    for fragment in fragments:
        assert fragment in message, message
    if step == DONE and message:
        pytest.skip(message)


@pytest.mark.parametrize("name", ["alexnet_caffe", "alexnet_grouped"])
def test_atheena_opt_refuses_with_one_line(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.onnx"
    onnx.save(ZOO[name](), path)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from atheena_ir.tools.atheena_opt import main; main()",
            str(path),
            "-p",
            "canonicalize,fold,lower-to-hws",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("atheena-opt: error: ")
    assert "Traceback" not in done.stderr
    assert EXPECTED[name][1][-1] in done.stderr
