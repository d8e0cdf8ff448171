"""Probabilities and the cut-off for :class:`~coeval.learn.suggester.CodeSuggester`.

Platt scaling turns a linear SVM's scores into probabilities; one global cut-off (with an
optional top-1 floor) turns probabilities into suggestions. Both are fitted on out-of-fold
scores of the training texts, never on the texts to be suggested for.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GRID", "choose_cut_off", "platt", "sigmoid"]

# the cut-offs (and floors) tried: 0.05 to 0.95 in steps of 0.025
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def choose_cut_off(P, T, thresholds, floors) -> tuple[float, float, float | None]:
    """The cut-off and top-1 floor with the best micro-F1, and that F1: ``(f1, cut_off, floor)``.

    Parameters
    ----------
    P : numpy.ndarray
        Out-of-fold probabilities, ``(n_texts, n_codes)``.
    T : numpy.ndarray
        The true codes, 0/1, same shape.
    thresholds : sequence of float
        Cut-offs to try: a code is suggested when its probability is at least the cut-off.
    floors : sequence of float or None
        Top-1 floors to try (None: off): a text with no code at the cut-off gets its most likely
        code if that is at least the floor. Floors at or above the cut-off are skipped.

    Notes
    -----
    Ties go to the first pair tried (lowest cut-off, floor off before any floor).
    """
    T = np.asarray(T).astype(bool)
    rows = np.arange(len(P))
    top = P.argmax(axis=1)
    top_p, truth_at_top, ntrue = P[rows, top], T[rows, top], int(T.sum())
    best = (-1.0, 0.5, None)
    for t in thresholds:
        pred = P >= t
        tp, npred = int((pred & T).sum()), int(pred.sum())
        empty = ~pred.any(axis=1)
        for f in floors:
            if f is not None and f >= t:
                continue
            add = empty & (top_p >= f) if f is not None else np.zeros(len(P), dtype=bool)
            a_tp, a_pred = tp + int((add & truth_at_top).sum()), npred + int(add.sum())
            f1 = 2 * a_tp / (a_pred + ntrue) if a_pred + ntrue else 0.0
            if f1 > best[0] + 1e-9:
                best = (f1, float(t), None if f is None else float(f))
    return best


def platt(scores, y) -> tuple[float, float]:
    """Platt scaling: ``(a, b)`` with ``P(code) = sigmoid(a * score + b)``, by Newton's method with the
    smoothed targets of Lin, Lin and Weng (2007), "A note on Platt's probabilistic outputs"."""
    positives, negatives = float(y.sum()), float(len(y) - y.sum())
    target = np.where(y > 0, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    a, b = 1.0, float(np.log((positives + 1) / (negatives + 1)))

    def loss(a, b):
        z = a * scores + b
        return float(np.sum(np.logaddexp(0, z) - target * z))

    current = loss(a, b)
    for _ in range(100):
        p = sigmoid(a * scores + b)
        w = p * (1 - p) + 1e-12
        grad = np.array([np.sum((p - target) * scores), np.sum(p - target)])
        if np.abs(grad).max() < 1e-6:
            break
        hess = np.array([[np.sum(w * scores ** 2), np.sum(w * scores)], [np.sum(w * scores), np.sum(w)]])
        step = np.linalg.solve(hess + 1e-9 * np.eye(2), grad)
        size = 1.0
        while size > 1e-8 and loss(a - size * step[0], b - size * step[1]) > current - 1e-4 * size * (grad @ step):
            size /= 2
        if size <= 1e-8:
            break
        a, b = a - size * step[0], b - size * step[1]
        current = loss(a, b)
    return a, b


def sigmoid(z):
    """The logistic function, clipped so that it never overflows."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
