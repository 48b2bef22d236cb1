"""``ipcompare extract PATH``: draft the statements of a plan, with provenance and a coverage audit.

Registered into the main CLI by ``register(sub)``. Errors are ValueError subclasses with one-line messages; the
main CLI prints them as ``error: …`` and exits non-zero.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

__all__ = ["register", "run", "ExtractUsageError"]


class ExtractUsageError(ValueError):
    """Options that cannot work together; the message says what to do."""


def register(sub) -> None:
    """Add the ``extract`` subcommand to the main CLI's subparsers."""
    p = sub.add_parser(
        "extract",
        help="draft the quantified statements of a plan (text, HTML or PDF) for review",
        description="Propose every quantified statement of a plan with its quote, offsets, value, indicator, kind, "
        "measure and year, plus a confidence and the reasons for each uncertain choice. Every number of the "
        "text is either a candidate or skipped with a reason (see --audit).",
    )
    p.add_argument("path", type=Path, help="the plan: .txt (UTF-8 or GB18030/GBK), .html or .pdf with a text layer")
    p.add_argument("--out", type=Path, help="write candidates here (default: standard output)")
    p.add_argument("--format", choices=("csv", "jsonl"), help="csv (default) or jsonl; default from --out's suffix")
    p.add_argument("--audit", action="store_true", help="print the skipped numbers with their reasons")
    p.add_argument("--draft", action="store_true",
                   help="write data/raw/statements/<stem>.draft.csv for review (never a curated CSV)")
    p.add_argument("--force", action="store_true", help="with --draft: replace an existing draft")
    p.add_argument("--period", help="plan span START-END (e.g. 2024-2026) when the text does not state it")
    p.add_argument("--save-text", type=Path, help="also write the text that offsets refer to (for HTML/PDF input)")
    p.add_argument("--compare", type=Path, metavar="CURATED_CSV",
                   help="instead of the candidates, write how they compare with a curated statements CSV: "
                   "agree / differ (and in which fields) / only in the draft / only in the curated file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the extractor on one file; returns the exit code."""
    from ipcompare.extract.audit import RowWriter, audit_lines, summary
    from ipcompare.extract.context import PlanPeriod
    from ipcompare.extract.extractor import Extractor
    from ipcompare.extract.readers import read_plan
    from ipcompare.paths import raw_dir

    period = _period(args.period) if args.period else None
    if args.draft and args.out:
        raise ExtractUsageError("--draft writes data/raw/statements/<stem>.draft.csv; drop --out or --draft")
    plan = read_plan(args.path)
    stem = args.path.stem
    if args.draft and plan.format != "text" and not args.save_text:
        raise ExtractUsageError(
            f"{args.path}: a draft's offsets refer to the stored text; add --save-text data/raw/docs/{stem}.txt "
            "(and register that file), or convert the plan to text first"
        )
    statements = raw_dir() / "statements"
    if args.draft:
        out = statements / f"{stem}.draft.csv"
        if out.exists() and not args.force:
            raise ExtractUsageError(f"{out}: a draft exists (maybe under review); pass --force to replace it")
        fmt = "csv"
    else:
        out = args.out
        fmt = args.format or ("jsonl" if out is not None and out.suffix.lower() in (".jsonl", ".ndjson") else "csv")
    if out is not None:
        _refuse_curated(out, statements)
        _refuse_protected(out, "--out")
    if args.save_text:
        _refuse_curated(args.save_text, statements)
        _refuse_protected(args.save_text, "--save-text")
    extraction = Extractor().extract(plan.text, stem, PlanPeriod(*period, "--period") if period else None)
    if args.save_text:
        args.save_text.write_text(plan.text, encoding="utf-8")
    if args.compare:
        return _compare(args, extraction, out, fmt)
    if out is None:
        n = RowWriter(sys.stdout, fmt).write(extraction.rows())
        report = sys.stderr
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as fh:
            n = RowWriter(fh, fmt).write(extraction.rows())
        report = sys.stdout
    if args.audit:
        for line in audit_lines(extraction, plan.text):
            print(line, file=report)
    where = f" to {out}" if out is not None else ""
    print(f"{args.path} ({plan.format}, {plan.encoding}): wrote {n} rows{where}; {summary(extraction)}", file=report)
    if not args.audit and extraction.skipped:
        print("  --audit lists every skipped number with its reason", file=report)
    return 0


def _compare(args: argparse.Namespace, extraction, out: Path | None, fmt: str) -> int:
    """Write the draft-vs-curated comparison (extract/compare.py) and a one-line summary."""
    from ipcompare.extract.audit import RowWriter
    from ipcompare.extract.compare import COLUMNS, compare_rows, comparison_summary
    from ipcompare.statements import read_statements_csv

    if args.draft:
        raise ExtractUsageError("--compare writes a comparison, not a draft; drop --draft")
    if not args.compare.is_file():
        raise ExtractUsageError(f"--compare {args.compare}: no such file (give a curated statements CSV)")
    rows = compare_rows(extraction.rows(), read_statements_csv(args.compare))
    if out is None:
        RowWriter(sys.stdout, fmt, COLUMNS).write(rows)
        report = sys.stderr
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as fh:
            RowWriter(fh, fmt, COLUMNS).write(rows)
        report = sys.stdout
    print(f"{args.path} vs {args.compare}: {comparison_summary(rows)}", file=report)
    return 0


def _period(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*((?:19|20)\d\d)\s*[-–~]\s*((?:19|20)\d\d)\s*", text)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise ExtractUsageError(f"--period {text!r}: write it as START-END, e.g. 2024-2026")
    return int(m.group(1)), int(m.group(2))


def _refuse_curated(out: Path, statements: Path) -> None:
    """Never write over a curated statements CSV (anything in data/raw/statements that is not a draft)."""
    try:
        inside = out.resolve().parent == statements.resolve()
    except OSError:
        inside = False
    if inside and out.exists() and not out.name.endswith(".draft.csv"):
        raise ExtractUsageError(f"{out}: is a curated statements file; write drafts with --draft instead")


def _refuse_protected(out: Path, option: str) -> None:
    """Never write over raw data (immutable, checksummed) or the build's outputs in data/tidy.

    A new file under data/raw/docs is fine (a plan being added); an existing one, a registered document or
    anything in data/tidy is not.
    """
    from ipcompare.documents import DocumentError, load_documents
    from ipcompare.paths import raw_dir, tidy_dir

    try:
        target = out.resolve()
        raw, tidy = raw_dir().resolve(), tidy_dir().resolve()
    except OSError:
        return
    if target.name.endswith(".draft.csv"):
        return  # drafts are replaced only with --force (checked above)
    if target.is_relative_to(tidy):
        raise ExtractUsageError(f"{out}: {option} would overwrite the built dataset in {tidy}; write elsewhere")
    try:
        registered = {(raw / m.file).resolve() for m in load_documents(raw).values()}
    except (DocumentError, OSError):
        registered = set()
    if target in registered or (target.is_relative_to(raw) and target.exists()):
        raise ExtractUsageError(f"{out}: {option} would overwrite raw data, which is never edited; "
                                "write to a new file")
