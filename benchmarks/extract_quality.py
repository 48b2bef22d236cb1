"""How well does the extractor draft the curated statements? Prints figures per document and overall.

    .venv/bin/python benchmarks/extract_quality.py            # all registered documents, plus leave-one-out
    .venv/bin/python benchmarks/extract_quality.py --show zhengzhou_2022_2025   # also list misses and extras

A candidate *matches* a curated statement when its number lies inside the curated quote and its value is
the same (both flagged ocr_unreadable counts as the same); each candidate and each curated row is used at most
once. Precision = matched / candidates, recall = matched / curated rows. On the matched pairs: the share with
the same indicator, kind, measure, year and comparator.

Leave-one-document-out: for each document D the extractor gets a registry without (1) the indicator codes
whose registry section says they were added while curating D — the codes themselves, not only their aliases —
and, in the strict run, (2) every alias found in D's text and in no other registered document's text: what the
registry would not know had D never been read. (Git history cannot say more: the first commit already holds
all six curations.) A statement whose curated code is missing from that registry can only be right as a *new
concept* proposal (no existing code, a ``proposal``): `indicator` counts it as right, `exact` does not.
The curated statements are read at run time, so the figures follow whatever the curators have committed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ipcompare.documents import load_documents, read_document  # noqa: E402
from ipcompare.extract import Extractor  # noqa: E402
from ipcompare.extract.matching import UNREADABLE, one_to_one, row_value, same_value  # noqa: E402
from ipcompare.extract.view import build_view, normalise_phrase  # noqa: E402
from ipcompare.registry import REGISTRY_DIR, load_registry  # noqa: E402
from ipcompare.statements import read_statements_csv  # noqa: E402

FIELDS = ("indicator", "kind", "measure", "year", "comparator")



@dataclass
class Score:
    curated: int = 0
    candidates: int = 0
    matched: int = 0
    same: dict = field(default_factory=lambda: {f: 0 for f in FIELDS})
    known_code_pairs: int = 0  # matched pairs whose curated indicator code is in the registry
    known_code_same: int = 0
    reach_pairs: int = 0  # ... and was not added to the registry while curating this document
    reach_same: int = 0
    new_pairs: int = 0  # matched pairs whose curated code the extractor's registry lacks
    new_proposed: int = 0  # ... proposed as a new concept (no existing code)
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.curated += other.curated
        self.candidates += other.candidates
        self.matched += other.matched
        for f in FIELDS:
            self.same[f] += other.same[f]
        self.known_code_pairs += other.known_code_pairs
        self.known_code_same += other.known_code_same
        self.reach_pairs += other.reach_pairs
        self.reach_same += other.reach_same
        self.new_pairs += other.new_pairs
        self.new_proposed += other.new_proposed

    def figures(self) -> dict:
        def ratio(a, b):
            return a / b if b else float("nan")

        out = {
            "curated": self.curated,
            "candidates": self.candidates,
            "matched": self.matched,
            "precision": ratio(self.matched, self.candidates),
            "recall": ratio(self.matched, self.curated),
        }
        for f in FIELDS:
            out[f] = ratio(self.same[f], self.matched)
        out["exact"] = out["indicator"]
        out["indicator"] = ratio(self.same["indicator"] + self.new_proposed, self.matched)
        out["indicator_known"] = ratio(self.known_code_same, self.known_code_pairs)
        out["indicator_reachable"] = ratio(self.reach_same, self.reach_pairs)
        out["new_pairs"], out["new_proposed"] = self.new_pairs, self.new_proposed
        return out


def _value_spans(row: dict) -> list[tuple[int, int]]:
    q, v, start = row["quote"], row["value_text"], row["char_start"]
    spans = [(start + m.start(), start + m.end()) for m in re.finditer(re.escape(v), q)] if v else []
    return spans or [(row["char_start"], row["char_end"])]


def score_document(rows: list[dict], candidates: list, registry, added: frozenset[str] = frozenset(),
                   known: frozenset[str] | None = None) -> Score:
    """Match candidates to curated rows one-to-one and score the matched fields; ``known`` are the codes the
    extractor's registry had (default: all)."""
    known = frozenset(registry.indicators) if known is None else known
    sc = Score(curated=len(rows), candidates=len(candidates))
    cvals = [UNREADABLE if "ocr_unreadable" in c.flags else (c.value, c.value_high) for c in candidates]
    pairs = []
    for i, row in enumerate(rows):
        rv, spans = row_value(row), _value_spans(row)
        for j, c in enumerate(candidates):
            inside = row["char_start"] <= c.value_start and c.value_end <= row["char_end"] + 2
            overlap = any(a < c.value_end and c.value_start < b for a, b in spans)
            if not (inside or overlap) or not same_value(rv, cvals[j]):
                continue
            pairs.append((-(2 * overlap + (c.indicator == row["indicator"])), abs(c.value_start - spans[0][0]), i, j))
    used_r, used_c = set(), set()
    for i, j in one_to_one(pairs):
        used_r.add(i)
        used_c.add(j)
        row, c = rows[i], candidates[j]
        sc.matched += 1
        got = {"indicator": c.indicator, "kind": c.kind, "measure": c.measure, "year": c.year,
               "comparator": c.comparator}
        diffs = []
        for f in FIELDS:
            if got[f] == row[f]:
                sc.same[f] += 1
            else:
                diffs.append(f"{f}: {got[f]!r} vs curated {row[f]!r}")
        if row["indicator"] not in known:
            sc.new_pairs += 1
            proposed = not c.indicator and bool(getattr(c, "proposal", None))
            sc.new_proposed += proposed
            if proposed:
                diffs = [d for d in diffs if not d.startswith("indicator:")]
                diffs.append(f"new concept {c.proposal['code']!r} for curated {row['indicator']!r}")
        if row["indicator"] in registry.indicators:
            sc.known_code_pairs += 1
            sc.known_code_same += got["indicator"] == row["indicator"]
            if row["indicator"] not in added:
                sc.reach_pairs += 1
                sc.reach_same += got["indicator"] == row["indicator"]
        if diffs:
            sc.wrong.append((row["n"], row["value_text"], row["quote"][:40], diffs))
    sc.misses = [(r["n"], r["value_text"], r["quote"][:50], r["indicator"]) for i, r in enumerate(rows)
                 if i not in used_r]
    sc.extras = [(c.value_text, c.quote[:50], c.indicator, c.confidence) for j, c in enumerate(candidates)
                 if j not in used_c]
    return sc


