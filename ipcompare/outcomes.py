"""Outcomes: actual values reported after a plan's baseline, from ``data/raw/outcomes/*.csv``.

Each raw row is one number a statistical bulletin, an IP office or the press reported, with the exact words it
came from. ``read_outcomes_csv`` does the reading; ``check_outcomes`` and ``outcome_records`` are pure. The
value is never typed by hand: it is what the project's own parser (:func:`ipcompare.numbers.parse_value`) reads
from ``value_text``, and ``value_text`` must sit verbatim in ``quote`` — so a figure cannot drift from its source.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from ipcompare.numbers import ValueParseError, parse_value
from ipcompare.registry import Registry
from ipcompare.statements import Problem, StatementsError, expected_unit, resolve_unit

__all__ = ["OUTCOME_COLUMNS", "SOURCE_GRADES", "read_outcomes_csv", "check_outcomes",
           "outcome_records", "read_outcomes"]

OUTCOME_COLUMNS = [
    "geo_code", "indicator", "measure", "year", "as_of", "value_text", "quote", "source_url", "publisher",
    "published", "source_grade", "flags", "note",
]
_REQUIRED = ("geo_code", "indicator", "measure", "year", "as_of", "value_text", "quote", "source_url", "publisher",
             "published", "source_grade")
# Grades, best first. `press` is a news outlet that is neither an official release nor official press (a
# provincial commercial paper); `mirror` is a reprint of any of the others on a third-party site.
SOURCE_GRADES = ("official", "official_press", "press", "mirror")
_AS_OF = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")


def read_outcomes_csv(path: Path) -> list[dict]:
    """Read one outcomes CSV into dicts with ``_line`` and ``_file``; raise on encoding or header problems."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatementsError([Problem(str(path), 1, "-", f"not UTF-8 ({exc.reason}); save it as UTF-8")]) from None
    if not text.strip():
        raise StatementsError([Problem(str(path), 1, "-", "the file is empty")])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in OUTCOME_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise StatementsError([Problem(str(path), 1, ",".join(missing), "missing column(s)")])
    rows = []
    for row in reader:
        out = {c: (row.get(c) or "") if c == "quote" else (row.get(c) or "").strip() for c in OUTCOME_COLUMNS}
        rows.append({"_file": str(path), "_line": reader.line_num, **out})
    return rows


def _flags(row: dict) -> list[str]:
    return [f for f in row["flags"].split(";") if f]


def check_outcomes(rows: list[dict], registry: Registry) -> list[Problem]:
    """Every problem of every row: codes, vocabularies, dates, the value in its quote and its unit."""
    problems: list[Problem] = []
    known_flags = set(registry.allowed("flags"))
    seen: dict[tuple, int] = {}

    def bad(row: dict, field: str, msg: str) -> None:
        problems.append(Problem(row["_file"], row["_line"], field, msg))

    for row in rows:
        for f in _REQUIRED:
            if not row[f]:
                bad(row, f, "required")
        if row["geo_code"] and row["geo_code"] not in registry.geographies:
            bad(row, "geo_code", f"unknown geography {row['geo_code']!r}")
        ind = registry.indicators.get(row["indicator"])
        if row["indicator"] and ind is None:
            bad(row, "indicator", f"unknown indicator {row['indicator']!r}")
        if row["measure"] and row["measure"] not in registry.allowed("measure"):
            bad(row, "measure", f"unknown measure {row['measure']!r}")
        if row["source_grade"] and row["source_grade"] not in SOURCE_GRADES:
            bad(row, "source_grade", f"{row['source_grade']!r} not one of {', '.join(SOURCE_GRADES)}")
        for f in _flags(row):
            if f not in known_flags:
                bad(row, "flags", f"unknown flag {f!r}")
        if row["published"] and not _DATE.match(row["published"]):
            bad(row, "published", f"{row['published']!r} is not YYYY-MM or YYYY-MM-DD")
        if row["source_url"] and not row["source_url"].startswith(("http://", "https://")):
            bad(row, "source_url", f"{row['source_url']!r} is not an http(s) URL")
        year = _check_year(row, bad)
        if row["value_text"] and row["quote"] and row["value_text"] not in row["quote"]:
            bad(row, "value_text", f"{row['value_text']!r} does not occur in the quote")
        _check_value(row, ind, registry, bad)
        key = (row["geo_code"], row["indicator"], row["measure"], row["as_of"])
        if year is not None and key in seen:
            bad(row, "as_of", f"same geography, indicator, measure and date as line {seen[key]}: keep one source")
        seen.setdefault(key, row["_line"])
    return problems


