"""The team's themes: curated from suggestions, saved in the project, with a history.

``proj.themes`` is a :class:`ThemeSet`. Every change (add, rename, merge, move codes, retire)
is one transaction and one history row saying who, when and why.
"""

from __future__ import annotations

import html
import json

from ..errors import CodebookError, NotFoundError

__all__ = ["ThemeSet"]


class ThemeSet:
    """The curated themes of a project (``proj.themes``)."""

    def __init__(self, proj):
        self._proj = proj

    # -- reading -----------------------------------------------------------------------------------------
    def _rows(self, *, retired: bool = False):
        from sqlalchemy import select

        from ..store import schema

        t, tc, c = schema.themes, schema.theme_codes, schema.codes
        with self._proj._engine.connect() as conn:
            themes = conn.execute(select(t).order_by(t.c.position)).mappings().all()
            links = conn.execute(select(tc.c.theme_id, c.c.name, c.c.position).join(c, c.c.id == tc.c.code_id)
                                 .order_by(c.c.position)).all()
        codes: dict[str, list] = {}
        for theme_id, name, _ in links:
            codes.setdefault(theme_id, []).append(name)
        return [{**dict(r), "codes": codes.get(r["id"], [])} for r in themes if retired or r["status"] == "active"]

    def to_frame(self):
        """One row per active theme: ``theme_id``, ``label``, ``codes`` (list), ``n_codes``,
        ``polarity``, ``description``, ``curated_by``."""
        import pandas as pd

        rows = [{"theme_id": r["id"], "label": r["label"], "codes": r["codes"], "n_codes": len(r["codes"]),
                 "polarity": r["polarity"], "description": r["description"], "curated_by": r["curated_by"]}
                for r in self._rows()]
        return pd.DataFrame(rows, columns=["theme_id", "label", "codes", "n_codes", "polarity", "description",
                                           "curated_by"])

    def __len__(self) -> int:
        return len(self._rows())

    def __iter__(self):
        return iter(self.to_frame().to_dict("records"))

    def __getitem__(self, theme) -> dict:
        return self._get(theme)

    def _get(self, theme) -> dict:
        for r in self._rows():
            if theme in (r["id"], r["label"]) or str(theme).casefold() == r["label"].casefold():
                return r
        known = ", ".join(f"{r['id']} {r['label']!r}" for r in self._rows()[:6]) or "none yet"
        raise NotFoundError(f"no theme {theme!r}.", hint=f"Themes: {known}.")

    @property
    def history(self):
        """Every change: ``at``, ``by``, ``action``, ``theme_id``, ``detail``, ``why``."""
        import pandas as pd
        from sqlalchemy import select

        from ..store import schema

        h = schema.theme_history
        rows = [dict(r) for r in self._proj._read(select(h).order_by(h.c.id))]
        for r in rows:
            r.pop("id")
            r["detail"] = json.dumps(r["detail"], ensure_ascii=False) if r["detail"] else ""
        return pd.DataFrame(rows, columns=["at", "by", "action", "theme_id", "detail", "why"])

    def __repr__(self) -> str:
        return f"ThemeSet({len(self)} themes)"

    def _repr_html_(self) -> str:
        esc = html.escape
        items = "".join(f"<li><b>{esc(r['label'])}</b> <small>({esc(r['id'])}, {esc(r['polarity'] or 'none')})"
                        f"</small>: {esc(', '.join(r['codes']))}</li>" for r in self._rows())
        return f"<div><h4 style='margin:0'>Themes ({len(self)})</h4><ul>{items or '<li>none yet</li>'}</ul></div>"

    # -- changing --------------------------------------------------------------------------------------------
    def _code_ids(self, conn, codes) -> list[str]:
        return [self._proj._code_id(conn, c) for c in ([codes] if isinstance(codes, str) else list(codes or []))]

    def _log(self, conn, action, theme_id, *, by, why, **detail):
        from ..store import schema

        conn.execute(schema.theme_history.insert().values(at=schema.now(), by=by, action=action, theme_id=theme_id,
                                                          detail=detail, why=why))

    def _polarity(self, conn, code_ids) -> str:
        from sqlalchemy import select

        from ..store import schema

        pols = [p for p in conn.execute(select(schema.codes.c.polarity).where(schema.codes.c.id.in_(code_ids)))
                .scalars() if p in ("barrier", "enabler")]
        if not pols:
            return "none"
        b, e = pols.count("barrier"), pols.count("enabler")
        return "barrier" if b >= 2 * e else "enabler" if e >= 2 * b else "mixed"

    def add(self, label: str, codes=(), *, description: str = "", polarity: str | None = None,
            by: str | None = None, why: str | None = None) -> str:
        """Add a theme with its codes; returns its id (``T1``, ``T2``...).

        ``polarity`` defaults to what its codes say (barrier, enabler or mixed).
        """
        from sqlalchemy import func, select

        from ..store import schema

        label = " ".join(str(label).split())
        if not label:
            raise CodebookError("a theme needs a label.")
        if any(r["label"].casefold() == label.casefold() for r in self._rows()):
            raise CodebookError(f"there is already a theme {label!r}.", hint="Rename one, or merge them.")
        with self._proj._write() as conn:
            ids = self._code_ids(conn, codes)
            n = conn.execute(select(func.count()).select_from(schema.themes)).scalar()
            theme_id = f"T{n + 1}"
            conn.execute(schema.themes.insert().values(
                id=theme_id, position=n, label=label, description=description or "",
                polarity=polarity or self._polarity(conn, ids), curated_by=by, status="active"))
            for cid in dict.fromkeys(ids):
                conn.execute(schema.theme_codes.insert().values(theme_id=theme_id, code_id=cid))
            self._log(conn, "add", theme_id, by=by, why=why, label=label, codes=list(dict.fromkeys(ids)))
        return theme_id

    def adopt(self, suggested, *, by: str | None = None, why: str | None = "adopted from the suggestions"):
        """Add suggested themes (a frame from :func:`coeval.themes`, with ``label`` and ``codes``)."""
        made = []
        for _, row in suggested.iterrows():
            label, n = row["label"] or row.get("theme_id", "theme"), 2
            while any(r["label"].casefold() == label.casefold() for r in self._rows()):
                label, n = f"{row['label']} ({n})", n + 1
            made.append(self.add(label, row["codes"], by=by, why=why))
        return made

    def rename(self, theme, label: str, *, by: str | None = None, why: str | None = None) -> None:
        """Give a theme a new label."""
        from ..store import schema

        r = self._get(theme)
        label = " ".join(str(label).split())
        with self._proj._write() as conn:
            conn.execute(schema.themes.update().where(schema.themes.c.id == r["id"]).values(label=label))
            self._log(conn, "rename", r["id"], by=by, why=why, old=r["label"], new=label)

    def move(self, codes, to, *, source=None, by: str | None = None, why: str | None = None) -> None:
        """Move codes into theme ``to`` (out of ``source``, or out of every other theme)."""
        from ..store import schema

        target = self._get(to)
        source_id = None if source is None else self._get(source)["id"]  # read before the write begins
        tc = schema.theme_codes
        with self._proj._write() as conn:
            ids = self._code_ids(conn, codes)
            for cid in ids:
                where = tc.c.code_id == cid
                if source_id is not None:
                    where = where & (tc.c.theme_id == source_id)
                conn.execute(tc.delete().where(where & (tc.c.theme_id != target["id"])))
                if not conn.execute(tc.select().where((tc.c.code_id == cid) & (tc.c.theme_id == target["id"]))
                                    ).first():
                    conn.execute(tc.insert().values(theme_id=target["id"], code_id=cid))
            self._log(conn, "move", target["id"], by=by, why=why, codes=ids, source=source_id)

    def merge(self, sources, into, *, by: str | None = None, why: str | None = None) -> None:
        """Merge themes into one: their codes join ``into`` and they are retired."""
        from ..store import schema

        target = self._get(into)
        # themes are read before the write begins (an in-memory project has one connection)
        merged = [self._get(source) for source in ([sources] if isinstance(sources, str) else list(sources))]
        tc = schema.theme_codes
        with self._proj._write() as conn:
            for s in merged:
                if s["id"] == target["id"]:
                    raise CodebookError(f"cannot merge theme {s['label']!r} into itself.")
                for row in conn.execute(tc.select().where(tc.c.theme_id == s["id"])).mappings().all():
                    if not conn.execute(tc.select().where((tc.c.code_id == row["code_id"])
                                                          & (tc.c.theme_id == target["id"]))).first():
                        conn.execute(tc.insert().values(theme_id=target["id"], code_id=row["code_id"]))
                conn.execute(tc.delete().where(tc.c.theme_id == s["id"]))
                conn.execute(schema.themes.update().where(schema.themes.c.id == s["id"]).values(status="retired"))
                self._log(conn, "merge", s["id"], by=by, why=why, into=target["id"], label=s["label"])

    def retire(self, theme, *, by: str | None = None, why: str | None = None) -> None:
        """Retire a theme (it stays in the history)."""
        from ..store import schema

        r = self._get(theme)
        with self._proj._write() as conn:
            conn.execute(schema.themes.update().where(schema.themes.c.id == r["id"]).values(status="retired"))
            self._log(conn, "retire", r["id"], by=by, why=why, label=r["label"])
