"""The front plot: one x axis (the budget) for both panels, and the chosen design marked."""

from __future__ import annotations

from atheena_ir.dse.design import Design
from atheena_ir.dse.front import Front, FrontPoint
from atheena_ir.dse.plot import front_figure


def design(throughput: float, rmax: float) -> Design:
    return Design(
        choice=(0,), throughput=throughput, stage_throughputs=(throughput,),
        stage_intervals=(1.0,), stage_depths=(1,), resources=(1, 1, 1, 1),
        stage_resources=((1, 1, 1, 1),), utilisation=(rmax, rmax / 2, rmax / 3, rmax / 4),
    )  # fmt: skip


def front(values: list[tuple[float, float]]) -> Front:
    return Front([FrontPoint(b, design(t, b * 0.9)) for b, t in values], 0.0, "exact")


def test_panels_share_the_budget_axis_and_mark_the_chosen_design() -> None:
    import matplotlib.pyplot as plt

    ee = front([(0.25, 100.0), (0.5, 300.0), (1.0, 400.0)])
    base = front([(0.25, 80.0), (0.5, 150.0), (1.0, 200.0)])
    fig = front_figure(ee, base, "net on zc706, stage reaches 1, 0.25", chosen=0.5)
    ax, ratio_ax = fig.axes
    assert (
        ax.get_xlabel()
        == ratio_ax.get_xlabel()
        == "budget (fraction of every resource of the board)"
    )
    assert ax.get_xlim() == ratio_ax.get_xlim() == (0.0, 1.02)
    assert ax.get_shared_x_axes().joined(ax, ratio_ax)
    stars = [line for line in ax.lines if line.get_label().startswith("chosen design")]
    assert len(stars) == 1
    assert list(stars[0].get_xdata()) == [0.5]
    assert list(stars[0].get_ydata()) == [300.0]
    ratio_stars = [line for line in ratio_ax.lines if line.get_marker() == "*"]
    assert [list(s.get_ydata()) for s in ratio_stars] == [[2.0]]
    plt.close(fig)
