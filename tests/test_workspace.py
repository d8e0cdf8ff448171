"""The coding workspace over HTTP: logins, CSRF, the blind rule, escaping, coding, reconciliation.

Each test that touches the store runs on a SQLite file and on PostgreSQL (``store_url``). The
browser tests are in ``test_workspace_browser.py``.
"""

from __future__ import annotations

import re
import threading

import pytest

pytest.importorskip("httpx2")

from starlette.routing import Mount, Route  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402
from workspace_helpers import (  # noqa: E402
    EMOJI_LINE,
    HOSTILE,
    HOSTILE_CODE,
    PASSWORD,
    TRANSPORT,
    TRUST,
    URDU_LINE,
    login,
    make_team,
    span_of,
)

import coeval as ce  # noqa: E402
from coeval.workspace import create_app  # noqa: E402
from coeval.workspace.accounts import accept_invite, invite, setup_token  # noqa: E402


def _client(proj) -> TestClient:
    return TestClient(create_app(proj), base_url="http://testserver")


def _code_id(proj, name):
    return proj.codebook.get(name).id


def _routes(app):
    for r in app.routes:
        if isinstance(r, Route):
            yield r.path, sorted(r.methods - {"HEAD"})


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_needs_a_login(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    app = create_app(proj)
    client = TestClient(app)
    public = {"/login", "/invite/{token}"}
    checked = 0
    for path, methods in _routes(app):
        for method in methods:
            answer = client.request(method, _concrete(path), follow_redirects=False)
            if path in public:
                assert answer.status_code != 500
                continue
            checked += 1
            if method == "GET" and not path.startswith("/api/"):
                assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), path
            else:
                assert answer.status_code == 401, (method, path)
    assert checked >= 20
    assert any(isinstance(r, Mount) for r in app.routes)   # static files: public, and only those


