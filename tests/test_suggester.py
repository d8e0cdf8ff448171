"""CodeSuggester: the scikit-learn contract, determinism, explanations, and saying why it cannot learn."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import coeval as ce
from coeval.errors import CoevalWarning
from coeval.learn.suggester import CodeSuggester, TooFewExamplesWarning
from coeval.learn.suggester_calibration import choose_cut_off, platt, sigmoid

TRANSPORT = ["the bus fare was too much", "two buses to get there", "no bus after six", "the taxi cost a fortune",
             "it is a long walk from the bus stop", "travel money came late", "bus passes would help",
             "we could not afford the fare", "the bus was late again", "a bus ticket costs four pounds"]
LANGUAGE = ["the interpreter made all the difference", "nobody translated the forms", "she interpreted for us",
            "we needed someone who speaks Romani", "the leaflet was only in English", "an interpreter on the phone",
            "translation into Urdu helped", "my English is not good enough", "the interpreter did not come",
            "no translation of the letter"]
CHILDCARE = ["no one to mind the kids", "I had to bring the baby", "the creche was full", "school run clashes",
             "childcare was paid for", "my children were ill", "the kids came along", "nursery pick up time",
             "the kids were tired", "a babysitter costs money"]


def _data():
    texts = TRANSPORT + LANGUAGE + CHILDCARE + ["the bus was late and the kids were tired"]
    codes = [["Transport"]] * 10 + [["Language"]] * 10 + [["Childcare"]] * 10 + [["Childcare", "Transport"]]
    return texts, codes


def _fit(**params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TooFewExamplesWarning)
        return CodeSuggester(**params).fit(*_data())


def test_constructor_stores_parameters_unchanged_and_clone_keeps_them():
    from sklearn.base import clone

    cues = {"Venues": ["church hall"]}
    s = CodeSuggester(cues=cues, threshold=0.4, C=2.0, min_examples=4, at_least_one=False, cv=5, random_state=7)
    assert s.get_params() == {"cues": cues, "threshold": 0.4, "C": 2.0, "min_examples": 4, "at_least_one": False,
                              "cv": 5, "random_state": 7}
    assert clone(s).get_params()["cues"] == cues
    assert s.set_params(C=0.1) is s and s.C == 0.1
    assert not hasattr(s, "classes_")
    assert ce.CodeSuggester is CodeSuggester


def test_predict_is_the_indicator_matrix_of_multilabelbinarizer():
    from sklearn.preprocessing import MultiLabelBinarizer

    texts, codes = _data()
    s = _fit()
    mlb = MultiLabelBinarizer().fit(codes)
    assert list(s.classes_) == list(mlb.classes_) == ["Childcare", "Language", "Transport"]
    pred = s.predict(texts)
    assert isinstance(pred, np.ndarray) and pred.shape == (31, 3)
    suggested = s.suggest(texts)
    assert np.array_equal(pred, mlb.transform(suggested))
    assert [sorted(row) for row in mlb.inverse_transform(pred)] == [sorted(row) for row in suggested]
    proba = s.predict_proba(texts)
    assert isinstance(proba, np.ndarray) and proba.shape == (31, 3)
    assert ((proba >= 0) & (proba <= 1)).all()
    # an indicator y gives the same model as lists of codes
    by_matrix = CodeSuggester().fit(texts, mlb.transform(codes))
    assert list(by_matrix.classes_) == [0, 1, 2]
    assert np.array_equal(by_matrix.predict(texts), pred)
    assert np.allclose(by_matrix.predict_proba(texts), proba)


def test_fit_returns_self_and_unfitted_use_is_an_error():
    from sklearn.exceptions import NotFittedError

    s = CodeSuggester()
    with pytest.raises(NotFittedError, match="not fitted"):
        s.predict(["x"])
    assert s.fit(*_data()) is s
    with pytest.raises(TypeError, match="one string"):
        s.predict("the bus")


def test_score_is_micro_f1():
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    texts, codes = _data()
    s = _fit()
    test_texts = ["the bus fare is expensive", "we need an interpreter", "who will mind the kids"]
    test_codes = [["Transport"], ["Language"], ["Transport"]]  # the last is deliberately wrong
    expected = f1_score(MultiLabelBinarizer(classes=s.classes_).fit_transform(test_codes), s.predict(test_texts),
                        average="micro")
    assert s.score(test_texts, test_codes) == pytest.approx(expected)
    assert s.score(test_texts, test_codes) < 1.0
    # rows as fit reads them: one code as a bare string, None for no code
    bare = [test_codes[0][0], test_codes[1], None]
    as_lists = [test_codes[0], test_codes[1], []]
    assert s.score(test_texts, bare) == pytest.approx(s.score(test_texts, as_lists))
    assert s.score(test_texts[:2], bare[:2]) == pytest.approx(
        f1_score(MultiLabelBinarizer(classes=s.classes_).fit_transform(as_lists[:2]), s.predict(test_texts[:2]),
                 average="micro"))


def test_a_code_on_every_training_text_is_reported_as_it_is_suggested():
    texts, codes = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TooFewExamplesWarning)
        s = CodeSuggester(cues={"Everywhere": ["community centre"]}).fit(texts, [c + ["Everywhere"] for c in codes])
        bare = CodeSuggester().fit(texts, [c + ["Everywhere"] for c in codes])
    row = s.report().set_index("code").loc["Everywhere"]
    assert row["how"] == "cues only" and "every training text" in row["reason"]
    assert "Everywhere" not in s.suggest(["the bus was late"])[0]
    assert "Everywhere" in s.suggest(["we met at the community centre"])[0]
    # without cue phrases its name is still looked for
    assert bare.report().set_index("code").loc["Everywhere", "how"] == "cues only"
    assert [("Everywhere" in row) for row in bare.suggest(["the bus was late", "help was everywhere"])] == [False, True]


def test_cross_val_score_grid_search_and_pipeline_work():
    from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, MultiLabelBinarizer

    texts, codes = _data()
    Y = MultiLabelBinarizer().fit_transform(codes)
    cv = KFold(3, shuffle=True, random_state=0)
    micro = cross_val_score(CodeSuggester(), texts, Y, cv=cv, scoring="f1_micro")
    own = cross_val_score(CodeSuggester(), texts, codes, cv=cv)  # lists of codes: the estimator's own score
    assert micro.shape == (3,) and micro.mean() > 0.6
    assert np.allclose(micro, own)
    grid = GridSearchCV(CodeSuggester(), {"C": [0.1, 1.0]}, cv=cv, scoring="f1_micro").fit(texts, Y)
    assert grid.best_params_["C"] in (0.1, 1.0) and grid.best_score_ > 0.6
    pipe = Pipeline([("lower", FunctionTransformer(lambda xs: [x.lower() for x in xs])),
                     ("suggest", CodeSuggester())]).fit(texts, Y)
    assert pipe.predict(["THE BUS FARE"]).tolist() == [[0, 0, 1]]


def test_learns_a_small_hand_made_set():
    s = _fit()
    assert s.suggest(["the bus fare is expensive", "we need an interpreter", "who will look after the kids"]) \
        == [["Transport"], ["Language"], ["Childcare"]]
    assert s.score(*_data()) > 0.9


def test_same_seed_same_model():
    a, b = _fit(random_state=3), _fit(random_state=3)
    new = ["the bus and the kids", "an interpreter for the kids", "nothing to say"]
    assert np.array_equal(a.predict_proba(new), b.predict_proba(new))
    assert (a.threshold_, a.floor_) == (b.threshold_, b.floor_)


def test_a_code_with_too_few_examples_is_named_with_its_count():
    texts, codes = _data()
    texts, codes = texts + ["the church hall was cold", "the room was too small"], codes + [["Venues"], ["Venues"]]
    too_few = r"each needing at least 3 coded examples; 1 have too few: 'Venues' \(2\)"
    with pytest.warns(TooFewExamplesWarning, match=too_few):
        s = CodeSuggester().fit(texts, codes)
    report = s.report().set_index("code")
    assert report.loc["Venues", ["examples", "needed", "how"]].tolist() == [2, 3, "cues only"]
    assert report.loc["Transport", "how"] == "model" and report.loc["Transport", "examples"] == 11
    assert s.skipped_ == {"Venues": 2}
    # too rare to learn, but its name still finds it
    assert s.suggest(["we met at the new venues"]) == [["Venues"]]


def test_cues_suggest_codes_with_no_examples_and_only_where_they_appear():
    with pytest.warns(TooFewExamplesWarning, match=r"1 have none: 'Venues' \(0\)"):
        s = CodeSuggester(cues={"Venues": ["church hall", "freezing"]}).fit(*_data())
    assert "Venues" in s.suggest(["the church hall was freezing"])[0]
    assert "Venues" not in s.suggest(["the bus fare was too much"])[0]
    assert s.predict_proba(["the church hall was freezing"])[0, list(s.classes_).index("Venues")] == 0.6


def test_explain_names_the_decisive_words_with_their_weights():
    s = _fit()
    why = s.explain("the bus fare is expensive")
    assert set(why["code"]) == {"Transport"} and why["suggested"].all()
    assert why["feature"].iloc[0] in {"bus", "fare"} and {"bus", "fare"} <= set(why["feature"])
    assert (why["weight"] > 0).all() and why["weight"].is_monotonic_decreasing
    # the weights are shares of the code's SVM score: with every feature they add up to it
    j = list(s.classes_).index("Transport")
    text = "the bus fare is expensive"
    parts = s.features_.contributions(text, s.coef_[j])
    assert sum(parts.values()) + s.intercept_[j] == pytest.approx(s.decision_function([text])[0, j])
    assert why.loc[why["feature"] == "bus", "weight"].iloc[0] == pytest.approx(round(parts["bus"], 4))


def test_explain_shows_the_cue_that_suggested_a_code_too_rare_to_learn():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TooFewExamplesWarning)
        s = CodeSuggester(cues={"Venues": ["church hall"]}).fit(*_data())
    why = s.explain("the church hall again")
    assert why[["code", "feature"]].values.tolist() == [["Venues", "cue: church hall"]]
    assert np.isnan(why["weight"].iloc[0])


def test_platt_scaling_and_the_global_cut_off():
    scores = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 0.2, -0.2])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 1])
    a, b = platt(scores, y)
    p = sigmoid(a * scores + b)
    assert a > 0 and np.all(np.diff(p[np.argsort(scores)]) > 0)
    assert p[scores == 2.0][0] > 0.8 and p[scores == -2.0][0] < 0.2
    P = np.array([[0.9, 0.1], [0.2, 0.3], [0.6, 0.7]])
    T = np.array([[1, 0], [0, 1], [1, 1]])
    f1, cut, floor = choose_cut_off(P, T, [0.25, 0.5, 0.8], [None, 0.1])
    # 0.25 suggests (0,0) (1,1) (2,0) (2,1): every one right, all four found
    assert (f1, cut, floor) == (1.0, 0.25, None)


def test_suggestions_on_the_sample_and_a_clear_message_when_there_is_nothing_to_suggest():
    from conftest import SAMPLE

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj = ce.Project()
        proj.ingest(SAMPLE, progress=False)
    with pytest.warns(CoevalWarning, match="every one of the 14 documents has human codings"):
        none = proj.suggest()
    assert none.empty and "documents=" in none.attrs["message"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TooFewExamplesWarning)
        got = proj.suggest(documents=["northside-workshop2"])
    assert len(got) > 0 and set(got["document_id"]) == {"northside-workshop2"}
    assert all(code in proj.codebook for code in got["code"])
    assert (got["probability"] > 0).all()
    coded = set(proj.codings.query("origin != 'suggested'")["segment_id"])
    assert not set(got["segment_id"]) & coded


def test_a_text_with_no_words_gets_no_suggestion():
    texts = ["bus late again", "interpreter helped", "bus fare cost", "interpreter came", "bus never came",
             "interpreter good"] * 3
    codes = [["Transport"], ["Language"]] * 9
    s = CodeSuggester().fit(texts, codes)
    assert s.suggest(["", "  ", "...", "the bus"])[:3] == [[], [], []]
    assert (s.predict_proba(["", "?"]) == 0).all() and s.suggest(["the bus"]) == [["Transport"]]
