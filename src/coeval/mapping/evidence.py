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
    segs = proj.segments.set_index("segment_id")
    kinds = proj.documents.set_index("document_id")["kind"]
    if agreement is None:
        agreement = _theme_agreement(proj, table)
    rows = []
    for row in table.itertuples():
        ids = members[row.theme_id]
        sub = segs.loc[ids] if ids else segs.iloc[:0]
        sites = sorted(set(sub["site"].dropna()))
        source_kinds = sorted(set(kinds.reindex(sub["document_id"].unique()).dropna()))
        coded = own[own["segment_id"].isin(ids) & own["code"].isin(row.codes)]
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
                     "strength": "limited" if limited else "strong" if strong else "moderate", "flags": flags,
                     "basis": basis})
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


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
    out = {}
    for row in table.itertuples():
        codes = set(row.codes)
        data = np.full((len(coders), len(units)), np.nan)
        for j, unit in enumerate(units.values()):
            for coder in unit.present:
                if any(unit.knows(coder, code) for code in codes):
                    data[index[coder], j] = 1.0 if unit.applied.get(coder, set()) & codes else 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[row.theme_id] = float(krippendorff_alpha(data))
    return out
