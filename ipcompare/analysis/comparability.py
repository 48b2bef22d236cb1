"""The comparability model, declared once (DESIGN §4): which two values may be set side by side, and why not.

Every comparison the library, a chart or a report makes goes through :func:`verdict`. Two values are
comparable when they have the same indicator, measure, ``per`` and unit; for totals over a period the same
period length; for absolute amounts (counts, money) the same geography level — a city meets a nation only
through an intensity; and target years within a window (±1 year by default) unless aligned by a labelled model.
The rule is symmetric: ``verdict(a, b)`` and ``verdict(b, a)`` agree.

Caveats are short codes; :data:`CAVEATS` gives their wording in zh and en, used as report footnotes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["Rules", "RULES", "Verdict", "verdict", "basis", "is_absolute", "is_rate_like", "row_caveats", "CAVEATS",
           "BLOCKING", "caveat_text", "join_caveats", "split_caveats"]

# Units that count things or money: adding them up across a population is meaningful, so their size depends
# on how big the place is, and two places of different size are not comparable as they stand.
# Durations (months, days) are not: a 3-month examination time does not grow with the city.
_ABSOLUTE_UNITS = {"item", "organisation", "person", "person_time", "event", "CNY", "USD"}
_ABSOLUTE_MEASURES = {"stock", "annual", "cumulative", "new_in_period"}
# Measures that are ratios already: a per-capita of these is meaningless.
RATE_MEASURES = {"share", "score", "growth_rate", "change_pp", "multiple"}
_RATE_UNITS = {"percent", "points", "times", "percentage_point"}
PERIOD_MEASURES = {"cumulative", "new_in_period"}


@dataclass(frozen=True)
class Rules:
    """Parameters of the model. ``window``: how many years apart two target years may be and still be compared
    as stated; ``min_peers``: members a peer median needs; ``max_peers``: the bound on a peer set, so that a
    report's cost does not grow with the number of cities; ``denominator_window``: how many years a population
    or GDP figure may lie before the value it divides."""

    window: int = 1
    min_peers: int = 3
    max_peers: int = 10
    denominator_window: int = 2


RULES = Rules()

CAVEATS: dict[str, tuple[str, str]] = {
    # blocking: the pair is not comparable
    "indicator_differs": ("指标不同", "different indicators"),
    "measure_differs": ("计量口径不同（存量/年度/累计等）", "different measures (stock / annual / period total …)"),
    "per_differs": ("一个是人均/密度指标，另一个是总量", "one is an intensity, the other a total"),
    "unit_differs": ("单位不同（如分与%）", "different units (e.g. points vs percent)"),
    "period_length_differs": ("累计期长度不同", "totals over periods of different length"),
    # Said of a county-level city against a prefecture as of a city against the nation: no "nation" in the words.
    "level_differs": ("总量不能跨行政层级比较（不同层级之间只比人均或地均强度）",
                      "absolute amounts of different levels of geography (places of different levels meet only per "
                      "capita or per GDP)"),
    "years_apart": ("目标年份相差超过比较窗口", "target years further apart than the comparison window"),
    "too_few_peers": ("可比城市不足3个，不计算中位数", "fewer than 3 comparable peers: no median"),
    "no_benchmark": ("基准无同口径数值", "no benchmark value on the same basis"),
    "no_denominator": ("缺少有来源的人口或GDP数据，无法换算强度", "no sourced population or GDP figure to compute an intensity"),
    "no_value": ("数值无法辨认（OCR）", "value unreadable (OCR)"),
    "part_of_list": ("分项数值，不单独比较", "a part of a list, not compared on its own"),
    "not_after_baseline": ("基期不早于目标年份", "baseline not before the target year"),
    # informative: comparable, but read with care
    "years_differ": ("年份不同（在比较窗口内，未对齐）", "years differ (within the window; not aligned)"),
    "partial_year": ("目标时点为年中某月", "target date is a month within the year"),
    "ambiguous_measure": ("原文未明示为存量、年度或累计，按注释判断", "the text does not say stock, annual or total; curator's reading"),
    "ambiguous_year": ("原文未明示年份，按注释判断", "the year is not stated; curator's reading"),
    "ambiguous_indicator": ("原文统计口径不完全明确", "the concept counted is not fully clear"),
    "aspirational": ("力争目标（非约束性）", "aspirational target (力争)"),
    "range": ("区间目标，按中值计", "a range, taken at its midpoint"),
    "approximate": ("约数", "an approximate figure"),
    "conflicting_mentions": ("规划中同一指标有不同数值，按规则取其一", "the plan states different values; one picked by rule"),
    "modelled": ("模型推算值", "modelled value"),
    "intensity": ("按人口或GDP换算的强度", "converted to an intensity by population or GDP"),
    "denominator_year_differs": ("换算所用人口/GDP年份与数值年份不同", "the denominator's year differs from the value's"),
    "mid_year": ("年中数据", "mid-year figure"),
    "other_era": ("不同时期的规划", "a plan of another era"),
}
BLOCKING = {"indicator_differs", "measure_differs", "per_differs", "unit_differs", "period_length_differs",
            "level_differs", "years_apart", "too_few_peers", "no_benchmark", "no_denominator", "no_value",
            "part_of_list", "not_after_baseline"}
_FLAG_CAVEATS = {"ambiguous_measure", "ambiguous_year", "ambiguous_indicator", "partial_year"}


@dataclass(frozen=True)
class Verdict:
    """Whether a pair is comparable, and the caveats (blocking reasons first)."""

    comparable: bool
    caveats: tuple[str, ...]

    @property
    def text(self) -> str:
        return join_caveats(self.caveats)


def _s(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def is_rate_like(row: Mapping) -> bool:
    """True for rates, shares, scores, growth rates and multiples: they have no per-capita or per-GDP form."""
    return (_s(row.get("measure")) in RATE_MEASURES or _s(row.get("unit")) in _RATE_UNITS
            or _s(row.get("per")) != "")


def is_absolute(row: Mapping) -> bool:
    """True for counts and money not already divided by anything: their size depends on the place's size."""
    return (_s(row.get("per")) == "" and _s(row.get("unit")) in _ABSOLUTE_UNITS
            and _s(row.get("measure")) in _ABSOLUTE_MEASURES)


