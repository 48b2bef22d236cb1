"""Comparisons and gap analyses that compare only like with like (DESIGN §4).

Every function is pure: it takes a :class:`~ipcompare.dataset.Dataset` (or numbers) and returns a DataFrame
or a number. Values are in base units; each result row carries the quote or source it rests on.
"""

from __future__ import annotations

import math

import pandas as pd

from ipcompare.dataset import Dataset

__all__ = [
    "IncomparableError",
    "NATIONAL",
    "compare",
    "per_capita",
    "population",
    "required_growth",
    "project",
    "align_year",
    "gaps",
    "coverage",
    "consistency_checks",
    "national_benchmarks",
]

NATIONAL = "100000"
_COMPARABLE_ON = ["measure", "per", "unit"]
_OUT_COLS = ["geo_code", "geo_name_zh", "geo_name_en", "indicator", "kind", "measure", "per", "unit", "year",
             "month", "value", "value_high", "comparator", "commitment", "source", "quote", "obs_id", "flags"]
_POP_VINTAGE_PREFERENCE = ["census_revised", "reported", "census_2020", "pre_census"]


class IncomparableError(ValueError):
    """Observations that differ in measure, per or unit were asked to be compared."""


def national_benchmarks(ds: Dataset) -> pd.DataFrame:
    """National targets and actuals as observation-shaped rows (geography 100000).

    Combines the 纲要's own statements (in ``observations``) with the usable rows of the ``reference`` table
    (十四五 / 十三五 national plan targets as ``target``, national actuals as ``baseline``). The 纲要 wins where
    both give the same indicator, kind and year.

    >>> nb = national_benchmarks(load())
    >>> float(nb.query("indicator == 'high_value_invention_patents_per_10k' and kind == 'target' and year == 2025").value.iloc[0])
    12.0
    """
    obs = ds.observations[ds.observations.geo_code == NATIONAL].assign(source=lambda d: "doc:" + d.doc_id)
    ind = ds.indicators.set_index("code")
    ref = ds.reference[(ds.reference.geo_code == NATIONAL) & ds.reference.usable & ds.reference.value.notna()
                       & ds.reference.variable.isin(ind.index)].copy()
    ref = ref.assign(
        indicator=ref.variable,
        kind=ref.kind.replace({"actual": "baseline"}),
        per=[None if u != ind.loc[v, "unit"] else ind.loc[v, "per"] for v, u in zip(ref.variable, ref.unit, strict=True)],
        month=pd.NA, value_high=float("nan"), comparator="=", commitment="firm", obs_id=ref.ref_id,
        quote=ref.source_quote, flags="", source="reference:" + ref.ref_id,
        geo_name_zh="中国", geo_name_en="China",
    )
    both = pd.concat([obs, ref], ignore_index=True)
    both = both.drop_duplicates(subset=["indicator", "kind", "measure", "year"], keep="first")
    return both.reindex(columns=_OUT_COLS).reset_index(drop=True)


def _blank(v) -> str:
    """'' for a missing value (None, NaN, pd.NA), else the value: for matching nullable columns."""
    return "" if v is None or pd.isna(v) else v


def _all_obs(ds: Dataset) -> pd.DataFrame:
    city = ds.observations[ds.observations.geo_code != NATIONAL].assign(source=lambda d: "doc:" + d.doc_id)
    return pd.concat([city.reindex(columns=_OUT_COLS), national_benchmarks(ds)], ignore_index=True)


