"""Report text and tables built from analysis results, so that notebooks hold no logic.

Each function returns Markdown (a string) or a display-ready DataFrame with zh or en labels.
"""

from __future__ import annotations

import pandas as pd

from ipcompare import analysis as A
from ipcompare.dataset import Dataset
from ipcompare.numbers import format_chinese

__all__ = ["fmt_value", "unit_label", "title_block", "city_overview", "targets_table", "comparable_indicators",
           "compare_text", "growth_table", "gaps_table", "gaps_text", "checks_text", "COLS"]

_UNIT_ZH = {"item": "件", "organisation": "家", "person": "人", "person_time": "人次", "event": "场", "CNY": "元",
            "USD": "美元", "percent": "%", "points": "分", "times": "倍", "month": "个月", "day": "天"}
_UNIT_EN = {"item": "", "organisation": " orgs", "person": " people", "person_time": " person-times",
            "event": " events", "CNY": " CNY", "USD": " USD", "percent": "%", "points": " pts", "times": "×",
            "month": " months", "day": " days"}
_CMP = {">=": {"zh": "≥", "en": "≥"}, "~": {"zh": "约", "en": "~"}, "<=": {"zh": "≤", "en": "≤"}, "=": {"zh": "", "en": ""},
        "range": {"zh": "", "en": ""}}
COLS = {
    "zh": {"indicator": "指标", "kind": "类型", "year": "年份", "value": "数值", "commitment": "承诺", "quote": "原文",
           "geo": "地区", "baseline": "基期值", "target": "目标值", "growth": "所需年均增速", "benchmark": "基准",
           "gap": "相对差距", "target_kind": "目标", "baseline_kind": "基期", "firm": "约束", "aspirational": "力争"},
    "en": {"indicator": "Indicator", "kind": "Kind", "year": "Year", "value": "Value", "commitment": "Commitment",
           "quote": "Source text", "geo": "Geography", "baseline": "Baseline", "target": "Target",
           "growth": "Required annual growth", "benchmark": "Benchmark", "gap": "Relative gap",
           "target_kind": "target", "baseline_kind": "baseline", "firm": "firm", "aspirational": "aspirational"},
}


def unit_label(unit: str, per: str | None = None, lang: str = "zh") -> str:
    """Axis label for a unit: ('item', '10k_population') → '件/万人' (zh) or 'items per 10k people' (en)."""
    per = None if per is None or pd.isna(per) else per
    if lang == "zh":
        return _UNIT_ZH.get(unit, unit) + {"10k_population": "/万人", "10k_enterprises": "/万企"}.get(per, "")
    base = {"item": "items", "CNY": "CNY"}.get(unit, _UNIT_EN.get(unit, unit).strip())
    return base + {"10k_population": " per 10k people", "10k_enterprises": " per 10k enterprises"}.get(per, "")


def fmt_value(value: float, unit: str, per: str | None = None, comparator: str = "=", lang: str = "zh",
              value_high: float | None = None) -> str:
    """Human-readable value: 2.5e9 CNY → '≥25亿元' (zh) or '≥2.5 bn CNY' (en); per-10k rates say so.

    >>> fmt_value(2.5e9, "CNY", comparator=">=")
    '≥25亿元'
    >>> fmt_value(11.5, "item", "10k_population", lang="en")
    '11.5 per 10k people'
    """
    if value is None or pd.isna(value):
        return "—"
    per = None if per is None or pd.isna(per) else per
    comparator = "=" if comparator is None or pd.isna(comparator) else comparator
    cmp_ = _CMP.get(comparator or "=", {"zh": "", "en": ""})[lang]
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


