"""Write ``docs/api.md``, the API reference, from the docstrings.

    python docs/make_api.py              # writes docs/api.md
    python docs/make_api.py other.md     # writes somewhere else (the docs test compares the two)

It needs pdoc (``pip install "coeval[docs]"``), whose documentation model (``pdoc.doc``) gives
each public name's signature, members and docstring. The numpydoc sections are turned into
Markdown here, with code in fences. The output is the same on every run: names are sorted, and
there are no dates and no memory addresses.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from functools import cached_property
from pathlib import Path

import pdoc.doc

OUT = Path(__file__).resolve().parent / "api.md"

# numpydoc sections whose body is a list of "name : type" entries, each with an indented description
_ITEMS = {"Parameters", "Other Parameters", "Returns", "Yields", "Receives", "Raises", "Warns", "Attributes"}
_HEADING = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r"(?::py)?:(func|meth|class|attr|data|const|mod|exc|obj):`([^`]+)`")
_ADDRESS = re.compile(r"<([^<>]*?) at 0x[0-9A-Fa-f]+>")
_DOCTEST_FLAG = re.compile(r"\s*#\s*doctest:.*$")


# -- which names -------------------------------------------------------------------------------


def _sections() -> list[tuple[str, str, list[tuple[str, object]]]]:
    """(title, introduction, [(public name, object)]) for each part of the reference."""
    import coeval

    top = [(f"ce.{name}", getattr(coeval, name)) for name in sorted(coeval._LAZY)]
    agreement = importlib.import_module("coeval.agreement")
    mapping = importlib.import_module("coeval.mapping")
    report = importlib.import_module("coeval.report")
    return [(title, intro, sorted(entries, key=_order)) for title, intro, entries in [
        ("`coeval` (`import coeval as ce`)",
         "The names most work needs, loaded on first use, so `import coeval` stays fast.", top),
        ("`coeval.agreement`",
         "Agreement on a project, and the measures as plain functions on *coders x units* data. "
         "`ce.agreement(proj)` calls `coeval.agreement.agreement(proj)`.",
         [(f"coeval.agreement.{n}", getattr(agreement, n)) for n in sorted(agreement.__all__)]),
        ("`coeval.mapping`",
         "Barriers and enablers against feasibility, acceptability and impact; the framework matrix; "
         "evidence strength and differences between sites.",
         [(f"coeval.mapping.{n}", getattr(mapping, n)) for n in sorted(mapping.__all__)
          if callable(getattr(mapping, n))]),
        ("`coeval.report`", "The steering-group report (see [the report guide](report.md)).",
         [(f"coeval.report.{n}", getattr(report, n)) for n in ("Report", "ReportConfig")]),
    ]]


def _slug(heading: str) -> str:
    """The anchor GitHub and Python-Markdown give a heading with no formatting in it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _doc_of(obj) -> pdoc.doc.Doc:
    module, qualname = obj.__module__, obj.__qualname__
    if inspect.isclass(obj):
        return pdoc.doc.Class(module, qualname, obj, (module, qualname))
    return pdoc.doc.Function(module, qualname, obj, (module, qualname))


def _members(cls_doc: pdoc.doc.Class) -> list[pdoc.doc.Doc]:
    """Public methods and properties defined in coeval (not those inherited from elsewhere)."""
    out = []
    for name, member in cls_doc.members.items():
        if name.startswith("_") or not member.taken_from[0].startswith("coeval"):
            continue
        if isinstance(member, pdoc.doc.Variable):
            if not isinstance(inspect.getattr_static(cls_doc.obj, name, None), (property, cached_property)):
                continue  # fields and attributes are described in the class docstring
        elif not str(getattr(member.obj, "__module__", "")).startswith("coeval"):
            continue  # e.g. scikit-learn's set_fit_request, attached to every estimator
        out.append(member)
    return sorted(out, key=lambda m: m.name)


