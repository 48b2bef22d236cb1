"""The comparability model on the real data: each trap a policy reader found in the reports is pinned here
(issue "Honest comparisons"), plus property tests of the rule itself."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcompare import analysis as A
from ipcompare.analysis.comparability import BLOCKING, is_absolute, split_caveats, verdict
from ipcompare.analysis.gaps import point
from ipcompare.analysis.pool import observations, resolve

CITIES = ["zhengzhou", "suzhou", "maanshan", "linhai", "nanchang"]
BENCHMARKS = ["national", "peer_median", "baseline", "suzhou"]


@pytest.fixture(scope="module")
def all_gaps(ds):
    return {(c, b): A.gaps(ds, c, b) for c in CITIES for b in BENCHMARKS}


def test_no_absolute_amount_against_a_national_total(all_gaps):
    """Zhengzhou's 150 overseas grants vs 90,000, ≥7亿 vs 3200亿, Ma'anshan's 75 PCT vs 60,000: only as intensities."""
    for (city, bench), g in all_gaps.items():
        if bench != "national":
            continue
        ok = g[g.comparable]
        absolute = [r for r in ok.to_dict("records") if is_absolute(r)]
        assert not absolute, (city, [r["indicator"] for r in absolute])


def test_zhengzhou_overseas_grants_as_intensity(all_gaps):
    g = all_gaps[("zhengzhou", "national")].set_index("indicator")
    r = g.loc["overseas_invention_patent_grants"]
    assert r.per == "10k_population" and "intensity" in r.caveats
    assert "year-end population" in r.denominator and "http" in r.denominator
    assert r.value == pytest.approx(150 / (13_008_000 / 1e4))
    assert r.gap_relative > -0.99  # not the −99.8 % of a city set against a nation


def test_peer_median_has_three_named_members_within_the_window(all_gaps):
    for (city, bench), g in all_gaps.items():
        if bench != "peer_median":
            continue
        for r in g[g.comparable].itertuples():
            assert r.n_peers >= 3, (city, r.indicator)
            members = r.benchmark_members.split(", ")
            assert len(members) == r.n_peers
            assert all(abs(int(m.rsplit(" ", 1)[1]) - r.year) <= A.RULES.window for m in members)


def test_linhai_guanbiao_not_against_nanchang_2017_alone(all_gaps):
    """Linhai's 贯标 enterprises were set against Nanchang's 2017 target alone (+900 %)."""
    g = all_gaps[("linhai", "peer_median")]
    assert not g[g.comparable].indicator.str.contains("standard|guanbiao|gb_t").any()
    assert (g[~g.comparable].n_peers < 3).all()


def test_peer_median_dates_a_mixed_set_as_a_range(all_gaps):
    g = all_gaps[("suzhou", "peer_median")].set_index("indicator")
    r = g.loc["high_value_invention_patents_per_10k"]
    assert r.benchmark_years == "2025–2026" and "years_differ" in r.caveats
    assert r.benchmark_value == 15.0 and r.n_peers == 3  # Zhengzhou 11.5, Linhai 15, Maanshan 19


def test_ranges_enter_at_their_midpoint(ds):
    obs = observations(ds)
    r = obs[(obs.comparator == "range") & obs.value_high.notna()].iloc[0]
    assert point(r.to_dict()) == (r.value + r.value_high) / 2


def test_no_comparable_pair_further_apart_than_the_window(all_gaps):
    for (city, bench), g in all_gaps.items():
        if bench == "baseline":
            continue
        ok = g[g.comparable & g.benchmark_year.notna()]
        assert ((ok.year - ok.benchmark_year).abs() <= A.RULES.window).all(), city


