"""The barrier/enabler classifier: its rules with values, its explanations, and the scikit-learn contract."""

from __future__ import annotations

import numpy as np
import pytest

from coeval import PolarityClassifier
from coeval.learn import polarity_rules as rules


def _labels(texts, **kw):
    return PolarityClassifier(**kw).predict(texts).tolist()


def test_the_issues_field_examples_are_barriers():
    texts = ["Four pages. Four pages to say, can we talk to you about your sugar.",
             "The Home Office moved one of our group with two days' notice."]
    assert _labels(texts) == ["barrier", "barrier"]
    why = PolarityClassifier().explain(texts[1])
    assert why[["cue", "kind", "weight"]].values.tolist() == [["two days' notice", "short notice", -1.5]]


def test_a_request_or_wish_is_a_barrier_whatever_its_positive_words():
    texts = ["More staff.", "Need more activities", "It would be good if the staff were more friendly",
             "It would have been better if they had phoned", "They should have told us sooner",
             "Not enough chairs", "The wait was too long", "I wish there had been a creche"]
    assert _labels(texts) == ["barrier"] * len(texts)
    why = PolarityClassifier().explain("It would be good if the staff were more friendly")
    assert why[["cue", "kind", "polarity", "weight"]].values.tolist() == [
        ["would be good", "request", "barrier", -3.0]]  # "good" and "friendly" are not counted


def test_nil_answers_and_no_fault_praise_are_enablers():
    texts = ["Nothing.", "No complaints", "Nothing to improve", "Can't fault them", "Couldn't have been better",
             "Keep it up", "I couldn't have asked for better", "Nothing was too much trouble"]
    assert _labels(texts) == ["enabler"] * len(texts)
    assert PolarityClassifier().explain("Can't fault them")[["cue", "kind", "weight"]].values.tolist() == [
        ["can't fault", "praise", 3.5]]


def test_negation_does_not_cross_punctuation():
    why = PolarityClassifier().explain("Nothing, treatment was excellent")
    assert why[["cue", "kind", "negated", "weight"]].values.tolist() == [
        ["nothing", "nil", False, 3.0], ["excellent", "lexicon", False, 2.7]]
    assert why.attrs["label"] == "enabler" and set(why["label"]) == {"enabler"}
    # within a clause VADER's negation holds: "wasn't hard" helped
    assert PolarityClassifier().explain("It wasn't hard at all")[["cue", "polarity", "negated", "weight"]
                                                                 ].values.tolist() == [["hard", "enabler", True, 0.296]]


def test_cannot_alone_is_not_a_barrier_and_condition_words_weigh_nothing():
    assert _labels(["I cannot say", "I was in a lot of pain", "He died of cancer after the crisis"]) == [
        "neutral"] * 3
    assert {"pain", "cancer", "crisis", "illness"} <= rules.CONDITION_WORDS
    assert "pain" not in rules.analyser().lexicon and rules.analyser().lexicon["rude"] == -2.2
    # the condition does not outweigh the care
    assert _labels(["I was in a lot of pain and the nurse listened"]) == ["enabler"]


def test_contrast_weighs_the_clause_after_but():
    why = PolarityClassifier().explain("The staff were lovely but the wait was too long")
    assert why[["cue", "kind", "weight"]].values.tolist() == [["lovely", "lexicon", 1.4], ["too long", "request", -4.5]]
    assert why.attrs["label"] == "barrier"
    assert _labels(["At first it was hard, but then it got easier"]) == ["enabler"]


def test_field_cues_and_neutral_only_without_evidence():
    texts = ["No one called me back", "Thanks to the nurse I could go home", "They listened to me",
             "The receptionist was rude and dismissive", "We met on Tuesday", ""]
    assert _labels(texts) == ["barrier", "enabler", "enabler", "barrier", "neutral", "neutral"]
    why = PolarityClassifier().explain("No one called me back")
    assert why[["cue", "kind", "polarity", "weight"]].values.tolist() == [["no one", "cue", "barrier", -2.0]]
    assert PolarityClassifier().explain("We met on Tuesday").empty


def test_a_projects_cues_replace_the_default_phrases():
    clf = PolarityClassifier(barrier_cues=["the letters"], enabler_cues=[])
    assert clf.predict(["The letters again", "We arrived on time"]).tolist() == ["barrier", "neutral"]
    assert PolarityClassifier().predict(["We arrived on time"]).tolist() == ["enabler"]
    assert clf.explain("The letters again")[["cue", "kind", "weight"]].values.tolist() == [
        ["the letters", "cue", -2.0]]
    assert clf.explain("It wasn't the letters")["weight"].tolist() == [1.48]  # negated: -2 x -0.74


