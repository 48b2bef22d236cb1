"""Name the indicator of a phrase by composing concepts, not only by matching the registry's aliases.

A phrase such as 年度PCT专利授权量 is read as a *signature* — object (PCT), state (授权), per (每万人口 …),
qualifiers (高价值, 海外, 品牌 …), level (国家/省/市) and whether it is a share (占比) — with the tables of
``concepts.yaml``. Every registry indicator gets a signature the same way, from its name_zh and its aliases.
The phrase's indicator is the code whose signature is the phrase's; an alias found in the phrase is evidence
that settles a tie. When no code fits, the phrase is proposed as a *new concept* (a slug, its zh name, the
unit of its counter), never forced onto the nearest existing code.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files

import yaml

from ipcompare.extract.view import normalise_phrase
from ipcompare.registry import Registry

__all__ = ["Signature", "Concepts", "Namer", "load_concepts", "clean_left", "clean_right", "split_coordinated",
           "head_noun", "proposal_unit"]


@dataclass(frozen=True)
class Signature:
    """What a phrase names, concept by concept."""

    obj: str | None = None
    state: str | None = None
    per: str | None = None
    quals: frozenset[str] = frozenset()
    level: str | None = None
    share: bool = False
    action: str | None = None  # 新收 / 审结 / 查处 … of cases and disputes

    def describe(self) -> str:
        parts = [f"object {self.obj}" if self.obj else "", f"state {self.state}" if self.state else "",
                 f"per {self.per}" if self.per else "", f"level {self.level}" if self.level else "",
                 "qualifiers " + "+".join(sorted(self.quals)) if self.quals else "", "share" if self.share else "",
                 f"action {self.action}" if self.action else ""]
        return ", ".join(p for p in parts if p)


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


class Concepts:
    """The concept tables of ``concepts.yaml``, compiled."""

    def __init__(self, raw: dict):
        self.objects: dict[str, str] = raw["objects"]
        self.states: dict[str, str] = raw["states"]
        self.per: dict[str, str] = raw["per"]
        self.quals: dict[str, str] = raw["qualifiers"]
        self.levels: dict[str, str] = raw["levels"]
        self.scope_before = set(raw["level_scope_before"])
        self.level_heads = tuple(raw["level_heads"])
        self.share = tuple(raw["share"])
        self.glossary: dict[str, str] = raw["glossary"]
        self.actions: dict[str, str] = raw["actions"]
        self._action = _alternation(self.actions)
        self._obj = _alternation(self.objects)
        self._state = _alternation(self.states)
        self._per = _alternation(self.per)
        self._qual = _alternation(self.quals)
        self._level = _alternation(self.levels)
        self._gloss = _alternation(self.glossary)

    def signature(self, phrase: str) -> Signature:
        """The signature of a phrase in view form (simplified, no spaces, ASCII lower-case)."""
        p = _PARENS.sub("", phrase)
        per_m = self._per.search(p)
        per = self.per[per_m.group()] if per_m else None
        if per_m:
            p = p[: per_m.start()] + "·" * len(per_m.group()) + p[per_m.end():]
        objs = {self.objects[m.group()] for m in self._obj.finditer(p)}
        if "madrid_trademark" in objs:  # 通过马德里体系的国际商标注册: Madrid implies a trademark
            objs.discard("trademark")
        if "pct" in objs:  # PCT国际专利
            objs -= {"patent", "invention_patent"}
        # 专利商标质押融资: several rights together are IP in general, as 知识产权 is.
        obj = objs.pop() if len(objs) == 1 else None
        state = self.state(p)
        quals = {self.quals[m.group()] for m in self._qual.finditer(p)}
        if obj in ("pct", "madrid_trademark"):
            quals.discard("overseas")  # international by definition
        if per == "10k_enterprises":
            quals.discard("enterprise")
        levels = set()
        for m in self._level.finditer(p):
            before, after = p[m.start() - 1 : m.start()], p[m.end() : m.end() + 4]
            if before in self.scope_before or after.startswith(("以上", "场")) or "级" not in m.group() and not (
                    after[:1] in "、/" or after.startswith(self.level_heads)):
                continue  # 全市 (scope), 市级以上 (any level), 国家营商环境 (not a level)
            levels.add(self.levels[m.group()])
        level = levels.pop() if len(levels) == 1 else None
        share = any(w in p for w in self.share)
        return Signature(obj, state, per, frozenset(quals), level, share, self.action(p))

    def state(self, text: str) -> str | None:
        """The state of the right (申请 before 注册: 注册申请 is an application; 有效 before 注册)."""
        states = {self.states[m.group()] for m in self._state.finditer(text)}
        return next((s for s in ("application", "grant", "pledge", "transfer", "licence", "in_force", "registration")
                     if s in states), None)

    def action(self, text: str) -> str | None:
        """The last case-handling verb of ``text`` (查处, 审结 …), or None."""
        found = [self.actions[m.group()] for m in self._action.finditer(text)]
        return found[-1] if found else None

    def slug(self, phrase: str, unit: str) -> str:
        """A snake_case code for a proposed indicator: English words of the glossary, else a short hash."""
        tokens: list[str] = []
        for m in self._gloss.finditer(phrase):
            tok = self.glossary[m.group()]
            if tok not in tokens:
                tokens.append(tok)
        if not tokens:
            return f"new_{unit}_{zlib.crc32(phrase.encode()):08x}"
        # The counted thing comes last in English as in Chinese: 知识产权服务品牌机构 → ip_service_brand_institutions.
        return "_".join(tokens)[:60].strip("_")


_PARENS = re.compile(r"\([^()]*\)")
# 专利商标质押融资: several kinds of right named together stand for IP in general (知识产权).
_IP_IN_GENERAL = re.compile(r"(?:专利|商标|版权|著作权)(?:和|与|及|、)?(?:专利|商标|版权|著作权)")


def _same_level(sig: Signature, own: Signature) -> bool:
    """A code with a level (省级…) fits that level only; a code with none fits any (the registry keeps one code
    for 国家/省 talents or brand institutions alike; context.py notes the level for the reviewer)."""
    return own.level is None or own.level == sig.level


def _same_right(sig: Signature, own: Signature) -> bool:
    """The same IP right, counted the same way: 注册商标拥有量 (in force) is not 核准注册商标 (registered)."""
    if (sig.obj, sig.per, sig.quals, sig.share) != (own.obj, own.per, own.quals, own.share) or not _same_level(sig, own):
        return False
    return sig.state == own.state


@cache
def load_concepts() -> Concepts:
    """The package's concept tables."""
    raw = yaml.safe_load((files("ipcompare.extract") / "concepts.yaml").read_text(encoding="utf-8"))
    return Concepts(raw)


