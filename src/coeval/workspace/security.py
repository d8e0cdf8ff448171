"""The workspace's guard: who is logged in, what they may do, and protection for every change.

* Every request but the login page, an invitation link and the static files needs a live
  session (checked by :class:`LoginRequired` before any page or API code runs).
* Every route is registered through :func:`route`, which wraps each non-GET handler in the
  CSRF check (a per-session token in a form field or the ``X-CSRF-Token`` header, plus the
  ``Origin`` header when the browser sends one) and each handler in its access check, so
  neither can be forgotten on a new route.
* Responses carry a strict Content-Security-Policy (scripts and styles from this server only,
  nothing inline), so text that slipped through escaping still could not run.
"""

from __future__ import annotations

import hmac
import secrets
from functools import wraps
from urllib.parse import urlsplit

__all__ = ["SESSION_COOKIE", "PRE_COOKIE", "LoginRequired", "route", "PUBLIC_PREFIXES", "safe_next",
           "pre_login_token", "MAX_BODY"]

SESSION_COOKIE = "coeval_session"
PRE_COOKIE = "coeval_form"          # double-submit token for the forms used before logging in
PUBLIC_PREFIXES = ("/login", "/invite/", "/static/")
MAX_BODY = 2 * 1024 * 1024
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _public(path: str) -> bool:
    return path == "/login" or any(path.startswith(p) for p in PUBLIC_PREFIXES if p != "/login")


def safe_next(target: str | None) -> str:
    """A same-site path to go to after logging in (never another host)."""
    target = str(target or "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def pre_login_token(request) -> str:
    """The double-submit token for a form shown before login (kept, or new)."""
    return request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)


class LoginRequired:
    """ASGI middleware: find the session's person, refuse what needs a login, add security headers."""

    def __init__(self, app, proj):
        self.app, self.proj = app, proj

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import Request
        from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse

        from .accounts import session_user

        request = Request(scope)
        path = scope["path"]
        length = request.headers.get("content-length", "0")
        response = None
        if not length.isdigit() or int(length) > MAX_BODY:
            response = PlainTextResponse("Request too large.", status_code=413)
        else:
            token = None if path.startswith("/static/") else request.cookies.get(SESSION_COOKIE)
            user = await run_in_threadpool(session_user, self.proj, token) if token else None
            scope.setdefault("state", {})["user"] = user
            if user is None and not _public(path):
                if path.startswith("/api/") or scope["method"] not in ("GET", "HEAD"):
                    response = JSONResponse({"error": "log in first."}, status_code=401)
                else:
                    query = scope.get("query_string", b"").decode("latin-1")
                    target = path + (f"?{query}" if query else "")
                    from urllib.parse import quote

                    response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in HEADERS.items():
                    if key.lower().encode() not in present:
                        headers.append((key.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        if response is not None:
            return await response(scope, receive, send_with_headers)
        return await self.app(scope, receive, send_with_headers)


def _refuse(request, status: int, message: str):
    from starlette.responses import JSONResponse, PlainTextResponse

    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


async def _csrf_ok(request) -> bool:
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            return False
    user = request.state.user
    expected = user["csrf"] if user else request.cookies.get(PRE_COOKIE)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf_token")
    return bool(expected and sent) and hmac.compare_digest(str(sent), str(expected))


def route(path: str, handler, *, methods=("GET",), access=("coordinator", "coder", "viewer"), name=None):
    """A Starlette route whose handler checks access, and, for changes, the CSRF token.

    ``access`` lists who may use it; ``None`` makes it public (login, invitations): the
    CSRF check still applies to its changes, through the pre-login double-submit cookie.
    """
    from starlette.routing import Route

    changes = any(m not in ("GET", "HEAD") for m in methods)

    @wraps(handler)
    async def guarded(request):
        user = request.state.user
        if access is not None and (user is None or user["access"] not in access):
            return _refuse(request, 403, "You do not have access to this page.")
        if changes and request.method not in ("GET", "HEAD") and not await _csrf_ok(request):
            return _refuse(request, 403, "This change was refused: its form had expired or came from another "
                                         "site. Reload the page and try again.")
        return await handler(request)

    return Route(path, guarded, methods=list(methods), name=name)
