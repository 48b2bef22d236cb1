"""Read the context of each number: which indicator, target or baseline, which year, which measure.

Everything works on the matching view (``view.TextView.norm``) of one document. Decisions are rules a reader
of these plans would apply, in order of evidence: the clause around the number first, then its sentence,
then the section it sits in, then the plan as a whole. Every choice that was not certain adds a reason,
and lowers the confidence, so a reviewer knows where to look.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from ipcompare.extract.candidates import NumberToken, title_end
from ipcompare.extract.naming import clean_left, clean_right, proposal_unit, split_coordinated
from ipcompare.extract.parts import CARRIED, Carry
from ipcompare.extract.view import TextView
from ipcompare.extract.vocab import AliasHit, Vocabulary
from ipcompare.numbers import (
    ValueParseError,
    chinese_numeral_to_int,
    comparator_cue,
    is_growth_times,
    is_hedged,
    parse_value,
)
from ipcompare.statements import resolve_unit

__all__ = ["Candidate", "PlanPeriod", "DocContext", "YearTally", "infer_plan_period", "period_from_heading"]

# A paragraph break or list item (view.PARAGRAPH, a newline kept in the view) ends a sentence like 。.
_CLAUSE_MARKS = re.compile(r"[,;。!?:\n]")
_SENTENCE_MARKS = re.compile(r"[。!?\n]")
_HEADING = re.compile(r"(?:(?P<top>[一二三四五六七八九十]{1,2})、|\((?P<sub>[一二三四五六七八九十]{1,2})\))")
_HEADING_CUT = re.compile(r"[,。;:(]")
_BASELINE_HEADINGS = ("成效", "成就", "回顾", "基础", "现状", "进展", "成绩", "总结")
_FYP = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}  # 十X五 → first year

_YEAR_PHRASE = re.compile(
    r"(?=[截到至较比从自12十])(?P<pre>截至到|截止到|截至|截止|到|至|较|比|从|自)?"
    r"(?:(?P<y>(?:19|20)[0-9]{2})年(?:(?P<m>[0-9]{1,2})月)?|十(?P<fyp>[一二三四五])五)"
    r"(?P<post>时期|期间|以来|规划|底|末|初|起|的)?"
)
_DURATION = re.compile(r"(?P<n>[0-9]{1,2}|[一二两三四五六七八九十]{1,2})年(?:内|间)")
_PERIOD_RANGE = re.compile(r"((?:19|20)[0-9]{2})年?(?:-|~|至|到)?((?:19|20)[0-9]{2})年")

_GROWTH = ("增长", "增幅", "增速", "提高", "提升", "增加", "上升")
_STOCK_WORDS = ("拥有量", "有效", "总量", "总数", "存量", "拥有")
_NEW_WORDS = ("新增", "新建", "新申请", "新收", "新引进", "新培育", "新认定")
_VERBS = (
    "培育", "建设", "建立", "打造", "创建", "引育", "引进", "引入", "培养", "扶持", "支持", "实施", "开展", "举办",
    "组织", "申报", "指导", "完成", "查处", "办理", "调解", "调处", "提供", "发放", "发布", "惠及", "规避",
    "获得", "投入", "认定", "推动", "入选", "抓获", "立案", "审结", "引导", "服务",
)
# Words right before a number saying a level is reached (达到50家, 扩大到120人), and words saying a stock exists.
_REACH_VERBS = ("达到", "达", "增加至", "增加到", "增至", "扩大到", "扩大至", "提高到", "提升至", "提升到")
_LEVEL_WORDS = ("建成", "形成", "现有", "累计达")
_LEVEL_CUES = ("超", "超过", "突破", "达", "达到", "逾")
# Verbs that set up lasting facilities: in a report of past results they describe what exists (建立了12家…).
_SETUP_VERBS = ("建立", "建成", "建设", "创建", "设立")
_FLOW_CODES = ("application", "grant", "registration", "financing", "contract_value", "royalties", "revenue")
_JOINERS = ("及", "和", "与", "、")
_LEAD = re.compile(r"^(?:到(?:19|20)[0-9]{2}年(?:[0-9]{1,2}月)?|力争|争取|努力|全市|重点)+")
_ADVERBS = re.compile(
    r"^(?:到(?:19|20)[0-9]{2}年(?:[0-9]{1,2}月)?|力争|争取|努力|全市|全年|重点|积极|加快|持续|大力|共|已|还|并|"
    r"在全市|在全省|在产业集聚的区域|累计|进一步|逐步|每年|年度|年均|其中)+"
)
_ALREADY = re.compile(r"已(?:经|有|建成|建立|达|达到|形成|累计|拥有|通过|完成|获得|培育|认定)")
_NATURE = re.compile(r"(预期|约束)性(?:指标)?")
_PARENS = re.compile(r"\([^()]*\)")
# 5家至10家 → 5至10家, the form numbers.parse_value reads.
_REPEATED_COUNTER = re.compile(r"^(\D{0,4}?[0-9.,]+|\D{0,4}?[零〇一二两三四五六七八九十百千]+)([^0-9.,至到~-]{1,3}?)(-|~|至|到)"
                               r"([0-9.,]+|[零〇一二两三四五六七八九十百千]+)\2")


@dataclass(frozen=True)
class PlanPeriod:
    """First and last year of the plan, and how they were found."""

    start: int
    end: int
    source: str


@dataclass
class Candidate:
    """One proposed statement. Offsets refer to the stored text."""

    quote_start: int
    quote_end: int
    value_start: int
    value_end: int
    quote: str
    value_text: str
    indicator: str = ""
    kind: str = "target"
    measure: str = ""
    year: int | None = None
    month: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    comparator: str = "="
    commitment: str = "firm"
    flags: list[str] = field(default_factory=list)
    note: str = ""
    confidence: float = 1.0
    reasons: list[str] = field(default_factory=list)
    value: float | None = None
    value_high: float | None = None
    counter: str = ""
    unit: str = ""
    per: str = ""
    proposal: dict = field(default_factory=dict)  # a new concept: code, name_zh, unit, per

    def review(self) -> list[str]:
        """What a reviewer must decide: a new concept, low confidence, an ambiguous field, no indicator."""
        out = []
        if self.proposal:
            out.append("new_concept")
        elif not self.indicator:
            out.append("no_indicator")
        if self.confidence < 0.6:
            out.append("low_confidence")
        out += [f for f in self.flags if f.startswith("ambiguous") or f == "ocr_unreadable"]
        # Target or baseline decided by default (已建成…, a past-results section): flagged for review only.
        if any(r.startswith("kind: baseline") and ("assumed" in r or "in section" in r) for r in self.reasons):
            out.append("ambiguous_kind")
        return out

    def row(self, n: int) -> dict:
        """The candidate in the columns of a curated statements CSV, plus confidence and reasons."""
        return {
            "n": n,
            "quote": self.quote,
            "char_start": self.quote_start,
            "char_end": self.quote_end,
            "value_text": self.value_text,
            "indicator": self.indicator,
            "kind": self.kind,
            "measure": self.measure,
            "year": self.year,
            "month": self.month,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "comparator": self.comparator,
            "commitment": self.commitment,
            "flags": ";".join(self.flags),
            "note": self.note,
            "confidence": round(self.confidence, 2),
            "reasons": "; ".join(self.reasons),
            "review": ";".join(self.review()),
            "value": _num(self.value),
            "value_high": _num(self.value_high),
            "unit": self.unit,
            "per": self.per,
            "proposed_code": self.proposal.get("code", ""),
            "proposed_name_zh": self.proposal.get("name_zh", ""),
        }


@dataclass(frozen=True, slots=True)
class _Phrase:
    start: int
    end: int
    pre: str
    year: int
    month: int | None
    post: str
    fyp: tuple[int, int] | None  # a five-year plan's span


def infer_plan_period(view: TextView) -> PlanPeriod | None:
    """The plan's own span, read from its text only.

    The heading first (…工作方案(2022-2025年), “十四五”规划); else the target year most often written (到2026年,
    2017年末) as the end and the start from 2015年起 / 较2023年底 (+1), else five years back.
    """
    return period_from_heading(view) or YearTally().add(view.norm).period()


def period_from_heading(view: TextView) -> PlanPeriod | None:
    """The span stated in the plan's heading (its first view characters), or None."""
    head = view.norm[: title_end(view)]
    m = _PERIOD_RANGE.search(head)
    if m and int(m.group(1)) <= int(m.group(2)):
        return PlanPeriod(int(m.group(1)), int(m.group(2)), f"heading {m.group()}")
    m = re.search(r"十([一二三四五])五", head)
    if m:
        first = _FYP[m.group(1)]
        return PlanPeriod(first, first + 4, f"heading {m.group()}")
    return None


