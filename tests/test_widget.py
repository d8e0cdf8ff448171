"""The reader as a Jupyter widget (ce.CodingView): its messages from Python, and its page in Chromium."""

from __future__ import annotations

import pytest
from workspace_helpers import browser_module  # noqa: E402

browser_module("anywidget")

from workspace_helpers import EMOJI_LINE, TRANSPORT, TRUST, make_team, span_of  # noqa: E402

import coeval as ce  # noqa: E402
from coeval.errors import CodingError  # noqa: E402


def _talk(view):
    """Send the widget a message as the browser would; returns its answer."""
    answers = []
    view.send = answers.append

    def ask(op, **args):
        view._answer(view, {"id": 7, "op": op, "args": args}, [])
        assert answers[-1]["id"] == 7
        return answers[-1]
    return ask


def test_the_widget_codes_into_the_project_under_the_coders_name(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    theirs = proj.code(span_of(proj, EMOJI_LINE), TRUST, coder="PR-2")
    view = ce.CodingView(proj, coder="PR-1", document="session")
    assert "createReader" in view._esm and ".coeval-reader" in view._css
    ask = _talk(view)
    loaded = ask("load")["result"]
    assert loaded["doc"]["blind"] is True and loaded["doc"]["codings"] == []    # PR-2's coding stays hidden
    assert theirs not in str(loaded)
    _, start, end = span_of(proj, "late again 😞")
    made = ask("code", start=start, end=end, code_id=proj.codebook.get(TRANSPORT).id)["result"]
    assert made["mine"] and proj.codings.set_index("coding_id").loc[made["id"], "text"] == "late again 😞"
    assert ask("change", id=made["id"], memo="from the notebook")["result"]["memo"] == "from the notebook"
    refused = ask("remove", id=theirs)
    assert refused["ok"] is False and "of yours" in refused["error"]
    assert ask("remove", id=made["id"])["result"] == {"removed": 1}
    assert ask("done")["result"]["done"] is True
    assert set(proj.audit.loc[proj.audit["action"].isin(["code", "memo", "uncode"]), "by"]) == {"PR-1", "PR-2"}


def test_the_widget_refuses_an_unknown_coder_or_document_and_a_read_only_view_codes_nothing(tmp_path):
    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    with pytest.raises(CodingError, match="not a registered coder"):
        ce.CodingView(proj, coder="Nobody", document="session")
    with pytest.raises(ce.errors.NotFoundError):
        ce.CodingView(proj, coder="PR-1", document="no-such-document")
    ask = _talk(ce.CodingView(proj, coder="PR-1", document="session", can_code=False))
    _, start, end = span_of(proj, "café")
    assert ask("code", start=start, end=end, code_id=proj.codebook.get(TRANSPORT).id)["ok"] is False
    assert proj.codings.empty


def test_the_widget_in_chromium(tmp_path):
    from test_workspace_browser import _chromium_path

    path = _chromium_path()
    from playwright.sync_api import sync_playwright

    proj = make_team(f"sqlite:///{tmp_path / 't.coeval'}", tmp_path)
    view = ce.CodingView(proj, coder="PR-1", document="session")

    def deliver(message):
        answers = []
        view.send = answers.append
        view._answer(view, message, [])
        return answers

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        page.expose_function("pySend", deliver)
        page.set_content(f"<style>{view._css}</style><div id='w'></div>")
        page.add_script_tag(type="module", content=view._esm.replace("export default", "window.__coevalWidget ="))
        page.evaluate("""() => {
            const listeners = [];
            const deliver = (replies) => replies.forEach((r) => listeners.forEach((cb) => cb(r)));
            const model = {get: (k) => ({coder: 'PR-1', can_code: true})[k], on: (e, cb) => listeners.push(cb),
                           send: async (m) => deliver(await window.pySend(m))};
            window.__coevalWidget.render({model, el: document.getElementById('w')});
        }""")
        page.wait_for_selector("#w[data-ready=yes]")
        page.evaluate("""() => {
            const text = [...document.querySelectorAll('.turn-text')].find(e => e.textContent.includes('café'));
            const node = text.firstChild, at = node.data.indexOf('the café');
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 'the café'.length);
            getSelection().removeAllRanges(); getSelection().addRange(range);
        }""")
        page.click(f"[data-part=code-tree] button[data-code-id='{proj.codebook.get(TRANSPORT).id}']")
        page.wait_for_function("() => document.querySelector('[data-part=status]').textContent !== ''")
        assert page.inner_text("[data-part=status]").startswith("Coded"), page.inner_text("[data-part=status]")
        assert page.locator(".hl").inner_text() == "the café"
        browser.close()
    assert proj.codings[["text", "coder", "code"]].values.tolist() == [["the café", "PR-1", TRANSPORT]]