class Namer:
    """Signatures of a registry's indicators, and the naming of phrases against them."""

    def __init__(self, registry: Registry, drop: frozenset[str] | set[str] = frozenset()):
        self.registry = registry
        self.concepts = load_concepts()
        self.sigs: dict[str, list[Signature]] = {}
        self._by_key: dict[tuple, list[str]] = {}
        self.names: dict[str, list[str]] = {}
        self.sig_of: dict[str, Signature] = {}
        for ind in registry.indicators.values():
            own = self.concepts.signature(normalise_phrase(ind.name_zh))
            own = Signature(own.obj, own.state, ind.per or own.per, own.quals, own.level, own.share, own.action)
            self.sig_of[ind.code] = own
            names = [normalise_phrase(n) for n in (ind.name_zh, *(a for a in ind.aliases if a not in drop))]
            self.names[ind.code] = names
            sigs = []
            for name in names:
                sig = self.concepts.signature(name)
                sig = Signature(sig.obj, sig.state, ind.per or sig.per, sig.quals, sig.level, sig.share, sig.action)
                if sig not in sigs:
                    sigs.append(sig)
            self.sigs[ind.code] = sigs
            for sig in sigs:  # codes by what must agree exactly, so that fits() runs on few codes
                keyed = self._by_key.setdefault((sig.obj, sig.per, sig.quals, sig.share), [])
                if ind.code not in keyed:
                    keyed.append(ind.code)

    def signature(self, phrase: str) -> Signature:
        return self.concepts.signature(phrase)

    def fits(self, code: str, sig: Signature, phrase: str) -> bool:
        """Does the indicator ``code`` mean what ``phrase`` (with signature ``sig``) says?

        An IP right (object) must agree in object, state, per, qualifiers and level; other phrases must agree
        in qualifiers and level, and the code's names must hold the phrase's head noun (机构, 园区, 人才 …);
        a case-handling verb (查处, 审结 …) must be the code's when it has one.
        """
        if code not in self.sig_of:
            return False
        acts = {own.action for own in self.sigs[code] if own.action}
        if sig.action and acts and sig.action not in acts:
            return False  # 查处 cases are not 审结 cases
        head = head_noun(phrase)
        head_ok = any(head in name or head[-1:] in _ORG_HEADS and f"{head[-1]}、" in name for name in self.names[code])
        if sig.obj:
            # 专利导航服务基地 counts bases, not patents: unless the phrase ends with the right or its state,
            # the head noun must be the code's too.
            right_head = bool(self.concepts._state.search(head) or self.concepts._obj.search(head))
            return any(_same_right(sig, own) for own in self.sigs[code]) and (right_head or head_ok)
        return head_ok and any(own.obj is None and own.quals == sig.quals and _same_level(sig, own)
                               and own.per == sig.per for own in self.sigs[code])

    def nearest(self, sig: Signature, phrase: str, threshold: float = 0.8) -> str | None:
        """The code that fits ``phrase`` and has the most similar name (省级商业秘密保护示范站 ≈
        省级商业秘密保护示范基地(区、站、点)), when no alias is written in it; None below ``threshold``."""
        best, best_score = None, threshold
        if len(phrase) < 5:
            return None  # 中小企业: too generic to stand for any one indicator
        for code in self._candidates(sig):
            if not self.fits(code, sig, phrase):
                continue
            score = self.coverage(code, phrase)
            if score > best_score:
                best, best_score = code, score
        return best

    def coverage(self, code: str, phrase: str) -> float:
        """The largest share of the phrase's characters found, in order, in one of the code's names."""
        core = self._core(phrase)
        if not core:
            return 0.0
        return max((sum(b.size for b in SequenceMatcher(None, core, self._core(name), autojunk=False)
                        .get_matching_blocks()) / len(core) for name in self.names[code]), default=0.0)

    def _core(self, phrase: str) -> str:
        """A phrase without its level words, punctuation and 数/量/规模 ending, for comparing names."""
        p = re.sub(r"[、/()\[\]]", "", phrase)
        p = _IP_IN_GENERAL.sub("知识产权", p)
        return _HEAD_TRIM.sub("", re.sub(r"(?:级)?以上", "", self.concepts._level.sub("", p)))

    def compose(self, sig: Signature, phrase: str) -> list[str]:
        """Codes whose name or an alias means the IP right ``sig`` names (empty for phrases naming none)."""
        if not sig.obj:
            return []
        fitting = [code for code in self._candidates(sig) if self.fits(code, sig, phrase)]
        head = head_noun(phrase)
        if self.concepts._state.search(head) or self.concepts._obj.search(head):
            return fitting
        # 专利信息分析利用机构 is not 专利导航工程支撑服务机构: when the right only modifies the head noun, the
        # signature says too little; the code's name must also cover the phrase.
        return [code for code in fitting if self.coverage(code, phrase) >= 0.8]

    def _candidates(self, sig: Signature) -> list[str]:
        return self._by_key.get((sig.obj, sig.per, sig.quals, sig.share), [])

    def name(self, phrase: str, vocab, unit: str = "") -> tuple[str, dict, str, float]:
        """Code (or a new-concept proposal), reason and confidence for a phrase standing alone (a table row's
        name): an alias that fits, else the composed code, else the nearest fitting name, else a proposal."""
        sig = self.signature(phrase)
        fitting = [h.code for h in vocab.find(phrase) if self.fits(h.code, sig, phrase)]
        composed = self.compose(sig, phrase)
        pick = next((k for k in composed if k in fitting), None) or (fitting[-1] if fitting else None)
        if pick:
            return pick, {}, f"indicator: {pick} ← an alias in {phrase!r} that fits its concepts", 1.0
        pick = (composed[0] if len(composed) == 1 else None) or self.nearest(sig, phrase)
        if pick:
            return pick, {}, f"indicator: {pick} composed from {phrase!r} ({sig.describe() or 'its words'})", 0.7
        unit = normalise_phrase(unit)
        # 亿元, 万件: the counter is the last character once the multiplier is set aside.
        units = (self.registry.counter_units(unit) or self.registry.counter_units(unit[-1:])) if unit else set()
        proposal = self.propose(phrase, proposal_unit(units, phrase), sig.per)
        return "", proposal, f"indicator: new concept {proposal['code']!r} ({phrase!r}); no registry indicator fits it", 0.5

    def propose(self, phrase: str, unit: str, per: str | None) -> dict:
        """A new concept for the reviewer: a slug, the phrase as its zh name, the counter's unit."""
        slug = self.concepts.slug(phrase, unit or "item")
        if per and not slug.endswith("per_10k"):
            slug += "_per_10k"
        if slug in self.registry.indicators:  # never an existing code: the reviewer must see it is new
            slug += "_new"
        return {"code": slug, "name_zh": phrase, "unit": unit, "per": per}


