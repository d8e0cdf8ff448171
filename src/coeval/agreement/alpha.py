"""Krippendorff's alpha (nominal, ordinal, interval, ratio, and set-valued with MASI or Jaccard
distances), and its bootstrap confidence interval.

Data are coders x units, as everywhere in this package (see :mod:`coeval.agreement.data`).

References
----------
Krippendorff K (2011). Computing Krippendorff's alpha-reliability. Annenberg School for Communication.
Passonneau R (2006). Measuring agreement on set-valued items (MASI). LREC 2006.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from ..errors import CoevalWarning
from .data import is_missing, reliability_data, undefined, unit_counts

__all__ = ["krippendorff_alpha", "alpha_from_coincidences", "bootstrap_alpha", "BootstrapResult", "masi_distance",
           "jaccard_distance"]

_LEVELS = ("nominal", "ordinal", "interval", "ratio")


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


def alpha_from_coincidences(o, values, level) -> float:
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return undefined("Krippendorff's alpha (fewer than two pairable values)")
    d2 = _delta2(values, n_c, level)
    observed = (o * d2).sum()
    expected = (np.outer(n_c, n_c) * d2).sum() / (n - 1.0)
    if expected == 0:
        return undefined("Krippendorff's alpha (no variation in the values)")
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
        return undefined("Krippendorff's alpha (fewer than two coders)")
    return alpha_from_coincidences(_coincidences_from_codes(codes, len(values)), values, level)


def _coincidences_from_codes(codes: np.ndarray, k: int) -> np.ndarray:
    """The coincidence matrix straight from coders x units codes.

    With few coders, pair by pair: memory stays O(units) whatever the number of categories
    (the reference implementation's grows with units x categories^2). With many coders, through
    the units x categories count table.
    """
    n_coders = codes.shape[0]
    if n_coders > 8:
        return _coincidences(unit_counts(codes, k))
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
        return undefined("Krippendorff's alpha (fewer than two coders or no values)")
    return alpha_from_coincidences(_coincidences_from_codes(codes, len(values)), values, fn)


def _is_missing_set(v) -> bool:
    if isinstance(v, (set, frozenset, list, tuple)):
        return False
    return is_missing(v)


def _as_set(v):
    if isinstance(v, (set, frozenset, list, tuple)):
        return v
    if isinstance(v, str):
        return [p.strip() for p in v.split(";") if p.strip()]
    return [v]


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
    counts = unit_counts(codes, len(values))
    if not isinstance(counts, np.ndarray):
        counts = counts.toarray()
    pairable = counts.sum(axis=1) >= 2
    counts = counts[pairable]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoevalWarning)
        alpha = alpha_from_coincidences(_coincidences(counts), values, level)
        if math.isnan(alpha) or len(counts) == 0:
            return BootstrapResult(float("nan"), float("nan"), float("nan"), ci, n_boot, float("nan"))
        rng = np.random.default_rng(seed)
        draws = np.empty(n_boot)
        n, k = counts.shape
        if n * k * k <= 20_000_000:
            # each unit's share of the coincidence matrix, once; a resample's matrix is then its
            # unit weights times these shares (one matrix product per block of resamples)
            shares = counts[:, :, None] * counts[:, None, :] - np.einsum("uk,kl->ukl", counts, np.eye(k))
            m = counts.sum(axis=1)
            shares = (shares / (m - 1.0)[:, None, None]).reshape(n, k * k)
            block = max(1, min(n_boot, 2_000_000 // max(n, 1)))
            for start in range(0, n_boot, block):
                size = min(block, n_boot - start)
                weights = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(size)])
                for i, o in enumerate(weights @ shares):
                    draws[start + i] = alpha_from_coincidences(o.reshape(k, k), values, level)
        else:
            for i in range(n_boot):
                weights = np.bincount(rng.integers(0, n, n), minlength=n)
                draws[i] = alpha_from_coincidences(_coincidences(counts, weights), values, level)
    draws = draws[~np.isnan(draws)]
    tail = (1 - ci) / 2
    low, high = (np.quantile(draws, [tail, 1 - tail]) if len(draws) else (float("nan"), float("nan")))
    return BootstrapResult(float(alpha), float(low), float(high), ci, n_boot,
                           float((draws < threshold).mean()) if len(draws) else float("nan"))
