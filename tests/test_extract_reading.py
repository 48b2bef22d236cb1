"""Reading plans as they really look: paragraph breaks, list items, ranges, traditional characters; the view's
map back to the stored text."""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcompare.documents import load_documents, read_document
from ipcompare.extract import Extractor
from ipcompare.extract.view import PARAGRAPH, build_view, normalise_phrase
from ipcompare.paths import raw_dir

EX = Extractor()


def cands(text: str):
    return {re.sub(r"\s", "", c.value_text): c for c in EX.extract(text).candidates}


# --- the view ---------------------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["专利", "申请量", "10件", " ", "\n", "\n\n", "“", "”", "。", "1.", "（一）", "\u3000",
                                 "Ａ", "\n14、", "萬"]), max_size=30))
def test_every_view_position_maps_back_to_its_character(parts):
    text = "".join(parts)
    v = build_view(text)
    for i, ch in enumerate(v.norm):
        o = v.start(i)
        assert o < len(text)
        if ch == PARAGRAPH:
            assert text[o] == "\n"
        else:
            assert normalise_phrase(text[o]) == ch
        assert v.end(i + 1) == o + 1


def test_a_blank_line_ends_a_sentence_without_a_full_stop():
    # Quotes pasted one per paragraph with no final 。: the second must not take the first one's 截至2020年.
    text = "截至2020年底，全市专利申请量10000件\n\n到2025年，商标注册量达到500件\n\n知识产权质押融资金额达到5亿元"
    c = cands(text)
    assert (c["10000件"].kind, c["10000件"].year) == ("baseline", 2020)
    assert (c["达到500件"].kind, c["达到500件"].year) == ("target", 2025)
    assert c["达到5亿元"].quote == "知识产权质押融资金额达到5亿元"


def test_a_list_item_on_a_new_line_ends_a_sentence():
    text = "主要目标\n1.专利申请量达到100件\n2.增长20%"
    c = cands(text)
    # The second item has nothing of its own; without the break it would inherit the patent indicator.
    assert c["达到100件"].indicator == "patent_applications"
    assert c["20%"].indicator == "" and c["20%"].quote == "2.增长20%"


def test_a_line_wrap_inside_a_sentence_does_not_end_it():
    text = "到2025年，每万人口高价值发明专利\n拥有量达到11.5件。"
    assert cands(text)["达到11.5件"].indicator == "high_value_invention_patents_per_10k"


def test_the_view_is_built_in_one_pass_over_many_lines():
    # 200,000 short lines: quadratic copying would take minutes; one pass takes well under a second.
    text = "专利申请量达到100件\n" * 200_000
    v = build_view(text)
    assert v.norm.count("100件") == 200_000 and v.start(len(v.norm) - 1) == len(text) - 2


# --- ranges -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, low, high", [
    ("到2025年，培育知识产权服务机构5家至10家。", "5家至10家", 5, 10),
    ("到2025年，培育知识产权服务机构5-10家。", "5-10家", 5, 10),
    ("建设知识产权工作站5～10个。", "5～10个", 5, 10),
    ("培育知识产权服务机构三至五家。", "三至五家", 3, 5),
    ("知识产权质押融资金额达到20亿元至30亿元。", "达到20亿元至30亿元", 2e9, 3e9),
])
def test_ranges(text, value, low, high):
    c = cands(text)[value]
    assert (c.value, c.value_high, c.comparator) == (low, high, "range")


# --- traditional characters -------------------------------------------------------------------------------------
def test_traditional_characters_are_read_through_a_simplified_view():
    text = "到2025年，知識產權質押融資金額突破25億元，每萬人口高價值發明專利擁有量達到11.5件。"
    got = EX.extract(text).candidates
    assert [(c.value_text, c.indicator, c.value) for c in got] == [
        ("突破25億元", "ip_pledge_financing", 2.5e9),
        ("達到11.5件", "high_value_invention_patents_per_10k", 11.5),
    ]
    assert all(text[c.quote_start : c.quote_end] == c.quote for c in got)  # offsets are the original's


def _fields(c) -> tuple:
    return (c.quote_start, c.quote_end, c.value_start, c.value_end, c.indicator, c.kind, c.measure, c.year, c.month,
            c.period_start, c.period_end, c.comparator, c.commitment, c.value, c.value_high, tuple(c.flags))


def test_traditional_copies_of_the_six_plans_give_the_same_statements():
    s2t = opencc.OpenCC("s2t")
    raw = raw_dir()
    for doc_id, meta in load_documents(raw).items():
        text = read_document(raw, meta).text
        trad = s2t.convert(text)
        assert len(trad) == len(text) and trad != text
        want = [_fields(c) for c in EX.extract(text).candidates]
        assert [_fields(c) for c in EX.extract(trad).candidates] == want, doc_id


# --- indicator tables -------------------------------------------------------------------------------------------
TABLE = """临海市知识产权发展“十四五”规划（2021-2025年），主要指标如下。

序号 | 指标名称 | 单位 | 2020年（基期） | 2025年（目标） | 属性
1 | 每万人口高价值发明专利拥有量 | 件 | 5.2 | 11.5 | 预期性
2 | 知识产权质押融资金额 | 亿元 | 13 | 30 | 预期性
3 | 马德里商标国际注册申请量 | 件 | 10 | 50 | 预期性

到2025年，专利申请量达到1000件。
"""


def test_indicator_tables_are_read_with_the_column_year_and_kind():
    rows = EX.extract(TABLE).rows()
    got = [(r["value_text"], r["indicator"] or "NEW:" + r["proposed_name_zh"], r["kind"], r["year"], r["value"],
            r["unit"], r["per"]) for r in rows]
    assert got == [
        ("5.2", "high_value_invention_patents_per_10k", "baseline", 2020, 5.2, "item", "10k_population"),
        ("11.5", "high_value_invention_patents_per_10k", "target", 2025, 11.5, "item", "10k_population"),
        ("13", "ip_pledge_financing", "baseline", 2020, 1300000000, "CNY", ""),
        ("30", "ip_pledge_financing", "target", 2025, 3000000000, "CNY", ""),
        ("10", "NEW:马德里商标国际注册申请量", "baseline", 2020, 10, "item", ""),
        ("50", "NEW:马德里商标国际注册申请量", "target", 2025, 50, "item", ""),
        ("达到1000件", "patent_applications", "target", 2025, 1000, "item", ""),
    ]
    for r in rows:
        assert TABLE[r["char_start"] : r["char_end"]] == r["quote"]
    assert all("预期性" in r["note"] for r in rows[:6])
    # Every number is a candidate or skipped once: the cells are not also listed as numbers without a unit
    # (the row numbers 1, 2, 3 are).
    assert sorted(s.text for s in EX.extract(TABLE).skipped if s.reason == "no unit") == ["1", "2", "3"]


def test_a_table_of_tabs_or_spaces_without_a_unit_column():
    text = "某市知识产权“十四五”规划。\n指标\t2020年\t2025年\n知识产权服务机构（家）\t60\t100\n"
    got = [(r["value_text"], r["indicator"], r["kind"], r["year"], r["unit"]) for r in EX.extract(text).rows()]
    assert got == [("60", "ip_service_institutions", "baseline", 2020, "organisation"),
                   ("100", "ip_service_institutions", "target", 2025, "organisation")]
