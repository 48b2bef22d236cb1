"""Coverage audit and output: every number is a candidate or a skipped entry with its reason.

Writers stream rows to an open file; nothing here holds more than one document.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from ipcompare.extract.candidates import Skip
from ipcompare.extract.extractor import Extraction
from ipcompare.statements import DRAFT_COLUMNS, STATEMENT_COLUMNS

__all__ = ["AUDIT_HEADER", "OUTPUT_COLUMNS", "RowWriter", "Tally", "audit_lines", "summary"]

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


AUDIT_HEADER = "char_start\tchar_end\ttext\treason\tcontext"


def audit_lines(extraction: Extraction, text: str, context: int = 10, base: int = 0,
                header: bool = True) -> Iterable[str]:
    """One tab-separated line per skipped number: offsets, the number as written, reason, context.

    ``text`` starts at offset ``base`` of the document (a part of a streamed document, with some text around it).
    """
    if header:
        yield AUDIT_HEADER
    for s in extraction.skipped:
        yield "\t".join((str(s.start), str(s.end), _clean(s.text), s.reason, _context(s, text, context, base)))


class Tally:
    """Counts for the one-line summary, added up part by part of a streamed document."""

    def __init__(self) -> None:
        self.parts = self.candidates = self.low = self.skipped = 0
        self.reasons: Counter = Counter()
        self.period = None

    def add(self, extraction: Extraction) -> None:
        self.parts += 1
        self.candidates += len(extraction.candidates)
        self.low += sum(1 for c in extraction.candidates if c.confidence < 0.6)
        self.skipped += len(extraction.skipped)
        self.reasons.update(extraction.skip_counts())
        self.period = extraction.period

    def summary(self) -> str:
        """``12 candidates; 96 numbers skipped: section number 57, date 21 …``."""
        reasons = ", ".join(f"{r} {n}" for r, n in self.reasons.most_common())
        period = self.period
        where = f"; plan period {period.start}-{period.end} ({period.source})" if period else "; plan period unknown"
        return (f"{self.candidates} candidates ({self.low} below confidence 0.6); "
                f"{self.skipped} numbers skipped" + (f": {reasons}" if reasons else "") + where)


def summary(extraction: Extraction) -> str:
    """``12 candidates; 96 numbers skipped: section number 57, date 21 …``."""
    tally = Tally()
    tally.add(extraction)
    return tally.summary()


def _context(s: Skip, text: str, k: int, base: int = 0) -> str:
    a, b = s.start - base, s.end - base
    return _clean(text[max(0, a - k) : a]) + "[" + _clean(s.text) + "]" + _clean(text[b : b + k])


def _clean(t: str) -> str:
    return " ".join(t.split())

