"""The analyses one report needs, each computed once, on the codings in use."""

from __future__ import annotations

__all__ = ["Facts", "USED_ORIGINS"]

USED_ORIGINS = ("human", "accepted")


class Facts:
    """The analyses one report needs, each computed once."""

    def __init__(self, proj, config):
        from ..coding.basis import basis_codings, reconciled_segments, resolve_basis
        from ..mapping import evidence_strength, fai_matrix, segment_polarity, theme_table
        from ..mapping.fai import _matrices as fai_matrices

        self.proj, self.config = proj, config
        self.left_out = 0
        self.omitted_themes = 0
        self.cb = proj.codebook
        self.documents = proj.documents
        self.segments = proj.segments.set_index("segment_id")
        self.basis = basis = resolve_basis(proj, config.basis)
        # what the findings count (on the basis), and the coders' own independent codings
        self.codings = basis_codings(proj, basis).dropna(subset=["segment_id"])
        own = proj._codings_frame(with_text=False)
        self.own = own[own["origin"].isin(USED_ORIGINS)].dropna(subset=["segment_id"])
        coders = proj.coders
        self.coders = coders[coders["role"] != "consensus"].reset_index(drop=True)
        if config.themes == "curated" or (config.themes == "auto" and len(proj.themes)):
            self.curated = len(proj.themes) > 0
            themes = proj.themes if self.curated else None
        else:
            self.curated = False
            themes = None
        if not self.curated:
            from ..thematic import themes as suggest

            themes = (suggest(proj, method=config.theme_method, seed=config.seed, basis=basis)
                      if len(self.codings) else None)
            if themes is not None:
                # a suggested grouping that rests on a single passage is not a finding
                self.left_out = int((themes["n_segments"] < 2).sum())
                themes = themes[themes["n_segments"] >= 2].reset_index(drop=True)
            if themes is not None and config.suggested_themes == "omit":
                self.omitted_themes, themes = len(themes), None
        self.themes = theme_table(proj, themes, basis=basis) if themes is not None else None
        self.titles = self._titles() if self.themes is not None else []
        self.polarity = segment_polarity(proj, basis=basis) if len(self.codings) else None
        self.evidence = evidence_strength(proj, self.themes, basis=basis) if self.themes is not None else None
        self.fai = self.fai_codes = None
        if self.polarity is not None:   # the themes' matrix and the codes' in one pass over the passages
            sets = [None] if self.themes is None else [self._fai_items(), None]   # None: the codes
            *theme_fai, self.fai_codes = fai_matrices(proj, sets, polarity=self.polarity)
            self.fai = theme_fai[0] if theme_fai else None
        elif self.themes is not None:
            self.fai = fai_matrix(proj, themes=self._fai_items())
        self.two_coders = self.own.groupby("document_id")["coder"].nunique().ge(2).any()
        # the passages the team reconciled (read once: the methods and the limitations both tell them)
        self.reconciled = set(reconciled_segments(proj)) if basis == "consensus" else set()

    def _fai_items(self):
        return self.themes.assign(label=self.titles) if self.themes is not None else None

    def _titles(self) -> list[str]:
        """A readable title per theme: the team's label, or the theme's most-used codes."""
        out = []
        # passages per code, counted once for all themes
        use = {} if self.curated else self.codings.groupby("code")["segment_id"].nunique().to_dict()
        for row in self.themes.itertuples():
            if self.curated:
                out.append(row.label)
                continue
            lead = sorted(row.codes, key=lambda c: (-use.get(c, 0), c))[:2]
            out.append(", with ".join([lead[0]] + [c[0].lower() + c[1:] for c in lead[1:]]))
        # two suggested themes may lead with the same codes
        seen: dict[str, int] = {}
        for i, title in enumerate(out):
            seen[title] = seen.get(title, 0) + 1
            if seen[title] > 1:
                out[i] = f"{title} ({seen[title]})"
        return out
