"""
Concats end to end: the model-zoo SqueezeNet (fire modules: 1x1 and 3x3 expand branches) and
Inception block (four branches of different depths) imported, folded, lowered (a chain of
`hws.concat` units, an `hws.fifo` on each branch whose partners trail it), printed and
C-simulated, bit for bit against the fixed-point interpreter; with the branch FIFOs cut to 2
words the design deadlocks.
"""

from __future__ import annotations

import numpy as np
import pytest

from atheena_ir.backends.hls.project import project_files, write_project
from atheena_ir.csim import simulate
from atheena_ir.dialects import hws
from atheena_ir.dialects.ee.syntax import int_array
from atheena_ir.errors import UserError
from atheena_ir.models.zoo import ZOO
from tests.hls.flow import ROOT, flow

CASES = [("squeezenet", 2), ("inception", 4)]


@pytest.mark.parametrize(("name", "coarse"), CASES)
def test_zoo_concat_is_bit_exact(name: str, coarse: int) -> None:
    f = flow(name, ZOO[name], f"fold{{coarse={coarse} fine=max}}")
    units = [op for op in f.hws_module.walk() if isinstance(op, hws.UnitOp)]
    concats = [u for u in units if isinstance(u, hws.ConcatOp)]
    assert len(concats) == (2 if name == "squeezenet" else 3)  # 2 fire modules; 4 branches
    assert {hws.base.lanes(u.in0) for u in concats} == {coarse}
    assert sum(isinstance(u, hws.FifoOp) for u in units) == 4
    x = np.random.default_rng(0).uniform(-1, 1, (4, 3, 32, 32))
    np.testing.assert_array_equal(simulate(f.project, x).real, f.reference(x).output)


def test_without_the_branch_fifos_the_design_deadlocks() -> None:
    f = flow("inception", ZOO["inception"], "fold{coarse=4 fine=max}")
    module = f.hws_module.clone()
    # Every stream at 2 words, the branch FIFOs too: with the default 32-word streams the
    # branches' own streams would hold the skew that the branch FIFOs are sized for.
    for op in module.walk():
        if isinstance(op, hws.UnitOp) and "depth" in op.properties:
            op.properties["depth"] = int_array([2] * len(op.results))
    path = ROOT / "inception_shallow_branches"
    write_project(project_files(module), path)
    x = np.random.default_rng(5).uniform(-1, 1, (2, 3, 32, 32))
    with pytest.raises(UserError, match="deadlocked"):
        simulate(path, x, timeout=120)
