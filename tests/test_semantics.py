"""Data semantics on the real data (issue #8, part 4): one measure per meaning, one coding per wording.

Each test pins a reading the dataset got wrong before: 百分点 stored as growth, 增长X倍 stored as the multiple X,
新增 achievements coded unlike 新增 targets, a part of a list restated twice kept as two parts.
"""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from ipcompare.numbers import ValueParseError, is_growth_times, parse_value, times_as_growth
from ipcompare.registry import load_registry
from ipcompare.statements import check_statements, measured_value

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = sorted((ROOT / "data" / "raw" / "statements").glob("*.csv"))


def _curated():
    for path in STATEMENTS:
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            yield path.stem, row


def _stmt(ds, stmt_id):
    return ds.statements.set_index("stmt_id").loc[stmt_id]


# --- 百分点 ------------------------------------------------------------------------------------------------

def test_percentage_points_are_a_change_not_a_growth_rate(ds):
    """比"十二五"末提高了0.99个和3.71个百分点: shares rose by points, they did not grow by 0.99 % and 3.71 %."""
    for sid, value in (("suzhou_2021_2025#30", 0.99), ("suzhou_2021_2025#31", 3.71)):
        s = _stmt(ds, sid)
        assert (s.measure, s.value, s.unit) == ("change_pp", value, "percentage_point"), sid
        assert pd.isna(s.per)  # a change of a share has no per-capita denominator


def test_every_percentage_point_mention_in_every_document_is_change_pp():
    """Any curated number followed (directly or after an elided 个…) by 百分点 is coded change_pp."""
    found = 0
    for doc, row in _curated():
        q, vt = row["quote"], row["value_text"]
        after = q[q.find(vt) + len(vt):]
        if "百分点" in vt or after.startswith(("个和", "个、")) and "百分点" in after:
            found += 1
            assert row["measure"] == "change_pp", f"{doc}#{row['n']}"
        else:
            assert row["measure"] != "change_pp", f"{doc}#{row['n']}"
    assert found == 2


# --- 增长X倍 -----------------------------------------------------------------------------------------------

def test_growth_in_times_is_x_plus_one_times_the_base(ds):
    """增长了1.51倍 is 2.51 times the 2015 level (an outside 2018 figure confirms it): a growth of 151 %."""
    s = _stmt(ds, "suzhou_2021_2025#12")
    assert (s.measure, s.value, s.unit, s.value_text) == ("growth_rate", 151.0, "percent", "1.51倍")
    assert (s.period_start, s.period_end) == (2016, 2020)
    level = ds.observations.set_index("obs_id").loc["suzhou_2021_2025#11"]
    assert level.value / (1 + s.value / 100) == pytest.approx(27.43, abs=0.01)  # the implied 2015 level
    pct = _stmt(ds, "suzhou_2021_2025#14")
    assert (pct.measure, pct.value, pct.unit) == ("growth_rate", 340.0, "percent")


def test_every_times_value_in_every_document_is_coded_by_its_wording():
    """增长X倍 → growth_rate X×100 %; 为…的X倍 and 翻一番 → multiple, in all six curated files."""
    seen = {"growth_rate": 0, "multiple": 0}
    for doc, row in _curated():
        vt = row["value_text"]
        if "倍" not in vt and "番" not in vt:
            continue
        growth = "倍" in vt and is_growth_times(row["quote"][: row["quote"].find(vt)])
        want = "growth_rate" if growth else "multiple"
        assert row["measure"] == want, f"{doc}#{row['n']}: {row['quote']}"
        seen[want] += 1
    assert seen == {"growth_rate": 2, "multiple": 3}  # Suzhou 1.51倍, 3.4倍; Linhai 1.7倍, Ma'anshan 翻一番 x2


def test_times_conversion_rule():
    assert times_as_growth("1.51倍").value == 151.0 and times_as_growth("增长3.4倍".removeprefix("增长")).value == 340
    assert times_as_growth("一倍").value == 100.0  # 增长一倍 = doubled = 翻一番
    assert measured_value("翻一番", "multiple").value == 2.0
    assert measured_value("1.7倍", "multiple").value == 1.7
    with pytest.raises(ValueParseError):
        times_as_growth("翻一番")
    assert is_growth_times("增长了") and is_growth_times("提高 了") and not is_growth_times("为全国平均水平的")


def _check_one(**row):
    base = dict(_line=2, n=1, char_start=0, month=None, period_start=None, period_end=None, year=2020,
                comparator="=", commitment="firm", flags="relative_to_baseline", note="", kind="baseline")
    base.update(row)
    base["char_end"] = len(base["quote"])
    return check_statements([base], base["quote"], load_registry(), "x.csv")


def test_the_statement_checker_refuses_growth_in_times_coded_as_multiple():
    quote = "万人发明专利拥有量达68.85件,增长了1.51倍"
    bad = _check_one(quote=quote, value_text="1.51倍", indicator="invention_patents_per_10k", measure="multiple")
    assert [p.field for p in bad] == ["measure"] and "growth_rate" in bad[0].message
    assert _check_one(quote=quote, value_text="1.51倍", indicator="invention_patents_per_10k",
                      measure="growth_rate") == []
    ratio = "为全国平均水平的1.7倍"
    bad = _check_one(quote=ratio, value_text="1.7倍", indicator="invention_patents_per_10k_vs_national",
                     measure="growth_rate")
    assert [p.field for p in bad] == ["measure"]


