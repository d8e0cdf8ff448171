"""The coordinator's pages: the team's progress and agreement, rounds and assignments, the
reconciliation of disagreements, the codebook, and the people who may log in.

Each change calls the library (``proj.open_round``, ``proj.assign``, ``reconcile_decisions``,
``proj.set_codebook``, :mod:`~coeval.workspace.accounts`), so the rules and the audit log are
the same as in Python and on the command line.
"""

from __future__ import annotations

from urllib.parse import quote

from .forms import COORDINATOR, FormError, back, error_text, flash
from .security import route
from .templating import render, run

__all__ = ["routes", "progress_table", "agreement_rows", "disagreement_groups"]

def progress_table(proj, of_round: str | None = None) -> tuple[list[str], list[dict]]:
    """Coders of a round, and one row per document assigned in it: title, site, and per coder
    ``done`` / ``to do`` / ``""`` with their number of codings in the document."""
    from sqlalchemy import func, select

    from ..store import schema

    frame = proj.assignments
    if of_round is not None:
        frame = frame[frame["round"] == of_round]
    c, d = schema.codings, schema.documents
    counts = {(doc, coder): n for doc, coder, n in proj._read_rows(
        select(c.c.document_id, c.c.coder, func.count()).where(c.c.origin.in_(("human", "accepted")))
        .group_by(c.c.document_id, c.c.coder))}
    coders = sorted(set(frame["coder"]))
    status = {}
    for row in frame.itertuples():
        key = (row.document_id, row.coder)
        status[key] = "to do" if row.status == "to do" or status.get(key) == "to do" else "done"
    assigned = set(frame["document_id"])
    rows = []
    for doc, title, site in proj._read_rows(select(d.c.id, d.c.title, d.c.site).order_by(d.c.position)):
        if doc not in assigned:
            continue
        cells = [{"status": status.get((doc, coder), ""), "codings": counts.get((doc, coder), 0)} for coder in coders]
        rows.append({"document_id": doc, "title": title, "site": site or "", "cells": cells})
    return coders, rows


def agreement_rows(proj, of_round: str | None = None) -> list[dict]:
    """The agreement table so far (segment unit), one dict per code, for the dashboard."""
    import math
    import warnings

    from ..agreement import agreement
    from ..errors import CoevalError, CoevalWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CoevalWarning)
            table = agreement(proj, round=of_round)
    except CoevalError:
        return []

    def number(value):
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 2)
    return [{"code": r["code"], "n_units": int(r["n_units"]), "uses": int(r["uses"]),
             "percent_agreement": number(r["percent_agreement"]), "alpha": number(r["alpha"]),
             "band": r["band"] or "", "warning": r["warning"] or ""} for r in table.to_dict("records")]


def disagreement_groups(proj, round: str | None = None) -> list[dict]:
    """The disagreements of a round grouped by passage, with whether each passage is reconciled
    in this round and, if it is, its consensus codes."""
    from sqlalchemy import select

    from ..agreement import disagreements
    from ..errors import CoevalError
    from ..store import schema

    try:
        table = disagreements(proj, round=round)
    except CoevalError:
        return []
    rec = schema.reconciled
    decided = {r[0] for r in proj._read_rows(select(rec.c.segment_id).where(rec.c.round == round))}
    c, k, s = schema.codings, schema.codes, schema.segments
    consensus: dict[str, list[str]] = {}
    if decided:
        for seg, name in proj._read_rows(
                select(s.c.id, k.c.name).select_from(
                    c.join(k, k.c.id == c.c.code_id).join(s, (s.c.document_id == c.c.document_id)
                                                          & (s.c.start == c.c.start) & (s.c.end == c.c.end)))
                .where(c.c.origin == "consensus")):
            consensus.setdefault(seg, []).append(name)
    groups: dict[str, dict] = {}
    for r in table.to_dict("records"):
        g = groups.setdefault(r["segment_id"], {
            "segment_id": r["segment_id"], "document_id": r["document_id"], "site": r["site"] or "",
            "speaker": r["speaker"] or "", "text": r["text"], "codes": [], "decided": r["segment_id"] in decided,
            "consensus": sorted(consensus.get(r["segment_id"], []))})
        g["codes"].append({"code": r["code"], "applied_by": r["applied_by"], "not_applied_by": r["not_applied_by"],
                           "memos": r["memos"] or ""})
    return list(groups.values())


async def dashboard(request):
    from .views import blind_round

    proj = request.app.state.project
    wanted = request.query_params.get("round") or None

    def gather():
        rounds = proj.rounds.to_dict("records")
        names = [r["round"] for r in rounds]
        open_ = [r["round"] for r in rounds if r["status"] == "open"]
        shown = wanted if wanted in names else (open_[-1] if open_ else (names[-1] if names else None))
        coders, rows = progress_table(proj, shown)
        return {"rounds": rounds, "shown": shown, "coders": coders, "rows": rows,
                "agreement": agreement_rows(proj, shown), "blind": blind_round(proj),
                "registered": proj.coders["coder"].tolist(),
                "documents": proj.documents[["document_id", "title"]].values.tolist()}
    return render(request, "coordinator.html.j2", **await run(gather), **flash(request))


