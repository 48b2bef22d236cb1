"""Re-add each registered plan through `ipcompare add` + `ipcompare review --accept-confident` in a scratch copy
of data/, and compare what it yields with the curated statements. Prints one row per document and wall/CPU time.

    .venv/bin/python benchmarks/add_plan_quality.py
    .venv/bin/python benchmarks/add_plan_quality.py --show zhengzhou_2022_2025   # list rows accepted with an error

For each document D: a scratch copy of data/ without D (its documents.yaml entry, text and curated CSV) gets
D's stored text added by its geography code (title, issuer, date and period read from the text; the registered
title is passed only when the text has none), then `review --accept-confident`. Every row of the resulting
curated CSV and draft is paired with D's curated statements as `extract --compare` pairs them
(extract/compare.py: the number inside the curated quote, same value). Per curated statement:

- accepted as drafted: promoted unchanged, and indicator, kind, measure, year, month, period, comparator and
  commitment all equal the curation;
- accepted, differs: promoted unchanged but one of those fields differs (an error that reached the dataset
  marked drafted_accepted);
- left, right: left in the draft for a decision, its fields already equal the curation (a look, no edit);
- left, edit: left in the draft and needing an edit;
- missed: no draft row at all.

`extra accepted` counts promoted rows with no curated counterpart (numbers the curators did not take). The
registry is the committed one, which already holds the codes and aliases added while curating these plans, so
the figures are in sample (an optimistic bound; benchmarks/extract_quality.py measures leave-one-out).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ipcompare.add import add_plan  # noqa: E402
from ipcompare.documents import load_documents  # noqa: E402
from ipcompare.extract.compare import compare_rows  # noqa: E402
from ipcompare.planmeta import read_metadata  # noqa: E402
from ipcompare.review import review_document  # noqa: E402
from ipcompare.statements import read_statements_csv  # noqa: E402

COLS = ("accepted as drafted", "accepted, differs", "left, right", "left, edit", "missed")


def measure(doc_id: str, show: bool = False) -> dict:
    """Counts for one document, re-added in a scratch copy."""
    raw0 = ROOT / "data" / "raw"
    meta = load_documents(raw0)[doc_id]
    curated = read_statements_csv(raw0 / "statements" / f"{doc_id}.csv")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        shutil.copytree(ROOT / "data", home / "data")
        raw = home / "data" / "raw"
        src = home / f"{doc_id}.txt"
        shutil.move(raw / meta.file, src)
        (raw / "statements" / f"{doc_id}.csv").unlink()
        docs = yaml.safe_load((raw / "documents.yaml").read_text(encoding="utf-8"))
        (raw / "documents.yaml").write_text(
            yaml.safe_dump([d for d in docs if d["doc_id"] != doc_id], allow_unicode=True, sort_keys=False),
            encoding="utf-8")
        title = None if "title_zh" in read_metadata(src.read_text(encoding="utf-8")) else meta.title_zh
        add_plan(src, meta.geo_code, raw, doc_id=doc_id, title=title, ocr=meta.ocr)
        r = review_document(doc_id, raw, confident=True)
        accepted = read_statements_csv(raw / "statements" / f"{doc_id}.csv") if r.promoted else []
        left = r.pending
    rows = [{**a, "_accepted": True} for a in accepted] + [{**x, "_accepted": False} for x in left]
    rows.sort(key=lambda x: x["char_start"])
    for i, x in enumerate(rows):
        x["n"] = i  # one numbering across accepted and left rows, to trace pairs back
    cmp = compare_rows(rows, curated)
    counts = dict.fromkeys(COLS, 0)
    extra = 0
    for c in cmp:
        if c["status"] == "curated_only":
            counts["missed"] += 1
            continue
        took = rows[int(c["draft_n"])]["_accepted"]
        if c["status"] == "draft_only":
            extra += took
            continue
        ok = c["status"] == "agree"
        key = ("accepted as drafted" if ok else "accepted, differs") if took else ("left, right" if ok else "left, edit")
        counts[key] += 1
        if show and took and not ok:
            print(f"  {doc_id} #{c['curated_n']} {c['value_text']}: differs in {c['differs']} "
                  + ", ".join(f"{f}: {c['draft_' + f]} vs {c['curated_' + f]}" for f in c["differs"].split(";")))
    return {"doc_id": doc_id, "curated": len(curated), **counts, "extra accepted": extra,
            "accepted": len(accepted), "left in draft": len(left)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="append", default=[], help="list the rows accepted with an error (doc id)")
    args = ap.parse_args(argv)
    os.environ.pop("IPCOMPARE_HOME", None)
    t0, c0 = time.perf_counter(), time.process_time()
    results = [measure(d, d in args.show) for d in load_documents(ROOT / "data" / "raw")]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    head = ["document", "curated", *COLS, "extra accepted"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    total = {k: sum(r[k] for r in results) for k in ("curated", *COLS, "extra accepted")}
    for r in [*results, {"doc_id": "**overall**", **total}]:
        n = r["curated"] or 1
        cells = [r["doc_id"], str(r["curated"])] + [f"{r[k]} ({r[k] / n:.0%})" for k in COLS] + [str(r["extra accepted"])]
        print("| " + " | ".join(cells) + " |")
    print(f"\nwall {wall:.1f} s, CPU {cpu:.1f} s for {len(results)} documents (add + review --accept-confident each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
