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
Krippendorff K (2011). Computing Krippendorff's alpha-reliability. Annenberg School for Communication.
Passonneau R (2006). Measuring agreement on set-valued items (MASI). LREC 2006.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import CoevalWarning

__all__ = ["percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
           "gwet_ac2", "brennan_prediger", "bootstrap_alpha", "category_counts", "reliability_data",
           "BootstrapResult", "masi_distance", "jaccard_distance"]

_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _undefined(what: str) -> float:
    warnings.warn(f"{what}: the measure is undefined here, so it is NaN.", CoevalWarning, stacklevel=3)
    return float("nan")


def _is_missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, pd.NA-safe enough for scalars
    except (TypeError, ValueError):
        return False


# -- turning input into integer codes ------------------------------------------------------------------------
def reliability_data(data, *, categories=None):
    """Coders x units data as integer category codes.

    Parameters
    ----------
    data : array-like or DataFrame
        Coders x units; numbers or labels; NaN/None for missing.
    categories : sequence, optional
        All possible categories, in order (e.g. from a codebook). Defaults to the observed
        values, sorted.

    Returns
    -------
    codes : ndarray of int, shape (coders, units)
        Index into ``values``; -1 where missing.
    values : list
        The categories.
    """
    if hasattr(data, "to_numpy"):
        arr = data.to_numpy()
    else:
        arr = np.asarray(data, dtype=object) if not isinstance(data, np.ndarray) else data
    if arr.ndim != 2:
        raise ValueError(f"reliability data must be 2-D (coders x units), not {arr.ndim}-D")
    if arr.dtype.kind in "fiub" and categories is None:
        fl = arr.astype(float, copy=False)
        mask = np.isnan(fl)
        present = fl[~mask]
        codes = np.full(arr.shape, -1, dtype=np.int64)
        if present.size and np.array_equal(present, np.floor(present)) and present.max() - present.min() < 1e6:
            # whole numbers in a modest range: count, don't sort (O(n) for millions of units)
            low = present.min()
            ints = (present - low).astype(np.int64)
            used = np.bincount(ints) > 0
            codes[~mask] = (np.cumsum(used) - 1)[ints]
            values = np.flatnonzero(used) + low
        else:
            values, inverse = np.unique(present, return_inverse=True)
            codes[~mask] = inverse
        out_values = values.astype(arr.dtype).tolist() if arr.dtype.kind in "iub" else values.tolist()
        return codes, out_values
    flat = arr.ravel()
    missing = np.fromiter((_is_missing(v) for v in flat), dtype=bool, count=flat.size)
    present = flat[~missing]
    if categories is None:
        seen = list(dict.fromkeys(present.tolist()))
        try:
            values = sorted(seen)
        except TypeError:
            values = sorted(seen, key=str)
    else:
        values = list(categories)
        unknown = set(present.tolist()) - set(values)
        if unknown:
            raise ValueError(f"value {sorted(map(str, unknown))[0]!r} is not among the categories given")
    index = {v: i for i, v in enumerate(values)}
    codes = np.full(flat.size, -1, dtype=np.int64)
    codes[~missing] = [index[v] for v in present.tolist()]
    return codes.reshape(arr.shape), values


