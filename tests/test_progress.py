"""progress(): the status of every target, pinned by a golden file, and the rules on small cases."""

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ipcompare.dataset import load
from ipcompare.progress import STATUSES, actuals, progress

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_PROGRESS = Path(__file__).parent / "golden" / "progress_status.csv"
AS_OF = date(2026, 12, 1)
GOLDEN_COLS = ["obs_id", "geo_code", "indicator", "measure", "per", "unit", "target_value", "target_year",
               "target_month", "comparator", "baseline_value", "baseline_year", "baseline_source", "actual_value",
               "actual_as_of", "actual_grade", "expected_at_actual", "status", "reason"]


def progress_table() -> pd.DataFrame:
    p = progress(load(ROOT / "data" / "tidy"), today=AS_OF)[GOLDEN_COLS].copy()
    p["expected_at_actual"] = p["expected_at_actual"].astype(float).round(4)
    return p


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return progress(load(ROOT / "data" / "tidy"), today=AS_OF)


def test_golden_status_table():
    got = progress_table().to_csv(index=False, lineterminator="\n")
    assert got == GOLDEN_PROGRESS.read_text(encoding="utf-8")


def test_one_row_per_target_with_a_known_status(ds, table):
    assert len(table) == int((ds.observations.kind == "target").sum())
    assert set(table.status) <= set(STATUSES)
    assert table.loc[table.status == "not assessable", "reason"].str.len().gt(0).all()


def test_national_high_value_target_achieved_on_the_year_end_figure(table):
    row = table[(table.geo_code == "100000") & (table.indicator == "high_value_invention_patents_per_10k")].iloc[0]
    assert (row.target_value, row.target_year, row.status) == (12.0, 2025, "achieved")
    assert (row.actual_value, row.actual_as_of) == (16.0, "2025-12")  # not the mid-year 15.3
    assert (row.baseline_value, row.baseline_year) == (6.3, 2020)


def test_before_year_end_the_mid_year_figure_is_the_latest(ds):
    p = progress(ds, "100000", today=date(2025, 9, 1))
    row = p[p.indicator == "high_value_invention_patents_per_10k"].iloc[0]
    assert (row.actual_value, row.actual_as_of, row.status) == (15.3, "2025-06", "achieved")


def test_zhengzhou_on_track_on_the_compound_path(ds):
    row = progress(ds, "zhengzhou", today=AS_OF).query("indicator == 'high_value_invention_patents_per_10k'").iloc[0]
    # 6.41 at end-2021 → 11.5 at June 2025: at June 2023 (1.5 of 3.5 years) the path expects 6.41·(11.5/6.41)^(1.5/3.5).
    assert row.expected_at_actual == pytest.approx(6.41 * (11.5 / 6.41) ** (1.5 / 3.5))
    assert row.status == "on track" and "estimate" in row.reason and "no 2025 actual" in row.reason


def test_nanchang_missed_on_the_first_later_stock(table):
    row = table[(table.geo_code == "360100") & (table.indicator == "invention_patents_per_10k")].iloc[0]
    assert (row.status, row.actual_value, row.actual_as_of) == ("missed", 9.3, "2018-12")


def test_a_rate_of_another_year_does_not_rate_a_growth_target(table):
    row = table[(table.geo_code == "360100") & (table.indicator == "patent_applications")].iloc[0]
    assert row.measure == "growth_rate" and row.status == "not assessable"
    assert "2018-12" in row.reason


def test_annual_flow_reached_early_is_on_track_not_achieved(table):
    row = table[(table.geo_code == "100000") & (table.indicator == "ip_royalties_trade")].iloc[0]
    assert row.status == "on track" and row.actual_as_of == "2024-12"


def test_period_totals_are_not_compared_with_stocks(table):
    rows = table[table.measure.isin(["cumulative", "new_in_period", "multiple"])]
    assert not rows.empty and (rows.status == "not assessable").all()
    assert rows.reason.str.startswith("not comparable").all()


def test_actuals_match_on_indicator_measure_per_and_unit(ds, table):
    """A rated row's actual has the target's indicator, measure, per and unit (the comparability rule)."""
    acts = actuals(ds)
    rated = table[table.actual_value.notna()]
    for r in rated.itertuples():
        src = acts[(acts.source == r.actual_source) & (acts.value == r.actual_value)].iloc[0]
        assert (src.indicator, src.measure, src.unit) == (r.indicator, r.measure, r.unit)
        assert pd.isna(src.per) == pd.isna(r.per) and (pd.isna(r.per) or src.per == r.per)


def test_part_year_flows_never_rate_an_annual_target(ds):
    acts = actuals(ds)
    part = acts[acts["flags"].str.contains("partial_year") & (acts.measure == "annual")]
    assert not part.empty  # Suzhou's January-September 2021 grants
    p = progress(ds, today=AS_OF)
    assert not p.actual_source.isin(part.source).any()


def test_every_reason_reads_in_chinese(table):
    """The zh report translates each reason template whole: no English words left."""
    from ipcompare.progress_report import reason_text

    for reason in set(table.reason):
        zh = reason_text(reason, "zh")
        assert not re.search(r"[A-Za-z]{3,}", zh), (reason, zh)
    assert reason_text("judged on the 2025 actual", "en") == "judged on the 2025 actual"
    # A reason listing the actuals' measure/unit pairs (Nanchang's trademark stock against an annual target).
    zh = reason_text("not comparable: actuals differ in measure, per or unit (annual/item, stock/item)", "zh")
    assert zh == "口径不可比：实际值的计量方式或单位不同（年度值/件、存量/件）"


def test_city_sentence_names_the_rated_targets(table, ds):
    from ipcompare.progress_report import city_sentence

    zh = city_sentence(ds, table, "zhengzhou", "zh")
    assert zh.startswith("郑州市8项主要目标中，") and "每万人口高价值发明专利拥有量：进度正常" in zh
    assert zh.endswith("6项因缺少可比的实际值或基期而无法评估。")
    en = city_sentence(ds, table, "linhai", "en")
    assert en == "Of Linhai's 4 headline targets: 4 cannot be assessed for want of a comparable actual or baseline."


def test_a_target_matches_its_actuals_once(monkeypatch):
    """A target whose plan gives no baseline had its actuals matched twice (for the baseline, then for the
    actuals after it): once per target for the plan's baselines, once for the actuals."""
    import ipcompare.progress as PG

    seen: list[int] = []
    comparable, rate = PG._comparable, PG._rate

    def counted_rate(*a, **kw):
        seen.append(0)
        return rate(*a, **kw)

    def counted_comparable(target, rows):
        seen[-1] += 1
        return comparable(target, rows)

    monkeypatch.setattr(PG, "_rate", counted_rate)
    monkeypatch.setattr(PG, "_comparable", counted_comparable)
    out = PG._progress.__wrapped__(load(ROOT / "data" / "tidy"), None, AS_OF)
    assert len(seen) == len(out) and max(seen) == 2
    # Targets reaching the actuals without a plan baseline exist (the case the rule is about).
    assert ((out.baseline_source.fillna("").str.startswith("actual")) | out.baseline_value.isna()).any()
