"""Inter-coder agreement measures as plain functions on coders x units data.

Every function here takes reliability data as *coders x units*: a 2-D numpy array, a
DataFrame (rows are coders, columns are units) or a list of lists, whose values may be
numbers or category labels (strings); missing values are NaN or None. Undefined results
(one coder, no pairable values, no variation) are NaN with a :class:`~coeval.errors.CoevalWarning`,
never a string and never an exception.

References
----------
Cohen J (1960). A coefficient of agreement for nominal scales. Educ Psychol Meas 20:37-46.
Cohen J (1968). Weighted kappa. Psychol Bull 70:213-220.
Scott WA (1955). Reliability of content analysis: the case of nominal scale coding. Public Opin Q 19:321-325.
Fleiss JL (1971). Measuring nominal scale agreement among many raters. Psychol Bull 76:378-382.
Brennan RL, Prediger DJ (1981). Coefficient kappa: some uses, misuses, and alternatives. Educ Psychol Meas 41:687-699.
Gwet KL (2008). Computing inter-rater reliability and its variance in the presence of high agreement.
    Br J Math Stat Psychol 61:29-48.
Gwet KL (2014). Handbook of Inter-Rater Reliability, 4th ed. Advanced Analytics.
"""

from __future__ import annotations

import numpy as np

from .data import reliability_data, undefined, unit_counts

__all__ = ["percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "gwet_ac1", "gwet_ac2",
           "brennan_prediger"]


# -- pairwise-agreement family (Fleiss, Gwet, Brennan-Prediger) -----------------------------------------------


def _counts_from(data, categories):
    codes, values = reliability_data(data, categories=categories)
    counts = unit_counts(codes, len(values))
    if not isinstance(counts, np.ndarray):
        counts = counts.toarray()
    return counts, values


def _pa(counts, weights_matrix=None) -> tuple[float, int]:
    r = counts.sum(axis=1)
    two = r >= 2
    if not two.any():
        return float("nan"), 0
    c = counts[two]
    star = c if weights_matrix is None else c @ weights_matrix.T
    per_unit = (c * (star - 1)).sum(axis=1) / (r[two] * (r[two] - 1))
    return float(per_unit.mean()), int(two.sum())


def _pi(counts):
    r = counts.sum(axis=1)
    rated = r >= 1
    shares = counts[rated] / r[rated][:, None]
    return shares.mean(axis=0)


def percent_agreement(data) -> float:
    """Proportion of agreeing pairs of coders, averaged over units.

    For each unit rated by at least two coders: the share of pairs of its coders who chose
    the same category; the mean over those units. With two coders, the share of units on
    which they agree. Missing values drop out; units with one value do not count.
    """
    counts, _ = _counts_from(data, None)
    pa, n = _pa(counts)
    return pa if n else undefined("percent agreement (no unit with two values)")


def fleiss_kappa(counts) -> float:
    """Fleiss' kappa from a subjects x categories count table.

    Parameters
    ----------
    counts : array-like or DataFrame
        ``counts[i, k]``: how many raters put subject ``i`` in category ``k``. Rows may sum to
        different numbers (Gwet's generalisation to missing ratings); with equal rows this is
        Fleiss (1971) exactly.
    """
    counts = np.asarray(counts.to_numpy() if hasattr(counts, "to_numpy") else counts, dtype=float)
    pa, n = _pa(counts)
    if not n:
        return undefined("Fleiss' kappa (no subject with two ratings)")
    pe = float((_pi(counts) ** 2).sum())
    return (pa - pe) / (1 - pe) if pe < 1 else undefined("Fleiss' kappa (every rating in one category)")


def _n_categories(values, categories, n_categories) -> int:
    if n_categories is not None:
        return int(n_categories)
    return len(categories) if categories is not None else len(values)


