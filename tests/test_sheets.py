"""Coding sheets for coders who work in Excel, and tidy codings tables."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

import coeval as ce
from coeval.errors import SheetError

from conftest import write

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: The bus fare was too much.\n\n"
       "00:00:02.000 --> 00:00:04.000\nBob Ray: The interpreter really helped.\n\n"
       "00:00:04.000 --> 00:00:06.000\nAnn Lee: And the childcare.\n")


@pytest.fixture
def proj(tmp_path):
    p = ce.Project()
    p.ingest(write(tmp_path / "w.vtt", VTT), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    return p


def _fill(path, values):
    """Fill cells like a coder would: {(row, header): value}."""
    wb = load_workbook(path)
    ws = wb["Coding"]
    header = [c.value for c in ws[1]]
    for (row, column), value in values.items():
        ws.cell(row=row, column=header.index(column) + 1).value = value
    wb.save(path)


def test_sheet_layout_dropdowns_and_protection(proj, tmp_path):
    path = proj.export_sheet(tmp_path / "amina.xlsx", coder="amina", role="peer_researcher")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Coding", "Codebook", "About"]
    ws = wb["Coding"]
    assert [c.value for c in ws[1]] == ["segment_id", "document_id", "site", "speaker", "role", "text",
                                        "code 1", "code 2", "code 3", "memo"]
    assert ws.cell(row=2, column=1).value == "w:1" and ws.cell(row=2, column=6).value == "The bus fare was too much."
    assert ws.protection.sheet
    assert ws.cell(row=2, column=6).protection.locked and not ws.cell(row=2, column=7).protection.locked
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].type == "list" and "Codebook!$A$2" in dv[0].formula1
    assert "G2:I4" in str(dv[0].sqref)
    book = wb["Codebook"]
    assert book.cell(row=1, column=1).value == "name" and book.max_row == len(proj.codebook) + 1
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["coder"] == "amina" and about["role"] == "peer_researcher"


def test_fill_import_and_reimport_adds_nothing_twice(proj, tmp_path):
    path = proj.export_sheet(tmp_path / "amina.xlsx", coder="amina", role="peer_researcher")
    _fill(path, {(2, "code 1"): "Transport and travel costs", (2, "code 2"): "payment problems",
                 (3, "code 1"): "Interpreters and translation", (3, "memo"): "clearly helped"})
    first = proj.import_sheet(path)
    assert (first.added, first.removed, first.coder) == (3, 0, "amina")
    again = proj.import_sheet(path)
    assert (again.added, again.removed, again.unchanged) == (0, 0, 3)
    codings = proj.codings
    assert sorted(codings["code"]) == ["Interpreters and translation", "Payment problems",
                                       "Transport and travel costs"]
    assert set(codings["role"]) == {"peer_researcher"}
    assert codings.set_index("code").loc["Interpreters and translation", "memo"] == "clearly helped"
    # a fresh export shows what the coder has; taking a code out removes it on import
    path2 = proj.export_sheet(tmp_path / "amina2.xlsx", coder="amina")
    ws = load_workbook(path2)["Coding"]
    assert ws.cell(row=2, column=7).value in ("Payment problems", "Transport and travel costs")
    _fill(path2, {(2, "code 2"): None})
    result = proj.import_sheet(path2)
    assert result.removed == 1 and len(proj.codings) == 2


def test_unknown_code_and_edited_rows_are_errors_naming_the_row(proj, tmp_path):
    path = proj.export_sheet(tmp_path / "a.xlsx", coder="amina", role="peer_researcher")
    _fill(path, {(3, "code 1"): "Interpretors", (2, "code 1"): "Transport and travel costs"})
    with pytest.raises(SheetError) as info:
        proj.import_sheet(path)
    msg = str(info.value)
    assert "row 3: unknown code 'Interpretors'" in msg and "Interpreters and translation" in msg
    assert info.value.line == 3 and proj.codings.empty  # nothing imported
    _fill(path, {(3, "code 1"): None, (4, "text"): "And the childcare. (edited)", (2, "segment_id"): "w:77"})
    with pytest.raises(SheetError) as info:
        proj.import_sheet(path)
    msg = str(info.value)
    assert "row 2: segment id 'w:77' is not in the project" in msg
    assert "row 4: the text of segment 'w:3' was edited" in msg


def test_not_a_sheet(proj, tmp_path):
    import openpyxl

    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(SheetError, match="not a coeval coding sheet"):
        proj.import_sheet(path)
    bad = write(tmp_path / "bad.xlsx", "not a workbook")
    with pytest.raises(SheetError, match="not a readable .xlsx"):
        proj.import_sheet(bad)


def test_codings_csv_round_trip_and_errors(proj, tmp_path):
    proj.add_coder("helen", "academic")
    proj.code("w:1", "Transport and travel costs", coder="helen", memo="fares")
    proj.code(("w", 5, 12), "Payment problems", coder="helen")
    out = proj.export_codings(tmp_path / "codings.csv")
    assert list(out.columns) == ["document_id", "segment_id", "start", "end", "code", "coder", "role", "origin",
                                 "memo", "created_at", "text"]
    other = ce.Project()
    other.ingest(write(tmp_path / "w.vtt", VTT), progress=False)
    other.codebook = ce.Codebook.template("coeval")
    assert other.import_codings(tmp_path / "codings.csv") == 2
    assert other.import_codings(tmp_path / "codings.csv") == 0
    assert other.codings[["start", "end", "code", "coder", "role", "memo"]].values.tolist() == \
        proj.codings[["start", "end", "code", "coder", "role", "memo"]].values.tolist()
    bad = write(tmp_path / "bad.csv", "segment_id,code,coder,role,quote\nw:1,Transport and travel costs,x,academic,"
                                      "The bus\nw:2,Nope,x,academic,\nw:3,Payment problems,x,academic,Wrong start\n")
    with pytest.raises(SheetError) as info:
        other.import_codings(bad)
    msg = str(info.value)
    assert "row 3: no code 'Nope'" in msg and "row 4: the quote 'Wrong start'" in msg and "bad.csv" in msg


def test_a_crash_mid_import_leaves_the_project_as_it_was(proj, tmp_path, monkeypatch):
    path = proj.export_sheet(tmp_path / "a.xlsx", coder="amina", role="peer_researcher")
    _fill(path, {(2, "code 1"): "Transport and travel costs", (3, "code 1"): "Trust and relationships",
                 (4, "code 1"): "Childcare and caring responsibilities"})
    before = (len(proj.codings), len(proj.audit))
    calls = {"n": 0}
    original = type(proj)._code

    def crash_on_third(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(proj), "_code", crash_on_third)
    with pytest.raises(RuntimeError, match="power cut"):
        proj.import_sheet(path)
    assert (len(proj.codings), len(proj.audit)) == before
    monkeypatch.undo()
    assert proj.import_sheet(path).added == 3


def test_a_crash_mid_csv_import_leaves_the_project_as_it_was(proj, tmp_path, monkeypatch):
    import coeval.store.codings_table as table_module

    csv = write(tmp_path / "c.csv", "segment_id,code,coder,role\nw:1,Payment problems,x,academic\n"
                                    "w:2,Trust and relationships,x,academic\n")
    before = len(proj.codings)
    original = table_module.bulk_insert

    def crash_after_codings(conn, table, columns, rows):
        original(conn, table, columns, rows)
        if table.name == "audit_log":
            raise RuntimeError("disk full")

    monkeypatch.setattr(table_module, "bulk_insert", crash_after_codings)
    with pytest.raises(RuntimeError, match="disk full"):
        proj.import_codings(csv)
    assert len(proj.codings) == before and "x" not in set(proj.coders["coder"])
