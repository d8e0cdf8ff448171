"""The report's figures, as PNG bytes with alt text (matplotlib, Agg, no system fonts needed)."""

from __future__ import annotations

import io

__all__ = ["fai_heatmap_png", "BARRIER", "ENABLER", "figure_png"]

# Okabe-Ito: distinguishable with every common colour-vision deficiency, and in greyscale
BARRIER = "#D55E00"  # vermillion
ENABLER = "#0072B2"  # blue
_DIMS = ("feasibility", "acceptability", "impact")


def figure_png(fig, dpi: int = 150) -> bytes:
    """A figure as PNG bytes, without a timestamp or version (same figure, same bytes)."""
    buf = io.BytesIO()
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # labels are shown as written: "$5 and $6" is not mathematics
        text.set_parse_math(False)
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def fai_heatmap_png(rows: list[dict]) -> tuple[bytes, str] | None:
    """Heatmap of passages: themes by feasibility / acceptability / impact, what got in the way
    (orange) beside what helped (blue); the count is written in every cell.

    Parameters
    ----------
    rows : list of dict
        ``{"theme": str, "cells": [{"dimension", "barriers", "enablers"}, ...]}`` as in the
        report content.

    Returns
    -------
    (png, alt) or None when there is nothing to draw.
    """
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap, to_rgb
    from matplotlib.figure import Figure  # not pyplot: the user's backend (Jupyter's) stays as it is

    if not rows:
        return None
    values = np.array([[c[k] for c in r["cells"] for k in ("barriers", "enablers")] for r in rows], dtype=float)
    if not values.any():
        return None
    top = max(values.max(), 1)
    maps = [LinearSegmentedColormap.from_list(name, ["#FFFFFF", colour])
            for name, colour in (("b", BARRIER), ("e", ENABLER))]
    rgb = np.ones(values.shape + (3,))
    for j in range(values.shape[1]):
        rgb[:, j, :] = maps[j % 2](0.08 + 0.92 * values[:, j] / top)[:, :3]
    height = 0.5 * len(rows) + 1.9
    fig = Figure(figsize=(9.5, height))
    ax = fig.subplots()
    ax.imshow(rgb, aspect="auto")
    ax.set_xticks(range(values.shape[1]),
                  [f"{d.capitalize()}\n{'got in the way' if j % 2 == 0 else 'helped'}"
                   for d in _DIMS for j in range(2)], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [_wrap(r["theme"]) for r in rows], fontsize=9)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            dark = sum(to_rgb(tuple(rgb[i, j]))) < 1.6
            ax.text(j, i, f"{int(v)}" if v else "–", ha="center", va="center", fontsize=9,
                    color="white" if dark else "#222222", fontweight="bold" if v else "normal")
    for x in (1.5, 3.5):
        ax.axvline(x, color="#333333", linewidth=1.5)
    ax.set_xticks(np.arange(-0.5, values.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.tight_layout()
    # alt text: the three biggest cells, in words
    cells = sorted(((values[i, j], rows[i]["theme"], _DIMS[j // 2], j % 2) for i in range(values.shape[0])
                    for j in range(values.shape[1]) if values[i, j]), key=lambda c: (-c[0], c[1], c[2], c[3]))
    said = "; ".join(f"{t}, {d}, {'got in the way' if k == 0 else 'helped'}: {int(v)} passages"
                     for v, t, d, k in cells[:3])
    alt = (f"Heatmap of {len(rows)} themes by feasibility, acceptability and impact. Orange cells count "
           f"passages about what got in the way, blue cells what helped. The largest are: {said}.")
    return figure_png(fig), alt
