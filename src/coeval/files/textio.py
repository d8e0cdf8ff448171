"""Reading text files in whatever encoding real tools write, and normalising the text.

Caption and transcript files arrive as UTF-8 with or without a BOM, UTF-16/UTF-32 with a
BOM (Windows tools), or Windows-1252 (older subtitle editors). We decode by BOM first,
then strict UTF-8, then Windows-1252, and refuse files that look binary.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import EmptyDocumentError, FormatError

__all__ = ["decode_bytes", "read_text", "normalise_text", "content_hash"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that never occur in text: C0 controls other than tab, LF, FF, CR (and ESC, which
# some subtitle tools emit for colour codes).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BINARY_TABLE = bytes.maketrans(b"", b"")
_UTF8_MULTIBYTE = re.compile(rb"[\xc3-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (a Word .docx or Excel .xlsx saved under the wrong name?)"),
    (b"\xd0\xcf\x11\xe0", "an old Word .doc or Excel .xls file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"{\\rtf", "a Rich Text (.rtf) file"),
)
_MAGIC_HINT = ("Give coeval the transcript itself: a .docx or .xlsx under its own suffix, or the text "
               "exported as .txt, .vtt or .srt (for PDFs and .doc files, save as .docx or .txt).")


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def _guess_utf16_without_bom(data: bytes) -> str | None:
    # Text in UTF-16 without BOM has a NUL in every other byte for ASCII content.
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, *, path=None) -> str:
    """Decode a text file's bytes.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : str, optional
        Used in error messages only.

    Returns
    -------
    str
        The decoded text, without a BOM (not yet normalised).

    Raises
    ------
    FormatError
        If the bytes look binary or cannot be decoded.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start + len(bom)}).",
                    path=path, hint="Re-save the file as UTF-8 text.") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise FormatError(f"is {what}, not text.", path=path, hint=_MAGIC_HINT)
    if b"\x00" in data[:4000]:
        encoding = _guess_utf16_without_bom(data)
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
        raise FormatError(
            "looks like a binary file, not text.", path=path,
            hint="Check that it is the transcript or notes you meant (a renamed PDF, image "
                 "or Word file will not read as text); export it as .txt, .vtt, .srt or .docx.")
    head = data[:4000]
    controls = len(head) - len(head.translate(_BINARY_TABLE, _BINARY_BYTES))
    if head and controls > max(2, len(head) // 100):
        raise FormatError(
            "looks like a binary file, not text (it holds control bytes).", path=path,
            hint="Export it as plain text (.txt), WebVTT (.vtt), SRT (.srt) or Word (.docx).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        # Mostly UTF-8 with a few damaged bytes: Windows-1252 would garble every accent.
        text = data.decode("utf-8", errors="replace")
        import warnings

        from ..errors import CoevalWarning

        warnings.warn(f"{path}: {text.count(chr(0xFFFD))} bytes are not valid UTF-8 and were "
                      "replaced with \ufffd; re-save the file as UTF-8 if text looks wrong.",
                      CoevalWarning, stacklevel=3)
        return text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # rare path: unusual legacy encodings

    best = from_bytes(data).best()
    if best is None:
        raise FormatError("is not text in any encoding coeval recognises.", path=path,
                          hint="Re-save it as UTF-8 text.")
    return str(best)


# C0 control characters other than tab and line feed (NUL, ESC, BEL, backspace, form feed...): they
# carry nothing a reader sees, and XML (so .xlsx and .docx) cannot hold them. C1 controls and DEL,
# which XML allows, are kept as written.
#: C0 control characters removed from all stored text (tab, line feed and carriage return are not among them).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def normalise_text(text: str) -> str:
    """Normalise text once, as stored: NFC, ``\\n`` line ends, no BOM, and no control characters
    (NUL, ESC, BEL, form feed... are removed; tab and line feed stay)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    if CONTROL_CHARACTERS.search(text):
        text = CONTROL_CHARACTERS.sub("", text)
    return unicodedata.normalize("NFC", text)


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a text file, returning its normalised text and the hash of its bytes.

    Raises
    ------
    FileNotFoundError-compatible FormatError, EmptyDocumentError
    """
    path = Path(path)
    data = read_bytes(path)
    text = normalise_text(decode_bytes(data, path=path))
    if not text.strip():
        raise EmptyDocumentError("is empty: there is no text to ingest.", path=path,
                                 hint="Check you exported the right file, or leave it out.")
    return text, content_hash(data)


def read_bytes(path: Path) -> bytes:
    """Read a file's bytes, turning OS errors into a clear FormatError."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise FormatError("does not exist.", path=path,
                          hint="Check the path (and the manifest, if it names this file).") from None
    except IsADirectoryError:
        raise FormatError("is a folder, not a file.", path=path) from None
    except OSError as exc:
        raise FormatError(f"cannot be read ({exc.strerror}).", path=path) from None
