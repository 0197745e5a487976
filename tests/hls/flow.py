"""The ONNX -> ee -> hws -> HLS project -> C simulation flow of the end-to-end tests.

Projects are generated once per session into a temp folder; `simulate` caches the g++ build by a
hash of the project, so a design is compiled once (and not again in later sessions).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline
from xdsl.transforms import get_all_passes as xdsl_passes

import atheena_ir
from atheena_ir.backends.hls.project import project_files, write_project
from atheena_ir.backends.hls.testbench import reference_vectors
from atheena_ir.csim.simulate import build
from atheena_ir.dialects import ee
from atheena_ir.interpreter import FixedPointArithmetic, InterpreterResult, run
from atheena_ir.models import mnist_digits
from atheena_ir.onnx_frontend import import_onnx
from atheena_ir.passes import get_all_passes
from atheena_ir.profiling import input_shape

FIXED = FixedPointArithmetic()
ROOT = Path(tempfile.mkdtemp(prefix="atheena-hls-tests-"))


@dataclass
class Flow:
    """One model through the flow: the folded ee module, the hws module and the project."""

    canonical: ModuleOp
    ee_module: ModuleOp
    hws_module: ModuleOp
    project: Path

    def reference(self, x: np.ndarray) -> InterpreterResult:
        """The fixed-point interpreter on the folded ee module (what the units compute)."""
        return run(self.ee_module, x.astype(np.float64), arithmetic=FIXED)


def exits_of(model: onnx.ModelProto) -> int:
    """The number of early exits of an imported model (after canonicalize)."""
    module = import_onnx(model)
    return sum(isinstance(op, ee.ExitOp) for op in module.walk())


def apply(module: ModuleOp, spec: str) -> None:
    """Apply a pass pipeline (atheena-opt's -p syntax) in place."""
    ctx = atheena_ir.context()
    available = {**xdsl_passes(), **get_all_passes()}
    PassPipeline.parse_spec(available, spec).apply(ctx, module)


TB_SAMPLES = 6
"""Samples in each project's own testbench batch (tb/samples.txt, tb/expected.txt)."""


def tb_inputs(module: ModuleOp) -> np.ndarray:
    """The testbench batch: MNIST digits for a 1x28x28 input, else pseudo-random values."""
    shape = input_shape(module)[1:]
    if shape == (1, 28, 28):
        return mnist_digits()[0][:TB_SAMPLES].astype(np.float64)
    n = TB_SAMPLES if np.prod(shape) <= 4096 else 2  # the AlexNets: C simulation at -O0 is slow
    return np.random.default_rng(7).uniform(-1.0, 1.0, (n, *shape))


_FLOWS: dict[tuple[str, str, str], Flow] = {}


def flow(
    key: str,
    model: Callable[[], onnx.ModelProto],
    ee_spec: str,
    hws_spec: str = "lower-to-hws",
) -> Flow:
    """ONNX -> canonicalize -> `ee_spec` (split-exits, fold) -> `hws_spec` -> an HLS project.

    Cached for the session by `key` (naming the model) and the two pipelines.
    """
    cache = (key, ee_spec, hws_spec)
    if cache in _FLOWS:
        return _FLOWS[cache]
    module = import_onnx(model())
    apply(module, "canonicalize")
    canonical = module.clone()
    apply(module, ee_spec)
    ee_module = module.clone()
    apply(module, hws_spec)
    project = ROOT / f"{key}_{len(_FLOWS)}"
    vectors = reference_vectors(ee_module, module, tb_inputs(canonical), "the flow's test batch")
    write_project(project_files(module, vectors=vectors), project)
    _FLOWS[cache] = Flow(canonical, ee_module, module, project)
    return _FLOWS[cache]


def prebuild(flows: list[Flow]) -> None:
    """Compile every project's C simulation in parallel (cached by content, see simulate.build)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda f: build(f.project), flows))
