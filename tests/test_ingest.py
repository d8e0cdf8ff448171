"""Reading each supported format into a Document, and refusing bad input clearly."""

from __future__ import annotations

import unicodedata

import pytest

import coeval as ce
from coeval.errors import CoevalError, EmptyDocumentError, FormatError, ParseError

from conftest import write

SRT = ("1\n00:00:01,000 --> 00:00:04,000\nJosé Núñez: The café was warm – £5 for tea.\n\n"
       "2\n00:00:04,000 --> 00:00:06,000\nIt wasn’t hard to get to.\n\n"
       "3\n00:00:06,000 --> 00:00:08,000\nAnn Lee: Good.\n")


def _check_offsets(doc):
    """Every segment's text is exactly its slice of the document text."""
    for seg in doc.segments:
        assert doc.text[seg.start:seg.end] == doc.segment_text(seg)
        assert doc.text[seg.start:seg.end].strip() == doc.text[seg.start:seg.end]


@pytest.mark.parametrize("encoding, newline", [
    ("utf-8", "\n"), ("utf-8-sig", "\n"), ("utf-16", "\r\n"), ("utf-16-be", None),
    ("utf-32", "\n"), ("cp1252", "\r\n")])
def test_srt_in_every_encoding_gives_the_same_document(tmp_path, encoding, newline):
    path = tmp_path / "w.srt"
    if encoding == "utf-16-be":  # with its BOM written by hand
        path.write_bytes(b"\xfe\xff" + SRT.encode("utf-16-be"))
    else:
        write(path, SRT, encoding=encoding, newline=newline)
    doc = ce.read_document(path)
    assert [doc.segment_text(s) for s in doc.segments] == [
        "The café was warm – £5 for tea. It wasn’t hard to get to.", "Good."]
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.segments[0].time_start == 1.0 and doc.segments[0].time_end == 6.0
    _check_offsets(doc)