# --- the phrase that names what a number counts ------------------------------------------------------------------
_YEARS = re.compile(r"(?:截至到|截止到|截至|截止|到|至|从|自)?(?:(?:19|20)[0-9]{2}年(?:[0-9]{1,2}月)?|十[一二三四五]五)"
                    r"(?:时期|期间|以来|规划|底|末|初|起|的|内)?")
_LEAD_WORDS = re.compile(
    r"^(?:力争|争取|努力|全市|全省|全区|全县|我市|本市|全年|重点|积极|加快|持续|大力|共|已经|已|还|并|累计|进一步|逐步|"
    r"每年|年度|年均|其中|新增|新建|新申请|新收|新引进|新培育|新认定|培育|建设|建立|打造|创建|引育|引进|引入|培养|扶持|支持|"
    r"实施|开展|举办|组织|申报|指导|完成|查处|办理|提供|发放|发布|惠及|获得|投入|认定|推动|引导|服务|形成|建成|拥有|实现|扩大|"
    r"在|对|和|及|与|,|、)+")
_TRAIL_WORDS = re.compile(
    r"(?:至|到|力争|争取|努力|年均|年度|累计|分别|共|总计|合计|增加至|增加到|增至|扩大到|扩大至|提高到|提高至|提升至|提升到|达到|达|"
    r"超过|超|突破|不低于|不少于|不超过|逾|近|约|保持在|稳定在|控制在|增加|增长|提高|提升|增幅|增速|增长率|同比|较上年|"
    r"为|是|在|要|有|以上|左右|的|"
    r"\(|、|和|及|与|:)+$")
