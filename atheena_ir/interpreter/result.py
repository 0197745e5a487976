"""
The interpreter's answer: each output for the whole batch and each sample's exit.

Example::

    >>> res = run(module, x)            # x: [N, 1, 28, 28] float32
    >>> res.output.shape, res.exit_index.shape
    ((N, 10), (N,))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class InterpreterResult:
    """
    `outputs[i]` is the function's i-th result for all N samples in order (the IR's batch
    dim of 1 becomes N); `exit_index[n]` is the exit sample n took (0 = earliest, the
    last index = the final classifier; all 0 for a network without exits).
    """

    outputs: tuple[np.ndarray, ...]
    exit_index: np.ndarray

    @property
    def output(self) -> np.ndarray:
        """The only output (for the usual single-result network)."""
        if len(self.outputs) != 1:
            raise ValueError(f"the function has {len(self.outputs)} results; use .outputs")
        return self.outputs[0]
