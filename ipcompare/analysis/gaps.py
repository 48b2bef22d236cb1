"""Gaps between a city's values and a benchmark whose membership is stated: the nation, a bounded peer set,
the city's own baseline, or another city. Every row says whether it is comparable and which caveats apply.

- ``national``: the national value of the same indicator, kind and basis within the year window. A city's
  absolute amount (patents, 亿元) meets the nation only as an intensity: counts per 10k residents, money per
  100亿元 of GDP, both sides divided by sourced denominators that the row names.
- ``peer_median``: the median of at least ``Rules.min_peers`` other cities whose comparable value lies within
  the year window (plans of another era are therefore not peers), at most ``Rules.max_peers`` of them, nearest
  year first; the members are named. A range enters at its midpoint.
- ``baseline``: the city's own baseline stated by its plan (see :mod:`ipcompare.analysis.growth`).
"""

from __future__ import annotations

from operator import itemgetter

import pandas as pd

from ipcompare.analysis.comparability import BLOCKING, RULES, Rules, is_absolute, join_caveats, split_caveats, verdict
from ipcompare.analysis.denominators import MissingDenominator, intensity
from ipcompare.analysis.growth import baseline_pairs
from ipcompare.analysis.lookup import geo_records, group_by, sort_records
from ipcompare.analysis.memo import per_dataset
from ipcompare.analysis.pool import NATIONAL, check_kind, records, resolved
from ipcompare.dataset import Dataset

__all__ = ["gaps", "GAP_COLS", "point", "split_members"]

GAP_COLS = ["geo_code", "indicator", "indicator_name_zh", "indicator_name_en", "measure", "per", "unit", "value",
            "value_as_stated", "year", "month", "period_start", "period_end", "comparator", "commitment", "quote",
            "source", "benchmark", "benchmark_value", "benchmark_year", "benchmark_years", "benchmark_source",
            "benchmark_members", "n_peers", "gap", "gap_relative", "required_growth", "comparable", "caveats",
            "denominator", "benchmark_denominator", "modelled"]
# Counts and money with a national per-10k counterpart in the registry: a city's count becomes per 10k residents
# and meets that national rate (Zhengzhou's 14653 high-value patents against the nation's 12 per 10k).
_PER_10K = {"high_value_invention_patents": "high_value_invention_patents_per_10k",
            "invention_patents_in_force": "invention_patents_per_10k"}
# A benchmark's records grouped by this key once: each of the city's rows looks up its own.
_KIND_INDICATOR = itemgetter("kind", "indicator")


def point(row) -> float:
    """The value a comparison uses: the midpoint of a range, else the value."""
    hi = row["value_high"] if isinstance(row, dict) else row.value_high
    v = row["value"] if isinstance(row, dict) else row.value
    return (float(v) + float(hi)) / 2 if hi is not None and pd.notna(hi) else float(v)


def split_members(members: str) -> list[tuple[str, str]]:
    """``benchmark_members`` as :func:`gaps` writes it ("Suzhou 2025, Linhai 2025" for peers, "China" for one
    benchmark) back into (English name, year) pairs; the year is '' where none is written."""
    out = []
    for m in members.split(", ") if members else []:
        name, _, year = m.rpartition(" ")
        out.append((name, year) if name and year.isdigit() else (m, ""))
    return out


def _denominator_text(d: dict) -> str:
    series = {"population_census_2020": "census 2020 population", "population_resident_yearend": "year-end population",
              "gdp": "GDP"}.get(d["denominator_series"], d["denominator_series"])
    return f"{series} {d['denominator_year']} ({d['denominator_vintage']}; {d['denominator_ref']}; {d['denominator_source']})"


