"""The workspace application: the Starlette app over one project, and ``serve`` to run it."""

from __future__ import annotations

import sys

__all__ = ["create_app", "serve", "DEFAULT_PORT"]

DEFAULT_PORT = 8765


def create_app(project, *, title: str | None = None):
    """The workspace as an ASGI application over ``project`` (a :class:`coeval.Project`, a path or a URL).

    Every route needs a login except the login page, invitation links and static files; see
    :mod:`coeval.workspace.security`.
    """
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from ..project import Project
    from . import api, coordinator, pages, team_pages
    from .accounts import LoginThrottle
    from .security import LoginRequired
    from .templating import render

    proj = project if isinstance(project, Project) else Project.open(project)
    if proj.readonly:
        from ..errors import ProjectError

        raise ProjectError("is read-only here, and the workspace writes to it.", path=proj._display,
                           hint="Serve a copy you can write to, or fix the file's permissions.")

    async def not_found(request, exc):
        from starlette.responses import JSONResponse

        status = getattr(exc, "status_code", 404)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "not found."}, status_code=status)
        return render(request, "message.html.j2", status=status, title="Not found",
                      message="There is no such page here.", hint="")

    static = StaticFiles(packages=[("coeval.workspace", "static")])
    app = Starlette(routes=[*pages.routes(), *api.routes(), *coordinator.routes(), *team_pages.routes(),
                            Mount("/static", app=static, name="static")],
                    exception_handlers={HTTPException: not_found})
    app.state.project = proj
    app.state.title = title or _title(proj)
    app.state.throttle = LoginThrottle()
    app.add_middleware(LoginRequired, proj=proj)
    return app


def _title(proj) -> str:
    from pathlib import Path

    shown = proj._display
    return Path(shown).stem if shown.endswith(".coeval") else "coeval project"


def serve(project, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, out=None) -> None:  # pragma: no cover
    """Run the workspace until interrupted (Ctrl+C), printing its address.

    On first start (nobody can log in yet) it prints a one-time link that creates the
    coordinator's account. ``host="0.0.0.0"`` shares it on the team's network: put it behind
    HTTPS (a reverse proxy) if that network is not one you trust.
    """
    import uvicorn

    from .accounts import has_accounts, setup_token

    out = out or sys.stdout
    app = create_app(project)
    proj = app.state.project
    shown = "localhost" if host in ("127.0.0.1", "localhost") else host
    base = f"http://{shown}:{port}"
    print(f"coeval workspace for {proj._display}: {base}", file=out)
    if not has_accounts(proj):
        print(f"No one can log in yet. Open this link to create the coordinator's account (once, within a day):\n"
              f"  {base}/invite/{setup_token(proj)}", file=out)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print("Shared on the network: anyone who can reach this address sees the login page. Use HTTPS "
              "(a reverse proxy) on a network you do not trust.", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
