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
    """Run the extractor on one file; returns the exit code.

    A big text file is read, extracted and written part by part (memory flat in the file's size); a file given
    with --out, --draft or --save-text is written to a temporary name and renamed when complete.
    """
    from ipcompare.extract import parts as part_sizes
    from ipcompare.extract import readers
    from ipcompare.extract.audit import AUDIT_HEADER, RowWriter, Tally, audit_lines
    from ipcompare.extract.context import PlanPeriod
    from ipcompare.extract.extractor import Extractor
    from ipcompare.paths import raw_dir

    period = _period(args.period) if args.period else None
    if args.draft and args.out:
        raise ExtractUsageError("--draft writes data/raw/statements/<stem>.draft.csv; drop --out or --draft")
    plan = readers.open_plan(args.path, readers.STREAM_FROM)  # module constants read now: tests set them
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
    if args.compare:
        _check_compare(args)
    parts = Extractor().stream(plan.chunks, stem, PlanPeriod(*period, "--period") if period else None,
                               part_sizes.PART_SIZE)
    report = sys.stdout if out is not None else sys.stderr
    tally, rows = Tally(), []
    with _Outputs(out if not args.compare else None, args.save_text) as (fh, text_fh):
        writer = None if args.compare else RowWriter(fh if fh is not None else sys.stdout, fmt)
        for part in parts:
            extraction = part.extraction
            part_rows = extraction.rows(start=tally.candidates + 1)
            tally.add(extraction)
            if writer is not None:
                writer.write(part_rows)
            else:
                rows.extend(part_rows)
            if text_fh is not None:
                text_fh.write(part.text)
            if args.audit and not args.compare:
                lines = audit_lines(extraction, part.before + part.text + part.after,
                                    base=part.offset - len(part.before), header=tally.parts == 1)
                for line in lines:
                    print(line, file=report)
    if args.compare:
        return _compare(args, rows, out, fmt)
    if args.audit and not tally.parts:
        print(AUDIT_HEADER, file=report)
    where = f" to {out}" if out is not None else ""
    print(f"{args.path} ({plan.format}, {plan.encoding}): wrote {tally.candidates} rows{where}; {tally.summary()}",
          file=report)
    if not args.audit and tally.skipped:
        print("  --audit lists every skipped number with its reason", file=report)
    return 0


class _Outputs:
    """The candidates file and the saved text, each written to a temporary name and renamed only when complete."""

    def __init__(self, out: Path | None, save_text: Path | None):
        self.targets = [out, save_text]
        self.temps: list[Path | None] = []
        self.handles: list = []

    def __enter__(self):
        for target in self.targets:
            if target is None:
                self.temps.append(None)
                self.handles.append(None)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.part")
            self.temps.append(tmp)
            self.handles.append(tmp.open("w", encoding="utf-8", newline=""))
        return tuple(self.handles)

    def __exit__(self, exc_type, exc, tb) -> None:
        for fh in self.handles:
            if fh is not None:
                fh.close()
        for tmp, target in zip(self.temps, self.targets, strict=False):
            if tmp is None:
                continue
            if exc_type is None:
                tmp.replace(target)
            else:
                tmp.unlink(missing_ok=True)


def _check_compare(args: argparse.Namespace) -> None:
    if args.draft:
        raise ExtractUsageError("--compare writes a comparison, not a draft; drop --draft")
    if not args.compare.is_file():
        raise ExtractUsageError(f"--compare {args.compare}: no such file (give a curated statements CSV)")


def _compare(args: argparse.Namespace, draft_rows: list[dict], out: Path | None, fmt: str) -> int:
    """Write the draft-vs-curated comparison (extract/compare.py) and a one-line summary."""
    from ipcompare.extract.audit import RowWriter
    from ipcompare.extract.compare import COLUMNS, compare_rows, comparison_summary
    from ipcompare.statements import read_statements_csv

    rows = compare_rows(draft_rows, read_statements_csv(args.compare))
    if out is None:
        RowWriter(sys.stdout, fmt, COLUMNS).write(rows)
        report = sys.stderr
    else:
        with _Outputs(out, None) as (fh, _):
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
