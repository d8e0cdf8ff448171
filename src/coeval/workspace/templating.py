"""Pages from Jinja2 templates, escaped always, and the answers every handler shares."""

from __future__ import annotations

from functools import cache

__all__ = ["render", "json_error", "run"]


@cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # autoescape every template, whatever its name: all text shown comes from people or documents
    return Environment(loader=PackageLoader("coeval.workspace", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(request, template: str, *, status: int = 200, cookies: dict | None = None, **context):
    """An HTML response from ``template``, with the person, their CSRF token and the project in context."""
    from starlette.responses import HTMLResponse

    user = getattr(request.state, "user", None)
    app_state = request.app.state
    body = _environment().get_template(template).render(
        user=user, csrf=user["csrf"] if user else context.pop("form_token", ""), project=app_state.title,
        path=request.url.path, **context)
    response = HTMLResponse(body, status_code=status)
    for key, value in (cookies or {}).items():
        response.set_cookie(key, value, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                            path="/")
    return response


def json_error(exc, status: int = 400):
    """A JSON answer for a :class:`~coeval.errors.CoevalError`: its message and what to do."""
    from starlette.responses import JSONResponse

    return JSONResponse({"error": getattr(exc, "message", str(exc)), "hint": getattr(exc, "hint", "") or ""},
                        status_code=status)


async def run(func, *args, **kwargs):
    """Run a blocking project call in the thread pool (the store is synchronous)."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args, **kwargs)
