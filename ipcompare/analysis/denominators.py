"""Denominators, explicit and sourced: population and GDP, and the intensities they give.

Vintage rules (DESIGN §4). The 2020 census moved city populations by up to 20 % (Suzhou's 2019 year-end
estimate was 1075万, the census counted 1274.8万), so a series must never mix vintages:

- for 2020 the census count itself (``census_2020``), else a census-revised 2020 year-end figure;
- after 2020, year-end figures published after the census (``census_revised`` or ``reported`` for 2021+);
- before 2020, census-revised back-series only; a pre-census estimate is never used — a figure the analysis
  needs but cannot get this way is reported missing, not filled with the wrong vintage.

A figure may be up to ``Rules.denominator_window`` years older than the value it divides (the year used is
always returned), never from the other side of 2020 and never from after the value.
"""

from __future__ import annotations

import pandas as pd

from ipcompare.analysis.comparability import RULES, Rules, is_rate_like
from ipcompare.analysis.lookup import reference_rows
from ipcompare.analysis.memo import per_dataset
from ipcompare.dataset import Dataset

__all__ = ["IncomparableError", "MissingDenominator", "population", "gdp", "per_capita", "intensity",
           "INTENSITY_UNITS"]

# What a count or an amount of money is divided by, and the scale of the result.
INTENSITY_UNITS = {
    "10k_population": ("population", 1e4, "每万人", "per 10k residents"),
    "100m_gdp_x100": ("gdp", 1e10, "每百亿元GDP", "per 10 bn CNY of GDP"),
}
_MONEY = {"CNY", "USD"}


class IncomparableError(ValueError):
    """Values that may not be compared or converted were asked to be."""


class MissingDenominator(KeyError):
    """No sourced population or GDP figure of a usable vintage for this place and year."""

    def __str__(self) -> str:  # KeyError quotes its message; this reads as a sentence.
        return str(self.args[0]) if self.args else ""


def _usable(ds: Dataset, geo_code: str, variables: tuple[str, ...]) -> list[tuple[int, dict]]:
    """The place's usable reference rows with a value of ``variables`` (looked up: a report asks for a few
    places' figures dozens of times, and a mask over the whole reference table cost a millisecond each)."""
    return [(pos, r) for pos, r in reference_rows(ds, geo_code)
            if r["variable"] in variables and r["usable"] is True and not pd.isna(r["value"])]


def _row(ds: Dataset, picked: list[tuple[int, dict]]) -> pd.Series:
    """The reference table's row of the first of ``picked``, as a Series (what the callers read by name)."""
    return ds.reference.iloc[picked[0][0]]


def _vintage_ok(year: int, vintage: str, variable: str) -> bool:
    if variable == "population_census_2020":
        return year == 2020
    if year < 2020:
        return vintage == "census_revised"
    if year == 2020:
        return vintage == "census_revised"
    return vintage in ("census_revised", "reported")


@per_dataset
def population(ds: Dataset, geo_code: str, year: int, rules: Rules = RULES) -> pd.Series:
    """The population figure to divide a ``year`` value by, with ``year``, ``vintage`` and ``source_url``.

    >>> p = population(load(), "320500", 2020)
    >>> (int(p.value), p.vintage)
    (12748262, 'census_2020')
    >>> int(population(load(), "410100", 2021).value)
    12742000
    """
    cand = [(i, r) for i, r in _usable(ds, geo_code, ("population_census_2020", "population_resident_yearend"))
            if _vintage_ok(int(r["year"]), r["vintage"], r["variable"])]
    lo = year - rules.denominator_window
    if year >= 2020:
        lo = max(lo, 2020)
    else:
        cand = [(i, r) for i, r in cand if r["year"] < 2020]
    cand = [(i, r) for i, r in cand if lo <= r["year"] <= year]
    if not cand:
        raise MissingDenominator(
            f"no usable population for {geo_code} in {lo}–{year} (census 2020, or census-revised year-end; "
            "pre-census estimates are not mixed in)")
    # Latest year first, then the census over a census-revised over a reported figure, then by ref_id (stable).
    rank = {"census_2020": 0, "census_revised": 1, "reported": 2}
    return _row(ds, sorted(cand, key=lambda ir: (-ir[1]["year"], rank.get(ir[1]["vintage"], 9), ir[1]["ref_id"])))


