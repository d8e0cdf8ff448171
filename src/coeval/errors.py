"""Errors a user can cause, each naming where the problem is and what to do.

Every exception coeval raises on purpose is a :class:`CoevalError`. Subclasses also
inherit the matching builtin (``ValueError``, ``FileNotFoundError``, ``KeyError``) so
that generic handlers in users' scripts still catch them.
"""

from __future__ import annotations

__all__ = [
    "CoevalError",
    "WriteError",
    "PrivacyError",
    "ReportError",
    "PlainLanguageWarning",
    "FormatError",
    "ParseError",
    "EmptyDocumentError",
    "ManifestError",
    "RosterError",
    "ProjectError",
    "CodebookError",
    "CodingError",
    "SheetError",
    "MergeConflict",
    "NotFoundError",
    "PrivacyWarning",
    "CoevalWarning",
]


class CoevalError(Exception):
    """Base class of every error coeval raises for bad input or misuse.

    Parameters
    ----------
    message : str
        What was wrong.
    path : str or path-like, optional
        The file concerned.
    line : int, optional
        1-based line (or row) number in that file.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(self, message: str, *, path=None, line: int | None = None, hint: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f", line {self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        text = where + self.message
        if self.hint:
            text += f" {self.hint}"
        return text

    def __reduce__(self):  # keep errors picklable (multiprocessing, nbclient)
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint))


def _rebuild(cls, message, path, line, hint):
    return cls(message, path=path, line=line, hint=hint)


class FormatError(CoevalError, ValueError):
    """A file is not in a format coeval can read (unknown suffix, binary, bad encoding)."""


class ParseError(CoevalError, ValueError):
    """A file is in a known format but its content is malformed (bad timestamp, no cues)."""


class EmptyDocumentError(ParseError):
    """A file holds no text to analyse."""


class ManifestError(CoevalError, ValueError):
    """A folder's ``manifest.csv`` is malformed or names a file that is not there."""


class RosterError(CoevalError, ValueError):
    """The participant roster is malformed (missing column, duplicate pseudonym)."""


class ProjectError(CoevalError):
    """A project file cannot be created, opened or changed as asked."""


class WriteError(CoevalError, OSError):
    """A file (an export, a sheet, a report) cannot be written: a full disk, no permission."""


class CodebookError(CoevalError, ValueError):
    """A codebook is malformed (duplicate name, unknown parent, cycle) or a change is impossible."""


class CodingError(CoevalError, ValueError):
    """A coding cannot be made as asked (span outside the text, unknown coder)."""


class SheetError(CoevalError, ValueError):
    """A coding sheet or codings table cannot be imported (edited id or text, unknown code)."""


class MergeConflict(CoevalError):
    """Projects cannot be merged without a decision (same code name, different definitions)."""


class NotFoundError(CoevalError, KeyError):
    """An id (document, segment, code) that is not in the project."""

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return self._format()


class PrivacyError(CoevalError):
    """A report would show something that identifies a participant (a roster name, an e-mail
    address, a phone number)."""


class ReportError(CoevalError, ValueError):
    """A report cannot be made as asked (bad config, unknown section, missing extra)."""


class CoevalWarning(UserWarning):
    """Something the user should know about, that did not stop the work."""


class PlainLanguageWarning(CoevalWarning):
    """A report's own words may be hard going for its readers (see ``Report.checks()``)."""


class PrivacyWarning(CoevalWarning):
    """Pseudonymisation could not be as thorough as it might (e.g. no roster, no NER model)."""
