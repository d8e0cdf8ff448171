"""Barrier or enabler? A polarity classifier for what people say about a project.

It works with no training: cue phrases of barriers and enablers, with negation ("it wasn't
hard" helped), contrast ("at first it was hard, but then..." is mixed, and the clause after
"but" weighs more) and wishes ("I wish there had been a creche" names a barrier).
``fit(texts, labels)`` adapts it to a project's own polarised codings, keeping the rules as
features. ``explain(text)`` says which cues decided.
"""

from __future__ import annotations

import re

import numpy as np

try:
    from sklearn.base import BaseEstimator as _Base
except ImportError:  # pragma: no cover
    _Base = object

__all__ = ["PolarityClassifier", "LABELS", "BARRIER_CUES", "ENABLER_CUES"]

LABELS = ("barrier", "enabler", "mixed", "neutral")

NEGATORS = {"not", "no", "never", "n't", "without", "hardly", "barely", "nobody", "nothing", "wasn't", "isn't",
            "weren't", "aren't", "didn't", "doesn't", "don't", "won't", "wouldn't", "couldn't", "shouldn't",
            "hasn't", "haven't", "hadn't", "cannot", "can't", "neither", "nor"}
CONTRAST = r"\b(?:but|however|although|though|whereas|except|yet)\b|;"
COUNTERFACTUAL = re.compile(r"\b(?:i wish|we wish|if only|would have been|should have|could have|it would help if|"
                            r"would have helped|would be better|needs? to be|there should be)\b")
IMPROVEMENT = re.compile(r"\b(?:at first|in the beginning|to begin with|at the start|got easier|over time|"
                         r"once we|by the end|after a while|eventually)\b")


def _compile(cues):
    cues = sorted({" ".join(c.lower().split()) for c in cues if c.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) + r")(?![\w'])")


_DEFAULT_BARRIER = [
    *"barrier obstacle challenge challenging problem problems issue issues difficulty difficulties difficult hard "
     "harder struggle struggled struggling worry worried worries worrying concern concerned risk costly expensive "
     "burden delay delayed delays late shortage lack lacking jargon paperwork hinder hindered prevent prevented "
     "discourage discouraged limited excluded confusing confused complicated far busy stressful stress awkward "
     "intimidating intimidated inaccessible unclear rushed overwhelming overwhelmed tired exhausted exhausting "
     "scared afraid frightened fear nervous anxious cold freezing unfair unpaid frustrating frustrated annoying "
     "hassle nightmare disaster rubbish terrible awful bad worse worst fail failed failing waste wasted "
     "waiting cuts".split(),
    "red tape", "put off", "drop out", "dropped out", "couldn't", "could not", "can't", "cannot", "unable to",
    "didn't know how", "too much", "too long", "too far", "too busy", "not enough", "no one", "nobody",
    "lost out", "gave up", "stopped coming", "left out",
]
_DEFAULT_ENABLER = [
    *"help helped helps helping helpful support supported supportive supporting benefit benefits strength "
     "opportunity opportunities confidence confident trust trusted flexibility flexible funded training trained "
     "childcare creche enabled encourage encouraged reassured welcome welcomed welcoming easy easier useful "
     "familiar accessible clear relaxed paid good great brilliant lovely amazing fantastic excellent proud "
     "enjoyed enjoy enjoyable happy glad comfortable safe listened valued respected learned learnt better "
     "improved improvement grateful fun liked loved best positive success successful worked".split(),
    "made it easier", "make it easier", "made a difference", "make a difference", "worked well", "thanks to",
    "with the help of", "in our own language", "listened to", "changed for the better",
]


BARRIER_CUES = tuple(_DEFAULT_BARRIER)
ENABLER_CUES = tuple(_DEFAULT_ENABLER)
_TOO = re.compile(r"(?<![\w'])too\s+(?!many thanks|much to thank)[a-z]+")


