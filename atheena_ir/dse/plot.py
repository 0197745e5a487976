"""Plots of fronts (matplotlib, Agg backend): the best throughput at each budget, the early-exit
design beside its no-exit baseline, and their ratio, saved as PNG and SVG.

Both panels share one x axis, the budget (a fraction of every resource of the board); the
design a tool chose (`chosen`, e.g. `atheena-compile --budget 0.5`) is marked on both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from atheena_ir.dse.front import Front


def front_figure(
    early_exit: Front, baseline: Front | None, title: str, chosen: float | None = None
) -> Any:
    """The figure: throughput per budget (left) and the early-exit/baseline ratio (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, ratio_ax) = plt.subplots(
        1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]}, sharex=True
    )
    for front, label, style in ((early_exit, "early exit", "o-"), (baseline, "baseline", "s--")):
        if front is None:
            continue
        pts = [(p.budget, p.design.throughput) for p in front.points if p.design is not None]
        if pts:
            xs, ys = zip(*sorted(pts), strict=True)
            ax.step(xs, ys, style, where="post", label=label, markersize=4)
    chosen_point = next(
        (p for p in early_exit.points if chosen is not None and abs(p.budget - chosen) < 1e-9),
        None,
    )
    if chosen_point is not None and chosen_point.design is not None:
        ax.plot(
            [chosen_point.budget], [chosen_point.design.throughput], "*", markersize=14,
            color="crimson", label=f"chosen design (budget {chosen_point.budget:g})",
        )  # fmt: skip
    ax.set_ylabel("throughput (samples/s)")
    ax.legend()
    ax.set_title(title)
    if baseline is not None:
        xs, ys = [], []
        for a, b in zip(early_exit.points, baseline.points, strict=False):
            if a.design and b.design:
                xs.append(a.budget)
                ys.append(a.design.throughput / b.design.throughput)
        ratio_ax.plot(xs, ys, "o-", markersize=4)
        ratio_ax.axhline(1.0, color="grey", linewidth=0.8)
        if chosen is not None and chosen in xs:
            ratio_ax.plot([chosen], [ys[xs.index(chosen)]], "*", markersize=14, color="crimson")
    ratio_ax.set_ylabel("early-exit / baseline throughput")
    for axis in (ax, ratio_ax):
        axis.set_xlabel("budget (fraction of every resource of the board)")
        axis.set_xlim(0, 1.02)
        axis.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_fronts(
    early_exit: Front,
    baseline: Front | None,
    title: str,
    out: Path,
    stem: str = "front",
    chosen: float | None = None,
) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``out``; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "atheena-dse"
    fig = front_figure(early_exit, baseline, title, chosen)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=120, metadata={"Software": None})
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return paths
