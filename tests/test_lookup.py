"""Rows looked up instead of filtered (ipcompare/analysis/lookup.py) are the rows the filters gave, in their order."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import as_records  # tests/oracles.py

from ipcompare.analysis import lookup, pool


def test_geo_records_are_the_masked_rows_of_every_geography_with_their_values(ds):
    frame = pool.resolved(ds)
    for code in [*ds.geographies.geo_code.astype(str), "999999"]:
        expected = as_records(frame[frame.geo_code == code])
        got = lookup.geo_records(ds, code)
        # Keys, values and their types (reprs: NaN is not equal to itself).
        assert [[(k, repr(v), type(v)) for k, v in r.items()] for r in got] == \
               [[(k, repr(v), type(v)) for k, v in r.items()] for r in expected]


def test_reference_rows_point_at_the_places_rows_in_order(ds):
    ref = ds.reference
    for code in ref.geo_code.unique():
        rows = lookup.reference_rows(ds, str(code))
        assert [pos for pos, _ in rows] == [i for i, g in enumerate(ref.geo_code) if g == code]
        assert all(ref.iloc[pos].ref_id == r["ref_id"] and ref.iloc[pos].variable == r["variable"] for pos, r in rows)


def test_an_index_is_rebuilt_for_another_dataset(ds):
    import ipcompare

    other = ipcompare.load()
    assert lookup.geo_records(other, "320500") == lookup.geo_records(ds, "320500")
    assert lookup.geo_records(other, "320500") is not lookup.geo_records(ds, "320500")


_names = st.one_of(st.none(), st.sampled_from(["苏州", "郑州", "临海", "a", "B", "", "知识产权"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"indicator": _names.filter(lambda x: x is not None),
                                       "measure": _names, "year": st.integers(2015, 2035), "n": st.integers()}),
                max_size=25))
def test_sort_records_orders_as_pandas_sort_values(recs):
    keys = ["indicator", "measure", "year"]
    frame = pd.DataFrame(recs, columns=[*keys, "n"]).astype({"measure": object})
    expected = frame.sort_values(keys).to_dict("records") if recs else []
    got = lookup.sort_records(recs, keys)
    assert [(r["indicator"], r["measure"], r["year"], r["n"]) for r in got] == \
           [(r["indicator"], None if pd.isna(r["measure"]) else r["measure"], r["year"], r["n"]) for r in expected]



@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"geo_code": st.sampled_from(["410100", "320500", "100000"]),
                                       "indicator": _names, "n": st.integers()}), max_size=25))
def test_group_by_gives_the_groups_pandas_gives_in_first_seen_order(recs):
    from operator import itemgetter

    got = lookup.group_by(recs, itemgetter("geo_code", "indicator"))
    frame = pd.DataFrame(recs, columns=["geo_code", "indicator", "n"]).astype({"indicator": object})
    expected = frame.groupby(["geo_code", "indicator"], sort=False, dropna=False).indices if recs else {}
    # The same members (the records themselves, in their order) in the same order of groups.
    assert [[r["n"] for r in group] for group in got.values()] == \
           [[recs[i]["n"] for i in positions] for positions in expected.values()]
    assert all(r["geo_code"] == g and r["indicator"] == i for (g, i), group in got.items() for r in group)


def test_group_by_keeps_chinese_and_missing_keys_apart():
    recs = [{"k": "苏州"}, {"k": None}, {"k": "苏州市"}, {"k": "苏州"}, {"k": ""}, {"k": None}]
    got = lookup.group_by(recs, lambda r: r["k"])
    assert list(got) == ["苏州", None, "苏州市", ""]
    assert [len(v) for v in got.values()] == [2, 2, 1, 1] and got["苏州"][1] is recs[3]
