"""The number normaliser on real Chinese edge cases, plus property tests."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipcompare.numbers as N
from ipcompare.numbers import (
    ValueParseError,
    chinese_numeral_to_int,
    comparator_cue,
    format_chinese,
    is_hedged,
    parse_value,
    prefix_cue,
)


@pytest.mark.parametrize(
    "text, value, high, counter, mult, cmp_",
    [
        pytest.param("70万件", 700_000, None, "件", 4, None, id="wan"),
        pytest.param("1.3亿元", 130_000_000, None, "元", 8, None, id="yi-decimal"),
        pytest.param("突破25亿元", 2.5e9, None, "元", 8, ">=", id="tupo"),
        pytest.param("超过19件", 19, None, "件", 0, ">=", id="chaoguo"),
        pytest.param("超200亿元", 2e10, None, "元", 8, ">=", id="chao"),
        pytest.param("85分以上", 85, None, "分", 0, ">=", id="yishang"),
        pytest.param("83分左右", 83, None, "分", 0, "~", id="zuoyou"),
        pytest.param("不低于20场", 20, None, "场", 0, ">=", id="budiyu"),
        pytest.param("2-3家", 2, 3, "家", 0, "range", id="range-hyphen"),
        pytest.param("5-10期", 5, 10, "期", 0, "range", id="range-periods"),
        pytest.param("2～3家", 2, 3, "家", 0, "range", id="range-fullwidth-tilde"),
        pytest.param("１１．５件", 11.5, None, "件", 0, None, id="fullwidth-digits"),
        pytest.param("7.5%以上", 7.5, None, "%", 0, ">=", id="percent"),
        pytest.param("75％", 75, None, "%", 0, None, id="fullwidth-percent"),
        pytest.param("1.51倍", 1.51, None, "倍", 0, None, id="bei"),
        pytest.param("翻一番", 2, None, "倍", 0, None, id="double"),
        pytest.param("三分之一", 100 / 3, None, "%", 0, None, id="one-third"),
        pytest.param("1500余家", 1500, None, "家", 0, ">=", id="yu"),
        pytest.param("43万余件", 430_000, None, "件", 4, ">=", id="wan-yu"),
        pytest.param("360多家", 360, None, "家", 0, ">=", id="duo"),
        pytest.param("超万人", 10_000, None, "人", 4, ">=", id="bare-wan"),
        pytest.param("超千万", 1e7, None, "", 4, ">=", id="qian-wan"),
        pytest.param("达3000余万元", 3e7, None, "元", 4, ">=", id="da-yu-wan"),
        pytest.param("十万余人", 1e5, None, "人", 4, ">=", id="shi-wan-yu"),
        pytest.param("上千家", 1000, None, "家", 0, ">=", id="shang-qian"),
        pytest.param("6734.69万元", 67_346_900, None, "元", 4, None, id="wan-yuan-decimal"),
        pytest.param("1,085件", 1085, None, "件", 0, None, id="thousands-comma"),
        pytest.param("一千五百家", 1500, None, "家", 0, None, id="chinese-numeral"),
        pytest.param("10家以上", 10, None, "家", 0, ">=", id="jia-yishang"),
        pytest.param("力争超过19件", 19, None, "件", 0, ">=", id="hedge-prefix"),
        pytest.param("两家", 2, None, "家", 0, None, id="liang"),
    ],
)
def test_parse_value(text, value, high, counter, mult, cmp_):
    p = parse_value(text)
    assert p.value == pytest.approx(value)
    assert p.value_high == (None if high is None else pytest.approx(high))
    assert (p.counter, p.unit_mult, p.comparator) == (counter, mult, cmp_)


@pytest.mark.parametrize("text", ["超UOo名", "超WOO名", "超00名", "", "   ", "名", "全覆盖", "3-2家"])
def test_unreadable_or_not_numbers_raise(text):
    """OCR garbage is refused, never guessed: 超00名 is not zero."""
    with pytest.raises(ValueParseError):
        parse_value(text)


def test_comparator_and_hedge_cues():
    assert comparator_cue("突破25亿元") == ">="
    assert comparator_cue("达到83分") == "="
    assert comparator_cue("约100家") == "~"
    assert is_hedged("力争达到14653件") and is_hedged("争取") and not is_hedged("达到11.5件")


def test_comparator_cue_ignores_spaces_inside_words():
    """OCR splits 以上 as 以 上; the cue must agree with parse_value, which removes whitespace."""
    assert comparator_cue("达20项以 上") == parse_value("达20项以 上").comparator == ">="
    assert comparator_cue("83分左 右") == "~"


def test_prefix_cue_takes_the_longest_comparator_word():
    assert prefix_cue("商标总量超") == "超"
    assert prefix_cue("拥有量力争超过") == "超过"
    assert prefix_cue("满意度达到") == "达到"
    assert prefix_cue("培训不低于") == "不低于"
    assert prefix_cue("每万人口") == ""
    assert prefix_cue("") == ""


def test_chinese_numerals():
    assert chinese_numeral_to_int("十") == 10
    assert chinese_numeral_to_int("二十五") == 25
    assert chinese_numeral_to_int("三千零五") == 3005
    with pytest.raises(ValueParseError):
        chinese_numeral_to_int("三五百")


counters = st.sampled_from(["件", "家", "元", "人", "项", "个", "名"])


@given(st.integers(min_value=1, max_value=10**12), counters)
def test_format_then_parse_roundtrip_integers(n, counter):
    """Writing a number Chinese-style (万/亿) and parsing it back gives the number."""
    assert parse_value(format_chinese(n, counter)).value == n


@given(st.decimals(min_value="0.01", max_value="99999.99", places=2), counters)
def test_format_then_parse_roundtrip_decimals(d, counter):
    x = float(d)
    assert parse_value(format_chinese(x, counter)).value == pytest.approx(x, rel=1e-12)


@given(st.integers(min_value=0, max_value=9999))
def test_chinese_numeral_roundtrip(n):
    assert chinese_numeral_to_int(_to_chinese(n)) == n


def _to_chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"
    out, zero = "", False
    for power, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        d = n // 10**power % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + unit
            zero = False
        else:
            zero = True
    return out


@settings(max_examples=500)
@given(st.text())
def test_no_input_crashes(text):
    """Any string either parses or raises ValueParseError — nothing else."""
    try:
        p = parse_value(text)
    except ValueParseError:
        return
    assert p.value == p.value  # not NaN


# Text built from the cue words themselves, so that stacked and overlapping cues (力争超过, 超过达到, 约近) occur.
_CUE_TEXT = st.lists(st.sampled_from([*N._HEDGES, *(w for w, _ in N._PREFIX_CUES), *(w for w, _ in N._SUFFIX_CUES),
                                      "1", "25", "亿元", "余", "多", "上", "千", " ", "％"]), max_size=6).map("".join)


class _Everything:
    """A first-character set that lets every text in: the shortcut off, each cue word tried as before it."""

    def __contains__(self, _: object) -> bool:
        return True


@settings(max_examples=400)
@given(_CUE_TEXT)
def test_cue_shortcuts_change_no_result(text):
    """Skipping the cue words a text cannot start with (a speed-up of the build) changes no result."""
    fast = (N._strip_prefix(text), N.comparator_cue(text), N.parse_value(text) if _parses(text) else None)
    saved = N._STRIP_FIRST, N._PREFIX_FIRST
    N._STRIP_FIRST = N._PREFIX_FIRST = _Everything()
    try:
        slow = (N._strip_prefix(text), N.comparator_cue(text), N.parse_value(text) if _parses(text) else None)
    finally:
        N._STRIP_FIRST, N._PREFIX_FIRST = saved
    assert fast == slow


def _parses(text: str) -> bool:
    try:
        N.parse_value(text)
    except N.ValueParseError:
        return False
    return True
