"""What a report says: the project's analyses turned into plain sentences, tables and quotes.

The renderers (HTML, Word, PDF) only lay this out; they decide nothing. Numbers come from the
analysis functions (:mod:`coeval.mapping`, :mod:`coeval.thematic`, :mod:`coeval.agreement`);
this module chooses what to show and words it.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["build_content", "ROLE_NAMES", "plural"]

ROLE_NAMES = {
    "peer_researcher": "peer researcher",
    "community_coordinator": "community coordinator",
    "community_member": "community member",
    "academic": "academic researcher",
    "stakeholder": "partner organisation",
    "participant": "participant",
}
KIND_NAMES = {"transcript": "workshop transcripts", "observation": "observation notes",
              "discussion": "group discussions", "survey": "survey answers", "notes": "notes"}
DIMENSIONS = ("feasibility", "acceptability", "impact")
_USED = ("human", "accepted")


def plural(n: int, one: str, many: str | None = None) -> str:
    """``3 people``, ``1 person``: a count with its noun."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def role_name(role) -> str:
    return ROLE_NAMES.get(role, str(role).replace("_", " ")) if role else "unknown role"


def _and(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _shorten(text: str, max_words: int) -> str:
    """The passage, cut at a sentence end (or a word) near ``max_words`` words, with an ellipsis."""
    text = " ".join(text.split())
    words = text.split()
    if len(words) <= max_words:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = []
    for s in sentences:
        if len(" ".join(out + [s]).split()) > max_words:
            break
        out.append(s)
    if out and len(" ".join(out).split()) >= max_words // 3:
        return " ".join(out) + " …"
    return " ".join(words[:max_words]).rstrip(",;:") + " …"


class _Facts:
    """The analyses one report needs, each computed once."""

    def __init__(self, proj, config):
        from ..mapping import evidence_strength, fai_matrix, segment_polarity, theme_table

        self.proj, self.config = proj, config
        self.cb = proj.codebook
        self.documents = proj.documents
        self.segments = proj.segments.set_index("segment_id")
        codings = proj._codings_frame(with_text=False)
        self.codings = codings[codings["origin"].isin(_USED)].dropna(subset=["segment_id"])
        self.coders = proj.coders
        if config.themes == "curated" or (config.themes == "auto" and len(proj.themes)):
            self.curated = len(proj.themes) > 0
            themes = proj.themes if self.curated else None
        else:
            self.curated = False
            themes = None
        if not self.curated:
            from ..thematic import themes as suggest

            themes = suggest(proj, method=config.theme_method, seed=config.seed) if len(self.codings) else None
        self.themes = theme_table(proj, themes) if themes is not None else None
        self.titles = self._titles() if self.themes is not None else []
        self.polarity = segment_polarity(proj) if len(self.codings) else None
        self.evidence = evidence_strength(proj, self.themes) if self.themes is not None else None
        self.fai = (fai_matrix(proj, themes=self._fai_items(), polarity=self.polarity)
                    if self.themes is not None else None)
        self.fai_codes = fai_matrix(proj, polarity=self.polarity) if len(self.codings) else None
        self.two_coders = self.codings.groupby("document_id")["coder"].nunique().ge(2).any()

    def _fai_items(self):
        return self.themes.assign(label=self.titles) if self.themes is not None else None

    def _titles(self) -> list[str]:
        """A readable title per theme: the team's label, or the theme's most-used codes."""
        out = []
        for row in self.themes.itertuples():
            if self.curated:
                out.append(row.label)
                continue
            use = self.codings[self.codings["code"].isin(row.codes)].groupby("code")["segment_id"].nunique()
            lead = sorted(row.codes, key=lambda c: (-use.get(c, 0), c))[:2]
            out.append(", with ".join([lead[0]] + [c[0].lower() + c[1:] for c in lead[1:]]))
        # two suggested themes may lead with the same codes
        seen: dict[str, int] = {}
        for i, title in enumerate(out):
            seen[title] = seen.get(title, 0) + 1
            if seen[title] > 1:
                out[i] = f"{title} ({seen[title]})"
        return out


def _code_stats(f: _Facts):
    """Per code: segments, participants (speakers) and sites where it was applied."""
    import pandas as pd

    if f.codings.empty:
        return pd.DataFrame(columns=["code", "segments", "participants", "sites"])
    data = f.codings[["segment_id", "code"]].drop_duplicates()
    data = data.join(f.segments[["speaker", "site"]], on="segment_id")
    stats = data.groupby("code").agg(segments=("segment_id", "nunique"), participants=("speaker", "nunique"),
                                     sites=("site", "nunique")).reset_index()
    return stats.sort_values(["participants", "segments", "code"], ascending=[False, False, True])


def _dimension_balance(f: _Facts, dimension: str) -> tuple[int, int, list, list]:
    """Passages about a dimension that were barriers / enablers, and the leading codes of each."""
    codes = f.fai_codes
    if codes is None or codes.empty:
        return 0, 0, [], []
    sub = codes[codes["dimension"] == dimension]
    pol = f.polarity.set_index("segment_id")
    seg_ids = {"barrier": set(), "enabler": set()}
    for row in sub.itertuples():
        if row.polarity in seg_ids:
            seg_ids[row.polarity].add(row.item)
    counts = {}
    for p in ("barrier", "enabler"):
        items = seg_ids[p]
        counts[p] = int(pol[pol["polarity"] == p]["codes"].map(lambda cs, it=items: bool(set(cs) & it)).sum())
    lead = {p: sub[sub["polarity"] == p].sort_values(["segments", "item"], ascending=[False, True])["item"]
            .head(2).tolist() for p in ("barrier", "enabler")}
    return counts["barrier"], counts["enabler"], lead["barrier"], lead["enabler"]


def _summary(f: _Facts) -> dict:
    stats = _code_stats(f)
    pol = {c.name: c.polarity for c in f.cb}
    helped = stats[stats["code"].map(pol).eq("enabler")].head(4)
    hindered = stats[stats["code"].map(pol).eq("barrier")].head(4)

    def bullet(row):
        return {"label": row.code,
                "text": f"raised by {plural(int(row.participants), 'person', 'people')} "
                        f"at {plural(int(row.sites), 'site')}."}

    questions = []
    asks = {"feasibility": ("Could the work be done?", "made it possible", "made it harder"),
            "acceptability": ("Did it suit the people involved?", "made it feel right", "put people off"),
            "impact": ("What changed?", "show change", "say little changed")}
    for dim in DIMENSIONS:
        barriers, enablers, lead_b, lead_e = _dimension_balance(f, dim)
        question, good, bad = asks[dim]
        total = barriers + enablers
        if not total:
            answer = "Nobody's words were coded for this."
        else:
            share = enablers / total
            verdict = ("Mostly yes." if share >= 0.6 else "It was hard going." if share <= 0.4
                       else "Partly.")
            if dim == "impact":
                verdict = ("People described real change." if share >= 0.6 else "People saw little change."
                           if share <= 0.4 else "Some change, not everywhere.")
            answer = (f"{verdict} {plural(enablers, 'passage')} {good}; "
                      f"{plural(barriers, 'passage')} {bad}.")
            if lead_e:
                answer += f" What helped most: {'; '.join(x.lower() for x in lead_e)}."
            if lead_b:
                answer += f" What got in the way most: {'; '.join(x.lower() for x in lead_b)}."
        questions.append({"dimension": dim, "question": question, "answer": answer})
    n_docs = len(f.documents)
    speakers = f.segments["speaker"].dropna().nunique()
    sites = sorted(f.segments["site"].dropna().unique())
    opening = (f"This report is for {f.config.audience}. It draws on {plural(n_docs, 'record')} "
               f"from {plural(len(sites), 'community organisation')}, with {plural(speakers, 'voice')}. "
               "Everyone is named by a made-up label, never their real name.")
    return {"opening": opening, "own": f.config.summary,
            "helped": [bullet(r) for r in helped.itertuples()],
            "hindered": [bullet(r) for r in hindered.itertuples()],
            "questions": questions,
            "caution": "Counts say how often something came up, not how often it happened."}


def _quotes(f: _Facts, seg_ids, codes, k: int) -> list[dict]:
    """Up to ``k`` short quotes: participants' own words first, from different people and sites."""
    if not k:
        return []
    segs = f.segments.loc[list(seg_ids)]
    kinds = f.documents.set_index("document_id")["kind"]
    have = f.codings[f.codings["segment_id"].isin(seg_ids) & f.codings["code"].isin(codes)]
    weight = have.groupby("segment_id")["code"].nunique() + have.groupby("segment_id")["coder"].nunique()

    def score(seg_id):
        seg = segs.loc[seg_id]
        n = len(str(seg["text"]).split())
        community = seg["role"] not in ("academic", None) and isinstance(seg["role"], str)
        return (0 if community else 1, 0 if 12 <= n <= 70 else 1, -int(weight.get(seg_id, 0)), abs(n - 35), seg_id)

    chosen, people, places = [], set(), set()
    for seg_id in sorted(seg_ids, key=score):
        seg = segs.loc[seg_id]
        # one quote per person; unattributed passages (notes, survey answers): one per kind of source
        who = seg["speaker"] if isinstance(seg["speaker"], str) else f"({kinds.get(seg['document_id'], '')})"
        if who in people or len(str(seg["text"]).split()) < 6:
            continue
        if seg["site"] in places and len(places) < segs["site"].nunique() and len(chosen) < k - 1:
            continue  # spread across sites while there are others to draw from
        chosen.append(seg_id)
        people.add(who)
        places.add(seg["site"])
        if len(chosen) == k:
            break
    out = []
    for seg_id in chosen:
        seg = segs.loc[seg_id]
        kind = kinds.get(seg["document_id"], "")
        who = seg["speaker"] if isinstance(seg["speaker"], str) else None
        if who:
            by = f"{who}, {role_name(seg['role'])}"
        else:
            by = {"observation": "observation notes", "survey": "survey answer"}.get(kind, "notes")
        site = seg["site"] if isinstance(seg["site"], str) else None
        out.append({"text": _shorten(str(seg["text"]), f.config.max_quote_words),
                    "by": by + (f", {site}" if site else ""), "segment_id": seg_id})
    return out


def _strength_text(ev) -> str:
    kinds = _and([KIND_NAMES.get(k, k) for k in ev.source_kinds])
    text = (f"{plural(int(ev.segments), 'passage')} from {plural(int(ev.participants), 'person', 'people')} "
            f"at {plural(int(ev.n_sites), 'site')}, in {kinds}.")
    if ev.agreement_band != "unknown":
        said = {"reliable": "agreed well", "tentative": "mostly agreed", "unreliable": "often disagreed"}
        text += f" Coders {said[ev.agreement_band]} on this theme (agreement {ev.agreement:.2f})."
    return text


def _themes(f: _Facts) -> list[dict]:
    if f.themes is None:
        return []
    from ..mapping import _theme_segments

    members, _ = _theme_segments(f.proj, f.themes)
    titles = f.titles
    ev = f.evidence.set_index("theme_id")
    pol = f.polarity.set_index("segment_id")["polarity"]
    notes = f.config.theme_notes
    out = []
    for row, title in zip(f.themes.itertuples(), titles):
        e = ev.loc[row.theme_id]
        if e["n_sites"] < f.config.min_sites:
            continue
        seg_ids = members[row.theme_id]
        split = pol.reindex(seg_ids).value_counts()
        barriers, enablers = int(split.get("barrier", 0)), int(split.get("enabler", 0))
        mixed = int(split.get("mixed", 0))
        if barriers >= 2 * max(enablers, 1):
            lean = "Mostly about what got in the way."
        elif enablers >= 2 * max(barriers, 1):
            lean = "Mostly about what helped."
        else:
            lean = "About both what helped and what got in the way."
        note = notes.get(row.theme_id) or notes.get(row.label) or notes.get(title)
        out.append({"id": row.theme_id, "title": title, "codes": list(row.codes), "lean": lean,
                    "barriers": barriers, "enablers": enablers, "mixed": mixed,
                    "strength": e["strength"], "strength_text": _strength_text(e.rename(row.theme_id)),
                    "flags": list(e["flags"]), "note": note,
                    "quotes": _quotes(f, seg_ids, row.codes, f.config.quotes_per_theme)})
    return out


def _fai(f: _Facts) -> dict:
    if f.fai is None or f.fai.empty:
        return {"rows": [], "figure": None}
    from ..mapping import fai_wide

    sub = f.fai[f.fai["polarity"].isin(["barrier", "enabler"]) & f.fai["dimension"].isin(DIMENSIONS)]
    wide = fai_wide(sub) if len(sub) else None
    rows = []
    for title in f.titles:
        if wide is None or title not in wide.index:
            continue
        cells = []
        for dim in DIMENSIONS:
            b = int(wide.loc[title].get((dim, "barrier"), 0))
            e = int(wide.loc[title].get((dim, "enabler"), 0))
            cells.append({"dimension": dim, "barriers": b, "enablers": e})
        rows.append({"theme": title, "cells": cells})
    return {"rows": rows, "frame": sub}


def _differences(f: _Facts) -> dict:
    if f.themes is None:
        return {"sites": [], "rows": [], "notes": []}
    from ..mapping import framework_matrix, site_differences

    titles = dict(zip(f.themes["theme_id"], f.titles))
    diff = site_differences(f.proj, f.themes)
    sites = sorted(diff["case"].unique())
    rows = []
    for theme_id, g in diff.groupby("theme_id", sort=False):
        g = g.set_index("case")
        rows.append({"theme": titles[theme_id],
                     "cells": [{"site": s, "segments": int(g.at[s, "segments"]), "share": float(g.at[s, "share"]),
                                "difference": g.at[s, "difference"]} for s in sites]})
    notable = diff[diff["difference"].isin(["only here", "more here", "absent here"])]
    summaries = {}
    if len(notable):
        matrix = framework_matrix(f.proj, by="site", themes=f.themes.assign(label=f.themes["theme_id"]),
                                  sentences=1)
        summaries = {(r.case, r.column): r.summary for r in matrix.itertuples()}
    notes = []
    for r in notable.sort_values(["case", "theme_id"]).itertuples():
        title = titles[r.theme_id]
        if r.difference == "absent here":
            text = f"{title}: not raised at {r.case}, though it came up elsewhere."
        else:
            how = "only at" if r.difference == "only here" else "much more at"
            text = (f"{title}: raised {how} {r.case} ({r.segments} of {r.case_segments} coded passages there, "
                    f"{r.share:.0%}, against {r.share_elsewhere:.0%} elsewhere).")
        example = summaries.get((r.case, r.theme_id), "")
        example = re.sub(r"\s*\([^()\s]*:\d+\)\s*$", "", example).strip()  # the segment id in brackets
        notes.append({"site": r.case, "text": text, "example": _shorten(example, 40) if example else ""})
    return {"sites": sites, "rows": rows, "notes": notes}


def _perspectives(f: _Facts) -> dict:
    roles = f.coders.set_index("coder")["role"]
    academic = sorted(c for c, r in roles.items() if r == "academic")
    community = sorted(c for c, r in roles.items() if r != "academic")
    if not (academic and community and f.two_coders):
        return {"available": False, "rows": [],
                "text": "Academic and community coders did not both code the same records, so their views "
                        "cannot be compared here."}
    from ..agreement import perspectives

    table = perspectives(f.proj)
    rows = []
    for r in table[table["more_by"].notna() & table["more_by"].ne("")].head(8).itertuples():
        who = "academic coders" if r.more_by == "academic" else "community coders"
        rows.append({"code": r.code, "more_by": who, "academic": round(100 * float(r.rate_a), 1),
                     "community": round(100 * float(r.rate_b), 1),
                     "agreement": None if r.agreement_between != r.agreement_between else float(r.agreement_between)})
    a_roles = _and(sorted({role_name(roles[c]) + "s" for c in academic}))
    c_roles = _and(sorted({role_name(roles[c]) + "s" for c in community}))
    text = (f"We compared how {a_roles} and {c_roles} coded the same records. "
            + (f"They differed most on {plural(len(rows), 'code')}, listed below. "
               "Where they differ, both views are part of the finding." if rows else
               "They used every code about as often as each other."))
    return {"available": True, "rows": rows, "text": text}


def _reliability(f: _Facts) -> dict:
    if not f.two_coders:
        return {"available": False, "text": "Only one coder coded each record, so agreement cannot be measured.",
                "rows": []}
    from ..agreement import agreement
    from ..agreement.tables import OVERALL

    table = agreement(f.proj)
    overall = table[table["code"] == OVERALL].iloc[0]
    codes = table[(table["code"] != OVERALL) & (table["uses"] >= 5)].sort_values(["alpha", "code"],
                                                                                ascending=[False, True])
    bands = codes["band"].value_counts()
    coders = f.coders
    who = _and([f"{c} ({role_name(r)})" for c, r in zip(coders["coder"], coders["role"])])
    text = [f"{plural(len(coders), 'coder')} coded the records: {who}.",
            f"Overall agreement was {overall['alpha']:.2f} (Krippendorff's alpha, which allows for agreement "
            "by chance: 1 means full agreement, 0 no better than chance).",
            {"reliable": "That is high enough to rely on the coding.",
             "tentative": "That is good enough for tentative findings.",
             "unreliable": "That is below the usual bar of 0.67, so read findings that rest on one code "
                           "with care."}.get(overall["band"], ""),
            f"Of {plural(len(codes), 'code')} used 5 times or more, {int(bands.get('reliable', 0))} reached 0.80 "
            f"(reliable), {int(bands.get('tentative', 0))} reached 0.67 (good enough for tentative findings), "
            f"and {int(bands.get('unreliable', 0))} fell below."]
    rows = [{"code": r.code, "uses": int(r.uses), "alpha": float(r.alpha), "band": r.band}
            for r in codes.itertuples() if r.alpha == r.alpha]
    return {"available": True, "text": text, "rows": rows, "alpha": float(overall["alpha"])}


def _data_hash(f: _Facts) -> str:
    h = hashlib.sha256()
    for value in sorted(f.documents["content_hash"].astype(str)):
        h.update(value.encode())
    for value in sorted(f.codings["coding_id"].astype(str)):
        h.update(value.encode())
    return h.hexdigest()


def _methods(f: _Facts) -> dict:
    from .. import __version__

    docs = f.documents
    sources = []
    for kind, g in docs.groupby("kind", sort=True):
        sites = sorted(g["site"].dropna().unique())
        sources.append({"kind": KIND_NAMES.get(kind, kind), "records": len(g), "sites": ", ".join(sites) or "all",
                        "passages": int(g["n_segments"].sum()), "words": int(g["n_words"].sum())})
    dates = sorted(docs["date"].dropna().astype(str))
    speakers = f.segments.dropna(subset=["speaker"]).drop_duplicates("speaker")
    voices = [{"role": role_name(r), "people": int(n)}
              for r, n in speakers["role"].fillna("unknown").value_counts().sort_index().items()]
    coders = [{"coder": c, "role": role_name(r), "codings": int(n)}
              for c, r, n in zip(f.coders["coder"], f.coders["role"], f.coders["n_codings"])]
    pol = f.polarity
    from_codes = int((pol["source"] == "codes").sum()) if pol is not None else 0
    return {"sources": sources, "dates": f"{dates[0]} to {dates[-1]}" if dates else "not recorded",
            "voices": voices, "coders": coders,
            "codebook": {"name": f.cb.name, "version": f.cb.version, "hash": f.cb.content_hash[:12],
                         "codes": len(f.cb)},
            "data_hash": _data_hash(f)[:12], "coeval_version": __version__,
            "themes": ("the team's own themes" if f.curated else
                       f"suggested by coeval ({f.config.theme_method} method, seed {f.config.seed}), "
                       "not yet reviewed by the team"),
            "polarity": (f"{plural(from_codes, 'passage')} took their barrier or enabler label from their codes; "
                         f"{plural(len(pol) - from_codes if pol is not None else 0, 'passage')} from coeval's "
                         "word-based classifier." if pol is not None else "")}


def _codebook(f: _Facts) -> list[dict]:
    return [{"name": c.name, "depth": f.cb.depth(c.name), "definition": c.definition or "",
             "polarity": c.polarity if c.polarity not in (None, "none") else "",
             "dimensions": ", ".join(c.dimensions)} for c in f.cb.ordered()]


def build_content(proj, config) -> dict:
    """Everything a report shows, as plain data: sections of text, tables, quotes and the
    frames behind the figures."""
    f = _Facts(proj, config)
    has_codings = len(f.codings) > 0
    content = {"title": config.title, "subtitle": config.subtitle, "audience": config.audience,
               "sections": list(config.sections), "has_codings": has_codings,
               "language_notes": dict(sorted(config.language_notes.items(), key=lambda kv: kv[0].casefold())),
               "sites": sorted(f.segments["site"].dropna().unique())}
    builders = {"summary": _summary, "themes": _themes, "fai": _fai, "differences": _differences,
                "perspectives": _perspectives, "reliability": _reliability, "methods": _methods,
                "codebook": _codebook}
    for name in config.sections:
        if name in ("methods", "codebook") or has_codings:
            content[name] = builders[name](f)
    if "themes" not in content and has_codings and "fai" in config.sections:
        content["themes"] = _themes(f)
    return content
