"""Report text and tables built from analysis results, so that notebooks hold no logic.

Each function returns Markdown (a string) or a display-ready DataFrame with zh or en labels.
"""

from __future__ import annotations

import math

import pandas as pd

from ipcompare import analysis as A
from ipcompare.dataset import Dataset
from ipcompare.numbers import format_chinese

__all__ = ["fmt_value", "unit_label", "measure_label", "Footnotes", "title_block", "city_overview", "targets_table",
           "comparable_indicators", "compare_text", "comparisons_table", "growth_table", "gaps_table", "gaps_text", "checks_text",
           "sources_text", "rows_left_out", "COLS"]

_UNIT_ZH = {"item": "件", "organisation": "家", "person": "人", "person_time": "人次", "event": "场", "CNY": "元",
            "USD": "美元", "percent": "%", "points": "分", "times": "倍", "month": "个月", "day": "天",
            "percentage_point": "个百分点"}
_UNIT_EN = {"item": "", "organisation": " orgs", "person": " people", "person_time": " person-times",
            "event": " events", "CNY": " CNY", "USD": " USD", "percent": "%", "points": " pts", "times": "×",
            "month": " months", "day": " days", "percentage_point": " pct points"}
_CMP = {">=": {"zh": "≥", "en": "≥"}, "~": {"zh": "约", "en": "~"}, "<=": {"zh": "≤", "en": "≤"}, "=": {"zh": "", "en": ""},
        "range": {"zh": "", "en": ""}}
COLS = {
    "zh": {"indicator": "指标", "kind": "类型", "year": "年份", "value": "数值", "commitment": "承诺", "quote": "原文",
           "geo": "地区", "baseline": "基期值", "target": "目标值", "growth": "所需年均增速", "benchmark": "基准",
           "gap": "相对差距", "target_kind": "目标", "baseline_kind": "基期", "firm": "约束", "aspirational": "力争",
           "measure": "口径", "members": "比较对象", "reason": "未比较的原因"},
    "en": {"indicator": "Indicator", "kind": "Kind", "year": "Year", "value": "Value", "commitment": "Commitment",
           "quote": "Source text", "geo": "Geography", "baseline": "Baseline", "target": "Target",
           "growth": "Required annual growth", "benchmark": "Benchmark", "gap": "Relative gap",
           "target_kind": "target", "baseline_kind": "baseline", "firm": "firm", "aspirational": "aspirational",
           "measure": "Measure", "members": "Compared with", "reason": "Why not compared"},
}


_MEASURE = {
    "stock": ("存量", "stock"), "annual": ("年度", "annual"), "share": ("占比", "share"), "score": ("得分", "score"),
    "multiple": ("倍数", "multiple"), "change_pp": ("百分点变化", "change, pct points"),
}
# The report font (Noto Sans SC) has superscript digits ¹–⁴ only: from the fifth caveat on, marks are [5], [6], …
_SUPERSCRIPT = "¹²³⁴"


