"""The project store: create/open, transactions, tidy frames, ingest from folders."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

import coeval as ce
from coeval.errors import ManifestError, NotFoundError, ParseError, ProjectError

from conftest import write

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: It helped.\n\n"
       "00:00:02.000 --> 00:00:04.000\nBob Ray: It didn't.\n")


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "data"
    write(d / "roster.csv", "name,aliases,pseudonym,role,site\nAnn Lee,Ann,P1,peer_researcher,North\n"
                            "Bob Ray,Bob,P2,academic,\n")
    write(d / "a.vtt", VTT)
    write(d / "notes" / "b.md", "---\nsite: North\n---\n## Entry\nAnn arrived late; Bob waited.\n")
    write(d / "manifest.csv", "file,kind,site,date,session,funder\nroster.csv,roster,,,,\n"
                              "a.vtt,transcript,North,2026-01-02,w1,NIHR\nnotes/b.md,observation,North,2026-01-03,,\n")
    return d


def _table_counts(path):
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("documents", "segments", "redactions", "events")}
    finally:
        con.close()


def test_in_memory_project_ingests_a_manifest_folder(folder):
    proj = ce.Project()
    result = proj.ingest(folder, progress=False)
    assert result.added == ["a", "notes-b"] and not result.failed
    docs = proj.documents
    assert list(docs.columns[:12]) == ["document_id", "kind", "title", "site", "date", "session", "source",
                                       "n_segments", "n_words", "n_speakers", "content_hash", "ingested_at"]
    assert docs.loc[0, "funder"] == "NIHR" and pd.isna(docs.loc[1, "funder"])
    assert docs.loc[0, "n_speakers"] == 2 and docs.loc[0, "session"] == "w1"
    segs = proj.segments
    assert segs["text"].tolist() == ["It helped.", "It didn't.", "Entry\n[P1] arrived late; [P2] waited."]
    assert segs["speaker"].tolist()[:2] == ["P1", "P2"]
    assert segs["site"].tolist() == ["North", "North", "North"]
    assert segs["time_start"].tolist()[:2] == [1.0, 2.0] and pd.isna(segs["time_start"].iloc[2])
    doc = proj.document("a")
    assert doc.text == "P1: It helped.\n\nP2: It didn't." and len(doc.redactions) == 2
    assert "Ann" not in proj.documents.to_string() + proj.segments.to_string()


def test_create_open_and_reingest_is_idempotent(folder, tmp_path):
    path = tmp_path / "p.coeval"
    with ce.Project.create(path) as proj:
        proj.ingest(folder, progress=False)
        assert proj.schema_version == ce.schema.SCHEMA_VERSION == 6
    with pytest.raises(ProjectError, match="already exists"):
        ce.Project.create(path)
    with ce.Project.open(path) as proj:
        again = proj.ingest(folder, progress=False)
        assert again.added == [] and len(again.unchanged) == 2
        assert len(proj.documents) == 2


def test_a_v5_store_gets_its_text_lengths_and_codings_still_check_spans(folder, tmp_path):
    path = tmp_path / "p.coeval"
    with ce.Project.create(path) as proj:
        proj.ingest(folder, progress=False)
        proj.codebook = ce.Codebook.template("coeval")
        doc = proj.documents.iloc[0]
        length = len(proj.document(doc["document_id"]).text)
    con = sqlite3.connect(path)   # as coeval 0.1 at schema 5 left it: no stored lengths
    con.execute("alter table documents drop column text_length")
    con.execute("delete from coeval_schema where version >= 6")
    con.commit()
    con.close()
    with ce.Project.open(path) as proj:
        assert proj.schema_version == 6
        code = proj.codebook.ordered()[0].id
        assert proj.code((doc["document_id"], length - 2, length), code, coder="AC-1", role="academic")
        with pytest.raises(ce.errors.CodingError, match=f"not inside document .* \\(0 to {length}\\)"):
            proj.code((doc["document_id"], length - 2, length + 1), code, coder="AC-1")
    con = sqlite3.connect(path)
    assert dict(con.execute("select id, text_length from documents").fetchall()) == {
        d: len(t) for d, t in con.execute("select id, text from documents").fetchall()}
    con.close()


def test_failed_ingest_leaves_the_project_unchanged(folder, tmp_path):
    path = tmp_path / "p.coeval"
    with ce.Project.create(path) as proj:
        proj.ingest(folder / "a.vtt", roster=folder / "roster.csv", progress=False)
    before = _table_counts(path)
    write(folder / "c.vtt", "WEBVTT\n\n00:00:01.000 --> 00:0x:02.000\nbroken\n")
    write(folder / "d.vtt", VTT.replace("helped", "worked"))
    with ce.Project.open(path) as proj:
        with pytest.raises(ParseError, match="c.vtt, line 3"):
            proj.ingest([folder / "d.vtt", folder / "c.vtt"], progress=False)
    assert _table_counts(path) == before


def test_skip_records_failed_files_and_goes_on(folder):
    write(folder / "manifest.csv", "file,kind,site\nroster.csv,roster,\na.vtt,transcript,North\n"
                                   "missing.vtt,transcript,North\nempty.txt,notes,North\n")
    write(folder / "empty.txt", "")
    proj = ce.Project()
    result = proj.ingest(folder, on_error="skip", progress=False)
    assert result.added == ["a"]
    assert [f for f, _ in result.failed] == ["missing.vtt", "empty.txt"]  # named as given, never by a full path
    assert "manifest.csv, line 4" in result.failed[0][1]
    assert len(proj.ingest_errors) == 2
    with pytest.raises(ManifestError, match="line 4"):
        ce.Project().ingest(folder, progress=False)


@pytest.mark.parametrize("manifest, words", [
    ("name,kind\na.vtt,transcript\n", "no 'file' column"),
    ("file,kind\na.vtt,interview\n", "unknown kind 'interview'"),
    ("file,kind\na.vtt,transcript\na.vtt,transcript\n", "twice"),
    ("file,kind\nnope.csv,roster\n", "does not exist"),
])
def test_manifest_errors(folder, manifest, words):
    write(folder / "manifest.csv", manifest)
    with pytest.raises(ManifestError, match=words):
        ce.Project().ingest(folder, progress=False)


def test_glob_and_folder_without_manifest(folder):
    (folder / "manifest.csv").unlink()
    proj = ce.Project()
    proj.ingest(str(folder / "**" / "*.md"), roster=folder / "roster.csv", progress=False)
    assert proj.documents["document_id"].tolist() == ["b"]
    proj2 = ce.Project()
    proj2.ingest(folder, roster=folder / "roster.csv", progress=False)
    assert proj2.documents["document_id"].tolist() == ["a", "notes-b"]  # roster.csv is not a document


def test_document_ids_are_unique_and_not_found_is_clear(folder):
    proj = ce.Project()
    proj.ingest(folder / "a.vtt", progress=False)
    write(folder / "x" / "a.vtt", VTT.replace("helped", "was fine"))
    proj.ingest(folder / "x" / "a.vtt", progress=False)
    assert proj.documents["document_id"].tolist() == ["a", "a-2"]
    with pytest.raises(NotFoundError, match="no document 'zzz'.*a, a-2"):
        proj.document("zzz")
    with pytest.raises(KeyError):  # NotFoundError is also a KeyError
        proj.document("zzz")


def test_key_file_is_written_only_when_asked(folder, tmp_path):
    proj = ce.Project()
    proj.ingest(folder, progress=False)
    assert not list(tmp_path.glob("*.key.csv"))
    proj2 = ce.Project()
    proj2.ingest(folder, key=tmp_path / "p.key.csv", progress=False)
    key = pd.read_csv(tmp_path / "p.key.csv")
    assert dict(zip(key["pseudonym"], key["name"])) == {"P1": "Ann Lee", "P2": "Bob Ray"}


def test_open_rejects_non_projects(tmp_path):
    bad = write(tmp_path / "bad.coeval", "not a database at all" * 50)
    with pytest.raises(ProjectError, match="bad.coeval"):
        ce.Project.open(bad)
    with pytest.raises(ProjectError, match="does not exist"):
        ce.Project.open(tmp_path / "none.coeval")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not a coeval project"):
        ce.Project.open(other)


def test_newer_schema_is_refused(folder, tmp_path):
    path = tmp_path / "p.coeval"
    ce.Project.create(path).close()
    con = sqlite3.connect(path)
    con.execute("insert into coeval_schema values (99, 'x')")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="newer coeval"):
        ce.Project.open(path)


def test_html_reprs(folder):
    proj = ce.Project()
    proj.ingest(folder, progress=False)
    html = proj._repr_html_()
    assert "notes-b" in html and "<table" in html
    doc_html = proj.document("a")._repr_html_()
    assert "P1" in doc_html and "It helped." in doc_html


def test_document_html_escapes_text(tmp_path):
    doc = ce.read_document(write(tmp_path / "x.txt", "Ann: <script>alert(1)</script>\nBob: ok\n"))
    assert "<script>" not in doc._repr_html_() and "&lt;script&gt;" in doc._repr_html_()


def test_add_document_refuses_duplicates(folder):
    proj = ce.Project()
    doc = ce.read_document(folder / "a.vtt")
    assert proj.add_document(doc) == "a"
    with pytest.raises(ProjectError, match="clashes"):
        proj.add_document(doc)


def test_missing_path_and_empty_glob_are_clear(tmp_path):
    from coeval.errors import FormatError

    with pytest.raises(FormatError, match="nope.vtt: does not exist"):
        ce.Project().ingest(tmp_path / "nope.vtt", progress=False)
    with pytest.raises(FormatError, match="no files match"):
        ce.Project().ingest(str(tmp_path / "*.vtt"), progress=False)


def test_reading_block_reads_once_hands_out_copies_and_forgets_on_a_write(tmp_path):
    from conftest import write

    proj = ce.Project()
    proj.ingest(write(tmp_path / "a.txt", "Ann Lee: the bus was late.\nBob Ray: it cost a lot.\n"), progress=False)
    proj.codebook = ce.Codebook.template("coeval")
    proj.add_coder("AC-1", "academic")
    with proj._reading():
        first = proj.segments
        first["text"] = "changed by the caller"
        assert proj.segments["text"].tolist() == ["the bus was late.", "it cost a lot."]   # a copy each time
        assert proj._codings_frame(with_text=False).empty
        proj.code(proj.segments["segment_id"][0], "Transport and travel costs", coder="AC-1")
        assert len(proj._codings_frame(with_text=False)) == 1   # the write made it read again
    assert proj._pinned is None   # the state is held only inside the block


@pytest.mark.parametrize("where", ["plain", "Cohort #2 (50% done)"])
def test_analysis_frames_are_kept_for_a_state_of_the_store_and_read_again_after_any_write(folder, tmp_path, where):
    (tmp_path / where).mkdir()
    path = tmp_path / where / "p.coeval"   # a '#' or '%' in a folder's name is part of the name
    with ce.Project.create(path) as proj:
        proj.ingest(folder, progress=False)
        proj.codebook = ce.Codebook.template("coeval")
    proj = ce.Project.open(path)
    reads = []
    real = proj._read_codings_frame
    proj._read_codings_frame = lambda **kw: reads.append(1) or real(**kw)
    code = proj.codebook.ordered()[0].id
    seg = proj.segments["segment_id"].iloc[0]
    assert len(proj.codings) == 0 and len(proj.codings) == 0 and len(reads) == 1   # kept
    proj.code(seg, code, coder="AC-1", role="academic")          # a write through this object
    assert len(proj.codings) == 1 and len(reads) == 2
    other = ce.Project.open(path)                                  # another writer (as a second process would)
    other.code(proj.segments["segment_id"].iloc[1], code, coder="AC-2", role="academic")
    other.close()
    assert len(proj.codings) == 2 and len(reads) == 3
    first = proj.codings
    first.loc[:, "coder"] = "changed by the caller"                # callers get copies
    assert set(proj.codings["coder"]) == {"AC-1", "AC-2"} and len(reads) == 3
    proj.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["data", where])   # no stray file beside it
    with ce.Project.open(path, readonly=True) as copy:
        assert len(copy.codings) == 2


def test_the_write_lock_is_reentrant_and_served_in_arrival_order():
    import threading
    import time

    from coeval.store.database import FairLock

    lock, order = FairLock(), []
    with lock, lock:   # reentrant: a write inside a write in the same thread
        threads = []
        for i in range(5):
            t = threading.Thread(target=lambda i=i: (lock.acquire(), order.append(i), lock.release()))
            t.start()
            threads.append(t)
            while lock._next < i + 2:   # it holds its ticket (queued) before the next one comes
                time.sleep(0.001)
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]


def test_a_read_only_project_keeps_its_frames_without_watching_the_file(folder, tmp_path):
    path = tmp_path / "p.coeval"
    with ce.Project.create(path) as proj:
        proj.ingest(folder, progress=False)
    path.parent.chmod(0o555)   # a folder nobody may write to: no journal, no watcher's files
    try:
        proj = ce.Project.open(path, readonly=True)
        reads = []
        real = proj._segments_frame
        proj._segments_frame = lambda: reads.append(1) or real()
        assert proj.segments.equals(proj.segments) and len(reads) == 1 and proj._watch is None
        proj.close()
    finally:
        path.parent.chmod(0o755)


def test_a_writer_that_waits_too_long_is_told_the_project_is_busy_and_the_queue_moves_on(tmp_path):
    import threading

    from coeval.store.database import FairLock

    lock = FairLock(timeout=0.05)
    held = threading.Event()
    done = threading.Event()
    holder = threading.Thread(target=lambda: (lock.acquire(), held.set(), done.wait(), lock.release()))
    holder.start()
    held.wait()
    assert lock.acquire() is False          # timed out: its ticket is given up, not left in the queue
    done.set()
    holder.join()
    assert lock.acquire() is True and lock._owner == threading.get_ident()   # the next one is served
    lock.release()
    proj = ce.Project.create(tmp_path / "p.coeval")
    proj._write_lock = lock
    holder = threading.Thread(target=lambda: (lock.acquire(), held.set(), done.wait(), lock.release()))
    done.clear()
    held.clear()
    holder.start()
    held.wait()
    with pytest.raises(ProjectError, match="is busy"):
        proj.add_coder("AC-1")
    done.set()
    holder.join()
    proj.add_coder("AC-1")
    assert "AC-1" in set(proj.coders["coder"])
    proj.close()
