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
_CN_BIG = {"万": 4, "亿": 8}
_ZEROS = "零〇"
# Larger than any amount a plan states (the national GDP is ~1.3e14 元); a bigger value is damage, not data.
_MAX_VALUE = 1e15
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
_PREFIX_FIRST = frozenset(w[0] for w, _ in _PREFIX_CUES)  # most values start with a digit: no cue to try

_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_NUMERAL = "[" + _CN_NUM_CHARS + "][" + _CN_NUM_CHARS + "点]*"
_NUMBER_RE = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|" + _CN_NUMERAL + ")"
    r"(?:\s*(?:-|~|～|—|–|至|到)\s*(?P<high>\d+(?:\.\d+)?|" + _CN_NUMERAL + "))?"
)
_WORD_VALUES = {
    # 翻一番 doubles, 翻两番 quadruples: the value is the multiple of the baseline.
    "翻一番": (2.0, "倍"),
    "翻一倍": (2.0, "倍"),
    "翻两番": (4.0, "倍"),
}
_FRACTION_RE = re.compile(r"([" + _CN_NUM_CHARS + r"\d]+)分之([" + _CN_NUM_CHARS + r"点\d.]+)")
# 百分之五, 千分之三: the denominator is a bare unit.
_BARE_DENOMINATORS = {"百": 100.0, "千": 1000.0, "万": 10000.0}


def _small_section(s: str, text: str, *, first: bool) -> int:
    """A section below 10^4 in standard form: 三千零五, 一百二十, 十二 (a bare 十 only where a numeral starts).

    The omitted-unit shorthand (一千五 for 1500) and a gap without 零 (一千五十) are refused: both are
    ambiguous in print, and a plan that meant them wrote the full form.
    """
    if not s:
        return 0
    total, prev_power, i, zero = 0, 4, 0, False
    while i < len(s):
        c = s[i]
        if c in _ZEROS:
            if zero or i == 0 or i == len(s) - 1:
                raise ValueParseError(f"misplaced 零 in {_show(text)}")
            zero, i = True, i + 1
            continue
        if c in _CN_DIGITS:
            digit, i = _CN_DIGITS[c], i + 1
            if i < len(s) and s[i] in _CN_UNITS:
                power, i = _CN_UNITS[s[i]], i + 1
            elif i < len(s):
                raise ValueParseError(f"two digits in a row in {_show(text)}")
            else:
                power = 0
        elif c in _CN_UNITS:
            if not (c == "十" and first and i == 0):
                raise ValueParseError(f"{c} without a digit before it in {_show(text)}")
            digit, power, i = 1, 1, i + 1
        else:
            raise ValueParseError(f"not a Chinese numeral: {_show(text)}")
        if power >= prev_power:
            raise ValueParseError(f"units out of order in {_show(text)}")
        gap = prev_power - power > 1 and total > 0
        if gap != zero:
            raise ValueParseError(f"{'missing' if gap else 'misplaced'} 零 in {_show(text)}")
        total, prev_power, zero = total + digit * 10**power, power, False
    return total


def _big_section(s: str, big: str, text: str, *, first: bool) -> int:
    """A numeral below 10^(4·2) split at 万 or 亿: head × 10^p + tail, with 零 exactly when tail skips a place."""
    power = _CN_BIG[big]
    head, sep, tail = s.partition(big)
    if not sep:
        return _small_section(s, text, first=first) if big == "万" else _big_section(s, "万", text, first=first)
    if big in tail:
        raise ValueParseError(f"{big} twice in {_show(text)}")
    if not head:
        raise ValueParseError(f"{big} without a number before it in {_show(text)}")
    hi = _small_section(head, text, first=first) if big == "万" else _big_section(head, "万", text, first=first)
    zero = tail[:1] in _ZEROS and len(tail) > 1
    lo_text = tail[1:] if zero else tail
    lo = _small_section(lo_text, text, first=False) if big == "万" else _big_section(lo_text, "万", text, first=False)
    skips = lo < 10 ** (power - 1)
    # 一亿一万: the 万 states the place, so the 零 of 一亿零一万 may be left out; 一万五百 needs its 零.
    if lo and (zero and not skips or skips and not zero and not (big == "亿" and "万" in lo_text)):
        raise ValueParseError(f"{'misplaced' if zero else 'missing'} 零 after {big} in {_show(text)}")
    if tail and not lo:
        raise ValueParseError(f"misplaced 零 in {_show(text)}")
    return hi * 10**power + lo


def chinese_numeral_to_int(text: str) -> int:
    """Convert a Chinese integer numeral (up to 亿, in standard form) or a digit string like 二〇二五 to an int.

    Malformed numerals are refused rather than guessed: 十十, 十百, 二十三十, 千千千, 一千五 (1500 or 1005?).

    >>> chinese_numeral_to_int("一千五百"), chinese_numeral_to_int("十二万五千"), chinese_numeral_to_int("一亿二千万")
    (1500, 125000, 120000000)
    """
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS and c not in _CN_BIG for c in text):
        raise ValueParseError(f"not a Chinese numeral: {_show(text)}")
    if all(c in _CN_DIGITS for c in text):
        if len(text) > 1 and text[0] in _ZEROS:
            raise ValueParseError(f"leading 零 in {_show(text)}")
        if len(text) > 16:
            raise ValueParseError(f"{_show(text)} is beyond any amount a plan states")
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    return _big_section(text, "亿", text, first=True)


