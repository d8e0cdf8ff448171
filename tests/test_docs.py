"""The documentation stays true: the API reference matches the docstrings, and links lead somewhere."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)


def relative_links(markdown: str) -> list[str]:
    """The link targets of a Markdown page that point at files: not web addresses, not anchors alone,
    and not text inside code."""
    text = _CODE.sub("", _FENCE.sub("", markdown))
    targets = _INLINE_LINK.findall(text) + _REFERENCE_LINK.findall(text)
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.IGNORECASE) and not t.startswith("#")]


def test_api_reference_is_current(tmp_path):
    pytest.importorskip("pdoc")
    fresh = tmp_path / "api.md"
    run = subprocess.run([sys.executable, str(DOCS / "make_api.py"), str(fresh)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    committed = (DOCS / "api.md").read_text(encoding="utf-8")
    new = fresh.read_text(encoding="utf-8")
    diff = "".join(list(difflib.unified_diff(committed.splitlines(keepends=True), new.splitlines(keepends=True),
                                             "docs/api.md (committed)", "docs/api.md (from the docstrings)"))[:40])
    assert new == committed, f"docs/api.md is out of date: run `python docs/make_api.py` and commit it.\n{diff}"


def test_link_finder_finds_file_links_and_skips_the_rest():
    page = ("See [formats](docs/formats.md#the-manifest) and ![fig](img/a.png).\n"
            "[web](https://example.org) [top](#top) `[code](nowhere.md)`\n"
            "```\n[fenced](nowhere.md)\n```\n[ref]: other.md\n")
    assert relative_links(page) == ["docs/formats.md#the-manifest", "img/a.png", "other.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_point_at_files_that_exist(page):
    broken = []
    for target in relative_links(page.read_text(encoding="utf-8")):
        path = target.split("#", 1)[0].split("?", 1)[0]
        if path and not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)} links to files that do not exist: {', '.join(broken)}"