def _int(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def measure_label(measure: str, period_start=None, period_end=None, lang: str = "zh") -> str:
    """The measure in words, with its period where it has one.

    >>> measure_label("cumulative", 2016, 2020)
    '2016–2020年累计'
    >>> measure_label("growth_rate", 2021, 2025, lang="en")
    'average annual growth 2021–2025'
    """
    ps, pe = _int(period_start), _int(period_end)
    span = f"{ps}–{pe}" if ps is not None and pe is not None else ""
    if measure == "cumulative":
        return (f"{span}年累计" if span else "累计") if lang == "zh" else (f"total {span}" if span else "period total")
    if measure == "new_in_period":
        return (f"{span}年新增" if span else "新增") if lang == "zh" else (f"added {span}" if span else "added in period")
    if measure == "growth_rate":
        if lang == "zh":
            return f"{span}年均增速" if span else "增速"
        return f"average annual growth {span}" if span else "growth rate"
    zh, en = _MEASURE.get(measure, (measure, measure))
    return zh if lang == "zh" else en


class Footnotes:
    """Caveat markers for one table or chart: ``mark("aspirational;range")`` → '¹²', ``markdown()`` → the notes."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self.codes: list[str] = []

    def mark(self, caveats: str | None) -> str:
        from ipcompare.analysis.comparability import split_caveats

        out = ""
        for c in split_caveats(caveats):
            if c not in self.codes:
                self.codes.append(c)
            i = self.codes.index(c)
            out += _SUPERSCRIPT[i] if i < len(_SUPERSCRIPT) else f"[{i + 1}]"
        return out

    def markdown(self) -> str:
        from ipcompare.analysis.comparability import caveat_text

        if not self.codes:
            return ""
        head = "注：" if self.lang == "zh" else "Notes: "
        items = [f"{_SUPERSCRIPT[i] if i < len(_SUPERSCRIPT) else f'[{i + 1}]'} {caveat_text(c, self.lang)}"
                 for i, c in enumerate(self.codes)]
        return f"<small>{head}{'；'.join(items) if self.lang == 'zh' else '; '.join(items)}</small>"


def unit_label(unit: str, per: str | None = None, lang: str = "zh") -> str:
    """Axis label for a unit: ('item', '10k_population') → '件/万人' (zh) or 'items per 10k people' (en)."""
    per = None if per is None or pd.isna(per) else per
    if per == "100m_gdp_x100":
        return "万元/百亿元GDP" if lang == "zh" else "m CNY per 10 bn CNY of GDP"
    if lang == "zh":
        return _UNIT_ZH.get(unit, unit) + {"10k_population": "/万人", "10k_enterprises": "/万企"}.get(per, "")
    base = {"item": "items", "CNY": "CNY"}.get(unit, _UNIT_EN.get(unit, unit).strip())
    return base + {"10k_population": " per 10k people", "10k_enterprises": " per 10k enterprises"}.get(per, "")


def _display(v: float) -> float:
    """A computed value (an intensity, a median) shown to 4 significant digits; whole numbers stay whole."""
    v = float(v)
    if v == round(v, 2) or v == 0:
        return v
    digits = 3 - math.floor(math.log10(abs(v)))
    return round(v, max(digits, 0))


def fmt_value(value: float, unit: str, per: str | None = None, comparator: str = "=", lang: str = "zh",
              value_high: float | None = None) -> str:
    """Human-readable value: 2.5e9 CNY → '≥25亿元' (zh) or '≥2.5 bn CNY' (en); intensities say per what.

    >>> fmt_value(2.5e9, "CNY", comparator=">=")
    '≥25亿元'
    >>> fmt_value(11.5, "item", "10k_population", lang="en")
    '11.5 per 10k people'
    >>> fmt_value(5140331.037, "CNY", "100m_gdp_x100")
    '514万元/百亿元GDP'
    """
    if value is None or pd.isna(value):
        return "—"
    per = None if per is None or pd.isna(per) else per
    comparator = "=" if comparator is None or pd.isna(comparator) else comparator
    cmp_ = _CMP.get(comparator or "=", {"zh": "", "en": ""})[lang]
    value = _display(value)
    if per == "100m_gdp_x100":
        # Money per 100亿元 of GDP reads best in 万元: Zhengzhou's 7亿 pledge financing is 514万元 per 百亿元.
        v = _display(value / 1e4)
        return cmp_ + (f"{format_chinese(v, '')}万元/百亿元GDP" if lang == "zh" else f"{_display(value / 1e6):g} m CNY per 10 bn CNY of GDP")
    high = "" if value_high is None or pd.isna(value_high) else f"–{_num(value_high, unit, lang)}"
    if lang == "zh":
        body = format_chinese(float(value), "") + (f"–{format_chinese(float(value_high), '')}" if high else "")
        body += _UNIT_ZH.get(unit, unit)
        if per == "10k_population":
            body += "/万人"
        elif per == "10k_enterprises":
            body += "/万企"
        return cmp_ + body
    body = _num(value, unit, lang) + high + (_UNIT_EN.get(unit, " " + unit) if not per else "")
    if per == "10k_population":
        body += " per 10k people"
    elif per == "10k_enterprises":
        body += " per 10k enterprises"
    return cmp_ + body


def _num(v: float, unit: str, lang: str) -> str:
    v = float(v)
    if abs(v) >= 1e9:
        return f"{v / 1e9:g} bn"
    if abs(v) >= 1e6:
        return f"{v / 1e6:g} m"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"


def title_block(ds: Dataset, title: str, params: dict, lang: str = "zh") -> str:
    """Report title with parameters, dataset version and the date of the data build."""
    p = ", ".join(f"{k} = {v}" for k, v in params.items())
    head = "参数" if lang == "zh" else "Parameters"
    ver = "数据版本" if lang == "zh" else "Dataset version"
    return f"# {title}\n\n**{head}:** {p}  \n**{ver}:** `{ds.version}`"


def city_overview(ds: Dataset, city: str, lang: str = "zh") -> str:
    """A paragraph: the plan, its period, how many statements and observations, targets vs baselines."""
    g = ds.geo(city)
    docs = ds.documents[ds.documents.geo_code == g.geo_code]
    obs = ds.observations[ds.observations.geo_code == g.geo_code]
    n_t, n_b = int((obs.kind == "target").sum()), int((obs.kind == "baseline").sum())
    unread = int(obs["flags"].fillna("").str.contains("ocr_unreadable").sum())
    parts = []
    for d in docs.itertuples(index=False):
        if lang == "zh":
            parts.append(f"《{d.title_zh}》（{d.plan_start}–{d.plan_end}年）共有 **{d.n_statements}** 处量化表述")
        else:
            parts.append(f"*{d.title_en}* ({d.plan_start}–{d.plan_end}) contains **{d.n_statements}** quantified statements")
    if lang == "zh":
        s = "；".join(parts) + f"，归并为 **{len(obs)}** 项观测值：目标 {n_t} 项、基期值 {n_b} 项。"
        if unread:
            s += f" 其中 {unread} 个数字因 OCR 无法辨认，保留原文、不作推测。"
    else:
        s = "; ".join(parts) + f", folded into **{len(obs)}** observations: {n_t} targets and {n_b} baselines."
        if unread:
            s += f" {unread} numbers are unreadable in the OCR text; they are kept as written and not guessed."
    return s


# What targets_table reads of an observation (row_caveats: flags, commitment, comparator, month).
_TARGET_COLS = ["indicator", "kind", "measure", "period_start", "period_end", "year", "month", "value", "value_high",
                "unit", "per", "comparator", "commitment", "value_text", "quote", "flags"]


def targets_table(ds: Dataset, city: str, lang: str = "zh", kind: str | None = None, limit: int | None = None,
                  headline_only: bool = False, notes: Footnotes | None = None) -> pd.DataFrame:
    """The city's observations as a readable table: indicator, measure in words (存量 / 年度 / 2021–2025年累计 /
    年均增速 …), year, value with caveat markers (``notes`` collects the footnotes), commitment, quote."""
    from ipcompare.analysis.comparability import join_caveats, row_caveats

    g = ds.geo(city)
    o = ds.observations
    keep = o.geo_code == g.geo_code
    if kind:
        keep &= o.kind == kind
    # Filtered once and narrowed to the columns read: a take and a row tuple cost per column.
    obs = o.loc[keep, _TARGET_COLS + [f"indicator_name_{lang}"]]
    if headline_only:
        # Only the city's own indicators can be kept, so only they are compared across geographies.
        headline = set(comparable_indicators(ds, min_geos=2, among=set(obs.indicator)))
        obs = obs[obs.indicator.isin(headline)]
    c = COLS[lang]
    notes = notes if notes is not None else Footnotes(lang)
    hedge = "（力争）" if lang == "zh" else " (aspirational)"
    values = []
    for r in obs.itertuples():
        cav = [x for x in row_caveats(r._asdict()) if x != "aspirational"]
        v = (fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high) if pd.notna(r.value)
             else r.value_text + (" (OCR)" if lang == "en" else "（OCR无法辨认）"))
        values.append(v + (hedge if r.commitment == "aspirational" else "") + notes.mark(join_caveats(cav)))
    out = pd.DataFrame({
        c["indicator"]: obs[f"indicator_name_{lang}"],
        c["kind"]: obs.kind.map({"target": c["target_kind"], "baseline": c["baseline_kind"]}),
        c["measure"]: [measure_label(r.measure, r.period_start, r.period_end, lang) for r in obs.itertuples()],
        c["year"]: [f"{y}" + (f"-{int(m):02d}" if pd.notna(m) else "") for y, m in zip(obs.year, obs.month, strict=True)],
        c["value"]: values,
        c["quote"]: [q if len(q) <= 40 else q[:38] + "…" for q in obs.quote],
    })
    out = out.sort_values([c["kind"], c["indicator"]], ascending=[False, True])
    if kind:
        # One kind only: the column would repeat one word on every row.
        out = out.drop(columns=c["kind"])
    return out.head(limit).reset_index(drop=True) if limit else out.reset_index(drop=True)


def comparable_indicators(ds: Dataset, min_geos: int = 3, kind: str = "target",
                          among: set[str] | None = None) -> list[str]:
    """Indicators whose comparable group (:func:`~ipcompare.analysis.compare`) spans at least ``min_geos``
    geographies (nation included), most widely set first; ``among``: only these indicators are considered."""
    from ipcompare.analysis.compare import comparable_geos
    from ipcompare.analysis.pool import resolved

    obs = resolved(ds)
    keep = obs.kind == kind
    if among is not None:
        keep &= obs.indicator.isin(among)
    # The two columns counted, taken once: a mask over every column of every city's rows cost most of this.
    obs = obs.loc[keep, ["indicator", "geo_code"]]
    counts = obs.groupby("indicator").geo_code.nunique()
    out = []
    for ind in counts[counts >= min_geos].index:
        n = comparable_geos(ds, ind, kind)
        if n >= min_geos:
            out.append((-n, ind))
    return [i for _, i in sorted(out)]


def _name(r, lang: str) -> str:
    return getattr(r, f"geo_name_{lang}")


def compare_text(ds: Dataset, cmp: pd.DataFrame, city: str | None, lang: str = "zh") -> str:
    """One or two sentences stating a comparison of comparable rows, with numbers, years and the measure."""
    if "comparable" in cmp and not cmp.comparable.all():  # a city profile passes comparable rows only
        cmp = cmp[cmp.comparable]
    if cmp.empty:
        return ""
    ind = cmp.indicator.iloc[0]
    name = ds.label(ind, lang)
    first = cmp.iloc[0]
    basis = measure_label(first.measure, first.period_start, first.period_end, lang)
    rows = cmp[[f"geo_name_{lang}", "value", "unit", "per", "comparator", "value_high", "year"]].sort_values(
        "value", ascending=False)
    items = [f"{_name(r, lang)} {fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high)}"
             + (f"（{r.year}）" if lang == "zh" else f" ({r.year})") for r in rows.itertuples()]
    sep = "、" if lang == "zh" else ", "
    s = (f"**{name}**（{basis}）目标从高到低：" if lang == "zh" else f"**{name}** ({basis}) targets, highest first: ") \
        + sep.join(items) + ("。" if lang == "zh" else ".")
    if city is not None:
        code = str(ds.geo(city)["geo_code"])
        me = cmp.value[cmp.geo_code == code]  # the value column only: a row mask over the frame takes every column
        nat = cmp.value[cmp.geo_code == A.NATIONAL]
        # Only comparable rows reach here: a city's absolute count never stands beside the nation's.
        if not me.empty and not nat.empty and float(nat.iloc[0]) and first.unit != "percent":
            ratio = float(me.iloc[0]) / float(nat.iloc[0])
            s += (f" 相当于全国目标的 **{ratio:.2f} 倍**。" if lang == "zh"
                  else f" That is **{ratio:.2f}×** the national target.")
    if cmp.year.nunique() > 1:
        s += (f" 各目标年份不同（{cmp.year.min()}–{cmp.year.max()}年，在±{A.RULES.window}年比较窗口内），未作年份对齐。"
              if lang == "zh" else
              f" Target years differ ({cmp.year.min()}–{cmp.year.max()}, within the ±{A.RULES.window}-year window); not aligned.")
    return s


def comparisons_table(ds: Dataset, rows: pd.DataFrame, lang: str = "zh", notes: Footnotes | None = None
                      ) -> pd.DataFrame:
    """Comparisons not drawn as charts, from comparable :func:`~ipcompare.analysis.gaps` rows to the nation and
    to the peer median (as :func:`~ipcompare.findings.profile_comparison_plan` gives them): one line per
    indicator and basis with the city's target, the nation's and the peers' median with their number and
    target years; each benchmark marked with its row's caveats."""
    c = COLS[lang]
    notes = notes if notes is not None else Footnotes(lang)
    lines: dict[tuple, dict] = {}
    for r in rows.itertuples():
        key = (r.indicator, r.measure, r.per, r.unit, r.year, r.value)
        lines.setdefault(key, {"city": r})["peer" if r.benchmark == "peer median" else "nation"] = r
    out = []
    for line in lines.values():
        r = line["city"]
        nat, peer = line.get("nation"), line.get("peer")
        out.append([
            r.indicator_name_zh if lang == "zh" else r.indicator_name_en,
            measure_label(r.measure, r.period_start, r.period_end, lang),
            f"{fmt_value(r.value, r.unit, r.per, r.comparator, lang)} ({r.year})",
            "—" if nat is None else
            f"{fmt_value(nat.benchmark_value, r.unit, r.per, '=', lang)} ({nat.benchmark_year})" + notes.mark(nat.caveats),
            "—" if peer is None else
            (f"{fmt_value(peer.benchmark_value, r.unit, r.per, '=', lang)}（{peer.n_peers}个城市，{peer.benchmark_years}年）"
             if lang == "zh" else
             f"{fmt_value(peer.benchmark_value, r.unit, r.per, '=', lang)} ({peer.n_peers} cities, {peer.benchmark_years})")
            + notes.mark(peer.caveats),
        ])
    head = [c["indicator"], c["measure"], c["target"], "全国" if lang == "zh" else "China",
            "可比城市中位数" if lang == "zh" else "Peer median"]
    return pd.DataFrame(out, columns=head)