def gwet_ac1(data, *, categories=None, n_categories: int | None = None) -> float:
    """Gwet's AC1 (first-order agreement coefficient) for any number of coders.

    Parameters
    ----------
    data : coders x units
    categories : sequence, optional
        All possible categories: their number ``q`` enters the chance agreement, so give the
        codebook's categories when some were never used (for a code applied or not, q = 2).
    n_categories : int, optional
        ``q`` directly.

    Notes
    -----
    ``pe = sum_k pi_k (1 - pi_k) / (q - 1)``, ``pi_k`` the mean share of category k per unit
    (Gwet 2008). Units with one rating count towards ``pi_k`` but not towards agreement.
    """
    counts, values = _counts_from(data, categories)
    q = _n_categories(values, categories, n_categories)
    pa, n = _pa(counts)
    if not n or q < 2:
        return undefined("Gwet's AC1 (no unit with two values, or fewer than two categories)")
    pi = _pi(counts)
    pe = float((pi * (1 - pi)).sum() / (q - 1))
    return (pa - pe) / (1 - pe)


WEIGHTS = ("identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar")


def _weight_matrix(values, weights, q: int):
    """Agreement weights ``w_kl`` (1 on the diagonal) as Gwet (2014, ch. 3) defines them and irrCAC
    computes them: on the category values when they are numbers (sorted), else on their ranks."""
    if weights is None or weights in ("identity", "unweighted"):
        return np.eye(q)
    if isinstance(weights, str):
        try:
            x = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            x = np.arange(1, len(values) + 1, dtype=float)
        if len(x) < q:  # categories never observed: equally spaced ranks
            x = np.arange(1, q + 1, dtype=float)
        lo, hi = x.min(), x.max()
        span = (hi - lo) or 1.0
        d = x[:, None] - x[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            if weights == "linear":
                return 1 - np.abs(d) / span
            if weights == "quadratic":
                return 1 - d ** 2 / span ** 2
            if weights == "radical":
                return 1 - np.sqrt(np.abs(d)) / np.sqrt(span)
            if weights == "ratio":
                return 1 - (d / (x[:, None] + x[None, :])) ** 2 / ((hi - lo) / (hi + lo)) ** 2
            if weights == "ordinal":  # on ranks: how many category pairs lie between
                r = np.arange(1, q + 1)
                n = np.abs(r[:, None] - r[None, :]) + 1
                m = n * (n - 1) / 2
                return 1 - m / m.max()
            if weights == "circular":
                m = np.sin(np.pi * d / (hi - lo + 1)) ** 2
                return np.where(np.isclose(m, m.max()), 0.0, 1 - m / m.max())
            if weights == "bipolar":
                s = x[:, None] + x[None, :]
                m = np.where(np.eye(q, dtype=bool), 0.0, d ** 2 / ((s - 2 * lo) * (2 * hi - s)))
                return 1 - m / m.max()
        raise ValueError(f"weights must be one of {', '.join(WEIGHTS)} or a q x q matrix, not {weights!r}")
    w = np.asarray(weights, dtype=float)
    if w.shape != (q, q):
        raise ValueError(f"a weights matrix must be {q} x {q}")
    return w


def gwet_ac2(data, *, weights="quadratic", categories=None) -> float:
    """Gwet's AC2: AC1 with agreement weights for ordered categories.

    Parameters
    ----------
    weights : str or array
        Agreement weights ``w_kl`` (1 on the diagonal), on the category values (their ranks for
        labels): ``linear`` ``1 - |x_k - x_l| / (max - min)``; ``quadratic``
        ``1 - (x_k - x_l)^2 / (max - min)^2``; ``ordinal``, ``radical``, ``ratio``, ``circular``
        and ``bipolar`` as in Gwet (2014, ch. 3) and irrCAC; ``identity`` gives AC1.
    categories : sequence, optional
        All categories in order; their number ``q`` enters the chance agreement.
    """
    counts, values = _counts_from(data, categories)
    q = len(values)
    w = _weight_matrix(values, weights, q)
    pa, n = _pa(counts, w)
    if not n or q < 2:
        return undefined("Gwet's AC2 (no unit with two values, or fewer than two categories)")
    pi = _pi(counts)
    pe = float(w.sum() * (pi * (1 - pi)).sum() / (q * (q - 1)))
    return (pa - pe) / (1 - pe)


def brennan_prediger(data, *, categories=None, n_categories: int | None = None, weights=None) -> float:
    """Brennan and Prediger's kappa: chance agreement ``1/q`` (weighted: ``sum(w) / q^2``, with
    any of the weights of :func:`gwet_ac2`).

    ``q`` is the number of categories: give ``categories`` (e.g. the codebook's) or
    ``n_categories`` when not all were used; by default the observed ones.
    """
    counts, values = _counts_from(data, categories)
    q = _n_categories(values, categories, n_categories)
    w = _weight_matrix(values, weights, len(values)) if weights is not None else None
    pa, n = _pa(counts, w)
    if not n or q < 2:
        return undefined("Brennan-Prediger (no unit with two values, or fewer than two categories)")
    pe = 1.0 / q if w is None else float(w.sum()) / q ** 2
    return (pa - pe) / (1 - pe)


# -- two coders: Cohen and Scott -------------------------------------------------------------------------------
def _pairs(a, b, labels=None):
    codes, values = reliability_data([list(a), list(b)], categories=labels)
    both = (codes[0] >= 0) & (codes[1] >= 0)
    return codes[0][both], codes[1][both], values


def cohen_kappa(a, b, *, weights=None, labels=None) -> float:
    """Cohen's kappa between two coders (weighted for ordered categories).

    Parameters
    ----------
    a, b : sequences
        The two coders' values for the same units; a unit missing for either drops out.
    weights : {None, "linear", "quadratic"}
        Disagreement weights ``|i - j|`` or ``(i - j)^2`` on the categories' positions in
        sorted order (as scikit-learn's ``cohen_kappa_score``).
    labels : sequence, optional
        The categories in order.
    """
    x, y, values = _pairs(a, b, labels)
    k = len(values)
    if len(x) == 0 or k == 0:
        return undefined("Cohen's kappa (no unit coded by both)")
    observed = np.bincount(x * k + y, minlength=k * k).reshape(k, k).astype(float)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    if weights is None:
        w = 1 - np.eye(k)
    elif weights in ("linear", "quadratic"):
        d = np.abs(np.arange(k)[:, None] - np.arange(k)[None, :]).astype(float)
        w = d if weights == "linear" else d ** 2
    else:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    denom = (w * expected).sum()
    if denom == 0:
        return undefined("Cohen's kappa (no variation)")
    return float(1 - (w * observed).sum() / denom)


def scott_pi(a, b=None, *, labels=None, weights=None) -> float:
    """Scott's pi between two coders: chance agreement from the pooled marginals.

    Give two sequences, or one 2 x units array as ``a``. ``weights`` (see :func:`gwet_ac2`:
    linear, quadratic, ordinal, radical, ratio, circular, bipolar, or a matrix) gives the
    weighted pi: ``pa = sum w_kl p_kl``, ``pe = sum w_kl pi_k pi_l`` with ``pi`` the pooled
    marginals (Gwet 2014, ch. 3).
    """
    if b is None:
        arr = a.to_numpy() if hasattr(a, "to_numpy") else np.asarray(a, dtype=object)
        if arr.shape[0] != 2:
            return undefined("Scott's pi (it needs exactly two coders)")
        a, b = arr[0], arr[1]
    x, y, values = _pairs(a, b, labels)
    k = len(values)
    if len(x) == 0:
        return undefined("Scott's pi (no unit coded by both)")
    w = _weight_matrix(values, weights, k)
    po = float(w[x, y].mean())
    p = np.bincount(np.concatenate([x, y]), minlength=k) / (2 * len(x))
    pe = float(p @ w @ p)
    return (po - pe) / (1 - pe) if pe < 1 else undefined("Scott's pi (no variation)")
