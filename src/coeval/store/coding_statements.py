"""The statements of a single coding (``proj.code``), built once per dialect by ``run_prepared``.

A click in the workspace is one coding: these keep it to one look-up and one insert (plus the
audit row), whatever the database.
"""

from __future__ import annotations

__all__ = ["lookup_statement", "insert_coding_statement", "text_length"]


def text_length():
    """A document's length in code points: as stored with it, or counted where it is not."""
    from sqlalchemy import func

    from . import schema

    return func.coalesce(schema.documents.c.text_length, func.length(schema.documents.c.text))


def lookup_statement(_dialect: str):
    """One row: the document's length (code points, as stored with it), the active code's id
    (by id or by name in any letter case), and the coder's status (None where there is none)."""
    from sqlalchemy import bindparam, func, or_, select

    from . import schema

    t = schema.codes
    return select(
        select(text_length()).where(schema.documents.c.id == bindparam("document"))
        .scalar_subquery(),
        select(t.c.id).where(t.c.status == "active")
        .where(or_(t.c.id == bindparam("code"), func.lower(t.c.name) == bindparam("name"))).limit(1)
        .scalar_subquery(),
        select(schema.coders.c.status).where(schema.coders.c.name == bindparam("coder")).scalar_subquery())


def insert_coding_statement(dialect: str):
    """Insert a coding; a coding with the same id (the same span, code and coder) is left as it is."""
    from sqlalchemy import bindparam

    from . import schema

    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    columns = ("id", "document_id", "start", "end", "code_id", "coder", "created_at", "memo", "origin")
    return insert(schema.codings).values({k: bindparam(k) for k in columns}).on_conflict_do_nothing(
        index_elements=["id"])
