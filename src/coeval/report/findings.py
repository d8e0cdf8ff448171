"""The report's findings sections: summary, themes with quotes, barriers and enablers by
feasibility/acceptability/impact, and site differences; each a plain dict the templates lay out."""

from __future__ import annotations

import re
from typing import NamedTuple

from .facts import Facts
from .wording import KIND_NAMES, join_and, plural, role_name, shorten

__all__ = ["summary_section", "themes_section", "fai_section", "differences_section", "DIMENSIONS"]

DIMENSIONS = ("feasibility", "acceptability", "impact")


def _code_stats(f: Facts):
    """Per code: segments, participants (speakers) and sites where it was applied."""
    import pandas as pd

    if f.codings.empty:
        return pd.DataFrame(columns=["code", "segments", "participants", "sites"])
    data = f.codings[["segment_id", "code"]].drop_duplicates()
    data = data.join(f.segments[["speaker", "site"]], on="segment_id")
    stats = data.groupby("code").agg(segments=("segment_id", "nunique"), participants=("speaker", "nunique"),
                                     sites=("site", "nunique")).reset_index()
    return stats.sort_values(["participants", "segments", "code"], ascending=[False, False, True])


def _passage_codes(f: Facts):
    """The barrier and enabler passages' codes: ``row`` (the passage's row in ``f.polarity``),
    ``polarity``, ``code``; one row per passage and code."""
    import numpy as np
    import pandas as pd

    pol = f.polarity
    coded = pd.DataFrame({"row": np.arange(len(pol)), "polarity": pol["polarity"].to_numpy(object),
                          "code": pol["codes"].to_numpy(object)})
    return coded[coded["polarity"].isin(["barrier", "enabler"])].explode("code")


def _dimension_balance(f: Facts, coded) -> dict:
    """Per dimension: passages about it that were barriers / enablers, and the leading codes of
    each, as ``(barriers, enablers, lead_barriers, lead_enablers)`` (``coded``: :func:`_passage_codes`);
    all dimensions in one join, not a mask per dimension and polarity."""
    codes = f.fai_codes
    if codes is None or codes.empty:
        return {}
    sub = codes[codes["polarity"].isin(["barrier", "enabler"])]
    # passages of that polarity with any of the codes the matrix places under the dimension as that
    placed = sub[["dimension", "polarity", "item"]].rename(columns={"item": "code"})
    counts = coded.merge(placed, on=["polarity", "code"]).groupby(["dimension", "polarity"])["row"].nunique()
    counts = counts.to_dict()
    lead: dict = {}
    ranked = sub.sort_values(["segments", "item"], ascending=[False, True])
    for dim, polarity, item in zip(ranked["dimension"].tolist(), ranked["polarity"].tolist(), ranked["item"].tolist()):
        top = lead.setdefault((dim, polarity), [])
        if len(top) < 2:
            top.append(item)
    return {dim: (int(counts.get((dim, "barrier"), 0)), int(counts.get((dim, "enabler"), 0)),
                  lead.get((dim, "barrier"), []), lead.get((dim, "enabler"), []))
            for dim in set(sub["dimension"].tolist())}


def summary_section(f: Facts) -> dict:
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
    coded = _passage_codes(f) if f.fai_codes is not None and not f.fai_codes.empty else None
    balance = _dimension_balance(f, coded)
    for dim in DIMENSIONS:
        barriers, enablers, lead_b, lead_e = balance.get(dim, (0, 0, [], []))
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


class _Material(NamedTuple):
    """What the themes' quotes are chosen from, read once for all themes (:func:`_quote_material`)."""

    fields: dict    # column -> {segment id: value}
    weights: dict   # theme id -> {segment id: the theme's codes applied to it + the coders who applied them}
    sites: dict     # theme id -> distinct sites of its passages
    kinds: object   # document id -> kind of source (a Series)


def _quote_material(f: Facts, members: dict) -> _Material:
    """The passages' fields, and per theme the weight of each of its passages and its sites, for
    all themes at once (``members``: theme id -> segment ids)."""
    import pandas as pd

    ids = list(dict.fromkeys(s for seg_ids in members.values() for s in seg_ids))
    segs = f.segments.loc[ids]
    fields = {col: dict(zip(ids, segs[col].tolist()))
              for col in ("text", "role", "speaker", "site", "document_id", "n_words")}
    links = pd.DataFrame([(t, c) for t, codes in zip(f.themes["theme_id"], f.themes["codes"]) for c in codes],
                         columns=["theme_id", "code"], dtype=object)
    placed = pd.DataFrame([(t, s) for t, seg_ids in members.items() for s in seg_ids],
                          columns=["theme_id", "segment_id"], dtype=object)
    have = f.codings[["segment_id", "code", "coder"]].merge(links, on="code").merge(placed)
    per = have.groupby(["theme_id", "segment_id"])
    weight = per["code"].nunique() + per["coder"].nunique()
    weights: dict = {t: {} for t in members}
    for (theme_id, seg_id), w in zip(weight.index.tolist(), weight.tolist()):
        weights[theme_id][seg_id] = w
    sites = placed.join(f.segments["site"], on="segment_id").groupby("theme_id")["site"].nunique().to_dict()
    return _Material(fields, weights, sites, f.documents.set_index("document_id")["kind"])