def growth_table(ds: Dataset, city: str, lang: str = "zh", notes: Footnotes | None = None) -> pd.DataFrame:
    """Baseline → target pairs of a city (same indicator and basis, baseline stated by the plan) with the growth
    they require: compound for counts and per-capita stocks, points per year for scores and shares."""
    code = str(ds.geo(city)["geo_code"])
    gp = A.baseline_pairs(ds, code)
    c = COLS[lang]
    if gp.empty:
        return pd.DataFrame(columns=[c["indicator"], c["measure"], c["baseline"], c["target"], c["growth"]])
    notes = notes if notes is not None else Footnotes(lang)
    yr = "年" if lang == "zh" else "yr"

    def growth(r) -> str:
        if r.path == "compound" and pd.notna(r.required_growth):
            return f"{r.required_growth:+.1%}/{yr}"
        unit = "个百分点" if lang == "zh" and r.unit == "percent" else ("分" if lang == "zh" else " pts" if r.unit == "points" else " pp")
        return f"{r.change_per_year:+.2f}{unit}/{yr}"

    return pd.DataFrame({
        c["indicator"]: [ds.label(i, lang) for i in gp.indicator],
        c["measure"]: [measure_label(r.measure, r.period_start, r.period_end, lang) for r in gp.itertuples()],
        c["baseline"]: [f"{fmt_value(r.baseline, r.unit, r.per, '=', lang)} ({r.baseline_year})" for r in gp.itertuples()],
        c["target"]: [f"{fmt_value(r.target, r.unit, r.per, r.comparator, lang)} ({r.target_year})" + notes.mark(r.caveats)
                      for r in gp.itertuples()],
        c["growth"]: [growth(r) for r in gp.itertuples()],
    })