_RIGHT_CUT = re.compile(r"(?:通过|实施|参与|入选|获批|建立|完成|开展|进入|入围|达到|落户|上市|,|;)")


def clean_left(text: str) -> str:
    """The words naming what a number counts, from the words before it (view form): year phrases, lead words
    (力争, 全市, verbs) and the verb or comparator before the number (达到, 超过, 年均增加) removed."""
    t = _YEARS.sub("", text)
    if "分别" in t:
        t = t[: t.index("分别")]
    prev = None
    while prev != t:
        prev = t
        t = _LEAD_WORDS.sub("", t)
        t = _TRAIL_WORDS.sub("", t)
    return t


def clean_right(text: str) -> str:
    """The object after a number (培育80个高价值专利组合): after the last 的, up to the next verb or clause."""
    t = text
    for w in ("以上", "左右", "以下", "以内"):
        if t.startswith(w):
            t = t[len(w):]
    if "的" in t:
        t = t[t.rindex("的") + 1 :]
    m = _RIGHT_CUT.search(t, 1)
    if m:
        t = t[: m.start()]
    return _TRAIL_WORDS.sub("", t)


def split_coordinated(subject: str, k: int) -> list[str] | None:
    """A、B / A和B before 分别: ``k`` phrases, each completed from the first when it only names a state
    (企业专利申请量、授权量 → 企业专利申请量, 企业专利授权量); None when the count differs."""
    share = ""
    m = re.search(r"占", subject)
    if m:
        share, subject = "占比", subject[: m.start()]
    parts = [p for p in re.split(r"[、和及与/]", subject) if p]
    if len(parts) != k:
        return None
    concepts = load_concepts()
    first = parts[0]
    st = concepts._state.search(first)
    stem = first[: st.start()] if st else ""
    # 发明专利和实用新型专利申请量: the state written once, after the last object.
    last_state = concepts._state.search(parts[-1])
    tail = parts[-1][last_state.start() :] if last_state and concepts._obj.search(parts[-1]) else ""
    out = []
    for p in parts:
        if stem and concepts._obj.search(p) is None and concepts._state.match(p):
            p = stem + p
        elif tail and concepts._state.search(p) is None and concepts._obj.search(p):
            p = p + tail
        out.append(p + share)
    return out


_HEAD_TRIM = re.compile(r"(?:数量|数|量|总量|总数|总额|金额|额|规模|队伍|榜单|名单)+$")


def head_noun(phrase: str) -> str:
    """The last two characters of a phrase, 数/量 removed: 知识产权服务品牌机构 → 机构."""
    p = _HEAD_TRIM.sub("", _PARENS.sub("", phrase))
    return p[-2:]


def proposal_unit(counter_units: set[str], phrase: str) -> str:
    """The unit a proposed indicator takes from its counter; 个 counts organisations when the head says so."""
    if len(counter_units) == 1:
        return next(iter(counter_units))
    if "organisation" in counter_units and head_noun(phrase)[-1:] in _ORG_HEADS:
        return "organisation"
    for u in ("item", "organisation", "person", "event"):
        if u in counter_units:
            return u
    return ""


_ORG_HEADS = set("构心站地区业校点所台园市县镇位")