def curated_by_doc(raw: Path) -> dict[str, list[str]]:
    """Indicator codes the registry says were added while curating each document."""
    out: dict[str, list[str]] = {}
    current = None
    for line in (REGISTRY_DIR / "indicators.yaml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*-+\s*added while curating\s+([a-z0-9_]+)", line)
        if m:
            current = m.group(1)
            continue
        if re.match(r"#\s*-+", line):
            current = None
        m = re.match(r"- code:\s*([a-z0-9_]+)", line)
        if m and current:
            out.setdefault(current, []).append(m.group(1))
    return out


def loo_drops(registry, texts: dict[str, str], strict: bool) -> dict[str, tuple[set[str], list[str]]]:
    """For each document: aliases to drop, and the indicator codes its curation added.

    Always dropped: the aliases of indicators added while curating the document. ``strict`` also drops every
    alias found in the document's text and in no other's.
    """
    views = {d: build_view(t).norm for d, t in texts.items()}
    added = curated_by_doc(ROOT / "data" / "raw")
    seen_in: dict[str, set[str]] = {}
    if strict:
        for ind in registry.indicators.values():
            for alias in ind.aliases:
                key = normalise_phrase(alias)
                seen_in[alias] = {d for d, v in views.items() if key and key in v}
    out = {}
    for d in texts:
        codes = added.get(d, [])
        drop = {a for c in codes if c in registry.indicators for a in registry.indicators[c].aliases}
        drop |= {a for a, docs in seen_in.items() if docs == {d}}
        out[d] = (drop, codes)
    return out


def _fmt(x: float) -> str:
    return "  n/a" if x != x else f"{x:5.2f}"


