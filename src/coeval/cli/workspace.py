"""The workspace commands: ``coeval serve`` and ``coeval invite``."""

from __future__ import annotations

__all__ = ["cmd_serve", "cmd_invite"]


def cmd_serve(args) -> int:
    from ..project import Project
    from ..workspace import serve

    proj = Project.open(args.project)
    serve(proj, host=args.host, port=args.port)
    return 0


def cmd_invite(args) -> int:
    from ..project import Project
    from ..workspace.accounts import INVITE_DAYS, invite

    with Project.open(args.project) as proj:
        token = invite(proj, args.name, args.access, role=args.role, by=args.by)
    print(f"Send this link to {args.name} (it works once, for {INVITE_DAYS} days):\n"
          f"  {args.url.rstrip('/')}/invite/{token}")
    return 0