def test_compare_respects_period_length_and_era(ds):
    """China's 2020 targets do not stand beside 2025 city targets; totals over periods of different length differ."""
    for ind in ds.observations.indicator.unique():
        c = A.compare(ds, ind, side_by_side=True)
        ok = c[c.comparable]
        if len(ok) > 1:
            assert ok.year.max() - ok.year.min() <= A.RULES.window, ind
            lengths = (ok.period_end - ok.period_start).dropna().unique()
            assert len(lengths) <= 1 or not set(ok.measure) & {"cumulative", "new_in_period"}, ind


def test_conflicting_mentions_resolved_by_rule_not_row_order(ds, all_gaps):
    """Zhengzhou: 15家以上 in the headline, 10家以上 in the tasks — one picked by the documented rule, the other a caveat."""
    g = all_gaps[("zhengzhou", "suzhou")]
    r = g[g.indicator == "high_value_patent_coaching_institutions"].iloc[0]
    assert r.value == 10 and "conflicting_mentions" in r.caveats
    rs = resolve(ds, observations(ds))
    row = rs[rs.indicator == "high_value_patent_coaching_institutions"].iloc[0]
    assert row.other_values == "15家以上"


def test_per_capita_refuses_rates_shares_scores_multiples(ds):
    for ind, kind in [("ip_protection_satisfaction", "target"), ("patent_intensive_industry_gdp_share", "target"),
                      ("invention_patents_per_10k_vs_national", "baseline")]:
        rows = A.compare(ds, ind, kind=kind, side_by_side=True)
        with pytest.raises(A.IncomparableError, match="rate, share, score or multiple"):
            A.per_capita(ds, rows)


def test_suzhou_2020_population_is_the_census(ds):
    """The 2019 pre-census 1075万 is 18.6 % too high a denominator for 2020 figures; the census counted 1274.8万."""
    p = A.population(ds, "320500", 2020)
    assert p.value == 12_748_262 and p.vintage == "census_2020"


def test_pre_census_never_mixed_in(ds):
    for geo in ["410100", "320500", "360100", "340500", "331082"]:
        for year in range(2014, 2027):
            try:
                p = A.population(ds, geo, year)
            except A.MissingDenominator:
                continue
            assert p.vintage != "pre_census"
            assert (year >= 2020) == (int(p.year) >= 2020), (geo, year)


def test_align_year_does_not_pair_a_target_with_a_later_actual(ds):
    """China 13.3 (2019) → 12 (2020) gave −9.8 %/yr and 7.18 in 2025: a later actual is not a baseline."""
    a = A.align_year(ds, "invention_patents_per_10k", 2025)
    for r in a.itertuples():
        assert r.baseline_year < r.target_year
        assert pd.isna(r.aligned_value) or r.baseline_year <= 2025 <= r.target_year
    china = a[a.geo_code == "100000"]
    assert china.empty or (china.required_growth.dropna() > 0).all()


def test_linhai_implied_population_check(ds):
    chk = A.consistency_checks(ds)
    r = chk[(chk.check == "implied_population") & (chk.geo_code == "331082")].iloc[0]
    assert r.implied == pytest.approx(2835 / 26.9 * 1e4)
    assert r.reference == 1_114_146 and r.deviation == pytest.approx(2835 / 26.9 * 1e4 / 1_114_146 - 1)
    assert "105.4万" in r.sentence_zh and "111.4万" in r.sentence_zh


def test_national_year_end_beats_mid_year(ds):
    nb = A.national_benchmarks(ds)
    r = nb[(nb.indicator == "high_value_invention_patents_per_10k") & (nb.kind == "baseline") & (nb.year == 2025)]
    assert len(r) == 1 and r.value.iloc[0] == 16.0


