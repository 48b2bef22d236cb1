"""Analysis results kept per loaded dataset (ipcompare.analysis.memo) and the dict look-ups of Dataset."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import ipcompare
from ipcompare import analysis as A


@pytest.fixture(scope="module")
def ds():
    return ipcompare.load()


def test_a_kept_result_is_handed_out_as_a_copy(ds):
    first = A.gaps(ds, "suzhou", "national")
    first["value"] = -1.0
    again = A.gaps(ds, "suzhou", "national")
    assert (again.value != -1.0).any()


def test_another_dataset_is_computed_afresh(ds):
    before = A.gaps(ds, "suzhou", "national")
    assert len(before) > 0
    obs = ds.observations[ds.observations.geo_code != "320500"]
    other = dataclasses.replace(ds, observations=obs, statements=ds.statements)
    assert A.gaps(other, "suzhou", "national").empty
    assert A.compare(other, "high_value_invention_patents_per_10k").geo_code.tolist().count("320500") == 0
    assert len(A.gaps(ds, "suzhou", "national")) == len(before)


def test_geography_and_indicator_lookups(ds):
    codes = {str(ds.geo(k)["geo_code"]) for k in ("苏州", "苏州市", "SUZHOU", "suzhou", "Suzhou", "320500")}
    assert codes == {"320500"}
    assert ds.geo_label("410100", "en") == "Zhengzhou" and ds.label("patent_applications", "zh") == "专利申请量"
    with pytest.raises(KeyError, match="unknown geography"):
        ds.geo("北京")
    with pytest.raises(KeyError, match="unknown indicator"):
        ds.indicator("patent_aplications")


def test_a_city_is_rated_once_whether_named_by_slug_or_code(monkeypatch):
    """A city profile asks for its city's progress by slug (progress section) and by code (first-page finding)."""
    from datetime import date

    import ipcompare.progress as PG

    fresh = ipcompare.load()
    calls = []
    rate = PG._rate
    monkeypatch.setattr(PG, "_rate", lambda *a, **kw: calls.append(1) or rate(*a, **kw))
    day = date(2026, 12, 1)
    by_slug = PG.progress(fresh, geo="zhengzhou", today=day)
    n = len(calls)
    assert n == len(by_slug) > 0
    by_code = A.progress(fresh, geo="410100", today=day)
    assert len(calls) == n  # the kept result, as a copy
    assert by_code.equals(by_slug) and by_code is not by_slug
    PG.progress(fresh, geo="zhengzhou", today=date(2027, 6, 30))
    assert len(calls) == 2 * n  # another rating date is another result


def test_defaults_given_or_not_and_slug_or_code_are_one_result(monkeypatch):
    """baseline_pairs(ds, code) (findings) and baseline_pairs(ds, code, rules) (gaps) were computed twice, and so
    were the checks asked for by slug and by code."""
    import ipcompare.analysis.checks as C
    import ipcompare.analysis.growth as G

    fresh = ipcompare.load()
    calls = []
    pop, rows = C._pop, G.geo_records  # baseline_pairs of one geography reads its rows once per computation
    monkeypatch.setattr(C, "_pop", lambda *a: calls.append("checks") or pop(*a))
    monkeypatch.setattr(G, "geo_records", lambda *a, **kw: calls.append("pairs") or rows(*a, **kw))
    first = A.baseline_pairs(fresh, "410100")
    again = A.baseline_pairs(fresh, "410100", A.RULES)
    assert calls.count("pairs") == 1 and again.equals(first)
    by_slug = A.consistency_checks(fresh, geo="zhengzhou")
    n = calls.count("checks")
    assert n > 0  # Zhengzhou's 14653 patents and 11.5 per 10k imply a population, checked against the reference
    assert A.consistency_checks(fresh, geo="410100").equals(by_slug) and calls.count("checks") == n


def test_national_benchmarks_are_kept_once_and_each_caller_gets_a_copy(ds):
    """The national rows are computed once per dataset (reports and the checks read them many times); a caller
    that modifies its frame must not change what the next caller, or the resolved rows, see."""
    from ipcompare.analysis import pool

    kept = pool.national_rows(ds)
    assert pool.national_rows(ds) is kept
    expected = kept.copy()
    mine = A.national_benchmarks(ds)
    assert mine is not kept
    pd.testing.assert_frame_equal(mine, expected)
    mine["value"] = -1.0
    mine.loc[0, "indicator"] = "changed"
    pd.testing.assert_frame_equal(A.national_benchmarks(ds), expected)
    pd.testing.assert_frame_equal(pool.national_rows(ds), expected)
    national = pool.observations(ds).query("geo_code == @pool.NATIONAL").reset_index(drop=True)
    assert (national.value != -1.0).all() and "changed" not in set(national.indicator)