def compare(
    ds: Dataset,
    indicator: str,
    kind: str = "target",
    geos: list[str] | None = None,
    year: int | None = None,
    side_by_side: bool = False,
) -> pd.DataFrame:
    """One row per geography for ``indicator``: value, year, measure, comparator, commitment and quote.

    Only comparable observations (same measure, ``per`` and unit) are put together; otherwise
    :class:`IncomparableError` says what differs, unless ``side_by_side=True``, which returns them all with a
    ``comparable`` column (False where a row's measure/per/unit differs from the most common one).
    With several years per geography, ``year`` picks one; by default the latest is kept.

    >>> c = compare(load(), "high_value_invention_patents_per_10k")
    >>> sorted(c.geo_name_en)
    ['China', 'Linhai', 'Maanshan', 'Suzhou', 'Zhengzhou']
    """
    ds.indicator(indicator)
    obs = _all_obs(ds)
    obs = obs[(obs.indicator == indicator) & (obs.kind == kind) & obs.value.notna()]
    if geos is not None:
        codes = [str(ds.geo(g)["geo_code"]) for g in geos]
        obs = obs[obs.geo_code.isin(codes)]
    if year is not None:
        obs = obs[obs.year == year]
    if obs.empty:
        return obs.assign(comparable=pd.Series(dtype="boolean"))
    obs = obs[obs.year == obs.groupby("geo_code").year.transform("max")].sort_values(["geo_code", "year"])
    keys = pd.Series(["|".join(_blank(v) for v in row) for row in obs[_COMPARABLE_ON].itertuples(index=False)],
                     index=obs.index)
    if keys.nunique() > 1:
        if not side_by_side:
            parts = [
                f"{k.replace('|', '/')}: {', '.join(obs.loc[keys == k, 'geo_name_en'])}" for k in keys.unique()
            ]
            raise IncomparableError(
                f"{indicator} {kind}s differ in measure/per/unit — " + "; ".join(parts)
                + ". Pass side_by_side=True to show them together, flagged."
            )
    main = keys.value_counts().index[0]
    return obs.assign(comparable=(keys == main).values).reset_index(drop=True)


def population(ds: Dataset, geo_code: str, year: int, series: str = "population_resident_yearend") -> pd.Series:
    """The usable population figure of ``series`` for ``geo_code`` nearest at or before ``year``.

    Vintages: census-revised year-end figures are preferred over pre-census ones (the 2020 census moved
    Zhengzhou by ~200万); the returned row says which vintage, year and source were used.

    >>> int(population(load(), "410100", 2021)["value"])
    12742000
    """
    ref = ds.reference
    cand = ref[(ref.geo_code == geo_code) & (ref.variable == series) & ref.usable & ref.value.notna()]
    if cand.empty:
        raise KeyError(f"no usable {series} for {geo_code}")
    before = cand[cand.year <= year]
    pool = before if not before.empty else cand
    best_year = pool.year.max() if not before.empty else pool.year.min()
    pool = pool[pool.year == best_year].copy()
    pool["_rank"] = pool.vintage.map({v: i for i, v in enumerate(_POP_VINTAGE_PREFERENCE)})
    return pool.sort_values(["_rank", "ref_id"]).iloc[0].drop("_rank")


