"""Barrier or enabler? A polarity classifier for what people say about a service or a project.

Untrained, it decides sentence by sentence with the rules of :mod:`coeval.learn.polarity_rules`:
a general valence lexicon (VADER's, with its negation, intensifiers and "but"), this field's own
words and cue phrases, and three kinds of sentence decided before valence (a request or wish is a
barrier; a nil answer and praise that names no fault are enablers). ``explain(text)`` lists the
cues and weights that decided. ``fit(texts, labels)`` adapts it to a project's own polarised
codings: word TF-IDF plus the rules' evidence as features of a class-balanced logistic regression.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import polarity_rules as rules
from .blas import one_blas_thread
from .polarity_rules import BARRIER_CUES, ENABLER_CUES
from .text import as_texts

try:
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import ClassifierMixin as _Mixin
except ImportError:  # pragma: no cover
    _Base = _Mixin = object

__all__ = ["PolarityClassifier", "LABELS", "BARRIER_CUES", "ENABLER_CUES"]

LABELS = ("barrier", "enabler", "mixed", "neutral")
EXPLAIN_COLUMNS = ["sentence", "cue", "kind", "polarity", "negated", "weight", "label"]
N_EVIDENCE = 12  # dense features per text (see _evidence_features)
_TOKENS = r"(?u)\b\w[\w']*\b"   # words with their apostrophes (didn't, people's)


def _with(words, evidence):
    """The TF-IDF matrix with the rules' evidence as extra columns."""
    from scipy import sparse

    return sparse.hstack([words, sparse.csr_matrix(evidence)]).tocsr()


