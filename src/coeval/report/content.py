"""What a report says: the project's analyses turned into plain sentences, tables and quotes.

The renderers (HTML, Word, PDF) only lay this out; they decide nothing. Numbers come from the
analysis functions (:mod:`coeval.mapping`, :mod:`coeval.thematic`, :mod:`coeval.agreement`);
this module chooses what to show and words it.
"""

from __future__ import annotations

from .accountability import limitations_section, participants_section, recommendations_section
from .config import SECTION_TITLES
from .facts import Facts
from .findings import differences_section, fai_section, summary_section, themes_section
from .methods import codebook_section, methods_section, perspectives_section, reliability_section
from .wording import ROLE_NAMES, plural

__all__ = ["build_content", "ROLE_NAMES", "plural"]


def build_content(proj, config) -> dict:
    """Everything a report shows, as plain data: sections of text, tables, quotes and the
    frames behind the figures."""
    with proj._reading():   # the analyses share one read of the segments, documents and codings
        return _build(proj, config)


def _build(proj, config) -> dict:
    f = Facts(proj, config)
    has_codings = len(f.codings) > 0
    content = {"title": config.title, "subtitle": config.subtitle, "audience": config.audience,
               "sections": list(config.sections), "has_codings": has_codings,
               "language_notes": dict(sorted(config.language_notes.items(), key=lambda kv: kv[0].casefold())),
               "sites": sorted(f.segments["site"].dropna().unique()),
               "unreviewed_names": int(len(proj.privacy_review())), "section_titles": dict(SECTION_TITLES),
               "theme_status": ("curated" if f.curated else "omitted" if f.omitted_themes else
                                "suggested" if f.themes is not None else "none"),
               "omitted_themes": f.omitted_themes}
    builders = {"summary": summary_section, "recommendations": recommendations_section,
                "participants": participants_section, "themes": themes_section, "fai": fai_section,
                "differences": differences_section, "perspectives": perspectives_section,
                "reliability": reliability_section, "limitations": limitations_section, "methods": methods_section,
                "codebook": codebook_section}
    always = ("methods", "codebook", "recommendations", "participants", "limitations")
    for name in config.sections:
        if name in always or has_codings:
            content[name] = builders[name](f)
    if "themes" not in content and has_codings and "fai" in config.sections:
        content["themes"] = themes_section(f)
    return _printable(content)


def _printable(value):
    """Every string without control characters (a project stored before ingest removed them may
    have some), which Word and PDF files cannot hold."""
    from ..files.spreadsheets import excel_text

    if isinstance(value, str):
        return excel_text(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value