def targets_table(ds: Dataset, city: str, lang: str = "zh", kind: str | None = None, limit: int | None = None,
                  headline_only: bool = False) -> pd.DataFrame:
    """The city's observations as a readable table (indicator, kind, year, value, commitment, quote)."""
    g = ds.geo(city)
    obs = ds.observations[ds.observations.geo_code == g.geo_code]
    if kind:
        obs = obs[obs.kind == kind]
    if headline_only:
        headline = set(comparable_indicators(ds, min_geos=2))
        obs = obs[obs.indicator.isin(headline)]
    c = COLS[lang]
    hedge = "（力争）" if lang == "zh" else " (aspirational)"
    out = pd.DataFrame({
        c["indicator"]: obs[f"indicator_name_{lang}"],
        c["kind"]: obs.kind.map({"target": c["target_kind"], "baseline": c["baseline_kind"]}),
        c["year"]: [f"{y}" + (f"-{int(m):02d}" if pd.notna(m) else "") for y, m in zip(obs.year, obs.month, strict=True)],
        c["value"]: [(fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high) if pd.notna(r.value)
                      else r.value_text + (" (OCR)" if lang == "en" else "（OCR无法辨认）"))
                     + (hedge if r.commitment == "aspirational" else "") for r in obs.itertuples()],
        c["quote"]: [q if len(q) <= 40 else q[:38] + "…" for q in obs.quote],
    })
    out = out.sort_values([c["kind"], c["indicator"]], ascending=[False, True])
    if kind:
        # One kind only: the column would repeat one word on every row.
        out = out.drop(columns=c["kind"])
    return out.head(limit).reset_index(drop=True) if limit else out.reset_index(drop=True)


def comparable_indicators(ds: Dataset, min_geos: int = 3, kind: str = "target") -> list[str]:
    """Indicators with comparable targets in at least ``min_geos`` geographies (nation included)."""
    obs = pd.concat([ds.observations[ds.observations.geo_code != A.NATIONAL], A.national_benchmarks(ds)])
    obs = obs[(obs.kind == kind) & obs.value.notna()]
    n = obs.groupby(["indicator", "measure", "per", "unit"], dropna=False).geo_code.nunique()
    keep = n[n >= min_geos].reset_index()
    return sorted(keep.indicator.unique(), key=lambda i: (-int(n.xs(i, level=0).max()), i))


def compare_text(ds: Dataset, cmp: pd.DataFrame, city: str | None, lang: str = "zh") -> str:
    """One or two sentences stating a comparison with numbers and years."""
    if cmp.empty:
        return ""
    ind = cmp.indicator.iloc[0]
    name = ds.label(ind, lang)
    rows = cmp.sort_values("value", ascending=False)
    items = [f"{getattr(r, f'geo_name_{lang}')} {fmt_value(r.value, r.unit, r.per, r.comparator, lang)}"
             f"（{r.year}）" if lang == "zh" else
             f"{getattr(r, f'geo_name_{lang}')} {fmt_value(r.value, r.unit, r.per, r.comparator, lang)} ({r.year})"
             for r in rows.itertuples()]
    sep = "、" if lang == "zh" else ", "
    s = (f"**{name}**目标从高到低：" if lang == "zh" else f"**{name}** targets, highest first: ") + sep.join(items) + ("。" if lang == "zh" else ".")
    if city is not None:
        code = str(ds.geo(city)["geo_code"])
        me = cmp[cmp.geo_code == code]
        nat = cmp[cmp.geo_code == A.NATIONAL]
        intensive = pd.notna(cmp.per.iloc[0]) or cmp.unit.iloc[0] in ("percent", "points")
        # A city's absolute count against the nation's says nothing about ambition; rates and shares do.
        if not me.empty and not nat.empty and intensive:
            ratio = float(me.value.iloc[0]) / float(nat.value.iloc[0])
            s += (f" 相当于全国目标的 **{ratio:.2f} 倍**。" if lang == "zh"
                  else f" That is **{ratio:.2f}×** the national target.")
    if cmp.year.nunique() > 1:
        s += (" 注意各目标年份不同，未作年份对齐。" if lang == "zh"
              else " Note the target years differ; they are shown as stated, not aligned.")
    return s


