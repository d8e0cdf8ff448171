"""Krippendorff's alpha for unitizing a continuum: coders mark spans of a text with codes.

Two published definitions are implemented:

``version="2004"`` (default): Krippendorff's alpha_U of 1995, as corrected in *Content Analysis*
(2nd ed., 2004, p. 251-256) and implemented in DKPro Agreement. Computed per code, each code
against "not this code" (gaps); overall ``1 - sum D_o / sum D_e`` over the codes. Two
coders' overlapping units differ by ``(start difference)^2 + (end difference)^2``; a unit lying
inside the other coder's gap by its length squared. Tested on Krippendorff (2004, p. 254).

``version="2016"``: u-alpha and the binary |u-alpha of Krippendorff, Mathet, Bouvry and
Widlöcher (2016) and *Content Analysis* (4th ed., 2019, section 12.6), built from position-wise
coincidences with a self-pairing correction. The 2016 paper notes that the 2004 definition
misbehaves with more than two coders; prefer 2016 then. Tested on Krippendorff (2019, Fig. 12.11).

References
----------
Krippendorff K (1995). On the reliability of unitizing continuous data. Sociol Methodol 25:47-76.
Krippendorff K (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed. Sage.
Krippendorff K, Mathet Y, Bouvry S, Widlöcher A (2016). On the reliability of unitizing textual
    continua: further developments. Qual Quant 50:2347-2364. doi:10.1007/s11135-015-0266-1
Meyer CM, Mieskes M, Stab C, Gurevych I (2014). DKPro Agreement. COLING 2014 demos.
"""

from __future__ import annotations

import bisect
import warnings
from fractions import Fraction
from itertools import accumulate

from ..errors import CoevalError, CoevalWarning

__all__ = ["unitized_alpha"]


def _frame(units):
    import pandas as pd

    frame = units if isinstance(units, pd.DataFrame) else pd.DataFrame(
        list(units), columns=["coder", "start", "end", "code"])
    missing = {"coder", "start", "end", "code"} - set(frame.columns)
    if missing:
        raise CoevalError("unitized_alpha needs columns coder, start, end, code "
                          f"(missing: {', '.join(sorted(missing))}).")
    return frame


def _sections(spans, begin, end):
    """Units and gaps of one coder for one code, tiling [begin, end): (start, end, is_unit)."""
    out, pos = [], begin
    for s, e in spans:
        if s > pos:
            out.append((pos, s, False))
        out.append((s, e, True))
        pos = e
    if pos < end:
        out.append((pos, end, False))
    return out


def _delta2(a, b) -> int:
    (s1, e1, u1), (s2, e2, u2) = a, b
    if u1 and u2:
        return (s1 - s2) ** 2 + (e1 - e2) ** 2 if (s1 < e2 and s2 < e1) else 0
    if u1 and not u2:
        return (e1 - s1) ** 2 if (s2 <= s1 and e1 <= e2) else 0
    if u2 and not u1:
        return (e2 - s2) ** 2 if (s1 <= s2 and e2 <= e1) else 0
    return 0


def _observed(sections_by_coder) -> int:
    """Sum of distances over intersecting sections of every pair of coders (unordered)."""
    total = 0
    for i in range(len(sections_by_coder)):
        for j in range(i + 1, len(sections_by_coder)):
            a, b = sections_by_coder[i], sections_by_coder[j]
            x = y = 0
            while x < len(a) and y < len(b):
                if a[x][0] < b[y][1] and b[y][0] < a[x][1]:
                    total += _delta2(a[x], b[y])
                if a[x][1] < b[y][1]:
                    x += 1
                elif b[y][1] < a[x][1]:
                    y += 1
                else:
                    x += 1
                    y += 1
    return total


