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


def test_same_code_name_with_another_definition_is_a_conflict(base, tmp_path):
    target = ce.Project.open(base)
    other = _copy(base, tmp_path, "other.coeval")
    other.codebook.edit("Payment problems", definition="Anything about money at all.", by="x")
    other.add_coder("sam", "community_coordinator")
    other.code("w:1", "Payment problems", coder="sam")
    other.code("w:2", "Trust and relationships", coder="sam")
    report = ce.merge(target, other)
    assert report.conflicts_frame()[["code", "field"]].values.tolist() == [["Payment problems", "definition"]]
    assert report.skipped_for_conflicts == 1 and report.added == 1
    assert target.codings["code"].tolist() == ["Trust and relationships"]
    with pytest.raises(MergeConflict, match="Payment problems"):
        ce.merge(target, other, on_conflict="raise")


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
