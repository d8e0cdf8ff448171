"""Where a theme differs: each theme by site (or another case), with shares and Fisher's exact test."""

from __future__ import annotations

from ..thematic.in_use import theme_segments, theme_table

__all__ = ["site_differences", "DIFFERENCE_COLUMNS"]

RATIO, MIN_SEGMENTS = 2.0, 3   # site_differences' defaults, which the report uses too
DIFFERENCE_COLUMNS = ["theme_id", "label", "case", "segments", "case_segments", "share", "share_elsewhere",
                      "participants", "p_value", "difference", "basis"]


def site_differences(proj, themes=None, *, by: str = "site", ratio: float = RATIO, min_segments: int = MIN_SEGMENTS,
                     basis=None):
    """What differs between cases (sites by default): a theme strong in one, absent in others.

    Each theme's share of a case's coded segments is compared with its share in the other
    cases together, with Fisher's exact test (two-sided) as a guide to chance; with a few
    dozen segments per site, read the counts, not the p-values.

    Parameters
    ----------
    by : str
        A segment column: ``site`` (default), ``role``, ``document_id``.
    ratio : float
        How many times the share elsewhere counts as "more here" (and its inverse "less here").
    min_segments : int
        Fewer segments than this in a case are never called a difference.
    basis : {None, "consensus", "agreed", "any", "coder:NAME"}
        Whose codings count (see :mod:`coeval.coding.basis`).

    Returns
    -------
    pandas.DataFrame
        One row per theme x case (zeros included): ``theme_id``, ``label``, ``case``,
        ``segments``, ``case_segments`` (coded segments in the case), ``share``,
        ``share_elsewhere``, ``participants``, ``p_value``, ``difference`` (``only here``,
        ``more here``, ``less here``, ``absent here`` or empty), ``basis``.
    """
    return _differences(proj, themes, by=by, ratio=ratio, min_segments=min_segments, basis=basis)


def _differences(proj, themes, *, by="site", ratio=RATIO, min_segments=MIN_SEGMENTS, basis=None, tested=True):
    """:func:`site_differences`; with ``tested=False`` the p-values are left NaN (Fisher's test
    is most of its time, and the report does not show them)."""
    import pandas as pd
    from scipy.stats import fisher_exact

    table = theme_table(proj, themes, basis=basis)
    members, codings = theme_segments(proj, table, basis=basis)
    basis = codings.attrs["basis"]
    segs = proj.segments.set_index("segment_id")
    if by not in segs.columns:
        raise ValueError(f"cannot compare by {by!r}; use a segment column such as site, role, document_id")
    coded = segs.loc[segs.index.isin(set(codings["segment_id"]))]   # in the segments' order
    totals = coded[by].dropna().value_counts()
    cases = sorted(totals.index)
    # counted for all themes at once from (theme row, segment) pairs, not a .loc and a mask per theme and case
    placed = pd.DataFrame([(i, s) for i, theme_id in enumerate(table["theme_id"]) for s in members[theme_id]],
                          columns=["row", "segment_id"]).astype({"row": "int64", "segment_id": object})
    placed = placed.join(segs[[by, "speaker"]].set_axis(["case", "speaker"], axis=1), on="segment_id")
    counts = placed.groupby(["row", "case"]).size().to_dict()
    voices = placed.groupby(["row", "case"])["speaker"].nunique().to_dict()
    in_theme = placed.dropna(subset=["case"]).groupby("row").size().to_dict()
    rows, all_coded = [], int(totals.sum())
    for i, row in enumerate(table.itertuples()):
        present = [c for c in cases if counts.get((i, c), 0) > 0]
        for case in cases:
            n, total = int(counts.get((i, case), 0)), int(totals[case])
            n_else, total_else = int(in_theme.get(i, 0) - n), all_coded - total
            share = n / total if total else 0.0
            share_else = n_else / total_else if total_else else 0.0
            tests = tested and total_else
            p = fisher_exact([[n, total - n], [n_else, total_else - n_else]])[1] if tests else float("nan")
            if n >= min_segments and present == [case]:
                note = "only here"
            elif n >= min_segments and share >= ratio * share_else:
                note = "more here"
            elif n == 0 and n_else >= min_segments:
                note = "absent here"
            elif n_else >= min_segments and share * ratio <= share_else:
                note = "less here"
            else:
                note = ""
            rows.append({"theme_id": row.theme_id, "label": row.label, "case": case, "segments": n,
                         "case_segments": total, "share": share, "share_elsewhere": share_else,
                         "participants": int(voices.get((i, case), 0)),
                         "p_value": float(p), "difference": note, "basis": basis})
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
