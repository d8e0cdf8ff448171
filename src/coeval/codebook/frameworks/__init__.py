"""Built-in codebook templates: the default co-evaluation codebook and published frameworks.

>>> from coeval.codebook import frameworks
>>> frameworks.available()["name"].tolist()[:2]  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["available", "template_path", "TEMPLATE_DIR"]

TEMPLATE_DIR = Path(__file__).resolve().parent
_ALIASES = {"default": "coeval", "fai": "coeval", "bowen2009": "bowen", "proctor2011": "proctor",
            "nihr_coproduction": "nihr", "coproduction": "nihr"}


def template_path(name: str) -> Path:
    """The YAML file of a built-in template.

    Raises
    ------
    NotFoundError
        If there is no such template (the message lists those there are).
    """
    from ...errors import NotFoundError

    key = _ALIASES.get(name.lower(), name.lower())
    path = TEMPLATE_DIR / f"{key}.yaml"
    if not path.is_file():
        names = ", ".join(sorted(p.stem for p in TEMPLATE_DIR.glob("*.yaml")))
        raise NotFoundError(f"no built-in template {name!r}.", hint=f"Available: {names}.")
    return path


def available():
    """The built-in templates: ``template``, ``name``, ``n_codes``, ``citation``, ``doi``."""
    import pandas as pd
    import yaml

    rows = []
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))

        def count(codes):
            return sum(1 + count(c.get("children") or []) for c in codes or [])

        source = doc.get("source") or {}
        rows.append({"template": path.stem, "name": doc.get("name"), "n_codes": count(doc.get("codes")),
                     "citation": source.get("citation"), "doi": source.get("doi")})
    order = {"coeval": 0}
    rows.sort(key=lambda r: (order.get(r["template"], 1), r["template"]))
    return pd.DataFrame(rows, columns=["template", "name", "n_codes", "citation", "doi"])
