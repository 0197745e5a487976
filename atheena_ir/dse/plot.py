"""Plots of fronts (matplotlib, Agg backend): throughput against resource utilisation, the
early-exit design beside its no-exit baseline, saved as PNG and SVG."""

from __future__ import annotations

from pathlib import Path

from atheena_ir.dse.front import Front


def plot_fronts(
    early_exit: Front, baseline: Front | None, title: str, out: Path, stem: str = "front"
) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` into ``out``; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "atheena-dse"
    fig, (ax, ratio_ax) = plt.subplots(
        1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]}
    )
    for front, label, style in ((early_exit, "early exit", "o-"), (baseline, "baseline", "s--")):
        if front is None:
            continue
        pts = sorted(
            (p.design.rmax, p.design.throughput) for p in front.points if p.design is not None
        )
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.step(xs, ys, style, where="post", label=label, markersize=4)
    ax.set_xlabel("resource utilisation (largest of LUT/FF/DSP/BRAM)")
    ax.set_ylabel("throughput (samples/s)")
    ax.set_xlim(0, 1.02)
    ax.grid(True, alpha=0.3)
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
    ratio_ax.set_xlabel("budget (fraction of every resource)")
    ratio_ax.set_ylabel("early-exit / baseline throughput")
    ratio_ax.grid(True, alpha=0.3)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    fig.savefig(paths[0], dpi=120, metadata={"Software": None})
    fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return paths
