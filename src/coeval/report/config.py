"""What a report says and how: ``report.yaml`` or a dict."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from ..errors import ReportError

__all__ = ["ReportConfig", "SECTIONS", "DEFAULT_LANGUAGE_NOTES"]

SECTIONS = ("summary", "fai", "themes", "differences", "perspectives", "reliability", "methods", "codebook")

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
        Which sections, in order: any of ``summary``, ``fai``, ``themes``, ``differences``,
        ``perspectives``, ``reliability``, ``methods``, ``codebook``.
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
    sections: list = field(default_factory=lambda: list(SECTIONS))
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

    def __post_init__(self):
        self._check(None)

    def _check(self, path) -> None:
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

    @classmethod
    def load(cls, config=None) -> ReportConfig:
        """From None (defaults), a dict, a ReportConfig, or a path to a YAML file."""
        if config is None:
            return cls()
        if isinstance(config, cls):
            return config
        path = None
        if isinstance(config, (str, Path)):
            import yaml

            path = Path(config)
            try:
                config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except FileNotFoundError:
                raise ReportError("does not exist.", path=path, hint="Give the path of a report.yaml.") from None
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise ReportError(f"is not valid YAML ({getattr(exc, 'problem', exc)}).", path=path,
                                  line=mark.line + 1 if mark else None) from None
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