def test_the_question_answered_leans_the_judgement():
    clf = PolarityClassifier()
    assert clf.predict(["Nothing", "The parking"], questions=["What was good?", "What could we do better?"]
                       ).tolist() == ["barrier", "barrier"]
    assert clf.predict(["Nothing"]).tolist() == ["enabler"]
    assert PolarityClassifier(question="What went well?").predict(["The parking"]).tolist() == ["enabler"]
    why = clf.explain("The parking", question="What could we do better?")
    assert why[["kind", "weight", "label"]].values.tolist() == [["question", -0.15, "barrier"]]
    with pytest.raises(ValueError, match="2 texts but 1 questions"):
        clf.predict(["a", "b"], questions=["What was good?"])
    # a blank answer is not leaned into an answer
    for question in ("What was good?", "What could we do better?"):
        assert clf.predict(["", None, "  "], questions=question).tolist() == ["neutral"] * 3


def test_mixed_only_when_both_sides_are_strong():
    assert rules.decide([0.6, -0.55])[0] == "mixed"
    assert rules.decide([0.9, -0.5])[0] == "enabler"       # one side 1.8 times the other
    assert rules.decide([0.3, -0.2])[0] == "enabler"       # neither side strong
    assert rules.decide([0.02, -0.03])[0] == "neutral"     # below VADER's 0.05: no evidence


HAND_MADE = (
    [(t, "barrier") for t in ["the bus was late again", "nobody answered the phone", "we waited for hours",
                              "the forms were confusing", "staff were rude to my mother", "too far to travel",
                              "the fare costs too much", "appointments cancelled twice", "no interpreter came",
                              "the room was cold and noisy", "letters full of jargon", "they never called back"]]
    + [(t, "enabler") for t in ["the nurse was kind", "they listened to us", "the interpreter helped a lot",
                                "felt welcome from day one", "the bus pass made it possible", "lovely friendly staff",
                                "thanks to the volunteers", "everything was explained clearly", "a warm welcome",
                                "the group gave me confidence", "staff were patient and caring", "easy to book"]])


def _hand_made():
    texts, labels = zip(*HAND_MADE)
    return list(texts), list(labels)


def test_fit_adapts_and_beats_chance_on_held_out_texts():
    texts, labels = _hand_made()
    clf = PolarityClassifier().fit(texts, labels)
    assert clf.classes_.tolist() == ["barrier", "enabler"] and clf.model_ is not None
    held_out = ["the bus was cancelled and nobody told us", "the staff were friendly and helped us",
                "we waited and waited", "I felt welcome"]
    assert clf.predict(held_out).tolist() == ["barrier", "enabler", "barrier", "enabler"]
    proba = clf.predict_proba(held_out)
    assert proba.shape == (4, 2) and np.allclose(proba.sum(axis=1), 1) and proba[0, 0] > 0.5 > proba[1, 0]
    why = clf.explain("we waited and waited")
    assert why.attrs["label"] == "barrier" and "learned" in set(why["kind"])
    assert (why.loc[why["kind"] == "learned", "weight"] > 0).all()


def test_fit_on_one_label_keeps_the_rules_and_predict_proba_needs_a_model():
    from sklearn.exceptions import NotFittedError

    clf = PolarityClassifier().fit(["good", "great"], ["enabler", "enabler"])
    assert clf.model_ is None and clf.predict(["awful"]).tolist() == ["barrier"]
    with pytest.raises(NotFittedError, match="call fit"):
        PolarityClassifier().predict_proba(["good"])
    with pytest.raises(ValueError, match="unknown label 'positive'"):
        PolarityClassifier().fit(["good"], ["positive"])
    with pytest.raises(TypeError, match="list of texts"):
        PolarityClassifier().predict("one string")


def test_the_scikit_learn_contract():
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
    from sklearn.pipeline import Pipeline

    texts, labels = _hand_made()
    clf = PolarityClassifier(barrier_cues=["the letters"], C=0.5)
    params = clf.get_params()
    assert params == {"barrier_cues": ["the letters"], "enabler_cues": None, "question": None, "C": 0.5,
                      "evidence_weight": "auto", "random_state": 0}
    copy = clone(clf)
    assert copy.get_params() == params and copy is not clf
    assert clf.set_params(C=4.0) is clf and clf.C == 4.0
    fitted = PolarityClassifier()
    assert fitted.fit(texts, labels) is fitted   # fit returns self
    assert isinstance(PolarityClassifier().predict(texts), np.ndarray)
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(PolarityClassifier(), texts, labels, cv=folds)
    assert len(scores) == 3 and scores.mean() > 0.5
    grid = GridSearchCV(PolarityClassifier(), {"C": [0.5, 4.0]}, cv=folds).fit(texts, labels)
    assert grid.best_params_["C"] in (0.5, 4.0) and grid.predict(["no one came"]).tolist() == ["barrier"]
    # in a pipeline after a text step (here a no-op clean-up), and the untrained rules' score
    from sklearn.preprocessing import FunctionTransformer

    pipe = Pipeline([("clean", FunctionTransformer(lambda xs: [x.strip() for x in xs])),
                     ("polarity", PolarityClassifier())]).fit(texts, labels)
    assert pipe.predict(["  they listened  "]).tolist() == ["enabler"]
    assert PolarityClassifier().score(["lovely staff", "rude staff", "we met"], ["enabler", "barrier", "barrier"]
                                      ) == pytest.approx(0.75)   # neutral counts as wrong: (1/2 + 1) / 2
    assert isinstance(fitted.vectorizer_, TfidfVectorizer)   # the vectoriser inside is scikit-learn's own


