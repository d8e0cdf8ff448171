"""Code suggestions against the plain baseline, side by side, on the sample's codings.

For each coder of the sample, segment-level multi-label data (a segment's codes by that coder),
3-fold cross-validation, micro- and macro-averaged F1 of:

- ``CodeSuggester()`` (no cues), and ``CodeSuggester(cues=codebook)``;
- the baseline: TF-IDF + one-vs-rest logistic regression (scikit-learn defaults).

    python benchmarks/suggest.py
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def _f1(y_true, y_pred) -> tuple[float, float]:
    tp = (y_true & y_pred).sum(axis=0)
    denom = y_true.sum(axis=0) + y_pred.sum(axis=0)
    micro = 2 * tp.sum() / denom.sum() if denom.sum() else 0.0
    present = y_true.sum(axis=0) > 0
    macro = float(np.mean(np.where(denom[present] > 0, 2 * tp[present] / np.maximum(denom[present], 1), 0.0)))
    return float(micro), macro


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    import coeval as ce
    from coeval.learn.suggester import CodeSuggester

    warnings.simplefilter("ignore")
    proj = ce.Project()
    proj.ingest(SAMPLE, progress=False)
    codings = proj.codings
    print(f"{'coder':<8}{'segments':>9}{'codes':>7}  {'model':<30}{'micro F1':>9}{'macro F1':>9}{'seconds':>9}")
    print("-" * 81)
    for coder, mine in codings.groupby("coder"):
        labels = mine.groupby("segment_id")["code"].apply(lambda s: sorted(set(s)))
        texts = proj.segments.set_index("segment_id").loc[labels.index, "text"].tolist()
        codes = labels.tolist()
        mlb = MultiLabelBinarizer().fit(codes)
        folds = list(KFold(3, shuffle=True, random_state=0).split(texts))
        models = {
            "CodeSuggester()": lambda: CodeSuggester(),
            "CodeSuggester(cues=codebook)": lambda: CodeSuggester(cues=proj.codebook),
        }
        rows = []
        for name, make in models.items():
            start, scores = time.perf_counter(), []
            for train, test in folds:
                s = make().fit([texts[i] for i in train], [codes[i] for i in train])
                pred = [[c for c in p if c in mlb.classes_] for p in s.predict([texts[i] for i in test])]
                scores.append(_f1(mlb.transform([codes[i] for i in test]), mlb.transform(pred)))
            rows.append((name, *np.mean(scores, axis=0), time.perf_counter() - start))
        start, scores = time.perf_counter(), []
        for train, test in folds:
            y = mlb.transform([codes[i] for i in train])
            keep = y.sum(axis=0) > 0
            vec = TfidfVectorizer()
            clf = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(
                vec.fit_transform([texts[i] for i in train]), y[:, keep])
            pred = np.zeros((len(test), len(mlb.classes_)), dtype=int)
            pred[:, keep] = clf.predict(vec.transform([texts[i] for i in test]))
            scores.append(_f1(mlb.transform([codes[i] for i in test]), pred))
        rows.append(("baseline: TF-IDF + OvR LR", *np.mean(scores, axis=0), time.perf_counter() - start))
        for k, (name, micro, macro, seconds) in enumerate(rows):
            lead = f"{coder:<8}{len(texts):>9}{len(mlb.classes_):>7}" if k == 0 else " " * 24
            print(f"{lead}  {name:<30}{micro:>9.3f}{macro:>9.3f}{seconds:>9.1f}")


if __name__ == "__main__":
    main()
