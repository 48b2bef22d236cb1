"""The build: raw documents + curated statements + registries → the tidy tables.

``read_inputs`` does the reading (and every check that needs the raw files); ``build_tables`` is a pure
function of those inputs. Problems of every document are collected and reported together.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ipcompare.documents import Document, DocumentError, load_documents, read_document
from ipcompare.gc_pause import paused_gc
from ipcompare.normalise import fold_observations, statement_records
from ipcompare.numbers import ParsedValue
from ipcompare.outcomes import read_outcomes
from ipcompare.reference import build_reference
from ipcompare.registry import ADDED_GEOGRAPHIES, REGISTRY_DIR, Registry, load_registry
from ipcompare.schema import DTYPES, column_specs, table_specs
from ipcompare.statements import Problem, StatementsError, check_and_parse, read_statements_csv

__all__ = ["Inputs", "read_inputs", "build_tables", "drafts", "DRAFT_SUFFIX"]

DRAFT_SUFFIX = ".draft.csv"


@dataclass(frozen=True)
class Inputs:
    """Everything the build reads, checked."""

    registry: Registry
    documents: dict[str, Document]
    statements: dict[str, list[dict]]
    reference: list[dict]
    input_hash: str
    outcomes: tuple[dict, ...] = ()
    # Drafts still waiting for review (data/raw/statements/<doc_id>.draft.csv): doc_id → rows. Never built.
    pending: tuple[tuple[str, int], ...] = ()
    # Each statement's value as the check parsed it (doc_id → one per row), so the build parses it once.
    parsed: dict[str, list[ParsedValue | None]] | None = None


def _hash_inputs(raw_dir: Path) -> str:
    h = hashlib.sha256()
    # Drafts under review are not inputs: one appearing must not change the dataset version.
    files = sorted(p for p in [*raw_dir.rglob("*"), *REGISTRY_DIR.glob("*.yaml")]
                   if p.is_file() and not p.name.endswith(DRAFT_SUFFIX))
    for p in files:
        rel = p.relative_to(raw_dir) if p.is_relative_to(raw_dir) else Path("registry") / p.name
        h.update(str(rel).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@paused_gc()
def read_inputs(raw_dir: Path) -> Inputs:
    """Read and check the registries, raw documents (checksums) and statements; raise listing every problem."""
    registry = load_registry(extra_geographies=raw_dir / ADDED_GEOGRAPHIES)
    metas = load_documents(raw_dir)
    pending = _pending_drafts(raw_dir / "statements")
    documents: dict[str, Document] = {}
    statements: dict[str, list[dict]] = {}
    parsed: dict[str, list[ParsedValue | None]] = {}
    problems: list[Problem] = []
    doc_errors: list[str] = []
    for doc_id, meta in metas.items():
        if meta.geo_code not in registry.geographies:
            doc_errors.append(f"{raw_dir / 'documents.yaml'}: {doc_id}: unknown geography code {meta.geo_code!r}")
            continue
        try:
            documents[doc_id] = read_document(raw_dir, meta)
        except DocumentError as exc:
            doc_errors.append(str(exc))
            continue
        path = raw_dir / "statements" / f"{doc_id}.csv"
        if not path.exists() and doc_id in dict(pending):
            del documents[doc_id]  # added, not yet reviewed: only curated rows are built
            continue
        if not path.exists():
            doc_errors.append(f"{path}: missing; every registered document needs its curated statements")
            continue
        try:
            rows = read_statements_csv(path)
        except StatementsError as exc:
            problems += exc.problems
            continue
        found, parsed[doc_id] = check_and_parse(rows, documents[doc_id].text, registry, str(path))
        problems += found
        problems += [Problem(str(path), r["_line"], "curation", "required in a curated file: human (a person decided "
                             "the row) or drafted_accepted (accepted by `ipcompare review --accept-confident`)")
                     for r in rows if not r.get("curation")]
        statements[doc_id] = rows
    for path in sorted((raw_dir / "statements").glob("*.csv")):
        if path.name.endswith(DRAFT_SUFFIX):
            continue  # `ipcompare extract --draft` output under review: listed by drafts(), never built
        if path.stem not in metas:
            doc_errors.append(f"{path}: no document {path.stem!r} in documents.yaml")
    outcomes: list[dict] = []
    try:
        outcomes = read_outcomes(raw_dir, registry)
    except StatementsError as exc:
        problems += exc.problems
    if doc_errors or problems:
        raise StatementsError(
            [Problem(e.split(":")[0], 0, "-", e) for e in doc_errors] + problems
        )
    return Inputs(registry, documents, statements, build_reference(raw_dir / "reference", registry),
                  _hash_inputs(raw_dir), tuple(outcomes), pending, parsed)


def _pending_drafts(statements_dir: Path) -> tuple[tuple[str, int], ...]:
    """Drafts waiting for review and how many rows each still holds."""
    out = []
    for path in sorted(statements_dir.glob("*.draft.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            n = sum(1 for _ in csv.DictReader(fh))
        out.append((path.name.removesuffix(".draft.csv"), n))
    return tuple(out)


def drafts(raw_dir: Path) -> list[Path]:
    """Draft statements (``<doc_id>.draft.csv``) waiting for review; the build leaves them alone."""
    return sorted((raw_dir / "statements").glob(f"*{DRAFT_SUFFIX}"))



def _text(v: object) -> str | None:
    """A string cell as published: missing and empty are None, anything else its str()."""
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return None
    return v if isinstance(v, str) else str(v)


def _frame(table: str, records: list[dict]) -> pd.DataFrame:
    # Built a column at a time from plain lists: DataFrame.from_records plus a per-cell Series.map cost 1 of
    # the 9 CPU-s of the tables at 600 documents.
    specs = column_specs()
    columns = {}
    for c in table_specs()[table]["columns"]:
        dtype = DTYPES[specs[c]["type"]]
        values = [r.get(c) for r in records]
        if dtype == "string":
            values = [v if type(v) is str and v else _text(v) for v in values]  # the common case inline
        columns[c] = pd.array(values, dtype=dtype)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(records)))


@paused_gc()
def build_tables(inputs: Inputs) -> dict[str, pd.DataFrame]:
    """The tidy tables, sorted by their keys and typed as declared in columns.yaml."""
    reg = inputs.registry
    all_statements: list[dict] = []
    for doc_id in sorted(inputs.statements):
        all_statements += statement_records(inputs.documents[doc_id].meta, inputs.statements[doc_id], reg,
                                            None if inputs.parsed is None else inputs.parsed[doc_id])
    observations = fold_observations(all_statements)
    for o in observations:
        g, ind = reg.geographies[o["geo_code"]], reg.indicator(o["indicator"])
        o.update(geo_name_zh=g.name_zh, geo_name_en=g.name_en, indicator_name_zh=ind.name_zh,
                 indicator_name_en=ind.name_en)
    indicators = [
        {**i.model_dump(), "aliases": ";".join(i.aliases)} for i in reg.indicators.values()
    ]
    geographies = [g.model_dump() for g in sorted(reg.geographies.values(), key=lambda g: g.geo_code)]
    documents = []
    for doc_id in sorted(inputs.documents):
        m = inputs.documents[doc_id].meta
        documents.append({**m.model_dump(), "plan_start": m.plan_period[0], "plan_end": m.plan_period[1],
                          "n_statements": len(inputs.statements.get(doc_id, []))})
    statements = sorted(all_statements, key=lambda s: (s["doc_id"], s["n"]))
    return {
        "observations": _frame("observations", observations),
        "statements": _frame("statements", statements),
        "indicators": _frame("indicators", indicators),
        "geographies": _frame("geographies", geographies),
        "documents": _frame("documents", documents),
        "reference": _frame("reference", inputs.reference),
        "outcomes": _frame("outcomes", list(inputs.outcomes)),
    }
