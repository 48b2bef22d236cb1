"""The number parser refuses malformed numerals and absurd magnitudes and reads compound numerals right.

``cn2an`` (strict mode) is the oracle: on generated numerals both must agree on what is a numeral and on its
value. cn2an is a test dependency only; the parser itself stays dependency-free.
"""

import cn2an
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ipcompare.numbers import ValueParseError, chinese_numeral_to_int, parse_value


@pytest.mark.parametrize("text", ["十十", "十百", "二十三十", "千千千", "一千五", "一百十", "一万五百", "五百零",
                                  "零五", "一亿亿", "万万", "三五百"])
def test_malformed_numerals_are_refused(text):
    with pytest.raises(ValueParseError):
        parse_value(text + "件")


@pytest.mark.parametrize("text,value", [
    ("一万二千", 12000), ("十二万五千", 125000), ("一亿二千万", 1.2e8), ("零点五", 0.5),
    ("一万零五百", 10500), ("三千零五", 3005), ("一万亿", 1e12), ("两千", 2000), ("十", 10), ("一十二", 12),
    ("一点五万", 15000), ("二〇二五", 2025),
])
def test_compound_numerals(text, value):
    assert parse_value(text + "件").value == value


@pytest.mark.parametrize("text", ["9" * 400, "9" * 17 + "件", "1" * 20 + "亿元", "一万亿万亿"])
def test_absurd_magnitudes_are_refused_with_a_short_message(text):
    with pytest.raises(ValueParseError) as err:
        parse_value(text)
    assert len(str(err.value)) < 200


def test_a_long_run_of_zeros_gives_a_short_error():
    with pytest.raises(ValueParseError) as err:
        parse_value("〇" * 5000 + "件")
    assert len(str(err.value)) < 200


def test_unit_mult_keeps_the_multiplier_as_written():
    assert parse_value("十五万件").unit_mult == 4
    assert parse_value("三千万元").unit_mult == 4
    assert parse_value("超万人").value == 1e4
    assert parse_value("上千家").value == 1000
    r = parse_value("二至三万家")
    assert (r.value, r.value_high, r.comparator) == (20000, 30000, "range")


def _canonical(n: int) -> str:
    """Standard Chinese numeral of ``n`` (cn2an's own writer, so that the oracle is independent of ours)."""
    return cn2an.an2cn(n)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
@example(12000)
@example(125000)
@example(120000000)
@example(10500)
@example(100000001)
def test_generated_numerals_agree_with_cn2an(n):
    text = _canonical(n)
    assert chinese_numeral_to_int(text) == n == cn2an.cn2an(text, "strict")


def _oracle(text: str):
    try:
        return cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="零一二三四五六七八九十百千万亿", min_size=1, max_size=8))
@example("十十")
@example("十百")
@example("二十三十")
@example("千千千")
@example("一千五")
@example("一亿一万")
def test_fuzzed_numerals_never_accepted_against_cn2an(text):
    """Random strings of numeral characters: what we accept, cn2an's strict mode accepts with the same value;
    what it refuses, we refuse. (We are stricter where it is lenient, e.g. 一亿零二千万 with a misplaced 零.
    Pure digit strings such as 二零二五, which plans use for years and cn2an refuses, are our own reading.)"""
    try:
        ours = chinese_numeral_to_int(text)
    except ValueParseError:
        ours = None
    if all(c in "零一二三四五六七八九" for c in text):
        return
    oracle = _oracle(text)
    if ours is not None or oracle is None:
        assert ours == oracle, text
