"""The analysis library on the real dataset: like-with-like refusal, per capita, growth, checks, coverage."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from oracles import as_records  # tests/oracles.py

from ipcompare import analysis as A


def test_compare_refuses_incomparable(ds):
    """Pledge financing is annual in most plans and a five-year total in Suzhou's: refused, with what differs."""
    with pytest.raises(A.IncomparableError, match="measure_differs"):
        A.compare(ds, "ip_pledge_financing")
    both = A.compare(ds, "ip_pledge_financing", side_by_side=True)
    assert not both.comparable.all() and both.comparable.any()


def test_compare_refuses_score_vs_percent(ds):
    """Satisfaction in 分 (Suzhou, Zhengzhou) and in % (Ma'anshan) are flagged, not silently compared."""
    with pytest.raises(A.IncomparableError, match="unit_differs"):
        A.compare(ds, "ip_protection_satisfaction")


def test_compare_high_value_per_10k(ds):
    c = A.compare(ds, "high_value_invention_patents_per_10k").set_index("geo_name_en")
    assert c.loc["Zhengzhou", "value"] == 11.5 and c.loc["China", "value"] == 12
    assert c.loc["Maanshan", "commitment"] == "aspirational" and c.loc["Maanshan", "year"] == 2026
    assert set(c.measure) == {"stock"} and set(c.per) == {"10k_population"}


def test_per_capita_with_known_population(ds):
    zz = A.compare(ds, "high_value_invention_patents", geos=["zhengzhou"])
    pc = A.per_capita(ds, zz, population_year=2021)
    row = pc.iloc[0]
    assert row.population == 12_742_000 and row.population_year == 2021
    assert row.population_vintage == "census_revised" and row.population_source.startswith("http")
    assert row.value_per_10k == pytest.approx(14653 / 1274.2)


def test_per_capita_refuses_rates(ds):
    with pytest.raises(A.IncomparableError):
        A.per_capita(ds, A.compare(ds, "high_value_invention_patents_per_10k"))


def test_population_skips_suspect_rows(ds):
    """Zhengzhou 2024 rows are SUSPECT / LOW-QUALITY, so 2025 falls back to 2023 (within the window)."""
    pop = A.population(ds, "410100", 2025)
    assert int(pop.year) == 2023 and pop.value == 13_008_000


def test_zhengzhou_implied_population(ds):
    chk = A.consistency_checks(ds)
    row = chk[(chk.check == "implied_population") & (chk.geo_code == "410100")].iloc[0]
    assert row.implied == pytest.approx(14653 / 11.5 * 1e4)
    assert round(row.implied / 1e4) == 1274
    assert abs(row.deviation) < 0.05 and row.ok


@given(st.floats(0.01, 1e9), st.integers(1990, 2040), st.floats(0.01, 1e9), st.integers(1, 20))
def test_required_growth_inverse(baseline, year, target, span):
    # Plans' targets lie within three orders of magnitude of their baselines; beyond that, 1 + rate loses
    # the precision a round trip needs.
    assume(1e-3 <= target / baseline <= 1e3)
    rate = A.required_growth(baseline, year, target, year + span)
    assert A.project(baseline, year, rate, year + span) == pytest.approx(target, rel=1e-9)


@given(st.floats(0.01, 1e6), st.floats(-0.5, 1.0), st.integers(1, 15))
def test_project_then_required_growth(value, rate, span):
    target = A.project(value, 2020, rate, 2020 + span)
    assert A.required_growth(value, 2020, target, 2020 + span) == pytest.approx(rate, abs=1e-9)


def test_required_growth_rejects_bad_spans():
    with pytest.raises(ValueError):
        A.required_growth(1, 2025, 2, 2020)
    with pytest.raises(ValueError):
        A.required_growth(0, 2020, 2, 2025)


def test_linhai_growth_from_baseline(ds):
    g = A.gaps(ds, "linhai", "baseline").set_index("indicator")
    r = g.loc["invention_patents_in_force"]
    assert (r.benchmark_value, r.benchmark_year, r.value, r.year) == (2835, 2020, 3690, 2025)
    assert r.required_growth == pytest.approx((3690 / 2835) ** (1 / 5) - 1)


def test_gaps_national(ds):
    g = A.gaps(ds, "suzhou", "national").set_index("indicator")
    r = g.loc["high_value_invention_patents_per_10k"]
    assert r.comparable and r.caveats == ""
    assert (r.value, r.benchmark_value, r.benchmark_year) == (32, 12, 2025)
    assert r.gap_relative == pytest.approx(32 / 12 - 1) and not r.modelled


def test_align_year_is_labelled_modelled(ds):
    a = A.align_year(ds, "high_value_invention_patents_per_10k", 2024, method="linear")
    assert a.modelled.all() and set(a.method) == {"linear"} and a.caveats.str.contains("modelled").all()
    with pytest.raises(ValueError):
        A.align_year(ds, "high_value_invention_patents_per_10k", 2024, method="magic")


