"""Rounds, assignments, reconciliation and the basis analyses count on."""

from __future__ import annotations

import numpy as np
import pytest

import coeval as ce
from coeval.agreement import cohen_kappa, krippendorff_alpha
from coeval.errors import CodingError, SheetError

from conftest import write

N = 50
TRANSPORT, TRUST = "Transport and travel costs", "Trust and relationships"


def _survey(tmp_path):
    """A survey of 50 responses in one table: each response is a segment of one document."""
    lines = ["response"] + [f"Answer number {i}: the bus was late and cost a lot." if i % 3 == 0
                            else f"Answer number {i}: staff were kind and I felt welcome." for i in range(N)]
    p = ce.Project()
    p.ingest(write(tmp_path / "survey.csv", "\n".join(lines) + "\n"), kind="survey", progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    p.add_coder("PR-2", "peer_researcher")
    return p


def _truth(i: int) -> bool:
    return i % 3 == 0


def test_agreement_on_a_double_coded_sample_equals_agreement_on_that_sample_alone(tmp_path):
    p = _survey(tmp_path)
    segs = p.segments["segment_id"].tolist()
    doc = p.documents["document_id"].iloc[0]
    # AC-1 codes every response; PR-2 double-codes a 20% sample of them
    p.assign("AC-1", [doc])
    sample = p.assign_sample(["AC-1", "PR-2"], fraction=0.2, seed=3, unit="segment", stratify=None)
    assert len(sample) == 10 and sample["segment_id"].is_unique
    for i, seg in enumerate(segs):
        if _truth(i):
            p.code(seg, TRANSPORT, coder="AC-1")
    picked = sample["segment_id"].tolist()
    flips = set(picked[:2])  # PR-2 disagrees on two of the sampled responses
    for seg in picked:
        i = segs.index(seg)
        if _truth(i) != (seg in flips):
            p.code(seg, TRANSPORT, coder="PR-2")
    # before PR-2 marks their work done, they are missing everywhere: nothing to compare
    assert p.assignments["status"].eq("to do").all()
    p.mark_done("AC-1")
    p.mark_done("PR-2")
    table = ce.agreement(p)
    row = table.set_index("code").loc[TRANSPORT]
    # by hand: the reliability data on the sampled responses only
    a = [1 if _truth(segs.index(s)) else 0 for s in picked]
    b = [1 if (_truth(segs.index(s)) != (s in flips)) else 0 for s in picked]
    assert row["n_units"] == 10
    assert row["kappa"] == pytest.approx(cohen_kappa(a, b))
    assert row["alpha"] == pytest.approx(krippendorff_alpha([a, b]))
    assert set(table["rule"]) == {"assigned and marked done"} and set(table["round"]) == {"independent"}


def test_the_document_rule_counts_the_unsampled_responses_against_the_second_coder(tmp_path):
    """What went wrong before assignments: the same codings, read by the document rule."""
    p = _survey(tmp_path)
    segs = p.segments["segment_id"].tolist()
    for i, seg in enumerate(segs):
        if _truth(i):
            p.code(seg, TRANSPORT, coder="AC-1")
    for seg in segs[:10]:  # PR-2 coded the first ten, in perfect agreement
        if _truth(segs.index(seg)):
            p.code(seg, TRANSPORT, coder="PR-2")
    legacy = ce.agreement(p).set_index("code").loc[TRANSPORT]
    assert legacy["rule"] == "documents each coder coded" and legacy["n_units"] == N
    assert legacy["kappa"] < 0.6  # the 40 responses PR-2 never read count as "not applied"
    doc = p.documents["document_id"].iloc[0]
    p.assign("AC-1", [doc])
    p.assign("PR-2", segments=segs[:10])
    p.mark_done("AC-1")
    p.mark_done("PR-2")
    fixed = ce.agreement(p).set_index("code").loc[TRANSPORT]
    assert fixed["n_units"] == 10 and fixed["kappa"] == pytest.approx(1.0) and fixed["alpha"] == pytest.approx(1.0)


def test_a_code_added_after_a_coder_finished_is_missing_for_them(tmp_path):
    p = _survey(tmp_path)
    segs = p.segments["segment_id"].tolist()
    doc = p.documents["document_id"].iloc[0]
    p.assign("AC-1", [doc])
    p.assign("PR-2", [doc])
    p.code(segs[0], TRANSPORT, coder="AC-1")
    p.code(segs[0], TRANSPORT, coder="PR-2")
    p.mark_done("PR-2")  # PR-2 finishes with the original codebook
    p.codebook.add("Bus passes", parent="Feasibility enablers", polarity="enabler", dimensions=["feasibility"])
    p.code(segs[3], "Bus passes", coder="AC-1")
    p.mark_done("AC-1")
    table = ce.agreement(p).set_index("code")
    # only AC-1 had the new code: it has no pairable values, rather than 49 "not applied" by PR-2
    assert table.loc["Bus passes", "n_units"] == 0 and np.isnan(table.loc["Bus passes", "alpha"])
    assert table.loc[TRANSPORT, "n_units"] == N


@pytest.fixture
def team(tmp_path):
    """Two documents, both assigned to three coders; an independent round with disagreements."""
    vtt = "WEBVTT\n\n" + "".join(
        f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{'Ann Lee' if i % 2 else 'Bob Ray'}: sentence number {i} here.\n\n"
        for i in range(8))
    p = ce.Project()
    p.ingest([write(tmp_path / "a.vtt", vtt), write(tmp_path / "b.vtt", vtt.replace("sentence", "remark"))],
             progress=False)
    p.codebook = ce.Codebook.template("coeval")
    for name, role in (("AC-1", "academic"), ("PR-2", "peer_researcher"), ("CC-3", "community_coordinator")):
        p.add_coder(name, role)
        p.assign(name, ["a", "b"])
    for coder in ("AC-1", "PR-2", "CC-3"):  # all agree on transport in a:1 and a:2
        p.code("a:1", TRANSPORT, coder=coder)
        p.code("a:2", TRANSPORT, coder=coder)
    p.code("a:3", TRUST, coder="AC-1")      # a disagreement: only AC-1
    p.code("b:4", TRUST, coder="AC-1")      # a disagreement: two of three
    p.code("b:4", TRUST, coder="PR-2")
    for coder in ("AC-1", "PR-2", "CC-3"):
        p.mark_done(coder)
    return p


def _decide(path, decisions):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Disagreements"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        key = (row[header.index("segment_id")].value, row[header.index("code")].value)
        if key in decisions:
            decision, other, notes = decisions[key]
            row[header.index("decision")].value = decision
            row[header.index("other_code")].value = other
            row[header.index("notes")].value = notes
    wb.save(path)
    return path


def test_reconciliation_writes_consensus_and_leaves_the_frozen_alpha_alone(team, tmp_path):
    before = ce.agreement(team)
    path = ce.agreement.export_disagreements(team, tmp_path / "meeting.xlsx")
    listed = ce.disagreements(team)
    assert sorted(zip(listed["segment_id"], listed["code"])) == [("a:3", TRUST), ("b:4", TRUST)]
    _decide(path, {("a:3", TRUST): ("drop", None, "AC-1 read trust into a joke"),
                   ("b:4", TRUST): ("both", "Payment problems", "both readings stand")})
    result = team.reconcile(path, by="AC-1", attendees=["PR-2", "CC-3"])
    assert (result.agreed, result.decided, result.dropped) == (2, 2, 1)
    assert team.rounds.set_index("round").loc["independent", "status"] == "closed"
    after = ce.agreement(team)
    assert after.equals(before)  # frozen: reconciliation never changes what the round said
    consensus = team.codings[team.codings["origin"] == "consensus"]
    assert sorted(zip(consensus["segment_id"], consensus["code"])) == [
        ("a:1", TRANSPORT), ("a:2", TRANSPORT), ("b:4", "Payment problems"), ("b:4", TRUST)]
    assert set(consensus["coder"]) == {"consensus"}
    # the coders' own codings are untouched, and the audit log credits the meeting
    assert len(team.codings[team.codings["origin"] == "human"]) == 9
    log = team.audit[team.audit["action"] == "consensus"]
    assert set(log["by"]) == {"AC-1"} and log["detail"].str.contains('"attendees": \\["PR-2", "CC-3"\\]').all()


def test_reconciliation_refuses_bad_rows_and_missing_decisions(team, tmp_path):
    path = ce.agreement.export_disagreements(team, tmp_path / "meeting.xlsx")
    with pytest.raises(SheetError, match="have no decision"):
        team.reconcile(path, by="AC-1")
    _decide(path, {("a:3", TRUST): ("change", None, ""), ("b:4", TRUST): ("maybe", None, "")})
    with pytest.raises(SheetError, match=r"row 2: decision 'change' needs the other code.*row 3: decision 'maybe'"):
        team.reconcile(path, by="AC-1")
    assert not (team.codings["origin"] == "consensus").any()


def test_counts_on_each_basis(team, tmp_path):
    path = _decide(ce.agreement.export_disagreements(team, tmp_path / "m.xlsx"),
                   {("a:3", TRUST): ("drop", None, ""), ("b:4", TRUST): ("keep", None, "")})
    # before reconciliation the default basis is "any", and says so
    fai = ce.fai_matrix(team)
    assert set(fai["basis"]) == {"any"}
    by_code = {b: ce.fai_matrix(team, basis=b).groupby("item")["segments"].max().to_dict()
               for b in ("any", "agreed", "coder:PR-2")}
    assert by_code["any"] == {TRANSPORT: 2, TRUST: 2}
    assert by_code["agreed"] == {TRANSPORT: 2, TRUST: 1}
    assert by_code["coder:PR-2"] == {TRANSPORT: 2, TRUST: 1}
    with pytest.raises(CodingError, match="needs a reconciled round"):
        ce.fai_matrix(team, basis="consensus")
    team.reconcile(path, by="AC-1")
    consensus = ce.fai_matrix(team)
    assert set(consensus["basis"]) == {"consensus"}
    assert consensus.groupby("item")["segments"].max().to_dict() == {TRANSPORT: 2, TRUST: 1}
    with pytest.raises(CodingError, match="Did you mean 'PR-2'"):
        ce.fai_matrix(team, basis="coder:pr-3")


def test_a_closed_round_stays_closed_and_rounds_list_their_history(team):
    table = ce.agreement(team)
    team.close_round(by="AC-1")
    frame = team.rounds
    row = frame.set_index("round").loc["independent"]
    assert row["status"] == "closed" and row["coders"] == 3 and row["double_coded_documents"] == 2
    overall = table[table["code"] == "(all codes)"]["alpha"].iloc[0]
    assert row["alpha"] == pytest.approx(overall)
    with pytest.raises(CodingError, match="does not reopen"):
        team.open_round("independent")
    with pytest.raises(CodingError, match="was closed"):
        team.assign("AC-1", ["a"], round="independent")
    team.code("a:5", TRUST, coder="AC-1")  # after closing: not in the round's table
    assert ce.agreement(team).equals(table)


def test_unknown_coders_are_caught_with_suggestions(team):
    with pytest.raises(CodingError, match="Did you mean 'PR-2'"):
        team.assign("pr-2", ["a"])
    with pytest.raises(CodingError, match="not a registered coder"):
        team.code("a:1", TRUST, coder="Nobody")


def test_a_version_3_store_gains_rounds_on_open(tmp_path):
    import sqlite3

    path = tmp_path / "v3.coeval"
    with ce.Project.create(path) as p:
        p.ingest(write(tmp_path / "a.txt", "Ann Lee: the bus was late.\nBob Ray: it cost a lot.\n"), progress=False)
        p.codebook = ce.Codebook.template("coeval")
    con = sqlite3.connect(path)  # take the store back to version 3, as an older coeval left it
    for table in ("reconciled", "assignments", "rounds", "workspace_sessions", "workspace_invites",
                  "workspace_users", "document_memos"):
        con.execute(f"drop table {table}")
    for table, column in (("codes", "added_version"), ("codes", "added_at"), ("coders", "status")):
        con.execute(f'alter table {table} drop column "{column}"')
    con.execute("delete from coeval_schema where version >= 4")
    con.commit()
    con.close()
    with ce.Project.open(path) as p:
        assert p.schema_version == ce.schema.SCHEMA_VERSION
        p.add_coder("AC-1", "academic")
        p.assign("AC-1", ["a"])
        p.code("a:1", TRANSPORT, coder="AC-1")
        p.mark_done("AC-1")
        assert p.assignments["status"].tolist() == ["done"]
        assert len(p.codebook) > 40


def test_a_sample_from_an_unknown_document_names_it(tmp_path):
    from coeval.errors import NotFoundError

    with ce.Project() as p:
        p.ingest(write(tmp_path / "a.txt", "Ann Lee: the bus was late.\nBob Ray: it cost a lot.\n"), progress=False)
        p.codebook = ce.Codebook.template("coeval")
        for name in ("AC-1", "PR-1"):
            p.add_coder(name, "academic")
        with pytest.raises(NotFoundError, match="no document 'survey'"):
            p.assign_sample(["AC-1", "PR-1"], unit="segment", documents=["survey"])