def _period_len(row: Mapping) -> int | None:
    ps, pe = row.get("period_start"), row.get("period_end")
    if ps is None or pe is None or pd.isna(ps) or pd.isna(pe):
        return None
    return int(pe) - int(ps) + 1


def row_caveats(row: Mapping) -> list[str]:
    """Caveats one observation carries on its own: ambiguous flags, 力争, ranges, conflicts, a month."""
    out = []
    flags = set(filter(None, _s(row.get("flags")).split(";")))
    out += sorted(flags & _FLAG_CAVEATS)
    if "conflict" in flags:
        out.append("conflicting_mentions")
    if "mid_year" in flags:
        out.append("mid_year")
    if _s(row.get("commitment")) == "aspirational":
        out.append("aspirational")
    if _s(row.get("comparator")) == "range":
        out.append("range")
    if _s(row.get("comparator")) == "~":
        out.append("approximate")
    if _s(row.get("month")) and "partial_year" not in out:
        out.append("partial_year")
    return out


def verdict(a: Mapping, b: Mapping, rules: Rules = RULES, check_years: bool = True) -> Verdict:
    """Are two observation-like rows comparable? Rows need indicator, measure, per, unit, year, level (the
    geography's level, e.g. ``prefecture``, ``national``) and optionally period_start/period_end, flags,
    commitment, comparator, month. ``check_years=False`` for a city's own baseline → target pairs."""
    block: list[str] = []
    if _s(a.get("indicator")) != _s(b.get("indicator")):
        block.append("indicator_differs")
    if _s(a.get("measure")) != _s(b.get("measure")):
        block.append("measure_differs")
    if _s(a.get("per")) != _s(b.get("per")):
        block.append("per_differs")
    if _s(a.get("unit")) != _s(b.get("unit")):
        block.append("unit_differs")
    la, lb = _period_len(a), _period_len(b)
    both_periods = _s(a.get("measure")) in PERIOD_MEASURES and _s(b.get("measure")) in PERIOD_MEASURES
    if both_periods and la is not None and lb is not None and la != lb:
        block.append("period_length_differs")
    if (is_absolute(a) or is_absolute(b)) and _s(a.get("level")) != _s(b.get("level")):
        block.append("level_differs")
    for r in (a, b):
        v = r.get("value")
        if v is None or pd.isna(v):
            block.append("no_value")
            break
    info: list[str] = []
    if check_years:
        ya, yb = int(a.get("year")), int(b.get("year"))
        if abs(ya - yb) > rules.window:
            block.append("years_apart")
        elif ya != yb:
            info.append("years_differ")
    for r in (a, b):
        info += row_caveats(r)
    return Verdict(not block, tuple(dict.fromkeys(block + info)))


def basis(row: Mapping) -> tuple:
    """Everything :func:`verdict` reads to block a pair, except the year: rows with equal bases are
    interchangeable in a verdict's ``comparable`` (with ``check_years=False``). Keep in step with verdict."""
    measure = _s(row.get("measure"))
    v = row.get("value")
    return (_s(row.get("indicator")), measure, _s(row.get("per")), _s(row.get("unit")),
            _period_len(row) if measure in PERIOD_MEASURES else None, is_absolute(row), _s(row.get("level")),
            v is None or bool(pd.isna(v)))


def join_caveats(codes) -> str:
    """Caveat codes as one ';'-separated string, in a stable order (blocking first), no repeats."""
    codes = [c for c in dict.fromkeys(codes) if c]
    return ";".join(sorted(codes, key=lambda c: (c not in BLOCKING, list(CAVEATS).index(c) if c in CAVEATS else 99)))


def split_caveats(text: str | None) -> list[str]:
    """The inverse of :func:`join_caveats`."""
    return [c for c in _s(text).split(";") if c]


def caveat_text(code: str, lang: str = "zh") -> str:
    """Wording of a caveat code for a footnote.

    >>> caveat_text("level_differs", "en")[:24]
    'absolute amounts of diff'
    """
    zh, en = CAVEATS.get(code, (code, code))
    return zh if lang == "zh" else en
