"""Analysis results kept per loaded dataset (ipcompare.analysis.memo) and the dict look-ups of Dataset."""

from __future__ import annotations

import dataclasses

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