@per_dataset
def gdp(ds: Dataset, geo_code: str, year: int, rules: Rules = RULES) -> pd.Series:
    """The usable GDP figure (CNY, current prices) at or up to ``denominator_window`` years before ``year``.

    >>> int(gdp(load(), "360100", 2017).value / 1e8)
    4547
    """
    cand = [(i, r) for i, r in _usable(ds, geo_code, ("gdp",))
            if year - rules.denominator_window <= r["year"] <= year]
    if not cand:
        raise MissingDenominator(f"no usable GDP for {geo_code} in {year - rules.denominator_window}–{year}")
    return _row(ds, sorted(cand, key=lambda ir: (-ir[1]["year"], ir[1]["ref_id"])))


def _refuse_rates(obs: pd.DataFrame | list[dict], what: str) -> None:
    bad = [r for r in (obs if isinstance(obs, list) else obs.to_dict("records")) if is_rate_like(r)]
    if bad:
        r = bad[0]
        raise IncomparableError(
            f"{what} takes counts or amounts; {r.get('indicator')} ({r.get('measure')}, {r.get('unit')}"
            f"{', per ' + str(r.get('per')) if pd.notna(r.get('per')) else ''}) is a rate, share, score or multiple")


def per_capita(ds: Dataset, obs: pd.DataFrame, population_year: int | None = None, rules: Rules = RULES) -> pd.DataFrame:
    """Absolute values → per 10k residents, with the denominator named (series, year, vintage, source).

    Raises :class:`IncomparableError` on rates, shares, scores and multiples, and
    :class:`MissingDenominator` when no population of a usable vintage exists.

    >>> from ipcompare import analysis as A
    >>> zz = A.compare(load(), "high_value_invention_patents", geos=["zhengzhou"])
    >>> round(float(per_capita(load(), zz, population_year=2021).value_per_10k.iloc[0]), 2)
    11.5
    """
    _refuse_rates(obs, "per_capita")
    rows = []
    for r in obs.itertuples(index=False):
        pop = population(ds, r.geo_code, population_year or int(r.year), rules)
        rows.append(dict(value_per_10k=r.value / (pop.value / 1e4), population=pop.value,
                         population_year=int(pop.year), population_vintage=pop.vintage,
                         population_series=pop.variable, population_source=pop.source_url,
                         population_ref=pop.ref_id))
    return pd.concat([obs.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


def intensity(ds: Dataset, row, rules: Rules = RULES) -> dict:
    """One absolute value as an intensity: counts per 10k residents, money per 100亿元 of GDP.

    Returns ``value``, ``per`` (``10k_population`` or ``100m_gdp_x100``), and the denominator's ``series``,
    ``year``, ``vintage``, ``source_url`` and ``ref_id``. Raises :class:`MissingDenominator`.
    """
    rec = row if isinstance(row, dict) else row._asdict() if hasattr(row, "_asdict") else dict(row)
    _refuse_rates([rec], "intensity")  # a list of one record: no DataFrame built per value
    year = int(rec["year"])
    if rec["unit"] in _MONEY:
        d = gdp(ds, rec["geo_code"], year, rules)
        per, scale = "100m_gdp_x100", 1e10
    else:
        d = population(ds, rec["geo_code"], year, rules)
        per, scale = "10k_population", 1e4
    return dict(value=float(rec["value"]) / (float(d.value) / scale), per=per, denominator_series=d.variable,
                denominator_year=int(d.year), denominator_value=float(d.value),
                denominator_vintage=d.vintage, denominator_source=d.source_url, denominator_ref=d.ref_id)
