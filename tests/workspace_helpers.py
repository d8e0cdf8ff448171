"""A small team project for the workspace tests, and logging in to it (HTTP and browser tests share these)."""

from __future__ import annotations

import importlib
import os
import re
import warnings

import pytest

import coeval as ce

from conftest import write


def browser_module(name: str):
    """Import a module the browser tests need: skipped without it, unless ``COEVAL_REQUIRE_BROWSER``
    is set (as in CI), where a missing one must fail rather than hide the tests."""
    if os.environ.get("COEVAL_REQUIRE_BROWSER"):
        return importlib.import_module(name)
    return pytest.importorskip(name)


PASSWORD = "correct horse battery staple"
EMOJI_LINE = "The bus 🚌 was late again 😞 and the café was shut"
URDU_LINE = "ہمیں بس کا کرایہ نہیں مل سکا، اس لیے ہم نہیں آ سکے"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1">'
TRANSPORT, TRUST = "Transport and travel costs", "Trust and relationships"
HOSTILE_CODE = 'Cost <img src=x onerror="window.__pwned=1">'

COMBINING_LINE = "Combining marks stay as typed: q\u0303 and n\u0303o, said Jose\u0301"
TRANSCRIPT = f"""Facilitator: What got in the way of coming to the sessions?
Amina: {EMOJI_LINE}. Nobody told us.
Bilal: {URDU_LINE}
Carla: The coordinator helped a lot, she made us feel welcome. Also {HOSTILE}
Amina: {COMBINING_LINE}.
Facilitator: Thank you all, that is really helpful.
"""


def make_team(url: str, tmp_path, *, coders=("PR-1", "PR-2"), blind: bool | None = True) -> ce.Project:
    """A project with one transcript (emoji, Urdu, hostile markup), a codebook with a hostile
    code, a coordinator ``CO-1`` and coders with accounts, and a round (blind unless told)."""
    from coeval.workspace.accounts import accept_invite, invite

    proj = ce.Project(url)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj.ingest(write(tmp_path / "session.txt", TRANSCRIPT), progress=False)
    cb = ce.Codebook("Test codebook")
    cb.add(TRANSPORT, definition="Costs and trouble of getting there.", polarity="barrier")
    cb.add(TRUST, definition="Feeling welcome and trusted.", polarity="enabler")
    cb.add(HOSTILE_CODE, definition=f"Definition with {HOSTILE}", include=HOSTILE, example=HOSTILE)
    proj.codebook = cb
    accept_invite(proj, invite(proj, "CO-1", "coordinator", role="academic", by=None), PASSWORD)
    for name in coders:
        accept_invite(proj, invite(proj, name, "coder", role="peer_researcher", by="CO-1"), PASSWORD)
    if blind is not None:
        proj.open_round("independent", blind=blind, by="CO-1")
        for name in coders:
            proj.assign(name, ["session"], by="CO-1")
    return proj


def span_of(proj, needle: str, document_id: str = "session") -> tuple[str, int, int]:
    """The (document, start, end) of ``needle`` in the stored text, in code points."""
    text = proj.document(document_id).text
    start = text.index(needle)
    return document_id, start, start + len(needle)


def login(client, name: str, password: str = PASSWORD) -> str:
    """Log a test client in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    assert page.status_code == 200
    token = client.cookies.get("coeval_form")
    answer = client.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    home = client.get("/")
    return re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)
