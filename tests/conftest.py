"""Shared fixtures: the sample data, the roster, and the public conformance files."""

from __future__ import annotations

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