def members_text(ds: Dataset, members: str, lang: str = "zh") -> str:
    """A benchmark's members as :func:`~ipcompare.analysis.gaps` names them ("Suzhou 2025, Linhai 2025", "China"),
    in the report's language: Chinese names for a zh report (苏州市 2025、临海市 2025)."""
    if lang != "zh" or not isinstance(members, str) or not members:
        return members
    out = []
    for name, year in A.split_members(members):
        try:
            name = ds.geo_label(str(ds.geo(name)["geo_code"]), "zh")
        except KeyError:
            pass  # not a registered place name: shown as gaps() wrote it
        out.append(f"{name} {year}".strip())
    return "、".join(out)


def gaps_table(ds: Dataset, gp: pd.DataFrame, lang: str = "zh", notes: Footnotes | None = None) -> pd.DataFrame:
    """The comparable rows of a :func:`~ipcompare.analysis.gaps` result as a readable table: measure in words,
    both sides with their years, who the benchmark is (peers named), caveat markers."""
    c = COLS[lang]
    gp = gp[gp.comparable]
    notes = notes if notes is not None else Footnotes(lang)
    names = [members_text(ds, r.benchmark_members, lang) for r in gp.itertuples()]
    members = [(f"{m}（{r.n_peers}个）" if lang == "zh" else f"{m} ({r.n_peers})") if pd.notna(r.n_peers) else m
               for m, r in zip(names, gp.itertuples(), strict=True)]
    return pd.DataFrame({
        c["indicator"]: gp[f"indicator_name_{lang}"],
        c["measure"]: [measure_label(r.measure, r.period_start, r.period_end, lang) for r in gp.itertuples()],
        c["target"]: [f"{fmt_value(r.value, r.unit, r.per, r.comparator, lang)} ({r.year})" for r in gp.itertuples()],
        c["benchmark"]: [f"{fmt_value(r.benchmark_value, r.unit, r.per, '=', lang)} ({r.benchmark_years or r.benchmark_year})"
                         for r in gp.itertuples()],
        c["members"]: members,
        c["gap"]: [f"{g:+.0%}" + notes.mark(cv) for g, cv in zip(gp.gap_relative, gp.caveats, strict=True)],
    })