def _unit_counts(codes: np.ndarray, k: int):
    """Units x categories counts (dense, or sparse when large), and each unit's weight."""
    units = codes.shape[1]
    rows = np.broadcast_to(np.arange(units), codes.shape)
    ok = codes >= 0
    flat = rows[ok] * k + codes[ok]
    if units * k <= 20_000_000:
        counts = np.bincount(flat, minlength=units * k).reshape(units, k).astype(float)
        return counts
    from scipy import sparse

    return sparse.csr_matrix((np.ones(flat.size), (flat // k, flat % k)), shape=(units, k))


# -- Krippendorff's alpha -------------------------------------------------------------------------------------
def _coincidences(counts, weights=None):
    """Krippendorff's coincidence matrix from units x categories counts (optionally unit-weighted)."""
    from scipy import sparse

    is_sparse = sparse.issparse(counts)
    m = np.asarray(counts.sum(axis=1)).ravel()
    pairable = m >= 2
    w = np.zeros_like(m, dtype=float)
    w[pairable] = 1.0 / (m[pairable] - 1.0)
    if weights is not None:
        w = w * np.asarray(weights, dtype=float)
    if is_sparse:
        weighted = sparse.diags(w) @ counts
        o = (counts.T @ weighted).toarray()
        o -= np.diag(np.asarray(weighted.sum(axis=0)).ravel())
    else:
        weighted = counts * w[:, None]
        o = counts.T @ weighted
        o -= np.diag(weighted.sum(axis=0))
    return o


def _delta2(values, n_c, level):
    k = len(values)
    if callable(level):
        return np.array([[float(level(a, b)) for b in values] for a in values])
    if level == "nominal":
        return 1.0 - np.eye(k)
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        if level != "ordinal":
            raise ValueError(f"{level} alpha needs numeric values, got labels such as {values[0]!r}") from None
        x = np.arange(k, dtype=float)  # ordered labels: their sorted order is the ranking
    if level == "interval":
        return (x[:, None] - x[None, :]) ** 2
    if level == "ratio":
        s = x[:, None] + x[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            d = ((x[:, None] - x[None, :]) / s) ** 2
        return np.nan_to_num(d)
    if level == "ordinal":
        cum = np.concatenate([[0.0], np.cumsum(n_c)])
        i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        return (cum[hi + 1] - cum[lo] - (n_c[i] + n_c[j]) / 2.0) ** 2
    raise ValueError(f"level must be one of {', '.join(_LEVELS)} or a distance function, not {level!r}")


def _alpha_from_o(o, values, level) -> float:
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return _undefined("Krippendorff's alpha (fewer than two pairable values)")
    d2 = _delta2(values, n_c, level)
    observed = (o * d2).sum()
    expected = (np.outer(n_c, n_c) * d2).sum() / (n - 1.0)
    if expected == 0:
        return _undefined("Krippendorff's alpha (no variation in the values)")
    return float(1.0 - observed / expected)


def masi_distance(a, b) -> float:
    """MASI distance between two sets (Passonneau 2006): 1 - Jaccard x monotonicity."""
    a, b = frozenset(a), frozenset(b)
    if not a and not b:
        return 0.0
    inter, union = len(a & b), len(a | b)
    if a == b:
        m = 1.0
    elif a <= b or b <= a:
        m = 2 / 3
    elif inter:
        m = 1 / 3
    else:
        m = 0.0
    return 1.0 - (inter / union) * m


def jaccard_distance(a, b) -> float:
    """1 - |A and B| / |A or B| (0 for two empty sets)."""
    a, b = frozenset(a), frozenset(b)
    union = len(a | b)
    return 0.0 if union == 0 else 1.0 - len(a & b) / union


def krippendorff_alpha(data, level: str = "nominal", *, distance=None, categories=None) -> float:
    """Krippendorff's alpha.

    Parameters
    ----------
    data : coders x units
        Values or labels; NaN/None for missing. With ``distance``, each value is a set (or
        list) of labels: the codes a coder gave a segment.
    level : {"nominal", "ordinal", "interval", "ratio"}
        The metric (difference function). Ordinal labels that are strings are ranked in
        sorted order, or in the order of ``categories``.
    distance : {"masi", "jaccard"} or callable, optional
        For set-valued data: the distance between two coders' sets, used as the squared
        difference in alpha.
    categories : sequence, optional
        All categories in order (for ordinal ranking of labels).

    Returns
    -------
    float
        NaN (with a warning) when fewer than two pairable values or no variation.

    Notes
    -----
    The unit of analysis is the unit (column); units with fewer than two values are not
    pairable and drop out. Computed through the coincidence matrix (Krippendorff 2011), in
    O(units x coders) time and memory plus categories squared.

    Examples
    --------
    >>> krippendorff_alpha([[1, 1, 2], [1, 2, 2]])  # doctest: +ELLIPSIS
    0.4444...
    """
    if distance is not None:
        return _set_alpha(data, distance)
    codes, values = reliability_data(data, categories=categories)
    if codes.shape[0] < 2:
        return _undefined("Krippendorff's alpha (fewer than two coders)")
    return _alpha_from_o(_coincidences_from_codes(codes, len(values)), values, level)


def _coincidences_from_codes(codes: np.ndarray, k: int) -> np.ndarray:
    """The coincidence matrix straight from coders x units codes.

    With few coders, pair by pair: memory stays O(units) whatever the number of categories
    (the reference implementation's grows with units x categories^2). With many coders, through
    the units x categories count table.
    """
    n_coders = codes.shape[0]
    if n_coders > 8:
        return _coincidences(_unit_counts(codes, k))
    present = codes >= 0
    m = present.sum(axis=0)
    w = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
    o = np.zeros(k * k)
    for i in range(n_coders):
        for j in range(i + 1, n_coders):
            both = present[i] & present[j]
            if not both.any():
                continue
            idx = codes[i][both] * k + codes[j][both]
            o += np.bincount(idx, weights=w[both], minlength=k * k)
    o = o.reshape(k, k)
    return o + o.T


def _set_alpha(data, distance) -> float:
    fn = {"masi": masi_distance, "jaccard": jaccard_distance}.get(distance, distance)
    if not callable(fn):
        raise ValueError(f"distance must be 'masi', 'jaccard' or a function, not {distance!r}")
    arr = data.to_numpy() if hasattr(data, "to_numpy") else np.asarray(data, dtype=object)
    cells = [[None if _is_missing_set(v) else frozenset(_as_set(v)) for v in row] for row in arr]
    frame = np.empty((len(cells), len(cells[0]) if cells else 0), dtype=object)
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            frame[i, j] = v
    values = list(dict.fromkeys(v for row in cells for v in row if v is not None))
    index = {v: i for i, v in enumerate(values)}
    codes = np.array([[-1 if v is None else index[v] for v in row] for row in cells], dtype=np.int64)
    if codes.shape[0] < 2 or not values:
        return _undefined("Krippendorff's alpha (fewer than two coders or no values)")
    return _alpha_from_o(_coincidences_from_codes(codes, len(values)), values, fn)


def _is_missing_set(v) -> bool:
    if isinstance(v, (set, frozenset, list, tuple)):
        return False
    return _is_missing(v)


def _as_set(v):
    if isinstance(v, (set, frozenset, list, tuple)):
        return v
    if isinstance(v, str):
        return [p.strip() for p in v.split(";") if p.strip()]
    return [v]


# -- pairwise-agreement family (Fleiss, Gwet, Brennan-Prediger) -----------------------------------------------
def category_counts(data, *, categories=None):
    """Units x categories table of how many coders chose each category (for :func:`fleiss_kappa`).

    Returns a DataFrame: one row per unit, one column per category.
    """
    import pandas as pd

    codes, values = reliability_data(data, categories=categories)
    counts = _unit_counts(codes, len(values))
    if not isinstance(counts, np.ndarray):
        counts = counts.toarray()
    return pd.DataFrame(counts.astype(int), columns=values)


def _counts_from(data, categories):
    codes, values = reliability_data(data, categories=categories)
    counts = _unit_counts(codes, len(values))
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
    return pa if n else _undefined("percent agreement (no unit with two values)")


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
        return _undefined("Fleiss' kappa (no subject with two ratings)")
    pe = float((_pi(counts) ** 2).sum())
    return (pa - pe) / (1 - pe) if pe < 1 else _undefined("Fleiss' kappa (every rating in one category)")


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
        return _undefined("Gwet's AC1 (no unit with two values, or fewer than two categories)")
    pi = _pi(counts)
    pe = float((pi * (1 - pi)).sum() / (q - 1))
    return (pa - pe) / (1 - pe)


def _weight_matrix(values, weights, q: int):
    if weights is None or weights in ("identity", "unweighted"):
        return np.eye(q)
    if isinstance(weights, str):
        try:
            x = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            x = np.arange(len(values), dtype=float)
        if len(x) < q:  # categories never observed: equally spaced ranks
            x = np.arange(q, dtype=float)
        span = x.max() - x.min() if len(x) > 1 else 1.0
        diff = np.abs(x[:, None] - x[None, :]) / (span or 1.0)
        if weights == "linear":
            return 1 - diff
        if weights == "quadratic":
            return 1 - diff ** 2
        raise ValueError(f"weights must be 'linear', 'quadratic', 'identity' or a matrix, not {weights!r}")
    w = np.asarray(weights, dtype=float)
    if w.shape != (q, q):
        raise ValueError(f"a weights matrix must be {q} x {q}")
    return w


def gwet_ac2(data, *, weights="quadratic", categories=None) -> float:
    """Gwet's AC2: AC1 with agreement weights for ordered categories.

    Parameters
    ----------
    weights : {"quadratic", "linear", "identity"} or array
        Agreement weights ``w_kl`` (1 on the diagonal). Linear: ``1 - |x_k - x_l| / (max - min)``;
        quadratic: ``1 - (x_k - x_l)^2 / (max - min)^2`` on the category values (their ranks
        for labels). ``"identity"`` gives AC1.
    categories : sequence, optional
        All categories in order; their number ``q`` enters the chance agreement.
    """
    counts, values = _counts_from(data, categories)
    q = len(values)
    w = _weight_matrix(values, weights, q)
    pa, n = _pa(counts, w)
    if not n or q < 2:
        return _undefined("Gwet's AC2 (no unit with two values, or fewer than two categories)")
    pi = _pi(counts)
    pe = float(w.sum() * (pi * (1 - pi)).sum() / (q * (q - 1)))
    return (pa - pe) / (1 - pe)


def brennan_prediger(data, *, categories=None, n_categories: int | None = None, weights=None) -> float:
    """Brennan and Prediger's kappa: chance agreement ``1/q`` (weighted: ``sum(w) / q^2``).

    ``q`` is the number of categories: give ``categories`` (e.g. the codebook's) or
    ``n_categories`` when not all were used; by default the observed ones.
    """
    counts, values = _counts_from(data, categories)
    q = _n_categories(values, categories, n_categories)
    w = _weight_matrix(values, weights, len(values)) if weights is not None else None
    pa, n = _pa(counts, w)
    if not n or q < 2:
        return _undefined("Brennan-Prediger (no unit with two values, or fewer than two categories)")
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
        return _undefined("Cohen's kappa (no unit coded by both)")
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
        return _undefined("Cohen's kappa (no variation)")
    return float(1 - (w * observed).sum() / denom)


def scott_pi(a, b=None, *, labels=None) -> float:
    """Scott's pi between two coders: chance agreement from the pooled marginals.

    Give two sequences, or one 2 x units array as ``a``.
    """
    if b is None:
        arr = a.to_numpy() if hasattr(a, "to_numpy") else np.asarray(a, dtype=object)
        if arr.shape[0] != 2:
            return _undefined("Scott's pi (it needs exactly two coders)")
        a, b = arr[0], arr[1]
    x, y, values = _pairs(a, b, labels)
    k = len(values)
    if len(x) == 0:
        return _undefined("Scott's pi (no unit coded by both)")
    po = float((x == y).mean())
    p = np.bincount(np.concatenate([x, y]), minlength=k) / (2 * len(x))
    pe = float((p ** 2).sum())
    return (po - pe) / (1 - pe) if pe < 1 else _undefined("Scott's pi (no variation)")


# -- bootstrap -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BootstrapResult:
    """Alpha with a bootstrap confidence interval."""

    alpha: float
    low: float
    high: float
    level: float
    n_boot: int
    p_below: float  # share of bootstrap alphas below the threshold asked for

    def __iter__(self):
        return iter((self.alpha, self.low, self.high))


def bootstrap_alpha(data, level: str = "nominal", *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                    threshold: float = 0.667) -> BootstrapResult:
    """Krippendorff's alpha with a percentile bootstrap confidence interval.

    Units are resampled with replacement (seeded: the same seed gives the same interval).

    Returns
    -------
    BootstrapResult
        ``alpha``, ``low``, ``high`` (unpacks as a 3-tuple), the confidence ``level``,
        ``n_boot``, and ``p_below``: the share of resamples with alpha below ``threshold``
        (Krippendorff's q, the risk that the true alpha is below the minimum acceptable).
    """
    codes, values = reliability_data(data)
    counts = _unit_counts(codes, len(values))
    if not isinstance(counts, np.ndarray):
        counts = counts.toarray()
    pairable = counts.sum(axis=1) >= 2
    counts = counts[pairable]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoevalWarning)
        alpha = _alpha_from_o(_coincidences(counts), values, level)
        if math.isnan(alpha) or len(counts) == 0:
            return BootstrapResult(float("nan"), float("nan"), float("nan"), ci, n_boot, float("nan"))
        rng = np.random.default_rng(seed)
        draws = np.empty(n_boot)
        n = len(counts)
        for i in range(n_boot):
            weights = np.bincount(rng.integers(0, n, n), minlength=n)
            draws[i] = _alpha_from_o(_coincidences(counts, weights), values, level)
    draws = draws[~np.isnan(draws)]
    tail = (1 - ci) / 2
    low, high = (np.quantile(draws, [tail, 1 - tail]) if len(draws) else (float("nan"), float("nan")))
    return BootstrapResult(float(alpha), float(low), float(high), ci, n_boot,
                           float((draws < threshold).mean()) if len(draws) else float("nan"))