# -- signatures --------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """No memory addresses; public names for types (``Report``, not ``coeval.report.builder.Report``)."""
    text = _ADDRESS.sub(r"<\1>", text)
    text = re.sub(r"\bcoeval(?:\.\w+)+\.(\w+)", r"\1", text)
    text = re.sub(r"\btyping\.(\w+)", r"\1", text)
    return re.sub(r"\bpandas\.core\.[\w.]+\.(DataFrame|Series)\b", r"pandas.\1", text)


class _Default:
    """A dataclass field's default_factory shown by what it makes, where that is short."""

    def __init__(self, factory):
        value = repr(factory())
        self.text = value if len(value) <= 20 else "[...]" if value.startswith("[") else "{...}" \
            if value.startswith("{") else "..."

    def __repr__(self) -> str:
        return self.text


def _factories(sig, cls):
    """``sig`` with each ``<factory>`` default replaced by what the factory makes."""
    import dataclasses

    if not dataclasses.is_dataclass(cls):
        return sig
    made = {f.name: f.default_factory for f in dataclasses.fields(cls) if f.default_factory is not dataclasses.MISSING}
    params = [p.replace(default=_Default(made[p.name])) if p.name in made else p for p in sig.parameters.values()]
    return sig.replace(parameters=params)


def _public(sig):
    """``sig`` without private parameters (``_create``)."""
    return sig.replace(parameters=[p for p in sig.parameters.values() if not p.name.startswith("_")])


def _signature(doc: pdoc.doc.Doc, shown: str) -> str:
    """The call as Python: ``name(params) -> returns``; a class shows its constructor."""
    if isinstance(doc, pdoc.doc.Class):
        init = doc.members.get("__init__")
        params = str(_public(_factories(init.signature_without_self, doc.obj))) \
            if isinstance(init, pdoc.doc.Function) else "()"
    elif isinstance(doc, pdoc.doc.Variable):
        params = doc.annotation_str
    else:
        method = "." in doc.qualname and not doc.is_staticmethod  # self or cls comes first
        params = str(_public(doc.signature_without_self if method else doc.signature))
    return shown + _clean(params)


def _kind(doc: pdoc.doc.Doc) -> str:
    """Function, Class (based on ...), Method, Property..."""
    if isinstance(doc, pdoc.doc.Class):
        import coeval

        bases = []
        for base in doc.obj.__bases__:
            if base.__module__.startswith("coeval"):
                if getattr(coeval, base.__name__, None) is base:  # a private mixin is not worth naming
                    bases.append(f"ce.{base.__name__}")
            elif base is not object:
                module = "" if base.__module__ == "builtins" else base.__module__ + "."
                bases.append(module + base.__qualname__)
        return "Class" + (", based on " + ", ".join(f"`{b}`" for b in bases) if bases else "")
    if isinstance(doc, pdoc.doc.Variable):
        return "Property"
    if "." not in doc.qualname:
        return "Function"
    return "Class method" if doc.is_classmethod else "Static method" if doc.is_staticmethod else "Method"


def _order(entry: tuple[str, object]):
    """Classes first, then functions, each in alphabetical order."""
    shown, obj = entry
    return (not inspect.isclass(obj), shown.lower())


# -- docstrings --------------------------------------------------------------------------------


class _Links:
    """Turns :func:`x`-style references into links to the entry documenting ``x``, where there is one."""

    def __init__(self):
        self.anchors: dict = {}

    def add(self, key, anchor: str) -> None:
        self.anchors.setdefault(key, anchor)

    @staticmethod
    def key(obj, member: str | None = None):
        return (id(obj), member)

    def resolve(self, target: str, context: pdoc.doc.Doc):
        """The anchor for ``target`` seen from ``context``: absolute, in the class, in the module, in coeval."""
        owner = context.obj if isinstance(context, pdoc.doc.Class) else None
        if owner is None and "." in context.qualname:
            owner = getattr(sys.modules.get(context.modulename), context.qualname.split(".")[0], None)
        starts = [owner, sys.modules.get(context.modulename), importlib.import_module("coeval")]
        if target.split(".")[0] == "coeval":
            starts.insert(0, None)
        for start in starts:
            found = self._walk(start, target)
            if found is not None and found in self.anchors:
                return self.anchors[found]
        return None

    def _walk(self, start, target: str):
        parts = target.split(".")
        if start is None:  # an absolute name: import the longest module prefix
            for i in range(len(parts), 0, -1):
                try:
                    start = importlib.import_module(".".join(parts[:i]))
                except ImportError:
                    continue
                parts = parts[i:]
                break
            else:
                return None
        obj = start
        for i, part in enumerate(parts):
            if i == len(parts) - 1 and inspect.isclass(obj):
                if inspect.getattr_static(obj, part, None) is None:
                    return None
                return self.key(obj, part)
            try:
                obj = getattr(obj, part)
            except Exception:  # any failure means: not something documented here
                return None
        return self.key(obj)


