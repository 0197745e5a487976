"""lit configuration for the FileCheck suites: `lit -v tests/filecheck`."""

import os
import sys

import lit.formats

config.name = "atheena-ir"  # noqa: F821 (lit defines `config`)
config.test_format = lit.formats.ShTest()  # noqa: F821
config.suffixes = [".mlir"]  # noqa: F821
config.test_source_root = os.path.dirname(__file__)  # noqa: F821
config.excludes = ["Inputs"]  # noqa: F821
# Put the interpreter's bin folder first so atheena-opt, xdsl-opt and filecheck resolve
# even when the virtual environment is not activated.
config.environment["PATH"] = os.pathsep.join(  # noqa: F821
    [os.path.dirname(sys.executable), os.environ.get("PATH", "")]
)
config.substitutions.append(  # noqa: F821
    (
        "GENERIC_ROUNDTRIP",
        "atheena-opt %s --split-input-file --print-op-generic | atheena-opt --split-input-file"
        " | filecheck %s",
    )
)
config.substitutions.append(  # noqa: F821
    (
        "ROUNDTRIP",
        "atheena-opt %s --split-input-file | atheena-opt --split-input-file | filecheck %s",
    )
)
