"""The JSON API the reader uses: documents, the codebook, codings, memos, "done".

A coder changes only their own codings; the project's own methods do the work (so the audit
log records each change under the person's coder name), and every answer that holds codings
comes from :mod:`coeval.workspace.views`, which applies the blind rule.
"""

from __future__ import annotations

from .security import route
from .templating import json_error, run

__all__ = ["routes"]

CODERS = ("coordinator", "coder")


async def _body(request) -> dict:
    from ..errors import CoevalError

    try:
        data = await request.json()
    except ValueError:
        raise CoevalError("the request body is not JSON.") from None
    if not isinstance(data, dict):
        raise CoevalError("the request body must be a JSON object.")
    return data


def _answer(func):
    """Turn a CoevalError into a JSON answer (404 for what does not exist)."""
    from functools import wraps

    @wraps(func)
    async def wrapper(request):
        from ..errors import CoevalError, NotFoundError

        try:
            return await func(request)
        except NotFoundError as exc:
            return json_error(exc, 404)
        except CoevalError as exc:
            return json_error(exc, 400)
    return wrapper


def _json(data, status: int = 200):
    from starlette.responses import JSONResponse

    return JSONResponse(data, status_code=status)


@_answer
async def get_document(request):
    from .views import document_payload

    return _json(await run(document_payload, request.app.state.project, request.state.user,
                           request.path_params["document_id"]))


@_answer
async def get_codings(request):
    from .views import codings_payload

    proj, document_id = request.app.state.project, request.path_params["document_id"]
    from .views import document_payload  # raises NotFoundError for an unknown document

    await run(document_payload, proj, request.state.user, document_id)
    return _json(await run(codings_payload, proj, request.state.user, document_id))


@_answer
async def get_codebook(request):
    from .views import codebook_payload

    return _json(await run(codebook_payload, request.app.state.project))


def _coding(proj, user, coding_id):
    from .views import codings_payload

    rows = proj._read_rows(_coding_query(coding_id))
    if not rows:
        from ..errors import NotFoundError

        raise NotFoundError(f"no coding {coding_id!r}.")
    document_id = rows[0][0]
    return next(c for c in codings_payload(proj, user, document_id) if c["id"] == coding_id)


def _coding_query(coding_id):
    from sqlalchemy import select

    from ..store import schema

    c = schema.codings
    return select(c.c.document_id, c.c.coder).where(c.c.id == coding_id)


def _own_coding(proj, user, coding_id) -> str:
    """The document of one of the user's own codings; NotFoundError for anyone else's (so the
    answer does not even say that another coder's coding exists)."""
    from ..errors import NotFoundError

    rows = proj._read_rows(_coding_query(coding_id))
    if not rows or rows[0][1] != user["name"]:
        raise NotFoundError(f"no coding {coding_id!r} of yours.", hint="You can change only your own codings.")
    return rows[0][0]


@_answer
async def create_coding(request):
    from ..errors import CodingError

    proj, user = request.app.state.project, request.state.user
    data = await _body(request)
    try:
        target = (str(data["document_id"]), int(data["start"]), int(data["end"]))
        code = str(data["code_id"])
    except (KeyError, TypeError, ValueError):
        raise CodingError("a coding needs document_id, start, end (code points) and code_id.") from None

    def apply():
        cid = proj.code(target, code, coder=user["name"], memo=str(data.get("memo", "")))
        return _coding(proj, user, cid)
    return _json(await run(apply), 201)


@_answer
async def change_coding(request):
    proj, user = request.app.state.project, request.state.user
    coding_id = request.path_params["coding_id"]
    data = await _body(request)

    def change():
        _own_coding(proj, user, coding_id)
        cid = coding_id
        if "code_id" in data:
            from sqlalchemy import select

            from ..store import schema

            c = schema.codings
            doc, start, end, memo = proj._read_rows(select(c.c.document_id, c.c.start, c.c.end, c.c.memo)
                                                    .where(c.c.id == coding_id))[0]
            cid = proj.code((doc, start, end), str(data["code_id"]), coder=user["name"], memo=memo)
            if cid != coding_id:   # the new coding first, then the old one goes: nothing is lost on an error
                proj.uncode(coding_id, coder=user["name"])
        if "memo" in data:
            proj.set_memo(cid, str(data["memo"]), by=user["name"])
        return _coding(proj, user, cid)
    return _json(await run(change))


@_answer
async def delete_coding(request):
    proj, user = request.app.state.project, request.state.user
    coding_id = request.path_params["coding_id"]

    def remove():
        _own_coding(proj, user, coding_id)
        return proj.uncode(coding_id, coder=user["name"])
    return _json({"removed": await run(remove)})


@_answer
async def mark_done(request):
    from .views import document_payload

    proj, user = request.app.state.project, request.state.user
    document_id = request.path_params["document_id"]

    def done():
        document_payload(proj, user, document_id)   # NotFoundError for an unknown document
        proj.mark_done(user["name"], [document_id], by=user["name"])
        return document_payload(proj, user, document_id)["assignment"]
    return _json(await run(done))


@_answer
async def save_memo(request):
    proj, user = request.app.state.project, request.state.user
    document_id = request.path_params["document_id"]
    data = await _body(request)
    await run(proj.set_document_memo, document_id, str(data.get("text", "")), coder=user["name"])
    return _json({"saved": True})


def routes() -> list:
    """The API routes: reading for everyone logged in, changes for coders and coordinators."""
    return [
        route("/api/documents/{document_id}", get_document),
        route("/api/documents/{document_id}/codings", get_codings),
        route("/api/codebook", get_codebook),
        route("/api/codings", create_coding, methods=("POST",), access=CODERS),
        route("/api/codings/{coding_id}", change_coding, methods=("PATCH",), access=CODERS),
        route("/api/codings/{coding_id}", delete_coding, methods=("DELETE",), access=CODERS),
        route("/api/documents/{document_id}/done", mark_done, methods=("POST",), access=CODERS),
        route("/api/documents/{document_id}/memo", save_memo, methods=("PUT",), access=CODERS),
    ]
