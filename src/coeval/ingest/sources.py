"""Finding what to ingest: a folder with a manifest, a folder, files, or a glob."""

from __future__ import annotations

import glob as globlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FormatError, ManifestError
from ..files.csvrows import csv_rows
from ..files.textio import decode_bytes, normalise_text
from ..model import DOCUMENT_KINDS

__all__ = ["Job", "Sources", "collect", "read_manifest", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.csv"
# Manifest rows of these kinds name project files rather than documents.
PROJECT_FILE_KINDS = ("roster", "codebook", "codings", "assignments", "reconciliation")
_RESERVED = {"file", "kind", "text_column", "sheet"}


@dataclass
class Job:
    """One file to ingest, with the metadata the manifest or caller gave it."""

    path: Path
    kind: str | None = None
    metadata: dict = field(default_factory=dict)
    text_column: str | None = None
    sheet: str | None = None
    line: int | None = None  # manifest line, for messages
    name: str | None = None  # path as the user gave it, relative to the folder; becomes the id
    problem: Exception | None = None  # raised (or, with on_error="skip", recorded) at ingest


@dataclass
class Sources:
    """Everything found: files to ingest, and project files named by a manifest."""

    jobs: list[Job] = field(default_factory=list)
    roster: Path | None = None
    project_files: dict = field(default_factory=dict)  # kind -> [paths], for later steps
    manifest: Path | None = None
    skipped: list = field(default_factory=list)  # (file, why): found in a folder, left out


def read_manifest(path: Path) -> Sources:
    """Read a folder's ``manifest.csv``.

    Columns: ``file`` (required, relative to the manifest), ``kind``, ``site``, ``date``,
    ``session``, optional ``title``, ``text_column``, ``sheet``, and any further columns as
    metadata. A row of kind ``roster`` names the roster; ``codebook``, ``codings``,
    ``assignments`` and ``reconciliation`` rows name files for the coding steps.

    Raises
    ------
    ManifestError
        No ``file`` column, an empty ``file``, an unknown kind, or a file listed twice.
        A listed file that does not exist is reported at ingest (so ``on_error="skip"``
        can go on without it).
    """
    text = normalise_text(decode_bytes(path.read_bytes(), path=path))
    fieldnames, rows = csv_rows(text, path=path, error=ManifestError)
    columns = [c.strip().lower() for c in fieldnames]
    if "file" not in columns:
        raise ManifestError(f"has no 'file' column (columns: {', '.join(columns) or 'none'}).",
                            path=path, line=1,
                            hint="The first line should be a header such as 'file,kind,site,date,session'.")
    base = path.parent
    sources = Sources(manifest=path)
    seen: dict[str, int] = {}
    for lineno, row in rows:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not any(row.values()):
            continue
        name = row.get("file", "")
        if not name:
            raise ManifestError("has a row with no file name.", path=path, line=lineno,
                                hint="Fill in the 'file' column or delete the row.")
        if Path(name).is_absolute() or ".." in Path(name.replace("\\", "/")).parts or ":" in name[1:3]:
            raise ManifestError(f"names {name!r}, outside the manifest's folder.", path=path, line=lineno,
                                hint="Copy the file into the folder (or a subfolder) and name it from there.")
        if name in seen:
            raise ManifestError(f"lists {name!r} twice (first on line {seen[name]}).", path=path,
                                line=lineno, hint="Keep one row per file.")
        seen[name] = lineno
        kind = row.get("kind") or None
        file_path = (base / name)
        if kind in PROJECT_FILE_KINDS:
            if not file_path.is_file():
                raise ManifestError(f"names a {kind} file {name!r} that does not exist.",
                                    path=path, line=lineno, hint="Check the file name and folder.")
            if kind == "roster":  # several rosters are all used, together (never just the last)
                sources.roster = _rosters(sources.roster, file_path)
            else:
                sources.project_files.setdefault(kind, []).append(file_path)
            continue
        if kind is not None and kind not in DOCUMENT_KINDS:
            raise ManifestError(
                f"gives {name!r} the unknown kind {kind!r}.", path=path, line=lineno,
                hint=f"Use one of: {', '.join(DOCUMENT_KINDS + PROJECT_FILE_KINDS)}.")
        meta = {k: v for k, v in row.items() if k not in _RESERVED and v}
        job = Job(file_path, kind=kind, metadata=meta, text_column=row.get("text_column") or None,
                  sheet=row.get("sheet") or None, line=lineno, name=name)
        if not file_path.is_file():
            job.problem = ManifestError(f"names {name!r}, which does not exist in {base}.", path=path,
                                        line=lineno, hint="Check the file name, or remove the row.")
        sources.jobs.append(job)
    return sources


def _is_data_file(p: Path) -> bool:
    from .reader import SUPPORTED_SUFFIXES

    name = p.name.lower()
    readable = p.suffix.lower() in SUPPORTED_SUFFIXES or (not p.suffix and p.stat().st_size < 50 * 1024 ** 2)
    return (p.is_file() and readable and not name.startswith((".", "~$"))
            and name != MANIFEST_NAME and not name.startswith(("roster", "key")))


# files that travel with transcripts but are not records of the evaluation
_NOT_RECORDS = re.compile(r"^(readme|read me|read_me|license|licence|changelog|notes? to self|data[ _-]?dictionary"
                          r"|codebook|code[ _-]?book|manifest|index|contents|instructions|consent[ _-]?form)\b", re.I)


def _not_a_record(path: Path) -> str | None:
    """Why a file found in a folder is left out (a README, a data dictionary), or None."""
    if _NOT_RECORDS.match(path.stem):
        return (f"'{path.name}' looks like a project file (a read-me, a data dictionary), not a record; list it in "
                "manifest.csv to ingest it anyway")
    return None


def collect(target, *, roster=None) -> Sources:
    """Expand what the user gave (a folder, a file, a glob, or a list of these) into jobs.

    A folder with a ``manifest.csv`` is read through it; a folder without one gives every
    supported file in it and its subfolders (except rosters and keys), sorted by path.
    """
    targets = list(target) if isinstance(target, (list, tuple)) else [target]
    out = Sources()
    for item in targets:
        item_str = str(item)
        p = Path(item_str)
        if p.is_dir():
            manifest = p / MANIFEST_NAME
            if manifest.is_file():
                found = read_manifest(manifest)
                out.jobs += found.jobs
                out.roster = _rosters(out.roster, found.roster)
                out.manifest = out.manifest or found.manifest
                for k, v in found.project_files.items():
                    out.project_files.setdefault(k, []).extend(v)
            else:
                for f in sorted(p.rglob("*")):
                    if not _is_data_file(f):
                        continue
                    why = _not_a_record(f)
                    if why:
                        out.skipped.append((f.relative_to(p).as_posix(), why))
                    else:
                        out.jobs.append(Job(f, name=f.relative_to(p).as_posix()))
        elif any(ch in item_str for ch in "*?["):
            matches = [Path(m) for m in sorted(globlib.glob(item_str, recursive=True))]
            out.jobs += [Job(m) for m in matches if m.is_file()]
            if not matches:
                out.jobs.append(Job(p, problem=FormatError("no files match this pattern.", path=item_str,
                                                           hint="Check the folder and the pattern.")))
        else:
            job = Job(p)
            if not p.exists():
                job.problem = FormatError("does not exist.", path=p, hint="Check the path.")
            out.jobs.append(job)
    if roster is not None:  # given as well as named by a manifest: both are used
        mergeable = isinstance(roster, (str, Path)) and out.roster is not None
        out.roster = _rosters(roster, out.roster) if mergeable else roster
    return out


def _rosters(have, more):
    """The roster paths so far and more: one path, or a list of them."""
    paths = [p for p in ([have] if not isinstance(have, list) else have) + ([more] if not isinstance(more, list)
                                                                            else more) if p is not None]
    paths = list(dict.fromkeys(Path(p) for p in paths))
    return None if not paths else paths[0] if len(paths) == 1 else paths
