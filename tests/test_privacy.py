"""Pseudonymisation: roster names, first names, contact details, and the redaction log."""

from __future__ import annotations

import pytest

import coeval as ce
from coeval.errors import RosterError
from coeval.privacy import Pseudonymiser, Roster, role_from_hint

from conftest import write


@pytest.fixture
def ps(roster):
    return Pseudonymiser(roster, salt="s", ner=False)


def test_names_first_names_possessives_and_accents_are_replaced(ps):
    text, reds = ps.text("Amina said Tesfa's idea was good; Lenka Horvathova and Lenka Horváthová agreed.")
    assert text == "[PR-N1] said [PR-N2]'s idea was good; [PR-R3] and [PR-R3] agreed."
    for r in reds:
        assert text[r.start:r.start + r.length].startswith("[")
        assert r.category == "roster"


def test_curly_and_straight_apostrophes_both_match(ps):
    text, _ = ps.text("Sharon O’Neill and Sharon O'Neill")
    assert text == "[PR-E3] and [PR-E3]"


def test_ordinary_words_and_initials_are_left_alone(ps):
    text, _ = ps.text("By the grace of God. So, SO wrote it down. Sam's sampler.")
    assert text == "By the grace of God. So, [AC-2] wrote it down. [AC-2]'s sampler."


def test_contacts_are_redacted_but_dates_and_times_are_not(ps):
    text, reds = ps.text("Ring 07700 900123 or +44 7700 900456, email grace@northside-welcome.org.uk. "
                         "On 2026-03-14 at 10:15, we met 12 people.")
    assert text == ("Ring [phone] or [phone], email [email]. On 2026-03-14 at 10:15, we met 12 people.")
    assert [r.category for r in reds] == ["phone", "phone", "email"]
    # a metadata value follows the setting as it is when asked (its remembered answer included)
    assert ps.value("call 07700 900123") == "call [phone]"
    ps.redact_contacts = False
    assert ps.value("call 07700 900123") == "call 07700 900123"
    ps.redact_contacts = True
    assert ps.value("call 07700 900123") == "call [phone]"


def test_speaker_labels(ps):
    assert ps.speaker("Carter, Helen (Dr)")[:3] == ("AC-1", "academic", None)
    assert ps.speaker("Grace Mensah (NWP)")[:3] == ("CC-N", "community_coordinator", "Northside")
    assert ps.speaker("Okafor, Sam (Facilitator (Institute))")[0] == "AC-2"
    assert ps.speaker("Amina's iPhone")[0] == "PR-N1"
    assert ps.speaker("Speaker 1")[:2] == ("Speaker 1", None)
    assert ps.speaker("Interviewer")[0] == "Interviewer"
    assert ps.speaker("Speaker B")[0] == "Speaker B" and ps.speaker("P3")[0] == "P3"
    # not on the roster: numbered, the same label the same pseudonym, role from the suffix
    first = ps.speaker("Fatima Noor (Peer Researcher)")
    assert first[0] == "Unlisted 1" and first[1] == "peer_researcher"
    assert ps.speaker("Fatima Noor")[0] == "Unlisted 1"
    assert ps.speaker("Someone Else")[0] == "Unlisted 2"
    assert ps.speaker("Al")[0] == "Unlisted 3"  # a short name is still a name, not "A" + 1
    assert ps.seen["Unlisted 1"] == "Fatima Noor"


def test_unlisted_numbering_continues_from_the_project(roster):
    registry = {}
    Pseudonymiser(roster, salt="x", unlisted=registry, ner=False).speaker("New Person")
    again = Pseudonymiser(roster, salt="x", unlisted=registry, ner=False)
    assert again.speaker("New Person")[0] == "Unlisted 1"
    assert again.speaker("Another")[0] == "Unlisted 2"
    assert all("New Person" not in k for k in registry)  # only salted hashes are kept


def test_shared_first_name_is_replaced_without_guessing(tmp_path):
    path = write(tmp_path / "r.csv", "name,pseudonym\nAnn Lee,P1\nAnn Cole,P2\n")
    text, _ = Pseudonymiser(Roster.from_csv(path), ner=False).text("Ann and Ann Cole")
    assert text == "[name] and [P2]"


def test_role_hints():
    assert role_from_hint("Peer Researcher") == "peer_researcher"
    assert role_from_hint("Coordinator") == "community_coordinator"
    assert role_from_hint("Council") == "stakeholder"
    assert role_from_hint("Facilitator (Institute)") == "academic"
    assert role_from_hint("xyz") is None


@pytest.mark.parametrize("content, words, line", [
    ("name,role\nAnn,x\n", "no 'pseudonym' column", 1),
    ("name,pseudonym\nAnn,P1\nBob,P1\n", "given to two people", 3),
    ("name,pseudonym\nAnn,\n", "empty name or pseudonym", 2),
    ("name,pseudonym\nAnn,Bob\nBob,P2\n", "also a participant's name", 2),
    ("name,aliases,pseudonym\nAnn,Annie,Carter, A,P1\n", "more fields", 2),
])
def test_roster_errors(tmp_path, content, words, line):
    path = write(tmp_path / "roster.csv", content)
    with pytest.raises(RosterError) as info:
        Roster.from_csv(path)
    assert words in str(info.value) and info.value.line == line and "roster.csv" in str(info.value)


