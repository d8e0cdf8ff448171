"""Barriers and enablers against feasibility, acceptability, impact and context: the FAI matrix and its heatmap."""

from __future__ import annotations

import numpy as np

from .segment_polarity import segment_polarity

__all__ = ["fai_matrix", "fai_wide", "fai_heatmap", "FAI_COLUMNS", "DIMENSION_ORDER"]

FAI_COLUMNS = ["item", "polarity", "dimension", "segments", "documents", "sites", "participants", "exemplars",
               "basis"]
DIMENSION_ORDER = ["feasibility", "acceptability", "impact", "context"]


def _exemplars(cells, k=3) -> dict:
    """Per group, the segments that quote well: 15 to 80 words, then closest to 40 words, then by id.

    ``cells`` has ``group``, ``segment_id`` and ``n_words``; one sort of all the cells, not a
    sort per group with a lookup per segment."""
    ranked = cells[["group", "segment_id", "n_words"]].drop_duplicates(["group", "segment_id"])
    n = ranked["n_words"]
    ranked = ranked.assign(off=~n.between(15, 80), far=(n - 40).abs())
    ranked = ranked.sort_values(["group", "off", "far", "segment_id"]).groupby("group").head(k)
    out: dict = {}
    for group, seg_id in zip(ranked["group"].tolist(), ranked["segment_id"].tolist()):
        out.setdefault(group, []).append(seg_id)
    return out


def fai_matrix(proj, *, themes=None, classifier=None, polarity=None, basis=None):
    """Barriers and enablers by feasibility, acceptability, impact and context.

    Parameters
    ----------
    themes : DataFrame, optional
        Themes (as from :func:`coeval.themes`, with ``label`` and ``codes``); rows are then
        themes instead of codes.
    classifier : PolarityClassifier, optional
        Passed to :func:`segment_polarity`.
    polarity : DataFrame, optional
        A :func:`segment_polarity` frame already computed (saves computing it again; its basis
        is used).
    basis : {None, "consensus", "agreed", "any", "coder:NAME"}
        Whose codings count (see :mod:`coeval.coding.basis`); by default the consensus once a
        round is reconciled, else any coder's.

    Returns
    -------
    pandas.DataFrame
        One row per item (code or theme) x polarity x dimension with segments: ``item``,
        ``polarity`` (barrier, enabler, mixed, neutral), ``dimension``, ``segments``,
        ``documents``, ``sites``, ``participants`` (distinct speakers), ``exemplars`` (up to
        three segment ids to quote), ``basis``. A segment counts under every dimension of its
        codes (of the theme's codes, for themes).
    """
    if polarity is None:
        polarity = segment_polarity(proj, classifier=classifier, basis=basis)
    return _matrices(proj, [themes], polarity=polarity)[0]


def _matrices(proj, item_sets, *, polarity) -> list:
    """:func:`fai_matrix` for several sets of items on one :func:`segment_polarity` frame, in one
    pass over the passages (a report shows the themes' matrix and the codes').

    Parameters
    ----------
    item_sets : list
        Each ``None`` (the codes) or themes, as ``themes`` for :func:`fai_matrix`.
    polarity : DataFrame
        A :func:`segment_polarity` frame (its basis is used).

    Returns
    -------
    list of pandas.DataFrame
        One :func:`fai_matrix` frame per set of items, in order.
    """
    import pandas as pd

    pol = polarity.set_index("segment_id")
    if pol.empty:
        return [pd.DataFrame(columns=FAI_COLUMNS) for _ in item_sets]
    cb = proj.codebook
    words = proj.segments.set_index("segment_id")["n_words"]  # len(text.split()), counted when read
    members = []   # (set, item, code)
    for k, themes in enumerate(item_sets):
        if hasattr(themes, "to_frame"):  # proj.themes
            themes = themes.to_frame()
        if themes is None:
            items = {c.name: [c.name] for c in cb.ordered()}
        else:
            items = {row["label"] or row.get("theme_id", ""): list(row["codes"]) for _, row in themes.iterrows()}
        members.extend((k, item, code) for item, codes in items.items() for code in codes)
    # joined as tables (segment x code, item x code, code x dimension), not a loop over segments
    # x items with a codebook search per code
    hits = pol["codes"].explode().dropna().rename("code").reset_index()
    hits = hits.merge(pd.DataFrame(members, columns=["set", "item", "code"]), on="code")
    book = cb.to_frame(retired=True)
    dimensions = pd.DataFrame([(name, d) for name, dims in zip(book["name"], book["dimensions"])
                               for d in str(dims or "").split(";") if d], columns=["code", "dimension"])
    keys = ["segment_id", "set", "item"]
    placed = hits.merge(dimensions, on="code")[keys + ["dimension"]].drop_duplicates()
    pairs = hits[keys].drop_duplicates()
    undimensioned = pairs.merge(placed[keys].drop_duplicates(), how="left", indicator=True)
    undimensioned = undimensioned[undimensioned["_merge"] == "left_only"][keys]
    cells = pd.concat([placed, undimensioned.assign(dimension="context")], ignore_index=True)
    cells = cells.join(pol[["polarity", "document_id", "site", "speaker"]], on="segment_id")
    cells = cells.join(words, on="segment_id")
    # counted per group by pandas (numbered in the order the groups first appear), not a Python loop over groups
    cells["group"] = cells.groupby(["set", "item", "polarity", "dimension"], sort=False, dropna=False).ngroup()
    counts = cells.groupby("group").agg(set=("set", "first"), item=("item", "first"), polarity=("polarity", "first"),
                                        dimension=("dimension", "first"), segments=("segment_id", "nunique"),
                                        documents=("document_id", "nunique"), sites=("site", "nunique"),
                                        participants=("speaker", "nunique"))
    exemplars = _exemplars(cells)
    basis = pol["basis"].iloc[0]
    rows: list = [[] for _ in item_sets]
    for group, k, item, polarity, dim, n, docs, sites, people in zip(
            counts.index, counts["set"], counts["item"], counts["polarity"], counts["dimension"], counts["segments"],
            counts["documents"], counts["sites"], counts["participants"]):
        rows[k].append({"item": item, "polarity": polarity, "dimension": dim, "segments": int(n),
                        "documents": int(docs), "sites": int(sites), "participants": int(people),
                        "exemplars": exemplars[group], "basis": basis})
    return [_ordered(pd.DataFrame(r, columns=FAI_COLUMNS)) for r in rows]


