"""Numbers in indicator tables: a header row with year columns, then a row per indicator.

    指标名称 | 单位 | 2020年（基期） | 2025年（目标） | 属性
    每万人口高价值发明专利拥有量 | 件 | 5.2 | 11.5 | 预期性

Plans put their headline targets in such tables (text pasted from HTML or PDF keeps the cells apart with |, tabs
or runs of spaces). A cell's number has no counter of its own: the unit comes from the row (a 单位 column, or
(件) after the name), the year and kind from the column's header (基期/现状 → baseline; a year before the plan
→ baseline; else target). Pure: the text in, candidates out; the extractor drops the numbers it reads here
from the ordinary scan, so no number is counted twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipcompare.extract.context import Candidate, PlanPeriod
from ipcompare.extract.view import normalise_phrase
from ipcompare.extract.vocab import Vocabulary
from ipcompare.numbers import ValueParseError, parse_value
from ipcompare.statements import resolve_unit

__all__ = ["TableCell", "read_tables"]

_SPLIT = re.compile(r"\s*(?:[|｜\t]|\s{2,}|\u3000+)\s*")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年?")
_BASE_WORDS = ("基期", "基数", "现状", "基准", "实际", "完成")
_NUMBER = re.compile(r"^\s*[约超近]?\s*[0-9]+(?:[.,][0-9]+)*\s*(?:%|％)?\s*(?:以上|左右)?\s*$")
_UNIT_IN_NAME = re.compile(r"[(（]([^()（）]{1,6})[)）]\s*$")
_NATURE = re.compile(r"(预期|约束)性")


@dataclass(frozen=True)
class TableCell:
    """Offsets (in the stored text) of a cell the table reader turned into a candidate."""

    start: int
    end: int


def _cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    """Cells of a table line with their offsets; the line's own separators decide (|, tab, 2+ spaces)."""
    out, pos = [], 0
    for m in _SPLIT.finditer(line):
        if m.start() > pos:
            out.append((line[pos : m.start()], offset + pos, offset + m.start()))
        pos = m.end()
    if pos < len(line.rstrip()):
        end = len(line.rstrip())
        out.append((line[pos:end], offset + pos, offset + end))
    return [(t, a, b) for t, a, b in out if t.strip()]


def read_tables(text: str, vocab: Vocabulary, period: PlanPeriod | None,
                header: dict | None = None) -> tuple[list[Candidate], list[TableCell], dict | None]:
    """Candidates for the numbers of every indicator table in ``text``, the cells they came from, and the header
    of a table still open at the end (``header`` is that of the previous part of a streamed document)."""
    candidates: list[Candidate] = []
    used: list[TableCell] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        cells = _cells(line.rstrip("\r\n"), offset)
        offset += len(line)
        years = {i: _column(t) for i, (t, _, _) in enumerate(cells) if _YEAR.search(t) and len(t) <= 16}
        if len(years) >= 2 and len(cells) >= 3:
            units = next((i for i, (t, _, _) in enumerate(cells) if t.strip() == "单位"), None)
            nature = next((i for i, (t, _, _) in enumerate(cells) if "属性" in t or "性质" in t), None)
            header = {"years": years, "n": len(cells), "unit": units, "nature": nature}
            continue
        if header is None:
            continue
        if len(cells) < 3 or not any(_NUMBER.match(t) for t, _, _ in cells):
            header = None if not line.strip() or len(cells) < 2 else header
            continue
        for cand, cell in _row(cells, header, vocab, period, text):
            candidates.append(cand)
            used.append(cell)
    return candidates, used, header


def _column(header_cell: str) -> tuple[int, bool]:
    m = _YEAR.search(header_cell)
    return int(m.group(1)), any(w in header_cell for w in _BASE_WORDS)