def test_coverage_on_real_data(ds):
    cov = A.coverage(ds, ["high_value_invention_patents_per_10k", "ip_pledge_financing"])
    assert cov.loc["high_value_invention_patents_per_10k", "Zhengzhou"] == "target"
    assert cov.loc["high_value_invention_patents_per_10k", "China"] == "both"
    assert cov.loc["ip_pledge_financing", "Nanchang"] == "target"  # its growth-rate target counts
    assert A.coverage(ds, ["ip_protection_satisfaction"]).loc["ip_protection_satisfaction", "Nanchang"] == ""
    assert set(cov.values.ravel()) <= {"", "target", "baseline", "both"}


def test_unknown_codes_raise(ds):
    with pytest.raises(KeyError, match="unknown indicator"):
        A.compare(ds, "no_such_indicator")
    with pytest.raises(KeyError, match="unknown geography"):
        A.gaps(ds, "atlantis")
    with pytest.raises(ValueError, match="unknown kind 'tagret'; valid: target, baseline"):
        A.compare(ds, "high_value_invention_patents_per_10k", kind="tagret")
    with pytest.raises(KeyError, match="unknown indicator"):
        A.coverage(ds, ["no_such_indicator"])
    assert not math.isnan(A.required_growth(1, 2020, 2, 2021))


def test_population_of_a_city_without_reference_rows_is_missing_not_a_crash():
    """A newly added city with no population in the reference table: MissingDenominator, not AttributeError."""
    import dataclasses

    from ipcompare.analysis.denominators import MissingDenominator, population
    from ipcompare.dataset import load

    ds = load()
    ds = dataclasses.replace(ds, reference=ds.reference[ds.reference.geo_code != "410100"])
    with pytest.raises(MissingDenominator, match="410100"):
        population(ds, "410100", 2021)


def test_records_are_the_candidate_rows_as_a_row_series_holds_them(ds):
    """pool.records (built from column lists) gives, for every indicator and kind, exactly the values and types
    of the candidate frame's rows (pd.NA kept, native numbers), in their order."""
    from ipcompare.analysis import pool

    frame = pool.resolved(ds)
    keys = set(zip(frame.indicator, frame.kind, strict=True))
    for ind, kind in sorted(keys):
        want = as_records(pool.candidates(ds, ind, kind))
        got = pool.records(ds, ind, kind)
        assert [{k: (type(v), repr(v)) for k, v in r.items()} for r in got] == \
               [{k: (type(v), repr(v)) for k, v in r.items()} for r in want]
    assert pool.records(ds, "high_value_invention_patents_per_10k", "baseline") is \
        pool.records(ds, "high_value_invention_patents_per_10k", "baseline")  # made once


def test_comparable_geos_counts_what_compare_marks_comparable(ds):
    """The headline filter's count (no frame built) equals compare()'s comparable geographies, every indicator."""
    from ipcompare.analysis.compare import comparable_geos
    from ipcompare.analysis.pool import resolved

    frame = resolved(ds)
    for ind, kind in sorted(set(zip(frame.indicator, frame.kind, strict=True))):
        c = A.compare(ds, ind, kind=kind, side_by_side=True)
        assert comparable_geos(ds, ind, kind) == c[c.comparable].geo_code.nunique(), (ind, kind)


def test_coverage_of_chosen_geographies(ds):
    """A comparison's coverage has the chosen places' columns only, in code order, by any of their keys."""
    cov = A.coverage(ds, ["high_value_invention_patents_per_10k", "ip_pledge_financing"], geos=["临海", "suzhou", "China"])
    assert list(cov.columns) == ["China", "Suzhou", "Linhai"]
    full = A.coverage(ds, ["high_value_invention_patents_per_10k", "ip_pledge_financing"])
    assert cov.equals(full.loc[cov.index, cov.columns])
    with pytest.raises(KeyError, match="unknown geography 'atlantis'"):
        A.coverage(ds, geos=["atlantis"])


def test_coverage_keeps_two_places_of_one_name_apart(ds):
    """苏州 and 宿州 are both "Suzhou" in English: their coverage must stay two columns, each with its own kinds,
    told apart by code (they were grouped by English name, and 宿州's baseline made 苏州 read "both")."""
    import dataclasses

    import pandas as pd

    geos, obs = ds.geographies.copy(), ds.observations.copy()
    suzhou_ah = geos[geos.slug == "suzhou"].assign(geo_code="341300", slug="suzhou_ah", name_zh="宿州市")
    ind = "high_value_invention_patents_per_10k"
    base = obs[(obs.geo_code == "320500") & (obs.indicator == ind) & (obs.kind == "target")].iloc[:1]
    base = base.assign(geo_code="341300", kind="baseline", geo_name_zh="宿州市")
    ds2 = dataclasses.replace(ds, geographies=pd.concat([geos, suzhou_ah], ignore_index=True),
                              observations=pd.concat([obs, base], ignore_index=True))
    cov = A.coverage(ds2, [ind], geos=["苏州", "宿州"])
    assert cov.loc[ind].to_dict() == {"Suzhou (320500)": "target", "Suzhou (341300)": "baseline"}
    assert list(A.coverage(ds2, [ind], geos=["苏州", "宿州"], label="name_zh").columns) == ["苏州市", "宿州市"]
