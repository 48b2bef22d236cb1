"""Compare a draft (the extractor's rows) with a curated statements file: which rows agree, which differ and in
which field, which are only in one of them — so a reviewer sees only what needs a decision.

Pure: rows in, comparison rows out. A draft row and a curated row are the same statement when the draft's
number lies inside the curated quote and both read the same value (both unreadable counts as the same); each
row is paired at most once, closest numbers first.
"""

from __future__ import annotations

import math
from collections import Counter

from ipcompare.extract.matching import one_to_one, row_value, same_value

__all__ = ["FIELDS", "compare_rows", "comparison_summary"]

# The fields a reviewer decides, in the order a curated statements CSV has them.
FIELDS = ("indicator", "kind", "measure", "year", "month", "period_start", "period_end", "comparator", "commitment")
COLUMNS = ("status", "differs", "draft_n", "curated_n", "char_start", "char_end", "value_text", "quote",
           *(f"{w}_{f}" for f in FIELDS for w in ("draft", "curated")))


def _value_span(row: dict) -> tuple[int, int]:
    """Offsets of the value inside the row's quote (the whole quote when the value text is not found)."""
    start, quote, v = int(row["char_start"]), str(row["quote"]), str(row.get("value_text") or "")
    k = quote.find(v) if v else -1
    return (start + k, start + k + len(v)) if k >= 0 else (start, int(row["char_end"]))


def _norm(x) -> str:
    """Field values as text for comparison: None, NaN and '' are the same; 2025.0 is 2025."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def compare_rows(draft: list[dict], curated: list[dict]) -> list[dict]:
    """One row per pair or unpaired row: status agree / differ / draft_only / curated_only, and what differs."""
    dvals = [row_value(r) for r in draft]
    dspans = [_value_span(r) for r in draft]
    pairs = []
    for i, cur in enumerate(curated):
        cv, (cs, ce) = row_value(cur), _value_span(cur)
        lo, hi = int(cur["char_start"]), int(cur["char_end"])
        for j in range(len(draft)):
            a, b = dspans[j]
            if not (lo <= a and b <= hi + 2) or not same_value(cv, dvals[j]):
                continue
            overlap = a < ce and cs < b
            pairs.append((-overlap, abs(a - cs), i, j))
    out = []
    used_c: set[int] = set()
    used_d: set[int] = set()
    for i, j in one_to_one(pairs):
        used_c.add(i)
        used_d.add(j)
        cur, dr = curated[i], draft[j]
        differs = [f for f in FIELDS if _norm(dr.get(f)) != _norm(cur.get(f))]
        out.append(_row("differ" if differs else "agree", differs, dr, cur))
    out += [_row("draft_only", [], draft[j], None) for j in range(len(draft)) if j not in used_d]
    out += [_row("curated_only", [], None, curated[i]) for i in range(len(curated)) if i not in used_c]
    out.sort(key=lambda r: (r["char_start"], r["status"]))
    return out


def _row(status: str, differs: list[str], dr: dict | None, cur: dict | None) -> dict:
    base = cur if cur is not None else dr
    row = {"status": status, "differs": ";".join(differs), "draft_n": _norm(dr.get("n")) if dr else "",
           "curated_n": _norm(cur.get("n")) if cur else "", "char_start": int(base["char_start"]),
           "char_end": int(base["char_end"]), "value_text": base.get("value_text") or "", "quote": base["quote"]}
    for f in FIELDS:
        row[f"draft_{f}"] = _norm(dr.get(f)) if dr else ""
        row[f"curated_{f}"] = _norm(cur.get(f)) if cur else ""
    return row


def comparison_summary(rows: list[dict]) -> str:
    """One line: how many agree, differ (by field), are only in the draft, only in the curated file."""
    status = Counter(r["status"] for r in rows)
    fields = Counter(f for r in rows for f in r["differs"].split(";") if f)
    by_field = ", ".join(f"{f} {n}" for f, n in sorted(fields.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{status['agree']} agree, {status['differ']} differ" + (f" ({by_field})" if by_field else "")
            + f", {status['draft_only']} only in the draft, {status['curated_only']} only in the curated file")
