"""Code suggestions: a scikit-learn-style multi-label estimator over plain texts.

:class:`CodeSuggester` learns from human codings and uses the codebook's cue phrases, both
for codes it has examples of (as features the model can weigh) and for codes it has none
of (as a fallback). It works on plain lists of texts, inside or outside a project.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["CodeSuggester"]


def _cue_pattern(phrases) -> re.Pattern | None:
    words = sorted({" ".join(str(p).lower().split()) for p in phrases if str(p).strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w)")


try:  # scikit-learn's base class, imported lazily by the class factory below
    from sklearn.base import BaseEstimator as _Base
except ImportError:  # pragma: no cover - scikit-learn is a dependency
    _Base = object


class CodeSuggester(_Base):
    """Suggest codes for texts (multi-label).

    Parameters
    ----------
    cues : dict or Codebook, optional
        ``{code name: [phrases]}``, or a codebook whose codes carry ``cues``.
    threshold : float, optional
        One probability cut-off for every code. By default each code gets its own, chosen by
        cross-validation to maximise F1 on the training data (0.5 where there is too little).
    C : float
        Inverse regularisation strength of the per-code logistic regressions.
    min_examples : int
        Codes with fewer positive examples are suggested from cues only.
    at_least_one : bool or None
        Suggest the most likely code for a text when none passes its threshold. ``None``
        (default) decides from the training data: on when nearly every training text had a code.
    random_state : int

    Attributes
    ----------
    classes_ : list of str
        Every code the suggester can return.
    thresholds_ : dict
        Code -> probability cut-off.

    Examples
    --------
    >>> s = CodeSuggester(cues={"Transport": ["bus", "bus fare"]})
    >>> s.fit(["the bus fare was too much", "the interpreter helped", "the bus was late again",
    ...        "we had an interpreter"], [["Transport"], ["Interpreters"], ["Transport"], ["Interpreters"]])
    CodeSuggester(cues={'Transport': ['bus', 'bus fare']})
    >>> s.predict(["no bus on sundays"])
    [['Transport']]

    Notes
    -----
    Features are TF-IDF weights of word 1-2-grams and character 3-5-grams (within words), plus
    one feature per code saying whether the text contains one of its cue phrases (down-weighted). Each code is a
    one-vs-rest logistic regression with balanced class weights, so rare codes are not ignored.
    """

    def __init__(self, *, cues=None, threshold: float | None = None, C: float = 4.0, min_examples: int = 2,
                 at_least_one: bool | None = None, random_state: int = 0):
        self.cues = cues
        self.threshold = threshold
        self.C = C
        self.min_examples = min_examples
        self.at_least_one = at_least_one
        self.random_state = random_state

    # -- features -------------------------------------------------------------------------------
    def _cue_dict(self) -> dict:
        cues = self.cues
        if cues is None:
            return {}
        if hasattr(cues, "ordered"):  # a Codebook
            return {c.name: list(c.cues) for c in cues.ordered() if c.cues}
        return {str(k): list(v) for k, v in dict(cues).items() if v}

    def _cue_matrix(self, texts):
        from scipy import sparse

        lowered = [" ".join(str(t).lower().split()) for t in texts]
        cols = [[1.0 if p.search(t) else 0.0 for t in lowered] for p in self._cue_patterns_]
        if not cols:
            return sparse.csr_matrix((len(texts), 0))
        return sparse.csr_matrix(np.array(cols).T)

    def _features(self, texts, fit: bool = False):
        from scipy import sparse

        if fit:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.word_vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                                    strip_accents="unicode", lowercase=True)
            self.char_vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                                    min_df=2, lowercase=True, max_features=10000)
            words = self.word_vectorizer_.fit_transform(texts)
            try:
                chars = self.char_vectorizer_.fit_transform(texts)
            except ValueError:  # too few texts for min_df=2
                self.char_vectorizer_.set_params(min_df=1)
                chars = self.char_vectorizer_.fit_transform(texts)
        else:
            words = self.word_vectorizer_.transform(texts)
            chars = self.char_vectorizer_.transform(texts)
        # Weights found on the sample's codings: cue indicators at full weight drown the TF-IDF
        # values (~0.1) and cost F1; at a quarter they help.
        return sparse.hstack([words, chars * 0.5, self._cue_matrix(texts) * 0.25]).tocsr()

    # -- fitting ----------------------------------------------------------------------------------
    def fit(self, texts, codes):
        """Learn from texts and their codes (``codes[i]`` is the list of code names of ``texts[i]``)."""

        texts = ["" if t is None else str(t) for t in texts]
        codes = [[str(c) for c in (row or [])] for row in codes]
        if len(texts) != len(codes):
            raise ValueError(f"got {len(texts)} texts but {len(codes)} code lists")
        cue_dict = self._cue_dict()
        self.cue_codes_ = list(cue_dict)
        self._cue_patterns_ = [_cue_pattern(cue_dict[c]) for c in self.cue_codes_]
        self.classes_ = sorted({c for row in codes for c in row} | set(cue_dict))
        if not self.classes_:
            raise ValueError("nothing to learn: no codes in the training data and no cues")
        X = self._features(texts, fit=True) if texts else None
        self.models_, self.thresholds_ = {}, {}
        labelled = sum(1 for row in codes if row)
        self.at_least_one_ = (labelled >= 0.9 * len(codes) and labelled > 0) if self.at_least_one is None \
            else bool(self.at_least_one)
        for code in self.classes_:
            y = np.array([code in row for row in codes], dtype=int)
            positives = int(y.sum())
            if X is None or positives < self.min_examples or positives == len(y):
                self.thresholds_[code] = 0.5 if self.threshold is None else self.threshold
                continue
            model = self._model()
            model.fit(X, y)
            self.models_[code] = model
            self.thresholds_[code] = self.threshold if self.threshold is not None else self._tune(X, y)
        return self

    def _model(self):
        from sklearn.linear_model import LogisticRegression

        # liblinear: fast on sparse, small, binary problems (one per code)
        return LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                  random_state=self.random_state)

    def _tune(self, X, y) -> float:
        """The cut-off that maximises F1 in cross-validated predictions (0.5 with too few positives)."""
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        positives = int(y.sum())
        folds = min(3, positives, len(y) - positives)
        if positives < 4 or folds < 3:
            return 0.5
        model = self._model()
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        p = cross_val_predict(model, X, y, cv=cv, method="predict_proba")[:, 1]
        best, best_f1 = 0.5, -1.0
        for t in np.arange(0.15, 0.86, 0.05):
            pred = p >= t
            tp = int((pred & (y == 1)).sum())
            f1 = 2 * tp / (pred.sum() + positives) if (pred.sum() + positives) else 0.0
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(t), f1
        return round(best, 2)

    # -- predicting --------------------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "classes_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this CodeSuggester is not fitted yet; call fit(texts, codes) first")

    def predict_proba(self, texts):
        """Probability of each code for each text: a DataFrame, one column per code."""
        import pandas as pd

        self._check_fitted()
        texts = ["" if t is None else str(t) for t in texts]
        out = np.zeros((len(texts), len(self.classes_)))
        if texts:
            X = self._features(texts)
            cues = self._cue_matrix(texts).toarray()
            cue_index = {c: i for i, c in enumerate(self.cue_codes_)}
            for j, code in enumerate(self.classes_):
                model = self.models_.get(code)
                if model is not None:
                    out[:, j] = model.predict_proba(X)[:, 1]
                elif code in cue_index:  # no examples to learn from: the cue alone speaks
                    out[:, j] = np.where(cues[:, cue_index[code]] > 0, 0.6, 0.05)
        return pd.DataFrame(out, columns=self.classes_)

    def predict(self, texts) -> list[list[str]]:
        """Codes for each text: those whose probability passes the code's threshold."""
        proba = self.predict_proba(texts)
        thresholds = np.array([self.thresholds_[c] for c in self.classes_])
        values = proba.to_numpy()
        result = []
        for row in values:
            chosen = [self.classes_[j] for j in np.flatnonzero(row >= thresholds)]
            if not chosen and self.at_least_one_ and len(row):
                chosen = [self.classes_[int(np.argmax(row / thresholds))]]
            result.append(sorted(chosen, key=lambda c: -row[self.classes_.index(c)]))
        return result
