"""
Random early-exit networks for property tests: any number of exits, random layers and shapes.

`random_early_exit_network(rng)` draws an `EarlyExitNetwork` whose every layer fits its input, so
`network.build(opset, seed)` always succeeds. The draw uses the whole vocabulary (grouped, strided,
dilated and asymmetrically padded convolutions, both poolings, batch norm, dropout, global
pooling, flatten + linear heads and all-convolutional heads), and exit branches start after any
segment, the first one possibly right at the input.
"""

from __future__ import annotations

import numpy as np

from atheena_ir.models.builder import EarlyExitNetwork
from atheena_ir.models.layers import (
    LayerSpec,
    Shape,
    avgpool,
    batchnorm,
    conv,
    dropout,
    flatten,
    global_avgpool,
    infer_shape,
    linear,
    maxpool,
    relu,
)


def _divisors(n: int) -> list[int]:
    """The positive divisors of `n`."""
    return [d for d in range(1, n + 1) if n % d == 0]


def _random_spatial_layer(rng: np.random.Generator, shape: Shape) -> LayerSpec:
    """One random layer for a `(C, H, W)` input (it may not fit: the caller checks)."""
    c = shape[0]
    kind = rng.choice(
        ["conv", "conv", "conv", "maxpool", "avgpool", "relu", "batchnorm", "dropout"]
    )
    if kind == "conv":
        groups = int(rng.choice(_divisors(c))) if rng.random() < 0.3 else 1
        out = groups * int(rng.integers(1, max(2, 9 // groups) + 1))
        k = int(rng.integers(1, 4))
        pad: int | tuple[int, ...] = int(rng.integers(0, k))
        if rng.random() < 0.2:
            pad = tuple(int(p) for p in rng.integers(0, k, 4))
        return conv(
            out,
            k,
            stride=int(rng.integers(1, 3)),
            pad=pad,
            groups=groups,
            bias=bool(rng.random() < 0.8),
            dilation=int(rng.integers(1, 3)) if rng.random() < 0.2 else 1,
        )
    if kind in ("maxpool", "avgpool"):
        k = int(rng.integers(2, 4))
        stride = int(rng.integers(1, k + 1))
        pad = int(rng.integers(0, 2)) if k > 2 else 0
        if kind == "maxpool":
            return maxpool(k, stride, pad)
        return avgpool(k, stride, pad, count_include_pad=bool(rng.random() < 0.5))
    if kind == "batchnorm":
        return batchnorm()
    if kind == "dropout":
        return dropout(float(rng.choice([0.1, 0.25, 0.5])))
    return relu()


def _random_spatial_layers(
    rng: np.random.Generator, shape: Shape, count: int, num_classes: int
) -> tuple[list[LayerSpec], Shape]:
    """Up to `count` random layers that fit, starting from `shape`."""
    layers: list[LayerSpec] = []
    for _ in range(count):
        for _attempt in range(8):
            layer = _random_spatial_layer(rng, shape)
            try:
                new_shape = infer_shape(layer, shape, num_classes)
            except ValueError:
                continue
            layers.append(layer)
            shape = new_shape
            break
    return layers, shape


def _random_head(
    rng: np.random.Generator, shape: Shape, num_classes: int
) -> tuple[list[LayerSpec], Shape]:
    """A random classifier head from `shape` to `num_classes` logits."""
    if len(shape) == 1:
        layers: list[LayerSpec] = []
        if rng.random() < 0.5:
            layers += [linear(int(rng.integers(4, 33))), relu()]
        return [*layers, linear(None)], (num_classes,)
    layers, shape = _random_spatial_layers(rng, shape, int(rng.integers(0, 3)), num_classes)
    style = rng.integers(0, 3)
    if style == 0:
        layers += [flatten(), linear(None)]
    elif style == 1:
        hidden = int(rng.integers(4, 33))
        layers += [flatten(), linear(hidden), relu()]
        if rng.random() < 0.5:
            layers.append(dropout(0.5))
        layers.append(linear(None, bias=bool(rng.random() < 0.8)))
    else:
        layers += [conv(num_classes, 1), global_avgpool(), flatten()]
    return layers, (num_classes,)


def random_early_exit_network(
    rng: np.random.Generator | int,
    num_early_exits: int | None = None,
    max_early_exits: int = 4,
    num_classes: int | None = None,
) -> EarlyExitNetwork:
    """
    Draw a random early-exit network.

    Args:
        rng: a numpy generator or a seed.
        num_early_exits: the number of early exits (`If`s); drawn in `1..max_early_exits` when
            `None`. Zero gives a plain backbone.
        max_early_exits: the upper bound of the draw.
        num_classes: the number of classes; drawn in `2..12` when `None`.
    """
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    if num_early_exits is None:
        num_early_exits = int(rng.integers(1, max_early_exits + 1))
    if num_classes is None:
        num_classes = int(rng.integers(2, 13))
    input_shape = (int(rng.integers(1, 4)), int(rng.integers(6, 21)), int(rng.integers(6, 21)))
    shape: Shape = input_shape
    segments: list[tuple[LayerSpec, ...]] = []
    exits: list[tuple[LayerSpec, ...]] = []
    for k in range(num_early_exits + 1):
        lo = 0 if k == 0 else 1
        segment, shape = _random_spatial_layers(rng, shape, int(rng.integers(lo, 4)), num_classes)
        if k == num_early_exits and rng.random() < 0.3:
            segment.append(flatten())
            shape = infer_shape(segment[-1], shape, num_classes)
        head, _ = _random_head(rng, shape, num_classes)
        segments.append(tuple(segment))
        exits.append(tuple(head))
    thresholds = tuple(round(float(t), 3) for t in rng.uniform(0.2, 0.9, num_early_exits))
    return EarlyExitNetwork(
        tuple(segments),
        tuple(exits),
        thresholds,
        input_shape,
        num_classes,
        name=f"random_{num_early_exits}exits",
    )
