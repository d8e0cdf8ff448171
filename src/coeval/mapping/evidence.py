"""How well each theme is supported: passages, participants, sites, kinds of source, and coder agreement."""

from __future__ import annotations

import numpy as np

from ..coding.basis import basis_codings
from ..thematic.in_use import theme_segments, theme_table

__all__ = ["evidence_strength", "EVIDENCE_COLUMNS"]

EVIDENCE_COLUMNS = ["theme_id", "label", "codes", "segments", "participants", "documents", "sites", "n_sites",
                    "source_kinds", "coders", "agreement", "agreement_band", "strength", "flags", "basis"]


def evidence_strength(proj, themes=None, *, agreement=None, min_participants: int = 3, min_sites: int = 2,
                      min_segments: int = 5, basis=None):
    """How well each theme is supported: by how many segments, participants, sites and kinds of
    source, and how far the coders agreed on its codes.

    Parameters
    ----------
    themes : DataFrame or ThemeSet, optional
        See :func:`theme_table` (default: curated themes, else suggested ones).
    agreement : dict, optional
        Theme id -> agreement; by default Krippendorff's alpha on whether each coder applied
        any of the theme's codes to each unit of the independent round (the segments two or
        more coders finished; see :func:`coeval.agreement.agreement` for who counts where).
    min_participants, min_sites, min_segments : int
        Below these a theme is flagged (and its evidence called limited).
    basis : {None, "consensus", "agreed", "any", "coder:NAME"}
        Whose codings count for the passages, voices and sites (see :mod:`coeval.coding.basis`).
        Agreement is always on the coders' independent codings.

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme_id``, ``label``, ``codes``, ``segments``, ``participants``
        (distinct speakers, pseudonymised), ``documents``, ``sites`` (list), ``n_sites``,
        ``source_kinds`` (document kinds, e.g. transcript, observation), ``coders``,
        ``agreement`` (Krippendorff's alpha at the theme level; NaN when unknown),
        ``agreement_band``, ``strength`` (``strong``, ``moderate`` or ``limited``) and ``flags``
        (plain-language reasons, e.g. ``"one voice"``, ``"one site"``), ``basis``.
        ``coders`` counts the coders whose own codings put the theme on its passages.

    Notes
    -----
    *Strong*: at least ``min_participants`` voices, ``min_sites`` sites, two kinds of source and
    no doubt about agreement. *Limited*: one voice, one site, fewer than ``min_segments``
    segments, or unreliable coding. *Moderate*: the rest.
    """
    import pandas as pd

    from ..agreement.tables import band

    table = theme_table(proj, themes, basis=basis)
    members, codings = theme_segments(proj, table, basis=basis)
    basis = codings.attrs["basis"]
    own = basis_codings(proj, "any")  # the coders' own codings
    if agreement is None:
        agreement = _theme_agreement(proj, table)
    # one frame of (theme row, segment) for all themes, counted by pandas, not a .loc and a mask per theme
    rows_codes = [(i, code) for i, codes in enumerate(table["codes"]) for code in codes]
    links = pd.DataFrame(rows_codes, columns=["row", "code"]).astype({"row": "int64", "code": object})
    placed = pd.DataFrame([(i, s) for i, theme_id in enumerate(table["theme_id"]) for s in members[theme_id]],
                          columns=["row", "segment_id"]).astype({"row": "int64", "segment_id": object})
    segs = proj.segments.set_index("segment_id")[["site", "document_id", "speaker"]]
    placed = placed.join(segs, on="segment_id")
    placed["kind"] = placed["document_id"].map(proj.documents.set_index("document_id")["kind"])
    counts = placed.groupby("row").agg(participants=("speaker", "nunique"), documents=("document_id", "nunique"))
    sites_of, kinds_of = _distinct(placed, "site"), _distinct(placed, "kind")
    coded = own[["segment_id", "code", "coder"]].merge(links, on="code").merge(placed[["row", "segment_id"]])
    coders_of = coded.groupby("row")["coder"].nunique()
    rows = []
    for i, row in enumerate(table.itertuples()):
        ids = members[row.theme_id]
        sites, source_kinds = sites_of.get(i, []), kinds_of.get(i, [])
        value = float(agreement.get(row.theme_id, np.nan))
        known = not np.isnan(value)
        participants = int(counts["participants"].get(i, 0))
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
                     "participants": participants, "documents": int(counts["documents"].get(i, 0)),
                     "sites": sites, "n_sites": len(sites), "source_kinds": source_kinds,
                     "coders": int(coders_of.get(i, 0)), "agreement": value, "agreement_band": agreement_band,
                     "strength": "limited" if limited else "strong" if strong else "moderate", "flags": flags,
                     "basis": basis})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def _distinct(placed, column) -> dict:
    """Theme row -> the sorted distinct values of ``column`` among its passages (missing ones left out)."""
    pairs = placed[["row", column]].dropna().drop_duplicates().sort_values(column, kind="stable")
    out: dict = {}
    for i, value in zip(pairs["row"].tolist(), pairs[column].tolist()):
        out.setdefault(i, []).append(value)
    return out


def _theme_agreement(proj, table) -> dict:
    """Theme-level Krippendorff's alpha on the independent round's units: did each coder apply
    any of the theme's codes? A coder not present on a unit (or who did not have any of the
    theme's codes when they finished) is missing there."""
    import warnings

    from ..agreement.alpha import krippendorff_alpha
    from ..coding.presence import resolve_round, round_units

    units = round_units(proj, resolve_round(proj, None))
    if not units:
        return {}
    coders = sorted({c for u in units.values() for c in u.present})
    index = {c: i for i, c in enumerate(coders)}
    theme_codes = [set(codes) for codes in table["codes"]]
    themes_of: dict = {}   # code -> the themes that hold it
    for t, codes in enumerate(theme_codes):
        for code in codes:
            themes_of.setdefault(code, []).append(t)
    # one pass over the units for all themes: each (coder, unit) pair and the themes its codes touch; whether
    # the coder knew any of a theme's codes depends on the coder and the document only, so it is asked once
    # per coder and document, not per unit and theme
    pairs, hits, keys, askers = [], [], {}, []
    for j, unit in enumerate(units.values()):
        for coder in unit.present:
            key = (coder, unit.document_id)
            if key not in keys:
                keys[key] = len(keys)
                askers.append((unit, coder))
            for code in unit.applied.get(coder, ()):
                hits.extend((len(pairs), t) for t in themes_of.get(code, ()))
            pairs.append((index[coder], j, keys[key]))
    knew = np.array([[any(unit.knows(coder, code) for code in codes) for codes in theme_codes]
                     for unit, coder in askers], dtype=bool).reshape(len(askers), len(theme_codes))
    pair_coder, pair_unit, pair_known = np.array(pairs, dtype=int).reshape(-1, 3).T
    hit_pair, hit_theme = np.array(hits, dtype=int).reshape(-1, 2).T
    out = {}
    for t, row in enumerate(table.itertuples()):
        data = np.full((len(coders), len(units)), np.nan)
        on = knew[pair_known, t]
        data[pair_coder[on], pair_unit[on]] = 0.0
        applied = hit_pair[hit_theme == t]
        applied = applied[on[applied]]
        data[pair_coder[applied], pair_unit[applied]] = 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[row.theme_id] = float(krippendorff_alpha(data))
    return out