def test_text_is_nfc_normalised(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Ann: Café crème.\nBob: Olé.\n")
    doc = ce.read_document(write(tmp_path / "t.txt", decomposed))
    assert "Café crème." in doc.text and unicodedata.is_normalized("NFC", doc.text)


def test_transcript_text_layout_and_segments(tmp_path, roster):
    path = write(tmp_path / "w.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAmina Yusuf: Hi Grace.\n\n"
                                     "00:00:02.000 --> 00:00:03.000\nGrace Mensah (NWP): Hi!\n")
    doc = ce.read_document(path, roster=roster, site="Northside", date="2026-02-10")
    assert doc.text == "PR-N1: Hi [CC-N].\n\nCC-N: Hi!"
    assert [(s.speaker, s.role, s.site) for s in doc.segments] == [
        ("PR-N1", "peer_researcher", "Northside"), ("CC-N", "community_coordinator", "Northside")]
    assert doc.site == "Northside" and doc.date == "2026-02-10" and doc.kind == "transcript"
    assert doc.segment_text(doc.segments[0]) == "Hi [CC-N]."
    _check_offsets(doc)


def test_markdown_notes_with_front_matter(tmp_path, roster):
    md = ("---\ndate: 2026-03-14\nsite: Northside\nobserver: Sam Okafor\nactivity: Drop-in\n---\n\n"
          "# Drop-in observation\n\n## 10:00 Arrival\n\nThe room was cold. Grace was in her coat.\n\n"
          "Second paragraph.\n\n## 10:30 Talk\n\n\"It wasn't hard,\" said one woman.\n")
    doc = ce.read_document(write(tmp_path / "obs.md", md), roster=roster)
    assert doc.kind == "observation" and doc.site == "Northside" and doc.date == "2026-03-14"
    assert doc.title == "Drop-in observation"
    assert doc.metadata["observer"] == "AC-2" and doc.metadata["activity"] == "Drop-in"
    assert [s.metadata["heading"] for s in doc.segments] == ["10:00 Arrival", "10:30 Talk"]
    assert doc.segment_text(doc.segments[0]) == (
        "10:00 Arrival\nThe room was cold. [CC-N] was in her coat.\n\nSecond paragraph.")
    _check_offsets(doc)


def test_malformed_front_matter_names_the_line(tmp_path):
    path = write(tmp_path / "obs.md", "---\ndate: 2026-03-14\nsite: [unclosed\n---\n\n## A\ntext\n")
    with pytest.raises(ParseError) as info:
        ce.read_document(path)
    assert info.value.line is not None and "front matter" in str(info.value)


def _docx(path, paragraphs):
    import docx

    d = docx.Document()
    for style, text in paragraphs:
        if style == "h1":
            d.add_heading(text, level=1)
        elif style == "h2":
            d.add_heading(text, level=2)
        else:
            d.add_paragraph(text)
    d.save(str(path))
    return path


def test_docx_transcript_name_colon(tmp_path):
    path = _docx(tmp_path / "w.docx", [("h1", "Eastfield workshop 1"), ("p", "Karen Whitworth: It was cold."),
                                       ("p", "Dave Platt: Freezing, Karen."), ("p", "Karen Whitworth: Ha.")])
    doc = ce.read_document(path)
    assert doc.title == "Eastfield workshop 1"
    assert [s.speaker for s in doc.segments] == ["Unlisted 1", "Unlisted 2", "Unlisted 1"]
    _check_offsets(doc)


def test_docx_otter_export_with_soft_breaks(tmp_path):
    path = _docx(tmp_path / "o.docx", [("p", "Jane Doe  0:03\nWelcome."), ("p", "Ali Khan  0:09"),
                                       ("p", "Thanks."), ("p", "Transcribed by https://otter.ai")])
    doc = ce.read_document(path, kind="transcript")
    assert [doc.segment_text(s) for s in doc.segments] == ["Welcome.", "Thanks."]
    assert [s.time_start for s in doc.segments] == [3.0, 9.0]


def test_docx_transcript_as_a_table(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Interview", level=1)
    table = d.add_table(rows=0, cols=3)
    for row in [("Time", "Speaker", "Text"), ("00:00:01", "Jane Doe", "Hello."),
                ("00:00:04", "Ali Khan", "Hi, the bus\nwas late."), ("00:00:09", "Jane Doe", "Oh no.")]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    d.save(str(tmp_path / "t.docx"))
    doc = ce.read_document(tmp_path / "t.docx")
    assert [(s.speaker, doc.segment_text(s), s.time_start) for s in doc.segments] == [
        ("Unlisted 1", "Hello.", 1.0), ("Unlisted 2", "Hi, the bus was late.", 4.0), ("Unlisted 1", "Oh no.", 9.0)]


def test_docx_notes_with_headings_and_metadata_lines(tmp_path):
    path = _docx(tmp_path / "n.docx", [("h1", "Observation"), ("p", "Date: 2026-03-19"), ("p", "Site: Millbrook"),
                                       ("h2", "10:00 Arrival"), ("p", "Tea was made."),
                                       ("h2", "11:00 Cooking"), ("p", "Everyone joined in.")])
    doc = ce.read_document(path, kind="observation")
    assert doc.site == "Millbrook" and doc.date == "2026-03-19"
    assert [s.metadata["heading"] for s in doc.segments] == ["10:00 Arrival", "11:00 Cooking"]


def test_plain_text_notes_become_paragraph_segments(tmp_path):
    doc = ce.read_document(write(tmp_path / "n.txt", "Observer: Sam\n\nFirst para\nwraps.\n\nSecond."),
                           kind="notes")
    assert [doc.segment_text(s) for s in doc.segments] == ["First para wraps.", "Second."]


def test_survey_csv_one_segment_per_response(tmp_path):
    csv_text = ('response_id,site,role,question,response\n'
                'r1,Northside,peer_researcher,What helped?,"The bus fares, paid upfront."\n'
                'r2,Eastfield,community_member,What got in the way?,"The cold hall; ""freezing"", honestly."\n'
                'r3,Eastfield,community_member,What changed?,\n')
    doc = ce.read_document(write(tmp_path / "s.csv", csv_text))
    assert doc.kind == "survey"
    assert [doc.segment_text(s) for s in doc.segments] == [
        "The bus fares, paid upfront.", 'The cold hall; "freezing", honestly.']
    assert [(s.site, s.role, s.metadata["question"]) for s in doc.segments] == [
        ("Northside", "peer_researcher", "What helped?"), ("Eastfield", "community_member", "What got in the way?")]


def test_survey_xlsx_and_named_text_column(tmp_path):
    import pandas as pd

    path = tmp_path / "s.xlsx"
    pd.DataFrame({"id": ["a", "b"], "notes": ["short", "tiny"], "answer_text": ["Longer answer one.", "Two."]}
                 ).to_excel(path, index=False)
    doc = ce.read_document(path, text_column="answer_text")
    assert [doc.segment_text(s) for s in doc.segments] == ["Longer answer one.", "Two."]
    with pytest.raises(ParseError, match="no column 'missing'"):
        ce.read_document(path, text_column="missing")


@pytest.mark.parametrize("name, content, error, words", [
    ("x.pdf", b"%PDF-1.4", FormatError, ".vtt"),
    ("empty.txt", b"", EmptyDocumentError, "empty"),
    ("blank.vtt", b"  \n\n", EmptyDocumentError, "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", FormatError, "PNG image"),
    ("renamed.txt", b"PK\x03\x04\x14\x00\x06\x00", FormatError, "wrong name"),
    ("noise.txt", bytes(range(256)) * 4, FormatError, "binary"),
    ("bad.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHi\n", ParseError, "line 3"),
    ("nohead.vtt", b"00:00:01.000 --> 00:00:02.000\nHi\n", ParseError, "WEBVTT"),
    ("fake.docx", b"this is not a zip", FormatError, ".docx"),
])
def test_bad_files_raise_clear_errors(tmp_path, name, content, error, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as info:
        ce.read_document(path)
    message = str(info.value)
    assert name in message and words in message
    assert isinstance(info.value, CoevalError)


def test_caption_files_saved_as_text_are_read_as_captions(tmp_path):
    vtt = ce.read_document(write(tmp_path / "c.txt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: Hi\n"))
    srt = ce.read_document(write(tmp_path / "s.txt", "1\n00:00:01,000 --> 00:00:02,000\nAnn Lee: Hi\n"))
    for doc in (vtt, srt):
        assert doc.segments[0].time_start == 1.0 and doc.segment_text(doc.segments[0]) == "Hi"


def test_mostly_utf8_with_a_damaged_byte_keeps_its_accents(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes("Ann: Café crème\nBob: Olé \u2013 ok\n".encode("utf-8").replace(b" ok", b" \x81ok"))
    with pytest.warns(ce.errors.CoevalWarning, match="not valid UTF-8"):
        doc = ce.read_document(path)
    assert "Café crème" in doc.text and "Olé" in doc.text


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="does not exist"):
        ce.read_document(tmp_path / "nope.vtt")


def test_unknown_kind_lists_kinds(tmp_path):
    with pytest.raises(FormatError, match="transcript, observation"):
        ce.read_document(write(tmp_path / "a.txt", "Ann: hi\nBob: yo\n"), kind="interview")


def test_a_folder_of_files_as_people_save_them(tmp_path):
    import docx

    from conftest import SAMPLE

    folder = tmp_path / "mixed"
    folder.mkdir()
    lines = (SAMPLE / "northside" / "workshop2.txt").read_text().splitlines()
    (folder / "interview3.txt").write_text("\n".join(lines) + "\n")
    word = docx.Document()
    for line in lines:
        word.add_paragraph(line)
    word.save(folder / "interview3.docx")  # the same interview, saved twice
    write(folder / "otter_export.md", "Helen Carter  0:03\nWelcome, everyone.\n\nSam Okafor  0:09\nThanks.\n\n"
                                      "Helen Carter  0:15\nLet us begin with the bus.\n")
    write(folder / "zoom_export", "Helen Carter: Welcome.\nSam Okafor: Thanks, the bus was late.\n"
                                  "Helen Carter: Then let us begin.\n")
    write(folder / "README.txt", "README\nThis folder holds transcripts.\nColumns: id, name: text\nAuthor: Helen\n")
    write(folder / "data_dictionary.txt", "variable: meaning\nid: participant id\nsite: site name\n")
    p = ce.Project()
    result = p.ingest(folder, progress=False)
    table = result.to_frame().set_index("file_or_id")
    assert table.loc["README.txt", "status"] == "skipped" and "read-me" in table.loc["README.txt", "message"]
    assert table.loc["data_dictionary.txt", "status"] == "skipped"
    assert table.loc["interview3-2", "status"] == "flagged" and "interview3" in table.loc["interview3-2", "message"]
    kinds = p.documents.set_index("document_id")["kind"]
    assert kinds["otter-export"] == "transcript" and kinds["zoom-export"] == "transcript"
    assert p.document("otter-export").segments[2].time_start == 15.0


def test_twins_are_found_by_content_and_a_shared_scripted_opening_is_not_a_twin(monkeypatch):
    import difflib
    import random

    from coeval.store.ingesting import _Twins

    compared = []
    matcher = difflib.SequenceMatcher
    monkeypatch.setattr(difflib, "SequenceMatcher", lambda *a, **k: compared.append(1) or matcher(*a, **k))
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(3000)]
    opening = ("thank you for joining this session is recorded for the evaluation and you can stop at any time "
               "nothing you say will be shared with your name on it do you agree to take part")
    docs = [" ".join([opening] + rng.choices(vocab, k=400)) for _ in range(200)]
    twins = _Twins()
    found = [twins.check(type("D", (), {"id": f"site{i}-session", "text": t})) for i, t in enumerate(docs)]
    assert found == [None] * 200   # the same 36-word opening, different sessions: no twin
    assert len(compared) < 200     # not every pair (19,900) compared word by word: a large ingest stays linear
    # the same record saved again under another name, with a header the other lacks: found
    again = type("D", (), {"id": "copy-of-site7", "text": "Transcript exported 3 May\n" + docs[7]})
    assert twins.check(again) == "site7-session"
    long = " ".join(rng.choices(vocab, k=2500))   # a long interview, then copies with a header in front
    assert twins.check(type("D", (), {"id": "interview", "text": long})) is None
    for words, earlier in ((60, {"interview"}), (120, {"interview", "export-60"})):   # a title block, an export header
        header = " ".join(rng.choices(vocab, k=words))
        assert twins.check(type("D", (), {"id": f"export-{words}", "text": f"{header}\n{long}"})) in earlier
