"""REFI-QDA and QualCoder exchange: XSD validity, round trips, each tool's positions, hostile files."""

from __future__ import annotations

import sqlite3
import unicodedata
import zipfile

import pytest

import coeval as ce
from coeval.errors import CoevalWarning, FormatError
from coeval.interop import read_qdpx, read_qualcoder, write_qdpx

from conftest import write

NS = "urn:QDA-XML:project:1.0"
TEXT = ("Interviewer: How was the bus? 🚌\n"
        "Zoë: It wasn’t hard, but the fare – £4 – adds up 😅.\n"
        "Interviewer: And the interpreter?\n"
        "Zoë: She helped a lot.\n")
PHRASES = ["It wasn’t hard", "the fare – £4 – adds up", "She helped a lot"]


def _qdpx(path, *, origin, raw_text, positions, folder="sources", encoding="utf-8-sig", inline=False):
    """A small .qdpx in the style of a tool: its origin, text encoding, folder and positions."""
    guid = "B1A2C3D4-0000-4000-8000-00000000000A"
    sels = "".join(
        f'<PlainTextSelection guid="{guid[:-2]}{i:02d}" startPosition="{s}" endPosition="{e}" creatingUser="U1">'
        f'<Description>memo {i}</Description>'
        f'<Coding guid="C0D1{i:04d}-0000-4000-8000-000000000000" creatingUser="U1"><CodeRef targetGUID="K{i % 2}"/>'
        f'</Coding></PlainTextSelection>' for i, (s, e) in enumerate(positions))
    content = (f"<PlainTextContent>{raw_text}</PlainTextContent>" if inline else "")
    path_attr = "" if inline else f' plainTextPath="internal://{guid}.txt"'
    qde = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="t" origin="{origin}">'
           f'<Users><User guid="U1" name="Ayesha"/></Users>'
           f'<CodeBook><Codes><Code guid="K0" name="Transport" isCodable="true" color="#FF0000">'
           f'<Description>Getting there</Description><Code guid="K1" name="Help" isCodable="true"/></Code>'
           f'</Codes></CodeBook>'
           f'<Sources><TextSource guid="{guid}" name="Interview 1"{path_attr}>{content}{sels}</TextSource>'
           f'</Sources></Project>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde.encode("utf-8"))
        if not inline:
            zf.writestr(f"{folder}/{guid}.txt", raw_text.encode(encoding))
    return path


def _utf16(text, index):
    return index + sum(1 for c in text[:index] if ord(c) > 0xFFFF)


def _check(proj):
    doc = proj.documents["document_id"].iloc[0]
    text = proj.texts()[doc]
    got = sorted(proj.codings["text"].tolist())
    assert got == sorted(PHRASES), got
    assert unicodedata.is_normalized("NFC", text) and "\r" not in text
    return proj


def test_nvivo_windows_utf16_units_bom_crlf_and_capital_sources(tmp_path):
    raw = TEXT.replace("\n", "\r\n")
    spans = [(_utf16(raw, raw.index(p)), _utf16(raw, raw.index(p) + len(p))) for p in PHRASES]
    path = _qdpx(tmp_path / "nvivo.qdpx", origin="NVivo 12.6 (Windows)", raw_text=raw, positions=spans,
                 folder="Sources")
    proj = _check(read_qdpx(path))
    assert proj.import_report.units == {"Interview 1": "utf16"}
    assert set(proj.codings["coder"]) == {"Ayesha"} and set(proj.codings["memo"]) >= {"memo 0"}
    assert proj.codebook.path("Help") == "Transport / Help" and proj.codebook["Transport"].color == "#FF0000"


def test_atlas_ti_counts_a_crlf_once(tmp_path):
    raw = TEXT.replace("\n", "\r\n")
    lf = TEXT
    spans = [(lf.index(p), lf.index(p) + len(p)) for p in PHRASES]
    proj = _check(read_qdpx(_qdpx(tmp_path / "atlas.qdpx", origin="ATLAS.ti 23.2.3 (Windows)", raw_text=raw,
                                  positions=spans)))
    assert proj.import_report.units == {"Interview 1": "crlf1"}


def test_standard_code_points_with_crlf_maxqda_style(tmp_path):
    raw = TEXT.replace("\n", "\r\n")
    spans = [(raw.index(p), raw.index(p) + len(p)) for p in PHRASES]
    _check(read_qdpx(_qdpx(tmp_path / "maxqda.qdpx", origin="MAXQDA 24", raw_text=raw, positions=spans,
                           encoding="utf-8")))


