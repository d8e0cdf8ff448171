"""The same project on a PostgreSQL server (a team's shared store) gives the same results as on SQLite.

CI starts PostgreSQL and sets ``COEVAL_TEST_DATABASE_URL`` (a role that may create databases) and
``COEVAL_REQUIRE_POSTGRES=1``, so these tests run there and fail, rather than skip, if the server
is missing. Locally they are skipped unless the URL is set. Each test gets a database of its own.
"""

from __future__ import annotations

import warnings

import pytest

import coeval as ce

from conftest import SAMPLE, write

TRANSPORT, TRUST = "Transport and travel costs", "Trust and relationships"


def test_ingest_and_reopen(pg_url, tmp_path):
    write(tmp_path / "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nP1: It helped.\n\n"
                              "00:00:02.000 --> 00:00:03.000\nP2: It didn't.\n")
    proj = ce.Project(pg_url)
    proj.ingest(tmp_path / "a.vtt", progress=False)
    again = ce.Project.open(pg_url)
    assert again.documents["document_id"].tolist() == ["a"]
    assert again.document("a").text == "P1: It helped.\n\nP2: It didn't."
    assert again.schema_version == ce.schema.SCHEMA_VERSION
    proj.close()
    again.close()


def _records(frame) -> list[dict]:
    """A table as records, NaN as None (NaN is not equal to itself) and floats to 10 places."""
    frame = frame.round(10).astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def _team_workflow(proj, tmp_path) -> dict:
    """The sample's whole team workflow, returning what it found."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj.ingest(SAMPLE, progress=False)  # codebook, codings, assignments, reconciliation from the manifest
        out = {"rounds": proj.rounds[["round", "status", "coders", "documents", "double_coded_documents"]]
               .to_dict("records"),
               "agreement": _records(ce.agreement(proj)),
               "consensus": sorted(map(tuple, proj.codings.loc[proj.codings["origin"] == "consensus",
                                                               ["segment_id", "code"]].values.tolist())),
               "fai": ce.fai_matrix(proj, basis="agreed").sort_values(["item", "polarity", "dimension"])
               [["item", "polarity", "dimension", "segments"]].to_dict("records")}
        # a second round on two documents, reconciled from the workbook
        proj.open_round("re-test", by="AC-2")
        for coder in ("AC-2", "PR-M1"):
            proj.assign(coder, ["northside-workshop2"], round="re-test")
        proj.code("northside-workshop2:3", TRANSPORT, coder="PR-M1")
        proj.code("northside-workshop2:3", TRUST, coder="AC-2")
        proj.mark_done("AC-2", round="re-test")
        proj.mark_done("PR-M1", round="re-test")
        meeting = ce.agreement.export_disagreements(proj, tmp_path / "m.xlsx", round="re-test")
        wb = load_workbook(meeting)
        ws = wb["Disagreements"]
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            row[head.index("decision")].value = "keep"
        wb.save(meeting)
        result = proj.reconcile(meeting, by="AC-2", round="re-test")
        out["re-test"] = (result.segments, result.decided, result.agreed)
        out["re-test frozen"] = _records(ce.agreement(proj, round="re-test"))
        proj.rename_coder("CC-E", "CC-E2", by="AC-2")
        proj.retire_coder("CC-E2", by="AC-2")
        out["coders"] = proj.coders[["coder", "role", "n_codings", "status"]].to_dict("records")
    return out


def test_the_team_workflow_gives_the_same_results_as_sqlite(pg_url, tmp_path):
    (tmp_path / "pg").mkdir()
    (tmp_path / "lite").mkdir()
    on_pg = _team_workflow(ce.Project(pg_url), tmp_path / "pg")
    on_sqlite = _team_workflow(ce.Project(), tmp_path / "lite")
    assert on_pg["rounds"][0]["status"] == "closed" and len(on_pg["consensus"]) > 300
    assert on_pg["re-test"][0] > 0
    assert on_pg == on_sqlite


def test_a_confirmed_name_is_masked_and_a_merge_conflict_writes_nothing(pg_url, tmp_path):
    from coeval.errors import MergeConflict

    proj = ce.Project(pg_url)
    proj.ingest(write(tmp_path / "w.txt", "Speaker 1: We went with Fatima to the clinic.\n"), kind="transcript",
                progress=False)
    proj.codebook = ce.Codebook.template("coeval")
    proj.add_coder("AC-1", "academic")
    proj.code("w:1", TRANSPORT, coder="AC-1")
    review_id = int(proj.privacy_review()["review_id"].iloc[0])
    proj.mark_review(review_id, name=True, by="AC-1")
    assert "with ■■■■■■ to the clinic" in proj.document("w").text
    assert proj.codings["text"].iloc[0] == "We went with ■■■■■■ to the clinic."
    other = ce.Project()
    other.ingest(tmp_path / "w.txt", kind="transcript", progress=False)
    other.codebook = ce.Codebook.template("coeval")
    other.codebook.edit("Payment problems", definition="Anything about money.", by="x")
    other.add_coder("PR-1", "peer_researcher")
    other.code("w:1", "Payment problems", coder="PR-1")
    before = proj.codings.copy()
    with pytest.raises(MergeConflict):
        ce.merge(proj, other)
    assert proj.codings.equals(before) and "PR-1" not in set(proj.coders["coder"])
    proj.close()
