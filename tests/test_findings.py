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



def test_profile_draws_at_most_a_few_charts_and_tabulates_the_rest(ds):
    # The real cities have at most 4 comparisons: all drawn, as profile_comparisons builds them, headline first.
    for city in ("zhengzhou", "suzhou", "nanchang", "maanshan", "linhai"):
        drawn, rest = F.profile_comparison_plan(ds, city)
        assert rest.empty, city
        every = F.profile_comparisons(ds, city)
        assert [i for i, _ in drawn] == sorted([i for i, _ in every], key=lambda i: i != F.HEADLINE)
    drawn, rest = F.profile_comparison_plan(ds, "suzhou", limit=1)
    assert [i for i, _ in drawn] == [F.HEADLINE]
    assert set(rest.indicator) == {i for i, _ in F.profile_comparisons(ds, "suzhou")} - {F.HEADLINE}
    assert rest.comparable.all() and not rest.caveats.fillna("").str.contains("intensity").any()


def test_comparisons_table_states_city_nation_and_peer_median(ds):
    # Suzhou's 32 per 10k (2025) against the nation's 12 and the median of Ma'anshan ≥19 (2026), Linhai 15 and
    # Zhengzhou 11.5 (2025): 15, three cities, 2025–2026.
    _, rest = F.profile_comparison_plan(ds, "suzhou", limit=0)
    fn = N.Footnotes("zh")
    t = N.comparisons_table(ds, rest, "zh", notes=fn)
    assert list(t.columns) == ["指标", "口径", "目标值", "全国", "可比城市中位数"]
    row = t.set_index("指标").loc["每万人口高价值发明专利拥有量"]
    assert row["口径"] == "存量" and row["目标值"] == "32件/万人 (2025)" and row["全国"] == "12件/万人 (2025)"
    assert row["可比城市中位数"].startswith("15件/万人（3个城市，2025–2026年）")
    assert "力争" in fn.markdown()  # Ma'anshan's hedged target is marked on the median it enters
    assert len(t) == rest.drop_duplicates(["indicator", "measure", "year"]).shape[0]
    en = N.comparisons_table(ds, rest, "en").set_index("Indicator")
    assert en.loc["High-value invention patents in force per 10k population", "Peer median"].startswith(
        "15 per 10k people (3 cities, 2025–2026)")


def test_not_compared_gives_reasons_about_the_chosen_benchmark(ds):
    # A Linhai-vs-Suzhou gap report said "fewer than 3 comparable peers: no median" — a reason about peers the
    # reader never asked for.
    vs_suzhou = F.not_compared(ds, "linhai", "en", benchmarks=("suzhou",))
    reasons = " ".join(vs_suzhou["Why not compared"])
    assert "peers" not in reasons and "no benchmark value" in reasons
    # the profile's default still asks the nation and the peers
    assert "peers" in " ".join(F.not_compared(ds, "linhai", "en")["Why not compared"])


def test_gap_text_names_another_city_in_the_reports_language(ds):
    # "临海市不高于Suzhou" and "Of 1 comparable indicators": the benchmark city came in its English label.
    zh = N.gaps_text(ds, A.gaps(ds, "linhai", "suzhou"), "linhai", "zh")
    assert "苏州市" in zh and "Suzhou" not in zh
    en = N.gaps_text(ds, A.gaps(ds, "linhai", "suzhou"), "linhai", "en")
    assert en.startswith("On the one comparable indicator") and "Suzhou" in en


def test_zh_tables_name_benchmark_places_in_chinese(ds):
    # The zh gap table said "比较对象: Suzhou 2025, Linhai 2025, Zhengzhou 2025" and "China".
    peers = N.gaps_table(ds, A.gaps(ds, "maanshan", "peer_median"), "zh")["比较对象"].iloc[0]
    assert peers == "苏州市 2025、临海市 2025、郑州市 2025（3个）"
    assert set(N.gaps_table(ds, A.gaps(ds, "zhengzhou", "national"), "zh")["比较对象"]) == {"中国"}
    assert N.members_text(ds, "Suzhou 2025, Linhai 2025", "en") == "Suzhou 2025, Linhai 2025"
    assert N.members_text(ds, "Atlantis 2025", "zh") == "Atlantis 2025"  # unknown names shown as written


def test_every_caveat_mark_prints_in_the_report_font():
    """Noto Sans SC has superscripts ¹–⁴ but not ⁵–⁹: a table or chart with five or more distinct caveats would
    print its fifth mark as a missing glyph; marks from the fifth on are written [5], [6], …"""
    from fontTools.ttLib import TTFont

    from ipcompare.analysis.comparability import CAVEATS
    from ipcompare.report.fonts import core_path

    cmap = TTFont(str(core_path()), lazy=True).getBestCmap()
    fn = N.Footnotes("zh")
    marks = fn.mark(";".join(list(CAVEATS)[:9]))
    assert len(fn.codes) == 9
    assert [c for c in marks + fn.markdown() if ord(c) not in cmap] == []
    assert marks.startswith("¹²³⁴[5]")


def test_a_chart_source_line_never_shows_an_unknown_address(ds):
    """Three national reference rows have no web address (``source_url`` 'unknown' or a note): the source line
    printed ``national_benchmarks_long.csv#12 <unknown>``. It says what the row records instead: publisher and
    date, else that no address is recorded — and that a source never graded is unverified."""
    import dataclasses

    import pandas as pd

    refs = ["national_benchmarks_long.csv#12", "national_actuals.csv#39", "city_stats_added.csv#4"]
    rows = pd.DataFrame({"source": ["doc:suzhou_2021_2025", *("reference:" + r for r in refs)]})
    en, zh = N.sources_text(ds, rows, "en"), N.sources_text(ds, rows, "zh")
    assert "<unknown>" not in en and "<(" not in en and "<unknown>" not in zh
    assert "national_benchmarks_long.csv#12 (no web address recorded, source unverified)" in en
    assert "national_actuals.csv#39 （未记录网址，来源未经核实）" in zh
    assert en.endswith("city_stats_added.csv#4 <http://tjj.zhengzhou.gov.cn/tjgb/4430813.jhtml>")  # as before
    # A row that names its publisher and date but no address shows them.
    ref = ds.reference.copy()
    at = ref.index[ref.ref_id == refs[2]][0]
    ref.loc[at, "source_url"] = "unknown"
    other = dataclasses.replace(ds, reference=ref)
    got = N.sources_text(other, rows.iloc[[3]], "zh")
    assert got.endswith("city_stats_added.csv#4 （郑州市统计局 (2019年郑州市常住人口主要数据公报)，2020-11-27）")
    # No grade at all (a dataset edited by hand): unverified, not a crash on a missing value.
    ref.loc[at, "source_grade"] = None
    got = N.sources_text(dataclasses.replace(ds, reference=ref), rows.iloc[[3]], "en")
    assert got.endswith("city_stats_added.csv#4 (郑州市统计局 (2019年郑州市常住人口主要数据公报), 2020-11-27, source unverified)")
