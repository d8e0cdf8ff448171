"""What a coder does, the same from the web page and from the Jupyter widget: code a span,
change or remove one of their own codings, mark a document done.

Each call goes through the project's own methods, so the audit log records the person's
coder name, and each answer comes from :mod:`coeval.workspace.views` (the blind rule).
"""

from __future__ import annotations

from ..errors import CodingError, NotFoundError
from .views import coding_payload

__all__ = ["create_coding", "change_coding", "remove_coding", "finish_document"]


def _owner(proj, coding_id: str):
    from sqlalchemy import select

    from ..store import schema

    c = schema.codings
    rows = proj._read_rows(select(c.c.document_id, c.c.coder, c.c.start, c.c.end, c.c.memo).where(c.c.id == coding_id))
    return rows[0] if rows else None


def _own(proj, user: dict, coding_id: str):
    """One of the user's own codings; NotFoundError for anyone else's (so the answer does not
    even say that another coder's coding exists)."""
    row = _owner(proj, coding_id)
    if row is None or row[1] != user["name"]:
        raise NotFoundError(f"no coding {coding_id!r} of yours.", hint="You can change only your own codings.")
    return row


def create_coding(proj, user: dict, data: dict) -> dict:
    """Code ``data``'s span (``document_id``, ``start``, ``end`` in code points) with ``code_id``."""
    try:
        target = (str(data["document_id"]), int(data["start"]), int(data["end"]))
        code = str(data["code_id"])
    except (KeyError, TypeError, ValueError):
        raise CodingError("a coding needs document_id, start, end (code points) and code_id.") from None
    cid = proj.code(target, code, coder=user["name"], memo=str(data.get("memo", "")))
    return coding_payload(proj, user, cid)


def change_coding(proj, user: dict, coding_id: str, data: dict) -> dict:
    """Change the memo (``memo``) or the code (``code_id``) of one of the user's codings."""
    doc, _coder, start, end, memo = _own(proj, user, coding_id)
    cid = coding_id
    if "code_id" in data:
        cid = proj.code((doc, start, end), str(data["code_id"]), coder=user["name"], memo=memo)
        if cid != coding_id:   # the new coding first, then the old one goes: nothing is lost on an error
            proj.uncode(coding_id, coder=user["name"])
    if "memo" in data:
        proj.set_memo(cid, str(data["memo"]), by=user["name"])
    return coding_payload(proj, user, cid)


def remove_coding(proj, user: dict, coding_id: str) -> dict:
    """Remove one of the user's codings."""
    _own(proj, user, coding_id)
    return {"removed": proj.uncode(coding_id, coder=user["name"])}


def finish_document(proj, user: dict, document_id: str) -> dict:
    """Mark the user's assignments in a document done; returns their assignment there."""
    from .views import assignment_state, require_document

    require_document(proj, document_id)
    proj.mark_done(user["name"], [document_id], by=user["name"])
    return assignment_state(proj, user["name"], document_id)


def save_document_memo(proj, user: dict, document_id: str, text: str) -> dict:
    """The user's memo on a document (replacing their earlier one)."""
    proj.set_document_memo(document_id, str(text), coder=user["name"])
    return {"saved": True}
