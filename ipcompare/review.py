"""``ipcompare review DOC_ID``: the draft rows that need a decision, each in its surrounding text; promoting rows
from the draft (``data/raw/statements/<doc_id>.draft.csv``) into the curated CSV.

Two promotions, both recorded in the curated CSV's ``curation`` column (docs/curation.md):
``--accept-confident`` moves the rows the extractor was sure of (nothing in ``review``, every check of
``check_statements`` passed) unchanged, marked ``drafted_accepted``; ``--promote-checked`` moves the rows a person
edited in the draft and marked ``human`` there. Everything else stays in the draft. The selection is pure
(``split_draft``); reading and writing happen in ``review_document``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ipcompare.registry import ADDED_GEOGRAPHIES, Registry, load_registry
from ipcompare.statements import STATEMENT_COLUMNS, StatementsError, check_statements, read_statements_csv

__all__ = ["ReviewError", "Review", "read_draft", "split_draft", "context", "review_document", "register"]

_INT_FIELDS = ("n", "char_start", "char_end", "year", "month", "period_start", "period_end")


class ReviewError(ValueError):
    """A draft cannot be reviewed; the message names the file."""


@dataclass(frozen=True)
class Review:
    """The outcome of one review run."""

    doc_id: str
    pending: list[dict]  # draft rows left, with what each needs
    promoted: list[dict]
    problems: dict[int, list[str]]  # draft n → why a row was not promoted
    curated_path: Path
    draft_path: Path
    columns: list[str]


def read_draft(path: Path) -> tuple[list[dict], list[str]]:
    """A draft's rows (integer fields typed, ``_line`` added) and its columns; an unreadable draft raises."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ReviewError(f"{path}: no draft; `ipcompare add` or `ipcompare extract --draft` writes one") from None
    except UnicodeDecodeError:
        raise ReviewError(f"{path}: not UTF-8; save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = list(reader.fieldnames or [])
    missing = [c for c in STATEMENT_COLUMNS if c not in columns and c != "curation"]
    if missing:
        raise ReviewError(f"{path}: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        out: dict = {"_line": reader.line_num, **{k: (v or "") for k, v in row.items() if k is not None}}
        out.setdefault("curation", "")
        for f in _INT_FIELDS:
            v = out.get(f, "").strip()
            try:
                out[f] = int(float(v)) if v else None
            except ValueError:
                raise ReviewError(f"{path}:{reader.line_num}: {f}: not an integer: {v!r}") from None
        rows.append(out)
    return rows, columns


def split_draft(draft: list[dict], text: str, registry: Registry, file: str, *, confident: bool,
                checked: bool) -> tuple[list[dict], list[dict], dict[int, list[str]]]:
    """(rows to promote, rows left in the draft, draft n → problems that kept a selected row back)."""
    promote, keep, problems = [], [], {}
    for row in draft:
        wanted = (confident and not row.get("review") and not row.get("curation")) or \
                 (checked and row.get("curation") == "human")
        if not wanted:
            keep.append(row)
            continue
        cur = {**row, "curation": row.get("curation") or "drafted_accepted"}
        found = [str(p) for p in check_statements([cur], text, registry, file)]
        if not cur.get("indicator"):
            found.append(f"{file}:{row['_line']}: indicator: required (a new concept needs a registry code first)")
        if found:
            problems[row["n"]] = found
            keep.append(row)
        else:
            promote.append(cur)
    return promote, keep, problems


def context(text: str, row: dict, width: int = 40) -> str:
    """The quote in 【】 with ``width`` characters of text either side, whitespace collapsed."""
    a, b = int(row["char_start"]), int(row["char_end"])

    def flat(s: str) -> str:
        return " ".join(s.split())

    return f"…{flat(text[max(0, a - width):a])}【{flat(text[a:b])}】{flat(text[b:b + width])}…"


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: "" if r.get(c) is None else r.get(c) for c in columns})
    return buf.getvalue().encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def review_document(doc_id: str, raw_dir: Path, *, confident: bool = False, checked: bool = False) -> Review:
    """Read a document's draft; with ``confident`` / ``checked`` promote rows into its curated CSV and rewrite the
    draft with the rest (removed when empty). Curated rows already there are kept as they are."""
    from ipcompare.documents import load_documents, read_document

    metas = load_documents(raw_dir)
    if doc_id not in metas:
        raise ReviewError(f"{doc_id!r} is not in {raw_dir / 'documents.yaml'}; add the plan with `ipcompare add`")
    text = read_document(raw_dir, metas[doc_id]).text
    registry = load_registry(extra_geographies=raw_dir / ADDED_GEOGRAPHIES)
    statements = raw_dir / "statements"
    draft_path, curated_path = statements / f"{doc_id}.draft.csv", statements / f"{doc_id}.csv"
    draft, columns = read_draft(draft_path)
    if not (confident or checked):
        return Review(doc_id, draft, [], {}, curated_path, draft_path, columns)
    promote, keep, problems = split_draft(draft, text, registry, str(draft_path), confident=confident,
                                          checked=checked)
    if promote:
        curated: list[dict] = []
        if curated_path.exists():
            try:
                curated = read_statements_csv(curated_path)
            except StatementsError as exc:
                raise ReviewError(f"{curated_path}: fix it before promoting rows: {exc.problems[0]}") from None
        used = {r["n"] for r in curated}
        nxt = max(used | {r["n"] for r in draft}, default=0) + 1
        for r in promote:  # the draft's numbers stay, unless the curated file already uses one
            if r["n"] in used:
                r["n"], nxt = nxt, nxt + 1
            used.add(r["n"])
        merged = sorted(curated + promote, key=lambda r: (r["char_start"], r["n"]))
        bad = check_statements(merged, text, registry, str(curated_path))
        if bad:
            raise StatementsError(bad)
        _write(curated_path, _csv(merged, STATEMENT_COLUMNS))
        if keep:
            _write(draft_path, _csv(keep, columns))
        else:
            draft_path.unlink()
    return Review(doc_id, keep, promote, problems, curated_path, draft_path, columns)