def test_every_change_needs_the_csrf_token_and_a_same_site_origin(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    app = create_app(proj)
    client = TestClient(app)
    csrf = login(client, "CO-1")
    changes = [(path, m) for path, methods in _routes(app) for m in methods if m != "GET"]
    assert len(changes) >= 14
    for path, method in changes:
        answer = client.request(method, _concrete(path), follow_redirects=False)
        assert answer.status_code == 403, (method, path)
    # the token from another session does not do
    other = TestClient(app)
    other_csrf = login(other, "PR-1")
    doc, start, end = span_of(proj, "café")
    body = {"document_id": doc, "start": start, "end": end, "code_id": _code_id(proj, TRANSPORT)}
    assert client.post("/api/codings", json=body, headers={"X-CSRF-Token": other_csrf}).status_code == 403
    # the right token, sent from another site's page
    assert client.post("/api/codings", json=body, headers={"X-CSRF-Token": csrf,
                                                           "Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/codings", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    # logging in is a change too: without the form's token it is refused
    fresh = TestClient(app)
    assert fresh.post("/login", data={"name": "CO-1", "password": PASSWORD}).status_code == 403


def test_paths_outside_the_app_are_refused(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    client = _client(proj)
    login(client, "PR-1")
    for path in ("/static/../../etc/passwd", "/static/..%2F..%2Fetc%2Fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd",
                 "/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/..%2F..%2Fetc%2Fpasswd",
                 "/../../etc/passwd"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "root:" not in answer.text
    assert client.get("/static/reader.js").status_code == 200


def test_sessions_cookies_and_secrets(tmp_path):
    from sqlalchemy import select

    from coeval.store import schema

    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    client = _client(proj)
    page = client.get("/login")
    assert "content-security-policy" in page.headers and "'unsafe-inline'" not in page.headers[
        "content-security-policy"]
    answer = client.post("/login", data={"name": "PR-1", "password": PASSWORD,
                                         "csrf_token": client.cookies.get("coeval_form")}, follow_redirects=False)
    cookie = answer.headers["set-cookie"]
    assert "coeval_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    token = client.cookies.get("coeval_session")
    with proj._engine.connect() as conn:
        stored = conn.execute(select(schema.workspace_sessions.c.token_hash)).scalars().all()
        hashes = conn.execute(select(schema.workspace_users.c.password_hash)).scalars().all()
    assert token not in stored and all(h.startswith("scrypt$") and PASSWORD not in h for h in hashes)
    assert client.get("/").status_code == 200
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    client.post("/logout", data={"csrf_token": csrf})
    client.cookies.set("coeval_session", token)           # the old cookie no longer opens anything
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_attempts_are_limited(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    client = _client(proj)
    client.get("/login")
    token = client.cookies.get("coeval_form")
    for _ in range(5):
        answer = client.post("/login", data={"name": "PR-1", "password": "wrong password!", "csrf_token": token})
        assert answer.status_code == 401
    answer = client.post("/login", data={"name": "PR-1", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 429 and "Too many failed attempts" in answer.text


def test_invitations_work_once_and_the_setup_link_names_the_coordinator(tmp_path):
    proj = ce.Project(f"sqlite:///{tmp_path / 't.coeval'}")
    client = _client(proj)
    token = setup_token(proj)
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200 and 'name="name"' in page.text
    form = {"csrf_token": client.cookies.get("coeval_form"), "name": "AC-1", "role": "academic",
            "password": "short", "again": "short"}
    assert "at least 10 characters" in client.post(f"/invite/{token}", data=form).text
    form.update(password=PASSWORD, again=PASSWORD)
    assert client.post(f"/invite/{token}", data=form, follow_redirects=False).status_code == 303
    assert client.get("/coordinator").status_code == 200
    assert proj.coders.set_index("coder").loc["AC-1", "role"] == "academic"
    again = TestClient(client.app)
    assert again.get(f"/invite/{token}").status_code == 404
    # the coordinator invites a coder from the People page; the link is shown once
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    page = client.post("/coordinator/people/invite", data={"csrf_token": csrf, "name": "PR-7", "access": "coder",
                                                           "role": "peer_researcher"})
    link = re.search(r"http://testserver/invite/([\w-]+)", page.text).group(1)
    coder = TestClient(client.app)
    coder.get(f"/invite/{link}")
    coder.post(f"/invite/{link}", data={"csrf_token": coder.cookies.get("coeval_form"), "password": PASSWORD,
                                        "again": PASSWORD})
    assert coder.get("/").status_code == 200 and coder.get("/coordinator").status_code == 403
    assert proj.coders.set_index("coder").loc["PR-7", "role"] == "peer_researcher"
    assert {"invite", "account", "login"} <= set(proj.audit["action"])
    # a forgotten password: the coordinator makes a new-password link; the old password and sessions end
    page = client.post("/coordinator/people/reset", data={"csrf_token": csrf, "name": "PR-7"})
    reset = re.search(r"http://testserver/invite/([\w-]+)", page.text).group(1)
    helper = TestClient(client.app)
    assert "A new password for PR-7" in helper.get(f"/invite/{reset}").text
    helper.post(f"/invite/{reset}", data={"csrf_token": helper.cookies.get("coeval_form"),
                                          "password": "a brand new password", "again": "a brand new password"})
    assert coder.get("/", follow_redirects=False).status_code == 303          # logged out
    assert login(TestClient(client.app), "PR-7", "a brand new password")
    assert proj.coders.set_index("coder").loc["PR-7", "role"] == "peer_researcher"


def test_coding_by_code_points_with_emoji_urdu_and_combining_marks(store_url, tmp_path):
    proj = make_team(store_url, tmp_path)
    client = _client(proj)
    csrf = login(client, "PR-1")
    needles = ["late again 😞 and the café", URDU_LINE[5:29], "q\u0303 and \u00f1o"]
    for needle in needles:
        doc, start, end = span_of(proj, needle)
        answer = client.post("/api/codings", json={"document_id": doc, "start": start, "end": end,
                                                   "code_id": _code_id(proj, TRANSPORT)},
                             headers={"X-CSRF-Token": csrf})
        assert answer.status_code == 201, answer.text
        assert answer.json()["start"] == start and answer.json()["mine"] is True
    assert sorted(proj.codings["text"]) == sorted(needles)
    assert set(proj.codings["coder"]) == {"PR-1"}
    assert set(proj.audit.loc[proj.audit["action"] == "code", "by"]) == {"PR-1"}


def test_a_blind_round_hides_other_coders_codings_in_every_answer(store_url, tmp_path):
    proj = make_team(store_url, tmp_path)
    theirs = proj.code(span_of(proj, EMOJI_LINE), TRANSPORT, coder="PR-2", memo="PR-2's own thoughts")
    mine = proj.code(span_of(proj, EMOJI_LINE), TRUST, coder="PR-1")
    client = _client(proj)
    csrf = login(client, "PR-1")
    document = client.get("/api/documents/session")
    assert document.json()["blind"] is True
    assert [c["id"] for c in document.json()["codings"]] == [mine]
    assert theirs not in document.text and "PR-2's own thoughts" not in document.text
    assert theirs not in client.get("/api/documents/session/codings").text
    # nor can they touch it: for them it does not exist
    for method in ("DELETE", "PATCH"):
        answer = client.request(method, f"/api/codings/{theirs}", json={"memo": "x"}, headers={"X-CSRF-Token": csrf})
        assert answer.status_code == 404
    assert theirs in set(proj.codings["coding_id"])
    # a viewer sees only consensus during the round
    accept_invite(proj, invite(proj, "VW-1", "viewer", by="CO-1"), PASSWORD)
    viewer = _client(proj)
    login(viewer, "VW-1")
    assert viewer.get("/api/documents/session").json()["codings"] == []
    # once the round is closed, coders see each other's work
    proj.mark_done("PR-1")
    proj.mark_done("PR-2")
    proj.close_round(by="CO-1")
    assert {c["id"] for c in client.get("/api/documents/session").json()["codings"]} == {mine, theirs}


def test_hostile_text_is_escaped_on_every_page(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path, blind=False)
    proj.code(span_of(proj, HOSTILE), HOSTILE_CODE, coder="PR-1", memo=HOSTILE)
    proj.set_document_memo("session", HOSTILE, coder="PR-1")
    client = _client(proj)
    login(client, "CO-1")
    pages = ["/", "/documents/session", "/coordinator", "/coordinator/codebook", "/coordinator/people",
             "/coordinator/disagreements"]
    for path in pages:
        text = client.get(path).text
        assert "<script>window" not in text and "<img src=x" not in text, path
    assert "&lt;img src=x onerror=" in client.get("/coordinator/codebook").text
    # JSON carries the text as data (the reader puts it into the page with textContent)
    assert HOSTILE in client.get("/api/documents/session").json()["turns"][3]["text"]


def test_changing_and_removing_my_codings_and_memos(store_url, tmp_path):
    proj = make_team(store_url, tmp_path)
    client = _client(proj)
    csrf = login(client, "PR-1")
    headers = {"X-CSRF-Token": csrf}
    doc, start, end = span_of(proj, "Nobody told us")
    made = client.post("/api/codings", json={"document_id": doc, "start": start, "end": end,
                                             "code_id": _code_id(proj, TRANSPORT)}, headers=headers).json()
    memo = client.patch(f"/api/codings/{made['id']}", json={"memo": "they never wrote"}, headers=headers).json()
    assert memo["memo"] == "they never wrote"
    changed = client.patch(f"/api/codings/{made['id']}", json={"code_id": _code_id(proj, TRUST)},
                           headers=headers).json()
    assert changed["code"] == TRUST and changed["memo"] == "they never wrote"
    assert proj.codings[["code", "text"]].values.tolist() == [[TRUST, "Nobody told us"]]
    assert client.put("/api/documents/session/memo", json={"text": "A long session."},
                      headers=headers).status_code == 200
    assert proj.document_memos("session")["text"].tolist() == ["A long session."]
    assert client.delete(f"/api/codings/{changed['id']}", headers=headers).json() == {"removed": 1}
    assert proj.codings.empty
    done = client.post("/api/documents/session/done", headers=headers).json()
    assert done["done"] is True and proj.assignments.set_index("coder").loc["PR-1", "status"] == "done"
    bad = client.post("/api/codings", json={"document_id": doc, "start": 5, "end": 10 ** 6,
                                            "code_id": _code_id(proj, TRUST)}, headers=headers)
    assert bad.status_code == 400 and "is not inside document" in bad.json()["error"]
    actions = proj.audit.loc[proj.audit["by"] == "PR-1", "action"].tolist()
    assert {"code", "memo", "uncode", "document memo", "done"} <= set(actions)


def test_many_coders_at_once_lose_nothing(store_url, tmp_path):
    coders = [f"PR-{i}" for i in range(1, 9)]
    proj = make_team(store_url, tmp_path, coders=coders)
    app = create_app(proj)
    text = proj.document("session").text
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)][:15]
    errors = []

    def work(name):
        client = TestClient(app)
        csrf = login(client, name)
        for start, end in spans:
            answer = client.post("/api/codings", json={"document_id": "session", "start": start, "end": end,
                                                       "code_id": _code_id(proj, TRANSPORT)},
                                 headers={"X-CSRF-Token": csrf})
            if answer.status_code != 201:
                errors.append(answer.text)

    threads = [threading.Thread(target=work, args=(name,)) for name in coders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = proj.codings.groupby("coder").size()
    assert counts.to_dict() == {name: len(spans) for name in coders}


def test_the_coordinator_decides_a_disagreement_and_it_becomes_consensus(store_url, tmp_path):
    proj = make_team(store_url, tmp_path)
    span = span_of(proj, EMOJI_LINE)
    proj.code(span, TRANSPORT, coder="PR-1")
    proj.code(span, TRANSPORT, coder="PR-2")
    proj.code(span, TRUST, coder="PR-1")
    proj.mark_done("PR-1")
    proj.mark_done("PR-2")
    client = _client(proj)
    csrf = login(client, "CO-1")
    page = client.get("/coordinator/disagreements")
    assert "The round is still open" in page.text
    client.post("/coordinator/rounds/close", data={"csrf_token": csrf, "name": "independent"})
    page = client.get("/coordinator/disagreements").text
    segment = re.search(r'name="segment_id" value="([^"]+)"', page).group(1)
    answer = client.post("/coordinator/decide", data={
        "csrf_token": csrf, "segment_id": segment, "round": "independent", "n": "1", "code_0": TRUST,
        "decision_0": "change", "other_0": _code_id(proj, HOSTILE_CODE), "notes_0": "agreed in the meeting"},
        follow_redirects=False)
    assert answer.status_code == 303 and "error=" not in answer.headers["location"]
    consensus = proj.codings[proj.codings["origin"] == "consensus"]
    assert sorted(consensus["code"]) == sorted([TRANSPORT, HOSTILE_CODE])
    assert set(consensus["text"]) == {proj.segments.set_index("segment_id").loc[segment, "text"]}
    assert "Decided" in client.get("/coordinator/disagreements").text
    # a later round on the same passage starts undecided: decisions belong to their round
    proj.open_round("re-test", by="CO-1")
    for name in ("PR-1", "PR-2"):
        proj.assign(name, ["session"], round="re-test")
    proj.code(span, HOSTILE_CODE, coder="PR-2")
    proj.mark_done("PR-1", round="re-test")
    proj.mark_done("PR-2", round="re-test")
    proj.close_round("re-test")
    page = client.get("/coordinator/disagreements?round=re-test").text
    assert "Save the decisions on this passage" in page and "Decided." not in page
    # a decision that names no other code is refused with a message, and writes nothing more
    before = len(proj.codings)
    answer = client.post("/coordinator/decide", data={"csrf_token": csrf, "segment_id": segment, "n": "1",
                                                      "code_0": TRUST, "decision_0": "change"})
    assert "needs the other code" in answer.text and len(proj.codings) == before


def test_the_coordinator_runs_rounds_assignments_and_the_codebook(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path, blind=None)
    client = _client(proj)
    csrf = login(client, "CO-1")
    client.post("/coordinator/rounds/open", data={"csrf_token": csrf, "name": "pilot", "blind": "yes"})
    client.post("/coordinator/assign", data={"csrf_token": csrf, "coder": "PR-1", "round": "pilot",
                                             "documents": ["session"]})
    assert proj.assignments[["round", "coder", "document_id"]].values.tolist() == [["pilot", "PR-1", "session"]]
    assert "pilot" in client.get("/coordinator").text
    answer = client.post("/coordinator/assign", data={"csrf_token": csrf, "sample": "yes", "coders": ["PR-1", "PR-2"],
                                                      "fraction": "100", "seed": "3", "round": "pilot"},
                         follow_redirects=False)
    assert "message=Drew" in answer.headers["location"]
    assert sorted(proj.assignments["coder"]) == ["PR-1", "PR-2"]
    refused = client.post("/coordinator/assign", data={"csrf_token": csrf, "sample": "yes", "coders": ["PR-1"]})
    assert "two coders or more" in refused.text
    client.post("/coordinator/codebook/edit", data={"csrf_token": csrf, "code_id": _code_id(proj, TRUST),
                                                    "name": TRUST, "definition": "Being believed and welcomed.",
                                                    "polarity": "enabler", "why": "pilot meeting"})
    client.post("/coordinator/codebook/add", data={"csrf_token": csrf, "name": "Language barriers",
                                                   "polarity": "barrier", "definition": "No interpreter."})
    cb = proj.codebook
    assert cb.get(TRUST).definition == "Being believed and welcomed." and "Language barriers" in cb
    history = cb.history
    assert {"CO-1"} <= set(history["by"]) and "pilot meeting" in set(history["why"])
    assert "Language barriers" in client.get("/coordinator/codebook").text
    coder = _client(proj)
    login(coder, "PR-1")
    assert coder.get("/coordinator/codebook").status_code == 403
    assert "pilot" in coder.get("/").text


def test_progress_is_shown_per_round(tmp_path):
    import warnings

    from coeval.workspace.coordinator import progress_table

    from conftest import write

    proj = make_team("sqlite://", tmp_path, blind=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj.ingest(write(tmp_path / "later.txt", "Amina: The hall was cold.\nBilal: The tea helped.\n"),
                    progress=False)
    proj.open_round("first", by="CO-1")
    proj.assign("PR-1", ["session"], round="first", by="CO-1")
    proj.close_round("first", by="CO-1")
    proj.open_round("re-test", by="CO-1")
    proj.assign("PR-2", ["later"], round="re-test", by="CO-1")
    proj.code(span_of(proj, "The hall", "later"), TRANSPORT, coder="PR-2")
    coders, rows = progress_table(proj, "re-test")
    assert coders == ["PR-2"] and [r["document_id"] for r in rows] == ["later"]   # not the first round's
    assert rows[0]["cells"] == [{"status": "to do", "codings": 1}]
    coders, rows = progress_table(proj, "first")
    assert coders == ["PR-1"] and [r["document_id"] for r in rows] == ["session"]
