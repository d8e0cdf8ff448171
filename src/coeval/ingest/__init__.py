"""Ingest: reading transcripts, notes and survey tables into documents and segments."""

from .reader import SUPPORTED_SUFFIXES, parse_file, read_document

__all__ = ["read_document", "parse_file", "SUPPORTED_SUFFIXES"]
