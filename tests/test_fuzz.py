"""Every reader, fed broken versions of real files: a CoevalError or a parse, quickly, and nothing
written outside the place asked for.

A seeded generator (so a failure can be replayed) makes from each valid file: truncations, flipped
bytes, inserted control and binary bytes, re-encodings (UTF-16, Latin-1), doubled and empty
files, and for zip-based formats, damaged archives.
"""

from __future__ import annotations

import random
import time
import warnings
import zipfile
from pathlib import Path

import pytest

import coeval as ce
from coeval.errors import CoevalError

from conftest import SAMPLE

SEED = 20261129
VARIANTS = 14
SECONDS = 10


def _variants(data: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    out = [("empty", b""), ("half", data[: len(data) // 2]), ("doubled", data + data)]
    if data[:2] != b"PK":
        try:
            text = data.decode("utf-8")
            out += [("utf16", text.encode("utf-16")), ("latin1", text.encode("latin-1", "replace"))]
        except UnicodeDecodeError:
            pass
    while len(out) < VARIANTS:
        b = bytearray(data)
        kind = rng.choice(["flip", "cut", "insert", "noise"])
        if kind == "flip" and b:
            for _ in range(rng.randint(1, 20)):
                i = rng.randrange(len(b))
                b[i] = rng.randrange(256)
        elif kind == "cut" and b:
            b = b[: rng.randrange(len(b))]
        elif kind == "insert":
            i = rng.randrange(len(b) + 1)
            b[i:i] = bytes(rng.choice([0, 7, 27, 12, 0xFF, 0xFE, 0x80]) for _ in range(rng.randint(1, 8)))
        else:
            b = bytearray(rng.randbytes(rng.randint(1, 4096)))
        out.append((f"{kind}{len(out)}", bytes(b)))
    return out


def _sheet(tmp_path) -> tuple[object, bytes]:
    p = ce.Project()
    p.ingest(SAMPLE / "northside" / "workshop2.txt", kind="transcript", progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    path = p.export_sheet(tmp_path / "seed.xlsx", coder="AC-1")
    return p, path.read_bytes()


def _qdpx(tmp_path) -> bytes:
    from coeval.interop import write_qdpx

    p = ce.Project()
    p.ingest(SAMPLE / "northside" / "workshop2.txt", kind="transcript", progress=False)
    p.codebook = ce.Codebook.template("coeval")
    p.add_coder("AC-1", "academic")
    p.code(p.segments["segment_id"].iloc[0], "Transport and travel costs", coder="AC-1")
    return write_qdpx(p, tmp_path / "seed.qdpx").read_bytes()


def _readers(tmp_path):
    """(name, seed bytes, suffix, function reading a path)."""
    from coeval.coding.team_files import import_assignments
    from coeval.interop import read_qdpx
    from coeval.report import ReportConfig

    def document(kind):
        return lambda path: ce.read_document(path, kind=kind)

    sample = {name: (SAMPLE / name).read_bytes() for name in (
        "northside/workshop1_zoom.vtt", "millbrook/workshop1.srt", "northside/workshop2.txt",
        "riverside/workshop2_otter.txt", "eastfield/workshop1.docx", "northside/observation_2026-03-14.md",
        "feedback_survey.csv", "roster.csv", "codebook.yaml", "report.yaml", "codings.csv", "assignments.csv",
        "manifest.csv")}
    project, sheet = _sheet(tmp_path)

    def fresh():
        p = ce.Project()
        p.ingest(SAMPLE / "northside" / "workshop2.txt", kind="transcript", progress=False)
        p.codebook = ce.Codebook.template("coeval")
        return p

    def manifest(path):
        folder = path.parent / "m"
        folder.mkdir(exist_ok=True)
        (folder / "manifest.csv").write_bytes(path.read_bytes())
        return ce.Project().ingest(folder, progress=False)

    cb_csv = ce.Codebook.template("tfa").to_csv().encode()
    return [
        ("vtt", sample["northside/workshop1_zoom.vtt"], ".vtt", document("transcript")),
        ("srt", sample["millbrook/workshop1.srt"], ".srt", document("transcript")),
        ("txt", sample["northside/workshop2.txt"], ".txt", document("transcript")),
        ("otter", sample["riverside/workshop2_otter.txt"], ".txt", document("transcript")),
        ("docx", sample["eastfield/workshop1.docx"], ".docx", document("transcript")),
        ("notes", sample["northside/observation_2026-03-14.md"], ".md", document("observation")),
        ("survey", sample["feedback_survey.csv"], ".csv", document("survey")),
        ("roster", sample["roster.csv"], ".csv", ce.Roster.from_csv),
        ("codebook yaml", sample["codebook.yaml"], ".yaml", ce.Codebook.from_yaml),
        ("codebook csv", cb_csv, ".csv", ce.Codebook.from_csv),
        ("report settings", sample["report.yaml"], ".yaml", ReportConfig.load),
        ("codings", sample["codings.csv"], ".csv", lambda path: fresh().import_codings(path)),
        ("assignments", sample["assignments.csv"], ".csv", lambda path: import_assignments(fresh(), path)),
        ("manifest", sample["manifest.csv"], ".csv", manifest),
        ("coding sheet", sheet, ".xlsx", lambda path: project.import_sheet(path)),
        ("qdpx", _qdpx(tmp_path), ".qdpx", read_qdpx),
    ]


def test_every_reader_gives_a_clean_error_or_a_parse(tmp_path, monkeypatch):
    rng = random.Random(SEED)
    seeds, work = tmp_path / "seeds", tmp_path / "work"
    seeds.mkdir()
    work.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        readers = _readers(seeds)
    monkeypatch.chdir(work)
    outside_before = sorted(p.name for p in tmp_path.rglob("*") if work not in p.parents and p != work)
    failures = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, seed, suffix, read in readers:
            for label, data in _variants(seed, rng):
                path = work / f"case{suffix}"
                path.write_bytes(data)
                started = time.perf_counter()
                try:
                    read(path)
                except CoevalError:
                    pass
                except Exception as exc:  # noqa: BLE001 - the test is that none of these escape
                    failures.append(f"{name}/{label}: {type(exc).__name__}: {str(exc)[:120]}")
                took = time.perf_counter() - started
                if took > SECONDS:
                    failures.append(f"{name}/{label}: took {took:.1f} s")
    assert failures == [], "\n".join(failures)
    assert sorted(p.name for p in tmp_path.rglob("*") if work not in p.parents and p != work) == outside_before


def test_a_damaged_zip_is_a_clean_error(tmp_path):
    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", "<Project")
    from coeval.interop import read_qdpx

    with pytest.raises(CoevalError):
        read_qdpx(path)
    Path(path).write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(CoevalError):
        read_qdpx(path)
