"""Comparing coders on a project: coder by coder, academic and community perspectives, and the
disagreements to talk through at a reconciliation meeting.

The units and the missing-data rule are :mod:`coeval.agreement.tables`'.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np

from ..errors import CoevalWarning
from .tables import binary_measures
from .units import collect_units

__all__ = ["coder_matrix", "disagreements", "export_disagreements", "perspectives"]


def coder_matrix(proj, *, measure: str = "kappa", unit: str = "segment", coders=None):
    """Pairwise agreement between coders, all codes pooled: a coders x coders DataFrame.

    ``measure`` is ``"kappa"`` (Cohen's), ``"alpha"``, ``"ac1"`` or ``"percent_agreement"``.
    The diagonal is 1; pairs who share no documents are NaN.
    """
    import pandas as pd

    if measure not in ("kappa", "alpha", "ac1", "percent_agreement"):
        raise ValueError("measure must be 'kappa', 'alpha', 'ac1' or 'percent_agreement'")
    units, info = collect_units(proj, coders, unit)
    names = info["coders"]
    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for i, j in itertools.combinations(range(len(names)), 2):
        values, weights = units.pooled([i, j])
        value = binary_measures(values, weights)[measure] if weights.size else float("nan")
        out.iloc[i, j] = out.iloc[j, i] = value
    out.index.name = "coder"
    return out


def disagreements(proj, *, code=None, coders=None, round=None):
    """The segments where coders differ on a code, to talk through.

    Returns
    -------
    pandas.DataFrame
        One row per segment and code on which the coders present there (see
        :func:`~coeval.agreement.agreement`) did not all agree: ``document_id``, ``segment_id``,
        ``site``, ``speaker``, ``code``, ``applied_by``, ``not_applied_by`` (coders, ``; ``-joined),
        ``memos``, ``text``. In document order.
    """
    import pandas as pd

    units, info = collect_units(proj, coders, "segment", round=round)
    cols = ["document_id", "segment_id", "site", "speaker", "code", "applied_by", "not_applied_by", "memos", "text"]
    if len(info["coders"]) < 2 or not info["documents"]:
        return pd.DataFrame(columns=cols)
    segs = info["segments"]
    codings = info["codings"]
    wanted = None if code is None else {proj.codebook.get(c).name for c in ([code] if isinstance(code, str) else code)}
    here = info["present"]
    rows = []
    by_doc = {d: g for d, g in codings.groupby("document_id")}
    for seg in segs.itertuples():
        dcod = by_doc.get(seg.document_id)
        if dcod is None:
            continue
        on = [c for c in info["coders"] if here.segments(c, seg.document_id, [seg.segment_id])[0]]
        if len(on) < 2:
            continue
        over = dcod[(dcod["start"] < seg.end) & (seg.start < dcod["end"])]
        for name, g in over.groupby("code"):
            if wanted is not None and name not in wanted:
                continue
            present = [c for c in on if here.knows(c, seg.document_id, name)]
            applied = sorted(set(g["coder"]) & set(present))
            if 0 < len(applied) < len(present):
                memos = "; ".join(f"{r.coder}: {r.memo}" for r in g.itertuples() if r.memo)
                rows.append({"document_id": seg.document_id, "segment_id": seg.segment_id, "site": seg.site,
                             "speaker": seg.speaker, "code": name, "applied_by": "; ".join(applied),
                             "not_applied_by": "; ".join(c for c in present if c not in applied),
                             "memos": memos, "text": seg.text})
    return pd.DataFrame(rows, columns=cols)


def export_disagreements(proj, path, **kwargs):
    """Write :func:`disagreements` to an .xlsx for a reconciliation meeting; returns the path.

    Beside each disagreement: ``decision`` (a drop-down: keep, drop, change, both),
    ``other_code`` (a drop-down of the codebook, for change and both) and ``notes``. Read it
    back with ``proj.reconcile(path, by=...)`` or ``coeval reconcile``.
    """
    from pathlib import Path

    import pandas as pd
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..coding.reconciliation import DECISION_COLUMNS, DECISIONS, SHEET
    from ..files.spreadsheets import excel_text, literal_cells, written_whole

    frame = disagreements(proj, **kwargs).assign(**{c: "" for c in DECISION_COLUMNS}).map(excel_text)
    names = [excel_text(c.name) for c in proj.codebook.ordered()]
    path = Path(path)
    with written_whole(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=SHEET, index=False)
        pd.DataFrame({"code": names}).to_excel(writer, sheet_name="Codes", index=False)
        ws = writer.sheets[SHEET]
        widths = [24, 26, 12, 10, 30, 18, 18, 30, 80, 12, 30, 40]
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        last = max(len(frame) + 1, 2)
        first_decision = len(frame.columns) - len(DECISION_COLUMNS)
        letter = {name: chr(ord("A") + first_decision + i) for i, name in enumerate(DECISION_COLUMNS)}
        fill = PatternFill("solid", fgColor="FFF4D6")
        for row in ws.iter_rows(min_row=2, max_row=last, min_col=first_decision + 1, max_col=len(frame.columns)):
            for cell in row:
                cell.fill = fill
        decision = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="Decision",
                                  error="Choose keep, drop, change or both.")
        decision.add(f"{letter['decision']}2:{letter['decision']}{last}")
        other = DataValidation(type="list", formula1=f"=Codes!$A$2:$A${len(names) + 1}", allow_blank=True,
                               showErrorMessage=True, errorTitle="Other code", error="Choose a code from the codebook.")
        other.add(f"{letter['other_code']}2:{letter['other_code']}{last}")
        ws.add_data_validation(decision)
        ws.add_data_validation(other)
        ws.freeze_panes = "A2"
        literal_cells(writer.book)
    return path


def perspectives(proj, *, group_a=("academic",), group_b=None, unit: str = "segment", round=None,
                 alpha: float = 0.05):
    """How two groups of coders use each code: academics and community coders, by default.

    Parameters
    ----------
    group_a, group_b : sequence of roles
        ``group_b`` defaults to every other role (peer researchers, coordinators...).
    round : str, optional
        The round whose units are compared (see :func:`agreement`).
    alpha : float
        The false discovery rate at which a difference is called.

    Returns
    -------
    pandas.DataFrame
        One row per code: ``code``, ``uses_a``, ``seen_a`` (coder x unit decisions of group a),
        ``rate_a`` (the mean over group a's coders of each coder's share of units they applied
        the code to), the same for ``b``, ``ratio`` (rate_b / rate_a), ``p_value`` (Fisher's exact
        test on the 2 x 2 table of uses and non-uses), ``p_adjusted`` (Benjamini-Hochberg, over
        all the codes compared), ``more_by`` (the group using it more, where ``p_adjusted`` is
        below ``alpha``), ``agreement_between`` (alpha between the groups' coders). Sorted by p.
        ``frame.attrs`` records ``group_a``, ``group_b``, ``units`` and ``correction``.

    Notes
    -----
    Only units that coders of *both* groups coded (with assignments: were given and finished)
    are compared, so a group that coded more records does not look as if it used a code more.
    Rates are per coder, then averaged, so one prolific coder does not speak for their group.
    Testing many codes at once finds some differences by chance: the Benjamini-Hochberg
    correction keeps the expected share of false findings among those called at ``alpha``.
    """
    import pandas as pd
    from scipy.stats import false_discovery_control, fisher_exact

    roles = proj.coders.set_index("coder")["role"].to_dict()
    group_a = tuple([group_a] if isinstance(group_a, str) else group_a)
    units, info = collect_units(proj, None, unit, round=round)
    a_idx = [i for i, c in enumerate(units.coders) if roles.get(c) in group_a]
    if group_b is None:
        b_idx = [i for i, c in enumerate(units.coders) if roles.get(c) not in group_a]
        label_b = "others"
    else:
        group_b = tuple([group_b] if isinstance(group_b, str) else group_b)
        b_idx = [i for i, c in enumerate(units.coders) if roles.get(c) in group_b]
        label_b = "/".join(group_b)
    cols = ["code", "uses_a", "seen_a", "rate_a", "uses_b", "seen_b", "rate_b", "ratio", "p_value", "p_adjusted",
            "more_by", "agreement_between"]
    if not a_idx or not b_idx:
        warnings.warn("both groups need at least one coder who coded shared documents.", CoevalWarning, stacklevel=2)
        return pd.DataFrame(columns=cols)

    def per_coder_rate(v, w):
        rates = [float((w * (row == 1)).sum() / (w * (row >= 0)).sum()) for row in v if (w * (row >= 0)).sum()]
        return float(np.mean(rates)) if rates else float("nan")

    rows, n_units = [], 0.0
    for code in units.codes:
        values, weights = units.get(code)
        both = (values[a_idx] >= 0).any(axis=0) & (values[b_idx] >= 0).any(axis=0)
        values, weights = values[:, both], weights[both]
        n_units = max(n_units, float(weights.sum()))
        va, vb = values[a_idx], values[b_idx]
        uses_a, seen_a = float((weights * (va == 1)).sum()), float((weights * (va >= 0)).sum())
        uses_b, seen_b = float((weights * (vb == 1)).sum()), float((weights * (vb >= 0)).sum())
        rate_a, rate_b = per_coder_rate(va, weights), per_coder_rate(vb, weights)
        table = [[_whole(uses_a), _whole(seen_a - uses_a)], [_whole(uses_b), _whole(seen_b - uses_b)]]
        p = float(fisher_exact(table)[1]) if seen_a and seen_b else float("nan")
        between = binary_measures(values[a_idx + b_idx], weights)["alpha"] if weights.size else float("nan")
        rows.append({"code": code, "uses_a": _whole(uses_a), "seen_a": _whole(seen_a), "rate_a": rate_a,
                     "uses_b": _whole(uses_b), "seen_b": _whole(seen_b), "rate_b": rate_b,
                     "ratio": rate_b / rate_a if rate_a else float("inf") if rate_b else float("nan"),
                     "p_value": p, "agreement_between": between})
    frame = pd.DataFrame(rows)
    tested = frame["p_value"].notna()
    frame["p_adjusted"] = float("nan")
    if tested.any():
        frame.loc[tested, "p_adjusted"] = false_discovery_control(frame.loc[tested, "p_value"].to_numpy(), method="bh")
    frame["more_by"] = [("/".join(group_a) if r.rate_a > r.rate_b else label_b) if r.p_adjusted < alpha else ""
                        for r in frame.itertuples()]
    frame = frame[cols].sort_values(["p_value", "code"], na_position="last").reset_index(drop=True)
    frame.attrs.update(group_a="/".join(group_a), group_b=label_b, units=_whole(n_units),
                       correction=f"Benjamini-Hochberg false discovery rate at {alpha}")
    return frame


def _whole(x: float) -> int:
    """A weighted count as a whole number (weights are whole counts of units or characters)."""
    return int(np.rint(x))