class YearTally:
    """Target, start and baseline years written in a plan, counted part by part (a streamed document)."""

    def __init__(self) -> None:
        self.targets: dict[int, int] = {}
        self.starts: list[int] = []
        self.bases: list[int] = []

    def add(self, norm: str) -> YearTally:
        """Count the year phrases of one part's view (a part ends at a sentence mark, so none is cut)."""
        for p in _YEAR_PHRASE.finditer(norm):
            if not p.group("y"):
                continue
            y = int(p.group("y"))
            pre, post = p.group("pre") or "", p.group("post") or ""
            if pre == "到" or post in ("底", "末") and pre not in ("较", "比", "截至", "截止"):
                self.targets[y] = self.targets.get(y, 0) + 1
            if post in ("起",) or pre == "自":
                self.starts.append(y)
            if pre in ("较", "比", "截至", "截止", "截至到", "截止到"):
                self.bases.append(y)
        return self

    def period(self) -> PlanPeriod | None:
        """The most written target year as the end; the start from …年起, else 较…年底 + 1, else five years back."""
        targets = self.targets
        if not targets:
            return None
        end = max(targets, key=lambda y: (targets[y], y))
        early = [y for y in self.starts if end - 5 <= y <= end]
        if early:
            return PlanPeriod(min(early), end, f"target year {end}, start year {min(early)} (…年起)")
        base = [y for y in self.bases if end - 5 <= y < end]
        if base:
            return PlanPeriod(max(base) + 1, end, f"target year {end}, baseline year {max(base)}")
        return PlanPeriod(end - 4, end, f"target year {end}; start assumed five years earlier")


def is_lead_phrase(ph: _Phrase, start: int | None) -> bool:
    """A target-year phrase (到2025年, 2025年底) that sets the year of the rest of its section."""
    return ph.fyp is None and (ph.pre in ("到", "至") or ph.post in ("底", "末")) and (not start or ph.year >= start)


