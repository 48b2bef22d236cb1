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

import pandas as pd

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
    r = ds.reference
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


def _comparable(target: pd.Series, rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:  # most targets have no actual of their indicator: no masks to build (pandas costs ~1 ms each)
        return rows
    m = (rows.geo_code == target.geo_code) & (rows.indicator == target.indicator) & (rows.measure == target.measure)
    m &= rows.unit == target.unit
    m &= pd.Series([_same(p, target.per) for p in rows.per], index=rows.index, dtype=bool)
    return rows[m]


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


def _baseline(target: pd.Series, bases: pd.DataFrame, acts: pd.DataFrame, plan_start: int) -> tuple | None:
    """The plan's own baseline (same document, latest year before the target); else the year-end actual of the
    year before the plan starts. Two different values for that year are a conflict: no baseline is used.

    ``bases`` are the document's baselines of the target's indicator, ``acts`` the geography's actuals of it."""
    own = _comparable(target, bases[bases.year < target.year]) if not bases.empty else bases
    if not own.empty:
        latest = own[own.year == own.year.max()]
        if latest.value.nunique() == 1:
            r = latest.iloc[0]
            return float(r.value), int(r.year), decimal_year(int(r.year), 12), f"plan baseline {r.obs_id}"
        return None
    prior = _comparable(target, acts)
    if not prior.empty:
        prior = prior[(prior.year == plan_start - 1) & (prior.month == 12) & ~prior["flags"].str.contains("estimate")]
    if prior.empty:
        return None
    r = prior.sort_values("rank", kind="stable").iloc[0]
    return float(r.value), int(r.year), float(r.t), f"actual {r.source}"


def _rate(target: pd.Series, higher: bool, bases: pd.DataFrame, acts: pd.DataFrame, plan_start: int,
          today: date) -> dict:
    """Rate one target; ``bases`` and ``acts`` hold only its document's baselines and its geography's actuals of
    its indicator (grouped once in :func:`progress`, so that the cost per target stays small)."""
    row = {c: target.get(c) for c in ("obs_id", "geo_code", "doc_id", "indicator", "measure", "per", "unit",
                                      "comparator", "commitment")}
    month = int(target.month) if not pd.isna(target.month) else 12
    row.update(target_value=target.value, target_year=int(target.year), target_month=month,
               target_flags=target["flags"] if isinstance(target["flags"], str) else "")
    tt = decimal_year(int(target.year), month)
    path = "linear" if target.measure in _LINEAR_MEASURES or target.unit in ("percent", "points") else "compound"
    row["path"] = path if target.measure in ("stock", "annual", "share", "score") else "none"

    def done(status: str, reason: str) -> dict:
        return {**row, "status": status, "reason": reason}

    if pd.isna(target.value):
        return done("not assessable", "target value unreadable in the plan")
    if target.measure in ("cumulative", "new_in_period"):
        return done("not assessable", f"not comparable: a {target.measure} target needs a period total, "
                                      "which no source reports")
    if target.measure not in _COMPARABLE_MEASURES:
        return done("not assessable", f"not comparable: a {target.measure} target needs the same quantity in its "
                                      "base and target years, which no source reports")
    base = _baseline(target, bases, acts, plan_start)
    if base is not None:
        row.update(baseline_value=base[0], baseline_year=base[1], baseline_source=base[3])
    tb = base[2] if base else decimal_year(plan_start - 1, 12)
    same = _comparable(target, acts)
    after = same[same.t > tb]
    if after.empty:
        if not same.empty:
            return done("not assessable", "no actual after the baseline")
        other = acts
        if not other.empty:
            return done("not assessable", "not comparable: actuals differ in measure, per or unit "
                                          f"({', '.join(sorted(set(other.measure + '/' + other.unit)))})")
        return done("not assessable", "no actual found")
    flows = target.measure in ("annual", "growth_rate")
    if flows:  # a flow over part of a year is not that year's flow
        after = after[~after["flags"].str.contains("partial_year|mid_year")]
        if after.empty:
            return done("not assessable", "only part-year actuals after the baseline")

    def take(r: pd.Series) -> None:
        row.update(actual_value=float(r.value), actual_as_of=f"{int(r.year)}-{int(r.month):02d}",
                   actual_grade=r.grade, actual_source=r.source, actual_flags=r["flags"])

    deadline_passed = (today.year, today.month) > (int(target.year), month)
    if deadline_passed:
        at = after[(after.year == target.year) & (after.month == month) & ~after["flags"].str.contains("estimate")]
        if not at.empty:
            take(at.sort_values("rank", kind="stable").iloc[0])
            ok = _met(row["actual_value"], target.value, target.comparator, higher)
            return done("achieved" if ok else "missed", f"judged on the {int(target.year)} actual")
        later = after[after.t > tt]
        if not later.empty and target.measure == "stock" and higher:
            first = later.sort_values(["t", "rank"], kind="stable").iloc[0]
            if not _met(float(first.value), target.value, target.comparator, higher):
                take(first)
                return done("missed", f"no {int(target.year)} actual; the stock was still below the target at "
                                      f"{row['actual_as_of']} (it would have had to fall after the target date)")
    # Only actuals up to the target date rate it: a figure of a later year says whether the target was met on
    # time only through the stock rule above.
    before = after[after.t <= tt]
    if target.measure == "growth_rate":
        before = before[before.year == target.year]
    if before.empty:
        first = after.sort_values(["t", "rank"], kind="stable").iloc[0]
        take(first)
        return done("not assessable", f"no actual up to the target date {int(target.year)}-{month:02d}; the "
                                      f"first one is of {row['actual_as_of']}")
    latest = before.iloc[0]
    take(latest)
    if _met(row["actual_value"], target.value, target.comparator, higher) and "estimate" not in latest["flags"]:
        if target.measure == "stock":
            return done("achieved", f"reached by {row['actual_as_of']}")
        # A flow, a share or a score can fall back: a level reached early is on track until the target date.
        return done("on track", f"the {row['actual_as_of']} {target.measure} already meets the target; no "
                                f"figure of {int(target.year)}-{month:02d} found")
    if target.measure == "growth_rate":
        return done("missed" if deadline_passed else "off track", f"{int(target.year)} growth below the target")
    if base is None:
        return done("not assessable", "no baseline: the path to the target cannot be drawn")
    exp = _path_value(path, base[0], base[2], float(target.value), tt, float(latest.t))
    if exp is None:
        return done("not assessable", "baseline or target not positive: no compound path")
    row["expected_at_actual"] = exp
    on = row["actual_value"] >= ON_TRACK_RATIO * exp if higher else row["actual_value"] <= exp / ON_TRACK_RATIO
    why = f"{_num(row['actual_value'])} vs {_num(exp)} expected on the {path} path at {row['actual_as_of']}"
    if deadline_passed:
        why = f"no {int(target.year)} actual found; as of the latest actual: " + why
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
    obs = ds.observations[ds.observations.kind == "target"]
    if code is not None:
        obs = obs[obs.geo_code == code]
    acts = actuals(ds)
    acts = acts[acts.t <= decimal_year(today.year, today.month)]  # rated as of `today`: later figures do not exist yet
    starts = ds.documents.set_index("doc_id")["plan_start"]
    higher = ds.indicators.set_index("code")["higher_is_better"].astype(bool)
    o = ds.observations
    bases = o[(o.kind == "baseline") & o.value.notna()
              & ~o["flags"].fillna("").str.contains("subtotal|relative_to_baseline")]
    # Plain object columns: per-target filtering of Arrow-backed strings costs ~10x more in pandas overhead.
    if code is not None:
        # Only the rows this geography's targets can meet: its own actuals, its own plans' baselines.
        bases, acts = bases[bases.doc_id.isin(set(obs.doc_id))], acts[acts.geo_code.isin(set(obs.geo_code))]
    bases, acts = (df.astype({c: object for c in df.columns if df[c].dtype == "string"}) for df in (bases, acts))
    bases_by = dict(iter(bases.groupby(["doc_id", "indicator"], sort=False)))
    acts_by = dict(iter(acts.groupby(["geo_code", "indicator"], sort=False)))
    rows = [_rate(t, bool(higher[t.indicator]), bases_by.get((t.doc_id, t.indicator), bases.iloc[0:0]),
                  acts_by.get((t.geo_code, t.indicator), acts.iloc[0:0]), int(starts[t.doc_id]), today)
            for _, t in obs.iterrows()]
    out = pd.DataFrame.from_records(rows, columns=COLUMNS)
    out["baseline_year"] = out["baseline_year"].astype("Int64")
    return out.sort_values(["geo_code", "indicator", "target_year", "obs_id"], kind="stable").reset_index(drop=True)