def _row(cells, header, vocab: Vocabulary, period: PlanPeriod | None, text: str):
    """The candidates of one row: one per year column holding a number."""
    # Cells are aligned from the right when the row lacks a leading 序号 cell the header has (or the reverse).
    shift = len(cells) - header["n"]
    name_i = next((i for i, (t, _, _) in enumerate(cells) if re.search(r"[\u4e00-\u9fff]", t)
                   and not _NUMBER.match(t)), None)
    if name_i is None:
        return
    name, qs, qe = cells[name_i]
    unit = ""
    if header["unit"] is not None and 0 <= header["unit"] + shift < len(cells):
        unit = cells[header["unit"] + shift][0].strip()
    m = _UNIT_IN_NAME.search(name)
    if m and not unit:
        unit = m.group(1).strip()
    phrase = normalise_phrase(_UNIT_IN_NAME.sub("", name))
    nature = ""
    if header["nature"] is not None and 0 <= header["nature"] + shift < len(cells):
        n = _NATURE.search(cells[header["nature"] + shift][0])
        nature = f"The plan marks it {'indicative (预期性)' if n.group(1) == '预期' else 'binding (约束性)'}." if n else ""
    code, proposal, why, conf = vocab.namer.name(phrase, vocab, unit)
    for col, (year, base_word) in sorted(header["years"].items()):
        i = col + shift
        if not (0 <= i < len(cells)) or i == name_i:
            continue
        cell, a, b = cells[i]
        if not _NUMBER.match(cell):
            continue
        counter = "" if re.search(r"[%％]", cell) else unit
        try:
            p = parse_value(re.sub(r"\s", "", cell) + counter)
        except ValueParseError:
            continue
        # Without a known plan span, the earlier year columns of a table are its baselines (基期 … 目标).
        last = max(y for y, _ in header["years"].values())
        baseline = base_word or (year < period.start if period is not None else year < last)
        qs, qe = cells[0][1], cells[-1][2]
        c = Candidate(qs, qe, a, b, text[qs:qe], cell)
        c.indicator, c.proposal, c.confidence = code, proposal, conf
        c.value, c.value_high, c.comparator = p.value, p.value_high, p.comparator or "="
        counter = p.counter  # 亿元 → 元 once the multiplier is read
        c.kind, c.year, c.counter = ("baseline" if baseline else "target"), year, counter
        c.reasons = [why, f"kind: {c.kind}, year {year}: the table column {year}{' (基期)' if base_word else ''}",
                     f"value: a table cell; unit {unit or 'none'} from the row"]
        c.note = nature
        _measure(c, phrase, counter)
        ind = vocab.registry.indicators.get(code)
        if ind is not None:
            c.unit = resolve_unit(ind, c.measure, counter, vocab.registry) or ""
            c.per = ind.per or ""
            if not c.unit and counter:
                c.flags.append("ambiguous_indicator")
                c.reasons.append(f"indicator: unit {counter!r} does not fit {ind.code} ({ind.unit}); review")
                c.confidence = min(c.confidence, 0.4)
        elif proposal:
            c.unit, c.per = proposal.get("unit") or "", proposal.get("per") or ""
        yield c, TableCell(a, b)


def _measure(c: Candidate, phrase: str, counter: str) -> None:
    """A table row's measure from its name: % → share (growth_rate after 增长), 年均 → annual, 累计 → cumulative,
    else a stock; anything but an explicit marker is flagged for the reviewer."""
    if "%" in c.value_text or "％" in c.value_text or counter in ("%", "％"):
        c.measure = "growth_rate" if any(w in phrase for w in ("增长", "增幅", "增速")) else "share"
    elif counter == "分":
        c.measure = "score"
    elif counter == "元" and "累计" not in phrase:
        c.measure = "annual"  # money is a flow: a year's worth unless the row says otherwise
        c.flags.append("ambiguous_measure")
    elif "年均" in phrase or "年度" in phrase or phrase.startswith("年"):
        c.measure = "annual"
    elif "累计" in phrase:
        c.measure = "cumulative"
    else:
        c.measure = "stock"
        c.flags.append("ambiguous_measure")
    c.reasons.append(f"measure: {c.measure} (from the row's name)")
