"""Hostile and messy input: a clean error or a right answer, never a silent privacy hole."""

from __future__ import annotations

import shutil
import time

import pytest

import coeval as ce
from coeval.errors import CodebookError, ReportError, RosterError
from coeval.report import ReportConfig

from conftest import SAMPLE, write


@pytest.mark.parametrize("value", ["false", "no", "False", 0, "0"])
def test_a_quoted_false_never_turns_the_privacy_gate_off(tmp_path, value):
    path = write(tmp_path / "report.yaml", f"allow_names: {value!r}\n" if isinstance(value, str) else
                 f"allow_names: {value}\n")
    with pytest.raises(ReportError, match="'allow_names' must be true or false") as err:
        ReportConfig.load(path)
    assert err.value.path is not None and "without quotes" in err.value.hint


@pytest.mark.parametrize("setting, message", [
    ("quotes_per_theme: '3'", "'quotes_per_theme' must be a whole number"),
    ("sections: summary", "'sections' must be a list of names"),
    ("jargon: [a, b]", "'jargon' must be a mapping"),
    ("title: [1, 2]", "'title' must be text"),
])
def test_every_report_setting_is_checked_by_type(tmp_path, setting, message):
    with pytest.raises(ReportError, match=message):
        ReportConfig.load(write(tmp_path / "report.yaml", setting + "\n"))


def test_yaml_alias_bombs_are_refused_fast(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(12))
    started = time.perf_counter()
    with pytest.raises(ReportError, match="aliases") as err:
        ReportConfig.load(write(tmp_path / "report.yaml", bomb))
    assert err.value.line == 2
    with pytest.raises(CodebookError, match="aliases"):
        ce.Codebook.from_yaml(write(tmp_path / "cb.yaml", "name: x\ncodes:\n- &c {name: a}\n- *c\n"))
    deep = "a: " + "[" * 500 + "]" * 500 + "\n"
    with pytest.raises(ReportError, match="nest"):
        ReportConfig.load(write(tmp_path / "deep.yaml", deep))
    assert time.perf_counter() - started < 5


