"""House rules that keep the package easy to live in: folders by stage, one-way imports, short modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

import coeval

SRC = Path(coeval.__file__).resolve().parent
# The pipeline's stages, lowest first (docs/architecture.md explains each). A module may import
# only from its own stage or lower ones; a new folder must be placed here before it can import.
LAYERS = [
    {"errors", "model", "files"},     # the ground floor: no coeval imports but each other
    {"learn"},                        # estimators and spaCy on plain texts (privacy asks nlp for names)
    {"privacy"},                      # roster, pseudonymiser, identifiers (ingest pseudonymises)
    {"ingest", "codebook"},           # reading files into documents; the code tree and its formats
    {"store"},                        # the project database: documents, codebook, codings, audit
    {"coding"},                       # the team's coding work on a store
    {"agreement", "thematic", "mapping"},  # analyses of a project's codings
    {"project"},                      # the Project users hold: the store plus the team's work
    {"interop", "report", "workspace"},    # what talks to the outside world
    {"cli"},
]
MAX_LINES = 400
# Modules allowed past MAX_LINES, each with the reason it is one idea (none today).
LONG_MODULES: dict[str, str] = {}


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts
    return ".".join(parts)


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for i, layer in enumerate(LAYERS):
        if top in layer:
            return i
    return -1


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py") if p.name != "__main__.py"}


def _imports(source: str, package: list[str], modules) -> set[str]:
    """The package's own modules that ``source`` (a module in ``package``) imports, at the top or
    inside functions. ``from . import schema`` names the module ``schema``; ``from .x import f``
    names ``x``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            elif node.module and (node.module + ".").startswith("coeval."):
                base = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                sub = ".".join(base + [alias.name])
                found.add(sub if sub in modules else ".".join(base))
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("coeval.")}
    return {m for m in found if m}


def _imports_of(module: str, path: Path, modules) -> set[str]:
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    return _imports(path.read_text(), [p for p in package if p], modules)


def _upward(modules) -> list[str]:
    problems = []
    for module, path in modules.items():
        if module == "":
            continue  # coeval/__init__.py: the lazy public API, above everything
        for target in _imports_of(module, path, modules):
            if _layer(target) > _layer(module):
                problems.append(f"{module} imports {target}")
    return problems


def test_every_folder_has_a_stage():
    tops = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    tops |= {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    assert {t for t in tops if _layer(t) < 0} == set()


def test_every_folder_says_what_it_owns():
    for init in SRC.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc.split()) >= 8, f"{init.parent.name}/__init__.py needs a docstring saying what it owns"


def test_import_coeval_loads_nothing_heavy():
    code = ("import sys, coeval; heavy = [m for m in ('spacy', 'sklearn', 'matplotlib', 'pandas', "
            "'sqlalchemy', 'docx', 'openpyxl', 'scipy', 'networkx', 'lxml') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_model_uses_only_the_standard_library():
    tree = ast.parse((SRC / "model.py").read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "html", "dataclasses", "typing"}


def test_dependencies_run_one_way():
    assert _upward(_modules()) == []


def test_the_layer_check_catches_an_upward_import(tmp_path):
    """The check must be able to fail: a store module importing the report or an analysis is caught."""
    modules = _modules()
    fake = tmp_path / "upward.py"
    fake.write_text("from .schema import now\n\ndef f():\n    from ..report import Report\n"
                    "    from coeval.mapping.fai import fai_matrix\n")
    found = _imports(fake.read_text(), ["store"], modules)
    assert found == {"store.schema", "report", "mapping.fai"}
    assert sorted(t for t in found if _layer(t) > _layer("store")) == ["mapping.fai", "report"]


def test_no_import_cycles_among_modules():
    modules = _modules()
    graph = nx.DiGraph()
    for module, path in modules.items():
        graph.add_node(module)
        for target in _imports_of(module, path, modules):
            if target in modules and target != module:
                graph.add_edge(module, target)
    cycles = list(nx.simple_cycles(graph.subgraph([m for m in graph if m])))
    assert cycles == []


def test_modules_are_a_sitting_long():
    long = {name: len(path.read_text().splitlines()) for name, path in _modules().items()}
    long = {name: n for name, n in long.items() if n > MAX_LINES and name not in LONG_MODULES}
    assert long == {}


def test_every_module_declares_all():
    missing = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
               if p.name != "__main__.py" and "__all__" not in p.read_text()]
    assert missing == []


def test_public_functions_stay_callable_after_submodule_imports():
    code = ("import coeval.cli, coeval.coding.merging, coeval.agreement.tables, coeval.thematic, coeval.mapping, "
            "coeval as ce; assert callable(ce.merge) and callable(ce.agreement) and callable(ce.disagreements); "
            "assert callable(ce.themes) and callable(ce.cooccurrence) and callable(ce.fai_matrix); "
            "assert ce.agreement.krippendorff_alpha([[1, 2], [1, 2]]) == 1.0; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_moved_submodules_are_still_reachable_from_the_package():
    import coeval as ce

    assert ce.nlp.__name__ == "coeval.learn.nlp"
    assert ce.frameworks.__name__ == "coeval.codebook.frameworks"
    assert ce.plain.plain_language_checks is ce.plain_language_checks
