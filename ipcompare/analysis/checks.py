"""What the documents themselves allow to check: implied populations, ratios to the nation, coverage, and the
conflicts and restatements the build flagged."""

from __future__ import annotations

import math
from operator import itemgetter

import pandas as pd

from ipcompare.analysis.denominators import MissingDenominator, population
from ipcompare.analysis.lookup import column_records, group_by, place_labels
from ipcompare.analysis.memo import per_dataset
from ipcompare.analysis.pool import national_rows, observations
from ipcompare.dataset import Dataset

__all__ = ["coverage", "consistency_checks", "RATE_OF"]

# A per-10k rate and the count it divides, as the registry names them. Declared, not guessed from names:
# 每万人口发明专利拥有量 counts the invention patents in force (有效发明专利拥有量).
RATE_OF = {"high_value_invention_patents_per_10k": "high_value_invention_patents",
           "invention_patents_per_10k": "invention_patents_in_force"}
# A multiple of the national rate, and the rate it is a multiple of (临海 每万人发明专利拥有量相当于全国平均水平的1.7倍).
MULTIPLE_OF_NATIONAL = {"invention_patents_per_10k_vs_national": "invention_patents_per_10k"}


def coverage(ds: Dataset, indicators: list[str] | None = None, geos: list[str] | None = None,
             label: str = "name_en") -> pd.DataFrame:
    """Matrix indicator × geography: 'target', 'baseline', 'both' or '' (none).

    ``geos`` (codes, slugs or names) keeps those geographies' columns only — a comparison's chosen cities: every
    geography of a national corpus is hundreds of columns no chart can show. Columns are in code order, named by
    the geographies' ``label`` column (``name_en``, ``name_zh``); two places with one name (苏州 and 宿州 are both
    Suzhou) are told apart by their codes, never merged.

    >>> cov = coverage(load(), ["high_value_invention_patents_per_10k"])
    >>> cov.loc["high_value_invention_patents_per_10k", ["Suzhou", "China", "Nanchang"]].tolist()
    ['target', 'both', '']
    >>> list(coverage(load(), ["high_value_invention_patents_per_10k"], geos=["nanchang", "苏州", "china"], label="name_zh").columns)
    ['中国', '苏州市', '南昌市']
    """
    if indicators is not None:
        for i in indicators:
            ds.indicator(i)
    keep = None if geos is None else {str(ds.geo(g)["geo_code"]) for g in geos}
    obs = observations(ds)
    obs = obs[obs.value.notna() | obs["flags"].fillna("").str.contains("ocr_unreadable")]
    if indicators is not None:
        obs = obs[obs.indicator.isin(indicators)]
    if keep is not None:
        obs = obs[obs.geo_code.isin(keep)]
    kinds = obs.groupby(["indicator", "geo_code"]).kind.agg(lambda k: "both" if k.nunique() > 1 else k.iloc[0])
    mat = kinds.unstack(fill_value="")
    geo = ds.geographies.sort_values("geo_code")
    if keep is not None:
        geo = geo[geo.geo_code.isin(keep)]
    mat = mat.reindex(columns=list(geo.geo_code), fill_value="")
    mat.columns = place_labels(geo[label].astype(str), geo.geo_code)
    mat.columns.name = label
    if indicators is not None:
        mat = mat.reindex([i for i in indicators if i in mat.index])
    return mat.fillna("")


def _pop(ds, geo, year):
    try:
        return population(ds, geo, year)
    except MissingDenominator:
        return None


def consistency_checks(ds: Dataset, tolerance: float = 0.05, geo: str | None = None) -> pd.DataFrame:
    """Findings the documents allow, one row each with both sides and a sentence in zh and en.

    - ``implied_population``: a count and its per-10k rate for the same place, kind and year imply a population
      (Zhengzhou: 14653 ÷ 11.5 × 10⁴ ≈ 1274万; Linhai: 2835 ÷ 26.9 × 10⁴ ≈ 105.4万), held against the
      reference population of a usable vintage.
    - ``multiple_of_national``: a stated multiple of the national rate (Linhai 1.7 × the national invention
      patents per 10k) against the city's own rate divided by the national actual of that year.
    - ``conflict`` / ``inconsistent_restatement``: observations the build flagged.

    ``geo`` (a code, slug or name) limits the checks to that geography's rows — the rows of the all-geographies
    result with that ``geo_code``, in the same order — without checking every other city (a city profile asks
    for one).

    >>> c = consistency_checks(load())
    >>> row = c[(c.check == "implied_population") & (c.geo_code == "410100")].iloc[0]
    >>> round(row.implied / 1e4)
    1274
    """
    # A city profile asks by slug (checks section) and by code (first-page finding): one kept result.
    return _checks(ds, tolerance, None if geo is None else str(ds.geo(geo)["geo_code"]))


# The observation columns the checks read: the table is narrowed to these before it is filtered, and its rows
# are read as dicts (a pandas row per mention cost more than the checks themselves).
_READ = ["obs_id", "geo_code", "indicator", "indicator_name_zh", "indicator_name_en", "kind", "year", "value",
         "value_text", "quote", "flags"]