class DocContext:
    """Context of one document for the numbers found in it."""

    def __init__(self, view: TextView, vocab: Vocabulary, tokens: list[NumberToken], period: PlanPeriod | None,
                 carry: Carry | None = None):
        # ``carry``: for a later part of a streamed document (parts.py), what the earlier parts leave to this one.
        self.carry = carry = carry if carry is not None else Carry()
        self.view = view
        self.s = s = view.norm
        self.vocab = vocab
        self.registry = vocab.registry
        self.tokens = tokens
        # Offsets kept as machine integers: a 50 MB plan has millions of commas (memory, not speed).
        self.token_starts = array("q", (t.num_start for t in tokens))
        self.period = period
        self.clause_marks = array("q", (m.start() for m in _CLAUSE_MARKS.finditer(s)))
        self.sentence_marks = array("q", (m.start() for m in _SENTENCE_MARKS.finditer(s)))
        self._hits: dict[int, list[AliasHit]] = {}
        self.headings = self._find_headings()
        self.heading_pos = [h[0] for h in self.headings]
        books = [(m.start(), 1) for m in re.finditer("《", s)] + [(m.start(), -1) for m in re.finditer("》", s)]
        books.sort()
        self._book_pos = [-1] * carry.in_book + [b[0] for b in books]
        self._book_kind = [1] * carry.in_book + [b[1] for b in books]
        # Years of other documents' titles (《…(2021-2035年)》) and of ranges say nothing about a statement.
        self.phrases = [p for p in self._find_phrases()
                        if not self.in_book(p.start) and s[p.start - 1 : p.start] not in ("-", "~", "至")]
        if carry.lead is not None:
            self.phrases.insert(0, carry.lead)
        self.phrase_pos = [p.start for p in self.phrases]
        if carry.first:  # the plan's own heading: its document number dates the issue
            m = re.search(r"〔((?:19|20)[0-9]{2})〕", s[: max(title_end(view), 400)])
            carry.issue_year = int(m.group(1)) if m else None
        self.issue_year = carry.issue_year
        self._resolved_codes: list[tuple[int, str]] = []  # (token start, indicator) of resolved candidates

    # --- document structure ------------------------------------------------------------------------------
    def in_book(self, p: int) -> bool:
        """True when view position ``p`` is inside 《…》 (the last bracket before it opens a title)."""
        i = bisect_left(self._book_pos, p)
        return bool(i) and self._book_kind[i - 1] == 1

    def _find_headings(self) -> list[tuple[int, str, str, bool]]:
        """(position, mode, title, top-level) of section headings; mode is 'baseline' or 'target'."""
        s, out = self.s, [h for h in (self.carry.top, self.carry.heading) if h is not None]
        parent = self.carry.top[1] if self.carry.top else "target"
        for m in _HEADING.finditer(s):
            a = m.start()
            prev = s[a - 1 : a]
            if a and prev not in "。!?;:)\n" and not self.view.line_start_before(a):
                continue
            cut = _HEADING_CUT.search(s, m.end(), m.end() + 24)
            title = s[m.end() : cut.start() if cut else m.end() + 20]
            baseline = any(k in title for k in _BASELINE_HEADINGS)
            if m.group("top"):
                parent = "baseline" if baseline else "target"
                out.append((a, parent, title, True))
            else:
                out.append((a, "baseline" if baseline else parent, title, False))
        return out

    def _heading(self, p: int) -> tuple[int, str, str, bool] | None:
        i = bisect_right(self.heading_pos, p)
        return self.headings[i - 1] if i else None

    def section_start(self, p: int) -> int:
        """Start of the top-level section holding ``p``."""
        i = bisect_right(self.heading_pos, p)
        while i:
            h = self.headings[i - 1]
            if h[3]:
                return h[0]
            i -= 1
        return 0 if self.carry.first else CARRIED  # the section began in an earlier part

    def _find_phrases(self) -> list[_Phrase]:
        out = []
        for m in _YEAR_PHRASE.finditer(self.s):
            pre, post = m.group("pre") or "", m.group("post") or ""
            if m.group("fyp"):
                first = _FYP[m.group("fyp")]
                out.append(_Phrase(m.start(), m.end(), pre, first + 4, None, post, (first, first + 4)))
            else:
                month = int(m.group("m")) if m.group("m") else None
                out.append(_Phrase(m.start(), m.end(), pre, int(m.group("y")), month, post, None))
        return out

    def _bounds(self, marks: list[int], a: int, b: int) -> tuple[int, int]:
        i = bisect_left(marks, a)
        start = marks[i - 1] + 1 if i else 0
        j = bisect_left(marks, b)
        end = marks[j] if j < len(marks) else len(self.s)
        return start, end

    def _clause_hits(self, cs: int, ce: int) -> list[AliasHit]:
        hits = self._hits.get(cs)
        if hits is None:
            hits = self._hits[cs] = self.vocab.find(self.s, cs, ce)
        return hits

    def _token_between(self, a: int, b: int) -> bool:
        """True when another number token starts in [a, b)."""
        i = bisect_left(self.token_starts, a)
        return i < len(self.token_starts) and self.token_starts[i] < b

    # --- one number ---------------------------------------------------------------------------------------
    def resolve(self, t: NumberToken) -> list[Candidate]:
        """Candidates for one number: usually one, two when 及/和 join two indicators before it."""
        view = self.view
        cs, ce = self._bounds(self.clause_marks, t.start, t.end)
        ss, se = self._bounds(self.sentence_marks, t.start, t.end)
        qs, qe = view.start(cs), view.end(ce)
        while qs < qe and view.text[qs].isspace():
            qs += 1
        while qe > qs and view.text[qe - 1].isspace():
            qe -= 1
        vs, ve = view.start(t.start), view.end(t.end)
        value_text = view.text[vs:ve]
        cand = Candidate(qs, qe, vs, ve, view.text[qs:qe], value_text)
        self._value(cand, t)
        hits, how, conf = self._indicator(t, cs, ce, ss)
        if t.kind == "chinese" and not hits and not self._strong(t):
            return []  # a numeral in a phrase (两个审协中心); the caller lists it as skipped
        if t.kind == "chinese" and self._in_quotes(vs):
            return []
        self._when(cand, t, ss, cs)
        cand.counter = t.counter
        coordinated = self._coordinated(t, cs, ce) if "分别" in self.s[cs : t.start] else None
        if coordinated is not None:
            hits = []
        out = []
        for hit in hits or [None]:
            c = Candidate(**{**cand.__dict__, "flags": list(cand.flags), "reasons": list(cand.reasons)})
            c.confidence = conf
            if hit is None:
                c.reasons.append("indicator: no registry alias in the clause; review")
            else:
                c.indicator = hit.code
                c.reasons.append(_describe(hit, how))
                if hit.ocr or hit.score < 1:
                    c.flags.append("ocr_noise" if hit.ocr else "ambiguous_indicator")
                    if hit.ocr:
                        c.confidence -= 0.1
            if coordinated is not None:
                self._compose(c, t, None, "coordinated", cs, ce, coordinated)
            elif hit is None or not (hit.ocr or how == "joined"):
                self._compose(c, t, hit, how, cs, ce)
            self._measure(c, t, hit, cs, ss)
            self._commitment(c, t, cs, ss)
            self._structure(c, t, cs, ss, se)
            self._finish(c, t)
            out.append(c)
        if out and out[0].indicator:
            self._resolved_codes.append((t.num_start, out[-1].indicator))
        return out

    def _in_quotes(self, o: int) -> bool:
        """True when stored-text offset ``o`` sits inside “…” (a slogan: 发展一件地理标志,带动一个产业)."""
        text, before = self.view.text, self.carry.before
        if o < 40 and before:  # the quote may open in the previous part
            text, o = before + text, o + len(before)
        lo = max(0, o - 40)
        opened, closed = text.rfind("“", lo, o), text.rfind("”", lo, o)
        return opened > closed and 0 <= text.find("”", o, o + 40)

    def _value(self, c: Candidate, t: NumberToken) -> None:
        if t.kind == "garbled":
            c.flags.append("ocr_unreadable")
            c.reasons.append("value: OCR-garbled digits, not guessed")
            c.comparator = comparator_cue(c.value_text) or "="
            return
        # Parsed from the view (simplified, half-width: 25億元 reads as 25亿元); value_text stays as written.
        written = self.s[t.start : t.end]
        try:
            p = parse_value(_REPEATED_COUNTER.sub(r"\1\3\4\2", written))
            if _REPEATED_COUNTER.search(written):
                c.reasons.append("value: a range with its counter written twice (5家至10家)")
        except ValueParseError:
            c.flags.append("ocr_unreadable")
            c.reasons.append("value: not readable as a number (OCR?), not guessed")
            c.comparator = comparator_cue(c.value_text) or "="
            return
        c.value, c.value_high = p.value, p.value_high
        c.comparator = p.comparator or "="

    # --- indicator ----------------------------------------------------------------------------------------
    def _item(self, t: NumberToken, cs: int, ce: int) -> tuple[int, int]:
        """The list item around the number: the clause cut at the neighbouring numbers, and at a 、 (outside
        (…)) when another number lies beyond it — 新增3家A、3家B is two items, 国家、省知识产权保护示范区 one."""
        s = self.s
        lo = max(cs, self._prev_token_end(t))
        hi = self._next_token_start(t, ce)
        if lo > cs:
            left = _PARENS.sub(lambda m: "(" * len(m.group()), s[lo : t.start])
            k = left.rfind("、")
            if k >= 0:
                lo += k + 1
        if hi < ce:
            right = _PARENS.sub(lambda m: "(" * len(m.group()), s[t.end : hi])
            k = right.find("、")
            if k >= 0:
                hi = t.end + k
        return lo, hi

    def _indicator(self, t: NumberToken, cs: int, ce: int, ss: int) -> tuple[list[AliasHit], str, float]:
        s = self.s
        hits = self._clause_hits(cs, ce)
        lo, hi = self._item(t, cs, ce)
        left = [h for h in hits if lo < h.end <= t.start]
        right = [h for h in hits if t.end <= h.start < hi]
        # 培育10家以上能够支撑…高价值专利培育中心建设…的辅导机构: what precedes the last 的 only modifies the
        # head noun after it, so only aliases after that 的 may name what is counted.
        de = s.rfind("的", t.end, hi)
        modified = de >= 0
        if modified:
            right = [h for h in right if h.start > de]
        pick, how = self._closest(t, self._compatible(left, t) or left, self._compatible(right, t) or right)
        if pick is not None:
            if not self._fits(self.registry.indicators[pick.code], t):
                better = self._head_alias(pick, t) or next(
                    (h for h in reversed(hits) if h.end <= t.start and self._fits(self.registry.indicators[h.code], t)),
                    None)
                if better is not None:
                    return [better], "unit", 0.75
            gap = (t.start - pick.end) if how == "left" else (pick.start - t.end)
            if t.kind == "chinese" and gap > 8:
                return [], "none", 0.2
            if how == "left":
                joined = self._joined(pick, left)
                if len(joined) > 1:
                    return joined, "joined", 0.8
            return [pick], how, 1.0 if gap <= 8 else 0.85
        # The number interrupts an alias: 惠及上千家企业 (alias 惠及企业).
        around = self._around(t, lo, hi)
        if around is not None:
            return [around], "around", 0.85
        strong = t.kind != "chinese" or self._strong(t)
        if not strong:
            return [], "none", 0.2
        # 分别: the k numbers of a clause take the k indicators named before it, in order.
        if "分别" in s[cs : t.start]:
            hit = self._respectively(t, cs, ss)
            if hit:
                return [hit], "respectively", 0.75
        fuzzy_left = self.vocab.fuzzy(s[lo : t.start], lo)
        fuzzy_right = self.vocab.fuzzy(s[t.end : hi], t.end) if fuzzy_left is None or fuzzy_left.score < 0.9 else None
        fz = max((h for h in (fuzzy_left, fuzzy_right) if h is not None), key=lambda h: h.score, default=None)
        if fz is not None:
            return [fz], "fuzzy", 0.5
        # A clause with nothing of its own (增长3.4倍; 、十万余人) takes the indicator of the sentence so far.
        own = s[lo : t.start] + s[t.end : hi]
        if len(own) <= 6 or any(g in own for g in _GROWTH):
            for code_pos, code in reversed(self._resolved_codes):
                if code_pos < ss:
                    break
                ind = self.registry.indicators.get(code)
                if ind and self._fits(ind, t):
                    return [AliasHit(code_pos, code_pos, code, code, False)], "inherited", 0.65
            prev = [h for h in self._sentence_hits(ss, cs) if self._fits(self.registry.indicators[h.code], t)]
            if prev:
                return [prev[-1]], "earlier clause", 0.6
        # 培育10个以上支撑…发展,能够提升…竞争力的高价值专利组合: the object runs on past a comma.
        if hi == ce and s[ce : ce + 1] == ",":
            nxt_end = self._bounds(self.clause_marks, ce + 1, ce + 1)[1]
            de = s.rfind("的", ce + 1, nxt_end)
            if de >= 0 and not self._token_between(ce, nxt_end):
                tail = [h for h in self._clause_hits(ce + 1, nxt_end) if h.start > de]
                if tail:
                    return [tail[0]], "next clause", 0.6
        return [], "none", 0.2

    def _closest(self, t: NumberToken, left: list[AliasHit], right: list[AliasHit]) -> tuple[AliasHit | None, str]:
        L = max(left, key=lambda h: h.end) if left else None
        R = min(right, key=lambda h: h.start) if right else None
        if L and R:
            lgap, rgap = t.start - L.end, R.start - t.end
            verb_before = any(v in self.s[L.end : t.start] for v in _VERBS)
            return (R, "right") if (rgap < lgap or (verb_before and rgap <= 6)) else (L, "left")
        return (L, "left") if L else (R, "right")

    def _head_alias(self, hit: AliasHit, t: NumberToken) -> AliasHit | None:
        """A shorter alias ending the matched words (专题培训 → 培训) whose unit fits the counter."""
        words = self.s[hit.start : hit.end]
        for k in range(1, len(words) - 1):
            for h in self.vocab.find(words[k:]):
                if h.start == 0 and h.end == len(words) - k and self._fits(self.registry.indicators[h.code], t):
                    return AliasHit(hit.start + k, hit.end, h.code, h.alias, h.ocr)
        return None

    def _around(self, t: NumberToken, lo: int, hi: int) -> AliasHit | None:
        a = max(lo, t.start - 8)
        b = min(hi, t.end + 8)
        joined = self.s[a : t.start] + self.s[t.end : b]
        cut = t.start - a
        for h in self.vocab.find(joined):
            if h.start < cut < h.end and self._fits(self.registry.indicators[h.code], t):
                return AliasHit(a + h.start, t.end + (h.end - cut), h.code, h.alias, h.ocr)
        return None

    def _strong(self, t: NumberToken) -> bool:
        """A Chinese numeral that is plainly a quantity (十万余人, 上千家, 超万人, 扶持一家…机构), not a word
        (一起, 两个…中心, 零部件): a multiplier, a comparator, 余/多, or 家, which only counts organisations."""
        body = self.s[t.num_start : t.end]
        return bool(t.mult) or t.start < t.num_start or "余" in body or "多" in body or t.counter == "家"

    def _sentence_hits(self, ss: int, cs: int) -> list[AliasHit]:
        out = []
        for a, b in _spans(self.clause_marks, ss, cs):
            out.extend(self._clause_hits(a, b))
        return out

    def _prev_token_end(self, t: NumberToken) -> int:
        i = bisect_left(self.token_starts, t.num_start)
        return self.tokens[i - 1].end if i else 0

    def _next_token_start(self, t: NumberToken, ce: int) -> int:
        i = bisect_right(self.token_starts, t.num_start)
        return min(ce, self.tokens[i].start) if i < len(self.tokens) else ce

    def _joined(self, pick: AliasHit, left: list[AliasHit]) -> list[AliasHit]:
        """Aliases joined by 及/和/与 right before the number all take it (A及B较2023年底翻一番)."""
        chain = [pick]
        others = sorted((h for h in left if h.end <= pick.start), key=lambda h: h.end, reverse=True)
        for h in others:
            if self.s[h.end : chain[-1].start] in _JOINERS and h.code != chain[-1].code:
                chain.append(h)
            else:
                break
        return list(reversed(chain))

    def _respectively(self, t: NumberToken, cs: int, ss: int) -> AliasHit | None:
        ce = self._bounds(self.clause_marks, t.start, t.end)[1]
        mine = list(self.token_starts[bisect_left(self.token_starts, cs) : bisect_left(self.token_starts, ce)])
        k = len(mine)
        idx = mine.index(t.num_start) if t.num_start in mine else 0
        cut = self.s.find("分别", cs)
        named = [h for h in self._clause_hits(cs, ce) if h.end <= cut]
        if len(named) >= k:
            return named[len(named) - k + idx]
        earlier = []
        for p, code in reversed(self._resolved_codes):  # positions only grow: stop at the sentence's start
            if p < ss:
                break
            if p < cs:
                earlier.append((p, code))
        earlier.reverse()
        if len(earlier) >= k:
            p, code = earlier[len(earlier) - k + idx]
            return AliasHit(p, p, code, code, False)
        return None

    # --- composing the indicator from concepts (naming.py) ------------------------------------------------
    def _coordinated(self, t: NumberToken, cs: int, ce: int) -> str | None:
        """A和B分别达到X和Y, A、B分别为X、Y: the phrase of this number's own subject, or None."""
        cut = self.s.find("分别", cs, t.start)
        mine = list(self.token_starts[bisect_right(self.token_starts, cut) : bisect_left(self.token_starts, ce)])
        if t.num_start not in mine:
            return None
        parts = split_coordinated(clean_left(self.s[cs:cut]), len(mine))
        return parts[mine.index(t.num_start)] if parts else None

    def _compose(self, c: Candidate, t: NumberToken, hit: AliasHit | None, how: str, cs: int, ce: int,
                 phrase: str | None = None) -> None:
        """Check the alias-based choice against the concepts of the phrase naming the number; name it by
        composition when no alias did; propose a new concept when no registry code fits."""
        namer, s = self.vocab.namer, self.s
        phrase_start = None
        if phrase is None:
            lo, hi = self._item(t, cs, ce)
            phrase_start = lo
            left_raw = s[lo : t.start]
            if how == "next clause":
                return  # the head noun of an object running on past a comma: nothing closer to read
            if hit is not None and hit.start >= t.end:
                phrase = _right_phrase(s[t.end : hi])
                if hit.start >= t.end + len(phrase):  # 中小企业实施知识产权托管服务: the alias is past the verb
                    phrase = s[t.end : hit.end]
            elif hit is not None and hit.end <= t.start and hit.start >= lo:
                phrase = clean_left(left_raw)
            elif hit is not None and how != "inherited":
                return  # named in an earlier clause or around the number: nothing of its own to read
            else:
                left = clean_left(left_raw)
                right = _right_phrase(s[t.end : hi])
                phrase = left if len(left) >= 2 and (not _VERB_AT_END.search(left_raw) or len(right) < 2) else right
        if not (3 <= len(phrase) <= 24):
            return  # 企业, 相关: too little to name anything; the alias-based choice stands
        sig = namer.signature(phrase)
        if phrase_start is not None:  # 查处知识产权侵权案件, 新申请地理标志商标: the verb was cut as a lead word
            lead = s[phrase_start : t.start]
            if sig.action is None:
                sig = replace(sig, action=namer.concepts.action(lead))
            if sig.obj and sig.state is None:
                sig = replace(sig, state=namer.concepts.state(lead))
        code = c.indicator
        if how == "inherited" and len(phrase) <= 4 and not sig.obj:
            return  # 增长了1.51倍, 优秀奖152项, 占全省三分之一: the sentence's indicator, as read before
        if code and namer.fits(code, sig, phrase) and how == "fuzzy":
            # 专利商标质押融资额 ≈ 商标质押融资 by similarity, but 知识产权质押融资 covers it better.
            better = namer.nearest(sig, phrase, threshold=namer.coverage(code, phrase))
            if better and better != code:
                c.indicator = better
                c.reasons.append(f"indicator: {better}, whose name covers {phrase!r} better than {code}")
                return
        if code and namer.fits(code, sig, phrase):
            if sig.obj:
                c.reasons.append(f"indicator: {code} agrees with the concepts of {phrase!r} ({sig.describe()})")
            return
        composed = namer.compose(sig, phrase)
        evidence = [h.code for h in self.vocab.find(phrase) if namer.fits(h.code, sig, phrase)]
        pick = next((k for k in composed if k in evidence), None) or (composed[0] if len(composed) == 1 else None)
        pick = pick or (evidence[-1] if evidence else None) or namer.nearest(sig, phrase)
        if pick:
            c.reasons = [r for r in c.reasons if not r.startswith("indicator: no registry alias")]
            c.indicator = pick
            c.reasons.append(f"indicator: {pick} composed from {phrase!r} ({sig.describe() or 'its words'})"
                             + (f", not {code}" if code else ""))
            c.confidence = min(c.confidence, 0.8) if code or composed else min(c.confidence, 0.6)
            return
        if code and not sig.obj and not sig.quals and sig.level is None and how not in ("coordinated", "fuzzy",
                                                                                     "inherited"):
            return  # the alias is all the phrase says: keep it
        unit = proposal_unit(self.registry.counter_units(t.counter) if t.counter else set(), phrase)
        if t.counter in ("%", "个百分点") or t.kind == "fraction":
            unit = "percent"
        c.proposal = namer.propose(phrase, unit, sig.per)
        c.reasons = [r for r in c.reasons if not r.startswith("indicator:")]
        c.reasons.append(f"indicator: new concept {c.proposal['code']!r} ({phrase!r}"
                         + (f"; {sig.describe()}" if sig.describe() else "")
                         + (f"); {code} does not fit it" if code else "); no registry indicator fits it"))
        c.indicator = ""
        c.confidence = min(c.confidence, 0.5)

    def _compatible(self, hits: list[AliasHit], t: NumberToken) -> list[AliasHit]:
        return [h for h in hits if self._fits(self.registry.indicators[h.code], t)]

    def _fits(self, ind, t: NumberToken) -> bool:
        """Can a value with this counter belong to ``ind`` (any measure)?"""
        counter = t.counter
        if t.kind in ("word", "fraction") or counter in ("%", "个百分点", "倍", "番"):
            return True
        if not counter:
            return True
        units = self.registry.counter_units(counter)
        if not units and counter == "%":
            units = {"percent"}
        return ind.unit in units or any(u in units for u in ind.alt_units)

    # --- when: kind, year, month, period --------------------------------------------------------------------
    def _when(self, c: Candidate, t: NumberToken, ss: int, cs: int) -> None:
        P = self.period
        start = P.start if P else None
        # A year written right before the number: 从2015年的9.26件增加到2020年的26.9件.
        i = bisect_left(self.phrase_pos, t.start)
        if i:
            ph = self.phrases[i - 1]
            if ph.pre not in ("较", "比") and (ph.end == t.start or (ph.end >= t.start - 1 and ph.post == "的")):
                self._set_year(c, ph, start, "written right before the number")
                return
        j0 = bisect_left(self.phrase_pos, ss)
        for ph in reversed(self.phrases[j0:i]):
            if ph.pre in ("较", "比"):
                c.flags.append("relative_to_baseline")
                c.note = _join(c.note, f"Baseline: {self.s[ph.start:ph.end]}.")
                continue
            if ph.pre in ("从",):
                continue
            self._set_year(c, ph, start, f"phrase {self.s[ph.start:ph.end]!r} in the sentence")
            return
        head = self._heading(t.start)
        if head and head[1] == "baseline" and start:
            c.kind, c.year = "baseline", start - 1
            c.period_start, c.period_end = start - 5, start - 1
            c.reasons.append(f"kind: baseline, in section {head[2]!r}; year {start - 1}, the year before the plan")
            return
        # 已建成/已有/已达 …: what exists now, reported in a plan that otherwise sets targets.
        if start and _ALREADY.search(self.s, cs, t.start):
            c.kind, c.year = "baseline", start - 1
            c.flags.append("ambiguous_year")
            c.reasons.append(f"kind: baseline (已…); year {start - 1}, the year before the plan, assumed")
            return
        # The year of the section's lead sentence (到2025年,…), else the plan's last year.
        lo = self.section_start(t.start)
        k0 = bisect_left(self.phrase_pos, lo)
        for ph in reversed(self.phrases[k0:j0]):
            if is_lead_phrase(ph, start):
                c.year = ph.year
                lead = self.carry.lead_text if ph.start < 0 else self.s[ph.start : ph.end]
                c.reasons.append(f"year: {ph.year} from the section's lead phrase {lead!r}")
                return
        if P:
            c.year = P.end
            c.reasons.append(f"year: no year phrase; the plan's last year {P.end} ({P.source})")
            c.flags.append("ambiguous_year")
        else:
            c.reasons.append("year: none found in the text; review")
            c.flags.append("ambiguous_year")

    def _set_year(self, c: Candidate, ph: _Phrase, start: int | None, why: str) -> None:
        if ph.fyp:
            first, last = ph.fyp
            past = start is not None and last < start
            c.kind = "baseline" if past or ph.pre.startswith("截") else "target"
            c.year = last
            if not ph.pre.startswith("截") and ph.post != "末":  # 截至十三五末 is a point in time, not a span
                c.period_start, c.period_end = first, last
            c.reasons.append(f"kind: {c.kind}, year {last}: {why}")
            return
        y = ph.year
        if ph.pre.startswith("截"):
            c.kind = "baseline"
        elif start is not None and y < start and ph.post != "起":
            c.kind = "baseline"
        else:
            c.kind = "target"
        c.year = y
        if ph.month and ph.pre in ("到", "至"):
            c.month = ph.month
            c.flags.append("partial_year")
        c.reasons.append(f"kind: {c.kind}, year {y}: {why}")

    # --- measure --------------------------------------------------------------------------------------------
    def _measure(self, c: Candidate, t: NumberToken, hit: AliasHit | None, cs: int, ss: int) -> None:
        s = self.s
        ind = self.registry.indicators.get(c.indicator) if c.indicator else None
        pre = s[cs : t.num_start]
        after_alias = s[hit.end if hit and cs <= hit.end <= t.num_start else cs : t.num_start].replace("增加值", "")
        sent_pre = s[ss : t.num_start]
        head = (hit.alias if hit else "").split("的")[-1]
        counter = t.counter

        def done(measure: str, why: str, ambiguous: bool = False, period: bool = False) -> None:
            c.measure = measure
            c.reasons.append(f"measure: {measure} ({why})")
            if period:
                self._period_for(c, sent_pre)
            if ambiguous:
                c.flags.append("ambiguous_measure")
                c.confidence -= 0.1

        if counter == "倍" and t.kind != "word" and is_growth_times(s[ss : t.start]):
            return done("growth_rate", "增长X倍: a growth of X×100 %")
        if t.kind == "word" or counter in ("倍", "番"):
            return done("multiple", "a multiple: 倍/翻番")
        if counter == "个百分点":
            return done("change_pp", "a change in percentage points")
        if counter == "%" or t.kind == "fraction":
            if ind is not None and ind.unit == "points":
                return done("score", "a satisfaction-type score written in %")
            if any(g in after_alias for g in _GROWTH) or "年均" in after_alias:
                # Growth keeps the base indicator (the registry's convention): 质押融资金额较上一年度增长20%.
                return done("growth_rate", "% after 增长/提高", period="年均" in after_alias or "每年" in sent_pre)
            if ind is not None and ind.unit != "percent":
                self._derived_code(c, "_provincial_share" if "全省" in after_alias else "_share")
            return done("share", "a percentage")
        if counter == "分":
            return done("score", "points (分)")
        if ind is not None and ind.unit in ("percent", "points") and not counter:
            return done("share" if ind.unit == "percent" else "score", f"the indicator's unit is {ind.unit}")
        flow = ind is not None and (ind.unit == "CNY" or any(k in ind.code for k in _FLOW_CODES))
        countable = ind is not None and ind.unit in ("item", "event", "CNY")
        baseline, past = c.kind == "baseline", c.kind == "baseline" and c.period_start is not None
        reaches = any(pre.endswith(v) or s[t.start : t.num_start].startswith(v) for v in _REACH_VERBS)
        # 1. Markers in the number's own clause.
        if "年均" in pre:
            return done("annual", "年均: a yearly average", period=True)
        if any(w in pre + head for w in _STOCK_WORDS):
            return done("stock", "拥有量/有效/总量")
        if "累计" in pre or pre.startswith("共") or "共投入" in pre:
            return done("cumulative", "累计/共", period=True)
        if any(w in pre for w in ("年度", "每年")) or "年" in head:
            return done("annual", "年度/每年/年…量")
        # 新增 over a period is new_in_period, in a report of past results as in a target (one wording, one code).
        added = "new_in_period"
        if any(w in pre for w in _NEW_WORDS):
            return done(added, "新增", period=True)
        # 2. A marker or verb opening an earlier clause governs clauses without a verb of their own
        #    (年度…专题培训不低于20场,培训覆盖面超万人; 建设10个…基地,100家…示范点).
        governing = "" if reaches else self._governing(t, cs, ss)
        if governing in ("年度", "每年"):
            return done("annual", f"{governing} opens the sentence")
        if governing == "累计":
            return done("cumulative", "累计 opens the sentence", period=True)
        if governing == "新增":
            return done(added, "新增 opens the sentence", period=True)
        # 3. Money and filings are flows: a year's worth unless the text says otherwise.
        if flow:
            if past:
                return done("cumulative", "a flow in a past-period section", ambiguous=True, period=True)
            return done("annual", "a flow (money, filings, grants) with no 累计/年度 marker", ambiguous=True)
        # 4. Verbs: 培育/建设/新建 N家 adds over the period; 达/建成/已形成 states a level.
        hi = self._bounds(self.clause_marks, t.start, t.end)[1]
        cue = s[t.start : t.num_start]
        verb = _leading_verb(s[cs : t.start]) or (governing if governing in _VERBS else None)
        if verb is None and not reaches and c.kind == "target":
            verb = next((v for v in _VERBS if v in s[t.end : hi]), None)
        level = reaches or any(v in pre for v in _LEVEL_WORDS) or cue in _LEVEL_CUES
        if baseline and verb and verb in _SETUP_VERBS:
            return done("stock", f"{verb}: facilities set up and still there")
        if verb and (not level or (baseline and countable)):
            return done("cumulative" if baseline else "new_in_period", f"{verb} N …", period=True)
        if level:
            return done("stock", "a level reached (达/建成/已形成)")
        if past and countable:
            return done("cumulative", "a count in a past-period section", ambiguous=True, period=True)
        return done("stock", "no 新增/累计/年度 marker", ambiguous=True)

    def _governing(self, t: NumberToken, cs: int, ss: int) -> str:
        """年度/每年/累计/新增 or a verb opening an earlier clause of the sentence, when this clause has no verb."""
        if _leading_verb(self.s[cs : t.num_start]):
            return ""
        for a, b in reversed(_spans(self.clause_marks, ss, cs)):
            head = _LEAD.sub("", self.s[a:b])
            for w in ("年度", "每年", "累计", *_NEW_WORDS, *_VERBS):
                if head.startswith(w):
                    return "新增" if w in _NEW_WORDS else w
        return ""

    def _derived_code(self, c: Candidate, suffix: str) -> None:
        """A share of X (占全省三分之一) has its own code when the registry has one (X_provincial_share, X_share)."""
        if c.indicator and not c.indicator.endswith(suffix):
            alt = c.indicator + suffix
            if alt in self.registry.indicators:
                c.reasons.append(f"indicator: {alt}, the {suffix[1:].replace('_', ' ')} code of {c.indicator}")
                c.indicator = alt

    def _period_for(self, c: Candidate, sent_pre: str) -> None:
        """Span of a cumulative / new_in_period / average figure: the sentence's 十X五 or N年内, else the plan's."""
        if c.period_start is not None:
            return
        P = self.period
        m = _DURATION.search(sent_pre)
        if m and P:
            n = m.group("n")
            try:
                years = int(n) if n.isdigit() else chinese_numeral_to_int(n)
            except ValueParseError:
                years = 0
            if 0 < years <= 10:
                # 三年内 counts from the plan's issue (its document number's year) when that falls in the plan.
                first = self.issue_year if self.issue_year and P.start <= self.issue_year <= P.end else P.start
                c.period_start, c.period_end = first, min(first + years - 1, P.end)
                c.year = c.period_end
                c.reasons.append(f"period: {m.group()} from {first}")
                return
        if P and c.year is not None:
            c.period_start, c.period_end = min(P.start, c.year), c.year
        elif P:
            c.period_start, c.period_end = P.start, P.end

    # --- commitment, lists, confidence ------------------------------------------------------------------------
    def _commitment(self, c: Candidate, t: NumberToken, cs: int, ss: int) -> None:
        s = self.s
        if is_hedged(s[cs : t.num_start]):
            c.commitment = "aspirational"
            c.reasons.append("commitment: hedged (力争/争取/努力) in the clause")
            return
        for a, b in _spans(self.clause_marks, ss, cs):
            lead = re.sub(r"^到(?:19|20)[0-9]{2}年(?:[0-9]{1,2}月)?", "", s[a:b])
            if is_hedged(lead[:2]) and not self._token_between(a, b):
                c.commitment = "aspirational"
                c.reasons.append("commitment: a hedged lead clause (力争…) governs the sentence")
                return

    def _structure(self, c: Candidate, t: NumberToken, cs: int, ss: int, se: int) -> None:
        s = self.s
        # Plan-level facts: an indicator table or its footnote says 预期性 (indicative) or 约束性 (binding).
        m = _NATURE.search(s, ss, min(len(s), se + 24))
        if m:
            nature = "indicative (预期性)" if m.group(1) == "预期" else "binding (约束性)"
            c.note = _join(c.note, f"The plan marks it {nature}.")
            c.reasons.append(f"plan: {m.group()} — {nature}")
        if s.startswith("其中", cs) or s[self._prev_clause_start(cs) : cs - 1] == "其中":
            c.flags.append("subtotal")
        nxt = s[t.end : se]
        m = re.match(r"[^,;。]*[,;]其中", nxt)
        if m and not self._token_between(t.end, t.end + m.end() - 2):
            c.flags.append("list_total")

    def _prev_clause_start(self, cs: int) -> int:
        i = bisect_left(self.clause_marks, cs - 1)
        return self.clause_marks[i - 1] + 1 if i else 0

    def _finish(self, c: Candidate, t: NumberToken) -> None:
        ind = self.registry.indicators.get(c.indicator)
        # unit and per as the build would resolve them (statements.resolve_unit); a proposal's from its counter.
        if ind is not None:
            c.unit = (resolve_unit(ind, c.measure, t.counter, self.registry) or "") if c.measure else ind.unit
            c.per = ind.per or ""
        elif c.proposal:
            c.unit = "percent" if c.measure == "growth_rate" else "times" if c.measure == "multiple" else \
                c.proposal.get("unit") or ""
            c.per = c.proposal.get("per") or ""
        if ind is not None and c.measure:
            # The same check curated statements pass (statements.resolve_unit): a counter that does not fit
            # the indicator's unit means the guess is probably wrong; keep it for the reviewer, but say so.
            counter = t.counter
            if c.value is not None and resolve_unit(ind, c.measure, counter, self.registry) is None:
                c.flags.append("ambiguous_indicator")
                c.note = _join(c.note, f"Extractor: the unit {counter!r} does not fit {ind.code} ({ind.unit}).")
                c.reasons.append(f"indicator: unit {counter!r} does not fit {ind.code} ({ind.unit}); review")
                c.confidence -= 0.3
        if "ocr_unreadable" in c.flags:
            c.confidence = min(c.confidence, 0.5)
        c.flags = list(dict.fromkeys(c.flags))
        amb = [r for r in c.reasons if r.startswith(("measure:", "year:", "kind:"))] if any(
            f.startswith("ambiguous") for f in c.flags) else []
        if amb:
            c.note = _join(c.note, "Extractor: " + "; ".join(amb) + ".")
        c.confidence = max(0.05, min(1.0, round(c.confidence, 2)))