def _national(ds: Dataset, rec: dict, nat: dict[tuple, list[dict]], rules: Rules) -> dict:
    """The national benchmark for one city row: ``bench`` (the national row or None), ``value`` and
    ``benchmark_value`` on a common basis, ``caveats``, and the denominators used (empty when none).
    ``nat``: the national rows by (kind, indicator), as records."""
    out = dict(bench=None, value=point(rec), benchmark_value=None, caveats=["no_benchmark"], denominator="",
               benchmark_denominator="", per=rec["per"])
    cand = nat.get((rec["kind"], rec["indicator"]), [])
    direct = [(c, verdict(rec, c, rules)) for c in cand]
    direct.sort(key=lambda cv: (not cv[1].comparable, abs(int(cv[0]["year"]) - int(rec["year"])),
                                -int(cv[0]["year"])))
    if direct and (direct[0][1].comparable or not is_absolute(rec)):
        c, v = direct[0]
        return {**out, "bench": c, "benchmark_value": point(c), "caveats": list(v.caveats)}
    if not is_absolute(rec):
        return out
    # An absolute amount meets the nation only as an intensity, both sides divided by sourced denominators.
    try:
        mine = intensity(ds, rec, rules)
    except MissingDenominator:
        return {**out, "caveats": ["no_denominator"]}
    my_rate = {**rec, "value": mine["value"], "per": mine["per"], "level": "any", "value_high": None}
    out.update(value=mine["value"], per=mine["per"], denominator=_denominator_text(mine))
    pool = cand
    if rec["unit"] not in ("CNY", "USD") and rec["indicator"] in _PER_10K:
        pool = cand + nat.get((rec["kind"], _PER_10K[rec["indicator"]]), [])
    best = None
    for c in pool:
        crec = {**c, "level": "any", "indicator": rec["indicator"]}
        cden = ""
        if is_absolute(crec):
            try:
                ci = intensity(ds, crec, rules)
            except MissingDenominator:
                continue
            crec.update(value=ci["value"], per=ci["per"], value_high=None)
            cden = _denominator_text(ci)
        v = verdict(my_rate, crec, rules)
        key = (not v.comparable, abs(int(c["year"]) - int(rec["year"])))
        if best is None or key < best[0]:
            best = (key, c, crec["value"], v, cden)
    if best is None:
        return {**out, "caveats": ["no_benchmark"]}
    _, c, bval, v, cden = best
    cav = list(v.caveats) + ["intensity"]
    if mine["denominator_year"] != int(rec["year"]):
        cav.append("denominator_year_differs")
    return {**out, "bench": c, "benchmark_value": bval, "caveats": cav, "benchmark_denominator": cden}


def _peers(rec: dict, cand: list[dict], rules: Rules) -> list[tuple[dict, object]]:
    """At most ``rules.max_peers`` comparable rows of ``cand`` (other cities' rows of rec's indicator and kind,
    as records), nearest year first, then by code. Candidates are ordered first and judged until the set is full:
    with hundreds of cities only the nearest few are judged, and a stable sort followed by the filter picks the
    same rows as the filter followed by the sort."""
    year = int(rec["year"])
    ok = []
    for c in sorted(cand, key=lambda c: (abs(int(c["year"]) - year), c["geo_code"])):
        if len(ok) >= rules.max_peers:
            break
        v = verdict(rec, c, rules)
        if v.comparable:
            ok.append((c, v))
    return ok


@per_dataset
def gaps(ds: Dataset, geo: str, benchmark: str = "national", kind: str = "target",
         rules: Rules = RULES) -> pd.DataFrame:
    """For each indicator of ``geo`` (one value per indicator and basis, conflicts resolved by rule), the gap to
    ``benchmark``: ``national``, ``peer_median``, ``baseline`` or another city's name/code.

    Rows that are not comparable are returned too, with ``comparable`` False and the reason in ``caveats``;
    ``gap`` and ``gap_relative`` are filled only for comparable rows.

    >>> g = gaps(load(), "suzhou", "national")
    >>> r = g[g.comparable].set_index("indicator").loc["high_value_invention_patents_per_10k"]
    >>> (float(r.value), float(r.benchmark_value), int(r.benchmark_year))
    (32.0, 12.0, 2025)
    """
    check_kind(kind)
    code = str(ds.geo(geo)["geo_code"])
    if benchmark == "baseline":
        allobs = resolved(ds)
        return _baseline_gaps(ds, code, allobs[(allobs.geo_code == code) & (allobs.kind == kind)], rules)
    # The city's and the benchmark's rows are looked up, not filtered out of every city's rows.
    if benchmark == "national":
        # Grouped once: each of the city's rows looks up its indicator's national rows instead of filtering them.
        label, others = "national", group_by(geo_records(ds, NATIONAL), _KIND_INDICATOR)
    elif benchmark == "peer_median":
        label, others = "peer median", None  # looked up per indicator below
    else:
        other = str(ds.geo(benchmark)["geo_code"])
        label, others = ds.geo_label(other, "en"), group_by(geo_records(ds, other), _KIND_INDICATOR)
    rows = []
    mine = [r for r in geo_records(ds, code) if r["kind"] == kind]
    # The city's rows in the order the table lists them (a stable sort, as pandas' on three keys).
    for r in sort_records(mine, ["indicator", "measure", "year"]):
        base = dict(_city_side(ds, code, r, label), denominator="", benchmark_denominator="", benchmark_members="",
                    benchmark_years="", benchmark_source="", required_growth=float("nan"))
        own = split_caveats(r["caveats"])
        if benchmark == "peer_median":
            cand = [c for c in records(ds, r["indicator"], r["kind"]) if c["geo_code"] not in (code, NATIONAL)]
            peers = _peers(r, cand, rules)
            members = [f"{c['geo_name_en']} {int(c['year'])}" for c, _ in peers]
            cav = own + [x for _, v in peers for x in v.caveats]
            base.update(n_peers=len(peers), benchmark_members=", ".join(members))
            if len(peers) < rules.min_peers:
                rows.append({**base, "benchmark_value": float("nan"), "benchmark_year": pd.NA,
                             "comparable": False, "caveats": join_caveats(["too_few_peers"] + cav)})
                continue
            vals = pd.Series([point(c) for c, _ in peers])
            years = sorted({int(c["year"]) for c, _ in peers})
            base.update(benchmark_value=float(vals.median()), benchmark_year=int(pd.Series(
                [int(c["year"]) for c, _ in peers]).mode().max()),
                benchmark_years=f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                benchmark_source="; ".join(c["source"] for c, _ in peers), comparable=True, caveats=join_caveats(cav))
        else:
            if benchmark == "national":
                res = _national(ds, r, others, rules)
                c, bval, cav = res["bench"], res["benchmark_value"], res["caveats"]
                base.update(value=res["value"], per=res["per"], denominator=res["denominator"],
                            benchmark_denominator=res["benchmark_denominator"])
            else:
                vs = [(c, verdict(r, c, rules)) for c in others.get((r["kind"], r["indicator"]), [])]
                vs.sort(key=lambda cv: (not cv[1].comparable, abs(int(cv[0]["year"]) - int(r["year"]))))
                c, bval, cav = (vs[0][0], point(vs[0][0]), list(vs[0][1].caveats)) if vs else \
                    (None, None, ["no_benchmark"])
            if c is None:
                rows.append({**base, "benchmark_value": float("nan"), "benchmark_year": pd.NA, "comparable": False,
                             "caveats": join_caveats(cav + own)})
                continue
            comparable = not any(x in BLOCKING for x in cav)
            base.update(benchmark_value=float(bval) if bval is not None else float("nan"),
                        benchmark_year=int(c["year"]), benchmark_years=str(int(c["year"])),
                        benchmark_source=str(c["source"]), benchmark_members=str(c["geo_name_en"]),
                        comparable=comparable and bval is not None, caveats=join_caveats(cav + own))
        rows.append(base)
    return _finish(rows)


