"""Agreement on a project: the per-code table, at the segment or the character unit.

Segment unit: a unit is a segment of a document that at least two of the coders coded; a
coder's value for a code is 1 if any of their codings with that code overlaps the segment,
0 otherwise, and missing for documents they did not code. Character unit: every character
of those documents, as NVivo computes its kappa. Both are reduced to patterns (which coders
saw a unit, which applied the code) with counts, so a million characters cost no more than
their distinct patterns.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from ..errors import CoevalError, CoevalWarning
from .alpha import alpha_from_coincidences

__all__ = ["agreement", "band", "collect_units", "binary_measures", "AGREEMENT_COLUMNS", "OVERALL", "USED_ORIGINS"]

AGREEMENT_COLUMNS = ["code", "n_units", "n_coders", "uses", "prevalence", "percent_agreement", "kappa", "alpha",
                     "ac1", "band", "warning"]
OVERALL = "(all codes)"
USED_ORIGINS = ("human", "accepted")


def band(alpha: float) -> str:
    """Krippendorff's (2004) reading of alpha: reliable (>= .800), tentative (>= .667), unreliable."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "undefined"
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable"


# -- the data: patterns of (present, applied) per coder ------------------------------------------------------
class _Units:
    """Binary reliability data for every code, as weighted patterns."""

    def __init__(self, coders, codes):
        self.coders = list(coders)
        self.codes = list(codes)
        # code -> list of (matrix coders x patterns in {-1,0,1}, weights)
        self.data: dict[str, list] = {c: [] for c in codes}

    def add(self, code, values, weights):
        self.data[code].append((values, weights))

    def get(self, code, coder_idx=None):
        parts = self.data.get(code) or []
        if not parts:
            return np.zeros((len(self.coders), 0), dtype=np.int8), np.zeros(0)
        values = np.concatenate([p[0] for p in parts], axis=1)
        weights = np.concatenate([p[1] for p in parts])
        if coder_idx is not None:
            values = values[coder_idx]
        return values, weights

    def pooled(self, coder_idx=None):
        parts = [self.get(c, coder_idx) for c in self.codes]
        parts = [p for p in parts if p[1].size]
        if not parts:
            return np.zeros((len(coder_idx) if coder_idx is not None else len(self.coders), 0), dtype=np.int8), \
                np.zeros(0)
        return np.concatenate([p[0] for p in parts], axis=1), np.concatenate([p[1] for p in parts])


def collect_units(proj, coders, unit, documents=None) -> tuple[_Units, dict]:
    import pandas as pd

    codings = proj._codings_frame(with_text=False)
    codings = codings[codings["origin"].isin(USED_ORIGINS)]
    if coders is not None:
        wanted = [coders] if isinstance(coders, str) else list(coders)
        unknown = sorted(set(wanted) - set(proj.coders["coder"]))
        if unknown:
            raise CoevalError(f"no coder {unknown[0]!r} in the project.",
                              hint=f"Coders: {', '.join(proj.coders['coder'])}.")
        codings = codings[codings["coder"].isin(wanted)]
    else:
        wanted = sorted(codings["coder"].unique())
    if documents is not None:
        codings = codings[codings["document_id"].isin(documents)]
    used_coders = set(codings["coder"])
    coders = [c for c in wanted if c in used_coders]
    coded = codings.groupby("coder")["document_id"].apply(set).to_dict()
    docs_by_n = pd.Series([d for c in coders for d in coded.get(c, ())]).value_counts()
    shared_docs = sorted(docs_by_n[docs_by_n >= 2].index) if len(docs_by_n) else []
    codes = list(proj.codebook.to_frame()["name"])
    in_use = set(codings["code"])
    used_codes = [c for c in codes if c in in_use] + sorted(in_use - set(codes))
    units = _Units(coders, used_codes)
    info = {"documents": shared_docs, "coders": coders, "codings": codings}
    if len(coders) < 2 or not shared_docs:
        return units, info
    segs = proj.segments
    segs = segs[segs["document_id"].isin(shared_docs)]
    cidx = {c: i for i, c in enumerate(coders)}
    if unit == "segment":
        _collect_segments(units, segs, codings[codings["document_id"].isin(shared_docs)], coded, cidx)
    elif unit == "character":
        lengths = {d: len(t) for d, t in proj.texts(shared_docs).items()}
        _collect_characters(units, lengths, codings[codings["document_id"].isin(shared_docs)], coded, cidx)
    else:
        raise ValueError("unit must be 'segment' or 'character'")
    info["segments"] = segs
    return units, info


