"""Coverage audit and output: every number is a candidate or a skipped entry with its reason.

Writers stream rows to an open file; nothing here holds more than one document.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from ipcompare.extract.candidates import Skip
from ipcompare.extract.extractor import Extraction
from ipcompare.statements import DRAFT_COLUMNS, STATEMENT_COLUMNS

__all__ = ["OUTPUT_COLUMNS", "RowWriter", "audit_lines", "summary"]

# The curated-statement columns, then what the reviewer needs (docs/extractor.md, "Output columns").
OUTPUT_COLUMNS = [*STATEMENT_COLUMNS, *DRAFT_COLUMNS]


class RowWriter:
    """Write candidate rows as CSV (header first) or JSON lines, one row at a time."""

    def __init__(self, fh: TextIO, fmt: str, columns: list[str] | tuple[str, ...] = tuple(OUTPUT_COLUMNS)):
        self.fmt = fmt
        self.fh = fh
        self._csv = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n") if fmt == "csv" else None
        if self._csv is not None:
            self._csv.writeheader()

    def write(self, rows: Iterable[dict]) -> int:
        n = 0
        for row in rows:
            if self._csv is not None:
                self._csv.writerow({k: "" if v is None else v for k, v in row.items()})
            else:
                self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n


def audit_lines(extraction: Extraction, text: str, context: int = 10) -> Iterable[str]:
    """One tab-separated line per skipped number: offsets, the number as written, reason, context."""
    yield "char_start\tchar_end\ttext\treason\tcontext"
    for s in extraction.skipped:
        yield "\t".join((str(s.start), str(s.end), _clean(s.text), s.reason, _context(s, text, context)))


def summary(extraction: Extraction) -> str:
    """``12 candidates; 96 numbers skipped: section number 57, date 21 …``."""
    counts = extraction.skip_counts()
    reasons = ", ".join(f"{r} {n}" for r, n in counts.most_common())
    low = sum(1 for c in extraction.candidates if c.confidence < 0.6)
    period = extraction.period
    where = f"; plan period {period.start}-{period.end} ({period.source})" if period else "; plan period unknown"
    return (f"{len(extraction.candidates)} candidates ({low} below confidence 0.6); "
            f"{len(extraction.skipped)} numbers skipped" + (f": {reasons}" if reasons else "") + where)


def _context(s: Skip, text: str, k: int) -> str:
    return _clean(text[max(0, s.start - k) : s.start]) + "[" + _clean(s.text) + "]" + _clean(text[s.end : s.end + k])


def _clean(t: str) -> str:
    return " ".join(t.split())

