"""Reliability data: coders x units input (arrays, DataFrames, lists; labels or numbers; NaN or None
for missing) turned into integer category codes and units x categories counts.

Shared by every measure in this package; an undefined result is NaN with a warning.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import CoevalWarning

__all__ = ["reliability_data", "category_counts", "undefined", "is_missing", "unit_counts"]


def undefined(what: str) -> float:
    warnings.warn(f"{what}: the measure is undefined here, so it is NaN.", CoevalWarning, stacklevel=3)
    return float("nan")


def is_missing(v) -> bool:
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
    missing = np.fromiter((is_missing(v) for v in flat), dtype=bool, count=flat.size)
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


def unit_counts(codes: np.ndarray, k: int):
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


def category_counts(data, *, categories=None):
    """Units x categories table of how many coders chose each category (for :func:`fleiss_kappa`).

    Returns a DataFrame: one row per unit, one column per category.
    """
    import pandas as pd

    codes, values = reliability_data(data, categories=categories)
    counts = unit_counts(codes, len(values))
    if not isinstance(counts, np.ndarray):
        counts = counts.toarray()
    return pd.DataFrame(counts.astype(int), columns=values)