@per_dataset
def _checks(ds: Dataset, tolerance: float, geo: str | None) -> pd.DataFrame:
    o = ds.observations[_READ]
    if geo is not None:
        code = str(ds.geo(geo)["geo_code"])
        o = o[o.geo_code == code]
    flagged = column_records(o)
    by_ind = group_by((r for r in flagged if not pd.isna(r["value"])), itemgetter("indicator"))
    geo = ds.geographies.set_index("geo_code")
    rows = []
    for rate_code, abs_code in RATE_OF.items():
        for r in by_ind.get(rate_code, []):
            same = [a for a in by_ind.get(abs_code, []) if a["geo_code"] == r["geo_code"] and a["year"] == r["year"]
                    and a["kind"] == r["kind"]]
            for a in same:
                implied = a["value"] / r["value"] * 1e4
                pop = _pop(ds, r["geo_code"], int(r["year"]))
                dev = implied / pop.value - 1 if pop is not None else float("nan")
                vintage_zh = {"census_2020": "第七次人口普查", "census_revised": "普查后口径年末常住人口",
                              "reported": "公布值"}.get(pop.vintage, pop.vintage) if pop is not None else ""
                ref_zh = f"{pop.value / 1e4:.1f}万（{int(pop.year)}年，{vintage_zh}）" if pop is not None else "无可用人口数据"
                ref_en = f"{pop.value / 1e4:.1f}万 ({int(pop.year)}, {pop.vintage})" if pop is not None else "no usable population figure"
                name_zh, name_en = geo.loc[r["geo_code"], "name_zh"], geo.loc[r["geo_code"], "name_en"]
                rows.append(dict(
                    check="implied_population", geo_code=r["geo_code"], year=int(r["year"]), indicator=rate_code,
                    left=a["value_text"], right=r["value_text"], implied=implied,
                    reference=None if pop is None else float(pop.value),
                    reference_year=None if pop is None else int(pop.year),
                    reference_vintage=None if pop is None else pop.vintage,
                    reference_source=None if pop is None else pop.source_url, deviation=dev,
                    ok=bool(abs(dev) <= tolerance) if not math.isnan(dev) else None,
                    detail=f"{a['value_text']} ÷ {r['value_text']} × 10⁴ = {implied / 1e4:.1f}万 (reference {ref_en})",
                    sentence_zh=(f"{name_zh}{int(r['year'])}年{a['value_text']}与每万人口{r['value_text']}隐含人口"
                                 f"{implied / 1e4:.1f}万，参考人口{ref_zh}" + (f"，相差{dev:+.1%}。" if not math.isnan(dev) else "。")),
                    sentence_en=(f"{name_en} {int(r['year'])}: {a['value_text']} and {r['value_text']} per 10k imply "
                                 f"{implied / 1e4:.1f}万 residents; reference {ref_en}"
                                 + (f", a difference of {dev:+.1%}." if not math.isnan(dev) else ".")),
                ))
    nat = national_rows(ds)
    for mult_code, rate_code in MULTIPLE_OF_NATIONAL.items():
        for m in by_ind.get(mult_code, []):
            own = [r for r in by_ind.get(rate_code, []) if r["geo_code"] == m["geo_code"] and r["year"] == m["year"]
                   and r["kind"] == m["kind"]]
            n = nat[(nat.indicator == rate_code) & (nat.year == m["year"]) & (nat.kind == "baseline")]
            if not own or n.empty:
                continue
            o, nv = own[0], n.iloc[0]
            ratio = o["value"] / nv.value
            dev = ratio / m["value"] - 1
            name_zh, name_en = geo.loc[m["geo_code"], "name_zh"], geo.loc[m["geo_code"], "name_en"]
            rows.append(dict(
                check="multiple_of_national", geo_code=m["geo_code"], year=int(m["year"]), indicator=mult_code,
                left=o["value_text"], right=f"{nv.value:g}", implied=ratio, reference=float(m["value"]),
                reference_year=int(m["year"]), reference_vintage=None, reference_source=nv.source, deviation=dev,
                ok=bool(abs(dev) <= tolerance),
                detail=f"{o['value_text']} ÷ national {nv.value:g} = {ratio:.2f}× (stated {m['value_text']})",
                sentence_zh=(f"{name_zh}{int(m['year'])}年每万人口发明专利{o['value_text']}，全国为{nv.value:g}件，"
                             f"约为全国的{ratio:.2f}倍；规划称{m['value_text']}，相差{dev:+.1%}。"),
                sentence_en=(f"{name_en} {int(m['year'])}: {o['value_text']} per 10k against the national "
                             f"{nv.value:g} is {ratio:.2f}×; the plan says {m['value_text']}, a difference of "
                             f"{dev:+.1%}."),
            ))
    rows = list({(r["check"], r["geo_code"], r["detail"]): r for r in rows}.values())
    for flag in ("conflict", "inconsistent_restatement"):
        for r in (r for r in flagged if isinstance(r["flags"], str) and flag in r["flags"]):
            name_zh, name_en = geo.loc[r["geo_code"], "name_zh"], geo.loc[r["geo_code"], "name_en"]
            what_zh = "同一指标另有不同数值" if flag == "conflict" else "重述时比较词或承诺程度不同"
            what_en = "the plan states another value for the same indicator" if flag == "conflict" else \
                "restatements differ in comparator or commitment"
            rows.append(dict(
                check=flag, geo_code=r["geo_code"], year=int(r["year"]), indicator=r["indicator"],
                left=r["value_text"], right=None, implied=None, reference=None, reference_year=None,
                reference_vintage=None, reference_source=None, deviation=float("nan"), ok=False,
                detail=f"{r['obs_id']}: {r['value_text']} — {r['quote'][:60]}",
                sentence_zh=f"{name_zh}“{r['indicator_name_zh']}”{r['value_text']}（{r['obs_id']}）：{what_zh}。",
                sentence_en=f"{name_en} “{r['indicator_name_en']}” {r['value_text']} ({r['obs_id']}): {what_en}.",
            ))
    return pd.DataFrame(rows)


