"""The outcomes table: every actual sits in its quote and is what the project's parser reads; bad rows are
reported as file:line:field."""

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipcompare.numbers import parse_value
from ipcompare.outcomes import OUTCOME_COLUMNS, check_outcomes, read_outcomes, read_outcomes_csv
from ipcompare.registry import load_registry
from ipcompare.statements import StatementsError

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
REG = load_registry()

GOOD = dict(
    geo_code="410100", indicator="high_value_invention_patents_per_10k", measure="stock", year="2021",
    as_of="2021-12", value_text="6.41件", quote="据市知识产权维权保护中心介绍,郑州市2021年万人高价值发明专利6.41件",
    source_url="http://news.shangol.cn/2022/gn_0416/14600.html", publisher="大河报", published="2022-04-16",
    source_grade="mirror", flags="", note="",
)


def _row(**kw) -> dict:
    return {"_file": "x.csv", "_line": 2, **GOOD, **kw}


def _messages(**kw) -> list[str]:
    return [str(p) for p in check_outcomes([_row(**kw)], REG)]


def test_every_outcome_value_is_in_its_quote_and_parses_to_its_value(ds):
    o = ds.outcomes
    assert len(o) >= 25
    for r in o.itertuples():
        assert r.value_text in r.quote, r.outcome_id
        assert parse_value(r.value_text).value == r.value, r.outcome_id


def test_raw_rows_are_the_published_rows():
    raw = read_outcomes_csv(RAW / "outcomes" / "actuals.csv")
    assert not check_outcomes(raw, REG)
    assert len(read_outcomes(RAW, REG)) == len(raw)


def test_city_coverage(ds):
    """Three of the five cities have actuals after their baseline; Ma'anshan and Linhai none yet (README)."""
    counts = ds.outcomes.groupby("geo_code").size()
    assert counts["410100"] >= 3 and counts["320500"] >= 3 and counts["360100"] >= 3


def test_mid_year_and_estimates_are_flagged(ds):
    o = ds.outcomes.set_index("outcome_id")
    est = o.loc["outcomes/actuals.csv#15"]  # 每万人高价值发明专利拥有量预计达到8.9件 (mid-2023)
    assert est["value"] == 8.9 and set(est["flags"].split(";")) == {"estimate", "mid_year"}
    assert (o[o.as_of.str[5:7] != "12"]["flags"].str.contains("mid_year|partial_year")).all()


def test_approximate_value_keeps_its_comparator(ds):
    row = ds.outcomes[ds.outcomes.value_text == "约52853件"].iloc[0]
    assert row.comparator == "~" and row.value == 52853


def test_good_row_has_no_problem():
    assert _messages() == []


@pytest.mark.parametrize("field, value, expect", [
    ("value_text", "6.4件", "x.csv:2: value_text: '6.4件' does not occur in the quote"),
    ("source_grade", "blog", "x.csv:2: source_grade: 'blog' not one of"),
    ("indicator", "patents_per_capita", "x.csv:2: indicator: unknown indicator"),
    ("geo_code", "999999", "x.csv:2: geo_code: unknown geography"),
    ("as_of", "2021-06", "x.csv:2: flags: as_of '2021-06' is before year-end"),
    ("as_of", "2022-12", "x.csv:2: as_of: '2022-12' is not in year 2021"),
    ("published", "16/04/2022", "x.csv:2: published:"),
    ("flags", "guessed", "x.csv:2: flags: unknown flag 'guessed'"),
    ("source_url", "news.shangol.cn", "x.csv:2: source_url:"),
    ("quote", "", "x.csv:2: quote: required"),
])
def test_bad_fields_are_named(field, value, expect):
    msgs = _messages(**{field: value})
    assert any(m.startswith(expect) for m in msgs), msgs


def test_wrong_unit_is_an_error():
    msgs = _messages(value_text="6.41亿元", quote="郑州市2021年万人高价值发明专利6.41亿元")
    assert msgs == ["x.csv:2: value_text: unit '元' does not fit high_value_invention_patents_per_10k (item)"]


def test_the_same_fact_twice_is_an_error():
    rows = [_row(), {**_row(), "_line": 3}]
    assert [str(p) for p in check_outcomes(rows, REG)] == [
        "x.csv:3: as_of: same geography, indicator, measure and date as line 2: keep one source"]


def test_a_bad_file_stops_the_build_with_one_line_per_problem(tmp_path):
    (tmp_path / "outcomes").mkdir()
    path = tmp_path / "outcomes" / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=OUTCOME_COLUMNS)
        w.writeheader()
        w.writerow({**GOOD, "value_text": "7件"})
    with pytest.raises(StatementsError) as exc:
        read_outcomes(tmp_path, REG)
    assert f"{path}:2: value_text: '7件' does not occur in the quote" in str(exc.value)
    path.write_text("geo_code,indicator\n", encoding="utf-8")
    with pytest.raises(StatementsError, match="a.csv:1: measure,year,"):
        read_outcomes(tmp_path, REG)


@given(st.decimals(min_value="0.01", max_value="99999", places=2), st.sampled_from(["", "万"]))
def test_value_is_always_the_parsed_number(num, mult):
    text = f"{num}{mult}件"
    quote = f"截至2024年底,全市有效发明专利{text},同比增长"
    row = _row(indicator="invention_patents_in_force", value_text=text, quote=quote, year="2024",
               as_of="2024-12")
    assert check_outcomes([row], REG) == []
    from ipcompare.outcomes import outcome_records
    rec = outcome_records([row], REG, RAW)[0]
    assert rec["value"] == pytest.approx(float(num) * (1e4 if mult else 1), rel=1e-12)
    assert rec["unit"] == "item" and rec["per"] is None


def test_validate_catches_an_outcome_edited_after_the_build(ds):
    from ipcompare.validate import outcome_problems

    assert outcome_problems(ds.outcomes) == []
    bad = ds.outcomes.copy()
    bad.loc[0, "value"] = bad.loc[0, "value"] + 1
    bad.loc[1, "value_text"] = "99件"
    msgs = outcome_problems(bad)
    assert len(msgs) == 2 and "parses to" in msgs[0] and "'99件' not in quote" in msgs[1]
