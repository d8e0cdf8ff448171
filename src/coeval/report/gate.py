"""The privacy gate: nothing that identifies a participant leaves in a report."""

from __future__ import annotations

__all__ = ["walk_text", "privacy_findings"]


def walk_text(value, where: str = ""):
    """Every string in the report content, with where it sits (``themes[2].quotes[0].text``)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("frame", "png"):  # analysis frames behind figures; their labels are in the content
                continue
            yield from walk_text(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from walk_text(item, f"{where}[{i}]")


def _describe(where: str, content: dict) -> str:
    """A place in the content, in words: the theme's title or the section's name."""
    parts = where.split(".")
    head = parts[0]
    if head.startswith("themes[") and "themes" in content:
        i = int(head[len("themes["):-1])
        theme = content["themes"][i]
        rest = ".".join(parts[1:])
        if rest.startswith("quotes["):
            q = theme["quotes"][int(rest[len("quotes["):].split("]")[0])]
            return f'theme "{theme["title"]}", quote from segment {q["segment_id"]}'
        return f'theme "{theme["title"]}" ({rest})'
    return where


def privacy_findings(content: dict, proj, roster=None) -> list[dict]:
    """Names from the roster (checked against the project's salted name hashes, or ``roster``
    when given), e-mail addresses and phone numbers anywhere in the report content.

    Returns
    -------
    list of dict
        ``where`` (in words), ``kind`` (name, email, phone), ``found``.
    """
    from ..privacy import Roster, find_identifiers

    salt, hashes = proj._name_hashes()
    if roster is not None and not isinstance(roster, Roster):
        roster = Roster.from_csv(roster)
    out, seen = [], set()
    for where, text in walk_text(content):
        # labels (coders, speakers) are checked in any letter case; running text by capitals
        label = where.startswith(("methods.coders", "reliability.text[0]")) or where.endswith(".by")
        for kind, found in find_identifiers(text, salt=salt, hashes=hashes, roster=roster, any_case=label):
            key = (where, kind, found)
            if key not in seen:
                seen.add(key)
                out.append({"where": _describe(where, content), "kind": kind, "found": found})
    return out