class PolarityClassifier(_Base):
    """Classify texts as ``barrier``, ``enabler``, ``mixed`` or ``neutral``.

    Parameters
    ----------
    barrier_cues, enabler_cues : list of str, optional
        Phrases that signal a barrier or an enabler (defaults: a general lexicon of how people
        talk about what helped and what got in the way).
    C : float
        Regularisation of the model learned by ``fit``.
    random_state : int

    Attributes
    ----------
    classes_ : list of str
        After ``fit``: the labels learned.

    Examples
    --------
    >>> clf = PolarityClassifier()
    >>> clf.predict(["The bus fare was a real problem", "It wasn't hard at all",
    ...              "At first it was hard, but then it got easier", "We met on Tuesday"])
    ['barrier', 'enabler', 'mixed', 'neutral']
    """

    def __init__(self, *, barrier_cues=None, enabler_cues=None, C: float = 2.0, random_state: int = 0):
        self.barrier_cues = barrier_cues
        self.enabler_cues = enabler_cues
        self.C = C
        self.random_state = random_state

    # -- the rules --------------------------------------------------------------------------------
    def _patterns(self):
        if not hasattr(self, "_compiled"):
            self._compiled = (_compile(self.barrier_cues or _DEFAULT_BARRIER),
                              _compile(self.enabler_cues or _DEFAULT_ENABLER))
        return self._compiled

    def explain(self, text: str):
        """The cues that decide a text's polarity.

        Returns
        -------
        pandas.DataFrame
            One row per cue found: ``cue``, ``clause`` (0-based), ``polarity`` (after negation),
            ``negated``, ``weight`` (clauses after a contrast weigh double), plus rows for a
            wish (``counterfactual``) or a change over time (``improvement``).
        """
        import pandas as pd

        rows = self._evidence(text)
        return pd.DataFrame(rows, columns=["cue", "clause", "polarity", "negated", "weight"])

    def _evidence(self, text: str) -> list[dict]:
        barrier, enabler = self._patterns()
        lowered = " ".join(str(text).lower().replace("\u2019", "'").split())
        clauses = re.split(CONTRAST, lowered)
        rows = []
        for k, clause in enumerate(clauses):
            weight = 2.0 if k > 0 else 1.0
            found = [(m.start(), m.end(), m.group(), "barrier") for m in barrier.finditer(clause)]
            found += [(m.start(), m.end(), m.group(), "barrier") for m in _TOO.finditer(clause)
                      if not any(s <= m.start() < e for s, e, _, _ in found)]
            taken = [(s, e) for s, e, _, _ in found]
            wish = COUNTERFACTUAL.search(clause)
            found += [(m.start(), m.end(), m.group(), "enabler") for m in enabler.finditer(clause)
                      if not any(s < m.end() and m.start() < e for s, e in taken)]
            for start, _end, cue, polarity in sorted(found):
                before = re.findall(r"[\w']+", clause[:start])[-3:]
                negated = any(w in NEGATORS or w.endswith("n't") for w in before) and cue not in NEGATORS \
                    and not cue.endswith("n't") and cue not in ("not enough", "no one", "nobody", "could not",
                                                                "cannot", "unable to")
                if negated:
                    polarity = "enabler" if polarity == "barrier" else "barrier"
                if wish is not None and start > wish.start() and polarity == "enabler":
                    polarity = "barrier"  # "I wish there had been a creche": the missing thing
                rows.append({"cue": cue, "clause": k, "polarity": polarity, "negated": negated, "weight": weight})
            if wish is not None:
                rows.append({"cue": wish.group(), "clause": k, "polarity": "barrier", "negated": False,
                             "weight": weight})
            if IMPROVEMENT.search(clause):
                rows.append({"cue": IMPROVEMENT.search(clause).group(), "clause": k, "polarity": "improvement",
                             "negated": False, "weight": 0.0})
        return rows

    def _rule_scores(self, texts) -> np.ndarray:
        """Per text: barrier score, enabler score, improvement flag, number of clauses."""
        out = np.zeros((len(texts), 4))
        for i, text in enumerate(texts):
            for row in self._evidence(text):
                if row["polarity"] == "barrier":
                    out[i, 0] += row["weight"]
                elif row["polarity"] == "enabler":
                    out[i, 1] += row["weight"]
                else:
                    out[i, 2] = 1.0
            out[i, 3] = len(re.split(CONTRAST, str(text).lower()))
        return out

    def _rule_predict(self, texts) -> list[str]:
        labels = []
        for b, e, improved, _ in self._rule_scores(texts):
            if b == 0 and e == 0:
                labels.append("neutral")
            elif improved and b > 0 and e > 0:
                labels.append("mixed")
            elif b > 0 and e > 0 and 0.5 <= b / e <= 2 and not (b >= 2 and e >= 2 and abs(b - e) >= 2):
                labels.append("mixed")
            else:
                labels.append("barrier" if b > e else "enabler")
        return labels

    # -- learning ------------------------------------------------------------------------------------
    def fit(self, texts, labels):
        """Adapt to labelled texts (``barrier``, ``enabler``, ``mixed``, ``neutral``)."""
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = ["" if t is None else str(t) for t in texts]
        labels = [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown label {unknown[0]!r}; use {', '.join(LABELS)}")
        self.classes_ = sorted(set(labels))
        if len(self.classes_) < 2:
            self.model_ = None
            return self
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True)
        X = sparse.hstack([self.vectorizer_.fit_transform(texts), sparse.csr_matrix(self._rule_scores(texts))])
        self.model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000,
                                         random_state=self.random_state).fit(X.tocsr(), labels)
        return self

    def predict(self, texts) -> list[str]:
        """A label per text; with no training (or one label only) the rules decide."""
        texts = ["" if t is None else str(t) for t in texts]
        model = getattr(self, "model_", None)
        if model is None:
            return self._rule_predict(texts)
        from scipy import sparse

        X = sparse.hstack([self.vectorizer_.transform(texts), sparse.csr_matrix(self._rule_scores(texts))])
        return list(model.predict(X.tocsr()))
