"""The project store's tables (SQLAlchemy Core), and its versioned migrations.

One SQLite file by default; the same tables on PostgreSQL through a database URL. The
``coeval_schema`` table records which migrations a store has had; :func:`migrate` brings an
older store up to date inside a transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)

__all__ = ["metadata", "SCHEMA_VERSION", "migrate", "current_version", "now"]

SCHEMA_VERSION = 6
metadata = MetaData()

schema_table = Table(
    "coeval_schema", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(40), nullable=False),
)
meta_table = Table(
    "project_meta", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text),
)
documents = Table(
    "documents", metadata,
    Column("id", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("site", String(200)),
    Column("date", String(40)),
    Column("session", String(200)),
    Column("source", Text),
    Column("content_hash", String(64), index=True),
    Column("metadata", JSON),
    Column("ingested_at", String(40), nullable=False),
)
# the text's length in code points, kept with it (v6) so a coding's span is checked without the
# database counting a long transcript's characters on every click; NULL falls back to counting
documents.append_column(Column("text_length", Integer))
segments = Table(
    "segments", metadata,
    Column("id", String(220), primary_key=True),
    Column("document_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("speaker", String(200)),
    Column("role", String(100)),
    Column("site", String(200)),
    Column("time_start", Float),
    Column("time_end", Float),
    Column("metadata", JSON),
    Index("ix_segments_document", "document_id", "position"),
)
redactions = Table(
    "redactions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("length", Integer, nullable=False),
    Column("category", String(40), nullable=False),
    Index("ix_redactions_document", "document_id"),
)
unlisted_speakers = Table(
    "unlisted_speakers", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("pseudonym", String(100), nullable=False),
)
name_hashes = Table(  # salted hashes of roster names, for the report's privacy gate
    "name_hashes", metadata,
    Column("hash", String(64), primary_key=True),
)
events = Table(  # append-only log of what was done to the project
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("action", String(60), nullable=False),
    Column("detail", JSON),
)
ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("file", Text, nullable=False),
    Column("error", Text, nullable=False),
)

# -- version 2: codebook, coders, codings, audit log ------------------------------------------------
codes = Table(
    "codes", metadata,
    Column("id", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", String(300), nullable=False),
    Column("parent_id", String(100)),
    Column("definition", Text, nullable=False, default=""),
    Column("include", Text, nullable=False, default=""),
    Column("exclude", Text, nullable=False, default=""),
    Column("example", Text, nullable=False, default=""),
    Column("polarity", String(20), nullable=False, default="none"),
    Column("dimensions", JSON),
    Column("construct", String(200)),
    Column("cues", JSON),
    Column("status", String(20), nullable=False, default="active"),
    Column("color", String(20)),
)
codebook_history = Table(
    "codebook_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version", Integer, nullable=False),
    Column("at", String(40), nullable=False),
    Column("by", String(200)),
    Column("action", String(40), nullable=False),
    Column("code_id", String(100), nullable=False),
    Column("detail", JSON),
    Column("why", Text),
)
coders = Table(
    "coders", metadata,
    Column("name", String(200), primary_key=True),
    Column("role", String(100), nullable=False),
    Column("created_at", String(40), nullable=False),
)
codings = Table(
    "codings", metadata,
    Column("id", String(40), primary_key=True),
    Column("document_id", String(200), ForeignKey("documents.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("code_id", String(100), ForeignKey("codes.id"), nullable=False),
    Column("coder", String(200), ForeignKey("coders.name"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("memo", Text, nullable=False, default=""),
    Column("origin", String(20), nullable=False, default="human"),
    UniqueConstraint("document_id", "start", "end", "code_id", "coder", name="uq_coding"),
    Index("ix_codings_document", "document_id", "start"),
    Index("ix_codings_code", "code_id"),
)
audit_log = Table(  # append-only: every coding action, never updated or deleted
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("action", String(40), nullable=False),
    Column("by", String(200)),
    Column("coding_id", String(40)),
    Column("document_id", String(200)),
    Column("start", Integer),
    Column("end", Integer),
    Column("code_id", String(100)),
    Column("coder", String(200)),
    Column("origin", String(20)),
    Column("detail", JSON),
)

# -- version 3: the team's curated themes, with their history -----------------------------------------------
themes = Table(
    "themes", metadata,
    Column("id", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("label", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("polarity", String(20)),
    Column("curated_by", String(200)),
    Column("status", String(20), nullable=False, default="active"),
)
theme_codes = Table(
    "theme_codes", metadata,
    Column("theme_id", String(40), ForeignKey("themes.id"), primary_key=True),
    Column("code_id", String(100), ForeignKey("codes.id"), primary_key=True),
)
theme_history = Table(
    "theme_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("by", String(200)),
    Column("action", String(40), nullable=False),
    Column("theme_id", String(40), nullable=False),
    Column("detail", JSON),
    Column("why", Text),
)

# -- version 4: rounds of coding, assignments, consensus; when each code joined the codebook ----------------
rounds = Table(
    "rounds", metadata,
    Column("name", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("blind", Integer, nullable=False, default=1),
    Column("status", String(20), nullable=False, default="open"),   # open, closed
    Column("opened_at", String(40), nullable=False),
    Column("opened_by", String(200)),
    Column("closed_at", String(40)),
    Column("closed_by", String(200)),
    Column("description", Text, nullable=False, default=""),
    Column("frozen", JSON),   # on closing: the agreement table, the codebook version, the units
)
assignments = Table(
    "assignments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round", String(100), ForeignKey("rounds.name"), nullable=False),
    Column("coder", String(200), ForeignKey("coders.name"), nullable=False),
    Column("document_id", String(200), ForeignKey("documents.id"), nullable=False),
    Column("segment_id", String(250)),   # None: the whole document
    Column("assigned_at", String(40), nullable=False),
    Column("assigned_by", String(200)),
    Column("done_at", String(40)),
    Column("done_version", Integer),     # the codebook version the coder had when they finished
    UniqueConstraint("round", "coder", "document_id", "segment_id", name="uq_assignment"),
    Index("ix_assignments_round", "round", "coder"),
)
reconciled = Table(  # segments a reconciliation decided: there, consensus codings are the finding
    "reconciled", metadata,
    Column("segment_id", String(250), primary_key=True),
    Column("document_id", String(200), ForeignKey("documents.id"), nullable=False),
    Column("round", String(100), ForeignKey("rounds.name")),
    Column("at", String(40), nullable=False),
    Column("by", String(200)),
    Column("source", Text),
)
privacy_review = Table(  # words that may be names, for a person to decide: by place, never by the word
    "privacy_review", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(200), ForeignKey("documents.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False, default="open"),   # open, name, not a name
    Column("decided_by", String(200)),
    Column("decided_at", String(40)),
    Index("ix_privacy_review_document", "document_id"),
)
# -- version 5: the workspace's accounts, invitations and sessions; memos on documents -----------------------
# Secrets are never stored: passwords as a slow salted hash, invitation and session tokens as SHA-256.
workspace_users = Table(
    "workspace_users", metadata,
    Column("name", String(200), primary_key=True),    # the person's registered coder name
    Column("access", String(20), nullable=False),      # coordinator, coder, viewer
    Column("password_hash", Text),                     # None until they set one from their invitation
    Column("status", String(20), nullable=False, default="active"),   # active, disabled
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200)),
)
workspace_invites = Table(
    "workspace_invites", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("access", String(20), nullable=False),
    Column("role", String(100)),                       # the coder's research role, to register them
    Column("purpose", String(20), nullable=False, default="join"),   # join, or reset (a new password)
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200)),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
)
workspace_sessions = Table(
    "workspace_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("name", String(200), ForeignKey("workspace_users.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
)
document_memos = Table(  # one memo per coder and document, changed in place; every change is audited
    "document_memos", metadata,
    Column("document_id", String(200), ForeignKey("documents.id"), primary_key=True),
    Column("coder", String(200), ForeignKey("coders.name"), primary_key=True),
    Column("text", Text, nullable=False, default=""),
    Column("updated_at", String(40), nullable=False),
)
# codes.added_version / added_at and coders.status are added to the v2 tables by _to_v4
_V4_COLUMNS = (("codes", "added_version", "INTEGER"), ("codes", "added_at", "VARCHAR(40)"),
               ("coders", "status", "VARCHAR(20) DEFAULT 'active'"))
codes.append_column(Column("added_version", Integer))
codes.append_column(Column("added_at", String(40)))
coders.append_column(Column("status", String(20), default="active"))


# A coded document's text must never change: offsets would point at other words. The project
# refuses such edits; on SQLite a trigger also holds the line for any other writer.
_FREEZE_TEXT = """
CREATE TRIGGER IF NOT EXISTS documents_text_frozen BEFORE UPDATE OF text ON documents
WHEN EXISTS (SELECT 1 FROM codings WHERE document_id = OLD.id) AND NEW.text <> OLD.text
BEGIN SELECT RAISE(ABORT, 'coeval: a coded document''s text cannot change'); END
"""


def _to_v2(conn) -> None:
    # the tables themselves come from metadata.create_all; add what create_all cannot
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(_FREEZE_TEXT)


# version -> function(connection) applied to reach it from the version before. Version 1 is
# the initial schema, created with metadata.create_all.
# From v4 a coded document's text may change only where its length does not: a word reviewed as
# a name is masked in place, so every coding's offsets still point at the same words.
_FREEZE_LENGTH = """
CREATE TRIGGER IF NOT EXISTS documents_text_frozen BEFORE UPDATE OF text ON documents
WHEN EXISTS (SELECT 1 FROM codings WHERE document_id = OLD.id) AND length(NEW.text) <> length(OLD.text)
BEGIN SELECT RAISE(ABORT, 'coeval: a coded document''s text cannot change length'); END
"""


def _to_v4(conn) -> None:
    # new tables come from create_all; columns on existing tables need ALTER TABLE (SQLite and
    # PostgreSQL both take this form). A store created at v4 has them already.
    from sqlalchemy import inspect

    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS documents_text_frozen")
        conn.exec_driver_sql(_FREEZE_LENGTH)

    inspector = inspect(conn)
    for table, column, kind in _V4_COLUMNS:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            conn.exec_driver_sql(f'ALTER TABLE {table} ADD COLUMN "{column}" {kind}')


def _to_v6(conn) -> None:
    from sqlalchemy import inspect

    if "text_length" not in {c["name"] for c in inspect(conn).get_columns("documents")}:
        conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN text_length INTEGER")
    conn.exec_driver_sql("UPDATE documents SET text_length = length(text)")


MIGRATIONS: dict = {2: _to_v2, 3: lambda conn: None, 4: _to_v4, 5: lambda conn: None,  # v3, v5: tables only
                    6: _to_v6}


def now() -> str:
    """The current UTC time as ISO 8601 text (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def current_version(conn) -> int:
    """The highest schema version applied to a store (0 if none)."""
    rows = conn.execute(select(schema_table.c.version)).scalars().all()
    return max(rows, default=0)


def migrate(conn) -> int:
    """Create or upgrade the tables; returns the resulting schema version."""
    metadata.create_all(conn)
    version = current_version(conn)
    if version == 0:  # a new store: every table exists already
        conn.execute(schema_table.insert().values(version=1, applied_at=now()))
        version = 1
    for target in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[target](conn)
        conn.execute(schema_table.insert().values(version=target, applied_at=now()))
        version = target
    return version
