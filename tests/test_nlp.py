"""The spaCy pipeline: rule-based without a model, and NER used by privacy when present."""

from __future__ import annotations

import pytest

from coeval.learn import nlp
from coeval.privacy import Pseudonymiser


def test_blank_pipeline_lemmatises_and_splits_sentences():
    assert nlp.lemmas("The peer researchers were running workshops.") == [
        "the", "peer", "researcher", "be", "run", "workshop"]
    assert nlp.sentences("It was hard. But then it got better! Really?") == [
        "It was hard.", "But then it got better!", "Really?"]
    assert nlp.pipeline("blank") is nlp.pipeline("blank")  # built once


def test_naming_a_missing_pipeline_is_a_clear_error():
    from coeval.errors import CoevalError

    with pytest.raises(CoevalError, match="not installed"):
        nlp.pipeline("en_core_web_doesnotexist")


def test_person_entities_are_replaced_when_a_recogniser_is_available(monkeypatch, roster):
    import spacy

    fake = spacy.blank("en")
    ruler = fake.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Fatima Noor"}])
    monkeypatch.setattr(nlp, "has_ner", lambda: True)
    monkeypatch.setattr(nlp, "pipeline", lambda name=None: fake)
    ps = Pseudonymiser(roster, ner="auto")
    text, reds = ps.text("Fatima Noor came with Amina.")
    assert text == "[person] came with [PR-N1]."
    assert sorted(r.category for r in reds) == ["person", "roster"]


def test_sentences_keep_a_bracketed_pseudonym_with_its_sentence():
    from coeval.learn.nlp import sentences

    assert sentences("They asked for more. [PR-E3] said it was fine. [CC-E] nodded.") == [
        "They asked for more.", "[PR-E3] said it was fine.", "[CC-E] nodded."]


def test_the_lemma_table_is_the_pipelines_without_building_it():
    from coeval.learn.nlp import lemma_table, pipeline

    table = lemma_table()
    assert isinstance(table, dict) and table.get("went") == "go" and table.get("children") == "child"
    lookup = pipeline("blank").get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    assert len(table) == len(lookup) and all(lookup.get(k) == v for k, v in list(table.items())[::97])


def test_sentences_end_where_a_reader_would_without_spacy():
    import subprocess
    import sys

    from coeval.learn.nlp import sentences

    assert sentences('Dr. Khan came at 10 a.m. on Monday. "Five is good." And is that... fine? No. Yes!') == [
        "Dr. Khan came at 10 a.m. on Monday.", '"Five is good."', "And is that... fine?", "No.", "Yes!"]
    assert sentences("Nothing. \u201cYes, I take the tablet.\u201d Then e.g. this one") == [
        "Nothing.", "\u201cYes, I take the tablet.\u201d", "Then e.g. this one"]
    assert sentences("") == [] and sentences("  one  ") == ["one"]
    code = "import sys; from coeval.learn.nlp import sentences; sentences('A. B.'); print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_cue_phrases_grouped_by_first_letter_match_as_one_flat_list_would():
    import random
    import re

    from coeval.learn.polarity_rules import BARRIER_CUES, ENABLER_CUES
    from coeval.learn.text import compile_cues, normalise

    cues = tuple(BARRIER_CUES) + tuple(ENABLER_CUES) + ("a lot", "no", "no one", "x", "it's")
    phrases = sorted({normalise(c) for c in cues}, key=len, reverse=True)
    flat = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in phrases)
                      + r")(?![\w'])")
    grouped = compile_cues(cues)
    rng = random.Random(0)
    words = [w for c in phrases for w in c.split()] + ["the", "bus", "late", "nobody's", "x-ray", "lots"]
    for _ in range(3000):
        text = normalise(" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in flat.finditer(text)], text
