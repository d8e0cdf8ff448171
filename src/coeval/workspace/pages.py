"""The pages everyone uses: log in and out, accept an invitation, my work, the document reader."""

from __future__ import annotations

from .security import PRE_COOKIE, SESSION_COOKIE, pre_login_token, route, safe_next
from .templating import render, run

__all__ = ["routes"]


def _client(request) -> str:
    return request.client.host if request.client else "unknown"


async def login_page(request):
    if request.state.user is not None:
        from starlette.responses import RedirectResponse

        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    token = pre_login_token(request)
    return render(request, "login.html.j2", form_token=token, cookies={PRE_COOKIE: token},
                  next=safe_next(request.query_params.get("next")), error="", name="")


async def login(request):
    from starlette.responses import RedirectResponse

    from .accounts import SESSION_HOURS, authenticate, start_session

    form = await request.form()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    target = safe_next(form.get("next"))
    throttle = request.app.state.throttle
    keys = (f"ip:{_client(request)}", f"name:{name.casefold()}")
    token = pre_login_token(request)
    wait = throttle.wait(*keys)
    if wait:
        minutes = max(1, round(wait / 60))
        return render(request, "login.html.j2", status=429, form_token=token, next=target, name=name,
                      error=f"Too many failed attempts. Wait {minutes} minute{'s' if minutes > 1 else ''} and "
                            "try again, or ask your coordinator to check your name.")
    who = await run(authenticate, request.app.state.project, name, password)
    if who is None:
        throttle.failed(*keys)
        return render(request, "login.html.j2", status=401, form_token=token, next=target, name=name,
                      error="That name and password do not match an account.")
    throttle.succeeded(*keys)
    session, _csrf = await run(start_session, request.app.state.project, who)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


async def logout(request):
    from starlette.responses import RedirectResponse

    from .accounts import end_session

    await run(end_session, request.app.state.project, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def invitation_page(request):
    from ..errors import CoevalError
    from .accounts import MIN_PASSWORD, invitation

    token = pre_login_token(request)
    try:
        invite = await run(invitation, request.app.state.project, request.path_params["token"])
    except CoevalError as exc:
        return render(request, "message.html.j2", status=404, title="Invitation", message=exc.message,
                      hint=exc.hint or "")
    return render(request, "invite.html.j2", form_token=token, cookies={PRE_COOKIE: token}, invite=invite,
                  min_password=MIN_PASSWORD, error="", name="")


async def accept_invitation(request):
    from starlette.responses import RedirectResponse

    from ..errors import CoevalError
    from .accounts import MIN_PASSWORD, SESSION_HOURS, accept_invite, invitation, start_session

    proj = request.app.state.project
    form = await request.form()
    token = request.path_params["token"]
    try:
        invite = await run(invitation, proj, token)
    except CoevalError as exc:
        return render(request, "message.html.j2", status=404, title="Invitation", message=exc.message,
                      hint=exc.hint or "")
    password, again = str(form.get("password", "")), str(form.get("again", ""))
    name = str(form.get("name", ""))
    try:
        if password != again:
            raise _Mismatch("the two passwords are not the same.")
        who = await run(accept_invite, proj, token, password, name=name, role=str(form.get("role", "")) or None)
    except (CoevalError, _Mismatch) as exc:
        message = getattr(exc, "message", str(exc))
        hint = getattr(exc, "hint", "") or ""
        return render(request, "invite.html.j2", status=400, form_token=pre_login_token(request), invite=invite,
                      min_password=MIN_PASSWORD, error=f"{message[:1].upper()}{message[1:]} {hint}".strip(),
                      name=name)
    session, _csrf = await run(start_session, proj, who)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


class _Mismatch(Exception):
    pass


async def home(request):
    from .views import assignment_rows, blind_round

    proj = request.app.state.project
    rows = await run(assignment_rows, proj, request.state.user)
    blind = await run(blind_round, proj)
    return render(request, "home.html.j2", rows=rows, blind=blind,
                  assigned=any(r["status"] != "not assigned" for r in rows))


async def reader(request):
    from ..errors import NotFoundError
    from .views import document_payload

    proj = request.app.state.project
    document_id = request.path_params["document_id"]
    try:
        payload = await run(document_payload, proj, request.state.user, document_id)
    except NotFoundError as exc:
        return render(request, "message.html.j2", status=404, title="Not found", message=exc.message, hint="")
    return render(request, "reader.html.j2", document=payload["document"])


def routes() -> list:
    """The routes of this module (login and invitations are public; the rest need a session)."""
    return [
        route("/login", login_page, access=None),
        route("/login", login, methods=("POST",), access=None),
        route("/logout", logout, methods=("POST",)),
        route("/invite/{token}", invitation_page, access=None),
        route("/invite/{token}", accept_invitation, methods=("POST",), access=None),
        route("/", home),
        route("/documents/{document_id}", reader),
    ]