def test_without_a_roster_speaker_names_are_replaced_in_the_text_too(tmp_path):

    text = ("Hamid Rahimi: I came late. Sorry Helen.\n"
            "Helen Carter: No problem Hamid. Hamid's bus was late. Was it HAMID?\n"
            "Dr. Melissa Ko: But Hamid, was it at Helen Carter's place?\n"
            "Melissa Ko: Thanks. Grace will come.\n")
    p = ce.Project()
    p.ingest(write(tmp_path / "w.txt", text), kind="transcript", progress=False)
    stored = p.document("w").text
    for name in ("Hamid", "HAMID", "Helen", "Carter", "Melissa", "Rahimi"):
        assert name not in stored
    assert "[Unlisted 1]'s bus" in stored and "Sorry [Unlisted 2]" in stored
    # "Dr. Melissa Ko" and "Melissa Ko" are one person, one pseudonym, one turn
    assert set(p.segments["speaker"]) == {"Unlisted 1", "Unlisted 2", "Unlisted 3"} and len(p.segments) == 3
    assert "Grace will come" in stored  # not a speaker: left for the name review, not guessed


def test_titles_do_not_stop_a_roster_match():
    from coeval.privacy.roster import Person, Roster

    roster = Roster.validated([Person("Melissa Ko", "AC-9"), Person("Bill Blair", "ST-1"),
                               Person("Amina Khan", "CC-3", aliases=("Khan",))])
    for label, pseudonym in [("Dr. Melissa Ko", "AC-9"), ("The Hon. Bill Blair", "ST-1"),
                             ("Cllr. Khan (Chair)", "CC-3"), ("Prof Melissa Ko (Institute)", "AC-9")]:
        assert roster.resolve(label).pseudonym == pseudonym


def test_likely_names_are_listed_for_review_and_masked_in_place_when_confirmed(tmp_path):
    text = ("Speaker 1: We went with Fatima to the clinic, and Fatima drove.\n"
            "Speaker 2: In Ramadan it was hard. Connor came too.\n")
    roster = write(tmp_path / "roster.csv", "name,pseudonym\nConor Walsh,PR-7\n")
    p = ce.Project()
    p.ingest(write(tmp_path / "w.txt", text), kind="transcript", roster=roster, progress=False)
    review = p.privacy_review()
    assert sorted(zip(review["word"], review["kind"])) == [
        ("Connor", "close to a roster name"), ("Fatima", "likely name"), ("Fatima", "likely name")]
    assert review["segment_id"].notna().all() and "clinic" in review["context"].iloc[0]
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    p.code("w:1", "Transport and travel costs", coder="AC-1")
    before = p.codings[["start", "end"]].values.tolist()
    fatima = review[review["word"] == "Fatima"]["review_id"].iloc[0]
    assert p.mark_review([fatima], name=True, by="AC-1", everywhere=True) == 2
    connor = review[review["word"] == "Connor"]["review_id"].iloc[0]
    assert p.mark_review(connor, name=False, by="AC-1") == 1
    stored = p.document("w").text
    assert "Fatima" not in stored and "with ■■■■■■ to the clinic" in stored and "Connor came" in stored
    assert p.codings[["start", "end"]].values.tolist() == before and p.codings["text"].iloc[0].startswith("We went")
    assert p.privacy_review().empty
    assert set(p.privacy_review(status=None)["status"]) == {"name", "not a name"}
    assert (p.redactions["category"] == "reviewed name").sum() == 2


def test_a_report_warns_until_the_review_list_is_cleared_and_the_cli_clears_it(tmp_path, capsys):
    from coeval.cli import main
    from coeval.report import Report

    path = tmp_path / "p.coeval"
    with ce.Project.create(path) as p:
        p.ingest(write(tmp_path / "w.txt", "Speaker 1: We went with Fatima to the clinic.\n"), kind="transcript",
                 progress=False)
        p.codebook = ce.Codebook.template("coeval")
        p.add_coder("AC-1", "academic")
        p.code("w:1", "Transport and travel costs", coder="AC-1")
        assert "may be people's names" in Report(p, config={"date": "1 May 2026"}).to_html()
        review_id = int(p.privacy_review()["review_id"].iloc[0])
    assert main(["privacy", str(path)]) == 0 and "Fatima" in capsys.readouterr().out
    assert main(["privacy", str(path), "--name", str(review_id), "--by", "AC-1"]) == 0
    assert "Nothing left to review" in capsys.readouterr().out
    with ce.Project.open(path) as p:
        html = Report(p, config={"date": "1 May 2026"}).to_html()
        assert "may be people's names" not in html and "Fatima" not in html
