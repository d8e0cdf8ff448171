"""The themes in use: the team's curated themes when there are any, else the suggested ones; and their passages."""

from __future__ import annotations

from ..coding.basis import basis_codings
from .curated import ThemeSet
from .suggested import themes as suggest_themes

__all__ = ["theme_table", "theme_segments"]


def theme_table(proj, themes=None, *, basis=None):
    """The themes to report on: ``themes`` if given (a frame with ``label`` and ``codes``, or
    ``proj.themes``), else the team's curated themes when there are any, else the suggested
    network themes (:func:`coeval.themes`, on ``basis``).

    Returns
    -------
    pandas.DataFrame
        ``theme_id``, ``label``, ``codes`` (list), ``curated`` (bool).
    """
    import pandas as pd

    curated = False
    if themes is None and len(ThemeSet(proj)):
        themes = ThemeSet(proj)
    if hasattr(themes, "to_frame"):
        themes, curated = themes.to_frame(), True
    if themes is None:
        themes = suggest_themes(proj, method="network", basis=basis)
    rows = []
    for i, row in enumerate(themes.itertuples(index=False), start=1):
        theme_id = getattr(row, "theme_id", None) or f"T{i}"
        rows.append({"theme_id": theme_id, "label": row.label or theme_id, "codes": sorted(row.codes),
                     "curated": curated})
    return pd.DataFrame(rows, columns=["theme_id", "label", "codes", "curated"])


def theme_segments(proj, table, *, basis=None):
    """Segment ids per theme (any of its codes applied, on ``basis``: see
    :mod:`coeval.coding.basis`), and the codings used (``attrs["basis"]`` says which)."""
    codings = basis_codings(proj, basis)
    codings = codings.dropna(subset=["segment_id"])
    codes_of = {row.theme_id: tuple(sorted(set(row.codes))) for row in table.itertuples()}
    # kept with the store's state, per basis and theme table (a report asks three times)
    members = proj._remembered(("theme_segments", codings.attrs["basis"], tuple(codes_of.items())),
                               lambda: _members(codings, codes_of))
    return {theme_id: list(ids) for theme_id, ids in members.items()}, codings


def _members(codings, codes_of) -> dict:
    """Theme id -> the ids of the segments with any of its codes (``codes_of``: theme id -> codes), sorted."""
    import pandas as pd

    # a join of (segment, code) with (theme, code), not a set per segment tested against each theme
    links = pd.DataFrame([(theme_id, code) for theme_id, codes in codes_of.items() for code in codes],
                         columns=["theme_id", "code"], dtype=object)
    pairs = codings[["segment_id", "code"]].drop_duplicates().merge(links, on="code")
    pairs = pairs[["theme_id", "segment_id"]].drop_duplicates().sort_values("segment_id", kind="stable")
    members: dict = {theme_id: [] for theme_id in codes_of}
    for theme_id, seg_id in zip(pairs["theme_id"].tolist(), pairs["segment_id"].tolist()):
        members[theme_id].append(seg_id)
    return members