def _quotes(f: Facts, theme_id, seg_ids, material: _Material, k: int) -> list[dict]:
    """Up to ``k`` short quotes of a theme: participants' own words first, from different people and sites."""
    if not k:
        return []
    text, role, speaker, site, doc, words = (material.fields[col] for col in
                                             ("text", "role", "speaker", "site", "document_id", "n_words"))
    n_sites, weight, kinds = material.sites.get(theme_id, 0), material.weights[theme_id], material.kinds

    def score(seg_id):
        n = words[seg_id]   # len(text.split())
        community = role[seg_id] not in ("academic", None) and isinstance(role[seg_id], str)
        return (0 if community else 1, 0 if 12 <= n <= 70 else 1, -int(weight.get(seg_id, 0)), abs(n - 35), seg_id)

    chosen, people, places = [], set(), set()
    for seg_id in sorted(seg_ids, key=score):
        # one quote per person; unattributed passages (notes, survey answers): one per kind of source
        who = speaker[seg_id] if isinstance(speaker[seg_id], str) else f"({kinds.get(doc[seg_id], '')})"
        if who in people or words[seg_id] < 6:
            continue
        if site[seg_id] in places and len(places) < n_sites and len(chosen) < k - 1:
            continue  # spread across sites while there are others to draw from
        chosen.append(seg_id)
        people.add(who)
        places.add(site[seg_id])
        if len(chosen) == k:
            break
    out = []
    for seg_id in chosen:
        kind = kinds.get(doc[seg_id], "")
        who = speaker[seg_id] if isinstance(speaker[seg_id], str) else None
        if who:
            by = f"{who}, {role_name(role[seg_id])}"
        else:
            by = {"observation": "observation notes", "survey": "survey answer"}.get(kind, "notes")
        where = site[seg_id] if isinstance(site[seg_id], str) else None
        out.append({"text": shorten(str(text[seg_id]), f.config.max_quote_words),
                    "by": by + (f", {where}" if where else ""), "segment_id": seg_id})
    return out


def _strength_text(ev) -> str:
    kinds = join_and([KIND_NAMES.get(k, k) for k in ev.source_kinds])
    text = (f"{plural(int(ev.segments), 'passage')} from {plural(int(ev.participants), 'person', 'people')} "
            f"at {plural(int(ev.n_sites), 'site')}, in {kinds}.")
    if ev.agreement_band != "unknown":
        said = {"reliable": "agreed well", "tentative": "mostly agreed", "unreliable": "often disagreed"}
        text += f" Coders {said[ev.agreement_band]} on this theme (agreement {ev.agreement:.2f})."
    return text


def themes_section(f: Facts) -> list[dict]:
    if f.themes is None:
        return []
    from ..thematic.in_use import theme_segments as _theme_segments

    members, _ = _theme_segments(f.proj, f.themes, basis=f.basis)   # the report's basis, as every section
    material = _quote_material(f, members)
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
                    "suggested": not f.curated,
                    "barriers": barriers, "enablers": enablers, "mixed": mixed,
                    "strength": e["strength"], "strength_text": _strength_text(e.rename(row.theme_id)),
                    "flags": list(e["flags"]), "note": note,
                    "quotes": _quotes(f, row.theme_id, seg_ids, material, f.config.quotes_per_theme)})
    return out


def fai_section(f: Facts) -> dict:
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


def differences_section(f: Facts) -> dict:
    if f.themes is None:
        return {"sites": [], "rows": [], "notes": []}
    from ..mapping.framework import _matrix
    from ..mapping.sites import _differences

    titles = dict(zip(f.themes["theme_id"], f.titles))
    # as coeval.site_differences, without the p-values the report does not show
    diff = _differences(f.proj, f.themes, basis=f.basis, tested=False)   # site_differences' defaults
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
        # the framework matrix's cells, summarised only where a note quotes one
        matrix = _matrix(f.proj, by="site", columns="themes", themes=f.themes.assign(label=f.themes["theme_id"]),
                         sentences=1, basis=f.basis, summarise=set(zip(notable["case"], notable["theme_id"])))
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
        notes.append({"site": r.case, "text": text, "example": shorten(example, 40) if example else ""})
    return {"sites": sites, "rows": rows, "notes": notes}
