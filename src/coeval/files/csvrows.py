"""Small CSV files people write by hand (rosters, manifests): rows with their line numbers, and a
clean error, naming the line, for what the csv module refuses (a field of megabytes, a stray
quote that swallows the rest of the file)."""

from __future__ import annotations

import csv
import io

from ..errors import FormatError

__all__ = ["csv_rows"]


def csv_rows(text: str, *, path=None, error=FormatError) -> tuple[list[str], list[tuple[int, dict]]]:
    """``(columns, [(line number, row dict), ...])`` from CSV text; the header is line 1.

    Raises
    ------
    error
        For a malformed file, naming the line the csv module stopped at.
    """
    reader = csv.DictReader(io.StringIO(text))
    try:
        columns = list(reader.fieldnames or [])
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise error(f"is not a well-formed CSV file ({exc}).", path=path, line=reader.line_num + 1,
                    hint="Check the quotes on that line; a value containing a comma must be in double quotes, "
                         "and no value can run to hundreds of thousands of characters.") from None
    return columns, rows
