"""The report's sections on how the findings were made: community and academic views,
reliability, methods (sources, voices, coders, versions) and the codebook."""

from __future__ import annotations

import hashlib

from .facts import Facts
from .wording import KIND_NAMES, join_and, plural, role_name

__all__ = ["perspectives_section", "reliability_section", "methods_section", "codebook_section"]


def perspectives_section(f: Facts) -> dict:
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
    a_roles = join_and(sorted({role_name(roles[c]) + "s" for c in academic}))
    c_roles = join_and(sorted({role_name(roles[c]) + "s" for c in community}))
    text = (f"We compared how {a_roles} and {c_roles} coded the same records. "
            + (f"They differed most on {plural(len(rows), 'code')}, listed below: differences too large to be "
               "chance, even allowing for how many codes we compared. Where they differ, both views are part of "
               "the finding." if rows else
               "They used every code about as often as each other."))
    return {"available": True, "rows": rows, "text": text}


def reliability_section(f: Facts) -> dict:
    if not f.two_coders:
        return {"available": False, "text": "Only one coder coded each record, so agreement cannot be measured.",
                "rows": []}
    from ..agreement import agreement
    from ..agreement.tables import OVERALL
    from ..coding.rounds import get_round

    table = agreement(f.proj, round=f.config.round)
    if table.empty:
        return {"available": False, "rows": [],
                "text": "No records were coded independently by two coders who finished them, so agreement "
                        "cannot be measured."}
    overall = table[table["code"] == OVERALL].iloc[0]
    round_name = overall["round"]
    where = ""
    if round_name:
        closed = bool(get_round(f.proj, round_name)["closed_at"])
        n_units = plural(int(table.loc[table["code"] != OVERALL, "n_units"].max()), "passage")
        where = (f"Agreement was measured on the {round_name} round{'' if closed else ' (still open)'}: "
                 f"the {n_units} that two or more coders were given and finished. They coded them on their own, "
                 "before the team met" + (", and talking it through afterwards did not change these figures."
                                          if closed else "."))
    codes = table[(table["code"] != OVERALL) & (table["uses"] >= 5)].sort_values(["alpha", "code"],
                                                                                ascending=[False, True])
    bands = codes["band"].value_counts()
    coders = f.coders
    who = join_and([f"{c} ({role_name(r)})" for c, r in zip(coders["coder"], coders["role"])])
    text = [f"{plural(len(coders), 'coder')} coded the records: {who}.", *([where.strip()] if where else []),
            f"Overall agreement was {overall['alpha']:.2f} (Krippendorff's alpha, which allows for agreement "
            "by chance: 1 means full agreement, 0 no better than chance).",
            {"reliable": "That is high enough to rely on the coding.",
             "tentative": "That is good enough for tentative findings.",
             "unreliable": "That is below the usual bar of 0.67, so read findings that rest on one code "
                           "with care."}.get(overall["band"], ""),
            f"Of {plural(len(codes), 'code')} used 5 times or more, {int(bands.get('reliable', 0))} reached 0.80 "
            f"(reliable), {int(bands.get('tentative', 0))} reached 0.67 (good enough for tentative findings), "
            f"and {int(bands.get('unreliable', 0))} fell below."]
    intervals = _intervals(f, round_name or None, list(codes["code"]))
    unknown = (float("nan"), float("nan"))
    rows = [{"code": r.code, "uses": int(r.uses), "alpha": round(float(r.alpha), 2) + 0.0, "band": r.band,
             "low": intervals.get(r.code, unknown)[0], "high": intervals.get(r.code, unknown)[1]}
            for r in codes.itertuples() if r.alpha == r.alpha]
    return {"available": True, "text": text, "rows": rows, "alpha": float(overall["alpha"]),
            "show_table": bool(f.config.agreement_table)}


def _intervals(f: Facts, round_name, codes) -> dict:
    """95% bootstrap intervals of each code's alpha (1,000 resamples of passages, seeded)."""
    import numpy as np

    from ..agreement.alpha import bootstrap_alpha
    from ..agreement.units import collect_units

    units, _info = collect_units(f.proj, None, "segment", round=round_name)
    out = {}
    for code in codes:
        values, weights = units.get(code)
        if not weights.size:
            continue
        data = np.repeat(values, weights.astype(int), axis=1).astype(float)
        data[data < 0] = np.nan
        result = bootstrap_alpha(data, n_boot=1000, seed=f.config.seed)
        out[code] = (float(result.low), float(result.high))
    return out


