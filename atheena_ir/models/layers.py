"""
The small layer-spec vocabulary the example-model builder understands.

Each spec is a frozen dataclass that describes one PyTorch-style layer; the lower-case factory
functions (`conv`, `maxpool`, `avgpool`, `global_avgpool`, `relu`, `flatten`, `linear`,
`batchnorm`, `dropout`, `residual`) are the intended way to write layer lists, e.g.::

    [conv(5, 5, pad=4), maxpool(2), relu(), flatten(), linear(10)]
    [conv(8, 3, pad=1), relu(), residual([conv(8, 3, pad=1), relu(), conv(8, 3, pad=1)]), relu()]

`residual(body, shortcut)` is a ResNet block, `Add(body(x), shortcut(x))` (identity shortcut by
default; a downsampling block gives a strided 1x1 conv as its shortcut).

Shapes are tracked without the batch dimension: `(C, H, W)` for feature maps and `(F,)` for the
flat features that `flatten` produces. `infer_shape` gives a spec's output shape and raises
`ValueError` for a layer that does not fit its input.
"""

from __future__ import annotations

from dataclasses import dataclass

Shape = tuple[int, ...]
"""A tensor shape without the batch dimension: `(C, H, W)` or `(F,)`."""


def _pair(value: int | tuple[int, int], what: str) -> tuple[int, int]:
    """Normalise an int or a pair to a pair of positive ints."""
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and v >= 1 for v in pair):
        raise ValueError(f"{what} must be a positive int or a pair of positive ints, got {value!r}")
    return pair  # type: ignore[return-value]


def _pads(value: int | tuple[int, ...]) -> tuple[int, int, int, int]:
    """Normalise a padding spec to the ONNX order `(top, left, bottom, right)`."""
    if isinstance(value, int):
        pads: tuple[int, ...] = (value,) * 4
    else:
        pads = tuple(value)
        if len(pads) == 2:
            pads = (pads[0], pads[1], pads[0], pads[1])
    if len(pads) != 4 or not all(isinstance(p, int) and p >= 0 for p in pads):
        raise ValueError(
            f"pad must be an int, (ph, pw) or (top, left, bottom, right), got {value!r}"
        )
    return pads  # type: ignore[return-value]


@dataclass(frozen=True)
class Conv:
    """2-D convolution `Conv` (NCHW) with `out` filters; `in` channels come from the input."""

    out: int
    kernel: tuple[int, int]
    stride: tuple[int, int] = (1, 1)
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)
    groups: int = 1
    bias: bool = True
    dilation: tuple[int, int] = (1, 1)


@dataclass(frozen=True)
class MaxPool:
    """Max pooling `MaxPool` (floor mode, like PyTorch's default)."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass(frozen=True)
class AvgPool:
    """Average pooling `AveragePool` (floor mode) with an explicit `count_include_pad`."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    pads: tuple[int, int, int, int] = (0, 0, 0, 0)
    count_include_pad: bool = False


@dataclass(frozen=True)
class GlobalAvgPool:
    """`GlobalAveragePool`: `(C, H, W)` to `(C, 1, 1)`."""


@dataclass(frozen=True)
class Relu:
    """`Relu` on any shape."""


@dataclass(frozen=True)
class Flatten:
    """`Flatten(axis=1)`: `(C, H, W)` to `(C*H*W,)`."""


@dataclass(frozen=True)
class Linear:
    """Fully connected layer, exported as `Gemm(transB=1)`; `out=None` means `num_classes`."""

    out: int | None
    bias: bool = True


@dataclass(frozen=True)
class BatchNorm:
    """Inference-mode `BatchNormalization` over the channel axis."""

    eps: float = 1e-5
    momentum: float = 0.9


@dataclass(frozen=True)
class Dropout:
    """`Dropout` in inference mode (an identity; the frontend removes it)."""

    ratio: float = 0.5


@dataclass(frozen=True)
class Residual:
    """
    A residual block: `Add(body(x), shortcut(x))`, as ResNet's blocks export. An empty
    `shortcut` is the identity; both paths must end in the same shape.
    """

    body: tuple[LayerSpec, ...]
    shortcut: tuple[LayerSpec, ...] = ()


LayerSpec = (
    Conv
    | MaxPool
    | AvgPool
    | GlobalAvgPool
    | Relu
    | Flatten
    | Linear
    | BatchNorm
    | Dropout
    | Residual
)
"""Any one layer of the vocabulary."""


def conv(
    out: int,
    k: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    pad: int | tuple[int, ...] = 0,
    groups: int = 1,
    bias: bool = True,
    dilation: int | tuple[int, int] = 1,
) -> Conv:
    """A convolution with `out` filters, kernel `k`, and PyTorch-style stride/pad/groups."""
    if out < 1 or groups < 1:
        raise ValueError(f"conv needs out >= 1 and groups >= 1, got out={out}, groups={groups}")
    return Conv(
        out, _pair(k, "k"), _pair(stride, "stride"), _pads(pad), groups, bias, _pair(dilation, "d")
    )