def test_control_characters_are_removed_and_positions_still_land(tmp_path):
    """A page break (form feed) and a vertical tab, as text pasted from a PDF carries: removed from
    the stored text, as from every ingested file, and the selections after them still land."""
    raw = ("\x0c" + TEXT.replace("Interviewer: And", "Interviewer:\x0b And")).replace("\n", "\r\n")
    spans = [(raw.index(p), raw.index(p) + len(p)) for p in PHRASES]
    proj = _check(read_qdpx(_qdpx(tmp_path / "pdf.qdpx", origin="MAXQDA 24", raw_text=raw, positions=spans)))
    text = proj.texts()[proj.documents["document_id"].iloc[0]]
    assert "\x0c" not in text and "\x0b" not in text and text.startswith("Interviewer: How")


def test_inline_text_decomposed_accents_and_a_selection_that_does_not_fit(tmp_path):
    raw = unicodedata.normalize("NFD", TEXT)
    spans = [(raw.index(unicodedata.normalize("NFD", p)), raw.index(unicodedata.normalize("NFD", p))
              + len(unicodedata.normalize("NFD", p))) for p in PHRASES] + [(5, 10_000)]
    with pytest.warns(CoevalWarning, match="do not fit"):
        proj = read_qdpx(_qdpx(tmp_path / "qc.qdpx", origin="QualCoder 3.5", raw_text=raw, positions=spans,
                               inline=True))
    _check(proj)
    assert [p[2:4] for p in proj.import_report.problems] == [(5, 10_000)]


def test_write_is_valid_against_the_schema_and_round_trips(sample_dir, tmp_path, shared_testdata):
    from lxml import etree

    proj = ce.Project()
    proj.ingest(sample_dir, progress=False)
    out = write_qdpx(proj, tmp_path / "sample.qdpx")
    schema = etree.XMLSchema(etree.parse(str(shared_testdata / "refi" / "Project.xsd")))
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        qde = etree.fromstring(zf.read("project.qde"))
    assert schema.validate(qde), schema.error_log.last_error
    assert all(n == "project.qde" or (n.startswith("sources/") and n.endswith(".txt")) for n in names)
    back = read_qdpx(out)
    key = lambda f: sorted(zip(f["start"], f["end"], f["code"], f["coder"], f["text"]))  # noqa: E731
    assert key(back.codings) == key(proj.codings)
    assert sorted(back.texts().values()) == sorted(proj.texts().values())
    assert [c.name for c in back.codebook.ordered()] == [c.name for c in proj.codebook.ordered()]


def test_qdc_round_trip(tmp_path):
    cb = ce.Codebook.template("coeval")
    cb.edit("Transport and travel costs", color="#00AA00")
    cb.to_qdc(tmp_path / "c.qdc")
    back = ce.Codebook.from_qdc(tmp_path / "c.qdc")
    assert [back.path(c.name) for c in back.ordered()] == [cb.path(c.name) for c in cb.ordered()]
    assert back["Transport and travel costs"].color == "#00AA00"
    assert back["Transport and travel costs"].definition == cb["Transport and travel costs"].definition


def _qualcoder_db(folder):
    folder.mkdir()
    con = sqlite3.connect(folder / "data.qda")
    con.executescript("""
        create table source (id integer primary key, name text, fulltext text, mediapath text, memo text,
                             owner text, date text, av_text_id integer, risid integer);
        create table code_cat (catid integer primary key, name text, owner text, date text, memo text,
                               supercatid integer);
        create table code_name (cid integer primary key, name text, memo text, catid integer, owner text,
                                date text, color text, supercid integer);
        create table code_text (ctid integer primary key, cid integer, fid integer, seltext text, pos0 integer,
                                pos1 integer, owner text, date text, memo text, avid integer, important integer);
        create table cases (caseid integer primary key, name text, memo text, owner text, date text);
        create table case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer,
                                owner text, date text, memo text);
        create table attribute (attrid integer primary key, name text, attr_type text, value text, id integer,
                                date text, owner text);
    """)
    con.execute("insert into source values (1, 'interview1.txt', ?, null, '', 'amina', '2026', null, null)", (TEXT,))
    con.execute("insert into code_cat values (1, 'Feasibility', 'amina', '2026', 'cat memo', null)")
    con.execute("insert into code_name values (1, 'Transport', 'bus', 1, 'amina', '2026', '#123456', null)")
    con.execute("insert into code_name values (2, 'Fares', '', 1, 'amina', '2026', null, 1)")
    for i, phrase in enumerate(PHRASES):
        s = TEXT.index(phrase)
        con.execute("insert into code_text values (?, ?, 1, ?, ?, ?, ?, '2026-01-01', 'm', null, null)",
                    (i, 1 + i % 2, phrase, s, s + len(phrase), "amina" if i else "sam"))
    con.execute("insert into code_text values (9, 1, 1, 'wrong', 0, 5, 'amina', '2026', '', null, null)")
    con.execute("insert into cases values (1, 'Site A', '', 'amina', '2026')")
    con.execute("insert into case_text values (1, 1, 1, 0, 0, 'amina', '2026', '')")
    con.execute("insert into attribute values (1, 'site', 'file', 'Northside', 1, '2026', 'amina')")
    con.commit()
    return con