def chinese_numeral_value(text: str) -> float:
    """A Chinese numeral with an optional decimal part: 零点五 → 0.5, 十二点三五 → 12.35."""
    whole, sep, frac = text.partition("点")
    if not sep:
        return float(chinese_numeral_to_int(text))
    if not whole or not frac or any(c not in _CN_DIGITS for c in frac):
        raise ValueParseError(f"malformed decimal numeral {_show(text)}")
    return float(f"{chinese_numeral_to_int(whole)}.{''.join(str(_CN_DIGITS[c]) for c in frac)}")


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
            raise ValueParseError(f"leading zero in {_show(text)} (OCR damage?)")
        value = float(t.replace(",", ""))
    else:
        value = chinese_numeral_value(t)
    if not value <= _MAX_VALUE:
        raise ValueParseError(f"{_show(text)} is beyond any amount a plan states")
    return value


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
    prefix = next((c for w, c in _PREFIX_CUES if t.startswith(w)), None) if t[:1] in _PREFIX_FIRST else None
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


_STRIP_WORDS = (*_HEDGES, *(w for w, _ in _PREFIX_CUES))
# Most values start with a digit: a pass that no word can match is skipped (it was 4.5 million startswith calls
# for 600 documents).
_STRIP_FIRST = frozenset(w[0] for w in _STRIP_WORDS)


def _strip_prefix(t: str) -> str:
    changed = True
    while changed and t[:1] in _STRIP_FIRST:
        changed = False
        for word in _STRIP_WORDS:
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
        den = _BARE_DENOMINATORS.get(frac.group(1)) or parse_number(frac.group(1))
        num = parse_number(frac.group(2))
        if den == 0:
            raise ValueParseError(f"zero denominator in {_show(value_text)}")
        return ParsedValue(100.0 * num / den, None, "%", 0, cmp_)
    if not t:
        raise ValueParseError(f"no number in {_show(value_text)}")
    if t[:1] == "上" and t[1:2] in "百千万亿":
        t = t[1:]
    m = _NUMBER_RE.match(t)
    if m is None:
        raise ValueParseError(f"no number in {_show(value_text)}")
    rest = t[m.end():]
    try:
        num, mult = _scaled_number(m.group("num"))
        high, high_mult = _scaled_number(m.group("high")) if m.group("high") else (None, 0)
    except ValueParseError as exc:
        raise ValueParseError(f"{_show(value_text)}: {exc}") from None
    if high is not None and high_mult and not mult:
        num, mult = num * 10.0**high_mult, high_mult  # 二至三万: the multiplier belongs to both ends
    if rest[:1] in _INFIX_CUES:
        rest = rest[1:]
    for word, power in _MULTIPLIERS.items():
        if rest.startswith(word):
            if mult:
                raise ValueParseError(f"two multipliers in {_show(value_text)}")
            scale = 10.0**power
            num, high, mult, rest = num * scale, None if high is None else high * scale, power, rest[len(word):]
            break
    if rest[:1] in _INFIX_CUES:
        rest = rest[1:]
    counter = rest
    if counter[:1] and (counter[0].isdigit() or counter[0] in _CN_NUM_CHARS + "点."):
        raise ValueParseError(f"cannot read the number in {_show(value_text)}")
    if high is not None:
        if high < num:
            raise ValueParseError(f"range high end below low end in {_show(value_text)}")
        cmp_ = "range"
    for v in (num, high):
        if v is not None and not v <= _MAX_VALUE:
            raise ValueParseError(f"{_show(value_text)} is beyond any amount a plan states")
    return ParsedValue(_clean(num), None if high is None else _clean(high), counter, mult, cmp_)


def _scaled_number(text: str) -> tuple[float, int]:
    """The value of a numeral in base units and the power of ten of its multiplier (三万 → 30000, 4).

    A bare multiplier stands for one of it (超万人 → 1e4, 上千家 → 1000); a Chinese numeral ending in 万/亿
    keeps that multiplier as ``unit_mult``, one with 万 or 亿 inside (一亿二千万) the largest it holds.
    """
    if text[0].isdigit():
        return parse_number(text), 0
    if text in ("百", "千", "百万", "千万", "百亿", "千亿"):
        text = "一" + text
    for word, power in (("万亿", 12), ("亿", 8), ("万", 4)):
        if text == word:
            return 10.0**power, power
        head = text[: -len(word)]
        if text.endswith(word) and not any(c in head for c in _CN_BIG):
            return parse_number(head) * 10.0**power, power
    value = parse_number(text)
    return value, max((p for c, p in _CN_BIG.items() if c in text), default=0)


def _show(text: str) -> str:
    """``text`` quoted for an error message, cut short so that hostile input cannot flood the terminal."""
    return repr(text) if len(text) <= 40 else repr(text[:40]) + f"… ({len(text)} characters)"


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
