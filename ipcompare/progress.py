"""Did the plans deliver? ``progress(ds)`` rates every target against its baseline and the latest actual.

The rules (and why) are in docs/decisions.md, "Progress ratings". In short: an actual or a baseline counts only
when its indicator, measure, ``per`` and unit are the target's; the required path runs from the baseline to the
target, compound for counts, money and per-capita stocks, linear for scores and shares; a target whose date has
passed is judged on the actual of its year (year-end, not mid-year), and where that is missing the row says why
and what it was judged on instead.
"""

from __future__ import annotations

import re
from datetime import date
from operator import itemgetter

import pandas as pd

from ipcompare.analysis.lookup import column_records, group_by, na_last_key
from ipcompare.analysis.memo import per_dataset
from ipcompare.dataset import Dataset

__all__ = ["progress", "actuals", "decimal_year", "STATUSES", "ON_TRACK_RATIO", "APPROX_TOLERANCE"]

STATUSES = ("achieved", "on track", "off track", "missed", "not assessable")
# On track = at least 95 % of what the straight (compound or linear) path expects at the actual's date. Plans
# publish a single end value, not a trajectory; a 5 % band keeps rounding and one slow year from flipping the
# verdict, while a city that has covered less than ~95 % of the way it should have is called off track.
ON_TRACK_RATIO = 0.95
# A target written 左右 (~) counts as met within 2 % below it.
APPROX_TOLERANCE = 0.02
# Source grades, best first; reference rows (national actuals) rank after the outcomes' own grades.
_GRADE_RANK = {"official": 0, "official_press": 1, "press": 2, "mirror": 3, "reference": 4}
_LINEAR_MEASURES = ("share", "score")
_COMPARABLE_MEASURES = ("stock", "annual", "share", "score", "growth_rate")
_AS_WRITTEN = re.compile(r"year as written: (\d{4})-(\d{2})\b")

COLUMNS = [
    "obs_id", "geo_code", "doc_id", "indicator", "measure", "per", "unit",
    "target_value", "target_year", "target_month", "comparator", "commitment", "target_flags",
    "baseline_value", "baseline_year", "baseline_source",
    "actual_value", "actual_as_of", "actual_grade", "actual_source", "actual_flags",
    "path", "expected_at_actual", "status", "reason",
]


def decimal_year(year: int, month: int) -> float:
    """A date as a fractional year at the end of its month: end-2021 = 2022.0, end of June 2023 = 2023.5."""
    return year + month / 12


