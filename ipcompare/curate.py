"""Check one document's curated statements: ``python -m ipcompare.curate <doc_id> [--extra proposals.yaml]``.

Prints every problem (file:line: field: message) and exits non-zero if there is any.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ipcompare.documents import DocumentError, load_documents, read_document
from ipcompare.paths import raw_dir
from ipcompare.registry import load_registry
from ipcompare.statements import StatementsError, check_statements, read_statements_csv


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ipcompare.curate", description=__doc__)
    ap.add_argument("doc_id")
    ap.add_argument("--extra", type=Path, help="YAML list of proposed indicators to accept as known")
    args = ap.parse_args(argv)
    raw = raw_dir()
    try:
        docs = load_documents(raw)
        if args.doc_id not in docs:
            print(f"unknown doc_id {args.doc_id!r}; known: {', '.join(docs)}", file=sys.stderr)
            return 2
        doc = read_document(raw, docs[args.doc_id])
        path = raw / "statements" / f"{args.doc_id}.csv"
        rows = read_statements_csv(path)
    except (DocumentError, StatementsError) as exc:
        print(exc, file=sys.stderr)
        return 1
    registry = load_registry(extra_indicators=args.extra.resolve() if args.extra else None)
    problems = check_statements(rows, doc.text, registry, str(path))
    for p in problems:
        print(p)
    print(f"{len(rows)} statements, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
