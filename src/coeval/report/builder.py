"""``ce.Report``: the steering-group report, as HTML, PDF or Word, and in Jupyter."""

from __future__ import annotations

import base64
import os
import warnings
from datetime import UTC, datetime
from pathlib import Path

from ..errors import CoevalError, PlainLanguageWarning, PrivacyError, PrivacyWarning, ReportError
from .config import ReportConfig

__all__ = ["Report"]

_TEMPLATES = Path(__file__).with_name("templates")


def _atomic_write(path: Path, write) -> Path:
    """Write through a temporary file beside ``path``: a failed write leaves no half a report."""
    from ..files.spreadsheets import written_whole

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with written_whole(path) as tmp:  # a full disk is a clean error, and leaves nothing behind
        write(tmp)
    return path


class Report:
    """The report for the steering group: plain words, honest about how strong each finding
    is, and safe (nothing that identifies a participant).

    Parameters
    ----------
    proj : Project
    title : str, optional
        Overrides the config's title.
    config : dict, path or ReportConfig, optional
        See :class:`~coeval.report.ReportConfig` (a ``report.yaml``).
    roster : path or Roster, optional
        Also check the report against this roster's names (the project keeps only salted
        hashes of the names, which are always checked).

    Examples
    --------
    >>> report = ce.Report(proj, title="Community research pilot: what we learned")  # doctest: +SKIP
    >>> report.checks()            # plain-language warnings for the evaluator  # doctest: +SKIP
    >>> report.to_html("report.html"); report.to_docx("report.docx")  # doctest: +SKIP
    """

    def __init__(self, proj, title: str | None = None, config=None, *, roster=None):
        self.proj = proj
        import dataclasses

        # a copy: changing this report's settings never changes the caller's config
        self.config = dataclasses.replace(ReportConfig.load(config))
        if title:
            self.config.title = title
        self.roster = roster
        self._content: dict | None = None
        self._figures: dict | None = None
        self._checks = None

    def __repr__(self) -> str:
        return f"Report({self.config.title!r}, sections={self.config.sections})"

    def appendix(self) -> Report:
        """The technical appendix: agreement per code with its intervals, community and academic
        views, how it was done, and the codebook, as a report of its own (same settings)."""
        import dataclasses

        from .config import APPENDIX_SECTIONS

        config = dataclasses.replace(self.config, sections=list(APPENDIX_SECTIONS),
                                     title=f"{self.config.title}: technical appendix",
                                     subtitle="For the methods lead: how far the coders agreed, how the report was "
                                              "made, and the codebook")
        return Report(self.proj, config=config, roster=self.roster)

    # -- what it says -------------------------------------------------------------------------

    @property
    def content(self) -> dict:
        """What the report shows, as plain data (computed once; see :meth:`refresh`)."""
        if self._content is None:
            from .content import build_content

            self._content = build_content(self.proj, self.config)
        return self._content

    def refresh(self) -> Report:
        """Recompute after the project changed."""
        self._content = self._figures = self._checks = None
        return self

    @property
    def made(self) -> str:
        """When the report was made: ``config.date``, else ``SOURCE_DATE_EPOCH``, else now."""
        if self.config.date:
            return str(self.config.date)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
        return f"{when.day} {when:%B %Y, %H:%M} UTC"

    def figures(self, *, narrow: bool = True) -> dict:
        """The figures as ``{name: {"png": bytes, "alt": str, "b64": str, "width_in": float}}``:
        ``png`` at the printed width of A4 text; with ``narrow`` (the HTML, not Word) also
        ``narrow_b64``, the phone layout, drawn on first asking."""
        if self._figures is None:
            from functools import partial

            from .figures import PRINT_WIDTH, agreement_png, fai_heatmap_png, sites_png

            self._figures, self._draw_narrow = {}, {}
            fai = self.content.get("fai")
            reliability = self.content.get("reliability")
            plans = {"fai": (fai_heatmap_png, fai["rows"] if fai else None),
                     "agreement": (agreement_png, reliability["rows"] if reliability and reliability.get("available")
                                   else None)}
            differences = self.content.get("differences")
            if differences and differences["rows"]:
                plans["differences"] = (partial(sites_png, sites=differences["sites"]), differences["rows"])
            for name, (draw, rows) in plans.items():
                drawn = draw(rows) if rows else None
                if drawn:
                    png, alt = drawn
                    self._figures[name] = {"png": png, "alt": alt, "b64": base64.b64encode(png).decode("ascii"),
                                           "width_in": PRINT_WIDTH}
                    self._draw_narrow[name] = partial(draw, rows, narrow=True)
        if narrow:
            for name, figure in self._figures.items():
                if "narrow_b64" not in figure:
                    figure["narrow_b64"] = base64.b64encode(self._draw_narrow[name]()[0]).decode("ascii")
        return self._figures

    def checks(self):
        """Plain-language checks of the report's own words (never of participants' quotes):
        reading ease and grade of the summary and of the codebook definitions, sentences over
        25 words, acronyms not spelled out, and jargon with plainer words.

        Returns
        -------
        pandas.DataFrame
            ``where``, ``check``, ``severity``, ``found``, ``suggestion``, ``message``.
        """
        if self._checks is not None:
            return self._checks.copy()
        import pandas as pd

        from .plain import COLUMNS, check_text, load_jargon, plain_language_checks

        found = plain_language_checks(self._own_words(), glossary=self.config.language_notes,
                                      jargon=load_jargon(self.config.jargon))
        # each definition is too short to score alone: the codebook's definitions are scored together
        definitions = [c["definition"] for c in self.content.get("codebook", []) if c["definition"]]
        if definitions:
            joined = " ".join(d if d.rstrip()[-1:] in ".!?" else d + "." for d in definitions)
            scores = [r for r in check_text(joined, where="codebook definitions, together")
                      if r["check"] in ("reading_ease", "grade")]
            found = pd.concat([found, pd.DataFrame(scores, columns=COLUMNS)], ignore_index=True)
        self._checks = found
        return found.copy()

    def _own_words(self) -> list[tuple[str, str]]:
        """The report's own text (and the evaluators'), by place; quotes left out."""
        c = self.content
        texts = []
        if "summary" in c:
            s = c["summary"]
            parts = [s["opening"], s.get("own") or ""]
            parts += [f"{b['label']}: {b['text']}" for b in s["helped"] + s["hindered"]]
            parts += [f"{q['question']} {q['answer']}" for q in s["questions"]]
            texts.append(("summary", "\n".join(p for p in parts if p)))
        for t in c.get("themes", []):
            texts.append((f"theme {t['title']}", " ".join(x for x in (t["lean"], t["strength_text"], t["note"] or "")
                                                          if x)))
        if c.get("perspectives"):
            texts.append(("community and academic views", c["perspectives"]["text"]))
        if c.get("reliability", {}).get("available"):
            texts.append(("reliability", " ".join(c["reliability"]["text"])))
        for code in c.get("codebook", []):
            if code["definition"]:
                texts.append((f"codebook: {code['name']}", code["definition"]))
        return texts

    def privacy_check(self):
        """Everything in the report that could identify a participant: roster names (by the
        project's salted name hashes, and ``roster`` when given), e-mail addresses, phone
        numbers.

        Returns
        -------
        pandas.DataFrame
            ``where``, ``kind``, ``found``; empty when the report is safe to share.
        """
        import pandas as pd

        from .gate import privacy_findings

        return pd.DataFrame(privacy_findings(self.content, self.proj, self.roster),
                            columns=["where", "kind", "found"])

    def _gate(self) -> None:
        found = self.privacy_check()
        if found.empty:
            return
        places = "; ".join(f'{r.kind} "{r.found}" in {r.where}' for r in found.head(8).itertuples())
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        if self.config.allow_names:
            warnings.warn(f"the report shows what may identify participants: {places}{more} "
                          "(allowed by allow_names).", PrivacyWarning, stacklevel=3)
            return
        raise PrivacyError(f"the report would show what may identify a participant: {places}{more}.",
                           hint="Fix the source (re-ingest with the roster, or edit the theme label, note or "
                                "codebook text), or set allow_names: true if these are not participants.")

    def _warn_checks(self) -> None:
        try:
            found = self.checks()
        except (ImportError, CoevalError):  # textstat missing or unusable: checks are advice, not a gate
            return
        warned = found[found["severity"] == "warning"]
        if len(warned):
            warnings.warn(f"{len(warned)} plain-language warnings (see report.checks()), e.g. "
                          f"{warned['message'].iloc[0]}", PlainLanguageWarning, stacklevel=3)

    # -- output -------------------------------------------------------------------------------

    def _html(self, *, standalone: bool) -> str:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

        env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                          undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
        template = env.get_template("report.html.j2")
        css = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
        from .. import __version__

        return template.render(c=self.content, figures=self.figures(), css=css, made=self.made,
                               standalone=standalone, version=__version__).strip() + "\n"

    def to_html(self, path=None) -> str | Path:
        """One self-contained HTML file (figures embedded, print stylesheet included).

        Returns the HTML as a string when ``path`` is None, else the path written.

        Raises
        ------
        PrivacyError
            If a participant's name, e-mail address or phone number would appear.
        """
        self._gate()
        html = self._html(standalone=True)
        if path is None:
            return html
        self._warn_checks()
        return _atomic_write(Path(path), lambda tmp: tmp.write_text(html, encoding="utf-8"))

    def to_pdf(self, path) -> Path:
        """A PDF, from the HTML and its print stylesheet, with WeasyPrint (``pip install
        "coeval[pdf]"``; it needs the Pango library)."""
        self._gate()
        try:
            from weasyprint import HTML
        except (ImportError, OSError) as exc:
            raise ReportError(f"PDF output needs WeasyPrint and its system libraries ({exc}).",
                              hint='Install it with: pip install "coeval[pdf]" (and on Debian/Ubuntu: '
                                   "apt-get install libpango-1.0-0 libpangoft2-1.0-0), or write .html or .docx "
                                   "and print that.") from None
        html = self._html(standalone=True)
        self._warn_checks()
        import logging

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        return _atomic_write(Path(path), lambda tmp: HTML(string=html).write_pdf(tmp))

    def to_docx(self, path) -> Path:
        """A Word document with real headings, tables, figures and quotes (python-docx)."""
        self._gate()
        from .word import write_docx

        self._warn_checks()
        return _atomic_write(Path(path), lambda tmp: write_docx(self, tmp))

    def save(self, path) -> Path:
        """Write the report in the format its suffix names: ``.html``, ``.pdf`` or ``.docx``."""
        suffix = Path(path).suffix.lower()
        writers = {".html": self.to_html, ".htm": self.to_html, ".pdf": self.to_pdf, ".docx": self.to_docx}
        if suffix not in writers:
            raise ReportError(f"cannot write a report as {suffix or 'a file with no suffix'}.", path=path,
                              hint="Use a name ending in .html, .pdf or .docx.")
        return writers[suffix](path)

    def _repr_html_(self) -> str:
        try:
            self._gate()
        except PrivacyError as exc:
            from html import escape

            return f"<p><strong>Report withheld:</strong> {escape(str(exc))}</p>"
        return self._html(standalone=False)
