"""Cost-model invariants as hypothesis properties, for both fidelities."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from atheena_ir.cost import CostModel, Folding, LayerKind, LayerSpec
from atheena_ir.cost.layer_spec import divisors

MODELS = [CostModel("project"), CostModel("atheena-v1")]
EXAMPLES = settings(max_examples=40, deadline=None)


@st.composite
def convs(draw):
    k = draw(st.sampled_from([1, 3, 5]))
    rows = draw(st.integers(k, 24))
    cols = draw(st.integers(k, 24))
    pad = draw(st.integers(0, k // 2))
    stride = draw(st.sampled_from([1, 2]))
    channels = draw(st.sampled_from([1, 2, 3, 4, 6, 8, 12]))
    filters = draw(st.sampled_from([1, 2, 4, 5, 10, 16]))
    spec = LayerSpec.conv(rows, cols, channels, filters, (k, k), (stride, stride), (pad,) * 4,
                          has_bias=draw(st.booleans()))  # fmt: skip
    ci = draw(st.sampled_from(divisors(channels)))
    co = draw(st.sampled_from(divisors(filters)))
    fine = draw(st.sampled_from(spec.fine_options()))
    return spec, Folding(ci, co, 1, fine)


@st.composite
def linears(draw):
    spec = LayerSpec.linear(
        draw(st.integers(1, 8)), draw(st.integers(1, 8)),
        draw(st.sampled_from([1, 2, 5, 10, 20])), draw(st.sampled_from([1, 2, 10, 16])),
    )  # fmt: skip
    ci = draw(st.sampled_from(divisors(spec.channels)))
    co = draw(st.sampled_from(divisors(spec.filters)))
    return spec, Folding(ci, co)


UNIFORM_KINDS = [LayerKind.RELU, LayerKind.ADD, LayerKind.SPLIT, LayerKind.COND_BUFFER,
                 LayerKind.BATCHNORM, LayerKind.GLOBAL_AVGPOOL, LayerKind.CONCAT]  # fmt: skip


@st.composite
def uniform_layers(draw):
    kind = draw(st.sampled_from([*UNIFORM_KINDS, LayerKind.MAXPOOL, LayerKind.AVGPOOL]))
    channels = draw(st.sampled_from([1, 2, 4, 5, 10, 20]))
    rows, cols = draw(st.integers(2, 20)), draw(st.integers(2, 20))
    if kind in (LayerKind.MAXPOOL, LayerKind.AVGPOOL):
        spec = LayerSpec.pool(rows, cols, channels, (2, 2), average=kind is LayerKind.AVGPOOL)
    elif kind is LayerKind.CONCAT:
        spec = LayerSpec.concat(rows, cols, [channels, 2 * channels])
    else:
        spec = LayerSpec.elementwise(kind, rows, cols, channels, ports=2)
    return spec, Folding.uniform(draw(st.sampled_from(divisors(channels))))


def _more(options: list[int], value: int, draw) -> int:
    return draw(st.sampled_from([v for v in options if v >= value]))


@EXAMPLES
@given(convs(), st.data())
def test_conv_more_parallelism_never_slower_nor_fewer_dsps(layer, data) -> None:
    spec, fold = layer
    more = Folding(
        _more(divisors(spec.channels), fold.coarse_in, data.draw),
        _more(divisors(spec.filters), fold.coarse_out, data.draw),
        1,
        _more(spec.fine_options(), fold.fine, data.draw),
    )
    for model in MODELS:
        base, fast = model.layer(spec, fold), model.layer(spec, more)
        assert fast.interval <= base.interval
        assert fast.resources.dsp >= base.resources.dsp


@EXAMPLES
@given(linears(), st.data())
def test_linear_more_parallelism_never_slower_nor_fewer_dsps(layer, data) -> None:
    spec, fold = layer
    more = Folding(
        _more(divisors(spec.channels), fold.coarse_in, data.draw),
        _more(divisors(spec.filters), fold.coarse_out, data.draw),
    )
    for model in MODELS:
        base, fast = model.layer(spec, fold), model.layer(spec, more)
        assert fast.interval <= base.interval
        assert fast.resources.dsp >= base.resources.dsp


@EXAMPLES
@given(uniform_layers(), st.data())
def test_uniform_layers_more_lanes_never_slower(layer, data) -> None:
    spec, fold = layer
    more = Folding.uniform(_more(spec.coarse_in_options(), fold.coarse_in, data.draw))
    for model in MODELS:
        base, fast = model.layer(spec, fold), model.layer(spec, more)
        assert fast.interval <= base.interval
        assert fast.resources.dsp >= base.resources.dsp


@EXAMPLES
@given(convs())
def test_conv_interval_is_the_closed_form(layer) -> None:
    """II = max(padded map / ci, Ro*Co*Ch*K*F / (ci*co*f)) when groups = 1."""
    spec, fold = layer
    (k0, k1), (pt, pl, pb, pr) = spec.kernel, spec.pads
    padded = (spec.rows + pt + pb) * (spec.cols + pl + pr) * spec.channels / fold.coarse_in
    compute = (spec.rows_out * spec.cols_out * spec.channels * k0 * k1 * spec.filters) / (
        fold.coarse_in * fold.coarse_out * fold.fine
    )
    for model in MODELS:
        assert math.isclose(model.layer(spec, fold).interval, max(padded, compute), rel_tol=1e-12)


@EXAMPLES
@given(linears())
def test_linear_interval_divides_by_coarse_in_and_out(layer) -> None:
    spec, fold = layer
    work = spec.rows * spec.cols * spec.channels * spec.filters
    for model in MODELS:
        ii = model.layer(spec, fold).interval
        assert ii * fold.coarse_in * fold.coarse_out == work


@EXAMPLES
@given(uniform_layers())
def test_uniform_interval_divides_by_coarse(layer) -> None:
    spec, fold = layer
    words = spec.rows * spec.cols * spec.channels
    if spec.kind in (LayerKind.MAXPOOL, LayerKind.AVGPOOL):
        words = (spec.rows + 0) * spec.cols * spec.channels  # no padding in these examples
    for model in MODELS:
        assert model.layer(spec, fold).interval * fold.coarse_in == words


@EXAMPLES
@given(st.one_of(convs(), linears(), uniform_layers()))
def test_resources_and_depths_are_non_negative_integers(layer) -> None:
    spec, fold = layer
    for model in MODELS:
        cost = model.layer(spec, fold)
        assert cost.depth >= 0
        for value in cost.resources.as_dict().values():
            assert isinstance(value, int)
            assert value >= 0
        raw = model.evaluate(spec.kind, _values(spec, fold))
        for name in ("lut", "ff", "dsp", "bram", "depth"):
            assert float(raw[name]) == int(raw[name])


def _values(spec: LayerSpec, fold: Folding) -> dict[str, int]:
    from atheena_ir.cost.symbols import ARGS

    return {str(s): v for s, v in zip(ARGS, spec.arguments(fold), strict=True)}
