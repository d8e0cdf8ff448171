"""REFI-QDA codebooks (.qdc): the code tree other QDA tools exchange."""

from __future__ import annotations

import uuid
from pathlib import Path

from ..errors import FormatError
from ..files.archives import parse_xml

__all__ = ["read_qdc", "write_qdc", "QDC_NAMESPACE"]

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
_GUIDS = uuid.UUID("0b5d3c2e-9a41-4f7e-8c2d-5e6f7a8b9c0d")


def read_qdc(source, codebook_class):
    """A codebook (of ``codebook_class``, normally :class:`~coeval.Codebook`) from a .qdc file (or its bytes).

    Codes keep their tree, descriptions (as definitions) and colours; code names repeated in
    different branches get the parent's name added so that names stay unique.

    Raises
    ------
    FormatError
        Malformed XML, hostile declarations, or not a codebook.
    """
    if isinstance(source, (bytes, bytearray)):
        data, path = bytes(source), None
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError:
            raise FormatError("cannot be read (does it exist?).", path=path) from None
    root = parse_xml(data, path=path)
    if not root.tag.endswith("CodeBook"):
        raise FormatError(f"is not a REFI-QDA codebook (its root is {root.tag!r}).", path=path,
                          hint="A .qdc file starts with <CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">.")
    cb = codebook_class(Path(path).stem if path else "Imported codebook",
                  source={"citation": f"imported from {Path(path).name if path else 'a .qdc file'}"
                                      + (f" ({root.get('origin')})" if root.get("origin") else "")})

    def walk(parent_el, parent_name):
        for el in parent_el.findall("{*}Code"):
            base = " ".join((el.get("name") or "code").split())
            name, n = base, 2
            if name in cb:
                name = f"{base} ({parent_name or 'top'})"
            while name in cb:
                name, n = f"{base} ({n})", n + 1
            desc = el.find("{*}Description")
            cb.add(name, parent=parent_name, definition=(desc.text or "").strip() if desc is not None else "",
                   color=el.get("color"))
            walk(el, name)

    codes = root.find("{*}Codes")
    if codes is not None:
        walk(codes, None)
    return cb


def write_qdc(codebook, path=None) -> bytes:
    """Write a codebook as a REFI-QDA .qdc (to ``path`` if given); returns the bytes."""
    import re

    from lxml import etree

    from .. import __version__

    ns = QDC_NAMESPACE
    root = etree.Element(f"{{{ns}}}CodeBook", {"origin": f"coeval {__version__}"}, nsmap={None: ns})
    codes = etree.SubElement(root, f"{{{ns}}}Codes")

    def add(parent, code):
        attrs = {"guid": str(uuid.uuid5(_GUIDS, code.id)), "name": code.name, "isCodable": "true"}
        if code.color and re.fullmatch(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})", code.color):
            attrs["color"] = code.color
        el = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
        if code.definition:
            etree.SubElement(el, f"{{{ns}}}Description").text = code.definition
        for child in codebook.children(code.id):
            add(el, child)

    for top in codebook.children(None):
        add(codes, top)
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    if path is not None:
        Path(path).write_bytes(data)
    return data
