"""The report's figures, as PNG bytes with alt text (matplotlib, Agg, no system fonts needed)."""

from __future__ import annotations

import io

__all__ = ["fai_heatmap_png", "agreement_png", "sites_png", "BARRIER", "ENABLER", "PRINT_WIDTH", "PHONE_WIDTH", "DPI"]

# Okabe-Ito: distinguishable with every common colour-vision deficiency, and in greyscale
BARRIER = "#D55E00"  # vermillion
ENABLER = "#0072B2"  # blue
_DIMS = ("feasibility", "acceptability", "impact")
# Every figure is drawn twice: at the printed text width of A4 (170 mm), where 9 pt text prints at
# 9 pt, and narrow for phones, where the page shows it about 360 CSS pixels wide and 9 pt text
# comes out near 12 px. Nothing is drawn smaller than 8.5 pt.
PRINT_WIDTH, PHONE_WIDTH = 6.69, 3.8
DPI = 150
_FONT = 9


def _png(fig) -> bytes:
    """A figure as PNG bytes at its own size, without a timestamp or version (same figure, same
    bytes). Nothing is cropped: the drawings here are laid out once (:func:`_lay_out`), at the
    dpi they are saved at and on the canvas that draws them (:func:`_figure`), so their text is
    measured once (``bbox_inches="tight"`` would draw each figure again to crop it), and every
    label must fit inside the figure (a test checks)."""
    buf = io.BytesIO()
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # labels are shown as written: "$5 and $6" is not mathematics
        text.set_parse_math(False)
    # zlib level 3: these flat-coloured pictures come out as small as at the default 6, in 2/3 of the time
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _figure(width: float, height: float):
    """A figure of that size in inches, at the dpi it is saved at (not pyplot: the user's
    backend, Jupyter's, stays as it is)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)   # one canvas for the layout and the pixels: the text is measured once
    return fig


def _lay_out(fig) -> None:
    """Fit the axes and their labels inside the figure (``tight_layout``), once: the tight
    layout engine is run, not set, since a figure with an engine is drawn twice when saved."""
    from matplotlib.layout_engine import TightLayoutEngine

    TightLayoutEngine().execute(fig)


def _cell_grid(ax, n_rows: int, n_cols: int) -> None:
    """White lines between a heatmap's cells, no ticks, no frame.

    Two line collections, not a grid on minor ticks: each minor tick is four artists to lay out
    and draw, for lines that are all the picture needs.
    """
    import numpy as np

    ax.vlines(np.arange(-0.5, n_cols), -0.5, n_rows - 0.5, color="white", linewidth=2, zorder=1.5)
    ax.hlines(np.arange(-0.5, n_rows), -0.5, n_cols - 0.5, color="white", linewidth=2, zorder=1.5)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def fai_heatmap_png(rows: list[dict], *, narrow: bool = False) -> tuple[bytes, str] | None:
    """Heatmap of passages: themes by feasibility / acceptability / impact, what got in the way
    (orange) beside what helped (blue); the count is written in every cell.

    Parameters
    ----------
    rows : list of dict
        ``{"theme": str, "cells": [{"dimension", "barriers", "enablers"}, ...]}`` as in the
        report content.
    narrow : bool
        The phone layout (short column heads, labels wrapped narrower).

    Returns
    -------
    (png, alt) or None when there is nothing to draw.
    """
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap, to_rgb

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
    width = PHONE_WIDTH if narrow else PRINT_WIDTH
    label_width = 18 if narrow else 30
    labels = [_wrap(r["theme"], label_width) for r in rows]
    height = sum(0.17 * (lab.count("\n") + 1) + 0.16 for lab in labels) + (1.0 if narrow else 0.8)
    fig = _figure(width, height)
    ax = fig.subplots()
    ax.imshow(rgb, aspect="auto", interpolation="nearest")
    if narrow:   # short heads: the caption says what F, A and I and the arrows mean
        heads = [f"{d[0].upper()}\n{'▼' if j % 2 == 0 else '▲'}" for d in _DIMS for j in range(2)]
    else:        # each question heads its pair of columns, above "got in the way" and "helped"
        heads = ["got in\nthe way", "helped"] * 3
        for k, d in enumerate(_DIMS):
            ax.annotate(d.capitalize(), xy=(2 * k + 0.5, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(0, 30), textcoords="offset points", ha="center", va="bottom", fontsize=_FONT,
                        fontweight="bold")
    ax.set_xticks(range(values.shape[1]), heads, fontsize=_FONT if narrow else 8.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), labels, fontsize=_FONT)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            dark = sum(to_rgb(tuple(rgb[i, j]))) < 1.6
            ax.text(j, i, f"{int(v)}" if v else "–", ha="center", va="center", fontsize=_FONT,
                    color="white" if dark else "#222222", fontweight="bold" if v else "normal")
    for x in (1.5, 3.5):
        ax.axvline(x, color="#333333", linewidth=1.5)
    _cell_grid(ax, len(rows), values.shape[1])
    _lay_out(fig)
    # alt text: the three biggest cells, in words
    cells = sorted(((values[i, j], rows[i]["theme"], _DIMS[j // 2], j % 2) for i in range(values.shape[0])
                    for j in range(values.shape[1]) if values[i, j]), key=lambda c: (-c[0], c[1], c[2], c[3]))
    said = "; ".join(f"{t}, {d}, {'got in the way' if k == 0 else 'helped'}: {int(v)} passages"
                     for v, t, d, k in cells[:3])
    alt = (f"Heatmap of {len(rows)} themes by feasibility, acceptability and impact. Orange cells count "
           f"passages about what got in the way, blue cells what helped. The largest are: {said}.")
    return _png(fig), alt


# each code's band comes with its row (coeval.agreement's band(), on the unrounded alpha)
_BAND_STYLE = {"reliable": ("#009E73", "o"), "tentative": ("#E69F00", "s"), "unreliable": ("#D55E00", "D")}


def agreement_png(rows: list[dict], *, narrow: bool = False) -> tuple[bytes, str] | None:
    """Agreement per code: Krippendorff's alpha with its 95% bootstrap interval, against the
    0.667 and 0.80 lines; the band is shown by colour and by marker shape.

    Parameters
    ----------
    rows : list of dict
        ``{"code", "alpha", "low", "high", "band"}``, one per code, in the order to draw.
    """
    import math

    import numpy as np

    rows = [r for r in rows if r["alpha"] is not None and not math.isnan(r["alpha"])]
    if not rows:
        return None
    width = PHONE_WIDTH if narrow else PRINT_WIDTH
    labels = [_wrap(r["code"], 22 if narrow else 44) for r in rows]
    height = len(rows) * (0.3 if narrow else 0.17) + 1.0   # 50 codes still fit one A4 page in print
    fig = _figure(width, height)
    ax = fig.subplots()
    lowest = min([r["low"] for r in rows if r["low"] == r["low"]] + [r["alpha"] for r in rows] + [0.0])
    ax.axvspan(0.80, 1.0, color="#009E73", alpha=0.08, linewidth=0)
    ax.axvspan(0.667, 0.80, color="#E69F00", alpha=0.08, linewidth=0)
    for x in (0.667, 0.80):
        ax.axvline(x, color="#555555", linewidth=0.8, linestyle="--")
    for y, r in enumerate(rows):
        colour, marker = _BAND_STYLE[r["band"]]
        if r["low"] == r["low"] and r["high"] == r["high"]:
            ax.plot([r["low"], r["high"]], [y, y], color=colour, linewidth=2, solid_capstyle="butt")
        ax.plot([r["alpha"]], [y], marker=marker, color=colour, markersize=6, markeredgecolor="#222222",
                markeredgewidth=0.6)
    ax.set_yticks(range(len(rows)), labels, fontsize=_FONT)
    left = max(-1.0, math.floor(lowest * 10) / 10 - 0.05)
    # ticks chosen here, not by the locator before layout (which knows neither the final width nor
    # where the axis ends): every 0.2 in print, every 0.5 on a phone, none past 1.0 or left of the view
    step = 0.5 if narrow else 0.2
    ax.set_xticks([round(t, 1) for t in np.arange(math.ceil(left / step) * step, 1.0 + 1e-9, step)])
    ax.set_xlim(left, 1.03)   # room for a marker at 1.0
    ax.tick_params(axis="x", labelsize=_FONT)
    ax.set_xlabel("Krippendorff's alpha" + ("\n" if narrow else " ") + "(1 = full agreement)", fontsize=_FONT)
    ax.set_ylim(len(rows) - 0.5, -1.2)
    ax.text(0.667 - 0.01, -0.85, "0.67", ha="right", va="center", fontsize=8.5, color="#333333")
    ax.text(0.80 + 0.01, -0.85, "0.80", ha="left", va="center", fontsize=8.5, color="#333333")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _lay_out(fig)
    counts = {name: sum(1 for r in rows if r["band"] == name) for name in _BAND_STYLE}
    low = min(rows, key=lambda r: r["alpha"])
    high = max(rows, key=lambda r: r["alpha"])
    alt = (f"Dot plot of agreement for {len(rows)} codes, each with its 95% interval. {counts['reliable']} reached "
           f"0.80 (reliable), {counts['tentative']} reached 0.67 (tentative), {counts['unreliable']} fell below. "
           f"Highest: {high['code']} ({high['alpha']:.2f}); lowest: {low['code']} ({low['alpha']:.2f}).")
    return _png(fig), alt


_NOTABLE = ("only here", "more here", "absent here")   # the differences the report words (findings.py)


def sites_png(rows: list[dict], sites: list[str], *, narrow: bool = False) -> tuple[bytes, str] | None:
    """Themes by community organisation: each cell the share of that organisation's coded
    passages on the theme (darker is more), its count written in; a thick frame marks a notable
    difference (only here, much more here, absent here).

    Parameters
    ----------
    rows : list of dict
        ``{"theme", "cells": [{"site", "segments", "share", "difference"}, ...]}`` as in the
        report content; ``sites`` the column order.
    """
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    if not rows or not sites:
        return None
    share = np.array([[c["share"] for c in r["cells"]] for r in rows], dtype=float)
    count = np.array([[c["segments"] for c in r["cells"]] for r in rows], dtype=int)
    cmap = LinearSegmentedColormap.from_list("sites", ["#FFFFFF", "#56B4E9", "#0072B2", "#003F66"])
    top = max(float(share.max()), 0.05)
    width = PHONE_WIDTH if narrow else PRINT_WIDTH
    labels = [_wrap(r["theme"], 18 if narrow else 30) for r in rows]
    height = sum(0.17 * (lab.count("\n") + 1) + 0.16 for lab in labels) + 0.9
    fig = _figure(width, height)
    ax = fig.subplots()
    ax.imshow(share / top, cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.xaxis.tick_top()
    if narrow:   # slanted, so long organisation names do not run into each other
        ax.set_xticks(range(len(sites)), sites, fontsize=_FONT, rotation=40, ha="left", rotation_mode="anchor")
    else:
        ax.set_xticks(range(len(sites)), [_wrap(s, 10) for s in sites], fontsize=_FONT)
    ax.set_yticks(range(len(rows)), labels, fontsize=_FONT)
    for i in range(len(rows)):
        for j in range(len(sites)):
            dark = share[i, j] / top > 0.55
            ax.text(j, i, f"{count[i, j]}\n{share[i, j]:.0%}" if count[i, j] else "–", ha="center", va="center",
                    fontsize=8.5, color="white" if dark else "#222222")
            if rows[i]["cells"][j]["difference"] in _NOTABLE:
                ax.add_patch(Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False, edgecolor="#D55E00",
                                       linewidth=2.2))
    _cell_grid(ax, len(rows), len(sites))
    _lay_out(fig)
    marked = [(r["theme"], c["site"], c["difference"]) for r in rows for c in r["cells"] if c["difference"] in _NOTABLE]
    said = "; ".join(f"{t} at {site}: {d}" for t, site, d in marked[:4]) or "no notable differences"
    alt = (f"Heatmap of {len(rows)} themes by {len(sites)} community organisations: the share of each "
           f"organisation's coded passages on each theme. Marked differences: {said}.")
    return _png(fig), alt