def _check_year(row: dict, bad) -> int | None:
    try:
        year = int(row["year"])
    except ValueError:
        if row["year"]:
            bad(row, "year", f"not an integer: {row['year']!r}")
        return None
    m = _AS_OF.match(row["as_of"])
    if row["as_of"] and not m:
        bad(row, "as_of", f"{row['as_of']!r} is not YYYY-MM or YYYY-MM-DD")
    elif m and int(m.group(1)) != year:
        bad(row, "as_of", f"{row['as_of']!r} is not in year {year}")
    elif m and int(m.group(2)) != 12 and not {"mid_year", "partial_year"} & set(_flags(row)):
        # A figure as of June is not the year's figure: the flag makes that visible wherever it is used.
        bad(row, "flags", f"as_of {row['as_of']!r} is before year-end: flag mid_year or partial_year")
    return year


def _check_value(row: dict, ind, registry: Registry, bad) -> None:
    if not row["value_text"]:
        return
    try:
        parsed = parse_value(row["value_text"])
    except ValueParseError as exc:
        bad(row, "value_text", str(exc))
        return
    if not math.isfinite(parsed.value):
        bad(row, "value_text", "not a finite number")
    if ind is None or not row["measure"]:
        return
    if resolve_unit(ind, row["measure"], parsed.counter, registry) is None:
        bad(row, "value_text", f"unit {parsed.counter!r} does not fit {row['indicator']} "
                               f"({expected_unit(ind.unit, row['measure'])})")


def outcome_records(rows: list[dict], registry: Registry, raw_dir: Path) -> list[dict]:
    """Checked rows → records of the outcomes table (value in base units), sorted by geography, indicator, date."""
    out = []
    for row in rows:
        ind = registry.indicator(row["indicator"])
        parsed = parse_value(row["value_text"])
        rel = Path(row["_file"]).relative_to(raw_dir) if Path(row["_file"]).is_relative_to(raw_dir) else Path(row["_file"])
        g = registry.geographies[row["geo_code"]]
        out.append(dict(
            outcome_id=f"{rel.as_posix()}#{row['_line']}", geo_code=row["geo_code"], geo_name_zh=g.name_zh,
            geo_name_en=g.name_en, indicator=ind.code, indicator_name_zh=ind.name_zh,
            indicator_name_en=ind.name_en, measure=row["measure"], year=int(row["year"]), as_of=row["as_of"],
            value=parsed.value, unit=resolve_unit(ind, row["measure"], parsed.counter, registry),
            per=ind.per if row["measure"] not in ("growth_rate", "multiple") else None,
            comparator=parsed.comparator or "=", value_text=row["value_text"], quote=row["quote"],
            source_url=row["source_url"], publisher=row["publisher"], published=row["published"],
            source_grade=row["source_grade"], flags=row["flags"], note=row["note"],
        ))
    return sorted(out, key=lambda r: (r["geo_code"], r["indicator"], r["measure"], r["as_of"], r["outcome_id"]))


def read_outcomes(raw_dir: Path, registry: Registry) -> list[dict]:
    """Read and check every ``data/raw/outcomes/*.csv``; raise StatementsError listing every problem."""
    rows: list[dict] = []
    for path in sorted((raw_dir / "outcomes").glob("*.csv")):
        if path.name == "denominators_found.csv":
            continue  # population figures found while searching, for the reference tables: not outcomes
        rows += read_outcomes_csv(path)
    problems = check_outcomes(rows, registry)
    if problems:
        raise StatementsError(problems)
    return outcome_records(rows, registry, raw_dir)
