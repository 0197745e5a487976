"""
The `xdsl.universe` entry point: makes the project's dialects, passes and targets
visible to `xdsl-opt` and `atheena-opt` alike (see pyproject.toml).
"""

from xdsl.universe import Universe

from atheena_ir.backends import get_all_targets
from atheena_ir.dialects import get_all_dialects
from atheena_ir.passes import get_all_passes

ATHEENA_UNIVERSE = Universe(
    all_dialects=get_all_dialects(),
    all_passes=get_all_passes(),
    all_targets=get_all_targets(),
)