def _code_disagreements(spans_by_coder, begin, end):
    """(D_o, D_e) for one code as exact fractions (Krippendorff 2004)."""
    m, length = len(spans_by_coder), end - begin
    sections = [_sections(spans, begin, end) for spans in spans_by_coder]
    d_o = Fraction(2 * _observed(sections), m * (m - 1) * length * length)
    lens = [e - s for spans in spans_by_coder for s, e in spans]
    gaps = sorted(e - s for secs in sections for s, e, unit in secs if not unit)
    suffix = list(accumulate(reversed(gaps)))[::-1] + [0]  # suffix[i] = sum(gaps[i:])
    n = len(lens)
    numerator = 0
    for lu in lens:
        i = bisect.bisect_left(gaps, lu)
        count = len(gaps) - i
        numerator += (n - 1) * lu * (lu - 1) * (2 * lu - 1) // 3 + lu * lu * (suffix[i] - (lu - 1) * count)
    denominator = m * length * (m * length - 1) - sum(lu * (lu - 1) for lu in lens)
    d_e = Fraction(2 * numerator, length * denominator) if denominator else Fraction(0)
    return d_o, d_e


def _spans(frame, coders, code):
    out = []
    sub = frame[frame["code"] == code]
    for coder in coders:
        mine = sub.loc[sub["coder"] == coder, ["start", "end"]]
        spans = sorted((int(s), int(e)) for s, e in mine.itertuples(index=False))
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                raise CoevalError(f"coder {coder!r} has overlapping units of {code!r} ([{s1}, {e1}) and [{s2}, {e2})).",
                                  hint="Merge or split them first: one coder's units of one code must not overlap.")
        out.append(spans)
    return out


def unitized_alpha(units, continuum, *, coders=None, code=None, version: str = "2004", binary: bool = False,
                   per_code: bool = False):
    """Krippendorff's alpha for unitizing: how far coders agree on where, and whether, to mark text.

    Parameters
    ----------
    units : DataFrame or iterable of (coder, start, end, code)
        Spans as half-open offsets ``[start, end)`` on one continuum (a document).
    continuum : (begin, end)
        The stretch the coders worked on (for a document: ``(0, len(text))``).
    coders : list, optional
        Every coder who worked on the continuum, including any who marked nothing (they
        change the result). Defaults to the coders in ``units``.
    code : str, optional
        Only this code (everything else is gap). Default: all codes together.
    version : {"2004", "2016"}
        Which published definition (see the module docstring).
    binary : bool
        With ``version="2016"``: the binary |u-alpha (marked or not, whatever the code).
    per_code : bool
        With ``version="2004"``: return a DataFrame ``code``, ``d_o``, ``d_e``, ``alpha`` with an
        ``(all codes)`` row instead of one number.

    Returns
    -------
    float or pandas.DataFrame
        NaN (with a warning) when undefined: no units, or no expected disagreement.

    Raises
    ------
    CoevalError
        Fewer than two coders, a unit outside the continuum or empty, or (2004) one coder's
        units of one code overlapping; (2016) one coder's units of different codes overlapping.

    Notes
    -----
    Abutting units of one coder stay separate units, as the published definitions require.
    For several documents, compute per document: gaps must not run across document ends.

    Examples
    --------
    Krippendorff (2004, p. 254): two coders, continuum [150, 450):

    >>> units = [(0, 225, 295, "c"), (0, 370, 400, "c"), (1, 220, 300, "c"), (1, 355, 375, "c"),
    ...          (1, 400, 420, "c"), (0, 180, 240, "k"), (0, 300, 350, "k"), (1, 180, 240, "k"),
    ...          (1, 300, 350, "k")]
    >>> round(unitized_alpha(units, (150, 450), code="c"), 4)
    0.7286
    """
    frame = _frame(units)
    begin, end = int(continuum[0]), int(continuum[1])
    if end <= begin:
        raise CoevalError(f"the continuum ({begin}, {end}) is empty.")
    coders = list(dict.fromkeys(frame["coder"])) if coders is None else list(coders)
    if len(coders) < 2:
        raise CoevalError("unitized alpha needs at least two coders.")
    unknown = set(frame["coder"]) - set(coders)
    if unknown:
        raise CoevalError(f"coder {sorted(map(str, unknown))[0]!r} has units but is not among the coders given.")
    bad = frame[(frame["start"] >= frame["end"]) | (frame["start"] < begin) | (frame["end"] > end)]
    if len(bad):
        r = bad.iloc[0]
        raise CoevalError(f"unit [{r['start']}, {r['end']}) of {r['coder']!r} is empty or outside the continuum "
                          f"[{begin}, {end}).")
    if version == "2016":
        return _alpha_2016(frame, coders, begin, end, code=code, binary=binary)
    if version != "2004":
        raise ValueError("version must be '2004' or '2016'")
    codes = [code] if code is not None else list(dict.fromkeys(frame["code"]))
    rows = []
    for c in codes:
        d_o, d_e = _code_disagreements(_spans(frame, coders, c), begin, end)
        rows.append((c, d_o, d_e))
    if frame.empty:
        value = _nan("no units")
    else:
        total_o, total_e = sum(r[1] for r in rows), sum(r[2] for r in rows)
        value = _nan("no expected disagreement") if total_e == 0 else float(1 - total_o / total_e)
    if not per_code:
        return value
    import pandas as pd

    table = [{"code": c, "d_o": float(o), "d_e": float(e),
              "alpha": float(1 - o / e) if e else float("nan")} for c, o, e in rows]
    table.append({"code": "(all codes)", "d_o": float(sum(r[1] for r in rows)),
                  "d_e": float(sum(r[2] for r in rows)), "alpha": value})
    return pd.DataFrame(table, columns=["code", "d_o", "d_e", "alpha"])


