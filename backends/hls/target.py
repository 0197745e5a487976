"""
`-t hls`: an `hws` design as a complete Vitis HLS project (docs/hls_backend.md).

```
atheena-opt model.onnx -p 'canonicalize,split-exits{exit-probs=0.75},fold{coarse=2},lower-to-hws' \\
    -t 'hls{dir="hls_project" platform=zc706}'
```

When the pipeline ran `lower-to-hws` (`atheena-opt` keeps the `ee` module it lowered), the
testbench's batch is the model's own samples with the fixed-point interpreter's results;
otherwise pseudo-random samples whose results are not checked (docs/hls_backend.md).

The project goes to the folder named by `dir` (default `hls_project`), written whole or not at
all; the text output (`-o`, default stdout) receives a short summary: the folder, the top
function and every file with its size. With `dir=""` nothing is written and the output receives
the generated sources instead (what the FileCheck tests read).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from atheena_ir.backends.hls.project import project_files, write_project
from atheena_ir.backends.hls.testbench import TestVectors, model_samples, reference_vectors

_REFERENCES: dict[int, ModuleOp] = {}
"""`ee` modules as they were before `lower-to-hws`, by the id of the module lowered in place."""


def keep_reference_module(module: ModuleOp) -> None:
    """Remember `module` as it is now (an `ee` network about to be lowered in place) so that the
    project printed from it gets the fixed-point interpreter's results in its testbench."""
    _REFERENCES[id(module)] = module.clone()


def test_vectors(module: ModuleOp) -> TestVectors | None:
    """The testbench batch of `module`: the model's samples and the fixed-point interpreter's
    results on the `ee` module it was lowered from, when that was kept; else None."""
    reference = _REFERENCES.pop(id(module), None)
    if reference is None:
        return None
    x, source = model_samples(reference)
    return reference_vectors(reference, module, x, source)


SHOWN_IN_TEXT_MODE = ("src/", "tb/", "run_hls.tcl", "Makefile")
"""With `dir=""`, the files printed to the output (the copied library is left out)."""


@dataclass(frozen=True)
class HlsTarget(Target):
    """A Vitis HLS project: top function, weights, unit library, testbench, Tcl, Makefile."""

    name = "hls"

    dir: str = "hls_project"
    """The project folder to (re)write; `""` prints the generated sources to the output."""

    platform: str = "zc706"
    """A built-in platform name or a platform TOML path: the part and clock of run_hls.tcl."""

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        files = project_files(module, self.platform, test_vectors(module))
        if not self.dir:
            for rel, text in files.items():
                if rel.startswith(SHOWN_IN_TEXT_MODE) and not rel.endswith(".txt"):
                    output.write(f"// ----- {rel}\n{text}")
            return
        write_project(files, Path(self.dir))
        top = next(rel for rel in files if rel.endswith("_top.cpp"))
        output.write(f"HLS project written to {self.dir} (top {Path(top).stem}):\n")
        for rel, text in files.items():
            if not rel.startswith("include/"):
                output.write(f"  {rel} ({len(text.encode())} bytes)\n")
        output.write("  include/ (unit library and C-simulation headers)\n")
        output.write(f"C simulation: atheena-csim {self.dir} --inputs x.npz\n")