def gaps_text(ds: Dataset, gp: pd.DataFrame, city: str, lang: str = "zh") -> str:
    """Summary of a gap analysis: how many comparable, how many above the benchmark, the largest gaps, and how
    many were not compared."""
    name = ds.geo_label(str(ds.geo(city)["geo_code"]), lang)
    ok = gp[gp.comparable] if not gp.empty else gp
    skipped = len(gp) - len(ok)
    if ok.empty:
        return (f"{name}没有可与该基准同口径比较的指标（{skipped}项未比较，原因见下）。" if lang == "zh"
                else f"{name} has no indicator comparable with this benchmark ({skipped} not compared; reasons below).")
    above = ok[ok.gap > 0]
    label = str(ok.benchmark.iloc[0])
    # Another city is labelled in English by gaps(): its Chinese name for the zh text.
    bench = {"national": ("全国", "the nation"), "peer median": ("可比城市中位数", "the peer median"),
             "own baseline": ("自身基期", "its own baseline")}.get(label) or (members_text(ds, label, "zh"), label)
    top = ok.reindex(ok.gap_relative.abs().sort_values(ascending=False).index).head(2)
    tops = "、".join(f"{r.indicator_name_zh}（{r.gap_relative:+.0%}）" for r in top.itertuples()) if lang == "zh" else \
        ", ".join(f"{r.indicator_name_en} ({r.gap_relative:+.0%})" for r in top.itertuples())
    if len(ok) == 1:  # "Of 1 comparable indicators … the largest gaps are" read oddly for a single one
        side = ("高于" if len(above) else "不高于") if lang == "zh" else ("above" if len(above) else "not above")
        s = (f"唯一一项同口径可比指标是{tops}：{name}{side}{bench[0]}。" if lang == "zh" else
             f"On the one comparable indicator, {tops}, {name} is {side} {bench[1]}.")
        if skipped:
            s += (f" 另有 {skipped} 项无法同口径比较，列于“未比较的指标及原因”。" if lang == "zh" else
                  f" {skipped} more cannot be compared on the same basis; they are listed under “Not compared, and why”.")
        return s
    if lang == "zh":
        s = f"在 {len(ok)} 项同口径可比指标中，{name}有 {len(above)} 项高于{bench[0]}，相对差距最大的是{tops}。"
        if skipped:
            s += f" 另有 {skipped} 项无法同口径比较，列于“未比较的指标及原因”。"
    else:
        s = f"Of {len(ok)} comparable indicators, {name} is above {bench[1]} on {len(above)}; the largest relative gaps are {tops}."
        if skipped:
            s += f" {skipped} more cannot be compared on the same basis; they are listed under “Not compared, and why”."
    return s


