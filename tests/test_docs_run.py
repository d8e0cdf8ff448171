"""Every code block in README.md and docs/*.md runs, as written, on the sample project.

Each page runs top to bottom in its own folder, like a reader following it: the Python blocks
share one namespace (as in a notebook), and each ``coeval ...`` line of a bash block runs
through the command line. The folder holds the sample evaluation under the names the pages
use (``evaluation.coeval``, ``my-evaluation/``, ``roster.csv``, ``nvivo-export.qdpx``...),
and every page starts with ``import coeval as ce`` and ``proj`` open on ``evaluation.coeval``.
A block that cannot run here (installing, starting a server) says so in the page itself, on
the line before it: ``<!-- not run: why -->``. ``docs/api.md`` is the generated reference
(signatures, not examples) and is left out.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import warnings
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

PAGES = [ROOT / "README.md"] + sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "api.md")
_FENCE = re.compile(r"^(?P<skip>[ ]*<!-- not run: (?P<why>[^>]*?) -->\n)?(?P<indent>[ ]*)```(?P<lang>\w*)\n"
                    r"(?P<code>.*?)^(?P=indent)```", re.MULTILINE | re.DOTALL)


def blocks(path: Path) -> list[tuple[int, str, str, str | None]]:
    """``(line, language, code, reason not run)`` for each python and bash block of a page."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        if m.group("lang") in ("python", "bash"):
            line = text[:m.start("code")].count("\n") + 1
            code = "".join(row[len(m.group("indent")):] for row in m.group("code").splitlines(keepends=True))
            out.append((line, m.group("lang"), code, m.group("why")))
    return out


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A folder with the sample under the names the pages use."""
    import coeval as ce
    from coeval.interop import write_qdpx

    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(SAMPLE, folder / "data" / "sample")
    shutil.copytree(SAMPLE, folder / "my-evaluation")
    for name, source in (("workshop.vtt", "northside/workshop1_zoom.vtt"), ("roster.csv", "roster.csv"),
                         ("interview.docx", "coordinators_discussion.docx"), ("codebook.yaml", "codebook.yaml"),
                         ("report.yaml", "report.yaml")):
        shutil.copy(SAMPLE / source, folder / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ce.Project.create(folder / "evaluation.coeval") as proj:
            proj.ingest(SAMPLE, progress=False)
            write_qdpx(proj, folder / "nvivo-export.qdpx")
        with ce.Project() as other:   # another tool's project: a record the sample does not have
            shutil.copy(SAMPLE / "northside" / "workshop2.txt", folder / "maxqda-interview.txt")
            other.ingest(folder / "maxqda-interview.txt", kind="transcript", progress=False)
            write_qdpx(other, folder / "maxqda-export.qdpx")
    for copy in ("pr-m1-copy.coeval", "sample.coeval"):
        shutil.copy(folder / "evaluation.coeval", folder / copy)
    return folder


def _run_bash(code: str, where: str) -> None:
    from coeval.cli import main

    for raw in code.replace("\\\n", " ").splitlines():
        line = raw.split(" # ")[0].strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        env = {}
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            key, value = words.pop(0).split("=", 1)
            env[key] = value
        commands = [list(group) for group in _split_and(words)]
        for command in commands:
            assert command[0] == "coeval", f"{where}: only coeval commands run here: {line!r}"
            with _environment(env):
                exited = main(command[1:])
            assert exited == 0, f"{where}: {' '.join(command)} exited {exited}"


@contextlib.contextmanager
def _environment(values: dict):
    """``values`` set in the environment for the block, then the environment as it was."""
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _split_and(words):
    group = []
    for w in words:
        if w == "&&":
            yield group
            group = []
        else:
            group.append(w)
    if group:
        yield group


@pytest.mark.parametrize("page", [p for p in PAGES if any(b[3] is None for b in blocks(p))], ids=lambda p: p.name)
def test_the_pages_code_runs(page, prepared, tmp_path, monkeypatch):
    runnable = [b for b in blocks(page) if b[3] is None]
    folder = tmp_path / "work"
    shutil.copytree(prepared, folder)
    monkeypatch.chdir(folder)
    namespace = {"__name__": "__docs__"}
    setup = "import coeval as ce\nproj = ce.Project.open('evaluation.coeval')"
    if any('Project.create("evaluation.coeval")' in code for _, _, code, _ in runnable):
        (folder / "evaluation.coeval").unlink()   # the page makes it, as its reader would
        setup = "import coeval as ce"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(setup, namespace)
        for line, lang, code, _ in runnable:
            where = f"{page.relative_to(ROOT)}:{line}"
            if lang == "bash":
                _run_bash(code, where)
            else:
                exec(compile(code, where, "exec"), namespace)


def test_every_skipped_block_says_why():
    for page in PAGES + [ROOT / "docs" / "api.md"]:
        for line, _lang, _code, why in blocks(page):
            assert why is None or why.strip(), f"{page.name}:{line}: say why the block is not run"


def test_the_block_finder_reads_fences_and_reasons(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("Text\n\n```python\nx = 1\n```\n\n<!-- not run: installs -->\n```bash\npip install x\n```\n"
                    "```text\nnot code\n```\n", encoding="utf-8")
    assert blocks(page) == [(4, "python", "x = 1\n", None), (9, "bash", "pip install x\n", "installs")]
