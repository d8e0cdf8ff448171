"""How well each theme is supported: passages, participants, sites, kinds of source, and coder agreement."""

from __future__ import annotations

import numpy as np

from ..thematic.in_use import theme_segments, theme_table

__all__ = ["evidence_strength", "EVIDENCE_COLUMNS"]

EVIDENCE_COLUMNS = ["theme_id", "label", "codes", "segments", "participants", "documents", "sites", "n_sites",
                    "source_kinds", "coders", "agreement", "agreement_band", "strength", "flags"]


def evidence_strength(proj, themes=None, *, agreement=None, min_participants: int = 3, min_sites: int = 2,
                      min_segments: int = 5):
    """How well each theme is supported: by how many segments, participants, sites and kinds of
    source, and how far the coders agreed on its codes.

    Parameters
    ----------
    themes : DataFrame or ThemeSet, optional
        See :func:`theme_table` (default: curated themes, else suggested ones).
    agreement : dict, optional
        Theme id -> agreement; by default Krippendorff's alpha on whether each coder applied
        any of the theme's codes to each segment of the documents that two or more coders
        coded (a coder who did not code a document is missing there).
    min_participants, min_sites, min_segments : int
        Below these a theme is flagged (and its evidence called limited).

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme_id``, ``label``, ``codes``, ``segments``, ``participants``
        (distinct speakers, pseudonymised), ``documents``, ``sites`` (list), ``n_sites``,
        ``source_kinds`` (document kinds, e.g. transcript, observation), ``coders``,
        ``agreement`` (Krippendorff's alpha at the theme level; NaN when unknown),
        ``agreement_band``, ``strength`` (``strong``, ``moderate`` or ``limited``) and ``flags``
        (plain-language reasons, e.g. ``"one voice"``, ``"one site"``).

    Notes
    -----
    *Strong*: at least ``min_participants`` voices, ``min_sites`` sites, two kinds of source and
    no doubt about agreement. *Limited*: one voice, one site, fewer than ``min_segments``
    segments, or unreliable coding. *Moderate*: the rest.
    """
    import pandas as pd

    from ..agreement.tables import band

    table = theme_table(proj, themes)
    members, codings = theme_segments(proj, table)
    segs = proj.segments.set_index("segment_id")
    kinds = proj.documents.set_index("document_id")["kind"]
    if agreement is None:
        agreement = _theme_agreement(codings, segs, table)
    rows = []
    for row in table.itertuples():
        ids = members[row.theme_id]
        sub = segs.loc[ids] if ids else segs.iloc[:0]
        sites = sorted(set(sub["site"].dropna()))
        source_kinds = sorted(set(kinds.reindex(sub["document_id"].unique()).dropna()))
        coded = codings[codings["segment_id"].isin(ids) & codings["code"].isin(row.codes)]
        value = float(agreement.get(row.theme_id, np.nan))
        known = not np.isnan(value)
        participants = int(sub["speaker"].dropna().nunique())
        flags = []
        if participants <= 1:
            flags.append("one voice" if participants == 1 else "no identified speaker")
        elif participants < min_participants:
            flags.append(f"only {participants} voices")
        if len(sites) <= 1:
            flags.append("one site" if sites else "no site recorded")
        elif len(sites) < min_sites:
            flags.append(f"only {len(sites)} sites")
        if len(ids) < min_segments:
            flags.append(f"only {len(ids)} passages")
        if len(source_kinds) == 1:
            flags.append(f"from {source_kinds[0]} records only")
        agreement_band = band(value) if known else "unknown"
        if agreement_band == "unreliable":
            flags.append("coders often disagreed")
        limited = (participants <= 1 or len(sites) <= 1 or len(ids) < min_segments or agreement_band == "unreliable")
        strong = (participants >= min_participants and len(sites) >= min_sites and len(source_kinds) >= 2
                  and agreement_band in ("reliable", "tentative", "unknown") and len(ids) >= min_segments)
        rows.append({"theme_id": row.theme_id, "label": row.label, "codes": row.codes, "segments": len(ids),
                     "participants": participants, "documents": int(sub["document_id"].nunique()),
                     "sites": sites, "n_sites": len(sites), "source_kinds": source_kinds,
                     "coders": int(coded["coder"].nunique()), "agreement": value, "agreement_band": agreement_band,
                     "strength": "limited" if limited else "strong" if strong else "moderate", "flags": flags})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def _theme_agreement(codings, segs, table) -> dict:
    """Theme-level Krippendorff's alpha: did each coder apply any of the theme's codes?"""
    import warnings

    from ..agreement.alpha import krippendorff_alpha

    by_doc = codings.groupby("document_id")["coder"].agg(lambda s: set(s))
    shared = {d for d, cs in by_doc.items() if len(cs) >= 2}
    coders = sorted(set(codings["coder"]))
    if not shared:
        return {}
    units = segs.index[segs["document_id"].isin(shared)]
    pos = {s: i for i, s in enumerate(units)}
    unit_doc = segs.loc[units, "document_id"].to_numpy()
    # where each coder coded at all: "no" there, missing elsewhere
    seen = [np.isin(unit_doc, [d for d, cs in by_doc.items() if coder in cs]) for coder in coders]
    out = {}
    for row in table.itertuples():
        data = np.full((len(coders), len(units)), np.nan)
        for k, coder in enumerate(coders):
            data[k, seen[k]] = 0.0
            mine = codings[(codings["coder"] == coder) & codings["code"].isin(row.codes)]
            hit = [pos[s] for s in mine["segment_id"] if s in pos]
            data[k, hit] = 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[row.theme_id] = float(krippendorff_alpha(data))
    return out