def _city_side(ds: Dataset, code: str, r: dict, label: str) -> dict:
    """The city's half of a gap row (every benchmark fills in the other half); ``r`` is the city's record."""
    return dict(geo_code=code, indicator=r["indicator"], indicator_name_zh=ds.label(r["indicator"], "zh"),
                indicator_name_en=ds.label(r["indicator"], "en"), measure=r["measure"], per=r["per"],
                unit=r["unit"], value=point(r), value_as_stated=r["value_text"], year=int(r["year"]),
                month=r["month"], period_start=r["period_start"], period_end=r["period_end"],
                comparator=r["comparator"], commitment=r["commitment"], quote=r["quote"], source=r["source"],
                benchmark=label, modelled=False, n_peers=pd.NA)


def _finish(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows).reindex(columns=GAP_COLS)
    if out.empty:
        return out.astype({"comparable": bool})
    out["comparable"] = out.comparable.fillna(False).astype(bool)
    ok = out.comparable & out.benchmark_value.notna()
    out["gap"] = (out.value - out.benchmark_value).where(ok)
    out["gap_relative"] = (out.gap / out.benchmark_value).where(ok & (out.benchmark_value != 0))
    out["n_peers"] = out.n_peers.astype("Int64")
    out["benchmark_year"] = out.benchmark_year.astype("Int64")
    return out.reset_index(drop=True)


def _baseline_gaps(ds: Dataset, code: str, mine: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    pairs = baseline_pairs(ds, code, rules)
    rows = []
    for _, r in mine.sort_values(["indicator", "measure", "year"]).iterrows():
        p = pairs[(pairs.indicator == r.indicator) & (pairs.measure == r.measure) & (pairs.target_year == r.year)] \
            if not pairs.empty else pairs
        base = _city_side(ds, code, r, "own baseline")
        if p.empty:
            rows.append({**base, "comparable": False, "benchmark_value": float("nan"), "benchmark_year": pd.NA,
                         "caveats": join_caveats(["no_benchmark"] + split_caveats(r.caveats))})
            continue
        b = p.iloc[0]
        rows.append({**base, "benchmark_value": b.baseline, "benchmark_year": int(b.baseline_year),
                     "benchmark_years": str(int(b.baseline_year)), "benchmark_source": b.baseline_source,
                     "required_growth": b.required_growth if b.path == "compound" else float("nan"),
                     "comparable": True, "caveats": b.caveats})
    return _finish(rows)
