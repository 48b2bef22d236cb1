"""Reading plans as they really look: paragraph breaks, list items, ranges, traditional characters; the view's
map back to the stored text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ipcompare.extract import Extractor
from ipcompare.extract.view import PARAGRAPH, build_view, normalise_phrase

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
