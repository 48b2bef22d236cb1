"""Validate a built ``data/tidy``: schema checks plus every value against its quote and source text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ipcompare.documents import load_documents, read_document
from ipcompare.export import TABLE_ORDER
from ipcompare.numbers import ValueParseError, parse_value
from ipcompare.registry import ADDED_GEOGRAPHIES, load_registry
from ipcompare.schema import TableValidationError, table_specs, validate_tables
from ipcompare.statements import measured_value
from ipcompare.tidy_io import file_problems, read_datapackage, table_problems

__all__ = ["validate_tidy", "quote_problems", "outcome_problems"]


def quote_problems(obs: pd.DataFrame, texts: dict[str, str]) -> list[str]:
    """Rows whose quote is not at its offsets, whose value_text is not in the quote, or whose value does not
    parse back from value_text (under its measure: 增长1.51倍 coded growth_rate reads 151 %)."""
    out = []
    for r in obs.itertuples(index=False):
        text = texts.get(r.doc_id)
        where = f"{r.doc_id} obs {r.obs_id}"
        if text is None:
            out.append(f"{where}: unknown document")
            continue
        if text[r.char_start:r.char_end] != r.quote:
            out.append(f"{where}: quote is not at {r.char_start}-{r.char_end}")
        if r.value_text not in r.quote:
            out.append(f"{where}: value_text {r.value_text!r} not in quote")
        if pd.isna(r.value):
            if "ocr_unreadable" not in (r.flags or ""):
                out.append(f"{where}: no value but not flagged ocr_unreadable")
            continue
        try:
            parsed = measured_value(r.value_text, r.measure)
        except ValueParseError as exc:
            out.append(f"{where}: {exc}")
            continue
        if abs(parsed.value - r.value) > 1e-9 * max(1.0, abs(r.value)):
            out.append(f"{where}: value {r.value} but {r.value_text!r} parses to {parsed.value}")
    return out


def _expected_files() -> set[str]:
    return {f"{n}.{fmt}" for n in TABLE_ORDER for fmt in ("csv", "parquet")} | {"ipcompare.xlsx"}


def _read_table(tidy: Path, name: str) -> pd.DataFrame:
    path = tidy / f"{name}.parquet"
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise TableValidationError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from None


def validate_tidy(tidy: Path, raw: Path) -> str:
    """Raise TableValidationError with every problem; return a one-line summary when all is well."""
    missing = [n for n in TABLE_ORDER if not (tidy / f"{n}.parquet").exists()]
    if missing:
        raise TableValidationError(f"{tidy}: missing {', '.join(missing)}; run `ipcompare build` first")
    # Files first: a table that is not the one datapackage.json describes is not worth a schema check.
    pkg = read_datapackage(tidy)
    problems = file_problems(tidy, pkg)
    listed = {r.get("path") for r in pkg["resources"] if isinstance(r, dict)}
    problems += [f"{tidy / n}: not listed in datapackage.json" for n in sorted(_expected_files()) if n not in listed]
    tables = {n: _read_table(tidy, n) for n in TABLE_ORDER}
    problems += [p for n in TABLE_ORDER for p in table_problems(n, tables[n], table_specs()[n]["columns"])]
    if problems:
        raise TableValidationError(f"{len(problems)} problem(s); rebuild with `ipcompare build`:\n" + "\n".join(problems))
    registry = load_registry(extra_geographies=raw / ADDED_GEOGRAPHIES)
    try:
        validate_tables(tables, registry)
    except TableValidationError as exc:
        problems.append(str(exc))
    texts = {d: read_document(raw, m).text for d, m in load_documents(raw).items()}
    problems += quote_problems(tables["observations"], texts)
    problems += quote_problems(tables["statements"].rename(columns={"stmt_id": "obs_id"}), texts)
    problems += outcome_problems(tables["outcomes"])
    if problems:
        raise TableValidationError(f"{len(problems)} problem(s):\n" + "\n".join(problems))
    return (f"valid: {len(tables['observations'])} observations, {len(tables['statements'])} statements, "
            f"{len(tables['outcomes'])} outcomes; every file matches datapackage.json and every value its quote")


def outcome_problems(outcomes: pd.DataFrame) -> list[str]:
    """Outcomes whose value_text is not in the quote or whose value does not parse back from value_text (their
    quotes are web pages, not stored documents, so there are no offsets to check)."""
    out = []
    for r in outcomes.itertuples(index=False):
        if r.value_text not in r.quote:
            out.append(f"outcome {r.outcome_id}: value_text {r.value_text!r} not in quote")
            continue
        parsed = parse_value(r.value_text).value
        if abs(parsed - r.value) > 1e-9 * max(1.0, abs(r.value)):
            out.append(f"outcome {r.outcome_id}: value {r.value} but {r.value_text!r} parses to {parsed}")
    return out
