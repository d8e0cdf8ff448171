"""Shared fixtures: the sample data, the roster, and the public conformance files."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SHARED_TESTDATA = ROOT.parent / "shared" / "testdata"


@pytest.fixture
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture
def roster():
    from coeval.privacy import Roster

    return Roster.from_csv(SAMPLE / "roster.csv")


@pytest.fixture
def shared_testdata() -> Path:
    if not SHARED_TESTDATA.is_dir():
        pytest.skip("../shared/testdata is not present")
    return SHARED_TESTDATA


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write text with a given encoding and line ending (for format tests)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test (dropped after it), from ``COEVAL_TEST_DATABASE_URL``.

    Skipped when the URL is not set, unless ``COEVAL_REQUIRE_POSTGRES`` is (as in CI): then it fails.
    """
    url = os.environ.get("COEVAL_TEST_DATABASE_URL")
    if not url:
        if os.environ.get("COEVAL_REQUIRE_POSTGRES"):
            pytest.fail("COEVAL_REQUIRE_POSTGRES is set but COEVAL_TEST_DATABASE_URL is not")
        pytest.skip("set COEVAL_TEST_DATABASE_URL to test a PostgreSQL store")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"coeval_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A project store URL: a SQLite file, then a PostgreSQL database (see :func:`pg_url`)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'team.coeval'}"
    return request.getfixturevalue("pg_url")