def print_table(title: str, scores: dict[str, Score], loo: bool = False) -> Score:
    print(f"\n{title}")
    head = f"{'document':28} {'cur':>4} {'cand':>4} {'match':>5} {'prec':>5} {'rec':>5} " + " ".join(
        f"{f[:5]:>5}" for f in FIELDS) + f" {'exact':>5} {'ind*':>5}" + (f" {'ind°':>5} {'new':>7}" if loo else "")
    print(head)
    print("-" * len(head))
    total = Score()
    for doc, sc in scores.items():
        total.add(sc)
        _line(doc, sc.figures(), loo)
    print("-" * len(head))
    _line("overall", total.figures(), loo)
    f = total.figures()
    print(f"  overall indicator right: {total.same['indicator'] + total.new_proposed}/{total.matched} "
          f"({f['indicator']:.3f}); matched {total.matched}/{total.curated} (recall {f['recall']:.3f})")
    print("indic = indicator right (or, for a code the extractor's registry lacks, proposed as a new concept); "
          "exact = same code as curated")
    print("ind* = exact, on matched pairs whose curated code is in the registry today")
    if loo:
        print("ind° = exact, on pairs whose code the registry had without this document; "
              "new = proposed as new / pairs whose code it lacked")
    return total


def _line(name: str, f: dict, loo: bool = False) -> None:
    print(f"{name:28} {f['curated']:4d} {f['candidates']:4d} {f['matched']:5d} {_fmt(f['precision'])} "
          f"{_fmt(f['recall'])} " + " ".join(_fmt(f[x]) for x in FIELDS) + f" {_fmt(f['exact'])}"
          f" {_fmt(f['indicator_known'])}"
          + (f" {_fmt(f['indicator_reachable'])} {f['new_proposed']:3d}/{f['new_pairs']:<3d}" if loo else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="append", default=[], help="list misses, extras and field errors for a doc_id")
    ap.add_argument("--no-loo", action="store_true", help="skip the leave-one-document-out run")
    args = ap.parse_args(argv)
    raw = ROOT / "data" / "raw"
    registry = load_registry()
    docs = load_documents(raw)
    texts = {d: read_document(raw, m).text for d, m in docs.items()}
    curated = {}
    for d in docs:
        path = raw / "statements" / f"{d}.csv"
        if path.exists():
            curated[d] = read_statements_csv(path)
    extractor = Extractor(registry)
    scores = {}
    for d, rows in curated.items():
        scores[d] = score_document(rows, extractor.extract(texts[d], d).candidates, registry)
    print_table("In-sample (registry as committed; its aliases include phrases taken from these documents)", scores)
    for d in args.show:
        _show(d, scores[d])
    if args.no_loo:
        return 0
    runs = (("curation", False, "Leave-one-document-out: without the indicator codes its curation added"),
            ("strict", True, "Leave-one-document-out, strict: also without every alias found only in its text"))
    loo: dict[str, Score] = {}
    for _name, strict, title in runs:
        drops = loo_drops(registry, texts, strict)
        scores_loo = {}
        for d, rows in curated.items():
            drop, codes = drops[d]
            reduced = registry.model_copy(update={"indicators": {
                c: i for c, i in registry.indicators.items() if c not in codes}})
            ex = Extractor(reduced, drop_aliases=drop)
            scores_loo[d] = score_document(rows, ex.extract(texts[d], d).candidates, registry, frozenset(codes),
                                           frozenset(reduced.indicators))
        print_table(title, scores_loo, loo=True)
        print("  aliases dropped: " + ", ".join(f"{d.split('_')[0]} {len(drops[d][0])}" for d in curated)
              + "; indicator codes removed (added while curating it): "
              + ", ".join(f"{d.split('_')[0]} {len(drops[d][1])}" for d in curated))
        if strict:
            loo = scores_loo
    for d in args.show:
        _show(d + " (leave-one-out)", loo[d])
    return 0


def _show(doc: str, sc: Score) -> None:
    print(f"\n== {doc}")
    for m in sc.misses:
        print("  MISS ", m)
    for e in sc.extras:
        print("  EXTRA", e)
    for w in sc.wrong:
        print("  DIFF ", w)


if __name__ == "__main__":
    sys.exit(main())
