"""The JSON API the reader uses: documents, the codebook, codings, memos, "done".

A coder changes only their own codings; :mod:`coeval.workspace.actions` does the work (the
Jupyter widget calls the same functions), and every answer that holds codings comes from
:mod:`coeval.workspace.views`, which applies the blind rule.
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
    from .views import codings_payload, require_document

    proj, document_id = request.app.state.project, request.path_params["document_id"]
    await run(require_document, proj, document_id)
    return _json(await run(codings_payload, proj, request.state.user, document_id))


@_answer
async def get_codebook(request):
    from .views import codebook_payload

    return _json(await run(codebook_payload, request.app.state.project))


@_answer
async def create_coding(request):
    from .actions import create_coding as create

    data = await _body(request)
    return _json(await run(create, request.app.state.project, request.state.user, data), 201)


@_answer
async def change_coding(request):
    from .actions import change_coding as change

    data = await _body(request)
    return _json(await run(change, request.app.state.project, request.state.user,
                           request.path_params["coding_id"], data))


@_answer
async def delete_coding(request):
    from .actions import remove_coding

    return _json(await run(remove_coding, request.app.state.project, request.state.user,
                           request.path_params["coding_id"]))


@_answer
async def mark_done(request):
    from .actions import finish_document

    return _json(await run(finish_document, request.app.state.project, request.state.user,
                           request.path_params["document_id"]))


@_answer
async def save_memo(request):
    from .actions import save_document_memo

    proj, user = request.app.state.project, request.state.user
    document_id = request.path_params["document_id"]
    data = await _body(request)
    return _json(await run(save_document_memo, proj, user, document_id, data.get("text", "")))


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