def checks_text(ds: Dataset, city: str | None = None, lang: str = "zh") -> str:
    """Consistency findings as sentences in the report's language, both sides given."""
    chk = A.consistency_checks(ds, geo=city)
    if city is not None and not chk.empty:
        chk = chk[chk.geo_code == str(ds.geo(city)["geo_code"])]
    if chk.empty:
        return "未发现可核对的不一致。" if lang == "zh" else "No inconsistencies found among the checks the documents allow."
    return "\n".join(f"- {s}" for s in chk[f"sentence_{lang}"])


# A reference row without a web address (the sources give "unknown", or a note, in its place): the reader is
# told who published the figure and when if the row says, and plainly that no address was recorded if it says
# neither — never "<unknown>" — and, for a source never graded (or with no grade at all), that it is unverified.
_NO_ADDRESS = {"zh": "未记录网址", "en": "no web address recorded"}
_UNVERIFIED = {"zh": "来源未经核实", "en": "source unverified"}


def _reference_source(row: pd.Series, lang: str) -> str:
    """A reference row's provenance on a source line: ``<URL>``, else its publisher and date, or what is missing."""
    url = "" if pd.isna(row["source_url"]) else str(row["source_url"]).strip()
    if url.startswith(("http://", "https://")):
        return f"<{url}>"
    said = [str(v).strip() for v in (row["publisher"], row["published"]) if not pd.isna(v) and str(v).strip()]
    grade = row["source_grade"]
    said = (said or [_NO_ADDRESS[lang]]) + ([_UNVERIFIED[lang]] if pd.isna(grade) or grade == "unknown" else [])
    return "（" + "，".join(said) + "）" if lang == "zh" else "(" + ", ".join(said) + ")"


