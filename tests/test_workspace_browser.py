"""The coding workspace in a real browser: Debian's Chromium, driven by Playwright.

The server runs in a thread (uvicorn) over a project; Chromium is launched by its path
(``COEVAL_CHROMIUM``, else ``chromium`` on the PATH): nothing is downloaded. Skipped when no
Chromium is found, unless ``COEVAL_REQUIRE_BROWSER`` is set (as in CI): then it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
from workspace_helpers import browser_module  # noqa: E402

browser_module("playwright")

from workspace_helpers import (  # noqa: E402
    EMOJI_LINE,
    HOSTILE,
    HOSTILE_CODE,
    PASSWORD,
    TRANSPORT,
    TRUST,
    URDU_LINE,
    make_team,
    span_of,
)

SHOTS = os.environ.get("COEVAL_SCREENSHOTS")   # a folder to keep screenshots in, when set


def _chromium_path() -> str:
    path = os.environ.get("COEVAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("COEVAL_REQUIRE_BROWSER"):
            pytest.fail("COEVAL_REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = _chromium_path()
    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        launched = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


class LiveServer:
    """The workspace served by uvicorn in a thread, on a free port."""

    def __init__(self, proj):
        import uvicorn

        from coeval.workspace import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(proj), host="127.0.0.1", port=port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the workspace did not start")
            time.sleep(0.02)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def team(store_url, tmp_path):
    proj = make_team(store_url, tmp_path)
    server = LiveServer(proj)
    yield proj, server
    server.stop()


def _page(browser, server, name, *, width=1366, height=768):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("dialog", lambda dialog: (_ for _ in ()).throw(AssertionError(f"a dialog opened: {dialog.message}")))
    page.goto(server.url + "/documents/session")
    assert "/login" in page.url                      # sent to log in first, and back afterwards
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#reader[data-ready=yes]")
    return page


def _select(page, needle: str) -> str:
    """Select ``needle`` in the reader as a person would end up with it; returns the browser's selection."""
    return page.evaluate("""needle => {
        const walker = document.createTreeWalker(document.querySelector('[data-part=turns]'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(needle);
            if (at >= 0 && node.parentElement.closest('.turn-text')) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + needle.length);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                return sel.toString();
            }
        }
        throw new Error('not in the page: ' + needle);
    }""", needle)


def _box(page, needle: str, *, end: bool = False) -> tuple[float, float]:
    """The screen point at the start (or end) of ``needle``'s text, for mouse gestures."""
    return tuple(page.evaluate("""([needle, end]) => {
        const walker = document.createTreeWalker(document.querySelector('[data-part=turns]'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(needle);
            if (at < 0) continue;
            const range = document.createRange();
            const i = end ? at + needle.length - 1 : at;
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const r = range.getBoundingClientRect();
            return [end ? r.right - 1 : r.left + 1, r.top + r.height / 2];
        }
        throw new Error('not in the page: ' + needle);
    }""", [needle, end]))


def _apply(page, code_id: str) -> None:
    page.click(f'[data-part=code-tree] button[data-code-id="{code_id}"]')
    page.wait_for_function("() => document.querySelector('[data-part=status]').textContent.startsWith('Coded')")
    page.evaluate("() => { document.querySelector('[data-part=status]').textContent = ''; }")


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def test_a_coder_selects_codes_reloads_and_sees_it(browser, team):
    proj, server = team
    transport = proj.codebook.get(TRANSPORT).id
    page = _page(browser, server, "PR-1")
    wanted = ["late again 😞 and the café", URDU_LINE[5:29], "q\u0303 and \u00f1o"]
    for needle in wanted:
        assert _select(page, needle) == needle
        _apply(page, transport)
    # a word chosen by double-clicking it, then coded with the keyboard (1 = the most recent code)
    x, y = _box(page, "Nobody")
    page.mouse.dblclick(x, y)
    chosen = page.evaluate("() => window.getSelection().toString()").strip()
    assert chosen == "Nobody"
    page.keyboard.press("1")
    page.wait_for_function("() => document.querySelector('[data-part=status]').textContent.startsWith('Coded')")
    # a drag across two turns
    page.mouse.move(*_box(page, "told us"))
    page.mouse.down()
    page.mouse.move(*_box(page, "بس", end=True), steps=5)
    page.mouse.up()
    dragged = page.evaluate("() => window.getSelection().toString()")
    _apply(page, proj.codebook.get(TRUST).id)
    _shot(page, "reader")
    page.reload()
    page.wait_for_selector("#reader[data-ready=yes]")
    shown = page.eval_on_selector_all(".hl", "els => els.map(e => e.textContent).join('')")
    for needle in wanted:
        assert needle in shown
    codings = proj.codings
    assert sorted(codings.loc[codings["code"] == TRANSPORT, "text"]) == sorted([*wanted, "Nobody"])
    across = codings.loc[codings["code"] == TRUST, "text"].iloc[0]
    # the stored span holds what was dragged over: the two turns' words (the speaker label between
    # them is part of the document's text but not selectable in the reader)
    assert across.startswith("told us.\n\nUnlisted 2: ہمیں")
    assert " ".join(across.replace("Unlisted 2:", "").split()) == " ".join(dragged.split())
    assert set(codings["coder"]) == {"PR-1"}


