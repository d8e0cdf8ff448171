"""Take the workspace screenshots in docs/images/ from the sample project, in Chromium.

    python docs/make_screenshots.py            # needs chromium and the test extras (playwright)

The sample evaluation (its first round closed and reconciled), then a blind re-test round: a
coordinator (AC-1) and two community coders (PR-N1, CC-N) on two Northside records. Run it
again after changing the workspace's look.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
PASSWORD = "a long sample password"


def _team(folder: Path):
    import coeval as ce
    from coeval.workspace.accounts import accept_invite, invite

    proj = ce.Project(f"sqlite:///{folder / 'sample.coeval'}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj.ingest(ROOT / "data" / "sample", progress=False)   # its first round is closed and reconciled
    accept_invite(proj, invite(proj, "AC-1", "coordinator", role="academic", by=None), PASSWORD)
    for name, role in (("PR-N1", "peer_researcher"), ("CC-N", "community_coordinator")):
        accept_invite(proj, invite(proj, name, "coder", role=role, by="AC-1"), PASSWORD)
    proj.open_round("re-test", by="AC-1", description="re-test after the codebook revision")
    documents = [d for d in proj.documents["document_id"] if d.startswith("northside")]
    for name in ("PR-N1", "CC-N"):
        proj.assign(name, documents[:2], round="re-test", by="AC-1")
    text = proj.document(documents[0]).text

    def code(phrase, name, *coders):
        start = text.index(phrase)
        for coder in coders:
            proj.code((documents[0], start, start + len(phrase)), name, coder=coder)
    code("she's on the bus", "Transport and travel costs", "PR-N1", "CC-N")
    code("who is listening to it", "Confidentiality worries", "PR-N1")
    code("going to join on her phone", "Digital exclusion", "CC-N")
    return proj, documents


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from coeval.workspace import create_app

    chromium = os.environ.get("COEVAL_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("needs Chromium (apt-get install chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    proj, documents = _team(Path(tempfile.mkdtemp()))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(proj, title="Northside evaluation"), host="127.0.0.1",
                                           port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"

    def shot(page, name):
        page.screenshot(path=str(OUT / f"workspace-{name}.png"))
        print("wrote", OUT / f"workspace-{name}.png")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])

        def login(name, width=1366, height=768):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "/login")
            page.fill("input[name=name]", name)
            page.fill("input[name=password]", PASSWORD)
            return page

        page = login("PR-N1")
        shot(page, "login")
        page.click("button[type=submit]")
        shot(page, "my-work")
        page.goto(f"{base}/documents/{documents[0]}")
        page.wait_for_selector("#reader[data-ready=yes]")
        page.evaluate("""() => {
            const text = [...document.querySelectorAll('.turn-text')].find(e => e.textContent.includes('join on her'));
            const node = [...text.childNodes].find(n => n.nodeType === 3 && n.data.includes('join on her'));
            const at = node.data.indexOf('join on her');
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 'join on her phone'.length);
            getSelection().removeAllRanges(); getSelection().addRange(range);
        }""")
        page.fill("[data-part=code-search]", "digital")
        page.hover("[data-part=code-tree] li:not([hidden]) button")
        shot(page, "reader")
        page.fill("[data-part=code-search]", "")
        page.click(".hl")
        shot(page, "codings-here")
        tablet = login("CC-N", 820, 1180)
        tablet.click("button[type=submit]")
        tablet.goto(f"{base}/documents/{documents[0]}")
        tablet.wait_for_selector("#reader[data-ready=yes]")
        shot(tablet, "reader-tablet")
        coordinator = login("AC-1")
        coordinator.click("button[type=submit]")
        for name in ("PR-N1", "CC-N"):
            proj.mark_done(name)
        coordinator.goto(base + "/coordinator")
        shot(coordinator, "team")
        coordinator.click("text=Close the round >> nth=-1")
        coordinator.goto(base + "/coordinator/disagreements")
        shot(coordinator, "disagreements")
        coordinator.goto(base + "/coordinator/codebook")
        shot(coordinator, "codebook")
        coordinator.goto(base + "/coordinator/people")
        coordinator.fill("input[name=name]", "PR-N2")
        coordinator.click("text=Make an invitation link")
        shot(coordinator, "people")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
