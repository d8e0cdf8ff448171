"""The coding walkthrough a new team would follow, end to end."""

from __future__ import annotations

from openpyxl import load_workbook

import coeval as ce


def test_template_to_sheet_to_codings_to_codebook_changes(sample_dir, tmp_path):
    proj = ce.Project.create(tmp_path / "eval.coeval")
    proj.ingest([sample_dir / "northside" / "workshop1_zoom.vtt", sample_dir / "riverside" / "workshop1_teams.vtt"],
                roster=sample_dir / "roster.csv", progress=False)
    # 1. load the default template and extend it
    proj.codebook = ce.Codebook.template("coeval")
    proj.codebook.add("Bus passes", parent="Feasibility enablers", polarity="enabler",
                      dimensions=["feasibility"], definition="Free or paid-for bus passes.", by="AC-1",
                      why="came up at Northside")
    # 2. an academic codes in Python
    proj.add_coder("AC-1", "academic")
    segs = proj.segments
    bus = segs[segs["text"].str.contains("bus", case=False)]["segment_id"].tolist()
    assert bus
    for sid in bus:
        proj.code(sid, "Transport and travel costs", coder="AC-1")
    # 3. a peer researcher codes in Excel
    sheet = proj.export_sheet(tmp_path / "pr-n1.xlsx", coder="PR-N1", role="peer_researcher",
                              documents=["workshop1-zoom"])
    wb = load_workbook(sheet)
    ws = wb["Coding"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for sid in bus:
        if sid in rows:
            ws.cell(row=rows[sid], column=7).value = "Bus passes"
    wb.save(sheet)
    result = proj.import_sheet(sheet)
    assert result.added == sum(1 for sid in bus if sid in rows) > 0
    # 4. codings by coder and role
    by_role = proj.codings.groupby(["coder", "role"]).size()
    assert by_role[("AC-1", "academic")] == len(bus)
    assert by_role[("PR-N1", "peer_researcher")] == result.added
    # 5. rename and merge codes: the codings follow
    proj.codebook.rename("Transport and travel costs", "Getting there", by="AC-1")
    proj.codebook.merge("Bus passes", into="Getting there", by="AC-1", why="one idea")
    assert set(proj.codings["code"]) == {"Getting there"}
    assert proj.codings.groupby("coder").size()["PR-N1"] == result.added
    assert proj.codebook.history["action"].tolist()[-3:] == ["add", "rename", "merge"]
