"""Curated statements: reading ``data/raw/statements/<doc_id>.csv`` and checking every row against its text.

``check_statements`` is pure: it takes the rows, the document text and the registry, and returns every
problem at once, each naming the file, line and field, so a curator fixes them in one pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ipcompare.csvfile import CsvFileError, read_csv_rows
from ipcompare.numbers import (
    ParsedValue,
    ValueParseError,
    comparator_cue,
    is_growth_times,
    parse_value,
    times_as_growth,
)
from ipcompare.registry import Indicator, Registry

__all__ = [
    "STATEMENT_COLUMNS",
    "Problem",
    "StatementsError",
    "read_statements_csv",
    "check_statements",
    "check_and_parse",
    "expected_unit",
    "resolve_unit",
    "parse_statement_value",
    "measured_value",
    "RELATIVE_MEASURES",
]

# Measures relative to something else: they take their unit from the measure and never have a `per`.
RELATIVE_MEASURES = ("growth_rate", "multiple", "change_pp")

STATEMENT_COLUMNS = [
    "n", "quote", "char_start", "char_end", "value_text", "indicator", "kind", "measure", "year", "month",
    "period_start", "period_end", "comparator", "commitment", "flags", "note", "curation",
]
# What `ipcompare extract --draft` adds for the reviewer (extract/audit.py OUTPUT_COLUMNS beyond the contract).
DRAFT_COLUMNS = ("confidence", "reasons", "review", "value", "value_high", "unit", "per", "proposed_code",
                 "proposed_name_zh")
_INT_FIELDS = ("n", "char_start", "char_end", "year", "month", "period_start", "period_end")
_REQUIRED = ("n", "quote", "char_start", "char_end", "value_text", "indicator", "kind", "measure", "year",
             "comparator", "commitment")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class StatementsError(ValueError):
    """Raised with every problem found, one per line of the message."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(str(p) for p in problems))


def read_statements_csv(path: Path) -> list[dict]:
    """Read a statements CSV into dicts with ``_line`` (the CSV line number) and typed integer fields.

    The file is read whole or refused (see :mod:`ipcompare.csvfile`): a cut-off file, a stray or repeated
    column or a header without rows is an error, never a document with fewer statements.
    """
    try:
        # A draft from `ipcompare extract --draft` carries the extractor's confidence and reasons for the reviewer.
        optional = DRAFT_COLUMNS if path.name.endswith(".draft.csv") else ()
        raw_rows = read_csv_rows(path, STATEMENT_COLUMNS, optional=optional)
    except CsvFileError as exc:
        raise StatementsError([Problem(exc.path, exc.line, exc.field, exc.message)]) from None
    rows, problems = [], []
    for line, row in raw_rows:
        out: dict = {"_line": line}
        for col in STATEMENT_COLUMNS:
            raw = row[col].strip() if col != "quote" else row[col]
            if col in _INT_FIELDS:
                if raw == "":
                    out[col] = None
                else:
                    try:
                        out[col] = int(raw)
                    except ValueError:
                        problems.append(Problem(str(path), line, col, f"not an integer: {raw[:30]!r}"))
                        out[col] = None
            else:
                out[col] = raw
        rows.append(out)
    if problems:
        raise StatementsError(problems)
    return rows


def expected_unit(indicator_unit: str, measure: str) -> str:
    """The base unit a value must have: growth rates are percent, multiples are times, percentage-point changes
    percentage_point, else the indicator's."""
    return {"growth_rate": "percent", "multiple": "times", "change_pp": "percentage_point"}.get(measure, indicator_unit)


def resolve_unit(ind: Indicator, measure: str, counter: str, registry: Registry) -> str | None:
    """The base unit of a value written with ``counter``, or None when it fits neither the indicator's unit
    nor one of its ``alt_units`` (a satisfaction written as 87% instead of 87分 keeps unit percent, so that
    comparisons can see the difference)."""
    want = expected_unit(ind.unit, measure)
    if not counter:
        return want
    units = registry.counter_units(counter)
    if want in units:
        return want
    if measure not in RELATIVE_MEASURES:
        alt = [u for u in ind.alt_units if u in units]
        if alt:
            return alt[0]
    return None


def parse_statement_value(row: dict) -> ParsedValue | None:
    """Parsed value of a statement row, or None when flagged ``ocr_unreadable``."""
    if "ocr_unreadable" in _flags(row):
        return None
    return measured_value(row["value_text"], row["measure"])


def measured_value(value_text: str, measure: str) -> ParsedValue:
    """``parse_value`` of a statement's value_text under its measure: an X倍 coded growth_rate (增长了1.51倍) is
    a growth of X×100 % (``numbers.times_as_growth``); everything else reads as written."""
    parsed = parse_value(value_text)
    if measure == "growth_rate" and parsed.counter == "倍":
        return times_as_growth(value_text)
    return parsed


def _flags(row: dict) -> list[str]:
    return [f for f in (row.get("flags") or "").split(";") if f]


def check_statements(rows: list[dict], text: str, registry: Registry, file: str) -> list[Problem]:
    """Every problem in a document's statements: offsets, quotes, codes, vocabularies, values and units."""
    return check_and_parse(rows, text, registry, file)[0]


