"""Themes: the code co-occurrence network, suggested themes, and the team's curated themes.

Named ``thematic`` so that ``ce.themes`` stays the function that suggests themes.
:func:`themes` proposes; the evaluators decide in ``proj.themes`` (a :class:`ThemeSet`);
:func:`theme_table` gives the themes in use for the analyses and the report.
"""

from __future__ import annotations

from .cooccurrence import cooccurrence, cooccurrence_figure
from .curated import ThemeSet
from .in_use import theme_segments, theme_table
from .suggested import THEME_COLUMNS, themes

__all__ = ["cooccurrence", "cooccurrence_figure", "themes", "THEME_COLUMNS", "ThemeSet", "theme_table",
           "theme_segments"]
