"""Workspace accounts: people, invitations, passwords, sessions and the login throttle.

A person's account name is their registered coder name, so everything they do in the
workspace lands in the project's audit log under it. The store keeps no secret in the clear:
passwords as a salted scrypt hash, invitation and session tokens as SHA-256 digests (a stolen
project file opens no session). Access is one of ``coordinator`` (runs the team: invites,
rounds, reconciliation, the codebook; also codes), ``coder`` (codes their assignments) and
``viewer`` (reads documents and the team's agreed codings).

The password hash is the standard library's ``hashlib.scrypt`` (memory-hard, no extra
dependency); the parameters are stored with each hash so they can be raised later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta

from ..errors import CoevalError, NotFoundError

__all__ = ["ACCESS", "AccountError", "invite", "accept_invite", "authenticate", "start_session", "session_user",
           "end_session", "people", "invitation", "set_access", "has_accounts", "setup_token", "LoginThrottle",
           "hash_password", "verify_password", "MIN_PASSWORD"]

ACCESS = ("coordinator", "coder", "viewer")
MIN_PASSWORD = 10
SESSION_HOURS = 12
INVITE_DAYS = 7
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class AccountError(CoevalError):
    """An invitation, password or account that cannot be used (the message says why)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stamp(delta: timedelta = timedelta(0)) -> str:
    return (datetime.now(UTC) + delta).replace(microsecond=0).isoformat()


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``, with its parameters: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    enc = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${enc(salt).decode()}${enc(key).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches a hash from :func:`hash_password` (in constant time)."""
    try:
        kind, n, r, p, salt, key = str(stored).split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
        return hmac.compare_digest(got, base64.b64decode(key))
    except (ValueError, TypeError):
        return False


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters.",
                           hint="A few ordinary words together make a good one (for example three words "
                                "and a number).")


def _check_access(access: str) -> str:
    if access not in ACCESS:
        raise AccountError(f"unknown access {access!r}.", hint=f"Use one of: {', '.join(ACCESS)}.")
    return access


def has_accounts(proj) -> bool:
    """Whether anyone can log in to the project's workspace yet."""
    from sqlalchemy import func, select

    from ..store import schema

    u = schema.workspace_users
    return bool(proj._read_rows(select(func.count()).select_from(u).where(u.c.password_hash.is_not(None)))[0][0])


def setup_token(proj) -> str:
    """A one-time link token to create the first coordinator account (the person picks their name)."""
    return invite(proj, "", "coordinator", by=None, days=1)


def invite(proj, name: str, access: str = "coder", *, role: str | None = None, by: str | None,
           days: int = INVITE_DAYS, reset: bool = False) -> str:
    """Invite a person to the workspace; returns the one-time token for their link (``/invite/TOKEN``).

    Parameters
    ----------
    name : str
        Their coder name (a pseudonymous label such as ``PR-2`` suits peer researchers; it
        appears in reports). Empty only for the first coordinator's setup link.
    access : {"coordinator", "coder", "viewer"}
    role : str, optional
        Their research role, to register them as a coder (``peer_researcher``,
        ``community_coordinator``, ``academic``...); default ``academic`` for a new coder.
    by : str or None
        The coordinator who invites.
    reset : bool
        A link for someone who has an account and forgot their password: it sets a new one
        (their access stays as it is).

    Raises
    ------
    AccountError
        An unknown access; a person who has an account already (unless ``reset``); a reset
        for someone with no account.
    CodingError
        A name a coder may not have (empty, reserved, or a participant's on the roster).
    """
    from sqlalchemy import select

    from ..store import schema

    _check_access(access)
    name = " ".join(str(name or "").split())
    token = secrets.token_urlsafe(32)
    with proj._write() as conn:
        if name:
            existing = conn.execute(select(schema.workspace_users.c.password_hash)
                                    .where(schema.workspace_users.c.name == name)).first()
            has_account = existing is not None and existing[0] is not None
            if has_account and not reset:
                raise AccountError(f"{name!r} has an account already.",
                                   hint="Change their access on the People page, or make a new-password link.")
            if reset and not has_account:
                raise AccountError(f"{name!r} has no account to reset.", hint="Invite them instead.")
            known = conn.execute(select(schema.coders.c.name).where(schema.coders.c.name == name)).first()
            if known is None and access != "viewer":
                proj._check_coder_name(conn, name)
        conn.execute(schema.workspace_invites.insert().values(
            token_hash=_digest(token), name=name, access=access, role=role, purpose="reset" if reset else "join",
            created_at=_stamp(), created_by=by, expires_at=_stamp(timedelta(days=days))))
        proj._audit(conn, "password link" if reset else "invite", by=by,
                    detail={"name": name, "access": access, "role": role, "days": days})
    return token


def _open_invite(conn, token: str):
    from sqlalchemy import select

    from ..store import schema

    i = schema.workspace_invites
    row = conn.execute(select(i).where(i.c.token_hash == _digest(str(token)))).mappings().first()
    if row is None or row["used_at"] is not None or row["expires_at"] < _stamp():
        raise AccountError("this invitation link is not valid: it was used already, has expired, or was "
                           "mistyped.", hint="Ask your coordinator for a new link.")
    return row


def invitation(proj, token: str) -> dict:
    """What an invitation is for (``name``, ``access``), without using it up.

    Raises
    ------
    AccountError
        A used, expired or unknown token.
    """
    with proj._engine.connect() as conn:
        row = _open_invite(conn, token)
    return {"name": row["name"], "access": row["access"], "role": row["role"], "reset": row["purpose"] == "reset"}


def accept_invite(proj, token: str, password: str, *, name: str | None = None, role: str | None = None) -> str:
    """Use an invitation: set the person's password (and name, on a setup link); returns their name.

    The person is registered as a coder (with the invitation's role) unless their access is
    ``viewer``. Everything happens in one transaction, and the link cannot be used again.
    """
    from sqlalchemy import select

    from ..store import schema

    _check_password(password)
    with proj._write() as conn:
        row = _open_invite(conn, token)
        who = row["name"] or " ".join(str(name or "").split())
        if not who:
            raise AccountError("choose the name you will code under.",
                               hint="Use your initials or a label such as 'AC-1'; it appears in reports.")
        u = schema.workspace_users
        existing = conn.execute(select(u.c.password_hash).where(u.c.name == who)).first()
        if row["purpose"] == "reset":
            conn.execute(u.update().where(u.c.name == who).values(password_hash=hash_password(password)))
            conn.execute(schema.workspace_sessions.delete().where(schema.workspace_sessions.c.name == who))
            conn.execute(schema.workspace_invites.update()
                         .where(schema.workspace_invites.c.token_hash == _digest(token)).values(used_at=_stamp()))
            proj._audit(conn, "new password", by=who, detail={"link_by": row["created_by"]})
            return who
        if row["access"] != "viewer":
            proj._coder_role(conn, who, row["role"] or role or "academic")
        if existing is not None and existing[0] is not None:
            raise AccountError(f"{who!r} has an account already.", hint="Log in, or choose another name.")
        values = {"access": row["access"], "password_hash": hash_password(password), "status": "active"}
        if existing is None:
            conn.execute(u.insert().values(name=who, created_at=_stamp(), created_by=row["created_by"], **values))
        else:
            conn.execute(u.update().where(u.c.name == who).values(**values))
        conn.execute(schema.workspace_invites.update().where(schema.workspace_invites.c.token_hash == _digest(token))
                     .values(used_at=_stamp(), name=who))
        proj._audit(conn, "account", by=who, detail={"access": row["access"], "invited_by": row["created_by"]})
    return who


def authenticate(proj, name: str, password: str) -> str | None:
    """The person's name if the password is theirs and their account is active, else None."""
    from sqlalchemy import select

    from ..store import schema

    u = schema.workspace_users
    rows = proj._read(select(u.c.name, u.c.password_hash, u.c.status).where(u.c.name == " ".join(str(name).split())))
    if not rows or rows[0]["status"] != "active":
        verify_password(password, hash_password("x" * MIN_PASSWORD))  # same work either way: no timing hint
        return None
    return rows[0]["name"] if verify_password(password, rows[0]["password_hash"]) else None


def start_session(proj, name: str) -> tuple[str, str]:
    """A new session for ``name``: the cookie token and the session's CSRF token."""
    from ..store import schema

    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with proj._write() as conn:
        s = schema.workspace_sessions
        conn.execute(s.delete().where(s.c.expires_at < _stamp()))
        conn.execute(s.insert().values(token_hash=_digest(token), name=name, csrf=csrf, created_at=_stamp(),
                                       expires_at=_stamp(timedelta(hours=SESSION_HOURS))))
        proj._audit(conn, "login", by=name)
    return token, csrf


def session_user(proj, token: str | None) -> dict | None:
    """``{"name", "access", "csrf", "role"}`` for a live session of an active account, else None."""
    from sqlalchemy import select

    from ..store import schema

    if not token:
        return None
    s, u, k = schema.workspace_sessions, schema.workspace_users, schema.coders
    rows = proj._read(select(u.c.name, u.c.access, s.c.csrf, s.c.expires_at, k.c.role)
                      .select_from(s.join(u, u.c.name == s.c.name).outerjoin(k, k.c.name == u.c.name))
                      .where(s.c.token_hash == _digest(token), u.c.status == "active"))
    if not rows or rows[0]["expires_at"] < _stamp():
        return None
    r = rows[0]
    return {"name": r["name"], "access": r["access"], "csrf": r["csrf"], "role": r["role"] or ""}


def end_session(proj, token: str | None) -> None:
    """Log out: the session token stops working at once."""
    from ..store import schema

    if token:
        with proj._write() as conn:
            s = schema.workspace_sessions
            conn.execute(s.delete().where(s.c.token_hash == _digest(token)))


def people(proj) -> list[dict]:
    """Everyone with an account or an open invitation: name, access, role, status, invited."""
    from sqlalchemy import select

    from ..store import schema

    u, i, k = schema.workspace_users, schema.workspace_invites, schema.coders
    people = {r["name"]: {**dict(r), "status": r["status"] if r["password_hash"] else "invited"}
              for r in proj._read(select(u.c.name, u.c.access, u.c.status, u.c.password_hash, k.c.role)
                                  .select_from(u.outerjoin(k, k.c.name == u.c.name)))}
    for r in proj._read(select(i).where(i.c.used_at.is_(None), i.c.expires_at >= _stamp(), i.c.name != "")):
        people.setdefault(r["name"], {"name": r["name"], "access": r["access"], "role": r["role"] or "",
                                      "status": "invited"})
    return [{k_: v for k_, v in p.items() if k_ != "password_hash"} for _, p in sorted(people.items())]


def set_access(proj, name: str, access: str, *, by: str) -> None:
    """Change a person's access, or disable their account (``access="disabled"``); their sessions end."""
    from sqlalchemy import select

    from ..store import schema

    u, s = schema.workspace_users, schema.workspace_sessions
    with proj._write() as conn:
        if conn.execute(select(u.c.name).where(u.c.name == name)).first() is None:
            raise NotFoundError(f"no workspace account {name!r}.")
        if access == "disabled":
            conn.execute(u.update().where(u.c.name == name).values(status="disabled"))
        else:
            conn.execute(u.update().where(u.c.name == name).values(access=_check_access(access), status="active"))
        conn.execute(s.delete().where(s.c.name == name))
        proj._audit(conn, "access", by=by, detail={"name": name, "access": access})


class LoginThrottle:
    """Failed logins per client address and per name: after ``limit`` failures in ``window``
    seconds, further attempts are refused until the window has passed (in memory, per server)."""

    def __init__(self, limit: int = 5, window: float = 900.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = kept
        return kept

    def wait(self, *keys: str) -> int:
        """Seconds until these keys may try again (0: they may now)."""
        now = time.monotonic()
        with self._lock:
            waits = [int(self.window - (now - recent[0])) + 1 for key in keys
                     if len(recent := self._recent(key, now)) >= self.limit]
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