def _inline(text: str, links: _Links, context: pdoc.doc.Doc) -> str:
    """reST inline markup as Markdown: ``code``, :func:`name` (linked where documented here)."""
    text = re.sub(r"``(.+?)``", r"`\1`", text, flags=re.DOTALL)

    def role(m: re.Match) -> str:
        kind, target = m.group(1), m.group(2).strip()
        short = target.lstrip("~").split(".")[-1] if target.startswith("~") else target
        shown = f"`{short}()`" if kind in ("func", "meth") else f"`{short}`"
        anchor = links.resolve(target.lstrip("~"), context)
        return f"[{shown}](#{anchor})" if anchor else shown

    return _ROLE.sub(role, text)


def _prose(text: str, links: _Links, context: pdoc.doc.Doc) -> str:
    """Free text: paragraphs kept, doctest blocks fenced as Python sessions."""
    out, para = [], []

    def flush():
        if para:
            out.append(_inline("\n".join(para), links, context))
            para.clear()

    lines = text.strip("\n").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            flush()
            indent = len(line) - len(line.lstrip())
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(_DOCTEST_FLAG.sub("", lines[i][indent:]).rstrip())
                i += 1
            out.append("```pycon\n" + "\n".join(block) + "\n```")
            continue
        if line.strip():
            para.append(line)
        else:
            flush()
        i += 1
    flush()
    return "\n\n".join(out).strip()


def _entries(body: str) -> list[tuple[str, str]]:
    """(head, description) for each entry of a numpydoc list section."""
    items: list[tuple[str, list[str]]] = []
    for line in inspect.cleandoc(body).splitlines() if body.strip() else []:
        if line and not line[0].isspace():
            items.append((line.strip(), []))
        elif items:
            items[-1][1].append(line)
    return [(head, inspect.cleandoc("\n".join(desc))) for head, desc in items]


def _item_section(heading: str, body: str, links: _Links, context: pdoc.doc.Doc) -> str:
    lines = []
    for head, desc in _entries(body):
        name, sep, kind = head.partition(" : ")
        if not sep and heading in ("Returns", "Yields", "Raises", "Warns"):
            label = _inline(head, links, context)  # a type or exception, no name
        else:
            names = ", ".join(f"`{n.strip()}`" for n in name.split(","))
            label = names + (f" ({_inline(kind.strip(), links, context)})" if sep else "")
        text = _prose(desc, links, context) if desc else ""
        if text:
            first, _, rest = text.partition("\n")
            lines.append(f"- {label}: {first}")
            lines.extend(f"  {r}" if r else "" for r in rest.splitlines())
        else:
            lines.append(f"- {label}")
    return f"**{heading}**\n\n" + "\n".join(lines)


def _listed_section(heading: str, body: str, links: _Links, context: pdoc.doc.Doc) -> str:
    """References and See Also: one list item per entry (an unindented line starts one)."""
    lines = []
    for head, desc in _entries(body):
        text = " ".join([head] + desc.split())
        lines.append(f"- {_inline(text, links, context)}")
    return f"**{heading}**\n\n" + "\n".join(lines)


