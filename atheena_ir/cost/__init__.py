"""The hardware cost model: rates, intervals, pipeline depths and resources of every layer.

It follows fpgaConvNet as forked by ATHEENA v1.0 (``fidelity="atheena-v1"`` reproduces it
exactly) and by default fixes its known defects (``fidelity="project"``); see docs/cost_model.md.
"""

from atheena_ir.cost.compile import QUANTITIES
from atheena_ir.cost.errors import CostModelError
from atheena_ir.cost.expressions import LayerExpressions
from atheena_ir.cost.fidelity import Fidelity
from atheena_ir.cost.folding import Folding
from atheena_ir.cost.layer_cost import LayerCost
from atheena_ir.cost.layer_kind import LayerKind
from atheena_ir.cost.layer_spec import LayerSpec
from atheena_ir.cost.model import REFERENCE_CLOCK_HZ, CostModel
from atheena_ir.cost.network import network_throughput
from atheena_ir.cost.platform import Platform, builtin_platforms, load_platform, parse_platform
from atheena_ir.cost.resources import Resources
from atheena_ir.cost.stage import StageCost, StageLayer, stage_cost

__all__ = [
    "QUANTITIES",
    "REFERENCE_CLOCK_HZ",
    "CostModel",
    "CostModelError",
    "Fidelity",
    "Folding",
    "LayerCost",
    "LayerExpressions",
    "LayerKind",
    "LayerSpec",
    "Platform",
    "Resources",
    "StageCost",
    "StageLayer",
    "builtin_platforms",
    "load_platform",
    "network_throughput",
    "parse_platform",
    "stage_cost",
]