def maxpool(
    k: int | tuple[int, int], stride: int | tuple[int, int] | None = None, pad: int = 0
) -> MaxPool:
    """A max pooling of kernel `k`; the stride defaults to the kernel, as in PyTorch."""
    return MaxPool(_pair(k, "k"), _pair(k if stride is None else stride, "stride"), _pads(pad))


def avgpool(
    k: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    pad: int = 0,
    count_include_pad: bool = False,
) -> AvgPool:
    """An average pooling of kernel `k`; the stride defaults to the kernel, as in PyTorch."""
    return AvgPool(
        _pair(k, "k"),
        _pair(k if stride is None else stride, "stride"),
        _pads(pad),
        count_include_pad,
    )


def global_avgpool() -> GlobalAvgPool:
    """A global average pooling."""
    return GlobalAvgPool()


def relu() -> Relu:
    """A ReLU."""
    return Relu()


def flatten() -> Flatten:
    """A flatten from axis 1 (what `torch.flatten(x, 1)` / `nn.Flatten()` export)."""
    return Flatten()


def linear(out: int | None = None, bias: bool = True) -> Linear:
    """A fully connected layer with `out` features (`None`: the number of classes)."""
    if out is not None and out < 1:
        raise ValueError(f"linear needs out >= 1, got {out}")
    return Linear(out, bias)


def batchnorm(eps: float = 1e-5, momentum: float = 0.9) -> BatchNorm:
    """An inference-mode batch normalisation (ONNX momentum convention)."""
    return BatchNorm(eps, momentum)


def dropout(ratio: float = 0.5) -> Dropout:
    """An inference-mode dropout."""
    if not 0.0 <= ratio < 1.0:
        raise ValueError(f"dropout ratio must be in [0, 1), got {ratio}")
    return Dropout(ratio)


def residual(body: list[LayerSpec], shortcut: list[LayerSpec] | None = None) -> Residual:
    """A residual block `body(x) + shortcut(x)` (the identity shortcut by default)."""
    if not body:
        raise ValueError("a residual block needs at least one layer in its body")
    return Residual(tuple(body), tuple(shortcut or ()))


def _window_out(size: int, k: int, s: int, pad_total: int, d: int = 1) -> int:
    """Floor-mode output size of a sliding window."""
    return (size + pad_total - d * (k - 1) - 1) // s + 1


def infer_shape(layer: LayerSpec, shape: Shape, num_classes: int) -> Shape:
    """The output shape of `layer` applied to `shape`; `ValueError` when it does not fit."""
    spatial = len(shape) == 3
    match layer:
        case Conv() | MaxPool() | AvgPool():
            if not spatial:
                raise ValueError(f"{type(layer).__name__} needs a (C, H, W) input, got {shape}")
            c, h, w = shape
            pt, pl, pb, pr = layer.pads
            (kh, kw), (sh, sw) = layer.kernel, layer.stride
            dh, dw = layer.dilation if isinstance(layer, Conv) else (1, 1)
            if not isinstance(layer, Conv) and (max(pt, pb) >= kh or max(pl, pr) >= kw):
                raise ValueError(f"pooling pads {layer.pads} must be smaller than the kernel")
            ho = _window_out(h, kh, sh, pt + pb, dh)
            wo = _window_out(w, kw, sw, pl + pr, dw)
            if ho < 1 or wo < 1:
                raise ValueError(f"{type(layer).__name__} {layer} does not fit input {shape}")
            if isinstance(layer, Conv):
                if c % layer.groups or layer.out % layer.groups:
                    raise ValueError(
                        f"groups={layer.groups} must divide in={c} and out={layer.out} channels"
                    )
                c = layer.out
            return (c, ho, wo)
        case GlobalAvgPool():
            if not spatial:
                raise ValueError(f"GlobalAvgPool needs a (C, H, W) input, got {shape}")
            return (shape[0], 1, 1)
        case Flatten():
            size = 1
            for dim in shape:
                size *= dim
            return (size,)
        case Linear():
            if spatial:
                raise ValueError(f"Linear needs a flat input (add flatten()), got {shape}")
            return (num_classes if layer.out is None else layer.out,)
        case Relu() | BatchNorm() | Dropout():
            return shape
        case Residual():
            main, skip = shape, shape
            for inner in layer.body:
                main = infer_shape(inner, main, num_classes)
            for inner in layer.shortcut:
                skip = infer_shape(inner, skip, num_classes)
            if main != skip:
                raise ValueError(
                    f"a residual block's body gives {main} but its shortcut {skip}; add a "
                    "shortcut (e.g. a strided 1x1 conv) that matches"
                )
            return main
    raise TypeError(f"not a layer spec: {layer!r}")
