"""A city profile asks for one city: the per-geography paths give exactly the rows of the all-geographies
results for that city, and the bounded peer search picks the same members as judging every candidate."""

from datetime import date

import pandas as pd
import pytest

from ipcompare import analysis as A
from ipcompare.analysis.comparability import Rules, verdict
from ipcompare.analysis.pool import NATIONAL, candidates, resolved
from ipcompare.progress import progress

CITIES = ["410100", "320500", "360100", "340500", "331082"]  # Zhengzhou, Suzhou, Nanchang, Ma'anshan, Linhai


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values only: frames built from records infer column dtypes from the rows present (a column of None and
    text, of floats and None), so dtypes and the kind of missing value are normalised before comparing."""
    df = df.reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def test_real_cities_are_the_ones_named(ds):
    assert set(CITIES) <= set(ds.geographies.geo_code)


@pytest.mark.parametrize("code", CITIES + [NATIONAL])
def test_consistency_checks_for_one_geo_are_its_rows_of_all(ds, code):
    every = A.consistency_checks(ds)
    mine = every[every.geo_code == code].reset_index(drop=True)
    one = A.consistency_checks(ds, geo=code)
    if mine.empty:
        assert one.empty
    else:
        pd.testing.assert_frame_equal(_plain(one), _plain(mine))


def test_consistency_checks_for_zhengzhou_by_slug(ds):
    """Zhengzhou's implied population (14653 ÷ 11.5 × 10⁴ ≈ 1274万) is found when only Zhengzhou is asked."""
    one = A.consistency_checks(ds, geo="zhengzhou")
    assert set(one.geo_code) == {"410100"}
    assert round(one[one.check == "implied_population"].iloc[0].implied / 1e4) == 1274


@pytest.mark.parametrize("code", CITIES)
def test_progress_for_one_geo_is_its_rows_of_all(ds, code):
    today = date(2026, 12, 1)
    every = progress(ds, today=today)
    mine = every[every.geo_code == code].reset_index(drop=True)
    assert len(mine)
    pd.testing.assert_frame_equal(_plain(progress(ds, geo=code, today=today)), _plain(mine))


def test_candidates_are_the_filtered_rows(ds):
    obs = resolved(ds)
    for (ind, kind), _ in obs.groupby(["indicator", "kind"]):
        pd.testing.assert_frame_equal(candidates(ds, ind, kind), obs[(obs.indicator == ind) & (obs.kind == kind)])
    assert candidates(ds, "no_such_indicator", "target").empty


@pytest.mark.parametrize("max_peers", [1, 2, 3])
@pytest.mark.parametrize("code", CITIES)
def test_bounded_peers_are_the_nearest_comparable(ds, code, max_peers):
    """Against a brute force: judge every other city's row, keep the comparable ones, nearest year then code."""
    rules = Rules(min_peers=1, max_peers=max_peers)
    g = A.gaps(ds, code, "peer_median", rules=rules)
    obs = resolved(ds)
    mine = obs[(obs.geo_code == code) & (obs.kind == "target")].sort_values(["indicator", "measure", "year"])
    others = obs[(obs.geo_code != code) & (obs.geo_code != NATIONAL)]
    assert len(g) == len(mine)
    for (_, r), got in zip(mine.iterrows(), g.itertuples(), strict=True):
        cand = others[(others.kind == r.kind) & (others.indicator == r.indicator)]
        ok = [c for _, c in cand.iterrows() if verdict(r.to_dict(), c.to_dict(), rules).comparable]
        ok.sort(key=lambda c: (abs(int(c.year) - int(r.year)), c.geo_code))
        want = ", ".join(f"{c.geo_name_en} {int(c.year)}" for c in ok[:max_peers])
        assert (got.benchmark_members or "") == want


@pytest.mark.parametrize("min_geos", [2, 3])
def test_comparable_indicators_among_a_city_s_own(ds, min_geos):
    from ipcompare.narrative import comparable_indicators

    every = comparable_indicators(ds, min_geos=min_geos)
    for code in CITIES:
        own = set(ds.observations[ds.observations.geo_code == code].indicator)
        assert comparable_indicators(ds, min_geos=min_geos, among=own) == [i for i in every if i in own]
    assert comparable_indicators(ds, min_geos=min_geos, among=set()) == []
