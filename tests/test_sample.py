"""The sample evaluation is what DESIGN.md promises, and ingesting it leaks no name."""

from __future__ import annotations

import re
import sqlite3

import pytest

import coeval as ce


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory):
    from conftest import SAMPLE

    path = tmp_path_factory.mktemp("sample") / "sample.coeval"
    with ce.Project.create(path) as proj:
        proj.ingest(SAMPLE, progress=False)
    return path


def test_sample_covers_sites_kinds_formats_and_size(sample_project, sample_dir):
    with ce.Project.open(sample_project) as proj:
        docs = proj.documents
        segs = proj.segments
    assert len(docs) >= 12 and docs["n_words"].sum() >= 15000
    assert set(docs["kind"]) >= {"transcript", "observation", "discussion", "survey"}
    assert set(docs["site"].dropna()) == {"Northside", "Riverside", "Millbrook", "Eastfield"}
    suffixes = {p.suffix for p in sample_dir.rglob("*") if p.is_file()}
    assert suffixes >= {".vtt", ".srt", ".docx", ".txt", ".md", ".csv"}
    roles = set(segs["role"].dropna())
    assert roles >= {"peer_researcher", "community_coordinator", "academic", "stakeholder"}
    # every transcript has several speakers, each turn attributed
    transcripts = docs[docs["kind"].isin(["transcript", "discussion"])]
    assert (transcripts["n_speakers"] >= 4).all()


def test_no_roster_name_anywhere_in_the_store(sample_project, roster):
    con = sqlite3.connect(sample_project)
    tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    dump = "\n".join(str(row) for t in tables for row in con.execute(f"select * from {t}"))
    con.close()
    leaks = []
    for variant in roster.name_variants():
        if len(variant) >= 3 and re.search(r"(?<!\w)" + re.escape(variant) + r"(?!\w)", dump):
            leaks.append(variant)
    assert leaks == []
    assert "07700" not in dump and "@" not in dump.replace("[email]", "")


def test_sample_contacts_were_redacted(sample_project):
    with ce.Project.open(sample_project) as proj:
        counts = proj.redactions["category"].value_counts()
    assert counts["phone"] >= 2 and counts["email"] >= 1 and counts["roster"] > 100


def test_sample_has_codebook_and_three_coders_over_shared_documents(sample_project):
    with ce.Project.open(sample_project) as proj:
        codings = proj.codings
        coders = proj.coders
        cb = proj.codebook
    codings = codings[codings["origin"] != "consensus"]  # the coders' own work
    assert len(cb) > 47 and "Immigration and Home Office fears" in cb  # the template, extended
    assert set(coders["role"]) == {"academic", "peer_researcher", "community_coordinator"}
    by_doc = codings.groupby("document_id")["coder"].nunique()
    assert (by_doc == 3).sum() >= 6
    # realistic disagreement: neither identical nor unrelated
    shared = codings[codings["document_id"].isin(by_doc[by_doc == 3].index)]
    sets = {c: set(zip(g["segment_id"], g["code"])) for c, g in shared.groupby("coder")}
    a, b = sets["AC-2"], sets["PR-M1"]
    jaccard = len(a & b) / len(a | b)
    assert 0.3 < jaccard < 0.9


def test_sample_is_set_up_as_a_team_would(sample_project):
    """Assignments with a double-coded sample, a closed independent round, a reconciliation applied."""
    with ce.Project.open(sample_project) as proj:
        rounds = proj.rounds.set_index("round")
        assignments = proj.assignments
        frozen = ce.agreement(proj)
        consensus = proj.codings[proj.codings["origin"] == "consensus"]
        audit = proj.audit
        bases = set(ce.fai_matrix(proj)["basis"])
    assert rounds.loc["independent", "status"] == "closed"
    assert rounds.loc["independent", "double_coded_documents"] == 6 and rounds.loc["independent", "documents"] == 14
    assert assignments["status"].eq("done").all() and len(assignments) == 14 + 2 * 6
    overall = frozen[frozen["code"] == "(all codes)"].iloc[0]
    assert overall["rule"] == "assigned and marked done" and 0.55 < overall["alpha"] < 0.7
    assert rounds.loc["independent", "alpha"] == pytest.approx(overall["alpha"])
    assert len(consensus) > 300 and set(consensus["coder"]) == {"consensus"}
    meeting = audit[audit["action"] == "reconcile"].iloc[0]
    assert meeting["by"] == "AC-2" and '"attendees": ["PR-M1", "CC-E"]' in meeting["detail"]
    assert bases == {"consensus"}
