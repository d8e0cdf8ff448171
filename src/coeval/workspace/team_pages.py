"""The coordinator's codebook page (edit codes, with their history) and people page (invite,
change access)."""

from __future__ import annotations

from .forms import COORDINATOR, FormError, back, error_text, flash
from .security import route
from .templating import render, run

__all__ = ["routes"]

FIELDS = ("definition", "include", "exclude", "example")
POLARITIES = ("none", "barrier", "enabler", "mixed")


async def codebook_page(request):
    proj = request.app.state.project

    def gather():
        cb = proj.codebook
        history = cb.history.tail(200).iloc[::-1].to_dict("records") if len(cb.history) else []
        return {"codes": [{"id": c.id, "name": c.name, "path": cb.path(c.id), "depth": cb.depth(c.id),
                           "parent": c.parent or "", "polarity": c.polarity,
                           **{f: getattr(c, f) for f in FIELDS}} for c in cb.ordered()],
                "history": history, "polarities": POLARITIES}
    return render(request, "codebook.html.j2", **await run(gather), **flash(request))


async def add_code(request):
    from ..errors import CoevalError

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    name = " ".join(str(form.get("name", "")).split())

    def change():
        cb = proj.codebook
        cb.add(name, parent=str(form.get("parent", "")) or None, polarity=str(form.get("polarity", "none")),
               **{f: str(form.get(f, "")) for f in FIELDS}, by=who, why=str(form.get("why", "")) or None)
        proj.set_codebook(cb, by=who, why=str(form.get("why", "")) or None)
    try:
        await run(change)
    except CoevalError as exc:
        return back("/coordinator/codebook", error=error_text(exc))
    return back("/coordinator/codebook", message=f"Added the code “{name}”.")


async def edit_code(request):
    from ..errors import CoevalError

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    code_id = str(form.get("code_id", ""))
    why = str(form.get("why", "")) or None

    def change():
        cb = proj.codebook
        code = cb.get(code_id)
        new_name = " ".join(str(form.get("name", code.name)).split())
        if new_name and new_name != code.name:
            cb.rename(code.id, new_name, by=who, why=why)
        edits = {f: str(form.get(f, "")) for f in FIELDS if str(form.get(f, "")) != getattr(code, f)}
        polarity = str(form.get("polarity", code.polarity))
        if polarity != code.polarity:
            edits["polarity"] = polarity
        if edits:
            cb.edit(code.id, by=who, why=why, **edits)
        proj.set_codebook(cb, by=who, why=why)
        return cb.get(code.id).name
    try:
        name = await run(change)
    except CoevalError as exc:
        return back("/coordinator/codebook", error=error_text(exc))
    return back("/coordinator/codebook", message=f"Saved the code “{name}”.")


async def people_page(request):
    from .accounts import ACCESS, people

    proj = request.app.state.project
    rows = await run(people, proj)
    return render(request, "people.html.j2", people=rows, access_levels=ACCESS, link="", reset=False,
                  **flash(request))


async def invite_person(request):
    from ..errors import CoevalError
    from .accounts import ACCESS, invite, people

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    name = " ".join(str(form.get("name", "")).split())
    try:
        if not name:
            raise FormError("give the person's coder name (for example PR-2).")
        token = await run(invite, proj, name, str(form.get("access", "coder")),
                          role=str(form.get("role", "")) or None, by=who)
    except (CoevalError, FormError) as exc:
        return back("/coordinator/people", error=error_text(exc))
    link = f"{request.base_url}invite/{token}"
    # shown once, on this answer only: the store keeps a hash of the token, not the link
    return render(request, "people.html.j2", people=await run(people, proj), access_levels=ACCESS, link=link,
                  invited=name, reset=False, message="", error="")


async def reset_password(request):
    from ..errors import CoevalError
    from .accounts import ACCESS, invite, people

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    name = str(form.get("name", ""))
    current = {p["name"]: p for p in await run(people, proj)}.get(name)
    try:
        if current is None:
            raise FormError(f"no account {name!r}.")
        token = await run(invite, proj, name, current["access"], by=who, reset=True)
    except (CoevalError, FormError) as exc:
        return back("/coordinator/people", error=error_text(exc))
    return render(request, "people.html.j2", people=await run(people, proj), access_levels=ACCESS,
                  link=f"{request.base_url}invite/{token}", invited=name, reset=True, message="", error="")


async def change_access(request):
    from ..errors import CoevalError
    from .accounts import set_access

    form = await request.form()
    proj, who = request.app.state.project, request.state.user["name"]
    name, access = str(form.get("name", "")), str(form.get("access", ""))
    if name == who and access != "coordinator":
        return back("/coordinator/people", error="You cannot take away your own coordinator access; ask another "
                                                  "coordinator.")
    try:
        await run(set_access, proj, name, access, by=who)
    except CoevalError as exc:
        return back("/coordinator/people", error=error_text(exc))
    return back("/coordinator/people", message=f"{name}: {access}.")


def routes() -> list:
    """The codebook and people routes (coordinators only)."""
    return [
        route("/coordinator/codebook", codebook_page, access=COORDINATOR),
        route("/coordinator/codebook/add", add_code, methods=("POST",), access=COORDINATOR),
        route("/coordinator/codebook/edit", edit_code, methods=("POST",), access=COORDINATOR),
        route("/coordinator/people", people_page, access=COORDINATOR),
        route("/coordinator/people/invite", invite_person, methods=("POST",), access=COORDINATOR),
        route("/coordinator/people/access", change_access, methods=("POST",), access=COORDINATOR),
        route("/coordinator/people/reset", reset_password, methods=("POST",), access=COORDINATOR),
    ]
