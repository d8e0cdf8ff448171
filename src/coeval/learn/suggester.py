"""Code suggestions: a scikit-learn multi-label estimator over plain texts.

:class:`CodeSuggester` learns from human codings and uses the codebook's cue phrases, both
for codes it has examples of (as features the model can weigh) and for codes with too few
examples to learn (as the only evidence). It works on plain lists of texts, inside or outside
a project, and it only suggests: people decide.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import CoevalWarning
from .suggester_calibration import GRID, choose_cut_off, platt, sigmoid
from .suggester_features import TextFeatures, cue_phrases
from .text import as_texts, compile_cues, normalise

__all__ = ["CodeSuggester", "TooFewExamplesWarning"]

_REPORT_COLUMNS = ["code", "examples", "needed", "how", "reason"]

try:
    from sklearn.base import BaseEstimator as _Base
except ImportError:  # pragma: no cover - scikit-learn is a dependency
    _Base = object


class TooFewExamplesWarning(CoevalWarning):
    """Some codes have too few coded examples for the suggester to learn them."""


class CodeSuggester(_Base):
    """Suggest codes for texts (multi-label), with calibrated probabilities and explanations.

    Parameters
    ----------
    cues : dict or Codebook, optional
        ``{code name: [phrases]}``, or a codebook whose codes carry ``cues``.
    threshold : float, optional
        One probability cut-off for every code. By default it is chosen by cross-validation on
        the training texts (the cut-off that maximises micro-F1 of out-of-fold probabilities).
    C : float
        Inverse regularisation strength of the per-code linear SVMs.
    min_examples : int
        A code needs at least this many coded texts to be learned (and at least 2). A code with
        fewer is suggested only where a text contains its name or one of its cue phrases, and
        :meth:`report` says so.
    at_least_one : bool or None
        Whether a text with no code above the cut-off still gets its most likely code, if that
        clears a lower floor. ``None`` (default): decided, with the floor, by the same
        cross-validation; ``True``: always (floor chosen by cross-validation); ``False``: never.
    cv : int
        Folds of the cross-validation that calibrates the probabilities and picks the cut-off.
    random_state : int
        Seed of the folds and the SVM solver: the same seed, data and parameters give the same model.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The codes, sorted (``MultiLabelBinarizer`` order), or the columns of an indicator ``y``.
        Codes that only have cues are included.
    threshold_ : float
        The probability cut-off used by :meth:`predict`.
    floor_ : float or None
        The top-1 floor (None: off).
    examples_ : dict
        Code -> number of coded training texts.
    skipped_ : dict
        Code -> number of examples, for the codes too rare to learn.

    Examples
    --------
    >>> s = CodeSuggester(cues={"Transport": ["bus", "bus fare"]})
    >>> s = s.fit(["the bus fare was too much", "the interpreter helped", "the bus was late again",
    ...            "we had an interpreter", "no bus on sunday", "an interpreter came"],
    ...           [["Transport"], ["Interpreters"], ["Transport"], ["Interpreters"], ["Transport"],
    ...            ["Interpreters"]])
    >>> s.suggest(["the bus never came"])
    [['Transport']]
    >>> s.predict(["the bus never came"])
    array([[0, 1]])

    Notes
    -----
    Features are TF-IDF weights (sublinear) of lemma word 1-2-grams and of character 2-5-grams
    within words, plus one indicator per code saying whether the text contains one of its cue
    phrases (see :mod:`coeval.learn.suggester_features`). Each code with enough examples is a
    class-balanced linear SVM whose scores are turned into probabilities by Platt scaling fitted
    on out-of-fold scores (``cv`` stratified folds). The same out-of-fold probabilities choose
    one global cut-off (and the top-1 floor): per-code cut-offs were tried and lost 0.02-0.03
    micro-F1 on held-out organisations. Nothing is ever decided for a coder: :meth:`predict`
    and :meth:`suggest` return suggestions to accept or reject.

    :meth:`score` is the micro-averaged F1 over all (text, code) pairs.
    """

    def __init__(self, *, cues=None, threshold: float | None = None, C: float = 0.5, min_examples: int = 3,
                 at_least_one: bool | None = None, cv: int = 3, random_state: int = 0):
        self.cues = cues
        self.threshold = threshold
        self.C = C
        self.min_examples = min_examples
        self.at_least_one = at_least_one
        self.cv = cv
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------------------------
    def fit(self, X, y):
        """Learn from texts and their codes.

        Parameters
        ----------
        X : sequence of str
            The texts.
        y : list of lists of str, or indicator matrix
            ``y[i]`` the codes of ``X[i]`` (an empty list: no code), or an ``(n_texts, n_codes)``
            0/1 array, sparse matrix or DataFrame (its columns name the codes).

        Returns
        -------
        CodeSuggester
            ``self``. Warns :class:`TooFewExamplesWarning` when some codes cannot be learned.

        Raises
        ------
        ValueError
            If ``X`` and ``y`` differ in length, or there are neither codes nor cues.
        """
        texts = as_texts(X)
        Y, classes = self._binarise(y)
        if len(texts) != Y.shape[0]:
            raise ValueError(f"got {len(texts)} texts but {Y.shape[0]} rows of codes")
        if not len(classes):
            raise ValueError("nothing to learn: no codes in the training data and no cues")
        self.classes_ = classes
        names = [str(c) for c in classes]
        cues = {c: p for c, p in cue_phrases(self.cues).items() if c in names}
        self.features_ = TextFeatures(cues)
        # a code too rare to learn is looked for by its name (when it has one) and its cue phrases
        self._fallback_ = {j: compile_cues(tuple(([c] if isinstance(c, str) else []) + cues.get(str(c), [])))
                           for j, c in enumerate(classes)}
        need = max(2, int(self.min_examples))
        self.examples_ = {c: int(n) for c, n in zip(names, Y.sum(axis=0))}
        self.skipped_ = {c: n for c, n in self.examples_.items() if n < need}
        self.coef_ = np.zeros((len(classes), 0))
        self.intercept_, self.sigmoid_ = np.zeros(len(classes)), np.zeros((len(classes), 2))
        self.learned_ = np.zeros(len(classes), dtype=bool)
        oof = np.full(Y.shape, np.nan)
        if texts:
            Xf = self.features_.fit_transform(texts)
            self.coef_ = np.zeros((len(classes), Xf.shape[1]))
            for j in range(len(classes)):
                if need <= Y[:, j].sum() < len(texts):
                    oof[:, j] = self._fit_code(j, Xf, Y[:, j])
        self._choose_cut_off(oof, Y)
        self._warn_skipped(need)
        return self

    def _binarise(self, y):
        if hasattr(y, "shape") and len(y.shape) == 2:  # an indicator matrix
            classes = np.asarray(y.columns, dtype=object) if hasattr(y, "columns") else np.arange(y.shape[1])
            Y = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
            return (Y > 0).astype(int), classes
        rows = _code_rows(y)
        names = sorted({c for row in rows for c in row} | set(cue_phrases(self.cues)))
        return _indicator(rows, names), np.array(names, dtype=object)

    def _svm(self):
        from sklearn.svm import LinearSVC

        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state, max_iter=5000)

    def _fit_code(self, j, X, y):
        """Fit code ``j``'s SVM and its Platt scaling; return its out-of-fold probabilities."""
        from sklearn.model_selection import StratifiedKFold

        positives = int(y.sum())
        folds = min(int(self.cv), positives, len(y) - positives)
        scores = np.zeros(len(y))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # liblinear's convergence notes on tiny folds
            if folds >= 2:
                split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
                for train, test in split.split(X, y):
                    scores[test] = self._svm().fit(X[train], y[train]).decision_function(X[test])
            svm = self._svm().fit(X, y)
        if folds < 2:
            scores = svm.decision_function(X)
        self.coef_[j], self.intercept_[j] = svm.coef_[0], svm.intercept_[0]
        self.sigmoid_[j] = platt(scores, y)
        self.learned_[j] = True
        return sigmoid(scores * self.sigmoid_[j, 0] + self.sigmoid_[j, 1])

    def _choose_cut_off(self, oof, Y):
        """The global cut-off (and top-1 floor) that maximise micro-F1 of the out-of-fold probabilities."""
        self.threshold_ = 0.5 if self.threshold is None else float(self.threshold)
        self.floor_, self.cv_f1_ = None, float("nan")
        if not self.learned_.any():
            return
        thresholds = GRID if self.threshold is None else [self.threshold_]
        floors = [None, *GRID] if self.at_least_one is None else list(GRID) if self.at_least_one else [None]
        self.cv_f1_, self.threshold_, self.floor_ = choose_cut_off(oof[:, self.learned_], Y[:, self.learned_],
                                                                   thresholds, floors)

    def _warn_skipped(self, need):
        if not self.skipped_:
            return

        def listed(items):
            names = ", ".join(f"{c!r} ({n})" for c, n in items[:10])
            return names + (f" and {len(items) - 10} more" if len(items) > 10 else "")

        few = sorted(((c, n) for c, n in self.skipped_.items() if n), key=lambda kv: (-kv[1], kv[0]))
        none = sorted((c, n) for c, n in self.skipped_.items() if not n)
        parts = ([f"{len(few)} have too few: {listed(few)}"] if few else []) + \
            ([f"{len(none)} have none: {listed(none)}"] if none else [])
        warnings.warn(f"{len(self.skipped_)} of {len(self.classes_)} codes cannot be learned, each needing at least "
                      f"{need} coded examples; " + "; ".join(parts) + ". They are suggested only where a text "
                      "contains the code's name or a cue phrase. Code more examples of them; report() lists every "
                      "code with its count.", TooFewExamplesWarning, stacklevel=3)

    # -- predicting --------------------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "classes_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this CodeSuggester is not fitted yet; call fit(texts, codes) first")

    def decision_function(self, X) -> np.ndarray:
        """The SVM score of each code for each text, ``(n_texts, n_codes)`` (0 for codes not learned)."""
        self._check_fitted()
        texts = as_texts(X)
        if not texts or not self.coef_.shape[1]:
            return np.zeros((len(texts), len(self.classes_)))
        scores = np.asarray(self.features_.transform(texts) @ self.coef_.T) + self.intercept_
        scores[:, ~self.learned_] = 0.0
        return scores

    def predict_proba(self, X) -> np.ndarray:
        """Probability of each code for each text: an array ``(n_texts, n_codes)``, columns ``classes_``.

        A code with too few examples to learn has probability ``cue_probability`` (0.6) in a text
        that contains its name or one of its cue phrases, else 0. A text with no words (empty, or
        only punctuation) has 0 for every code.
        """
        texts = as_texts(X)
        scores = self.decision_function(texts)
        proba = sigmoid(scores * self.sigmoid_[:, 0] + self.sigmoid_[:, 1])
        proba[:, ~self.learned_] = 0.0
        proba[[not any(ch.isalnum() for ch in t) for t in texts]] = 0.0   # no words: nothing to suggest
        lowered = [normalise(t) for t in texts]
        for j in np.flatnonzero(~self.learned_):
            pattern = self._fallback_.get(j)
            if pattern is not None:
                proba[:, j] = [self.cue_probability if pattern.search(t) else 0.0 for t in lowered]
        return proba

    cue_probability = 0.6

    def _chosen(self, proba) -> np.ndarray:
        chosen = proba >= self.threshold_
        chosen[:, ~self.learned_] = proba[:, ~self.learned_] > 0  # a cue match of a code too rare to learn
        if self.floor_ is not None and len(proba):
            learned = np.where(self.learned_, proba, -1.0)
            top = learned.argmax(axis=1)
            add = ~chosen.any(axis=1) & (learned[np.arange(len(proba)), top] >= self.floor_)
            chosen[np.flatnonzero(add), top[add]] = True
        return chosen

    def predict(self, X) -> np.ndarray:
        """Suggested codes as an indicator matrix ``(n_texts, n_codes)`` of 0/1, columns ``classes_``.

        ``MultiLabelBinarizer(classes=s.classes_).inverse_transform`` (or :meth:`suggest`) turns it
        into lists of codes.
        """
        return self._chosen(self.predict_proba(X)).astype(int)

    def suggest(self, X) -> list[list]:
        """Suggested codes for each text, most probable first (empty list: nothing to suggest)."""
        return self.suggestions_from(self.predict_proba(X))

    def suggestions_from(self, proba) -> list[list]:
        """:meth:`suggest` from probabilities :meth:`predict_proba` gave already."""
        chosen = self._chosen(proba)
        return [[self.classes_[j] for j in sorted(np.flatnonzero(row), key=lambda j: (-p[j], j))]
                for row, p in zip(chosen, proba)]

    def score(self, X, y, sample_weight=None) -> float:
        """Micro-averaged F1 of :meth:`predict` against ``y`` (lists of codes or an indicator matrix).

        Codes in ``y`` the suggester does not know count as missed.
        """
        from sklearn.metrics import f1_score

        pred = self.predict(X)
        if hasattr(y, "shape") and len(y.shape) == 2:
            truth = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
        else:
            rows = _code_rows(y)   # as fit reads them; codes it does not know are appended
            known = [str(c) for c in self.classes_]
            names = known + sorted({c for row in rows for c in row} - set(known))
            truth = _indicator(rows, names)
            pred = np.hstack([pred, np.zeros((len(pred), len(names) - len(known)), dtype=int)])
        return float(f1_score(truth, pred, average="micro", sample_weight=sample_weight, zero_division=0.0))

    # -- explaining --------------------------------------------------------------------------------
    def explain(self, text: str, *, codes=None, top: int = 5):
        """The words that pushed each suggested code for one text, with their weights.

        Parameters
        ----------
        text : str
        codes : list, optional
            The codes to explain; default the suggested ones (or the most likely, if none is).
        top : int
            Words per code.

        Returns
        -------
        pandas.DataFrame
            One row per (code, word): ``code``, ``probability``, ``suggested`` (bool), ``feature``
            (a lemma, a pair of lemmas, or ``cue: <phrase>``), ``weight`` (its share of the code's
            SVM score: TF-IDF value times the learned weight, character n-grams added to the words
            they are in; positive pushes toward the code). For a code with too few examples, the
            matching cue phrase with weight NaN.
        """
        import pandas as pd

        proba = self.predict_proba([text])[0]
        chosen = self._chosen(proba[None, :])[0]
        names = list(self.classes_)
        wanted = [names.index(c) for c in codes] if codes is not None else list(np.flatnonzero(chosen))
        if not wanted:
            wanted = [int(np.argmax(proba))]
        rows = []
        for j in sorted(wanted, key=lambda j: (-proba[j], j)):
            base = {"code": names[j], "probability": round(float(proba[j]), 4), "suggested": bool(chosen[j])}
            if not self.learned_[j]:
                pattern = self._fallback_.get(j)
                found = pattern.findall(normalise(text)) if pattern is not None else []
                rows += [{**base, "feature": f"cue: {m}", "weight": np.nan} for m in dict.fromkeys(found)]
                continue
            parts = self.features_.contributions(text, self.coef_[j])
            best = sorted((kv for kv in parts.items() if kv[1] > 0), key=lambda kv: (-kv[1], kv[0]))[:top]
            rows += [{**base, "feature": f, "weight": round(w, 4)} for f, w in best]
        return pd.DataFrame(rows, columns=["code", "probability", "suggested", "feature", "weight"])

    def report(self):
        """Each code: how many examples it had, how many it needs, and how it is suggested.

        Returns
        -------
        pandas.DataFrame
            ``code``, ``examples`` (coded training texts), ``needed`` (``min_examples``), ``how``
            (``model``, ``cues only`` or ``never``) and ``reason`` (plain words).
        """
        import pandas as pd

        self._check_fitted()
        need = max(2, int(self.min_examples))
        rows = []
        for j, code in enumerate(self.classes_):
            n = self.examples_[str(code)]
            if self.learned_[j]:
                how, why = "model", f"learned from {n} examples"
            elif n >= need:   # nothing to tell it apart from: like a rare code, only its name and cues
                cues = self._fallback_.get(j) is not None
                how = "cues only" if cues else "never"
                why = ("every training text has this code, so nothing tells it apart: "
                       + ("suggested where its name or a cue phrase appears" if cues else "it has no cue phrases"))
            elif self._fallback_.get(j) is not None:
                how, why = "cues only", f"{n} examples, {need} needed: suggested where its name or a cue phrase appears"
            else:
                how, why = "never", f"{n} examples, {need} needed, and no cue phrases"
            rows.append({"code": code, "examples": n, "needed": need, "how": how, "reason": why})
        return pd.DataFrame(rows, columns=_REPORT_COLUMNS)


def _code_rows(y) -> list[list[str]]:
    """Each row's codes as text: a row is a list (tuple, set, array) of codes, one code, or
    None/NaN for none."""
    return [[str(c) for c in (row if isinstance(row, (list, tuple, set, np.ndarray)) else [row])]
            if row is not None and not (isinstance(row, float) and np.isnan(row)) else [] for row in y]


def _indicator(rows, names) -> np.ndarray:
    """Rows of codes as a 0/1 matrix, one column per name in ``names`` (which holds them all)."""
    index = {c: j for j, c in enumerate(names)}
    out = np.zeros((len(rows), len(names)), dtype=int)
    for i, row in enumerate(rows):
        out[i, [index[c] for c in row]] = 1
    return out