def rows_left_out(total: int, shown: int, whole: str, lang: str = "zh") -> str:
    """What a table printed only in part leaves out, and where the whole is: "" when nothing is left out.

    >>> rows_left_out(600, 12, "data/tidy/documents.csv")
    '（共600行，此处列出前12行；全部见 `data/tidy/documents.csv`。）'
    >>> rows_left_out(6, 12, "data/tidy/documents.csv", "en")
    ''
    """
    if total <= shown:
        return ""
    return (f"（共{total}行，此处列出前{shown}行；全部见 `{whole}`。）" if lang == "zh"
            else f"({total} rows, the first {shown} shown; all of them: `{whole}`.)")


def sources_text(ds: Dataset, rows: pd.DataFrame | list[pd.DataFrame], lang: str = "zh") -> str:
    """Where each value in ``rows`` (a frame or several) comes from, for a chart's source line: the plan (doc id)
    or the reference row with its URL (without one: its publisher and date, or that none is recorded). Reads
    ``source`` and, for gap results, ``benchmark_source``.

    >>> sources_text(load(), pd.DataFrame({"source": ["doc:suzhou_2021_2025"], "benchmark_source": ["reference:national_actuals.csv#5"]}), "en")[:60]
    'ipcompare data/tidy — suzhou_2021_2025; national_actuals.csv'
    """
    ref = ds.reference.set_index("ref_id")
    srcs = []
    for frame in rows if isinstance(rows, list) else [rows]:
        for col in ("source", "benchmark_source"):
            if col in frame:
                srcs += [x for v in frame[col].dropna() for x in str(v).split("; ") if x]
    parts = []
    for src in dict.fromkeys(srcs):
        kind, _, key = str(src).partition(":")
        if kind == "reference" and key in ref.index:
            parts.append(f"{key} {_reference_source(ref.loc[key], lang)}")
        else:
            parts.append(key or kind)
    # The chart's source line supplies the word "资料来源 / Source" itself.
    return "ipcompare data/tidy — " + "; ".join(parts)