def test_qualcoder_project(tmp_path):
    folder = tmp_path / "study.qda"
    _qualcoder_db(folder).close()
    with pytest.warns(CoevalWarning, match="did not match"):
        proj = read_qualcoder(folder)
    _check(proj)
    assert proj.codebook.path("Fares") == "Feasibility / Transport / Fares"
    assert set(proj.coders["coder"]) == {"amina", "sam"}
    meta = proj.documents.iloc[0]
    assert meta["site"] == "Northside" and meta["case"] == "Site A"
    assert len(proj.import_report.problems) == 1


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("entries, words", [
    ({"project.qde": "<Project/>", "../evil.txt": "x"}, "escape"),
    ({"project.qde": "<Project/>", "sources/big.txt": "0" * 60_000_000}, "zip bomb"),
    ({"project.qde": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     '<Project name="&x;"/>'}, "DOCTYPE"),
    ({"project.qde": "<Project><Sources></Project>"}, "not well-formed XML"),
    ({"readme.txt": "hello"}, "no project.qde"),
])
def test_hostile_and_broken_files_get_clear_errors(tmp_path, entries, words):
    path = _zip(tmp_path / "bad.qdpx", entries)
    with pytest.raises(FormatError, match=words):
        read_qdpx(path)
    assert not (tmp_path / "evil.txt").exists()


def test_not_a_zip(tmp_path):
    with pytest.raises(FormatError, match="not a readable zip"):
        read_qdpx(write(tmp_path / "x.qdpx", "plain text"))


def test_cli_import_and_export(tmp_path, capsys):
    from coeval.cli import main

    raw = TEXT.replace("\n", "\r\n")
    spans = [(_utf16(raw, raw.index(p)), _utf16(raw, raw.index(p) + len(p))) for p in PHRASES]
    src = _qdpx(tmp_path / "nvivo.qdpx", origin="NVivo 14", raw_text=raw, positions=spans)
    project = tmp_path / "p.coeval"
    assert main(["import", str(src), "--project", str(project)]) == 0
    assert "3 codings" in capsys.readouterr().out
    assert main(["export", str(project), "--qdpx", str(tmp_path / "out.qdpx")]) == 0
    assert sorted(read_qdpx(tmp_path / "out.qdpx").codings["text"]) == sorted(PHRASES)


def test_positions_are_detected_from_the_selections_when_the_tool_is_unknown(tmp_path):
    raw = TEXT.replace("\n", "\r\n")
    spans = [(_utf16(raw, raw.index(p)), _utf16(raw, raw.index(p) + len(p))) for p in PHRASES]
    proj = _check(read_qdpx(_qdpx(tmp_path / "unknown.qdpx", origin="", raw_text=raw, positions=spans)))
    assert proj.import_report.units == {"Interview 1": "utf16"}
    forced = read_qdpx(_qdpx(tmp_path / "f.qdpx", origin="NVivo", raw_text=raw, positions=spans), positions="utf16")
    assert sorted(forced.codings["text"]) == sorted(PHRASES)