def _ordered(frame):
    """The FAI frame sorted by item, then dimension and polarity in their reading order."""
    order = {d: i for i, d in enumerate(DIMENSION_ORDER)}
    porder = {p: i for i, p in enumerate(["barrier", "enabler", "mixed", "neutral"])}
    frame = frame.sort_values(["item", "dimension", "polarity"], key=lambda s: s.map(order) if s.name == "dimension"
                              else s.map(porder) if s.name == "polarity" else s)
    return frame.reset_index(drop=True)


def fai_wide(frame, value: str = "segments"):
    """The FAI frame as a wide table: items x (dimension, polarity), zeros where empty."""
    wide = frame.pivot_table(index="item", columns=["dimension", "polarity"], values=value, aggfunc="sum",
                             fill_value=0)
    dims = [d for d in DIMENSION_ORDER if d in wide.columns.get_level_values(0)]
    pols = [p for p in ["barrier", "enabler", "mixed", "neutral"] if p in wide.columns.get_level_values(1)]
    return wide.reindex(columns=[(d, p) for d in dims for p in pols], fill_value=0)


def fai_heatmap(frame, *, top: int = 25, ax=None):
    """Heatmap of segments: items (the ``top`` most used) by dimension, barriers and enablers side by side.

    Colour-blind-safe (orange for barriers, purple for enablers: matplotlib's ``PuOr``);
    returns the matplotlib Figure. It does not change matplotlib's backend, so it shows inline
    in Jupyter.
    """
    from matplotlib.figure import Figure  # not pyplot: a notebook shows the returned figure once

    wide = fai_wide(frame[frame["polarity"].isin(["barrier", "enabler"])])
    if wide.empty:
        fig = Figure(figsize=(6, 2))
        ax = fig.subplots()
        ax.text(0.5, 0.5, "No coded barriers or enablers yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index[:top]]
    if ax is None:
        fig = Figure(figsize=(10, 0.35 * len(wide) + 2))
        ax = fig.subplots()
    else:
        fig = ax.figure
    values = wide.to_numpy(dtype=float)
    signed = np.where(np.array([p == "barrier" for _, p in wide.columns])[None, :], -values, values)
    limit = max(abs(signed).max(), 1)
    ax.imshow(signed, cmap="PuOr", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(wide.columns)), [f"{d}\n{p}" for d, p in wide.columns], fontsize=8)
    ax.set_yticks(range(len(wide.index)), wide.index, fontsize=8)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if values[i, j]:
                ax.text(j, i, int(values[i, j]), ha="center", va="center", fontsize=7)
    ax.set_title("What got in the way (barrier) and what helped (enabler), by dimension: segments")
    fig.tight_layout()
    from matplotlib.text import Text

    for text in fig.findobj(Text):  # labels as written: "$5" is not mathematics
        text.set_parse_math(False)
    return fig