def _collect_segments(units, segs, codings, coded, cidx):
    for doc, dsegs in segs.groupby("document_id", sort=False):
        starts, ends = dsegs["start"].to_numpy(), dsegs["end"].to_numpy()
        present = np.array([doc in coded.get(c, ()) for c in cidx], dtype=bool)
        dcod = codings[codings["document_id"] == doc]
        used_here = set(dcod["code"])
        for code, ccod in dcod.groupby("code"):
            values = np.where(present[:, None], 0, -1).astype(np.int8).repeat(len(starts), axis=1)
            for r in ccod.itertuples():
                hit = (starts < r.end) & (r.start < ends)
                values[cidx[r.coder], hit] = 1
            units.add(code, values, np.ones(len(starts)))
        # codes nobody used in this document still count: all present coders said "no"
        for code in units.codes:
            if code not in used_here:
                units.add(code, np.where(present[:, None], 0, -1).astype(np.int8).repeat(len(starts), axis=1),
                          np.ones(len(starts)))


def _collect_characters(units, lengths, codings, coded, cidx):
    """Per document and code, the histogram of which coders cover each character.

    Works on plain arrays (pandas grouping costs more than the arithmetic here): coverage
    comes from +1/-1 marks at span ends, a cumulative sum, and a bit per coder.
    """
    n = len(cidx)
    code_index = {c: i for i, c in enumerate(units.codes)}
    doc_of = codings["document_id"].to_numpy()
    code_of = np.array([code_index[c] for c in codings["code"]], dtype=np.int64)
    coder_of = np.array([cidx[c] for c in codings["coder"]], dtype=np.int64)
    starts, ends = codings["start"].to_numpy(np.int64), codings["end"].to_numpy(np.int64)
    shifts = np.arange(n)
    for doc, length in lengths.items():
        present = np.array([doc in coded.get(c, ()) for c in cidx], dtype=bool)
        absent = np.where(present[:, None], 0, -1).astype(np.int8)
        in_doc = np.flatnonzero(doc_of == doc)
        by_code: dict[int, np.ndarray] = {}
        if in_doc.size:
            order = in_doc[np.argsort(code_of[in_doc], kind="stable")]
            keys, first = np.unique(code_of[order], return_index=True)
            for key, rows in zip(keys, np.split(order, first[1:])):
                by_code[int(key)] = rows
        for ci, code in enumerate(units.codes):
            rows = by_code.get(ci)
            if rows is None:
                units.add(code, absent, np.array([float(length)]))
                continue
            mask = np.zeros(length, dtype=np.int64)
            for coder in np.unique(coder_of[rows]):
                mine = rows[coder_of[rows] == coder]
                marks = (np.bincount(starts[mine], minlength=length + 1)
                         - np.bincount(ends[mine], minlength=length + 1))
                mask |= (np.cumsum(marks[:-1]) > 0).astype(np.int64) << int(coder)
            counts = np.bincount(mask, minlength=1 << n)
            keys = np.flatnonzero(counts)
            bits = ((keys[None, :] >> shifts[:, None]) & 1).astype(np.int8)
            units.add(code, np.where(present[:, None], bits, -1).astype(np.int8), counts[keys].astype(float))


# -- measures on weighted binary patterns -----------------------------------------------------------------------
def binary_measures(values, weights) -> dict:
    n1 = (values == 1).sum(axis=0).astype(float)
    n0 = (values == 0).sum(axis=0).astype(float)
    m = n0 + n1
    two = m >= 2
    w = weights
    out = {"n_units": float(w[two].sum()), "uses": float((w * n1).sum())}
    seen = (w * m).sum()
    out["prevalence"] = float((w * n1).sum() / seen) if seen else float("nan")
    if not two.any():
        out.update(percent_agreement=float("nan"), alpha=float("nan"), ac1=float("nan"), kappa=float("nan"))
        return out
    ww, a1, a0, mm = w[two], n1[two], n0[two], m[two]
    pa = float(np.average((a1 * (a1 - 1) + a0 * (a0 - 1)) / (mm * (mm - 1)), weights=ww))
    out["percent_agreement"] = pa
    o11 = float((ww * a1 * (a1 - 1) / (mm - 1)).sum())
    o00 = float((ww * a0 * (a0 - 1) / (mm - 1)).sum())
    o01 = float((ww * a0 * a1 / (mm - 1)).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoevalWarning)
        out["alpha"] = alpha_from_coincidences(np.array([[o00, o01], [o01, o11]]), [0, 1], "nominal")
    rated = m >= 1
    pi1 = float(np.average(n1[rated] / m[rated], weights=w[rated]))
    pe = 2 * pi1 * (1 - pi1)
    out["ac1"] = (pa - pe) / (1 - pe) if pe < 1 else float("nan")
    kappas = []
    for i, j in itertools.combinations(range(values.shape[0]), 2):
        both = (values[i] >= 0) & (values[j] >= 0)
        if not both.any():
            continue
        x, y, ws = values[i][both], values[j][both], w[both]
        total = ws.sum()
        po = ws[x == y].sum() / total
        px, py = ws[x == 1].sum() / total, ws[y == 1].sum() / total
        pe_k = px * py + (1 - px) * (1 - py)
        if pe_k < 1:
            kappas.append((po - pe_k) / (1 - pe_k))
    out["kappa"] = float(np.mean(kappas)) if kappas else float("nan")
    return out