async def open_round(request):
    from ..errors import CoevalError

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    name = str(form.get("name", "")).strip() or "independent"
    try:
        await run(proj.open_round, name, blind=form.get("blind") == "yes", by=who,
                  description=str(form.get("description", "")))
    except CoevalError as exc:
        return back("/coordinator", error=error_text(exc))
    return back("/coordinator", message=f"Round {name} is open.")


async def close_round(request):
    from ..errors import CoevalError

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    try:
        info = await run(proj.close_round, str(form.get("name", "")) or None, by=who)
    except CoevalError as exc:
        return back("/coordinator", error=error_text(exc))
    return back("/coordinator", message=f"Round {info.get('name', '')} is closed; its agreement is kept as it is now.")


async def assign(request):
    from ..errors import CoevalError

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    round_name = str(form.get("round", "")).strip() or "independent"
    back_to = f"/coordinator?round={quote(round_name)}"
    try:
        if form.get("sample"):
            coders = [str(c) for c in form.getlist("coders")]
            if len(coders) < 2:
                raise FormError("a double-coding sample needs two coders or more.")
            fraction = float(str(form.get("fraction", "20")).rstrip("%")) / 100
            drawn = await run(proj.assign_sample, coders, fraction=fraction, seed=int(form.get("seed", "0") or 0),
                              round=round_name, by=who)
            message = (f"Drew {drawn['document_id'].nunique()} document(s) for {', '.join(coders)} to code "
                       f"independently in round {round_name}.")
        else:
            documents = [str(d) for d in form.getlist("documents")]
            coder = str(form.get("coder", ""))
            if not documents:
                raise FormError("choose at least one document to assign.")
            n = await run(proj.assign, coder, documents, round=round_name, by=who)
            message = f"Assigned {n} document(s) to {coder} in round {round_name}."
    except (CoevalError, FormError, ValueError) as exc:
        return back(back_to, error=error_text(exc))
    return back(back_to, message=message)


async def disagreements_page(request):
    from ..coding.presence import resolve_round
    from ..coding.rounds import get_round
    from ..errors import CoevalError

    proj = request.app.state.project
    wanted = request.query_params.get("round") or None

    def gather():
        try:
            name = resolve_round(proj, wanted)[0]
            status = get_round(proj, name)["status"] if name else "none"
        except CoevalError:
            name, status = wanted, "none"
        return {"round": name, "round_status": status, "groups": disagreement_groups(proj, name),
                "codes": [(c.id, proj.codebook.path(c.id)) for c in proj.codebook.ordered()]}
    return render(request, "disagreements.html.j2", **await run(gather), **flash(request))


async def decide(request):
    from ..coding.reconciliation import DECISIONS, reconcile_decisions
    from ..errors import CoevalError

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    segment = str(form.get("segment_id", ""))
    round_name = str(form.get("round", "")) or None
    page = "/coordinator/disagreements" + (f"?round={quote(round_name)}" if round_name else "")
    decisions = {}
    try:
        for i in range(int(form.get("n", "0"))):
            code, verdict = str(form.get(f"code_{i}", "")), str(form.get(f"decision_{i}", ""))
            other = str(form.get(f"other_{i}", "")) or None
            if verdict not in DECISIONS:
                raise FormError(f"choose keep, drop, change or both for “{code}”.")
            if verdict in ("change", "both") and not other:
                raise FormError(f"“{verdict}” on “{code}” needs the other code.")
            other_name = proj.codebook.get(other).name if other and verdict in ("change", "both") else None
            decisions[(segment, code)] = (verdict, other_name, str(form.get(f"notes_{i}", "")), "workspace")
        result = await run(reconcile_decisions, proj, decisions, by=who, round=round_name, segments=[segment],
                           source="workspace")
    except (CoevalError, FormError, ValueError) as exc:
        return back(page, error=error_text(exc))
    return back(page + f"#seg-{quote(segment)}", message=f"Decided: {result.agreed + result.decided} consensus "
                                                          f"coding(s) written for this passage.")


def routes() -> list:
    """The coordinator's routes (only a coordinator may use them)."""
    return [
        route("/coordinator", dashboard, access=COORDINATOR),
        route("/coordinator/rounds/open", open_round, methods=("POST",), access=COORDINATOR),
        route("/coordinator/rounds/close", close_round, methods=("POST",), access=COORDINATOR),
        route("/coordinator/assign", assign, methods=("POST",), access=COORDINATOR),
        route("/coordinator/disagreements", disagreements_page, access=COORDINATOR),
        route("/coordinator/decide", decide, methods=("POST",), access=COORDINATOR),
    ]