def _nan(why: str) -> float:
    warnings.warn(f"unitized alpha is undefined ({why}), so it is NaN.", CoevalWarning, stacklevel=3)
    return float("nan")


def _alpha_2016(frame, coders, begin, end, *, code, binary):
    import numpy as np

    if code is not None:
        frame = frame[frame["code"] == code]
    values = list(dict.fromkeys(frame["code"]))
    index = {v: i + 1 for i, v in enumerate(values)}  # 0 is the gap (phi)
    length = end - begin
    k = len(values) + 1
    grid = np.zeros((len(coders), length), dtype=np.int64)
    self_pairs = np.zeros(k)
    for ci, coder in enumerate(coders):
        mine = frame[frame["coder"] == coder]
        for s, e, v in mine[["start", "end", "code"]].itertuples(index=False):
            s, e = int(s) - begin, int(e) - begin
            if (grid[ci, s:e] != 0).any():
                raise CoevalError(f"coder {coder!r} marks [{s + begin}, {e + begin}) twice.",
                                  hint="The 2016 definition needs each coder's units not to overlap; compute per "
                                       "code (code=...) or use version='2004'.")
            grid[ci, s:e] = index[v]
            self_pairs[index[v]] += (e - s) ** 2
        self_pairs[0] += int((grid[ci] == 0).sum())  # a gap pairs position by position
    m = len(coders)
    counts = np.zeros((k, length))
    for ci in range(m):
        counts[grid[ci], np.arange(length)] += 1
    # coincidences: at each position, every ordered pair of coders adds 1/(m-1)
    observed = (counts @ counts.T - np.diag(counts.sum(axis=1))) / (m - 1)
    total = observed.sum()
    margins = observed.sum(axis=1)
    s_total = self_pairs.sum()
    expected = (np.outer(margins, margins) - np.diag(self_pairs)) / (total - s_total / total)
    if binary:
        d_o = observed[0, 1:].sum() + observed[1:, 0].sum()
        d_e = expected[0, 1:].sum() + expected[1:, 0].sum()
    else:
        d_o = total - np.trace(observed)
        d_e = expected.sum() - np.trace(expected)
    if len(values) == 0 or d_e == 0:
        return _nan("no units" if len(values) == 0 else "no expected disagreement")
    return float(1 - d_o / d_e)
