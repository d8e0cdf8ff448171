"""Merging coders' copies of a project."""

from __future__ import annotations

import shutil

import pytest

import coeval as ce
from coeval.errors import MergeConflict

from conftest import write

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: The bus fare was too much.\n\n"
       "00:00:02.000 --> 00:00:04.000\nBob Ray: The interpreter really helped.\n")


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "base.coeval"
    p = ce.Project.create(path)
    p.ingest(write(tmp_path / "w.vtt", VTT), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.close()
    return path


def _copy(base, tmp_path, name):
    dest = tmp_path / name
    shutil.copy(base, dest)
    return ce.Project.open(dest)


def test_merge_brings_codings_codes_and_coders(base, tmp_path):
    target = ce.Project.open(base)
    target.add_coder("helen", "academic")
    target.code("w:1", "Transport and travel costs", coder="helen")
    amina = _copy(base, tmp_path, "amina.coeval")
    amina.add_coder("amina", "peer_researcher")
    amina.codebook.add("Bus passes", parent="Feasibility enablers", polarity="enabler", by="amina")
    amina.code("w:1", "Bus passes", coder="amina")
    amina.code("w:2", "Interpreters and translation", coder="amina")
    report = ce.merge(target, amina, by="helen")
    assert (report.added, report.new_codes, report.new_coders) == (2, ["Bus passes"], ["amina"])
    assert not report.conflicts and not report.unmatched_documents
    codings = target.codings
    assert sorted(zip(codings["coder"], codings["code"])) == [
        ("amina", "Bus passes"), ("amina", "Interpreters and translation"), ("helen", "Transport and travel costs")]
    assert target.coders.set_index("coder").loc["amina", "role"] == "peer_researcher"
    again = ce.merge(target, amina)
    assert again.added == 0 and again.already_present == 2


def _conflicting(base, tmp_path):
    other = _copy(base, tmp_path, "other.coeval")
    other.codebook.edit("Payment problems", definition="Anything about money at all.", by="x")
    other.add_coder("sam", "community_coordinator")
    other.code("w:1", "Payment problems", coder="sam")
    other.code("w:2", "Trust and relationships", coder="sam")
    return other


def test_a_conflict_leaves_the_target_byte_for_byte_unchanged(base, tmp_path):
    import hashlib

    other = _conflicting(base, tmp_path)
    other.close()
    before = hashlib.sha256(base.read_bytes()).hexdigest()
    with pytest.raises(MergeConflict, match="'Payment problems' \\(definition.*Nothing was merged") as err:
        ce.merge(base, tmp_path / "other.coeval", by="helen")
    assert "prefer='ours'" in err.value.hint
    assert hashlib.sha256(base.read_bytes()).hexdigest() == before
    with ce.Project.open(base) as target:
        assert target.codings.empty and list(target.coders["coder"]) == []


def test_a_conflict_can_be_reported_or_settled(base, tmp_path):
    other = _conflicting(base, tmp_path)
    target = ce.Project.open(base)
    report = ce.merge(target, other, on_conflict="report")
    assert report.conflicts_frame()[["code", "field"]].values.tolist() == [["Payment problems", "definition"]]
    assert report.skipped_for_conflicts == 1 and report.added == 1
    assert target.codings["code"].tolist() == ["Trust and relationships"]
    ours = ce.merge(target, other, prefer="ours")
    assert ours.added == 1 and target.codebook["Payment problems"].definition != "Anything about money at all."
    fresh = _copy(base, tmp_path, "fresh.coeval")
    theirs = ce.merge(fresh, other, prefer={"definition": "theirs"}, by="helen")
    assert theirs.added == 2 and fresh.codebook["Payment problems"].definition == "Anything about money at all."
    edit = fresh.codebook.history.iloc[-1]
    assert edit["action"] == "edit" and edit["by"] == "helen" and "merge" in edit["why"]


def test_merged_history_keeps_the_original_author_and_time(base, tmp_path):
    target = ce.Project.open(base)
    amina = _copy(base, tmp_path, "amina.coeval")
    amina.add_coder("amina", "peer_researcher")
    amina.code("w:1", "Transport and travel costs", coder="amina")
    made = amina.codings["created_at"].iloc[0]
    ce.merge(target, amina, by="helen")
    row = target.audit[target.audit["action"] == "code"].iloc[-1]
    assert (row["by"], row["at"]) == ("amina", made)
    assert '"merged_by": "helen"' in row["detail"]


def test_documents_are_matched_by_content_not_id(base, tmp_path):
    target = ce.Project.open(base)
    other = ce.Project.create(tmp_path / "renamed.coeval")
    other.ingest(write(tmp_path / "x" / "renamed.vtt", VTT), progress=False)
    other.ingest(write(tmp_path / "x" / "extra.vtt", VTT.replace("bus", "train")), progress=False)
    other.codebook = ce.Codebook.template("coeval")
    other.add_coder("sam", "academic")
    other.code("renamed:1", "Transport and travel costs", coder="sam")
    other.code("extra:1", "Transport and travel costs", coder="sam")
    report = ce.merge(target, other)
    assert report.added == 1 and report.unmatched_documents == ["extra"]
    assert target.codings["document_id"].tolist() == ["w"]