# --- 新增 over a period ------------------------------------------------------------------------------------

def test_xinzeng_over_a_period_is_new_in_period_for_baselines_and_targets():
    """A clause that opens with 新增 (全市新增…, 新增获得…) is new_in_period, achievement or target."""
    checked = 0
    for doc, row in _curated():
        q = row["quote"].lstrip("其中,").removeprefix("全市")
        if q.startswith("新增") and row["measure"] in ("cumulative", "new_in_period", "annual"):
            checked += 1
            assert row["measure"] == "new_in_period", f"{doc}#{row['n']} ({row['kind']}): {row['quote']}"
    assert checked >= 20


def test_suzhou_targets_pair_with_their_own_baselines(ds):
    """Copyright registrations, patent-attorney qualifications and high-level talents: 新增/引育 achievements of
    2016-2020 and 新增/引进和培养 targets of 2021-2025 share a measure, so a gap to the baseline can be made."""
    o = ds.observations[ds.observations.geo_code == "320500"]
    for ind in ("copyright_registrations", "patent_attorney_qualifications", "ip_high_level_talents",
                "patent_grants", "geographical_indications"):
        base = o[(o.indicator == ind) & (o.kind == "baseline") & (o.measure != "growth_rate")]
        assert set(base.measure) == {"new_in_period"}, ind
        assert set(base.period_start) == {2016} and set(base.period_end) == {2020}, ind
    for ind in ("copyright_registrations", "patent_attorney_qualifications", "ip_high_level_talents"):
        tgt = o[(o.indicator == ind) & (o.kind == "target")]
        assert "new_in_period" in set(tgt.measure), ind


def test_linhai_xinzeng_list_and_its_parts_share_a_measure(ds):
    s = ds.statements.set_index("stmt_id")
    got = {n: s.loc[f"linhai_2021_2025#{n}", "measure"] for n in range(1, 7)}
    assert set(got.values()) == {"new_in_period"}, got


def test_cumulative_wording_stays_cumulative(ds):
    """累计 (Suzhou's 累计获得中国专利奖, 累计完成技术合同成交额) and 五年来 totals without 新增 are not recoded."""
    s = ds.statements.set_index("stmt_id")
    for sid in ("suzhou_2021_2025#20", "suzhou_2021_2025#36", "suzhou_2021_2025#13", "linhai_2021_2025#37",
                "maanshan_2024_2026#7"):
        assert s.loc[sid, "measure"] == "cumulative", sid


# --- parts of a list restated ------------------------------------------------------------------------------

def test_a_part_restated_in_the_same_words_is_one_observation(ds):
    """Ma'anshan states 其中国家知识产权优势示范企业达60家 twice (with an OCR space once): one part, 2 mentions."""
    o = ds.observations
    hit = o[(o.geo_code == "340500") & (o.indicator == "national_ip_advantage_demo_enterprises")]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert (row.value, row.n_mentions, row.mentions) == (60, 2, "maanshan_2024_2026#14;maanshan_2024_2026#23")
    assert "conflict" not in row["flags"] and "subtotal" in row["flags"]


def test_equal_parts_in_other_words_stay_apart(ds):
    """Nanchang's five 扶持一家… institutions are five parts of the 5+10 system, not one restated."""
    o = ds.observations
    parts = o[(o.geo_code == "360100") & (o.indicator == "supported_ip_service_institutions")
              & (o.measure == "new_in_period")]
    assert len(parts) == 7 and (parts.value == 1).sum() == 5 and set(parts.n_mentions) == {1}
    assert not parts["flags"].fillna("").str.contains("conflict").any()


def test_every_value_parses_back_under_its_measure(ds):
    for r in ds.statements.dropna(subset=["value"]).itertuples():
        assert measured_value(r.value_text, r.measure).value == pytest.approx(r.value), r.stmt_id
        if r.measure != "growth_rate" or "倍" not in r.value_text:
            assert parse_value(r.value_text).value == pytest.approx(r.value), r.stmt_id


def test_values_parsed_by_the_check_are_the_values_normalise_reads():
    """The build hands the check's parsed values to normalise (each value parsed once); with them or without,
    every plan's statement records are the same, ocr_unreadable rows included."""
    from ipcompare.documents import load_documents, read_document
    from ipcompare.normalise import statement_records
    from ipcompare.statements import check_and_parse, read_statements_csv

    raw = ROOT / "data" / "raw"
    registry = load_registry()
    for doc_id, meta in load_documents(raw).items():
        rows = read_statements_csv(raw / "statements" / f"{doc_id}.csv")
        problems, parsed = check_and_parse(rows, read_document(raw, meta).text, registry, doc_id)
        assert not problems and len(parsed) == len(rows)
        assert statement_records(meta, rows, registry, parsed) == statement_records(meta, rows, registry), doc_id
