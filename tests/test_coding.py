"""Codings by several coders: code/uncode, roles, audit, codebook changes that move codings,
frozen text, and four processes coding one file at once."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pandas as pd
import pytest

import coeval as ce
from coeval.errors import CodingError, NotFoundError, ProjectError

from conftest import write

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: The bus fare was too much.\n\n"
       "00:00:02.000 --> 00:00:04.000\nBob Ray: The interpreter really helped.\n\n"
       "00:00:04.000 --> 00:00:06.000\nAnn Lee: And the childcare.\n")


@pytest.fixture
def proj(tmp_path):
    p = ce.Project.create(tmp_path / "p.coeval")
    p.ingest(write(tmp_path / "w.vtt", VTT), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("amina", "peer_researcher")
    p.add_coder("helen", "academic")
    return p


def test_code_segments_and_spans(proj):
    cid = proj.code("w:1", "Transport and travel costs", coder="amina", memo="fares")
    assert proj.code("w:1", "transport and travel costs", coder="amina") == cid  # same coding, once
    doc = proj.document("w")
    start = doc.text.index("interpreter")
    proj.code(("w", start, start + len("interpreter")), "Interpreters and translation", coder="helen")
    codings = proj.codings
    assert codings[["segment_id", "code", "coder", "role", "text"]].values.tolist() == [
        ["w:1", "Transport and travel costs", "amina", "peer_researcher", "The bus fare was too much."],
        ["w:2", "Interpreters and translation", "helen", "academic", "interpreter"]]
    assert list(codings.columns) == ["coding_id", "document_id", "segment_id", "start", "end", "text", "code",
                                     "code_id", "coder", "role", "origin", "memo", "created_at"]
    assert proj.coders.set_index("coder").loc["amina", "n_codings"] == 1


def test_overlapping_codings_are_allowed(proj):
    proj.code("w:1", "Transport and travel costs", coder="amina")
    proj.code("w:1", "Payment problems", coder="amina")
    proj.code(("w", 10, 20), "Payment problems", coder="amina")
    assert len(proj.codings) == 3


def test_coding_errors(proj):
    with pytest.raises(NotFoundError, match="Did you mean 'Transport and travel costs'"):
        proj.code("w:1", "Transport and travel cost", coder="amina")
    with pytest.raises(CodingError, match="not a registered coder"):
        proj.code("w:1", "Payment problems", coder="nobody")
    with pytest.raises(NotFoundError, match="no segment 'w:99'"):
        proj.code("w:99", "Payment problems", coder="amina")
    with pytest.raises(CodingError, match="not inside document"):
        proj.code(("w", 5, 5000), "Payment problems", coder="amina")
    proj.code("w:1", "Payment problems", coder="sam", role="community_coordinator")  # registers sam
    assert proj.coders.set_index("coder").loc["sam", "role"] == "community_coordinator"


def test_a_code_is_found_by_its_name_in_any_case_accents_included(proj):
    book = ce.Codebook("accents")
    book.add("Éducation et formation", definition="Schooling and training")
    book.add("Payment problems", definition="Not paid on time")
    proj.codebook = book
    ids = {c.name: c.id for c in proj.codebook}
    for given in ("Éducation et formation", "éducation  et FORMATION", "ÉDUCATION ET FORMATION"):
        proj.code("w:1", given, coder="amina")
    proj.code("w:2", ids["Payment problems"], coder="amina")   # by id
    proj.import_codings(pd.DataFrame([{"segment_id": "w:3", "code": "éducation et formation", "coder": "helen"}]))
    codings = proj.codings
    assert codings.groupby("segment_id")["code"].agg(list).to_dict() == {
        "w:1": ["Éducation et formation"], "w:2": ["Payment problems"], "w:3": ["Éducation et formation"]}


def test_uncode_and_audit_log(proj):
    cid = proj.code("w:1", "Transport and travel costs", coder="amina")
    assert proj.uncode("w:1", "Transport and travel costs", coder="amina") == 1
    proj.code("w:2", "Trust and relationships", coder="helen")
    assert proj.uncode(proj.codings.coding_id.iloc[0]) == 1
    audit = proj.audit
    actions = audit[audit["action"].isin(["code", "uncode"])]
    assert actions["action"].tolist() == ["code", "uncode", "code", "uncode"]
    assert actions["coding_id"].iloc[0] == cid and actions["by"].tolist()[:2] == ["amina", "amina"]
    assert proj.codings.empty


def test_merge_moves_codings_and_rename_keeps_them(proj):
    cb = proj.codebook
    cb.add("Bus passes", parent="Feasibility enablers", polarity="enabler", by="helen")
    proj.code("w:1", "Bus passes", coder="amina")
    proj.code("w:1", "Transport and travel costs", coder="helen")
    proj.code("w:1", "Transport and travel costs", coder="amina")
    proj.codebook.rename("Transport and travel costs", "Getting there", by="helen", why="plainer")
    assert set(proj.codings["code"]) == {"Bus passes", "Getting there"}
    proj.codebook.merge("Bus passes", into="Getting there", by="helen", why="the same idea")
    codings = proj.codings
    # amina's two codings became one (she had both codes on the segment); helen's stayed
    assert sorted(zip(codings["coder"], codings["code"])) == [("amina", "Getting there"), ("helen", "Getting there")]
    hist = proj.codebook.history
    assert hist["action"].tolist()[-3:] == ["add", "rename", "merge"]
    assert hist["why"].tolist()[-1] == "the same idea"
    assert "merge" in set(proj.audit["action"])


def test_split_keeps_codings_on_the_original(proj):
    proj.code("w:1", "Payment problems", coder="amina")
    proj.codebook.split("Payment problems", ["Late payments", "Voucher problems"], by="helen")
    assert proj.codings["code"].tolist() == ["Payment problems"]
    assert "Late payments" in proj.codebook


def test_codebook_changes_survive_reopening(proj, tmp_path):
    proj.codebook.add("Bus passes", parent="Feasibility enablers", by="helen")
    again = ce.Project.open(tmp_path / "p.coeval")
    assert "Bus passes" in again.codebook and again.codebook.version == proj.codebook.version


def test_coded_document_text_cannot_change(proj, tmp_path):
    proj.code("w:1", "Payment problems", coder="amina")
    con = sqlite3.connect(tmp_path / "p.coeval")
    with pytest.raises(sqlite3.DatabaseError, match="coded document"):
        con.execute("update documents set text = 'changed' where id = 'w'")
    con.close()
    # re-ingesting an edited file adds it as a new document; the coded one keeps its text
    changed = write(tmp_path / "w.vtt", VTT.replace("too much", "far too much"))
    with pytest.raises(ProjectError, match="has 1 coding"):
        proj.ingest(changed, replace=True, progress=False)
    assert "too much" in proj.document("w").text and "far too much" not in proj.document("w").text


def test_uncoded_document_can_be_replaced(proj, tmp_path):
    changed = write(tmp_path / "w.vtt", VTT.replace("too much", "far too much"))
    result = proj.ingest(changed, replace=True, progress=False)
    assert result.added == ["w"] and "far too much" in proj.document("w").text
    assert len(proj.documents) == 1


def _code_many(args):
    path, coder, segment_ids = args
    p = ce.Project.open(path)
    p.add_coder(coder, "peer_researcher")
    for sid in segment_ids:
        p.code(sid, "Trust and relationships", coder=coder, memo=coder)
        p.code(sid, "Payment problems", coder=coder)
    p.close()
    return coder


def test_four_processes_coding_one_file_lose_nothing(tmp_path):
    path = tmp_path / "shared.coeval"
    p = ce.Project.create(path)
    lines = ["WEBVTT", ""]
    for i in range(60):
        lines += [f"00:00:{i:02d}.000 --> 00:00:{i:02d}.500", f"{'Ann Lee' if i % 2 else 'Bob Ray'}: line {i}", ""]
    p.ingest(write(tmp_path / "long.vtt", "\n".join(lines)), progress=False)
    p.codebook = ce.Codebook.template("coeval")
    segs = p.segments["segment_id"].tolist()
    p.close()
    jobs = [(str(path), f"coder{k}", segs) for k in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        done = pool.map(_code_many, jobs)
    assert sorted(done) == ["coder0", "coder1", "coder2", "coder3"]
    again = ce.Project.open(path)
    codings = again.codings
    assert len(codings) == 4 * len(segs) * 2
    assert codings.groupby("coder").size().tolist() == [len(segs) * 2] * 4
    assert (again.audit["action"] == "code").sum() == 4 * len(segs) * 2
