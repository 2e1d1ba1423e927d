"""Timing plots for the evidence: what the wire showed against what the manual promises.

``plot_intervals``: the n-th retransmission gap, expected (RFC 3261 schedule
from the configured T1/T2) and measured, with the tolerance band; points
outside it are drawn in red.  ``plot_rtp_spacing``: the gap between packets of
an RTP stream over time and its histogram around the nominal 20 ms.
matplotlib is imported inside the functions (Agg, no display) so importing the
drivers stays fast.
"""
from __future__ import annotations

from pathlib import Path


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def plot_intervals(path: Path, title: str, expected: list[float], measured: list[float],
                   tolerance: float) -> int:
    """Write the PNG; returns how many measured points fall outside the tolerance (drawn red)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    n_exp = range(1, len(expected) + 1)
    ax.step(n_exp, expected, where="mid", color="tab:blue", label="expected (RFC 3261)")
    ax.fill_between(n_exp, [e - tolerance for e in expected], [e + tolerance for e in expected],
                    step="mid", color="tab:blue", alpha=0.15, label=f"±{tolerance * 1000:.0f} ms")
    bad = 0
    for i, m in enumerate(measured, 1):
        off = i > len(expected) or abs(m - expected[i - 1]) > tolerance
        bad += off
        ax.plot(i, m, "o", color="tab:red" if off else "tab:green", markersize=6)
    ax.plot([], [], "o", color="tab:green", label="measured")
    ax.set_xlabel("retransmission n")
    ax.set_ylabel("gap before it (s)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return bad


def plot_rtp_spacing(path: Path, title: str, intervals: list[float], nominal: float = 0.020,
                     tolerance: float = 0.002) -> int:
    """Write the PNG; returns how many gaps fall outside nominal ± tolerance."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), dpi=100, gridspec_kw={"width_ratios": [3, 1]})
    ms = [g * 1000 for g in intervals]
    left.plot(range(len(ms)), ms, ".", markersize=3)
    left.axhspan((nominal - tolerance) * 1000, (nominal + tolerance) * 1000, color="tab:green", alpha=0.15)
    left.set_xlabel("packet")
    left.set_ylabel("gap (ms)")
    left.set_title(title)
    right.hist(ms, bins=40, orientation="horizontal")
    right.set_xlabel("count")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return sum(abs(g - nominal) > tolerance for g in intervals)
