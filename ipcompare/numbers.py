"""Parse numbers as Chinese plans write them: ``突破25亿元`` → 2.5e9 CNY, comparator ``>=``.

Pure functions, no I/O. The counters (量词) and their base units come from the registry's ``units.yaml``;
this module only knows numerals, multipliers and comparator words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ipcompare.textnorm import to_halfwidth

__all__ = [
    "ParsedValue",
    "ValueParseError",
    "parse_value",
    "parse_number",
    "chinese_numeral_to_int",
    "format_chinese",
    "comparator_cue",
    "is_hedged",
    "prefix_cue",
    "is_growth_times",
    "times_as_growth",
]


class ValueParseError(ValueError):
    """The text is not a number this parser understands."""


@dataclass(frozen=True)
class ParsedValue:
    """A number as written, resolved to base units.

    ``value`` is in base units (25亿元 → 2.5e9); ``unit_mult`` is the power of ten written (亿 → 8);
    ``counter`` is the 量词 as written (元, 件, %, 分 …) or ``""``; ``comparator`` comes only from the
    words inside the value text (``None`` when it holds no cue).
    """

    value: float
    value_high: float | None
    counter: str
    unit_mult: int
    comparator: str | None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 1, "百": 2, "千": 3}
# Multipliers written after a number. Longest first so that 千万 wins over 千.
_MULTIPLIERS = {"千万": 7, "百万": 6, "万亿": 12, "亿": 8, "万": 4, "千": 3}

# Comparator words, in the order they are tried. Prefixes precede the number, suffixes follow the unit.
_PREFIX_CUES = [
    ("不低于", ">="), ("不少于", ">="), ("不超过", "<="), ("超过", ">="), ("突破", ">="), ("多于", ">="),
    ("高于", ">="), ("达到", "="), ("超", ">="), ("逾", ">="), ("约", "~"), ("近", "~"), ("达", "="),
    ("至少", ">="), ("低于", "<="), ("控制在", "<="),
]
_SUFFIX_CUES = [("以上", ">="), ("左右", "~"), ("以下", "<="), ("以内", "<="), ("上下", "~")]
# 余/多 sit between the number and its counter (1500余家, 360多家): "more than".
_INFIX_CUES = {"余": ">=", "多": ">="}
_HEDGES = ("力争", "争取", "努力", "力求", "力促")

_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千"
_NUMBER_RE = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[" + _CN_NUM_CHARS + r"]+)"
    r"(?:\s*(?:-|~|～|—|–|至|到)\s*(?P<high>\d+(?:\.\d+)?|[" + _CN_NUM_CHARS + r"]+))?"
)
_WORD_VALUES = {
    # 翻一番 doubles, 翻两番 quadruples: the value is the multiple of the baseline.
    "翻一番": (2.0, "倍"),
    "翻一倍": (2.0, "倍"),
    "翻两番": (4.0, "倍"),
}
_FRACTION_RE = re.compile(r"([" + _CN_NUM_CHARS + r"\d]+)分之([" + _CN_NUM_CHARS + r"\d]+)")


def chinese_numeral_to_int(text: str) -> int:
    """Convert a Chinese numeral below 10^4 (and digit strings like 一〇二) to an int.

    >>> chinese_numeral_to_int("一千五百")
    1500
    >>> chinese_numeral_to_int("十二")
    12
    """
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        raise ValueParseError(f"not a Chinese numeral: {text!r}")
    if all(c in _CN_DIGITS for c in text):
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _CN_DIGITS:
            if digit:
                raise ValueParseError(f"two digits in a row in {text!r}")
            digit = _CN_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * 10 ** _CN_UNITS[c]
            digit = None
    return total + (digit or 0)


def parse_number(text: str) -> float:
    """Parse an Arabic (possibly with thousands commas) or Chinese numeral.

    >>> parse_number("1,085")
    1085.0
    >>> parse_number("三")
    3.0
    """
    t = to_halfwidth(text).strip()
    if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", t):
        if len(t) > 1 and t[0] == "0" and t[1] != ".":
            # 超00名: a leading zero is what OCR leaves of a lost digit, never how a plan writes a number.
            raise ValueParseError(f"leading zero in {text!r} (OCR damage?)")
        return float(t.replace(",", ""))
    return float(chinese_numeral_to_int(t))


def comparator_cue(text: str) -> str | None:
    """The comparator that words in ``text`` imply (超 → ``>=``, 左右 → ``~``), or None.

    >>> comparator_cue("85分以上"), comparator_cue("83分左右"), comparator_cue("11.5件")
    ('>=', '~', None)
    >>> comparator_cue("达20项以 上")  # OCR spaces inside the word, as parse_value reads it
    '>='
    """
    t = re.sub(r"\s+", "", to_halfwidth(text))
    for hedge in _HEDGES:
        if t.startswith(hedge):
            t = t[len(hedge):]
    for word, cmp_ in _SUFFIX_CUES:
        if word in t:
            return cmp_
    if t[:1] == "上" and t[1:2] in "百千万亿":
        return ">="  # 上千家: "upwards of a thousand"
    prefix = next((c for w, c in _PREFIX_CUES if t.startswith(w)), None)
    if prefix not in (None, "="):
        return prefix
    # 达3000余万元: 余/多 ("more than") is more specific than a plain 达 ("reaches").
    m = _NUMBER_RE.search(t)
    if m:
        rest = t[m.end():]
        rest = next((rest[len(w):] for w in _MULTIPLIERS if rest.startswith(w)), rest)
        for r in (t[m.end():], rest):
            if r[:1] and r[0] in _INFIX_CUES:
                return _INFIX_CUES[r[0]]
    return prefix


def is_hedged(text: str) -> bool:
    """True when ``text`` contains a hedge (力争/争取/努力 …) that makes a target aspirational."""
    return any(h in text for h in _HEDGES)


def prefix_cue(before: str) -> str:
    """The comparator word ending ``before``, which belongs to the number that follows ('' when none).

    The extractor uses it to take 超过/突破/达到 into ``value_text`` without a second list of cue words.

    >>> prefix_cue("拥有量力争超过"), prefix_cue("融资金额突破"), prefix_cue("每万人口"), prefix_cue("惠及上")
    ('超过', '突破', '', '')
    """
    m = _PREFIX_CUE_AT_END.search(to_halfwidth(before))
    return m.group() if m else ""


# The earliest start that reaches the end is the longest cue word (超过 rather than 过, 达到 rather than 到).
_PREFIX_CUE_AT_END = re.compile("(?:" + "|".join(re.escape(w) for w, _ in _PREFIX_CUES) + ")$")


def _strip_prefix(t: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in (*_HEDGES, *(w for w, _ in _PREFIX_CUES)):
            if t.startswith(word):
                t, changed = t[len(word):], True
    return t


def parse_value(value_text: str) -> ParsedValue:
    """Parse a number as written in a plan into base units.

    >>> parse_value("突破25亿元")
    ParsedValue(value=2500000000.0, value_high=None, counter='元', unit_mult=8, comparator='>=')
    >>> parse_value("2-3家")
    ParsedValue(value=2.0, value_high=3.0, counter='家', unit_mult=0, comparator='range')
    >>> parse_value("７０万件").value
    700000.0
    """
    if not isinstance(value_text, str) or not value_text.strip():
        raise ValueParseError("empty value text")
    t = re.sub(r"\s+", "", to_halfwidth(value_text))
    cmp_ = comparator_cue(t)
    for word, (val, counter) in _WORD_VALUES.items():
        if word in t:
            return ParsedValue(val, None, counter, 0, cmp_)
    for word, _ in _SUFFIX_CUES:
        if t.endswith(word):
            t = t[: -len(word)]
    t = _strip_prefix(t)
    frac = _FRACTION_RE.fullmatch(t)
    if frac:
        # 三分之一 → a share in percent.
        den, num = parse_number(frac.group(1)), parse_number(frac.group(2))
        if den == 0:
            raise ValueParseError(f"zero denominator in {value_text!r}")
        return ParsedValue(100.0 * num / den, None, "%", 0, cmp_)
    if not t:
        raise ValueParseError(f"no number in {value_text!r}")
    if t[:1] == "上" and t[1:2] in "百千万亿":
        t = t[1:]
    # A bare multiplier stands for one of it: 超万人 → 1e4.
    m = _NUMBER_RE.match(t)
    if m is None:
        bare = next((k for k in _MULTIPLIERS if t.startswith(k)), None)
        if bare is None:
            raise ValueParseError(f"no number in {value_text!r}")
        num, high, rest = 1.0, None, t
    else:
        try:
            num = parse_number(m.group("num"))
            high = parse_number(m.group("high")) if m.group("high") else None
        except ValueParseError as exc:
            raise ValueParseError(f"{exc} in {value_text!r}") from None
        rest = t[m.end():]
    if rest[:1] in _INFIX_CUES:
        rest = rest[1:]
    mult = 0
    for word, power in _MULTIPLIERS.items():
        if rest.startswith(word):
            mult, rest = power, rest[len(word):]
            break
    if rest[:1] in _INFIX_CUES:
        rest = rest[1:]
    counter = rest
    if high is not None:
        if high < num:
            raise ValueParseError(f"range high end below low end in {value_text!r}")
        cmp_ = "range"
    scale = 10.0**mult
    return ParsedValue(
        _clean(num * scale), None if high is None else _clean(high * scale), counter, mult, cmp_
    )


# 增长X倍 ("grew by X times"): the new level is X+1 times the base, so 增长了1.51倍 is 2.51 times the 2015 level
# (an outside 2018 figure for Suzhou confirms this reading). It is stored as a growth of X×100 % beside the
# plans' other growth rates in %, a fixed conversion of the digits as written (like 亿 → 1e8), never as the
# multiple X. 为…的1.7倍 and 翻一番 state the multiple itself and stay multiples.
_GROWTH_VERB_AT_END = re.compile(r"(?:增长|增加|提高|提升|上升|增)了?$")


def is_growth_times(before: str) -> bool:
    """True when the words just before an X倍 value make it a growth (增长了1.51倍), not a multiple (为…的1.7倍).

    >>> is_growth_times("万人发明专利拥有量达68.85件,增长了"), is_growth_times("为全国平均水平的")
    (True, False)
    """
    return bool(_GROWTH_VERB_AT_END.search(re.sub(r"\s+", "", to_halfwidth(before))))


def times_as_growth(value_text: str) -> ParsedValue:
    """An X倍 written after 增长 as a growth rate in percent: X × 100 (增长了1.51倍 → 151 %, 2.51 times the base).

    >>> times_as_growth("1.51倍")
    ParsedValue(value=151.0, value_high=None, counter='%', unit_mult=0, comparator=None)
    >>> times_as_growth("3.4倍").value
    340.0
    """
    if any(w in value_text for w in _WORD_VALUES):
        raise ValueParseError(f"{value_text!r} states a multiple (翻一番 = 2 times), not a growth in 倍")
    p = parse_value(value_text)
    if p.counter != "倍":
        raise ValueParseError(f"{value_text!r} is not written in 倍")
    high = None if p.value_high is None else _clean(p.value_high * 100)
    return ParsedValue(_clean(p.value * 100), high, "%", p.unit_mult, p.comparator)


def _clean(x: float) -> float:
    """Round away binary noise (1.3 * 1e8 = 130000000.00000001) to 12 significant digits."""
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.12g}")


def format_chinese(value: float, counter: str = "") -> str:
    """Write ``value`` the way a plan would: 万/亿 multipliers for round large numbers.

    >>> format_chinese(2.5e9, "元"), format_chinese(700000, "件"), format_chinese(11.5, "件")
    ('25亿元', '70万件', '11.5件')
    """
    for word, power in (("亿", 8), ("万", 4)):
        scaled = value / 10**power
        if abs(value) >= 10**power and _clean(scaled) == round(_clean(scaled), 4):
            return f"{_fmt(_clean(scaled))}{word}{counter}"
    return f"{_fmt(value)}{counter}"


def _fmt(x: float) -> str:
    return f"{x:.12g}" if x != int(x) else str(int(x))