def test_two_rosters_in_a_manifest_are_both_used(tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    people = (folder / "roster.csv").read_text().splitlines()
    head, rows = people[0], people[1:]
    (folder / "roster_a.csv").write_text("\n".join([head] + rows[: len(rows) // 2]) + "\n")
    (folder / "roster_b.csv").write_text("\n".join([head] + rows[len(rows) // 2:]) + "\n")
    manifest = (folder / "manifest.csv").read_text().replace("roster.csv,roster,,,,Participant roster,\n",
                                                             "roster_a.csv,roster,,,,first half,\n"
                                                             "roster_b.csv,roster,,,,second half,\n")
    (folder / "manifest.csv").write_text(manifest)
    (folder / "roster.csv").unlink()
    split, whole = ce.Project(), ce.Project()
    split.ingest(folder, progress=False)
    whole.ingest(SAMPLE, progress=False)
    assert split.texts() == whole.texts()


@pytest.mark.parametrize("rows, message, line", [
    ("Amina Yusuf,Grace\nGrace Mensah,CC-1\n", "is also a participant's first name or surname", 2),
    ("Amina Yusuf,Mensah\nGrace Mensah,CC-1\n", "is also a participant's first name or surname", 2),
    ("Amina Yusuf,PR-1\nAmina Yusuf,PR-2\n", "the same person is listed twice", 3),
    ("Amina Yusuf,PR-1\nGrace Mensah,PR-1\n", "given to two people", 3),
])
def test_rosters_that_would_leak_a_name_are_refused(tmp_path, rows, message, line):
    path = write(tmp_path / "roster.csv", "name,pseudonym\n" + rows)
    with pytest.raises(RosterError, match=message) as err:
        ce.Roster.from_csv(path)
    assert err.value.line == line


ROSTER = ("name,pseudonym,role,site\nAmina Yusuf,PR-1,peer_researcher,North\n"
          "Grace Mensah,CC-1,community_coordinator,North\n")


def test_front_matter_lists_mappings_dates_and_binary_are_pseudonymised_and_stored(tmp_path):
    note = ("---\ndate: 2026-03-14\nattendees: [Amina Yusuf, Grace Mensah]\ncontact: {name: Grace Mensah, "
            "phone: 07700 900123}\nwhen: 2026-03-14T10:00:00\ntags: !!set {a, b}\nblob: !!binary aGVsbG8=\n---\n"
            "# Arrival\nAmina set out the chairs.\n")
    p = ce.Project()
    p.ingest(write(tmp_path / "obs.md", note), roster=write(tmp_path / "roster.csv", ROSTER), kind="observation",
             progress=False)
    meta = p.document("obs").metadata
    assert meta["attendees"] == ["PR-1", "CC-1"] and meta["contact"] == {"name": "CC-1", "phone": "[phone]"}
    assert meta["tags"] == ["a", "b"] and meta["blob"] == "(binary data left out)"
    assert meta["when"].startswith("2026-03-14T10:00")
    assert p.document("obs").date == "2026-03-14"


def test_names_in_file_names_never_become_ids_or_sources(tmp_path):
    p = ce.Project()
    p.ingest(write(tmp_path / "amina_yusuf_interview.txt", "Speaker 1: It was fine.\nSpeaker 2: Thanks.\n"),
             roster=write(tmp_path / "roster.csv", ROSTER), kind="transcript", progress=False)
    doc = p.documents.iloc[0]
    assert doc["document_id"] == "pr-1-interview" and doc["source"] == "PR-1_interview.txt"
    assert all(s.startswith("pr-1-interview:") for s in p.segments["segment_id"])
    assert "amina" not in (doc["title"] + doc["document_id"] + doc["source"]).casefold()


def test_re_ingesting_with_a_roster_replaces_an_uncoded_document(tmp_path):
    text = "Amina Yusuf: The bus was late.\nGrace Mensah: Grace here, it cost a lot.\n"
    path = write(tmp_path / "w.txt", text)
    p = ce.Project()
    p.ingest(path, kind="transcript", progress=False)  # forgot the roster
    again = p.ingest(path, kind="transcript", progress=False)
    assert again.unchanged == ["w.txt"]  # without replace, the same file is a no-op
    result = p.ingest(path, roster=write(tmp_path / "roster.csv", ROSTER), kind="transcript", replace=True,
                      progress=False)
    assert result.added == ["w"] and len(p.documents) == 1
    assert "Grace here" not in p.document("w").text and "[CC-1] here" in p.document("w").text
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    p.code("w:1", "Transport and travel costs", coder="AC-1")
    with pytest.raises(ce.CoevalError, match="has 1 coding, so its text cannot change") as err:
        p.ingest(path, roster=tmp_path / "roster.csv", kind="transcript", replace=True, progress=False)
    assert "without replace=True" in err.value.hint


def test_parse_errors_name_the_file_by_its_pseudonymised_name_and_never_quote_the_text(tmp_path):
    folder = tmp_path / "in"
    write(folder / "ok.txt", "Speaker 1: fine.\n")
    write(folder / "grace_mensah_workshop.srt", "1\n00:00:01,000 --> 00:00:02,000\nhello\n\n"
                                               "Grace lives at 12 Elm Road\nmore\n")
    write(folder / "roster.csv", ROSTER)
    p = ce.Project()
    result = p.ingest(folder, roster=folder / "roster.csv", on_error="skip", progress=False)
    (label, message), = result.failed
    assert label == "CC-1_workshop.srt" and "line 5" in message
    stored = p.ingest_errors
    assert stored["file"].tolist() == ["CC-1_workshop.srt"]
    everything = " ".join(stored.astype(str).to_numpy().ravel()) + message
    assert "Elm Road" not in everything and "Grace" not in everything and str(tmp_path) not in everything
    with pytest.raises(ce.CoevalError) as err:
        ce.Project().ingest(folder, roster=folder / "roster.csv", progress=False)
    assert err.value.path == "CC-1_workshop.srt" and "Elm Road" not in str(err.value)


def _coded(tmp_path, text, *, codebook=None):
    p = ce.Project()
    p.ingest(write(tmp_path / "w.txt", text), kind="transcript", progress=False)
    p.codebook = codebook or ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    for seg in p.segments["segment_id"]:
        p.code(seg, next(iter(p.codebook.ordered())).name, coder="AC-1")
    return p


def test_control_characters_are_removed_at_ingest_and_never_break_exports(tmp_path):
    from openpyxl import load_workbook

    p = _coded(tmp_path, "Speaker 1: The bus\x1b[31m was late\x07 again.\nSpeaker 2: Tea\x0c was nice.\n")
    assert "\x1b" not in p.document("w").text and "\x07" not in p.document("w").text
    assert "The bus[31m was late again." in p.document("w").text
    sheet = p.export_sheet(tmp_path / "s.xlsx", coder="AC-1")
    assert load_workbook(sheet)["Coding"]["F2"].value.startswith("The bus")
    from coeval.report import Report

    Report(p, config={"date": "1 May 2026"}).to_docx(tmp_path / "r.docx")
    assert (tmp_path / "r.docx").stat().st_size > 1000


@pytest.mark.parametrize("answer", ["=HYPERLINK(\"http://x\",\"click\")", "+44 7700", "-2 buses each way",
                                    "@SUM(A1)", "\t=1+1"])
def test_text_that_looks_like_a_formula_stays_text_and_comes_back_unchanged(tmp_path, answer):
    from openpyxl import load_workbook

    p = ce.Project()
    p.ingest(write(tmp_path / "survey.csv", f"response\n\"{answer.replace(chr(34), chr(34) * 2)}\"\nfine\n"),
             kind="survey", progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    seg = p.segments["segment_id"].iloc[0]
    stored = p.segments["text"].iloc[0]
    p.code(seg, "Transport and travel costs", coder="AC-1", memo=answer)
    sheet = p.export_sheet(tmp_path / "s.xlsx", coder="AC-1")
    cells = [c for row in load_workbook(sheet)["Coding"].iter_rows() for c in row if c.value == stored]
    assert cells and all(c.data_type == "s" for c in cells)
    assert p.import_sheet(sheet).unchanged == 1  # the untouched sheet reads back
    out = p.export_codings(tmp_path / "c.csv")
    import csv

    memo = p.codings["memo"].iloc[0]
    assert memo.lstrip().startswith(("=", "+", "-", "@"))
    row = next(csv.DictReader((tmp_path / "c.csv").open()))
    assert row["memo"] == "'" + memo  # escaped in the file, so a spreadsheet shows it as text
    back = ce.Project()
    back.ingest(tmp_path / "survey.csv", kind="survey", progress=False)
    back.codebook = ce.Codebook.template("coeval")
    assert back.import_codings(tmp_path / "c.csv") == 1
    assert back.codings["memo"].iloc[0] == memo == out["memo"].iloc[0]


def test_a_report_of_a_project_without_dimensions_or_with_dollars_renders(tmp_path):
    from coeval.report import Report

    cb = ce.Codebook("Imported")
    cb.add("Costs of $5 and $6 a trip")
    cb.add("Kind staff")
    p = _coded(tmp_path, "Speaker 1: The fare was $5 and $6 back.\nSpeaker 2: Staff were kind.\n"
                         "Speaker 1: The fare again.\n", codebook=cb)
    p.themes.add("Money: $5 and $6", ["Costs of $5 and $6 a trip"], by="AC-1")
    html = Report(p, config={"date": "1 May 2026"}).to_html()
    assert "$5 and $6" in html
    Report(p, config={"date": "1 May 2026"}).to_docx(tmp_path / "r.docx")
    fig = ce.cooccurrence(p)
    from coeval.thematic import cooccurrence_figure

    cooccurrence_figure(fig).savefig(tmp_path / "g.png")


@pytest.mark.parametrize("content, message", [
    ("", "is empty"), ("segment_id,code,coder\nw:1,Transport and travel costs,AC-1\n", None),
    ("document_id,start,end,code,coder\nw,0,inf,Transport and travel costs,AC-1\n", "bad offsets"),
    ("segment_id,code,coder\n,Transport and travel costs,AC-1\n", "has no segment_id, nor document_id"),
])
def test_codings_tables_that_are_empty_or_wrong_get_a_clean_error(tmp_path, content, message):
    p = _coded(tmp_path, "Speaker 1: The bus.\n")
    path = write(tmp_path / "c.csv", content)
    if message is None:
        assert p.import_codings(path) == 1
        return
    with pytest.raises(ce.CoevalError, match=message):
        p.import_codings(path)
    with pytest.raises(ce.CoevalError, match="is a folder"):
        p.import_codings(tmp_path)


def test_importing_into_a_project_adds_codes_and_retires_none(tmp_path):
    from coeval.interop import read_qdpx, write_qdpx

    source = _coded(tmp_path, "Speaker 1: The bus was late.\n")
    source.codebook.add("Bus passes", parent="Feasibility enablers", polarity="enabler", by="AC-1")
    source.codebook.edit("Payment problems", definition="Anything about money.", by="AC-1")
    out = write_qdpx(source, tmp_path / "out.qdpx")
    target = ce.Project()
    target.codebook = ce.Codebook.template("coeval")
    before = set(target.codebook.to_frame()["name"])
    read_qdpx(out, into=target)
    after = target.codebook.to_frame(retired=True)
    assert set(after.loc[after["status"] == "active", "name"]) == before | {"Bus passes"}
    assert target.codebook["Payment problems"].definition != "Anything about money."
    assert ("Payment problems", "definition") in target.import_report.code_clashes


def _bomb(path, name, size):
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(name, b"<a>" + b" " * size + b"</a>")
    return path


@pytest.mark.parametrize("suffix, member", [(".docx", "word/document.xml"), (".xlsx", "xl/worksheets/sheet1.xml"),
                                            (".qdpx", "project.qde")])
def test_zip_bombs_are_refused_before_any_reader_expands_them(tmp_path, suffix, member):
    path = _bomb(tmp_path / f"bomb{suffix}", member, 300 * 1024 ** 2)  # 300 MB of spaces: ~300 KB zipped
    assert path.stat().st_size < 2 * 1024 ** 2
    started = time.perf_counter()
    with pytest.raises(ce.CoevalError, match="zip bomb|expand"):
        if suffix == ".qdpx":
            from coeval.interop import read_qdpx

            read_qdpx(path)
        else:
            ce.Project().ingest(path, kind="transcript" if suffix == ".docx" else "survey", progress=False)
    assert time.perf_counter() - started < 10
    # a small entry with a high ratio (a short document of spaces) is no bomb
    small = _bomb(tmp_path / f"small{suffix}", member, 60 * 1024)
    from coeval.files.archives import check_office_file

    check_office_file(small)


def test_huge_fields_and_paths_outside_the_folder_get_clean_errors(tmp_path):
    big = "x" * (10 * 1024 ** 2)
    with pytest.raises(RosterError, match="not a well-formed CSV") as err:
        ce.Roster.from_csv(write(tmp_path / "roster.csv", f"name,pseudonym\n\"{big}\",PR-1\n"))
    assert err.value.line == 2
    folder = tmp_path / "in"
    write(folder / "manifest.csv", f"file,kind\n\"{big}\",transcript\n")
    with pytest.raises(ce.CoevalError, match="not a well-formed CSV"):
        ce.Project().ingest(folder, progress=False)
    for outside in ("../secret.txt", "/etc/passwd", "sub/../../x.txt"):
        write(folder / "manifest.csv", f"file,kind\n{outside},transcript\n")
        with pytest.raises(ce.CoevalError, match="outside the manifest's folder") as err:
            ce.Project().ingest(folder, progress=False)
        assert err.value.line == 2


def test_a_busy_project_says_so_and_saves_nothing(tmp_path, monkeypatch):
    import sqlite3

    import coeval.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "p.coeval"
    with ce.Project.create(path) as p:
        p.ingest(write(tmp_path / "w.txt", "Speaker 1: The bus.\n"), kind="transcript", progress=False)
        p.codebook = ce.Codebook.template("coeval")
        p.add_coder("AC-1", "academic")
    p = ce.Project.open(path, readonly=False)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another coder's long write
    with pytest.raises(ce.CoevalError, match="is busy.*Nothing was saved"):
        p.code("w:1", "Transport and travel costs", coder="AC-1")
    other.execute("ROLLBACK")
    other.close()
    p.close()
    with ce.Project.open(path) as p:
        assert p.codings.empty
        p.code("w:1", "Transport and travel costs", coder="AC-1")
        assert len(p.codings) == 1


def test_a_project_in_a_read_only_folder_can_be_read_and_reported(tmp_path):
    import os
    import stat

    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "p.coeval"
    with ce.Project.create(path) as p:
        p.ingest(write(tmp_path / "w.txt", "Speaker 1: The bus was late.\n"), kind="transcript", progress=False)
    with ce.Project.open(path, readonly=True) as p:
        assert p.readonly and len(p.documents) == 1
        with pytest.raises(ce.CoevalError, match="read-only"):
            p.add_coder("AC-1", "academic")
    before = sorted(os.listdir(folder))
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    path.chmod(stat.S_IRUSR)
    try:
        if os.access(folder, os.W_OK):  # root ignores permissions; the explicit case above still held
            return
        with ce.Project.open(path) as p:  # read-only by itself
            assert p.readonly and p.document("w").text.startswith("Speaker 1")
        assert sorted(os.listdir(folder)) == before
    finally:
        folder.chmod(stat.S_IRWXU)
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_an_export_to_a_full_disk_is_a_clean_error_and_leaves_nothing(tmp_path, monkeypatch):
    import errno
    import os

    p = _coded(tmp_path, "Speaker 1: The bus.\n")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(ce.CoevalError, match="the disk is full"):
        p.export_sheet(tmp_path / "s.xlsx", coder="AC-1")
    with pytest.raises(ce.CoevalError, match="the disk is full"):
        p.export_codings(tmp_path / "c.csv")
    assert sorted(x.name for x in tmp_path.iterdir() if x.suffix in (".xlsx", ".csv", ".part")) == []


def test_a_coder_renamed_to_a_participant_in_a_sheet_is_refused(tmp_path):
    from openpyxl import load_workbook

    p = _coded(tmp_path, "Speaker 1: The bus was late.\n")
    p.ingest(write(tmp_path / "x.txt", "Speaker 1: The fare.\n"), roster=write(tmp_path / "roster.csv", ROSTER),
             kind="transcript", progress=False)
    sheet = p.export_sheet(tmp_path / "s.xlsx", coder="AC-1")
    wb = load_workbook(sheet)
    about = wb["About"]
    for row in about.iter_rows():
        if row[0].value == "coder":
            row[1].value = "Grace Mensah"
    wb.save(sheet)
    with pytest.raises(ce.CoevalError, match="participant's name"):
        p.import_sheet(sheet)
    assert "Grace Mensah" not in set(p.coders["coder"])


def test_a_report_of_an_imported_project_renders(tmp_path):
    from coeval.interop import read_qdpx, write_qdpx
    from coeval.report import Report

    source = _coded(tmp_path, "Speaker 1: The bus was late.\nSpeaker 2: Tea was nice.\nSpeaker 1: Late again.\n")
    imported = read_qdpx(write_qdpx(source, tmp_path / "p.qdpx"))
    assert all(not c.dimensions for c in imported.codebook.ordered())  # .qdpx carries no dimensions
    html = Report(imported, config={"date": "1 May 2026"}).to_html()
    assert "<html" in html
    Report(imported, config={"date": "1 May 2026"}).to_pdf(tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"


def _nested(levels: int):
    value = "x"
    for _ in range(levels):
        value = [value]
    return value


def test_libyaml_and_pyyaml_read_yaml_alike(monkeypatch):
    """The fast path (libyaml, after a check of its events) and PyYAML's own loader agree on
    values and on what they refuse."""
    import yaml

    from coeval.files import yamlsafe

    text = (SAMPLE / "codebook.yaml").read_text(encoding="utf-8")
    fast = yamlsafe.load_yaml(text)
    fast_node = yamlsafe.compose_yaml(text)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert yamlsafe.load_yaml(text) == fast
    assert yamlsafe.compose_yaml(text).value[0][0].start_mark.line == fast_node.value[0][0].start_mark.line
    at_limit = "[" * (yamlsafe.MAX_DEPTH - 1) + "x" + "]" * (yamlsafe.MAX_DEPTH - 1)   # the scalar is level 64
    over = "[" * yamlsafe.MAX_DEPTH + "x" + "]" * yamlsafe.MAX_DEPTH
    monkeypatch.setattr(yaml, "__with_libyaml__", True)
    assert yamlsafe.load_yaml(at_limit) == _nested(yamlsafe.MAX_DEPTH - 1)
    with pytest.raises(ce.CoevalError, match="nesting"):
        yamlsafe.load_yaml(over)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert yamlsafe.load_yaml(at_limit) == _nested(yamlsafe.MAX_DEPTH - 1)
    with pytest.raises(ce.CoevalError, match="nesting"):
        yamlsafe.load_yaml(over)
    for bad, problem in (("a: &x 1\nb: *x\n", "aliases"), ("a: " + "[" * 80 + "]" * 80 + "\n", "nesting")):
        with pytest.raises(ce.CoevalError, match=problem):
            yamlsafe.load_yaml(bad)