_row = st.fixed_dictionaries({
    "indicator": st.sampled_from(["a", "b"]),
    "measure": st.sampled_from(["stock", "annual", "cumulative", "share", "score", "growth_rate"]),
    "per": st.sampled_from([None, "10k_population"]),
    "unit": st.sampled_from(["item", "CNY", "percent", "points"]),
    "level": st.sampled_from(["prefecture", "county-level city", "national"]),
    "year": st.integers(2015, 2030),
    "period_start": st.sampled_from([None, 2016, 2021, 2024]),
    "period_end": st.sampled_from([None, 2020, 2025, 2026]),
    "value": st.floats(0, 1e9),
    "commitment": st.sampled_from(["firm", "aspirational"]),
    "comparator": st.sampled_from(["=", ">=", "range", "~"]),
    "flags": st.sampled_from(["", "ambiguous_measure", "conflict"]),
})


@given(_row, _row)
def test_verdict_is_symmetric(a, b):
    va, vb = verdict(a, b), verdict(b, a)
    assert va.comparable == vb.comparable and set(va.caveats) == set(vb.caveats)


@given(_row, _row)
def test_never_comparable_across_basis_or_level_for_absolute(a, b):
    v = verdict(a, b)
    if any(a[k] != b[k] for k in ("measure", "per", "unit")):
        assert not v.comparable
    if (is_absolute(a) or is_absolute(b)) and a["level"] != b["level"]:
        assert not v.comparable
    assert v.comparable == (not set(v.caveats) & BLOCKING)
    assert set(split_caveats(v.text)) == set(v.caveats)


def _largest_group_by_definition(rows, rules):
    """The definition (every anchor, every pair, cubic): the oracle for the indexed _largest_group."""
    from ipcompare.analysis.comparability import verdict

    best, best_set = (), set()
    for i, anchor in enumerate(rows):
        group = {j for j, r in enumerate(rows)
                 if anchor["year"] <= r["year"] <= anchor["year"] + rules.window and verdict(anchor, r, rules).comparable}
        group = {j for j in group if all(verdict(rows[j], rows[k], rules).comparable for k in group)}
        key = (len(group), anchor["year"], -i)
        if i in group and key > best:
            best, best_set = key, group
    return best_set


_ROW = st.fixed_dictionaries({
    "indicator": st.just("x"),
    "measure": st.sampled_from(["stock", "annual", "cumulative", "new_in_period", "share"]),
    "per": st.sampled_from([None, "10k_population"]),
    "unit": st.sampled_from(["count", "cny", "percent"]),
    "period_start": st.sampled_from([None, 2021, 2022]),
    "period_end": st.sampled_from([None, 2025, 2026]),
    "level": st.sampled_from(["prefecture", "national", "county-level city"]),
    "value": st.sampled_from([1.0, 2.0, float("nan"), None]),
    "year": st.sampled_from([2015, 2017, 2020, 2021, 2023, 2025, 2026, 2030]),
    "flags": st.sampled_from(["", "ambiguous_measure"]),
    "commitment": st.sampled_from(["firm", "aspirational"]),
    "comparator": st.just("="),
})


@given(st.lists(_ROW, max_size=10))
def test_largest_group_matches_its_definition(rows):
    """compare()'s group search, indexed by basis for national-scale corpora, picks what the definition picks."""
    import sys

    from ipcompare.analysis.comparability import RULES

    compare_module = sys.modules["ipcompare.analysis.compare"]
    assert compare_module._largest_group(rows, RULES) == _largest_group_by_definition(rows, RULES)


def test_resolve_hands_row_caveats_every_field_it_reads():
    # resolve converts only pool._CAVEAT_FIELDS to dicts for row_caveats (speed); a field row_caveats reads
    # beyond them would silently lose its caveat.
    from ipcompare.analysis import pool
    from ipcompare.analysis.comparability import row_caveats

    class Recorder(dict):
        seen: set = set()

        def get(self, key, default=None):
            Recorder.seen.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            Recorder.seen.add(key)
            return super().__getitem__(key)

    row_caveats(Recorder(flags="conflict;mid_year;ambiguous_measure", commitment="aspirational",
                         comparator="range", month=6))
    assert Recorder.seen <= set(pool._CAVEAT_FIELDS)
