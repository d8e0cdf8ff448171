"""What the coordinator's forms share: who may use them, and answering with a message."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["COORDINATOR", "FormError", "back", "flash", "error_text"]

COORDINATOR = ("coordinator",)


class FormError(Exception):
    """A form filled in wrongly (shown to the person, who can correct it)."""


def back(path: str, message: str = "", error: str = ""):
    """Go back to ``path`` (post, redirect, get), carrying a message or an error to show there."""
    from starlette.responses import RedirectResponse

    path, _, fragment = path.partition("#")
    query = "&".join(f"{k}={quote(v)}" for k, v in (("message", message), ("error", error)) if v)
    target = path + (("&" if "?" in path else "?") + query if query else "") + (f"#{fragment}" if fragment else "")
    return RedirectResponse(target, status_code=303)


def flash(request) -> dict:
    """The message or error a :func:`back` carried (shown escaped, like all text)."""
    return {"message": request.query_params.get("message", "")[:300],
            "error": request.query_params.get("error", "")[:600]}


def error_text(exc) -> str:
    """An error's message and hint as one sentence for a page."""
    message = getattr(exc, "message", str(exc))
    hint = getattr(exc, "hint", "") or ""
    return f"{message[:1].upper()}{message[1:]} {hint}".strip()


