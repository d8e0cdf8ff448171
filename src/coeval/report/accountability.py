"""The sections a steering group needs to act on a report: who took part, the team's
recommendations, and the limitations, written from the project's own facts.

Nothing here invents a finding: participants are counted from the roster's roles and the
documents (never named), recommendations are the team's own words from ``report.yaml``, and
each limitation is stated only when the fact behind it holds.
"""

from __future__ import annotations

from ..errors import ReportError
from .facts import Facts
from .wording import KIND_NAMES, join_and, plural, role_name

__all__ = ["participants_section", "recommendations_section", "limitations_section", "COUNTS_CAVEAT"]

COUNTS_CAVEAT = ("Counts of passages show how often something came up in these records. They do not show how "
                 "many people experienced it, or how much it mattered: a point one person made once can matter "
                 "as much as one made often.")


def participants_section(f: Facts) -> dict:
    """People by role and site (distinct pseudonymised speakers), records by kind and activity,
    and who coded."""
    segs = f.segments.dropna(subset=["speaker"])
    people = segs.drop_duplicates(["speaker"])
    roles = [{"role": role_name(r), "people": int(n)}
             for r, n in people["role"].fillna("").value_counts().sort_index().items() if r]
    unknown = int(people["role"].isna().sum())
    sites = sorted(segs["site"].dropna().unique())
    by_site = segs.drop_duplicates(["speaker", "site"]).dropna(subset=["site"])
    table = by_site.groupby(["role", "site"]).size() if len(by_site) else None
    grid = []
    for role in sorted(by_site["role"].dropna().unique()):
        grid.append({"role": role_name(role), "cells": [int(table.get((role, s), 0)) for s in sites]})
    docs = f.documents
    records = []
    activity = docs["activity"] if "activity" in docs else None
    for kind, g in docs.groupby("kind", sort=True):
        named = list(activity[g.index]) if activity is not None else []
        if not any(a == a and a for a in named):   # no activity recorded: the sessions say what it was
            named = list(g["session"])
        acts = sorted({str(a) for a in named if a == a and a})
        records.append({"kind": KIND_NAMES.get(kind, kind), "records": len(g),
                        "activities": ", ".join(acts), "sites": len(g["site"].dropna().unique())})
    coder_roles = f.coders["role"].value_counts()
    coded_by = [plural(int(n), role_name(r)) for r, n in coder_roles.sort_index().items()]
    community = int(coder_roles.get("peer_researcher", 0) + coder_roles.get("community_coordinator", 0))
    text = [f"{plural(len(people), 'person', 'people')} spoke in the records"
            + (f" (for {plural(unknown, 'of them', 'of them')} the role was not recorded)" if unknown else "")
            + f", at {plural(len(sites), 'community organisation')}.",
            f"The records were coded by {plural(len(f.coders), 'person', 'people')}: {join_and(coded_by)}."
            if len(f.coders) else "Nobody has coded the records yet.",
            (f"{plural(community, 'community member')} (peer researchers and community coordinators) coded "
             "alongside the academic team." if community else
             "No peer researcher or community coordinator coded the records.")]
    return {"text": text, "roles": roles, "sites": sites, "grid": grid, "records": records,
            "note": "Everyone is counted by their made-up label; no one is named."}


def _theme_index(f: Facts) -> dict:
    index = {}
    if f.themes is not None:
        for row, title in zip(f.themes.itertuples(), f.titles):
            for key in (row.theme_id, row.label, title):
                index[str(key).casefold()] = title
    return index


def recommendations_section(f: Facts) -> dict:
    """The team's recommendations from ``report.yaml``, each with the themes and evidence it
    rests on; the library never writes one."""
    given = f.config.recommendations
    if not given:
        return {"items": [], "text": "The team has not written recommendations yet. They are the team's own: "
                                     "write them in report.yaml under recommendations (coeval never makes them up)."}
    index = _theme_index(f)
    items = []
    for i, rec in enumerate(given, start=1):
        themes = []
        for name in rec.get("themes", []):
            title = index.get(str(name).casefold())
            if title is None:
                raise ReportError(f"recommendation {i} rests on theme {name!r}, which is not in this report.",
                                  hint="Use a theme's id (T1) or title as the report shows it: "
                                       + "; ".join(sorted(set(index.values()))[:12]) + ".")
            themes.append(title)
        items.append({"text": rec["text"], "themes": themes, "evidence": rec.get("evidence", "")})
    return {"items": items, "text": ""}


def limitations_section(f: Facts) -> dict:
    """What the reader should keep in mind, each point stated only when the fact behind it holds."""
    points = []
    coded = set(f.codings["segment_id"])
    if f.basis == "consensus":
        agreed = len(f.reconciled & coded)
        points.append(f"Of the {plural(len(coded), 'passage')} the findings count, {agreed:,} "
                      f"{'is' if agreed == 1 else 'are'} among the {len(f.reconciled):,} that two or more people "
                      f"coded and the team reconciled; the other {len(coded) - agreed:,} rest on one person's "
                      "reading.")
    elif f.basis == "any":
        points.append("No round of coding has been reconciled yet: a passage counts if any one coder coded it, "
                      "so some findings rest on one person's reading.")
    per_doc = f.own.groupby("document_id")["coder"].nunique()
    single = int((per_doc.reindex(f.documents["document_id"]).fillna(0) < 2).sum())
    if single:
        points.append(f"{plural(single, 'record was', 'records were')} coded by one person only.")
    if not f.curated and f.themes is not None:
        points.append("The themes were suggested by the software from the codes and have not yet been reviewed "
                      "by the team; their titles are the codes they are made of.")
    if f.evidence is not None:
        titles = dict(zip(f.themes["theme_id"], f.titles))
        thin = [titles[r.theme_id] for r in f.evidence.itertuples()
                if any(x in ("one site", "one voice") or x.startswith("only") for x in r.flags)]
        if thin:
            points.append(f"{plural(len(thin), 'theme rests', 'themes rest')} on one site or few voices: "
                          f"{join_and(thin[:6])}{' and others' if len(thin) > 6 else ''}.")
        doubtful = [titles[r.theme_id] for r in f.evidence.itertuples() if r.agreement_band == "unreliable"]
        if doubtful:
            points.append(f"Coders often disagreed on the codes behind {join_and(doubtful[:6])}"
                          f"{' and others' if len(doubtful) > 6 else ''}: read these with care.")
    for check in _checks_missing(f):
        points.append(check)
    points.append(COUNTS_CAVEAT)
    return {"points": points}


def _checks_missing(f: Facts) -> list[str]:
    """Checks that did not run, as the ingests recorded them."""
    from .methods import ingest_record

    checks, without = ingest_record(f)
    out = []
    if without:
        out.append(f"{plural(len(without), 'record was', 'records were')} read without the participant roster, so "
                   "names not in speaker labels may remain in them.")
    ran = " ".join(checks)
    if ran and "entity recogniser" not in ran:
        out.append("No entity recogniser (a language model that finds names) was installed, so names that are "
                   "not on the roster or in speaker labels were not replaced automatically"
                   + ("; likely first names were listed for a person to review." if "for review" in ran else "."))
    return out
