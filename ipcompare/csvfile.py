"""Strict reading of the hand-edited CSV files in ``data/raw``: the whole file or nothing.

Python's ``csv`` module forgives too much for curated data: a file cut off inside a quoted field ends "cleanly",
a short row is padded with None, an extra field lands under the key ``None``, a repeated column silently wins.
Each of those lost statements without a word, so here every one of them is an error naming file, line and
field. The messages are one line each and never echo more than a few dozen characters of the input.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

__all__ = ["CsvFileError", "read_csv_rows", "FIELD_LIMIT"]

# Python's default csv.field_size_limit; no curated field comes near it (the longest note is < 1,000).
FIELD_LIMIT = 131_072


class CsvFileError(ValueError):
    """A CSV file that cannot be read whole; ``line`` and ``field`` say where."""

    def __init__(self, path: Path | str, line: int, field: str, message: str):
        self.path, self.line, self.field, self.message = str(path), line, field, message
        super().__init__(f"{path}:{line}: {field}: {message}")


def read_csv_rows(path: Path, columns: Sequence[str] | None = None, *, optional: Sequence[str] = (),
                  allow_empty: bool = False, data: bytes | None = None) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV file as ``(line, {column: value})``, refusing anything that is not whole.

    ``columns``: the header must hold exactly these names (any order) plus any of ``optional``; unknown,
    missing and repeated columns are refused. Without it only repeated or blank names are. Blank lines are skipped. ``allow_empty`` accepts a
    header without rows.
    """
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise CsvFileError(path, 1, "-", "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.reason == "unexpected end of data":
            raise CsvFileError(path, line, "-", "ends in the middle of a character: the file looks cut off") from None
        # The encoding is the whole file's problem, not one line's: reported at line 1.
        raise CsvFileError(path, 1, "-", f"not UTF-8 ({exc.reason}); save it as UTF-8") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise CsvFileError(path, text.count("\n", 0, nul) + 1, "-", "NUL character (a damaged or binary file?)")
    if not text.endswith(("\n", "\r")):
        raise CsvFileError(path, text.count("\n") + 1, "-",
                           "no newline at the end: the file looks cut off; restore it whole (git checkout?)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    old_limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        for fields in reader:
            line = reader.line_num
            if not fields or fields == [""]:
                continue
            if header is None:
                header = _check_header(path, fields, columns, optional)
                continue
            if len(fields) != len(header):
                raise CsvFileError(path, line, "-", f"{len(fields)} fields but the header has {len(header)} "
                                                    "(a stray comma or quote?)")
            rows.append((line, dict(zip(header, fields, strict=True))))
    except csv.Error as exc:
        msg = str(exc)
        if "field larger than field limit" in msg:
            msg = f"a field longer than {FIELD_LIMIT:,} characters (an unclosed quote?)"
        elif "unexpected end of data" in msg:
            msg = "the file ends inside a quoted field: an unclosed quote, or the file was cut off"
        raise CsvFileError(path, reader.line_num, "-", msg) from None
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        raise CsvFileError(path, 1, "-", "no header line")
    if not rows and not allow_empty:
        raise CsvFileError(path, 2, "-", "a header but no rows (was the file cut off?)")
    return rows


def _check_header(path: Path, fields: list[str], columns: Sequence[str] | None, optional: Sequence[str]) -> list[str]:
    names = [f.strip() for f in fields]
    seen: set[str] = set()
    for i, name in enumerate(names, start=1):
        if not name:
            raise CsvFileError(path, 1, f"column {i}", "blank column name")
        if name in seen:
            raise CsvFileError(path, 1, name, "repeated column (which one holds the data?)")
        seen.add(name)
    if columns is not None:
        missing = [c for c in columns if c not in seen]
        unknown = [n for n in names if n not in set(columns) | set(optional)]
        if missing:
            raise CsvFileError(path, 1, ",".join(missing), "missing column(s)")
        if unknown:
            raise CsvFileError(path, 1, ",".join(unknown), f"unknown column(s); expected {', '.join(columns)}")
    return names
