"""Agreement on a project: the per-code table, at the segment or the character unit, per round.

The units and who counts on them are :mod:`coeval.agreement.units`'; the measures are the
published ones, computed on weighted binary patterns.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from ..coding.presence import resolve_round
from ..errors import CoevalWarning
from .alpha import alpha_from_coincidences
from .units import USED_ORIGINS, Units, collect_units

__all__ = ["agreement", "band", "collect_units", "binary_measures", "frozen_table", "AGREEMENT_COLUMNS", "OVERALL",
           "USED_ORIGINS"]

AGREEMENT_COLUMNS = ["code", "n_units", "n_coders", "uses", "prevalence", "percent_agreement", "kappa", "alpha",
                     "ac1", "band", "warning", "round", "rule"]
OVERALL = "(all codes)"


def band(alpha: float) -> str:
    """Krippendorff's (2004) reading of alpha: reliable (>= .800), tentative (>= .667), unreliable."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "undefined"
    if alpha >= 0.800:
        return "reliable"
    if alpha >= 0.667:
        return "tentative"
    return "unreliable"


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


def _table(units: Units, coder_idx=None, unit="segment") -> list[dict]:
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


def agreement(proj, *, coders=None, unit: str = "segment", by: str | None = None, round: str | None = None):
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
        ``warning``, ``round`` (the round whose assignments were used; empty without
        assignments) and ``rule`` (which units each coder counts on). The last row of each group
        is ``(all codes)``: every code x unit decision pooled.

    Other Parameters
    ----------------
    round : str, optional
        The round to measure (default: the latest round with assignments). A closed round gives
        the table frozen when it closed (for the default ``coders``, ``unit`` and ``by``; other
        views are computed from the codings made before it closed).

    Notes
    -----
    With assignments, the units are those assigned to two or more coders who marked them done;
    a coder is missing on a unit not assigned to them or not done, and on a code that joined the
    codebook after they finished, never "did not apply". Without assignments, a coder counts on
    every segment of the documents they coded. Only ``human`` and ``accepted`` codings count:
    consensus codings made at reconciliation never change agreement. Codes no coder used in the
    compared units are left out.
    """
    import pandas as pd

    if by not in (None, "role", "site", "document"):
        raise ValueError("by must be None, 'role', 'site' or 'document'")
    if unit not in ("segment", "character"):
        raise ValueError("unit must be 'segment' or 'character'")
    resolved = resolve_round(proj, round)
    if resolved[0] is not None and coders is None and unit == "segment" and by is None:
        from ..coding.rounds import get_round

        frozen = get_round(proj, resolved[0])["frozen"]
        if frozen and frozen.get("table") is not None:
            return _thawed(frozen["table"])
    units, info = collect_units(proj, coders, unit, round=resolved)
    stamp = {"round": info["round"] or "", "rule": info["rule"]}
    if len(info["coders"]) < 2 or not info["documents"]:
        warnings.warn("agreement needs two coders or more who coded (with assignments: finished) the same "
                      "units.", CoevalWarning, stacklevel=2)
        return pd.DataFrame(columns=(["group"] if by else []) + AGREEMENT_COLUMNS)
    if by is None:
        rows = [{**row, **stamp} for row in _table(units, unit=unit)]
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
                rows += [{"group": f"within {r}", **row, **stamp} for row in _table(units, groups[r], unit)]
        for r1, r2 in itertools.combinations(names, 2):
            rows += [{"group": f"{r1} vs {r2}", **row, **stamp}
                     for row in _table(units, groups[r1] + groups[r2], unit)]
        return _frame(rows, "group")
    column = "document_id" if by == "document" else "site"
    segs = info["segments"]
    keys = sorted(segs[column].dropna().unique())
    for key in keys:
        docs = sorted(segs.loc[segs[column] == key, "document_id"].unique())
        sub, sub_info = collect_units(proj, coders, unit, documents=docs, round=resolved)
        if len(sub_info["coders"]) >= 2 and sub_info["documents"]:
            rows += [{"group": key, **row, **stamp} for row in _table(sub, unit=unit)]
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


def frozen_table(frame) -> list[dict]:
    """An agreement table as JSON-safe records (NaN as null), to keep in a closed round."""
    import math

    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _thawed(records):
    import pandas as pd

    frame = pd.DataFrame(records, columns=AGREEMENT_COLUMNS)
    for column in ("prevalence", "percent_agreement", "kappa", "alpha", "ac1"):
        frame[column] = frame[column].astype(float)
    return frame
