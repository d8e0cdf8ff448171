"""House rules that keep the package easy to live in."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import coeval

SRC = Path(coeval.__file__).resolve().parent
# Layers, lowest first; a module may import only from its own layer or lower ones.
LAYERS = [
    {"errors", "model"},
    # nlp sits with ingest: privacy asks it for an entity recogniser; it needs only errors
    {"schema", "privacy", "ingest", "nlp", "safefiles"},
    # the codebook and the learning estimators work on plain data, without a project
    {"codebook", "frameworks", "suggest", "qdc", "clustering", "polarity", "plain"},
    # the store and collaboration on it
    {"project", "coding", "sheets", "suggestions", "merging", "interop", "curation"},
    {"agreement", "thematic", "mapping"},
    {"report"},
    {"cli"},
]


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for i, layer in enumerate(LAYERS):
        if top in layer:
            return i
    return -1


def test_import_coeval_loads_nothing_heavy():
    code = ("import sys, coeval; heavy = [m for m in ('spacy', 'sklearn', 'matplotlib', 'pandas', "
            "'sqlalchemy', 'docx', 'openpyxl') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_model_uses_only_the_standard_library():
    tree = ast.parse((SRC / "model.py").read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "html", "dataclasses", "typing"}


def test_dependencies_run_one_way():
    problems = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).with_suffix("")
        module = ".".join(rel.parts)
        if module == "__init__":
            continue
        mine = _layer(module)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(rel.parts[: len(rel.parts) - node.level])
                if node.module:
                    targets = [".".join(base + [node.module])]
                else:  # "from . import nlp"
                    targets = [".".join(base + [a.name]) for a in node.names]
                for target in targets:
                    if _layer(target) > mine:
                        problems.append(f"{module} imports {target}")
    assert problems == []


def test_every_module_declares_all():
    missing = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
               if p.name != "__main__.py" and "__all__" not in p.read_text()]
    assert missing == []


def test_public_functions_stay_callable_after_submodule_imports():
    code = ("import coeval.cli, coeval.merging, coeval.agreement.tables, coeval.thematic, coeval.mapping, "
            "coeval as ce; assert callable(ce.merge) and callable(ce.agreement) and callable(ce.disagreements); "
            "assert callable(ce.themes) and callable(ce.cooccurrence) and callable(ce.fai_matrix); "
            "assert ce.agreement.krippendorff_alpha([[1, 2], [1, 2]]) == 1.0; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