@per_dataset
def actuals(ds: Dataset) -> pd.DataFrame:
    """Outcomes and the usable national actuals of the reference table, in one frame with a date and a grade."""
    o = ds.outcomes
    out = pd.DataFrame({
        "geo_code": o.geo_code, "indicator": o.indicator, "measure": o.measure, "per": o.per, "unit": o.unit,
        "year": o.year.astype(int), "month": o.as_of.str[5:7].astype(int), "value": o.value.astype(float),
        "grade": o.source_grade, "source": o.outcome_id + " " + o.source_url, "flags": o["flags"].fillna(""),
    })
    # Only the columns read, before the masks: each mask takes every column it keeps.
    r = ds.reference[["geo_code", "variable", "kind", "measure", "unit", "year", "value", "usable", "note", "ref_id",
                      "source_url"]]
    r = r[(r.kind == "actual") & r.usable & r.value.notna() & r.variable.isin(ds.indicators.code)]
    per = ds.indicators.set_index("code")["per"]
    month = r.note.fillna("").map(lambda n: int(m.group(2)) if (m := _AS_WRITTEN.search(n)) else 12)
    ref = pd.DataFrame({
        "geo_code": r.geo_code, "indicator": r.variable, "measure": r.measure,
        "per": [None if m in ("growth_rate", "multiple") else per.get(v) for v, m in zip(r.variable, r.measure, strict=True)],
        "unit": r.unit, "year": r.year.astype(int), "month": month.astype(int), "value": r.value.astype(float),
        "grade": "reference", "source": r.ref_id + " " + r.source_url,
        "flags": month.map(lambda m: "" if m == 12 else "mid_year"),
    })
    both = pd.concat([out, ref], ignore_index=True)
    both["per"] = both["per"].astype(object).where(both["per"].notna(), None)
    both["t"] = [decimal_year(y, m) for y, m in zip(both.year, both.month, strict=True)]
    both["rank"] = both.grade.map(_GRADE_RANK) + both["flags"].str.contains("estimate").astype(int) * 10
    return both.sort_values(["t", "rank"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _same(a, b) -> bool:
    """Equal, treating every kind of missing (None, NaN, pd.NA) as one value: no ``per``."""
    na, nb = bool(pd.isna(a)), bool(pd.isna(b))
    return (na and nb) or (not na and not nb and a == b)


def _eq(a, b) -> bool:
    """``a == b`` as a pandas mask compares: a missing value on either side is not equal."""
    return not pd.isna(a) and not pd.isna(b) and a == b


def _comparable(target: dict, rows: list[dict]) -> list[dict]:
    """The rows (records) with the target's geography, indicator, measure, unit and ``per``."""
    return [r for r in rows if _eq(r["geo_code"], target["geo_code"]) and _eq(r["indicator"], target["indicator"])
            and _eq(r["measure"], target["measure"]) and _eq(r["unit"], target["unit"])
            and _same(r["per"], target["per"])]


def _by_rank(rows: list[dict], keys: tuple[str, ...] = ("rank",)) -> dict:
    """The first row of a stable sort on ``keys`` (missing values last, as pandas sorts)."""
    return min(rows, key=na_last_key(keys))  # min keeps the first of equal keys, as a stable sort


def _has(flags, pattern: tuple[str, ...]) -> bool:
    return isinstance(flags, str) and any(p in flags for p in pattern)


def _num(x: float) -> str:
    """4 significant digits, never in exponent form: 647000 → '647,000', 8.23468 → '8.235'."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _met(value: float, target: float, comparator: str, higher: bool) -> bool:
    tol = APPROX_TOLERANCE if comparator == "~" else 0.0
    return value >= target * (1 - tol) if higher else value <= target * (1 + tol)


def _path_value(kind: str, b: float, tb: float, v: float, tt: float, ta: float) -> float | None:
    frac = (ta - tb) / (tt - tb)
    if kind == "linear":
        return b + (v - b) * frac
    if b <= 0 or v <= 0:
        return None
    return b * (v / b) ** frac


def _baseline(target: dict, bases: list[dict], same: list[dict], plan_start: int) -> tuple | None:
    """The plan's own baseline (same document, latest year before the target); else the year-end actual of the
    year before the plan starts. Two different values for that year are a conflict: no baseline is used.

    ``bases`` are the document's baselines of the target's indicator, ``same`` the geography's actuals
    comparable with the target (records, in the tables' order)."""
    own = _comparable(target, [b for b in bases if b["year"] < target["year"]])
    if own:
        top = max(b["year"] for b in own)
        latest = [b for b in own if b["year"] == top]
        if len({b["value"] for b in latest}) == 1:
            r = latest[0]
            return float(r["value"]), int(r["year"]), decimal_year(int(r["year"]), 12), f"plan baseline {r['obs_id']}"
        return None
    prior = [a for a in same
             if a["year"] == plan_start - 1 and a["month"] == 12 and not _has(a["flags"], ("estimate",))]
    if not prior:
        return None
    r = _by_rank(prior)
    return float(r["value"]), int(r["year"]), float(r["t"]), f"actual {r['source']}"


def _rate(target: dict, higher: bool, bases: list[dict], acts: list[dict], plan_start: int, today: date) -> dict:
    """Rate one target (a record); ``bases`` and ``acts`` hold only its document's baselines and its geography's
    actuals of its indicator, as records (grouped once in :func:`progress`, so that the cost per target stays
    small: a pandas mask per question cost a millisecond, and a city has dozens of targets)."""
    row = {c: target.get(c) for c in ("obs_id", "geo_code", "doc_id", "indicator", "measure", "per", "unit",
                                      "comparator", "commitment")}
    month = int(target["month"]) if not pd.isna(target["month"]) else 12
    row.update(target_value=target["value"], target_year=int(target["year"]), target_month=month,
               target_flags=target["flags"] if isinstance(target["flags"], str) else "")
    measure, value, year = target["measure"], target["value"], target["year"]
    tt = decimal_year(int(year), month)
    path = "linear" if measure in _LINEAR_MEASURES or target["unit"] in ("percent", "points") else "compound"
    row["path"] = path if measure in ("stock", "annual", "share", "score") else "none"

    def done(status: str, reason: str) -> dict:
        return {**row, "status": status, "reason": reason}

    if pd.isna(value):
        return done("not assessable", "target value unreadable in the plan")
    if measure in ("cumulative", "new_in_period"):
        return done("not assessable", f"not comparable: a {measure} target needs a period total, "
                                      "which no source reports")
    if measure not in _COMPARABLE_MEASURES:
        return done("not assessable", f"not comparable: a {measure} target needs the same quantity in its "
                                      "base and target years, which no source reports")
    same = _comparable(target, acts)
    base = _baseline(target, bases, same, plan_start)
    if base is not None:
        row.update(baseline_value=base[0], baseline_year=base[1], baseline_source=base[3])
    tb = base[2] if base else decimal_year(plan_start - 1, 12)
    after = [a for a in same if a["t"] > tb]
    if not after:
        if same:
            return done("not assessable", "no actual after the baseline")
        if acts:
            kinds = {a["measure"] + "/" + a["unit"] for a in acts}
            return done("not assessable", "not comparable: actuals differ in measure, per or unit "
                                          f"({', '.join(sorted(kinds))})")
        return done("not assessable", "no actual found")
    flows = measure in ("annual", "growth_rate")
    if flows:  # a flow over part of a year is not that year's flow
        after = [a for a in after if not _has(a["flags"], ("partial_year", "mid_year"))]
        if not after:
            return done("not assessable", "only part-year actuals after the baseline")

    def take(r: dict) -> None:
        row.update(actual_value=float(r["value"]), actual_as_of=f"{int(r['year'])}-{int(r['month']):02d}",
                   actual_grade=r["grade"], actual_source=r["source"], actual_flags=r["flags"])

    deadline_passed = (today.year, today.month) > (int(year), month)
    if deadline_passed:
        at = [a for a in after if a["year"] == year and a["month"] == month and not _has(a["flags"], ("estimate",))]
        if at:
            take(_by_rank(at))
            ok = _met(row["actual_value"], value, target["comparator"], higher)
            return done("achieved" if ok else "missed", f"judged on the {int(year)} actual")
        later = [a for a in after if a["t"] > tt]
        if later and measure == "stock" and higher:
            first = _by_rank(later, ("t", "rank"))
            if not _met(float(first["value"]), value, target["comparator"], higher):
                take(first)
                return done("missed", f"no {int(year)} actual; the stock was still below the target at "
                                      f"{row['actual_as_of']} (it would have had to fall after the target date)")
    # Only actuals up to the target date rate it: a figure of a later year says whether the target was met on
    # time only through the stock rule above.
    before = [a for a in after if a["t"] <= tt]
    if measure == "growth_rate":
        before = [a for a in before if a["year"] == year]
    if not before:
        take(_by_rank(after, ("t", "rank")))
        return done("not assessable", f"no actual up to the target date {int(year)}-{month:02d}; the "
                                      f"first one is of {row['actual_as_of']}")
    latest = before[0]
    take(latest)
    if _met(row["actual_value"], value, target["comparator"], higher) and "estimate" not in latest["flags"]:
        if measure == "stock":
            return done("achieved", f"reached by {row['actual_as_of']}")
        # A flow, a share or a score can fall back: a level reached early is on track until the target date.
        return done("on track", f"the {row['actual_as_of']} {measure} already meets the target; no "
                                f"figure of {int(year)}-{month:02d} found")
    if measure == "growth_rate":
        return done("missed" if deadline_passed else "off track", f"{int(year)} growth below the target")
    if base is None:
        return done("not assessable", "no baseline: the path to the target cannot be drawn")
    exp = _path_value(path, base[0], base[2], float(value), tt, float(latest["t"]))
    if exp is None:
        return done("not assessable", "baseline or target not positive: no compound path")
    row["expected_at_actual"] = exp
    on = row["actual_value"] >= ON_TRACK_RATIO * exp if higher else row["actual_value"] <= exp / ON_TRACK_RATIO
    why = f"{_num(row['actual_value'])} vs {_num(exp)} expected on the {path} path at {row['actual_as_of']}"
    if deadline_passed:
        why = f"no {int(year)} actual found; as of the latest actual: " + why
    if "estimate" in latest["flags"]:
        why += " (the actual is an estimate)"
    return done("on track" if on else "off track", why)


def progress(ds: Dataset, geo: str | None = None, today: date | None = None) -> pd.DataFrame:
    """One row per target (observations of kind target) with baseline, latest actual, path and status.

    ``geo`` is a code, slug or name; ``today`` (default: the current date) decides which target dates have
    passed. ``reason`` says what the status rests on, or why none could be given.
    """
    # A city profile rates its city twice (first-page finding, progress section), by slug and by code: one key.
    return _progress(ds, None if geo is None else str(ds.geo(geo).geo_code), today or date.today())


@per_dataset
def _progress(ds: Dataset, code: str | None, today: date) -> pd.DataFrame:
    o = ds.observations
    if code is not None:
        o = o[o.geo_code == code]
    obs = column_records(o[o.kind == "target"])
    acts = actuals(ds)
    acts = acts[acts.t <= decimal_year(today.year, today.month)]  # rated as of `today`: later figures do not exist yet
    starts = ds.documents.set_index("doc_id")["plan_start"].to_dict()
    higher = ds.indicators.set_index("code")["higher_is_better"].astype(bool).to_dict()
    o = ds.observations
    if code is not None:
        # Only the rows this geography's targets can meet: its own plans' baselines, its own actuals.
        docs = {t["doc_id"] for t in obs}
        o, acts = o[o.doc_id.isin(docs)], acts[acts.geo_code.isin({t["geo_code"] for t in obs})]
    bases = o[(o.kind == "baseline") & o.value.notna()
              & ~o["flags"].fillna("").str.contains("subtotal|relative_to_baseline")]
    # Rows as dicts grouped once: a target's questions are then answered from a few dicts, not pandas masks.
    bases_by = group_by(column_records(bases), itemgetter("doc_id", "indicator"))
    acts_by = group_by(column_records(acts), itemgetter("geo_code", "indicator"))
    rows = [_rate(t, bool(higher[t["indicator"]]), bases_by.get((t["doc_id"], t["indicator"]), []),
                  acts_by.get((t["geo_code"], t["indicator"]), []), int(starts[t["doc_id"]]), today)
            for t in obs]
    out = pd.DataFrame.from_records(rows, columns=COLUMNS)
    out["baseline_year"] = out["baseline_year"].astype("Int64")
    return out.sort_values(["geo_code", "indicator", "target_year", "obs_id"], kind="stable").reset_index(drop=True)
