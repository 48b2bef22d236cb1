"""Side-by-side values of one indicator across geographies, grouped by the comparability model."""

from __future__ import annotations

import pandas as pd

from ipcompare.analysis.comparability import RULES, Rules, basis, join_caveats, verdict
from ipcompare.analysis.denominators import IncomparableError
from ipcompare.analysis.memo import per_dataset
from ipcompare.analysis.pool import candidates, check_indicator, check_kind, records
from ipcompare.dataset import Dataset

__all__ = ["compare", "comparable_geos"]


def _largest_group(rows: list[dict], rules: Rules) -> set[int]:
    """Indices of the largest set of rows that are pairwise comparable (same basis and level where needed,
    all years within one window); ties go to the later years, then the basis of the most rows.

    Every anchor row's group is the rows of a compatible basis in its year window, less those incompatible
    with another member. Bases are few (a handful per indicator) while rows grow with the number of cities, so
    verdicts are taken once per pair of bases (:func:`~ipcompare.analysis.comparability.basis`), and anchors
    of the same basis and year share their group: linear in the rows instead of cubic, same result.
    """
    keys = [basis(r) for r in rows]
    reps = {k: rows[i] for i, k in reversed(list(enumerate(keys)))}
    ok: dict[tuple, bool] = {}

    def compatible(ka: tuple, kb: tuple) -> bool:
        if (ka, kb) not in ok:
            ok[(ka, kb)] = ok[(kb, ka)] = verdict(reps[ka], reps[kb], rules, check_years=False).comparable
        return ok[(ka, kb)]

    by_basis: dict[tuple, list[int]] = {}
    for i, k in enumerate(keys):
        by_basis.setdefault(k, []).append(i)
    groups: dict[tuple, set[int]] = {}
    best: tuple = ()
    best_set: set[int] = set()
    for i, anchor in enumerate(rows):
        y0 = anchor["year"]
        cache_key = (keys[i], y0)
        if cache_key not in groups:
            # Members' years all lie in [y0, y0 + window], so any two are within the window of each other:
            # what remains to check among members is their bases.
            group = {j for kb, idx in by_basis.items() if compatible(keys[i], kb)
                     for j in idx if y0 <= rows[j]["year"] <= y0 + rules.window}
            present = {keys[j] for j in group}
            good = {kb for kb in present if all(compatible(kb, kc) for kc in present)}
            groups[cache_key] = {j for j in group if keys[j] in good}
        group = groups[cache_key]
        key = (len(group), y0, -i)
        if i in group and key > best:
            best, best_set = key, group
    return best_set


def _latest(rows: list[dict], codes: set[str] | None, year: int | None) -> list[int]:
    """Positions of the rows :func:`compare` shows: of the geographies in ``codes`` (all when None), each one's
    latest year (or ``year``), ordered by geography, measure and unit (a stable sort, as pandas' on several
    keys). A geography with two bases in its latest year (an annual flow and a period total) keeps both rows."""
    idx = [i for i, r in enumerate(rows) if (codes is None or r["geo_code"] in codes)
           and (year is None or r["year"] == year)]
    latest: dict[str, int] = {}
    for i in idx:
        g = rows[i]["geo_code"]
        latest[g] = max(latest.get(g, rows[i]["year"]), rows[i]["year"])
    keep = [i for i in idx if rows[i]["year"] == latest[rows[i]["geo_code"]]]
    return sorted(keep, key=lambda i: (rows[i]["geo_code"], rows[i]["measure"], rows[i]["unit"]))


def comparable_geos(ds: Dataset, indicator: str, kind: str = "target", rules: Rules = RULES) -> int:
    """How many geographies :func:`compare` (over all geographies) marks comparable for ``indicator``: the same
    rows and group, counted without building the frame — a headline filter asks this of every indicator."""
    rows = records(ds, indicator, kind)
    keep = _latest(rows, None, None)
    group = _largest_group([rows[i] for i in keep], rules)
    return len({rows[keep[j]]["geo_code"] for j in group})


@per_dataset
def compare(ds: Dataset, indicator: str, kind: str = "target", geos: list[str] | None = None,
            year: int | None = None, side_by_side: bool = False, rules: Rules = RULES) -> pd.DataFrame:
    """One row per geography for ``indicator``: value, year, measure, comparator, commitment, quote, caveats.

    A geography's latest value is taken (or the one of ``year``); a plan's conflicting mentions are resolved by
    :data:`~ipcompare.analysis.pool.CONFLICT_RULE`. The largest pairwise-comparable group (same measure, per,
    unit, period length, level for absolute amounts, years within the window) is marked ``comparable``; the
    others are refused with :class:`IncomparableError` naming what differs, or, with ``side_by_side=True``,
    returned with ``comparable`` False and the reason in ``caveats``.

    >>> c = compare(load(), "high_value_invention_patents_per_10k")
    >>> sorted(c.geo_name_en)
    ['China', 'Linhai', 'Maanshan', 'Suzhou', 'Zhengzhou']
    """
    check_indicator(ds, indicator)
    check_kind(kind)
    obs = candidates(ds, indicator, kind)
    codes = None if geos is None else {str(ds.geo(g)["geo_code"]) for g in geos}
    recs = records(ds, indicator, kind)
    keep = _latest(recs, codes, year)
    if not keep:
        obs = obs.iloc[0:0]
        return obs.assign(comparable=pd.Series(dtype=bool), caveats=pd.Series(dtype=str))
    # The rows picked from the cached records, then taken from the frame by position: the same frame as
    # filtering and sorting it, without a boolean mask over every city's rows per call.
    obs = obs.iloc[keep].reset_index(drop=True)
    rows = [recs[i] for i in keep]
    group = _largest_group(rows, rules)
    comparable, caveats = [], []
    years = pd.Series([rows[j]["year"] for j in group])
    modal = int(years.mode().max()) if len(years) else None
    for i, r in enumerate(rows):
        if i in group:
            # A row's caveats are its own, plus years_differ when its year is not the group's usual one.
            cav = ["years_differ"] if r["year"] != modal else []
            comparable.append(True)
        else:
            anchor = rows[min(group)] if group else r
            cav = list(verdict(r, anchor, rules).caveats)
            comparable.append(False)
        caveats.append(join_caveats(cav + (r["caveats"].split(";") if r["caveats"] else [])))
    out = obs.assign(comparable=comparable, caveats=caveats)
    if not out.comparable.all() and not side_by_side:
        odd = out[~out.comparable]
        parts = [f"{r.geo_name_en} {r.year} ({r.measure}, {r.unit}{', ' + r.per if isinstance(r.per, str) else ''}): "
                 f"{r.caveats.split(';')[0]}" for r in odd.itertuples()]
        raise IncomparableError(f"{indicator} {kind}s are not all comparable — " + "; ".join(parts)
                                + ". Pass side_by_side=True to show them together, flagged.")
    return out.reset_index(drop=True)