def test_qualcoder_text_that_changes_when_normalised_keeps_its_codings(tmp_path):
    """QualCoder keeps text as pasted (CRLF, a page break, decomposed accents); its code-point
    positions are mapped onto the stored text rather than the source being skipped."""
    raw = "\x0c" + unicodedata.normalize("NFD", TEXT).replace("\n", "\r\n")
    folder = tmp_path / "pasted.qda"
    con = _qualcoder_db(folder)
    con.execute("update source set fulltext = ? where id = 1", (raw,))
    for i, phrase in enumerate(PHRASES):
        phrase = unicodedata.normalize("NFD", phrase)
        con.execute("update code_text set seltext = ?, pos0 = ?, pos1 = ? where ctid = ?",
                    (phrase, raw.index(phrase), raw.index(phrase) + len(phrase), i))
    con.commit()
    con.close()
    with pytest.warns(CoevalWarning, match="1 codings did not match"):
        proj = _check(read_qualcoder(folder))
    assert proj.import_report.skipped_sources == []
    assert "\x0c" not in proj.texts()["interview1"]


def _altered_qualcoder(folder, *statements):
    """A QualCoder project changed by ``statements``, each with one text coding at non-number positions."""
    con = _qualcoder_db(folder)
    coding = "insert into code_text values (10, 1, 1, 'x', 'a', 'b', 'amina', '2026', '', null, null)"
    for sql in (*statements, coding):
        con.execute(sql)
    con.commit()
    con.close()
    return folder


def test_qualcoder_cycles_and_bad_positions_are_clean_errors(tmp_path):
    # Transport under Fares under Transport
    cycle = _altered_qualcoder(tmp_path / "cycle.qda", "update code_name set supercid = 2 where cid = 1")
    with pytest.raises(FormatError, match="codes that contain each other"):
        read_qualcoder(cycle)
    cats = _altered_qualcoder(tmp_path / "cats.qda", "insert into code_cat values (2, 'Sub', 'amina', '2026', '', 3)",
                              "insert into code_cat values (3, 'Super', 'amina', '2026', '', 2)")
    with pytest.raises(FormatError, match="categories that contain each other"):
        read_qualcoder(cats)
    with pytest.warns(CoevalWarning):
        proj = read_qualcoder(_altered_qualcoder(tmp_path / "positions.qda"))
    assert any(p[-1] == "positions are not whole numbers" for p in proj.import_report.problems)


def test_a_partial_export_imports_what_is_there_and_names_what_is_missing(tmp_path):
    path = _qdpx(tmp_path / "partial.qdpx", origin="ATLAS.ti 23", raw_text=TEXT, positions=[(0, 5), (6, 12)])
    # a second source whose file the archive lacks, with a selection on it
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        files = {n: zf.read(n) for n in zf.namelist() if n != "project.qde"}
    extra = ('<TextSource guid="MISSING-0001" name="Interview 2" plainTextPath="internal://MISSING-0001.txt">'
             '<PlainTextSelection guid="S9" startPosition="0" endPosition="4" creatingUser="U1">'
             '<Coding guid="C9" creatingUser="U1"><CodeRef targetGUID="K0"/></Coding></PlainTextSelection>'
             '</TextSource></Sources>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde.replace("</Sources>", extra))
        for name, data in files.items():
            zf.writestr(name, data)
    proj = read_qdpx(path)
    assert len(proj.documents) == 1 and len(proj.codings) == 2 and len(proj.codebook) == 2
    (name, why), = proj.import_report.skipped_sources
    assert name == "Interview 2" and "missing from the archive" in why and "1 selection(s)" in why


def test_codings_of_retired_codes_survive_an_export_and_say_so(tmp_path):
    proj = ce.Project()
    proj.ingest(write(tmp_path / "w.txt", "Speaker 1: The bus was late.\nSpeaker 2: The fare was high.\n"),
                kind="transcript", progress=False)
    proj.codebook = ce.Codebook.template("coeval")
    proj.add_coder("AC-1", "academic")
    proj.code("w:1", "Transport and travel costs", coder="AC-1")
    proj.code("w:2", "Payment problems", coder="AC-1")
    proj.codebook.retire("Payment problems", by="AC-1", why="folded into other codes")
    out = write_qdpx(proj, tmp_path / "out.qdpx")
    report = proj.export_report
    assert report.retired_kept == ["Payment problems"] and report.codings == 2
    assert "kept under 'Retired codes (kept by coeval)'" in str(report)
    back = read_qdpx(out)
    assert sorted(back.codings["code"]) == ["Payment problems", "Transport and travel costs"]
    assert back.codebook.path("Payment problems") == "Retired codes (kept by coeval) / Payment problems"