def per_capita(ds: Dataset, obs: pd.DataFrame, series: str = "population_resident_yearend",
               population_year: int | None = None) -> pd.DataFrame:
    """Absolute values → per 10k population, with the denominator named.

    Adds ``value_per_10k``, ``population``, ``population_year``, ``population_vintage``,
    ``population_series`` and ``population_source``. Rows that already are per-10k are refused.

    >>> zz = compare(load(), "high_value_invention_patents", geos=["zhengzhou"])
    >>> round(float(per_capita(load(), zz, population_year=2021).value_per_10k.iloc[0]), 2)
    11.5
    """
    if obs.per.notna().any():
        raise IncomparableError("per_capita takes absolute values; these rows are already per " + str(obs.per.dropna().iloc[0]))
    rows = []
    for r in obs.itertuples(index=False):
        pop = population(ds, r.geo_code, population_year or int(r.year), series)
        rows.append(dict(value_per_10k=r.value / (pop.value / 1e4), population=pop.value,
                         population_year=int(pop.year), population_vintage=pop.vintage,
                         population_series=series, population_source=pop.source_url))
    return pd.concat([obs.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


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


def _baseline_target_pairs(ds: Dataset, indicator: str) -> pd.DataFrame:
    obs = _all_obs(ds)
    obs = obs[(obs.indicator == indicator) & obs.value.notna()]
    out = []
    for geo, g in obs.groupby("geo_code"):
        t = g[g.kind == "target"].sort_values("year")
        for tr in t.itertuples(index=False):
            b = g[(g.kind == "baseline") & (g.year < tr.year) & (g.measure == tr.measure)
                  & (g.per.fillna("") == _blank(tr.per)) & (g.unit == tr.unit)].sort_values("year")
            if b.empty:
                continue
            br = b.iloc[-1]
            out.append(dict(geo_code=geo, geo_name_zh=tr.geo_name_zh, geo_name_en=tr.geo_name_en,
                            indicator=indicator, measure=tr.measure, per=tr.per, unit=tr.unit,
                            baseline=br.value, baseline_year=int(br.year), baseline_quote=br.quote,
                            target=tr.value, target_year=int(tr.year), target_quote=tr.quote,
                            required_growth=required_growth(br.value, int(br.year), tr.value, int(tr.year))
                            if br.value > 0 and tr.value > 0 else float("nan")))
    return pd.DataFrame(out)


def align_year(ds: Dataset, indicator: str, to_year: int, method: str = "constant_growth") -> pd.DataFrame:
    """Targets projected to a common year along each geography's path from its baseline (modelled).

    ``method`` is ``constant_growth`` (compound rate from baseline to target) or ``linear``. Geographies
    without a baseline cannot be aligned and are left out; every row says ``modelled = True``.

    >>> a = align_year(load(), "invention_patents_per_10k", 2025)
    >>> bool(a.modelled.all())
    True
    """
    if method not in ("constant_growth", "linear"):
        raise ValueError(f"unknown method {method!r}; use 'constant_growth' or 'linear'")
    pairs = _baseline_target_pairs(ds, indicator)
    if pairs.empty:
        return pairs.assign(aligned_year=pd.Series(dtype="Int64"), aligned_value=pd.Series(dtype=float))
    pairs = pairs.sort_values("target_year").groupby("geo_code", as_index=False).last()

    def at(r) -> float:
        if method == "linear":
            slope = (r.target - r.baseline) / (r.target_year - r.baseline_year)
            return r.baseline + slope * (to_year - r.baseline_year)
        return project(r.baseline, r.baseline_year, r.required_growth, to_year)

    return pairs.assign(aligned_year=to_year, aligned_value=[at(r) for r in pairs.itertuples()],
                        method=method, modelled=True)


def gaps(ds: Dataset, geo: str, benchmark: str = "national", kind: str = "target") -> pd.DataFrame:
    """For each indicator of ``geo``, the gap to a benchmark, absolute and relative.

    ``benchmark``: ``national`` (geography 100000: the 纲要 and national plan targets), ``peer_median`` (median
    of the other cities' comparable observations), ``baseline`` (the city's own baseline, with the required
    annual growth), or another city's name/code. Only comparable pairs (same measure, per, unit) are matched;
    ``years_differ`` marks pairs from different years, which are not aligned silently.

    >>> g = gaps(load(), "suzhou", "national")
    >>> float(g.set_index("indicator").loc["high_value_invention_patents_per_10k", "benchmark_value"])
    12.0
    """
    code = str(ds.geo(geo)["geo_code"])
    obs = _all_obs(ds)
    mine = obs[(obs.geo_code == code) & (obs.kind == kind) & obs.value.notna()]
    mine = mine.sort_values("year").groupby(["indicator", "measure"], as_index=False).last()
    if benchmark == "baseline":
        base = obs[(obs.geo_code == code) & (obs.kind == "baseline") & obs.value.notna()]
        label = "own baseline"
    elif benchmark == "national":
        base = obs[(obs.geo_code == NATIONAL) & (obs.kind == kind) & obs.value.notna()]
        label = "national"
    elif benchmark == "peer_median":
        base = obs[(obs.geo_code != code) & (obs.geo_code != NATIONAL) & (obs.kind == kind) & obs.value.notna()]
        label = "peer median"
    else:
        other = str(ds.geo(benchmark)["geo_code"])
        base = obs[(obs.geo_code == other) & (obs.kind == kind) & obs.value.notna()]
        label = ds.geo_label(other, "en")
    rows = []
    for r in mine.itertuples(index=False):
        cand = base[(base.indicator == r.indicator) & (base.measure == r.measure)
                    & (base.per.fillna("") == _blank(r.per)) & (base.unit == r.unit)]
        if benchmark == "baseline":
            cand = cand[cand.year < r.year]
        if cand.empty:
            continue
        if benchmark == "peer_median":
            latest = cand.sort_values("year").groupby("geo_code").last()
            bval, byear = float(latest.value.median()), int(latest.year.max())
            bsrc = f"median of {len(latest)} ({', '.join(latest.geo_name_en)})"
        else:
            pick = cand.sort_values("year").iloc[-1] if benchmark == "baseline" else \
                cand.iloc[(cand.year - r.year).abs().argsort()].iloc[0]
            bval, byear, bsrc = float(pick.value), int(pick.year), str(pick.quote)[:80]
        rows.append(dict(
            geo_code=code, indicator=r.indicator, indicator_name_zh=ds.label(r.indicator, "zh"),
            indicator_name_en=ds.label(r.indicator, "en"), measure=r.measure, per=r.per, unit=r.unit,
            value=float(r.value), year=int(r.year), comparator=r.comparator, commitment=r.commitment,
            benchmark=label, benchmark_value=bval, benchmark_year=byear, benchmark_source=bsrc,
            gap=float(r.value) - bval, gap_relative=(float(r.value) - bval) / bval if bval else float("nan"),
            years_differ=byear != int(r.year),
            required_growth=(required_growth(bval, byear, float(r.value), int(r.year))
                             if benchmark == "baseline" and bval > 0 and r.value > 0 and r.year > byear
                             else float("nan")),
            modelled=False,
        ))
    return pd.DataFrame(rows)


def coverage(ds: Dataset, indicators: list[str] | None = None) -> pd.DataFrame:
    """Matrix indicator × geography: 'target', 'baseline', 'both' or '' (none).

    >>> cov = coverage(load(), ["high_value_invention_patents_per_10k"])
    >>> cov.loc["high_value_invention_patents_per_10k", ["Suzhou", "China", "Nanchang"]].tolist()
    ['target', 'both', '']
    """
    obs = _all_obs(ds)
    obs = obs[obs.value.notna() | obs["flags"].fillna("").str.contains("ocr_unreadable")]
    if indicators is not None:
        obs = obs[obs.indicator.isin(indicators)]
    kinds = obs.groupby(["indicator", "geo_name_en"]).kind.agg(lambda k: "both" if k.nunique() > 1 else k.iloc[0])
    mat = kinds.unstack(fill_value="")
    order = list(ds.geographies.sort_values("geo_code").name_en)
    mat = mat.reindex(columns=order, fill_value="")
    if indicators is not None:
        mat = mat.reindex([i for i in indicators if i in mat.index])
    return mat.fillna("")


def consistency_checks(ds: Dataset, tolerance: float = 0.05) -> pd.DataFrame:
    """Findings the documents themselves allow.

    - ``implied_population``: an absolute count and a per-10k rate for the same concept and year imply a
      population (Zhengzhou: 14653 ÷ 11.5 × 10⁴ ≈ 1274万), held against the reference population.
    - ``conflict`` / ``inconsistent_restatement``: observations the build flagged.

    >>> c = consistency_checks(load())
    >>> row = c[(c.check == "implied_population") & (c.geo_code == "410100")].iloc[0]
    >>> round(row.implied / 1e4)
    1274
    """
    ind = ds.indicators.set_index("code")
    obs = ds.observations[ds.observations.value.notna()]
    rows = []
    for rate_code in ind.index[ind.per == "10k_population"]:
        abs_code = rate_code.removesuffix("_per_10k")
        if abs_code == rate_code or abs_code not in ind.index:
            continue
        rates = obs[obs.indicator == rate_code]
        for r in rates.itertuples(index=False):
            a = obs[(obs.indicator == abs_code) & (obs.geo_code == r.geo_code) & (obs.year == r.year)
                    & (obs.kind == r.kind)]
            for ar in a.itertuples(index=False):
                implied = ar.value / r.value * 1e4
                try:
                    pop = population(ds, r.geo_code, int(r.year))
                except KeyError:
                    pop = None
                dev = implied / pop.value - 1 if pop is not None else float("nan")
                rows.append(dict(
                    check="implied_population", geo_code=r.geo_code, year=int(r.year), indicator=rate_code,
                    implied=implied, reference=None if pop is None else float(pop.value),
                    reference_year=None if pop is None else int(pop.year),
                    reference_vintage=None if pop is None else pop.vintage, deviation=dev,
                    ok=bool(abs(dev) <= tolerance) if not math.isnan(dev) else None,
                    detail=f"{ar.value_text} ÷ {r.value_text} × 10⁴ = {implied / 1e4:.1f}万 "
                           f"(reference {'n/a' if pop is None else f'{pop.value / 1e4:.1f}万, {int(pop.year)} {pop.vintage}'})",
                ))
    rows = list({(r["check"], r["geo_code"], r["detail"]): r for r in rows}.values())
    for flag in ("conflict", "inconsistent_restatement"):
        hit = ds.observations[ds.observations["flags"].fillna("").str.contains(flag)]
        for r in hit.itertuples(index=False):
            rows.append(dict(check=flag, geo_code=r.geo_code, year=int(r.year), indicator=r.indicator,
                             implied=None, reference=None, reference_year=None, reference_vintage=None,
                             deviation=float("nan"), ok=False, detail=f"{r.obs_id}: {r.value_text} — {r.quote[:60]}"))
    return pd.DataFrame(rows)