def growth_table(ds: Dataset, city: str, lang: str = "zh") -> pd.DataFrame:
    """Baseline → target pairs of a city with the compound annual growth they require."""
    gp = A.gaps(ds, city, "baseline")
    c = COLS[lang]
    if gp.empty:
        return pd.DataFrame(columns=[c["indicator"], c["baseline"], c["target"], c["growth"]])
    return pd.DataFrame({
        c["indicator"]: gp[f"indicator_name_{lang}"],
        c["baseline"]: [f"{fmt_value(r.benchmark_value, r.unit, r.per, '=', lang)} ({r.benchmark_year})" for r in gp.itertuples()],
        c["target"]: [f"{fmt_value(r.value, r.unit, r.per, r.comparator, lang)} ({r.year})" for r in gp.itertuples()],
        c["growth"]: [f"{g:+.1%}" if pd.notna(g) else "—" for g in gp.required_growth],
    })


def gaps_table(ds: Dataset, gp: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A :func:`~ipcompare.analysis.gaps` result as a readable table."""
    c = COLS[lang]
    return pd.DataFrame({
        c["indicator"]: gp[f"indicator_name_{lang}"],
        c["target"]: [f"{fmt_value(r.value, r.unit, r.per, r.comparator, lang)} ({r.year})" for r in gp.itertuples()],
        c["benchmark"]: [f"{fmt_value(r.benchmark_value, r.unit, r.per, '=', lang)} ({r.benchmark_year})" for r in gp.itertuples()],
        c["gap"]: [f"{g:+.0%}" for g in gp.gap_relative],
    })


def gaps_text(ds: Dataset, gp: pd.DataFrame, city: str, lang: str = "zh") -> str:
    """Summary sentence of a gap analysis: how many above / below the benchmark, the largest gaps."""
    name = ds.geo_label(str(ds.geo(city)["geo_code"]), lang)
    if gp.empty:
        return (f"{name}没有可与该基准比较的指标。" if lang == "zh"
                else f"{name} has no indicator comparable with this benchmark.")
    above = gp[gp.gap > 0]
    bench = gp.benchmark.iloc[0]
    top = gp.reindex(gp.gap_relative.abs().sort_values(ascending=False).index).head(2)
    tops = "、".join(f"{r.indicator_name_zh}（{r.gap_relative:+.0%}）" for r in top.itertuples()) if lang == "zh" else \
        ", ".join(f"{r.indicator_name_en} ({r.gap_relative:+.0%})" for r in top.itertuples())
    if lang == "zh":
        s = f"在 {len(gp)} 项可比指标中，{name}有 {len(above)} 项高于基准（{bench}），差距最大的是{tops}。"
        if gp.years_differ.any():
            s += " 部分指标的目标年份与基准年份不同，表中注明年份，未作对齐。"
    else:
        s = f"Of {len(gp)} comparable indicators, {name} is above the benchmark ({bench}) on {len(above)}; the largest gaps are {tops}."
        if gp.years_differ.any():
            s += " Some pairs compare different years; the years are shown and not aligned."
    return s


def checks_text(ds: Dataset, city: str | None = None, lang: str = "zh") -> str:
    """Markdown bullet list of consistency findings (implied population, conflicts, restatements)."""
    chk = A.consistency_checks(ds)
    if city is not None:
        chk = chk[chk.geo_code == str(ds.geo(city)["geo_code"])]
    if chk.empty:
        return "未发现不一致。" if lang == "zh" else "No inconsistencies found."
    names = {"implied_population": ("隐含人口", "Implied population"), "conflict": ("数值冲突", "Conflicting values"),
             "inconsistent_restatement": ("重述不一致", "Inconsistent restatement")}
    lines = []
    for r in chk.itertuples(index=False):
        label = names[r.check][0 if lang == "zh" else 1]
        dev = f"，偏差 {r.deviation:+.1%}" if lang == "zh" and pd.notna(r.deviation) else (
            f", deviation {r.deviation:+.1%}" if pd.notna(r.deviation) else "")
        lines.append(f"- **{label}** · {ds.label(r.indicator, lang)}: {r.detail}{dev}")
    return "\n".join(lines)