class PolarityClassifier(_Mixin, _Base):
    """Classify texts as ``barrier``, ``enabler``, ``mixed`` or ``neutral``.

    Untrained, the rules decide (see Notes); after ``fit`` a class-balanced logistic regression
    on word TF-IDF plus the rules' evidence decides.

    Parameters
    ----------
    barrier_cues, enabler_cues : list of str, optional
        Cue phrases of a barrier or an enabler, each weighing 2 on VADER's -4..4 scale (defaults:
        ``BARRIER_CUES`` and ``ENABLER_CUES``, phrases of this field such as *no one*, *on hold*,
        *thanks to*, *felt welcome*). A list given replaces the defaults; the word lexicon stays.
    question : str, optional
        The question the texts answer. "What was good?" leans to enabler and makes a bare
        "Nothing" a barrier; "What could we do better?" leans to barrier. ``predict`` and
        ``explain`` also take one question per text.
    C : float
        Inverse regularisation of the model learned by ``fit``.
    evidence_weight : float or "auto"
        Scale of the rules' evidence beside the TF-IDF features in ``fit`` (0: words only).
        ``"auto"`` (default) chooses 0 or 1 by 3-fold cross-validation on the training texts
        (balanced accuracy): the rules help on short evaluative feedback and can mislead on long
        interview turns, and only the project's own codings can say which it is.
    random_state : int
        Seed of the logistic regression's solver (the result is deterministic).

    Attributes
    ----------
    classes_ : numpy.ndarray of str
        After ``fit``: the labels learned.
    evidence_weight_ : float
        After ``fit``: the evidence weight used (the one chosen, with ``"auto"``).
    vectorizer_, model_
        After ``fit``: the TF-IDF vectoriser and the logistic regression (``model_`` is None when
        the labels had one class only; the rules then decide).

    Notes
    -----
    The rules were written for evaluative feedback on a service ("What could we do better?"),
    where "they should have phoned" names a barrier. They do not transfer to motivational-
    interviewing change talk: "I should cut down" is a person's own wish to change, not a barrier,
    and "Nothing" there is no praise. Fit on that material's own codings instead.

    Untrained, a text is ``neutral`` only when nothing in it carries evidence, and ``mixed`` only
    when both sides are strong and close (each sentence scores -1..1; each side needs 0.5 and
    neither may be 1.5 times the other) or exactly equal. ``score`` is the balanced accuracy (the mean recall over
    the true classes; a ``neutral`` or ``mixed`` prediction of a barrier counts as wrong).

    References
    ----------
    Hutto, C. J. & Gilbert, E. (2014). VADER: A parsimonious rule-based model for sentiment
    analysis of social media text. ICWSM-14.

    Examples
    --------
    >>> clf = PolarityClassifier()
    >>> clf.predict(["The bus fare was a real problem", "It wasn't hard at all",
    ...              "At first it was hard, but then it got easier", "We met on Tuesday",
    ...              "More staff.", "Nothing, treatment was excellent"]).tolist()
    ['barrier', 'enabler', 'enabler', 'neutral', 'barrier', 'enabler']
    >>> clf.explain("More staff.")[["cue", "kind", "weight", "label"]].values.tolist()
    [['more staff', 'request', -3.0, 'barrier']]
    """

    def __init__(self, *, barrier_cues=None, enabler_cues=None, question=None, C: float = 2.0,
                 evidence_weight: float | str = "auto", random_state: int = 0):
        self.barrier_cues = barrier_cues
        self.enabler_cues = enabler_cues
        self.question = question
        self.C = C
        self.evidence_weight = evidence_weight
        self.random_state = random_state

    # -- the rules --------------------------------------------------------------------------------------
    def _cues(self):
        barrier = BARRIER_CUES if self.barrier_cues is None else tuple(self.barrier_cues)
        enabler = ENABLER_CUES if self.enabler_cues is None else tuple(self.enabler_cues)
        return barrier, enabler

    def _questions(self, texts, questions):
        if questions is None:
            return [self.question] * len(texts)
        if isinstance(questions, str):
            return [questions] * len(texts)
        questions = list(questions)
        if len(questions) != len(texts):
            raise ValueError(f"got {len(texts)} texts but {len(questions)} questions")
        return questions

    def _judge(self, text: str, question):
        """(label, enabler side, barrier side, sentence evidence) of one text by the rules."""
        sentences = rules.sentence_evidence(text, *self._cues(), question=question)
        label, pos, neg = rules.decide([s for _, _, s in sentences], rules.question_lean(question))
        return label, pos, neg, sentences

    def explain(self, text: str, *, question=None):
        """The cues and weights that decide one text's polarity.

        Parameters
        ----------
        text : str
        question : str, optional
            The question it answers (default: the ``question`` given to the classifier).

        Returns
        -------
        pandas.DataFrame
            One row per piece of evidence: ``sentence`` (its text), ``cue`` (the words found),
            ``kind`` (``lexicon``, ``cue``, ``short notice``, ``count of a burden``, ``request``,
            ``nil``, ``praise``, ``question``; ``learned`` for a fitted model's strongest words),
            ``polarity`` (``barrier`` or ``enabler``, after negation), ``negated``, ``weight``
            (signed, on VADER's -4..4 scale after negation, intensifiers and contrast; for
            ``learned``, the word's pull toward the label in the model's log-odds) and ``label``
            (the text's label, the same on every row; also in ``frame.attrs["label"]``, with the
            rules' own label in ``attrs["rule_label"]``).
        """
        import pandas as pd

        question = self.question if question is None else question
        label, _, _, sentences = self._judge("" if text is None else str(text), question)
        rows = [{"sentence": sentence, **r} for sentence, records, _ in sentences for r in records]
        lean = rules.question_lean(question)
        if lean:
            rows.append({"sentence": "", "cue": question, "kind": "question", "negated": False,
                         "weight": 0.15 * lean})
        rule_label = label
        if getattr(self, "model_", None) is not None:
            label = str(self.predict([text], questions=[question])[0])
            rows += self._learned_rows(text, label)
        for row in rows:
            row["polarity"] = "enabler" if row["weight"] > 0 else "barrier"
            row["weight"] = round(float(row["weight"]), 3)
            row["label"] = label
        frame = pd.DataFrame(rows, columns=EXPLAIN_COLUMNS)
        frame.attrs.update(label=label, rule_label=rule_label)
        return frame

    def _learned_rows(self, text, label, top: int = 5) -> list[dict]:
        x = self.vectorizer_.transform([text]).tocsr()
        coef = self.model_.coef_
        classes = list(self.classes_)
        if coef.shape[0] == 1:  # binary: one row, toward classes_[1]
            row = coef[0] * (1 if classes.index(label) == 1 else -1)
        else:
            row = coef[classes.index(label)]
        words = self.vectorizer_.get_feature_names_out()
        pulls = sorted(((x[0, j] * row[j], words[j]) for j in x.indices), reverse=True)[:top]
        return [{"sentence": "", "cue": w, "kind": "learned", "negated": False, "weight": p} for p, w in pulls if p > 0]

    def _rule_predict(self, texts, questions) -> np.ndarray:
        return np.array([self._judge(t, q)[0] for t, q in zip(texts, questions)], dtype=object)

    def _evidence_features(self, texts, questions) -> np.ndarray:
        """Per text: the rules' sides, net and label, counts of each kind of evidence, and the whole
        text's scores by the extended VADER (``polarity_scores``: its own "but" and punctuation)."""
        vader = rules.analyser()
        out = np.zeros((len(texts), N_EVIDENCE))
        for i, (text, question) in enumerate(zip(texts, questions)):
            label, pos, neg, sentences = self._judge(text, question)
            kinds = [r["kind"] for _, records, _ in sentences for r in records]
            weights = [r["weight"] for _, records, _ in sentences for r in records]
            plain = vader.polarity_scores(text)
            out[i] = [pos, neg, pos - neg, {"enabler": 1, "barrier": -1}.get(label, 0),
                      np.log1p(sum(w < 0 for w in weights)), np.log1p(sum(w > 0 for w in weights)),
                      kinds.count("request"), kinds.count("nil") + kinds.count("praise"),
                      rules.question_lean(question), plain["pos"], plain["neg"], plain["compound"]]
        return out

    def _features(self, texts, questions):
        if self.evidence_weight_:
            evidence = self._evidence_features(texts, questions) * self.evidence_weight_
        else:   # words only: the rules' columns are zeros, and the rules need not run
            evidence = np.zeros((len(texts), N_EVIDENCE))
        return _with(self.vectorizer_.transform(texts), evidence)

    @staticmethod
    def _vectoriser():
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=_TOKENS)

    def _model(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state)

    def _choose_evidence_weight(self, texts, labels, evidence) -> float:
        """0 or 1, whichever gives the better balanced accuracy in 3-fold CV on the training texts."""
        from sklearn.metrics import balanced_accuracy_score
        from sklearn.model_selection import StratifiedKFold

        y = np.asarray(labels, dtype=object)
        folds = min(3, int(min(np.unique(y, return_counts=True)[1])))
        if folds < 2:
            return 1.0
        from sklearn.feature_extraction.text import TfidfVectorizer

        # each text's n-grams once, by the vectoriser's own analyser, not again in every fold: a fold's
        # vectoriser takes text numbers and looks their n-grams up, so its matrices are the same
        analyse = self._vectoriser().build_analyzer()
        grams = [analyse(text) for text in texts]
        scores = {0.0: [], 1.0: []}
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(texts, y):
            words = TfidfVectorizer(sublinear_tf=True, analyzer=grams.__getitem__)
            x_train = words.fit_transform(train)
            x_test = words.transform(test)
            for weight in scores:
                model = self._model()
                model.fit(_with(x_train, evidence[train] * weight), y[train])
                scores[weight].append(balanced_accuracy_score(y[test], model.predict(
                    _with(x_test, evidence[test] * weight))))
        return max(scores, key=lambda w: (np.mean(scores[w]), w))   # a tie keeps the rules

    # -- learning ---------------------------------------------------------------------------------------
    def fit(self, texts, labels, *, questions=None):
        """Adapt to labelled texts (``barrier``, ``enabler``, ``mixed``, ``neutral``); returns self."""
        with one_blas_thread("sklearn.linear_model"):
            return self._fit(texts, labels, questions)

    def _fit(self, texts, labels, questions):
        texts = as_texts(texts)
        labels = [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown label {unknown[0]!r}; use {', '.join(LABELS)}")
        questions = self._questions(texts, questions)
        self.classes_ = np.array(sorted(set(labels)), dtype=object)
        self.vectorizer_ = self._vectoriser()
        words = self.vectorizer_.fit_transform(texts)
        self.evidence_weight_ = 1.0 if self.evidence_weight == "auto" else float(self.evidence_weight)
        if len(self.classes_) < 2:
            self.model_ = None
            return self
        evidence = self._evidence_features(texts, questions)
        if self.evidence_weight == "auto":
            self.evidence_weight_ = self._choose_evidence_weight(texts, labels, evidence)
        self.model_ = self._model().fit(_with(words, evidence * self.evidence_weight_), labels)
        return self

    def predict(self, texts, *, questions=None) -> np.ndarray:
        """A label per text (an array); unfitted, or fitted on one label only, the rules decide."""
        texts = as_texts(texts)
        questions = self._questions(texts, questions)
        if getattr(self, "model_", None) is None:
            return self._rule_predict(texts, questions)
        return np.asarray(self.model_.predict(self._features(texts, questions)), dtype=object)

    def predict_proba(self, texts, *, questions=None) -> np.ndarray:
        """Each text's probability of each of ``classes_`` (columns in that order); needs ``fit``."""
        if getattr(self, "model_", None) is None:
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("predict_proba needs a fitted PolarityClassifier with two labels or more: "
                                 "call fit(texts, labels) first (the untrained rules give labels, not probabilities)")
        texts = as_texts(texts)
        return self.model_.predict_proba(self._features(texts, self._questions(texts, questions)))

    def score(self, texts, labels, sample_weight=None) -> float:
        """Balanced accuracy of ``predict(texts)`` against ``labels`` (the mean recall per true class)."""
        from sklearn.metrics import balanced_accuracy_score

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # predicted classes absent from labels: wrong, as meant
            return float(balanced_accuracy_score([str(x) for x in labels], self.predict(texts),
                                                 sample_weight=sample_weight))
