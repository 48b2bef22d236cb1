"""Growth between a baseline and a target: compound rates, projections, and year alignment (always labelled).

A target is paired only with a baseline its plan could have known: stated by the same plan, or an actual from
a year at or before the plan's start. An actual observed after the plan was written is an outcome, not a
baseline (China's 13.3 invention patents per 10k in 2019 is not the base of a 2020 target set in 2016).
"""

from __future__ import annotations

from operator import itemgetter

import pandas as pd

from ipcompare.analysis.comparability import RATE_MEASURES, RULES, Rules, join_caveats, verdict
from ipcompare.analysis.lookup import geo_records, group_by
from ipcompare.analysis.memo import per_dataset
from ipcompare.analysis.pool import resolved
from ipcompare.dataset import Dataset

__all__ = ["required_growth", "project", "baseline_pairs", "align_year", "LINEAR_MEASURES"]

# Scores, shares and percentage-point changes move linearly (a score cannot compound past 100); counts and
# per-capita stocks grow geometrically.
LINEAR_MEASURES = {"score", "share", "change_pp", "growth_rate", "multiple"}


def required_growth(baseline: float, baseline_year: int, target: float, target_year: int) -> float:
    """Compound annual growth rate (as a fraction) needed to go from baseline to target.

    >>> round(required_growth(100, 2020, 121, 2022), 6)
    0.1
    """
    if target_year <= baseline_year:
        raise ValueError(f"target year {target_year} is not after baseline year {baseline_year}")
    if baseline <= 0 or target <= 0:
        raise ValueError("growth rates need positive baseline and target values")
    return (target / baseline) ** (1 / (target_year - baseline_year)) - 1


def project(value: float, year: int, rate: float, to_year: int) -> float:
    """The inverse of :func:`required_growth`: ``value`` grown at ``rate`` a year from ``year`` to ``to_year``.

    >>> project(100, 2020, 0.1, 2022)
    121.00000000000001
    """
    return value * (1 + rate) ** (to_year - year)


@per_dataset
def _plan_starts(ds: Dataset) -> dict[str, int]:
    """First plan year by document, read once per dataset (it was re-indexed for every target row)."""
    d = ds.documents
    return {str(i): int(s) for i, s in zip(d.doc_id, d.plan_start, strict=True) if pd.notna(s)}


def _plan_start(starts: dict[str, int], row: dict) -> int:
    """First year of the plan a target (a record) comes from; national five-year-plan rows from the reference
    table (十二五/十三五/十四五) start four years before their target year."""
    if isinstance(row["doc_id"], str) and row["doc_id"]:
        start = starts.get(row["doc_id"])
        if start is not None:
            return start
    if pd.notna(row["period_start"]):
        return int(row["period_start"])
    return int(row["year"]) - 4


@per_dataset
def baseline_pairs(ds: Dataset, geo_code: str | None = None, rules: Rules = RULES) -> pd.DataFrame:
    """Each target with the baseline it grows from (same indicator, measure, per, unit, geography), and the
    growth it requires: compound for counts and per-capita stocks, a change per year for scores and shares.

    >>> p = baseline_pairs(load(), "331082").set_index("indicator")
    >>> (float(p.loc["invention_patents_in_force", "baseline"]), int(p.loc["invention_patents_in_force", "baseline_year"]))
    (2835.0, 2020)
    """
    # Records looked up by geography and grouped by indicator once, instead of a pandas mask and named tuples
    # per target (most of a city profile's analysis cost went to pandas overhead here).
    codes = [geo_code] if geo_code is not None else sorted({str(g) for g in resolved(ds).geo_code})
    starts = _plan_starts(ds)
    out = []
    for geo in codes:
        recs = geo_records(ds, geo)
        bases = group_by((b for b in recs if b["kind"] == "baseline"), itemgetter("indicator"))
        for t in recs:
            if t["kind"] != "target":
                continue
            start = _plan_start(starts, t)
            cand = [b for b in bases.get(t["indicator"], []) if b["year"] < t["year"] and b["year"] <= start
                    and verdict(t, b, rules, check_years=False).comparable]
            if not cand:
                continue
            same_source = [b for b in cand if b["source"] == t["source"]]
            b = max(same_source or cand, key=lambda b: (b["year"], b["source"]))
            v = verdict(t, b, rules, check_years=False)
            linear = t["measure"] in RATE_MEASURES or t["unit"] in ("points", "percent")
            span = int(t["year"]) - int(b["year"])
            growth, change = float("nan"), (t["value"] - b["value"]) / span
            if not linear and b["value"] > 0 and t["value"] > 0:
                growth = required_growth(b["value"], int(b["year"]), t["value"], int(t["year"]))
            out.append(dict(
                geo_code=t["geo_code"], geo_name_zh=t["geo_name_zh"], geo_name_en=t["geo_name_en"],
                indicator=t["indicator"], measure=t["measure"], per=t["per"], unit=t["unit"],
                period_start=t["period_start"], period_end=t["period_end"], baseline=float(b["value"]),
                baseline_year=int(b["year"]), baseline_quote=b["quote"], baseline_source=b["source"],
                target=float(t["value"]), target_year=int(t["year"]), target_month=t["month"],
                target_quote=t["quote"], target_source=t["source"], comparator=t["comparator"],
                commitment=t["commitment"], path="linear" if linear else "compound", required_growth=growth,
                change_per_year=change, caveats=join_caveats(v.caveats),
            ))
    return pd.DataFrame(out)


def align_year(ds: Dataset, indicator: str, to_year: int, method: str = "constant_growth",
               rules: Rules = RULES) -> pd.DataFrame:
    """Targets moved to a common year along each geography's path from its baseline (a labelled model).

    ``method`` is ``constant_growth`` (compound rate from baseline to target) or ``linear``. Only years between
    a baseline and its target are interpolated; a path is never extended past its target year (that would be a
    forecast, not the plan), so such rows keep ``aligned_value`` empty with the reason. Every row says
    ``modelled = True``.

    >>> a = align_year(load(), "invention_patents_per_10k", 2024)
    >>> bool(a.modelled.all())
    True
    """
    if method not in ("constant_growth", "linear"):
        raise ValueError(f"unknown method {method!r}; use 'constant_growth' or 'linear'")
    ds.indicator(indicator)
    pairs = baseline_pairs(ds, rules=rules)
    pairs = pairs[pairs.indicator == indicator]
    if pairs.empty:
        return pairs.assign(aligned_year=pd.Series(dtype="Int64"), aligned_value=pd.Series(dtype=float),
                            method=method, modelled=True)
    pairs = pairs.sort_values(["geo_code", "target_year"]).groupby("geo_code", as_index=False).last()

    def at(r) -> float:
        if not r.baseline_year <= to_year <= r.target_year:
            return float("nan")
        if method == "linear" or r.path == "linear" or pd.isna(r.required_growth):
            return r.baseline + (r.target - r.baseline) / (r.target_year - r.baseline_year) * (to_year - r.baseline_year)
        return project(r.baseline, r.baseline_year, r.required_growth, to_year)

    vals = [at(r) for r in pairs.itertuples()]
    reason = ["" if pd.notna(v) else f"{to_year} outside {r.baseline_year}–{r.target_year}: not extrapolated"
              for v, r in zip(vals, pairs.itertuples(), strict=True)]
    return pairs.assign(aligned_year=to_year, aligned_value=vals, method=method, modelled=True,
                        caveats=[join_caveats(c.split(";") + ["modelled"]) for c in pairs.caveats],
                        not_aligned_reason=reason)