def test_two_coders_code_one_document_at_the_same_time(browser, team):
    proj, server = team
    transport = proj.codebook.get(TRANSPORT).id
    first, second = _page(browser, server, "PR-1"), _page(browser, server, "PR-2")
    words = ["bus", "late", "café", "shut", "Nobody", "coordinator", "welcome"]
    for word in words:
        for page in (first, second):
            _select(page, word)
            # start the click without waiting for the answer, so the two requests overlap
            page.evaluate("id => document.querySelector(`[data-part=code-tree] button[data-code-id='${id}']`)"
                          ".click()", transport)
        for page in (first, second):
            page.wait_for_function("() => document.querySelector('[data-part=status]').textContent.startsWith('Coded')")
            page.evaluate("() => { document.querySelector('[data-part=status]').textContent = ''; }")
    codings = proj.codings
    for coder in ("PR-1", "PR-2"):
        assert sorted(codings.loc[codings["coder"] == coder, "text"]) == sorted(words)


def test_in_a_blind_round_a_coder_cannot_see_anothers_codings(browser, team):
    proj, server = team
    theirs = proj.code(span_of(proj, EMOJI_LINE), TRANSPORT, coder="PR-2", memo="only PR-2 should read this")
    page = _page(browser, server, "PR-1")
    assert page.locator(".hl").count() == 0
    assert page.is_visible("[data-part=blind-note]")
    assert "only PR-2" not in page.content()
    answer = page.evaluate("() => fetch('/api/documents/session').then(r => r.text())")
    assert theirs not in answer and "only PR-2" not in answer
    remove = """id => fetch('/api/codings/' + id, {method: 'DELETE', headers: {
        'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content}}).then(r => r.status)"""
    assert page.evaluate(remove, theirs) == 404
    # the other coder sees their own
    other = _page(browser, server, "PR-2")
    assert other.locator(".hl").count() >= 1


def test_from_the_page_nothing_changes_without_the_token_and_no_file_outside_is_served(browser, team):
    proj, server = team
    page = _page(browser, server, "PR-1")
    _, start, end = span_of(proj, "café")
    status = page.evaluate("""([start, end, code]) => fetch('/api/codings', {method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({document_id: 'session', start, end, code_id: code})}).then(r => r.status)""",
                           [start, end, proj.codebook.get(TRANSPORT).id])
    assert status == 403 and proj.codings.empty
    for path in ("/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/documents/..%2F..%2Fetc%2Fpasswd"):
        answer = page.goto(server.url + path)
        assert answer.status == 404 and "root:" not in page.content()
    page.click("text=Log out")
    page.goto(server.url + "/api/documents/session")
    assert "log in first" in page.content()


def test_hostile_markup_is_shown_as_text_and_never_runs(browser, store_url, tmp_path):
    proj = make_team(store_url, tmp_path, blind=False)
    proj.code(span_of(proj, HOSTILE), HOSTILE_CODE, coder="PR-2", memo=HOSTILE)
    proj.set_document_memo("session", HOSTILE, coder="PR-1")
    server = LiveServer(proj)
    try:
        page = _page(browser, server, "PR-1")
        assert HOSTILE in page.inner_text("[data-part=turns]")
        hostile_id = proj.codebook.get(HOSTILE_CODE).id
        page.hover(f'[data-part=code-tree] button[data-code-id="{hostile_id}"]')
        assert "onerror" in page.inner_text("[data-part=code-card]")
        page.click(".hl")                                    # the codings here, with PR-2's memo
        assert page.locator(".here").inner_text().count("<script>") >= 1
        page.click("summary")
        assert page.input_value("[data-part=doc-memo]") == HOSTILE
        _select(page, "helped a lot")
        _apply(page, hostile_id)
        for path in ("/", "/documents/session"):
            page.goto(server.url + path)
            page.wait_for_load_state("networkidle")
        assert page.evaluate("() => window.__pwned") is None
        coordinator = _page(browser, server, "CO-1")
        for path in ("/coordinator", "/coordinator/codebook", "/coordinator/people", "/coordinator/disagreements"):
            coordinator.goto(server.url + path)
            assert coordinator.evaluate("() => window.__pwned") is None
        coordinator.goto(server.url + "/coordinator/codebook")
        assert HOSTILE_CODE in coordinator.inner_text("main")  # the code's name, as text
    finally:
        server.stop()


def test_the_coordinator_resolves_a_disagreement_in_the_browser(browser, team):
    proj, server = team
    span = span_of(proj, EMOJI_LINE)
    proj.code(span, TRANSPORT, coder="PR-1")
    proj.code(span, TRUST, coder="PR-2")
    proj.mark_done("PR-1")
    proj.mark_done("PR-2")
    page = _page(browser, server, "CO-1")
    page.goto(server.url + "/coordinator")
    page.click("text=Close the round")
    page.wait_for_selector("text=is closed")
    _shot(page, "coordinator")
    page.goto(server.url + "/coordinator/disagreements")
    _shot(page, "disagreements")
    section = page.locator("section.disagreement").first
    section.locator("input[name=decision_0][value=keep]").check()
    section.locator("input[name=decision_1][value=drop]").check()
    section.locator("input[name=notes_0]").fill("the fare is the barrier")
    section.locator("button[type=submit]").click()
    page.wait_for_selector("text=Decided:")
    consensus = proj.codings[proj.codings["origin"] == "consensus"]
    assert consensus["code"].tolist() == [TRANSPORT]
    assert consensus["memo"].tolist() == ["the fare is the barrier"]


def test_the_reader_at_tablet_width(browser, team):
    proj, server = team
    page = _page(browser, server, "PR-1", width=768, height=1024)
    assert page.is_visible("[data-part=code-search]") and page.is_visible("[data-part=turns]")
    _select(page, "café")
    page.fill("[data-part=code-search]", "transport")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-part=status]').textContent.startsWith('Coded')")
    _shot(page, "reader-tablet")
    assert proj.codings["text"].tolist() == ["café"]
