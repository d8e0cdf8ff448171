"""What a report says and how: ``report.yaml`` or a dict."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from ..errors import CoevalError, ReportError

__all__ = ["ReportConfig", "SECTIONS", "SHORT_SECTIONS", "APPENDIX_SECTIONS", "SECTION_TITLES",
           "DEFAULT_LANGUAGE_NOTES"]

SECTIONS = ("summary", "recommendations", "participants", "fai", "themes", "differences", "perspectives",
            "reliability", "limitations", "methods", "codebook")
# the report a steering group reads by default; the technical appendix (Report.appendix(), or
# coeval report --appendix FILE) holds what a methods lead checks
SHORT_SECTIONS = ("summary", "recommendations", "participants", "fai", "themes", "differences", "limitations",
                  "methods")
APPENDIX_SECTIONS = ("reliability", "perspectives", "methods", "codebook")
SECTION_TITLES = {"summary": "In short", "recommendations": "What we recommend", "participants": "Who took part",
                  "fai": "Barriers and enablers", "themes": "Themes",
                  "differences": "Differences between organisations", "perspectives": "Community and academic views",
                  "reliability": "How reliable the coding was", "limitations": "What to keep in mind",
                  "methods": "How we did this", "codebook": "Appendix: the codebook"}

# Words a steering-group report cannot avoid, said plainly once (shown as "Words we use").
DEFAULT_LANGUAGE_NOTES = {
    "barrier": "something that got in the way",
    "enabler": "something that helped",
    "feasibility": "whether the work could be done in practice",
    "acceptability": "whether the people involved found it right for them",
    "impact": "what changed because of the work",
    "context": "the wider situation the work happened in",
    "theme": "an idea that came up again and again",
    "code": "a short label the team put on a passage to say what it is about",
    "coding": "putting codes on passages",
    "passage": "one person's turn in a discussion, or one entry in a note",
    "peer researcher": "a community member trained to do research with their own community",
    "co-production": "working together as equals, from the start",
    "pseudonym": "a made-up label used instead of a real name",
    "Krippendorff's alpha": "a score of how far coders agreed, beyond what chance would give (1 is full agreement)",
}


@dataclass
class ReportConfig:
    """Settings of a :class:`~coeval.report.Report`.

    Parameters
    ----------
    title, subtitle : str
        Shown at the top of the report.
    audience : str
        Who reads it; named in the opening lines.
    sections : list of str
        Which sections, in order: any of ``summary``, ``recommendations``, ``participants``,
        ``fai``, ``themes``, ``differences``, ``perspectives``, ``reliability``, ``limitations``,
        ``methods``, ``codebook``. By default the short report: ``summary``,
        ``recommendations``, ``participants``, ``fai``, ``themes``, ``differences``,
        ``limitations``, ``methods``; the agreement per code, the community and academic views
        and the codebook go in the technical appendix (:meth:`Report.appendix`), or list them here.
    recommendations : list
        The team's recommendations, each a mapping with ``text`` (what to do), ``themes`` (the
        ids or titles of the themes it rests on) and ``evidence`` (what else it rests on), or
        just the text. Shown numbered near the top; coeval never writes recommendations.
    suggested_themes : {"show", "omit"}
        Themes the software suggested and the team has not reviewed: ``show`` them under a
        visible "suggested by the software, not yet reviewed" label (the default), or ``omit``
        them until the team has curated its own.
    paper : {"A4", "Letter"}
        The Word document's paper size.
    agreement_table : bool
        Also print the agreement table (every code's alpha and band) under the agreement figure;
        off by default (the figure shows each code, with its interval).
    quotes_per_theme : int
        Quotes shown under each theme (0 to 5).
    max_quote_words : int
        Longer passages are shortened, at a sentence end, with an ellipsis.
    min_sites : int
        A theme must be supported at this many sites to appear.
    themes : {"auto", "curated", "suggested"}
        ``auto``: the team's curated themes when there are any, else suggested ones.
    theme_method : {"network", "text", "combined"}
        How suggested themes are found (see :func:`coeval.themes`).
    seed : int
        For suggested themes (the same seed gives the same themes).
    basis : str
        Whose codings the findings count (see :mod:`coeval.coding.basis`): ``auto`` (the
        consensus once a round is reconciled, else every coder's, and said so), ``consensus``,
        ``agreed``, ``any`` or ``coder:NAME``.
    round : str, optional
        The round whose agreement the reliability section shows (default: the latest round with
        assignments; its frozen table once closed).
    summary : str, optional
        The evaluators' own summary, shown at the top of "In short", after the opening lines
        (checked, never rewritten).
    theme_notes : dict
        Theme id or label -> the evaluators' interpretation, shown with the theme.
    language_notes : dict
        Term -> plain meaning, shown as "Words we use"; these terms are not flagged as jargon.
        From a file or dict (:meth:`load`) they add to the defaults; given directly to
        ``ReportConfig(...)`` they replace them.
    jargon : dict
        More words to flag in :meth:`Report.checks`, with plainer alternatives.
    allow_names : bool
        Write the report even if the privacy gate finds a participant's name. Off by default.
    date : str, optional
        The date printed on the report (default: today, or ``SOURCE_DATE_EPOCH`` when set).
    """

    title: str = "What helped and what got in the way"
    subtitle: str = "Findings from the co-evaluation"
    audience: str = "the steering group"
    sections: list = field(default_factory=lambda: list(SHORT_SECTIONS))
    quotes_per_theme: int = 3
    max_quote_words: int = 60
    min_sites: int = 1
    themes: str = "auto"
    theme_method: str = "network"
    seed: int = 0
    basis: str = "auto"
    round: str | None = None
    summary: str | None = None
    theme_notes: dict = field(default_factory=dict)
    language_notes: dict = field(default_factory=lambda: dict(DEFAULT_LANGUAGE_NOTES))
    jargon: dict = field(default_factory=dict)
    allow_names: bool = False
    date: str | None = None
    recommendations: list = field(default_factory=list)
    suggested_themes: str = "show"
    paper: str = "A4"
    agreement_table: bool = False

    def __post_init__(self):
        self._check(None)

    def _check(self, path) -> None:
        _check_types(self, path)
        unknown = [s for s in self.sections if s not in SECTIONS]
        if unknown:
            raise ReportError(f"unknown section {unknown[0]!r}.", path=path,
                              hint=f"Sections are: {', '.join(SECTIONS)}.")
        if not 0 <= int(self.quotes_per_theme) <= 5:
            raise ReportError("quotes_per_theme must be between 0 and 5.", path=path)
        if self.themes not in ("auto", "curated", "suggested"):
            raise ReportError(f"themes must be auto, curated or suggested, not {self.themes!r}.", path=path)
        if self.theme_method not in ("network", "text", "combined"):
            raise ReportError(f"theme_method must be network, text or combined, not {self.theme_method!r}.",
                              path=path)
        for name in ("theme_notes", "language_notes", "jargon"):
            if not isinstance(getattr(self, name), dict):
                raise ReportError(f"{name} must be a mapping of term: text.", path=path)
        if self.suggested_themes not in ("show", "omit"):
            raise ReportError(f"suggested_themes must be show or omit, not {self.suggested_themes!r}.", path=path)
        if self.paper not in ("A4", "Letter"):
            raise ReportError(f"paper must be A4 or Letter, not {self.paper!r}.", path=path)
        self.recommendations = [_recommendation(r, i, path) for i, r in enumerate(self.recommendations, start=1)]

    @classmethod
    def load(cls, config=None) -> ReportConfig:
        """From None (defaults), a dict, a ReportConfig, or a path to a YAML file."""
        if config is None:
            return cls()
        if isinstance(config, cls):
            return config
        path = None
        if isinstance(config, (str, Path)):
            from ..files.textio import decode_bytes, normalise_text
            from ..files.yamlsafe import load_yaml

            path = Path(config)
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                raise ReportError("does not exist.", path=path, hint="Give the path of a report.yaml.") from None
            except OSError as exc:
                raise ReportError(f"cannot be read ({exc.strerror}).", path=path) from None
            try:
                text = normalise_text(decode_bytes(data, path=path))
            except CoevalError as exc:
                raise ReportError(exc.message, path=path, hint=exc.hint) from None
            config = load_yaml(text, path=path, error=ReportError, what="report settings (YAML)") or {}
            if not isinstance(config, dict):
                raise ReportError("must be a mapping of settings (title: ..., sections: ...).", path=path)
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - names)
        if unknown:
            raise ReportError(f"unknown setting {unknown[0]!r}.", path=path,
                              hint=f"Settings are: {', '.join(sorted(names))}.")
        values = dict(config)
        if "language_notes" in values:  # the team's notes add to (and override) the defaults
            values["language_notes"] = {**DEFAULT_LANGUAGE_NOTES, **(values["language_notes"] or {})}
        try:
            out = cls(**values)
        except ReportError as exc:
            raise ReportError(exc.message, path=path, hint=exc.hint) from None
        return out


# the type every setting must have: a string "false" is not false (it would turn the privacy gate off)
_TEXT, _OPTIONAL_TEXT, _WHOLE, _FLAG, _TEXTS, _NOTES = "text", "text or empty", "a whole number", "true or false", \
    "a list of names", "a mapping of term: text"
_TYPES = {"title": _TEXT, "subtitle": _TEXT, "audience": _TEXT, "sections": _TEXTS, "quotes_per_theme": _WHOLE,
          "max_quote_words": _WHOLE, "min_sites": _WHOLE, "themes": _TEXT, "theme_method": _TEXT, "seed": _WHOLE,
          "basis": _TEXT, "round": _OPTIONAL_TEXT, "summary": _OPTIONAL_TEXT, "theme_notes": _NOTES,
          "language_notes": _NOTES, "jargon": _NOTES, "allow_names": _FLAG, "date": _OPTIONAL_TEXT,
          "suggested_themes": _TEXT, "paper": _TEXT, "agreement_table": _FLAG}


def _recommendation(value, number: int, path) -> dict:
    """One recommendation as ``{"text", "themes", "evidence"}``, or a ReportError naming it."""
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        raise ReportError(f"recommendation {number} must be its text, or a mapping with text, themes and "
                          "evidence.", path=path)
    unknown = sorted(set(value) - {"text", "themes", "evidence"})
    if unknown:
        raise ReportError(f"recommendation {number} has an unknown key {unknown[0]!r}.", path=path,
                          hint="A recommendation has text, themes (a list of theme ids or titles) and evidence.")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ReportError(f"recommendation {number} has no text.", path=path, hint="Write what to do under text:.")
    themes = value.get("themes") or []
    if isinstance(themes, str):
        themes = [themes]
    if not isinstance(themes, list) or not all(isinstance(t, (str, int)) for t in themes):
        raise ReportError(f"recommendation {number}: themes must be a list of theme ids or titles.", path=path)
    evidence = value.get("evidence") or ""
    if not isinstance(evidence, str):
        raise ReportError(f"recommendation {number}: evidence must be text.", path=path)
    return {"text": " ".join(text.split()), "themes": [str(t) for t in themes], "evidence": evidence.strip()}


def _fits(value, kind) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _OPTIONAL_TEXT:
        return value is None or isinstance(value, str)
    if kind == _WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _FLAG:
        return isinstance(value, bool)
    if kind == _TEXTS:
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _check_types(config, path) -> None:
    import datetime

    if isinstance(config.date, datetime.date):  # YAML reads 2026-05-01 as a date
        config.date = f"{config.date.day} {config.date:%B %Y}"
    for name, kind in _TYPES.items():
        value = getattr(config, name)
        if not _fits(value, kind):
            shown = f"the text {value!r}" if isinstance(value, str) else f"{type(value).__name__} {value!r}"
            hint = ("Write true or false without quotes." if kind == _FLAG else
                    "Write a number without quotes." if kind == _WHOLE else
                    "Write it as a list: [summary, themes]." if kind == _TEXTS else
                    "Write it as a mapping, one 'term: text' per line." if kind == _NOTES else
                    "Put the text in quotes.")
            raise ReportError(f"setting {name!r} must be {kind}, not {shown[:80]}.", path=path, hint=hint)
