"""What a report says first and what it leaves out (ipcompare.findings), on the real data."""

from ipcompare import analysis as A
from ipcompare import findings as F
from ipcompare import narrative as N


def test_an_ambiguous_value_is_never_shown_without_its_caveat(ds):
    """Ma'anshan's 突破25亿元 is annual only by the curator's reading: the finding, the comparison row and the
    table footnote all say so (it was charted beside Zhengzhou's explicit 年度 7亿 without a word)."""
    zh = F.summary(ds, "maanshan", "zh")
    line = next(x for x in zh.splitlines() if "知识产权质押融资金额" in x)
    assert "原文未明示为存量、年度或累计" in line
    c = A.compare(ds, "ip_pledge_financing", side_by_side=True).set_index("geo_name_en")
    assert "ambiguous_measure" in c.loc["Maanshan", "caveats"]
    fn = N.Footnotes("zh")
    N.targets_table(ds, "maanshan", "zh", kind="target", notes=fn)
    assert "ambiguous_measure" in fn.codes


def test_every_target_is_compared_or_listed_with_a_reason(ds):
    for city in ["zhengzhou", "suzhou", "maanshan", "linhai", "nanchang"]:
        code = str(ds.geo(city)["geo_code"])
        targets = ds.observations[(ds.observations.geo_code == code) & (ds.observations.kind == "target")]
        nat, peer = A.gaps(ds, code, "national"), A.gaps(ds, code, "peer_median")
        compared = set(nat[nat.comparable].indicator) | set(peer[peer.comparable].indicator)
        nc = F.not_compared(ds, code, "en")
        assert len(nc) == int((~targets.indicator.isin(compared)).sum()), city
        assert nc["Why not compared"].str.len().gt(0).all(), city


def test_profile_tables_say_the_measure(ds):
    """Suzhou's "专利授权量 7.58%" was a growth rate shown as a level, "40.25万件" a 2016–2020 total shown as 2020."""
    t = N.targets_table(ds, "suzhou", "zh")
    measures = set(t["口径"])
    assert "2016–2020年新增" in measures or "2016–2020年累计" in measures
    assert any(m.endswith("增速") for m in measures)
    assert "百分点变化" in measures
    # …and the unit in words, not the code: "3.71个百分点", never "3.71percentage_point".
    assert "3.71个百分点" in set(t["数值"])
    assert "3.71 pct points" in set(N.targets_table(ds, "suzhou", "en")["Value"])


def test_nanchang_is_said_to_be_of_another_era(ds):
    assert "2015–2017" in F.summary(ds, "nanchang", "zh").splitlines()[0]


def test_inferred_attribution_is_shown_with_its_evidence(ds):
    note = F.attribution_note(ds, "maanshan", "zh")
    assert note.startswith("**归属为推定。**") and "当涂县" in note and "含山县" in note
    assert F.attribution_note(ds, "suzhou", "zh") == ""


def test_profile_comparisons_are_bounded(ds):
    for ind, cmp in F.profile_comparisons(ds, "suzhou"):
        assert cmp.comparable.all()
        assert cmp.geo_code.nunique() <= A.RULES.max_peers + 2, ind  # the city, its peers, the nation


def _comparison(ds, rows):
    """A profile comparison frame (comparable rows of compare()) from (geo_code, value, value_high, year, caveats)."""
    import pandas as pd

    base = A.compare(ds, "high_value_invention_patents_per_10k", side_by_side=True)
    base = base[base.comparable]
    proto = base.iloc[0]
    out = pd.DataFrame([{**proto.to_dict(), "geo_code": g, "value": v, "value_high": hi, "year": y, "caveats": cv}
                        for g, v, hi, y, cv in rows])
    return out


def test_charts_are_bounded_and_the_headline_is_drawn_first(ds):
    pairs = [(f"ind{i}", None) for i in range(7)] + [(F.HEADLINE, None)]
    drawn, rest = F.charted_comparisons(pairs)
    assert [i for i, _ in drawn] == [F.HEADLINE, "ind0", "ind1", "ind2"] and len(drawn) == F.MAX_PROFILE_CHARTS
    assert [i for i, _ in rest] == ["ind3", "ind4", "ind5", "ind6"]
    assert F.charted_comparisons(pairs[:2]) == (pairs[:2], [])


def test_comparisons_table_states_city_nation_and_peers(ds):
    # Zhengzhou 11.5 per 10k against peers 15, 19, 32 and a 25–35 range (its midpoint, 30, as gaps() uses) and
    # the nation's 12: the median of 15, 19, 30, 32 is 24.5.
    cmp = _comparison(ds, [("410100", 11.5, None, 2025, ""), ("320500", 32.0, None, 2025, ""),
                           ("340500", 19.0, None, 2026, "aspirational"), ("331082", 15.0, None, 2025, ""),
                           ("360100", 25.0, 35.0, 2025, ""), ("100000", 12.0, None, 2025, "")])
    fn = N.Footnotes("zh")
    t = N.comparisons_table(ds, [("high_value_invention_patents_per_10k", cmp)], "zhengzhou", "zh", notes=fn)
    assert list(t.columns) == ["指标", "口径", "郑州市", "全国", "可比城市"]
    row = t.iloc[0]
    assert row["郑州市"].startswith("11.5件/万人 (2025)") and row["全国"] == "12件/万人 (2025)"
    assert row["可比城市"].startswith("中位数 24.5件/万人（4个，15件/万人–32件/万人，2025–2026年）")
    assert row["可比城市"].endswith("¹") and "力争" in fn.markdown()  # a peer's hedged target is marked
    same = _comparison(ds, [("410100", 11.5, None, 2025, ""), ("320500", 20.0, None, 2025, ""),
                            ("331082", 20.0, None, 2025, "")])
    row = N.comparisons_table(ds, [("high_value_invention_patents_per_10k", same)], "zhengzhou", "en").iloc[0]
    assert row["Comparable cities"] == "all 20 per 10k people (2; 2025)" and row["China"] == "—"