def check_and_parse(rows: list[dict], text: str, registry: Registry,
                    file: str) -> tuple[list[Problem], list[ParsedValue | None]]:
    """``check_statements`` and each row's parsed value (None when unreadable or not parsed), so that the build
    reads every value once: parsing was half the CPU of checking and normalising, and was done in both."""
    problems: list[Problem] = []
    parsed: list[ParsedValue | None] = []

    def bad(row: dict, field: str, msg: str) -> None:
        problems.append(Problem(file, row["_line"], field, msg))

    seen_n: set[int] = set()
    seen_rows: dict[tuple, int] = {}
    vocab = {f: set(registry.allowed(f)) for f in ("kind", "measure", "comparator", "commitment", "flags", "curation")}
    for row in rows:
        for col in _REQUIRED:
            if row.get(col) in (None, ""):
                bad(row, col, "required")
        if row["n"] is not None:
            if row["n"] in seen_n:
                bad(row, "n", f"duplicate statement number {row['n']}")
            seen_n.add(row["n"])
        # A restatement is another mention (its own quote and offsets); the same mention twice is a copy.
        # (Rows without an indicator are already refused; a draft lists each 一家 of a list that way.)
        same = tuple((k, v) for k, v in row.items() if k not in ("n", "_line", "note"))
        if row["indicator"] and same in seen_rows:
            bad(row, "n", f"repeats the statement on line {seen_rows[same]} under a new number; delete the copy")
        seen_rows.setdefault(same, row["_line"])
        quote, start, end = row["quote"], row["char_start"], row["char_end"]
        if quote and start is not None and end is not None:
            if text[start:end] != quote:
                where = text.find(quote)
                hint = f"; the quote is found at {where}-{where + len(quote)}" if where >= 0 else "; the quote is not in the document"
                bad(row, "char_start", f"text[{start}:{end}] is {text[start:end][:30]!r}, not the quote{hint}")
        if row["value_text"] and row["value_text"] not in quote:
            bad(row, "value_text", f"{row['value_text']!r} is not in the quote")
        for field in ("kind", "measure", "comparator", "commitment", "curation"):
            if row.get(field) and row[field] not in vocab[field]:
                bad(row, field, f"{row[field]!r} not one of {sorted(vocab[field])}")
        for flag in _flags(row):
            if flag not in vocab["flags"]:
                bad(row, "flags", f"unknown flag {flag!r}; known: {sorted(vocab['flags'])}")
        if any(f.startswith("ambiguous") for f in _flags(row)) and not row["note"]:
            bad(row, "note", "an ambiguous_* flag needs a note saying how it was decided")
        for field, lo, hi in (("year", 1990, 2050), ("month", 1, 12), ("period_start", 1990, 2050), ("period_end", 1990, 2050)):
            v = row[field]
            if v is not None and not lo <= v <= hi:
                bad(row, field, f"{v} outside {lo}-{hi}")
        if row["period_start"] and row["period_end"] and row["period_start"] > row["period_end"]:
            bad(row, "period_start", "after period_end")
        if row["measure"] in ("cumulative", "new_in_period") and row["period_start"] is None:
            bad(row, "period_start", f"required for measure {row['measure']}")
        ind = registry.indicators.get(row["indicator"])
        if row["indicator"] and ind is None:
            bad(row, "indicator", f"unknown indicator code {row['indicator']!r}")
        parsed.append(_check_value(row, ind, registry, bad))
    return problems, parsed


def _check_value(row: dict, ind, registry: Registry, bad) -> ParsedValue | None:
    if not row["value_text"]:
        return None
    if "ocr_unreadable" in _flags(row):
        try:
            parse_value(row["value_text"])
        except ValueParseError:
            return None
        bad(row, "flags", f"ocr_unreadable but {row['value_text']!r} parses; is it really unreadable?")
        return None
    try:
        parsed = measured_value(row["value_text"], row["measure"])
    except ValueParseError as exc:
        bad(row, "value_text", f"{exc}; if OCR garbled it, flag ocr_unreadable")
        return None
    _check_parsed(row, parsed, ind, registry, bad)
    return parsed


def _check_parsed(row: dict, parsed: ParsedValue, ind, registry: Registry, bad) -> None:
    if "倍" in row["value_text"] and row["value_text"] in row["quote"]:
        growth = is_growth_times(row["quote"][: row["quote"].find(row["value_text"])])
        if growth and row["measure"] != "growth_rate":
            bad(row, "measure", f"增长{row['value_text']} is a growth of X×100 % (增长了1.51倍 = 2.51 times the base): "
                                f"code it growth_rate, not {row['measure']!r}")
        elif not growth and row["measure"] == "growth_rate":
            bad(row, "measure", f"{row['value_text']!r} has no 增长/提高 before it: a multiple, not a growth rate")
    if not math.isfinite(parsed.value):
        bad(row, "value_text", "not a finite number")
    cue = comparator_cue(row["value_text"])
    if parsed.comparator == "range" and row["comparator"] != "range":
        bad(row, "comparator", f"{row['value_text']!r} is a range; comparator must be 'range'")
    elif cue and parsed.comparator != "range" and row["comparator"] and cue != row["comparator"]:
        bad(row, "comparator", f"{row['value_text']!r} says {cue!r}, the row says {row['comparator']!r}")
    if ind is None or not row["measure"]:
        return
    want = resolve_unit(ind, row["measure"], parsed.counter, registry)
    if want is None:
        units = registry.counter_units(parsed.counter)
        bad(row, "value_text", f"unit {parsed.counter!r} ({'/'.join(sorted(units)) or 'unknown counter'}) does not "
                               f"fit {row['indicator']} ({expected_unit(ind.unit, row['measure'])})")
        return
    if want in ("percent", "points") and not (0 <= parsed.value <= 100 or row["measure"] == "growth_rate"):
        bad(row, "value_text", f"{parsed.value} outside 0-100 for a {want} value")
    if want == "percentage_point" and not -100 <= parsed.value <= 100:
        bad(row, "value_text", f"{parsed.value} outside -100..100 for a change in percentage points")