def _describe(hit: AliasHit, how: str) -> str:
    where = {
        "left": "named before the number",
        "right": "named after the number",
        "joined": "one of several joined by 及/和 before the number",
        "respectively": "matched in order by 分别",
        "inherited": "inherited from the previous number of the sentence",
        "earlier clause": "named in an earlier clause of the sentence",
        "fuzzy": f"fuzzy match (similarity {hit.score})",
        "around": "around the number (惠及…企业)",
        "unit": "the alias whose unit fits the counter",
        "next clause": "the head noun of the object in the next clause",
    }[how]
    ocr = ", through an OCR variant" if hit.ocr else ""
    return f"indicator: {hit.code} ← {hit.alias!r} {where}{ocr}"


def _leading_verb(pre: str) -> str | None:
    """A verb of the plan opening the clause (after 到2025年/力争/重点…) or right before the number."""
    m = _VERB_AT_START.match(_ADVERBS.sub("", pre)) or _VERB_AT_END.search(pre)
    return m.group() if m else None


_VERB_ALT = "|".join(sorted(map(re.escape, _VERBS), key=len, reverse=True))
_VERB_AT_START = re.compile(f"(?:{_VERB_ALT})")
_VERB_AT_END = re.compile(f"(?:{_VERB_ALT})$")


def _spans(marks: list[int], lo: int, hi: int) -> list[tuple[int, int]]:
    """Clauses [a, b) between view positions lo and hi."""
    out, a = [], lo
    for p in marks[bisect_left(marks, lo) : bisect_left(marks, hi)]:
        out.append((a, p))
        a = p + 1
    return out


def _right_phrase(text: str) -> str:
    """The object after a number. 企业 followed by what they did is read whole (企业建立商业秘密保护机制), or
    as what they became (企业入选国家知识产权优势示范企业 → 国家知识产权优势示范企业)."""
    phrase = clean_right(text)
    m = re.match(r"[^,;。]*", text)
    whole = m.group() if m else ""
    became = re.search(r"(?:入选|入围|获批|成为|认定为|评为)", whole)
    if len(phrase) > 2:
        # 3件地理标志产品入选“中欧地理标志协定”: what they became is part of what is counted.
        return whole if became and became.start() == len(phrase) and len(whole) <= 24 else phrase
    if became:
        whole = clean_left(whole[became.end() :])
    return whole if len(whole) <= 24 else phrase


def _num(x: float | None) -> float | int | None:
    """A value for output: whole numbers without .0 (25亿元 → 2500000000)."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a else b