def _data_hash(f: Facts) -> str:
    h = hashlib.sha256()
    for value in sorted(f.documents["content_hash"].astype(str)):
        h.update(value.encode())
    for value in sorted(f.codings["coding_id"].astype(str)):
        h.update(value.encode())
    return h.hexdigest()


def methods_section(f: Facts) -> dict:
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
    from ..coding.basis import describe_basis
    from ..coding.rounds import rounds_frame

    basis = f"The findings count {describe_basis(f.basis)}."
    if f.basis == "consensus":
        basis += (f" On the {plural(len(f.reconciled), 'passage')} coded by two or more people, "
                  "that is what they all applied and, where they differed, what the team decided together "
                  "at a reconciliation meeting.")
    elif f.basis == "any":
        basis += " No coding round has been reconciled yet, so a passage counts if any one coder coded it."
    rounds = [{"round": r.round, "status": r.status, "coders": int(r.coders), "documents": int(r.documents),
               "double_coded": int(r.double_coded_documents),
               "alpha": None if r.alpha is None or r.alpha != r.alpha else float(r.alpha),
               } for r in rounds_frame(f.proj).itertuples()]
    pol = f.polarity
    from_codes = int((pol["source"] == "codes").sum()) if pol is not None else 0
    privacy = _privacy_statement(f)
    return {"sources": sources, "dates": f"{dates[0]} to {dates[-1]}" if dates else "not recorded",
            "voices": voices, "coders": coders, "basis": basis, "rounds": rounds, "privacy": privacy,
            "codebook": {"name": f.cb.name, "version": f.cb.version, "hash": f.cb.content_hash[:12],
                         "codes": len(f.cb)},
            "data_hash": _data_hash(f)[:12], "coeval_version": __version__,
            "themes": ("the team's own themes" if f.curated else
                       f"suggested by coeval ({f.config.theme_method} method, seed {f.config.seed}), "
                       "not yet reviewed by the team"
                       + (f" ({plural(f.left_out, 'grouping')} of codes resting on a single passage "
                          "left out)" if f.left_out else "")),
            "polarity": (f"{plural(from_codes, 'passage')} took their barrier or enabler label from their codes; "
                         f"{plural(len(pol) - from_codes if pol is not None else 0, 'passage')} from coeval's "
                         "word-based classifier." if pol is not None else "")}


def ingest_record(f: Facts) -> tuple[list[str], set]:
    """What the ingests recorded: the privacy checks that ran (in order, once each), and the
    documents still in the project that were read without a roster."""
    from sqlalchemy import select

    from ..store import schema

    e = schema.events
    ingests = [r[0] or {} for r in f.proj._read_rows(select(e.c.detail).where(e.c.action == "ingest"))]
    without = {d for r in ingests if not r.get("roster") for d in r.get("added", [])}
    checks = list(dict.fromkeys(c for r in ingests for c in r.get("checks", [])))
    return checks, without & set(f.documents["document_id"])


def _privacy_statement(f: Facts) -> str:
    """What was taken out before analysis, as the ingests recorded it: only the checks that ran."""
    checks, without = ingest_record(f)
    if not checks:  # ingested before coeval recorded its checks
        checks = ["names on the participant roster", "speaker names", "phone numbers", "e-mail addresses"]
    text = ("Everyone was given a made-up label before analysis. Taken out of the records: "
            f"{join_and(checks)}.")
    if without:
        text += (f" {plural(len(without), 'record was', 'records were')} read without the participant roster, "
                 "so other names mentioned in them may remain.")
    return text


def codebook_section(f: Facts) -> list[dict]:
    return [{"name": c.name, "depth": f.cb.depth(c.name), "definition": c.definition or "",
             "polarity": c.polarity if c.polarity not in (None, "none") else "",
             "dimensions": ", ".join(c.dimensions)} for c in f.cb.ordered()]