def docstring_markdown(docstring: str, links: _Links, context: pdoc.doc.Doc) -> str:
    """A numpydoc docstring as Markdown: sections as bold lines, entries as lists, examples fenced."""
    docstring = inspect.cleandoc(docstring or "")
    parts = _HEADING.split(docstring)
    out = [_prose(parts[0], links, context)] if parts[0].strip() else []
    for heading, body in zip(parts[1::2], parts[2::2]):
        heading = heading.strip()
        if heading in _ITEMS:
            out.append(_item_section(heading, body, links, context))
        elif heading in ("References", "See Also"):
            out.append(_listed_section(heading, body, links, context))
        else:
            out.append(f"**{heading}**\n\n{_prose(body, links, context)}")
    return "\n\n".join(p for p in out if p.strip())


# -- the page ----------------------------------------------------------------------------------


def _render_entry(shown: str, doc: pdoc.doc.Doc, links: _Links, also: list[str]) -> list[str]:
    kind = _kind(doc) + (". Also " + ", ".join(f"`{a}`" for a in also) if also else "") + "."
    out = [f"### {shown}", "", kind, "", "```python", _signature(doc, shown), "```", ""]
    text = docstring_markdown(doc.docstring, links, doc)
    out += [text, ""] if text else []
    if isinstance(doc, pdoc.doc.Class):
        for member in _members(doc):
            out += [f"#### {doc.name}.{member.name}", "", _kind(member) + ".", "", "```python",
                    _signature(member, member.name), "```", ""]
            text = docstring_markdown(member.docstring, links, member)
            out += [text, ""] if text else []
    return out


def build() -> str:
    """The whole reference, as Markdown text."""
    import coeval

    sections = _sections()
    links, names_of, first = _Links(), {}, {}
    for _, _, entries in sections:
        for shown, obj in entries:
            names_of.setdefault(id(obj), []).append(shown)
            if id(obj) not in first:
                first[id(obj)] = shown
                links.add(_Links.key(obj), _slug(shown))
                if inspect.isclass(obj):
                    for member in _members(_doc_of(obj)):
                        links.add(_Links.key(obj, member.name), _slug(f"{obj.__name__}.{member.name}"))
    lines = ["# API reference", "",
             "<!-- Generated from the docstrings by `python docs/make_api.py`: edit the docstrings, not this file. -->",
             "",
             f"coeval {coeval.__version__}. Every public name, with its signature and what its docstring says. "
             "Start with the [user guide](index.md); this page is for looking things up.", "",
             "```python", "import coeval as ce", "```", ""]
    lines += ["## Contents", ""]
    for title, _, entries in sections:
        shown = [s for s, obj in entries if first[id(obj)] == s]
        if shown:
            lines.append(f"- {title}: " + ", ".join(f"[{s.split('.')[-1]}](#{_slug(s)})" for s in shown))
    lines.append("")
    for title, intro, entries in sections:
        lines += [f"## {title}", "", intro, ""]
        elsewhere = [(s, first[id(obj)]) for s, obj in entries if first[id(obj)] != s]
        if elsewhere:
            lines += ["Documented above: " + ", ".join(f"`{s}` is [{f}](#{_slug(f)})" for s, f in elsewhere) + ".",
                      ""]
        for shown, obj in entries:
            if first[id(obj)] != shown:
                continue
            also = [n for n in names_of[id(obj)] if n != shown]
            lines += _render_entry(shown, _doc_of(obj), links, also)
    text = "\n".join(lines)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    _check_anchors(text)
    return text


def _check_anchors(text: str) -> None:
    """Every heading has its own anchor, and every link to an anchor on the page finds one."""
    body = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", body, flags=re.MULTILINE):
        anchor = _slug(heading)
        if anchor in anchors:
            raise RuntimeError(f"two headings would share the anchor #{anchor}")
        anchors.add(anchor)
    missing = sorted(set(re.findall(r"\]\(#([^)]+)\)", body)) - anchors)
    if missing:
        raise RuntimeError(f"links to anchors that are not on the page: {', '.join(missing)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else OUT
    out.write_text(build(), encoding="utf-8")
    print(f"Wrote {out}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
