"""Reading untrusted exchange files safely: zip archives and XML."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from ..errors import FormatError

__all__ = ["open_zip", "check_office_file", "read_member", "find_member", "parse_xml", "MAX_TOTAL_BYTES",
           "MAX_RATIO", "MAX_OFFICE_BYTES"]

MAX_TOTAL_BYTES = 2 * 1024 ** 3   # the REFI-QDA limit for one file is 2^31 - 1 bytes
MAX_RATIO = 200                   # a zip member expanding more than this is a bomb, not a project
MAX_MEMBERS = 100_000


MAX_OFFICE_BYTES = 256 * 1024 ** 2  # a Word or Excel file: far beyond any transcript or survey
MAX_OFFICE_RATIO = 100
_SMALL = 64 * 1024  # entries smaller than this cannot hurt, whatever their ratio


def _check_entries(zf: zipfile.ZipFile, path, *, max_total: int, max_ratio: float, what: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FormatError(f"holds {len(infos):,} entries, more than any real {what}.", path=path)
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = name.split("/")
        if name.startswith("/") or ".." in parts or (len(name) > 1 and name[1] == ":"):
            raise FormatError(f"has an entry that would escape its folder ({info.filename!r}).", path=path,
                              hint="The file may be malicious; do not open it.")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _SMALL and ratio > max_ratio:
            raise FormatError(f"has an entry that expands {ratio:,.0f} times ({info.filename!r}): a zip bomb, "
                              f"not a {what}.", path=path, hint="Do not open it; ask for the file again.")
    if total > max_total:
        raise FormatError(f"would expand to {total / 1024 ** 2:,.0f} MB, more than any real {what}.", path=path,
                          hint="Split it into smaller files, or check it is what you think it is.")


def open_zip(path, *, max_total: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO,
             what: str = "project") -> zipfile.ZipFile:
    """Open a zip archive after checking every entry: no escaping names, no absurd sizes.

    Raises
    ------
    FormatError
        Not a zip, an entry with ``..`` or an absolute path, too many entries, a total size
        over the limit, or a compression ratio typical of zip bombs.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise FormatError("does not exist.", path=path) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"is not a readable zip archive ({exc}).", path=path,
                          hint="A .qdpx file is a zip archive; export it again from your QDA tool.") from None
    try:
        _check_entries(zf, path, max_total=max_total, max_ratio=max_ratio, what=what)
    except FormatError:
        zf.close()
        raise
    return zf


def check_office_file(path, what: str = "Word or Excel file") -> None:
    """Refuse a .docx or .xlsx whose parts would expand beyond any real document (a zip bomb)
    before a library reads it. Files that are not zip archives are left to the reader's own
    error."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with zf:
        _check_entries(zf, path, max_total=MAX_OFFICE_BYTES, max_ratio=MAX_OFFICE_RATIO, what=what)


def read_member(zf: zipfile.ZipFile, name: str, *, path=None) -> bytes:
    """Read one entry, refusing to read more than its declared size."""
    import zlib

    info = zf.getinfo(name)
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise FormatError(f"has a damaged entry {name!r} ({type(exc).__name__}).", path=path,
                          hint="The file is corrupt: export it again from the tool that made it.") from None
    if len(data) > info.file_size:
        raise FormatError(f"entry {name!r} is larger than its header says.", path=path)
    return data


def find_member(zf: zipfile.ZipFile, name: str) -> str | None:
    """The entry matching ``name``, ignoring the letter case of the folder (``Sources/``)."""
    names = {n.replace("\\", "/"): n for n in zf.namelist()}
    if name in names:
        return names[name]
    lowered = {posixpath.normpath(k).lower(): v for k, v in names.items()}
    return lowered.get(posixpath.normpath(name).lower())


def parse_xml(data: bytes, *, path=None):
    """Parse XML without resolving entities, loading DTDs or touching the network.

    Raises
    ------
    FormatError
        A DOCTYPE or ENTITY declaration (REFI-QDA files have none; they are how XML attacks
        start), or malformed XML (naming the line).
    """
    from lxml import etree

    head = data[:4096].lower()
    if b"<!doctype" in data.lower() or b"<!entity" in head:
        raise FormatError("declares a DOCTYPE or entities, which exchange files never need.", path=path,
                          hint="The file may be malicious; do not open it.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(f"is not well-formed XML ({exc.msg}).", path=path, line=line,
                          hint="Export the project again from your QDA tool.") from None