def _warning(row) -> str:
    notes = []
    if row["uses"] == 0:
        return "never used by these coders"
    if math.isnan(row["alpha"]):
        notes.append("undefined: no variation or no shared units")
    prevalence = row["prevalence"]
    if not math.isnan(prevalence) and (prevalence < 0.05 or prevalence > 0.95):
        if not math.isnan(row["kappa"]) and row["percent_agreement"] - row["kappa"] > 0.3:
            notes.append("rare code: high agreement but low kappa (kappa paradox); read AC1 too")
        else:
            notes.append("rare code: few positive units, estimates unstable")
    if row["uses"] < 5 and row.get("unit") == "segment":
        notes.append("used fewer than 5 times")
    return "; ".join(notes)


def _table(units: _Units, coder_idx=None, unit="segment") -> list[dict]:
    rows = []
    n_coders = len(units.coders) if coder_idx is None else len(coder_idx)
    for code in units.codes:
        values, weights = units.get(code, coder_idx)
        row = {"code": code, "n_coders": n_coders, **binary_measures(values, weights), "unit": unit}
        rows.append(row)
    values, weights = units.pooled(coder_idx)
    rows.append({"code": OVERALL, "n_coders": n_coders, **binary_measures(values, weights), "unit": unit})
    for row in rows:
        row["band"] = band(row["alpha"])
        row["warning"] = _warning(row) if row["code"] != OVERALL else ""
    return rows


def agreement(proj, *, coders=None, unit: str = "segment", by: str | None = None):
    """Inter-coder agreement per code, with an overall row.

    Parameters
    ----------
    proj : Project
    coders : list of str, optional
        Coders to compare (default: all who coded). Only ``human`` and ``accepted`` codings count.
    unit : {"segment", "character"}
        Segment: did a coder apply the code to the segment (any overlap)? Character: every
        character of every document the coders coded, as NVivo does.
    by : {None, "role", "site", "document"}
        ``"site"``/``"document"``: one table per site or document (column ``group``).
        ``"role"``: one table per pair of coder roles (``academic vs peer_researcher``) and
        within each role that has two coders or more: does the community's reading differ?

    Returns
    -------
    pandas.DataFrame
        ``[group]``, ``code``, ``n_units`` (units seen by two coders or more; characters at the
        character unit), ``n_coders``, ``uses`` (coder x unit applications), ``prevalence``,
        ``percent_agreement``, ``kappa`` (Cohen's, mean over coder pairs), ``alpha``
        (Krippendorff's, nominal), ``ac1`` (Gwet's, q = 2), ``band`` (Krippendorff's .667/.800),
        ``warning``. The last row of each group is ``(all codes)``: every code x unit decision
        pooled.

    Notes
    -----
    A coder who did not code a document is missing there, not "did not apply". Codes no coder
    used in the compared documents are left out.
    """
    import pandas as pd

    if by not in (None, "role", "site", "document"):
        raise ValueError("by must be None, 'role', 'site' or 'document'")
    if unit not in ("segment", "character"):
        raise ValueError("unit must be 'segment' or 'character'")
    units, info = collect_units(proj, coders, unit)
    if len(info["coders"]) < 2 or not info["documents"]:
        warnings.warn("agreement needs two coders or more who coded the same documents.", CoevalWarning,
                      stacklevel=2)
        return pd.DataFrame(columns=(["group"] if by else []) + AGREEMENT_COLUMNS)
    if by is None:
        rows = _table(units, unit=unit)
        return _frame(rows, None)
    rows = []
    if by == "role":
        roles = proj.coders.set_index("coder")["role"].to_dict()
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(units.coders):
            groups.setdefault(roles.get(c, "unknown"), []).append(i)
        names = sorted(groups)
        for r in names:
            if len(groups[r]) >= 2:
                rows += [{"group": f"within {r}", **row} for row in _table(units, groups[r], unit)]
        for r1, r2 in itertools.combinations(names, 2):
            rows += [{"group": f"{r1} vs {r2}", **row} for row in _table(units, groups[r1] + groups[r2], unit)]
        return _frame(rows, "group")
    column = "document_id" if by == "document" else "site"
    segs = info["segments"]
    keys = sorted(segs[column].dropna().unique())
    for key in keys:
        docs = sorted(segs.loc[segs[column] == key, "document_id"].unique())
        sub, sub_info = collect_units(proj, coders, unit, documents=docs)
        if len(sub_info["coders"]) >= 2 and sub_info["documents"]:
            rows += [{"group": key, **row} for row in _table(sub, unit=unit)]
    return _frame(rows, "group")


def _frame(rows, group):
    import pandas as pd

    cols = ([group] if group else []) + AGREEMENT_COLUMNS
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=cols)
    frame = frame[cols]
    frame["n_units"] = frame["n_units"].round().astype("int64")
    frame["uses"] = frame["uses"].round().astype("int64")
    frame["n_coders"] = frame["n_coders"].astype("int64")
    return frame.reset_index(drop=True)
