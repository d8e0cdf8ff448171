"""Code suggestions: the estimator contract, cues, and suggestions in a project."""

from __future__ import annotations

import numpy as np
import pytest

import coeval as ce
from coeval.learn.suggester import CodeSuggester

TRANSPORT = ["the bus fare was too much", "two buses to get there", "no bus after six", "the taxi cost a fortune",
             "it is a long walk from the bus stop", "travel money came late", "bus passes would help",
             "we could not afford the fare"]
INTERPRET = ["the interpreter made all the difference", "nobody translated the forms", "she interpreted for us",
             "we needed someone who speaks Romani", "the leaflet was only in English", "an interpreter on the phone",
             "translation into Urdu helped", "my English is not good enough"]
CHILDCARE = ["no one to mind the kids", "I had to bring the baby", "the creche was full", "school run clashes",
             "childcare was paid for", "my children were ill", "the kids came along", "nursery pick up time"]


def _data():
    texts = TRANSPORT + INTERPRET + CHILDCARE
    codes = [["Transport"]] * 8 + [["Language"]] * 8 + [["Childcare"]] * 8
    texts.append("the bus was late and the kids were tired")
    codes.append(["Transport", "Childcare"])
    return texts, codes


def test_estimator_contract():
    from sklearn.base import clone

    s = CodeSuggester(C=2.0, threshold=0.4)
    assert clone(s).get_params()["C"] == 2.0
    with pytest.raises(Exception, match="not fitted"):
        s.predict(["x"])
    texts, codes = _data()
    assert s.fit(texts, codes) is s
    assert list(s.classes_) == ["Childcare", "Language", "Transport"]
    proba = s.predict_proba(["the bus again", "the interpreter came"])
    assert proba.shape == (2, 3)
    assert ((proba >= 0) & (proba <= 1)).all()


def test_learns_codes_from_examples():
    texts, codes = _data()
    s = CodeSuggester(random_state=0).fit(texts, codes)
    predicted = s.suggest(["the bus fare is expensive", "we need an interpreter", "who will look after the kids"])
    assert [p[0] for p in predicted] == ["Transport", "Language", "Childcare"]


def test_cues_suggest_codes_with_no_examples():
    texts, codes = _data()
    s = CodeSuggester(cues={"Venues": ["church hall", "freezing"]}).fit(texts, codes)
    assert "Venues" in s.classes_
    assert "Venues" in s.suggest(["the church hall was freezing"])[0]
    assert "Venues" not in s.suggest(["the bus fare was too much"])[0]


def test_beats_plain_tfidf_logistic_regression_on_held_out_text():
    """A small, honest comparison on the sample's coded segments (the peer researcher's), 3-fold."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    from conftest import SAMPLE

    proj = ce.Project()
    proj.ingest(SAMPLE, progress=False)
    codings = proj.codings
    if codings.empty:
        pytest.skip("the sample has no codings")
    mine = codings[codings["coder"] == "PR-M1"]
    labels = mine.groupby("segment_id")["code"].apply(lambda s: sorted(set(s)))
    segs = proj.segments.set_index("segment_id").loc[labels.index]
    texts, codes = segs["text"].tolist(), labels.tolist()
    mlb = MultiLabelBinarizer().fit(codes)
    ours, base = [], []
    for train, test in KFold(3, shuffle=True, random_state=0).split(texts):
        tr_t, te_t = [texts[i] for i in train], [texts[i] for i in test]
        tr_c, te_c = [codes[i] for i in train], [codes[i] for i in test]
        y_true = mlb.transform(te_c)
        s = CodeSuggester(cues=proj.codebook).fit(tr_t, tr_c)
        ours.append(_micro_f1(y_true, mlb.transform([[c for c in p if c in mlb.classes_] for p in s.suggest(te_t)])))
        vec = TfidfVectorizer()
        y_tr = MultiLabelBinarizer(classes=mlb.classes_).fit_transform(tr_c)
        keep = y_tr.sum(axis=0) > 0
        clf = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(vec.fit_transform(tr_t), y_tr[:, keep])
        pred = np.zeros_like(y_true)
        pred[:, keep] = clf.predict(vec.transform(te_t))
        base.append(_micro_f1(y_true, pred))
    assert np.mean(ours) > np.mean(base) + 0.05


def _micro_f1(y_true, y_pred) -> float:
    tp = int((y_true & y_pred).sum())
    denom = int(y_true.sum() + y_pred.sum())
    return 2 * tp / denom if denom else 0.0


def test_suggest_accept_reject_in_a_project(tmp_path):
    from conftest import write

    p = ce.Project()
    lines = ["WEBVTT", ""]
    for i, text in enumerate(TRANSPORT + INTERPRET):
        lines += [f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900", f"{'Ann Lee' if i % 2 else 'Bob Ray'}: {text}", ""]
    p.ingest(write(tmp_path / "coded.vtt", "\n".join(lines)), progress=False)
    p.ingest(write(tmp_path / "new.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: the bus fare again\n\n"
                   "00:00:02.000 --> 00:00:03.000\nBob Ray: an interpreter would help\n"), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("helen", "academic")
    for sid in p.segments.query("document_id == 'coded'")["segment_id"]:
        k = int(sid.split(":")[1]) - 1
        p.code(sid, "Transport and travel costs" if k < 8 else "Interpreters and translation", coder="helen")
    suggestions = p.suggest()
    assert set(suggestions["segment_id"]) <= {"new:1", "new:2"}
    top = suggestions.sort_values("probability").groupby("segment_id").tail(1).set_index("segment_id")["code"]
    assert top["new:1"] == "Transport and travel costs" and top["new:2"] == "Interpreters and translation"
    codings = p.codings
    assert set(codings.loc[codings["coder"] == "model", "origin"]) == {"suggested"}
    first, second = suggestions["coding_id"].iloc[0], suggestions["coding_id"].iloc[-1]
    assert p.accept(first, by="helen") == 1 and p.reject(second, by="helen") == 1
    origins = p.codings.set_index("coding_id")["origin"]
    assert origins[first] == "accepted" and origins[second] == "rejected"
    assert {"accept", "reject"} <= set(p.audit["action"])