def register(sub) -> None:
    """Add the ``review`` subcommand to the main CLI."""
    p = sub.add_parser("review", help="show the draft rows of a document that need a decision; promote rows",
                       description="List the rows of data/raw/statements/<doc_id>.draft.csv that need a decision "
                       "(new concept, no indicator, low confidence, ambiguous kind, measure, year or indicator, "
                       "unreadable value), each in its surrounding text. --accept-confident moves the rows the "
                       "extractor was sure of into the curated CSV marked drafted_accepted; --promote-checked moves "
                       "the rows you edited in the draft and marked curation=human.")
    p.add_argument("doc_id")
    p.add_argument("--accept-confident", action="store_true",
                   help="promote rows with an empty review column that pass every check, marked drafted_accepted")
    p.add_argument("--promote-checked", action="store_true",
                   help="promote draft rows whose curation column you set to human")
    p.add_argument("--all", action="store_true", help="also list the confident rows")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ipcompare.paths import raw_dir

    r = review_document(args.doc_id, raw_dir(), confident=args.accept_confident, checked=args.promote_checked)
    from ipcompare.documents import load_documents, read_document

    raw = raw_dir()
    text = read_document(raw, load_documents(raw)[args.doc_id]).text
    shown = [row for row in r.pending if args.all or row.get("review") or row["n"] in r.problems]
    for row in shown:
        what = row.get("indicator") or (f"new concept {row.get('proposed_code')} ({row.get('proposed_name_zh')})"
                                        if row.get("proposed_code") else "no indicator")
        need = row.get("review") or ("problems" if row["n"] in r.problems else "confident")
        print(f"#{row['n']} [{need}] {row['value_text']} → {what}, {row['kind']}, {row['measure']}, {row['year']} "
              f"(confidence {row.get('confidence', '')})")
        print(f"    {context(text, row)}")
        for p in r.problems.get(row["n"], []):
            print(f"    problem: {p.split(': ', 1)[-1]}")
    if r.promoted:
        print(f"promoted {len(r.promoted)} row(s) into {r.curated_path}")
    left = len(r.pending)
    print(f"{left} row(s) left in {r.draft_path}, {len(shown)} listed above" if left
          else f"no draft rows left for {args.doc_id}")
    if r.promoted:
        print("next: ipcompare build && ipcompare validate")
    if left:
        print("edit them there (fix the fields, set curation to human), then `ipcompare review "
              f"{args.doc_id} --promote-checked`; delete rows that are not statements")
    return 0