def test_deterministic():
    texts, labels = _hand_made()
    first = PolarityClassifier().fit(texts, labels).predict_proba(texts)
    again = PolarityClassifier().fit(texts, labels).predict_proba(texts)
    assert np.array_equal(first, again)
    assert PolarityClassifier().predict(texts).tolist() == PolarityClassifier().predict(texts).tolist()


def test_untrained_rules_are_right_on_most_of_the_hand_made_set():
    texts, labels = _hand_made()
    assert PolarityClassifier().score(texts, labels) >= 0.8


def test_auto_evidence_weight_keeps_the_rules_where_words_alone_cannot_generalise():
    # each text's evaluative word is its own: word features learned on two folds say nothing of
    # the third, the lexicon does, so cross-validation on the training texts keeps the rules
    good = "great lovely wonderful superb brilliant fantastic excellent delightful marvellous terrific kind".split()
    bad = "awful terrible horrible dreadful appalling miserable rude nasty hopeless useless painful".split()
    texts = [f"the session was {w}" for w in good] + [f"the session was {w}" for w in bad]
    labels = ["enabler"] * len(good) + ["barrier"] * len(bad)
    chosen = PolarityClassifier().fit(texts, labels)
    assert chosen.evidence_weight_ == 1.0
    words_only = PolarityClassifier(evidence_weight=0).fit(texts, labels)
    assert words_only.evidence_weight_ == 0.0
    unseen = ["the session was splendid", "the session was abysmal"]
    assert chosen.predict(unseen).tolist() == ["enabler", "barrier"]


def test_talk_is_not_evaluation_and_a_but_sentence_answers_the_one_before():
    clf = PolarityClassifier()
    # fillers and agreement carry no valence in a transcript; "I like" still does
    assert clf.predict(["Yeah, okay, honestly it's like two buses there."]).tolist() == ["neutral"]
    assert clf.predict(["I like the coffee mornings."]).tolist() == ["enabler"]
    assert clf.explain("Yes, like, the universal credit thing.").empty
    # "It was good. But ..." weighs as VADER weighs "but" inside a sentence: half before, 1.5 after
    text = "I feel good about the project. But I am tired of the forms."
    rows = clf.explain(text)
    assert rows.set_index("cue").loc["good", "weight"] == pytest.approx(0.5 * 1.9)
    assert rows.set_index("cue").loc["tired", "weight"] < 0
    assert clf.predict([text]).tolist() == ["barrier"]
    # not understanding is a barrier; never hearing back too
    assert clf.predict(["Some words in the training I did not understand.",
                        "They gave us a tenner and we never heard another word."]).tolist() == ["barrier"] * 2


def test_what_co_production_talk_says_helped_or_got_in_the_way():
    clf = PolarityClassifier()
    helped = ["The interpreter made all the difference.", "The bus passes meant people could come.",
              "I wouldn't have managed without her.", "The GP practice changed its form after our report."]
    got_in_the_way = ["It took months to get ethics approval.", "We didn't get paid for weeks.",
                      "The training was too academic.", "The council never replied to our findings.",
                      "The phone line is always engaged.", "Parking is a nightmare."]
    assert clf.predict(helped).tolist() == ["enabler"] * 4
    assert clf.predict(got_in_the_way).tolist() == ["barrier"] * 6
    assert clf.predict(["Me too.", "It was too good to miss."]).tolist() == ["neutral", "enabler"]
    # the longer cue wins where two overlap, whichever side: "nobody complained" is not "nobody"
    assert clf.predict(["We stopped for the month, and nobody complained.", "Nobody came."]).tolist() == [
        "enabler", "barrier"]
    assert clf.explain("Nobody complained.")["cue"].tolist() == ["nobody complained"]
    assert clf.predict(["I'm less scared of things now."]).tolist() == ["enabler"]


def test_equal_sides_are_mixed_whatever_their_size():
    from coeval.learn.polarity_rules import decide

    assert decide([0.459, -0.459])[0] == "mixed"      # a tie decides for neither side
    assert decide([0.3, -0.2])[0] == "enabler"        # small and unequal: the larger side
    assert decide([0.8, -0.7])[0] == "mixed"          # both strong, neither 1.5 times the other
    assert decide([0.0, 0.01])[0] == "neutral"        # below the threshold: no evidence
