"""Tables and charts of the progress report (notebooks/progress.ipynb): a status table of the headline targets
and, per indicator, a trajectory chart — baseline → actuals → target, with the required path dashed.

Kept apart from ``narrative`` and ``plots`` (other reports' modules); it reuses their formatting and theme.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ipcompare.chart_layout import LabelLayout
from ipcompare.dataset import Dataset
from ipcompare.narrative import _UNIT_ZH, fmt_value, unit_label
from ipcompare.plots import PALETTE, _source_line
from ipcompare.progress import actuals, decimal_year

__all__ = ["HEADLINE", "STATUS_LABEL", "reason_text", "status_table", "status_summary", "city_sentence",
           "trajectory_chart"]

# The indicators the issue names as headline; their targets are the ones a reader asks about first.
HEADLINE = (
    "high_value_invention_patents_per_10k", "high_value_invention_patents", "invention_patents_per_10k",
    "invention_patents_in_force", "registered_trademarks", "pct_applications", "pct_grants",
    "copyright_registrations", "ip_pledge_financing", "ip_protection_satisfaction",
)
STATUS_LABEL = {
    "zh": {"achieved": "已实现", "on track": "进度正常", "off track": "进度滞后", "missed": "未实现",
           "not assessable": "无法评估"},
    "en": {s: s for s in ("achieved", "on track", "off track", "missed", "not assessable")},
}
_HEAD = {
    "zh": ["指标", "口径", "目标", "基期", "最新实际值", "状态", "依据"],
    "en": ["Indicator", "Measure", "Target", "Baseline", "Latest actual", "Status", "Basis"],
}
_MEASURE = {"zh": {"stock": "存量", "annual": "年度", "cumulative": "累计", "new_in_period": "期内新增",
                   "share": "占比", "score": "得分", "growth_rate": "增速", "multiple": "倍数"},
            "en": {}}


# The reasons progress() writes, in Chinese. Each pattern matches one template of ipcompare/progress.py; a test
# checks that every reason of the real table is translated whole.
_MEASURE_ZH = {"cumulative": "期内累计", "new_in_period": "期内新增", "multiple": "倍数", "annual": "年度值",
               "share": "占比", "score": "得分", "stock": "存量", "growth_rate": "增速", "change_pp": "百分点变化"}


def _bases_zh(text: str) -> str:
    """'stock/item, annual/CNY' → '存量/件、年度值/元': the measure/unit pairs a reason lists, in Chinese."""
    parts = []
    for pair in text.split(", "):
        measure, _, unit = pair.partition("/")
        parts.append(f"{_MEASURE_ZH.get(measure, measure)}/{_UNIT_ZH.get(unit, unit)}")
    return "、".join(parts)


_REASONS_ZH = [
    (r"target value unreadable in the plan", "规划中目标数值无法识别"),
    (r"not comparable: a (\w+) target needs a period total, which no source reports",
     lambda m: f"口径不可比：{_MEASURE_ZH.get(m[1], m[1])}目标需要期内合计数，未见来源发布"),
    (r"not comparable: a (\w+) target needs the same quantity in its base and target years, which no source reports",
     lambda m: f"口径不可比：{_MEASURE_ZH.get(m[1], m[1])}目标需要基准年与目标年的同口径数值，未见来源发布"),
    (r"no actual after the baseline", "基期之后未找到实际值"),
    (r"not comparable: actuals differ in measure, per or unit \((.*)\)",
     lambda m: f"口径不可比：实际值的计量方式或单位不同（{_bases_zh(m[1])}）"),
    (r"no actual found", "未找到实际值"),
    (r"only part-year actuals after the baseline", "基期之后仅有部分年度数据"),
    (r"judged on the (\d{4}) actual", lambda m: f"按{m[1]}年实际值判定"),
    (r"no (\d{4}) actual; the stock was still below the target at (\S+) \(it would have had to fall after the "
     r"target date\)", lambda m: f"未找到{m[1]}年实际值；{m[2]}存量仍低于目标（此前达标须以其后存量下降为前提）"),
    (r"no actual up to the target date (\S+); the first one is of (\S+)",
     lambda m: f"目标日期{m[1]}前无实际值；最早的实际值为{m[2]}"),
    (r"reached by (\S+)", lambda m: f"{m[1]}已达到"),
    (r"the (\S+) (\w+) already meets the target; no figure of (\S+) found",
     lambda m: f"{m[1]}的{_MEASURE_ZH.get(m[2], m[2])}已达到目标；未找到{m[3]}的数据"),
    (r"(\d{4}) growth below the target", lambda m: f"{m[1]}年增速低于目标"),
    (r"no baseline: the path to the target cannot be drawn", "无同口径基期，无法确定达标路径"),
    (r"baseline or target not positive: no compound path", "基期或目标非正值，无复合增长路径"),
    (r"(?:no (\d{4}) actual found; as of the latest actual: )?(\S+) vs (\S+) expected on the (compound|linear) path "
     r"at (\S+)( \(the actual is an estimate\))?",
     lambda m: (f"未找到{m[1]}年实际值；按最新实际值：" if m[1] else "")
     + f"{m[5]}实际值{m[2]}，按{'复合增长' if m[4] == 'compound' else '线性'}路径应为{m[3]}"
     + ("（实际值为预计数）" if m[6] else "")),
]


def reason_text(reason: str, lang: str = "zh") -> str:
    """A progress reason in ``lang``; English as written, Chinese from the templates above (else unchanged)."""
    if lang != "zh" or not isinstance(reason, str):
        return reason
    for pattern, repl in _REASONS_ZH:
        m = re.fullmatch(pattern, reason)
        if m:
            return repl if isinstance(repl, str) else repl(m)
    return reason


def status_table(ds: Dataset, p: pd.DataFrame, lang: str = "zh", headline_only: bool = True) -> pd.DataFrame:
    """The progress rows as a display table: target, baseline and latest actual with their dates, status, basis.

    The first column is the indicator; ``p`` is usually one geography's rows (see the progress notebook).
    """
    rows = p[p.indicator.isin(HEADLINE)] if headline_only else p
    out = []
    for r in rows.itertuples():
        date = f"{r.target_year}-{r.target_month:02d}" if r.target_month != 12 else str(r.target_year)
        target = f"{fmt_value(r.target_value, r.unit, r.per, r.comparator, lang)} ({date})"
        base = "—" if pd.isna(r.baseline_value) else \
            f"{fmt_value(r.baseline_value, r.unit, r.per, '=', lang)} ({r.baseline_year})"
        act = "—" if pd.isna(r.actual_value) else \
            f"{fmt_value(r.actual_value, r.unit, r.per, '=', lang)} ({r.actual_as_of}, {r.actual_grade})"
        measure = _MEASURE[lang].get(r.measure, r.measure)
        out.append([ds.label(r.indicator, lang), measure, target, base, act, STATUS_LABEL[lang][r.status],
                    reason_text(r.reason, lang)])
    return pd.DataFrame(out, columns=_HEAD[lang])


def status_summary(p: pd.DataFrame, ds: Dataset, lang: str = "zh") -> str:
    """One sentence per geography: how many headline targets have each status."""
    lines = []
    head = p[p.indicator.isin(HEADLINE)]
    for geo, g in head.groupby("geo_code", sort=True):
        counts = g.status.value_counts()
        parts = [f"{STATUS_LABEL[lang][s]} {int(counts[s])}" for s in STATUS_LABEL["en"] if s in counts]
        name = ds.geo(geo)[f"name_{lang}"]
        lines.append(f"- **{name}**：" + "，".join(parts) if lang == "zh" else f"- **{name}**: " + ", ".join(parts))
    return "\n".join(lines)


def city_sentence(ds: Dataset, p: pd.DataFrame, city: str, lang: str = "zh") -> str:
    """One sentence for a city profile's first page: its headline targets by status, the rated ones named.

    ``p`` is a :func:`~ipcompare.progress.progress` table (so the caller fixes the rating date).
    """
    g = ds.geo(city)
    rows = p[(p.geo_code == g.geo_code) & p.indicator.isin(HEADLINE)]
    if rows.empty:
        return "规划未设定主要指标目标。" if lang == "zh" else "The plan sets no headline target."
    rated = rows[rows.status != "not assessable"]
    n_na = len(rows) - len(rated)
    named = [f"{ds.label(r.indicator, lang)}{'：' if lang == 'zh' else ': '}{STATUS_LABEL[lang][r.status]}"
             for r in rated.itertuples()]
    if lang == "zh":
        head = f"{g.name_zh}{len(rows)}项主要目标中，"
        body = "；".join(named) + "；" if named else ""
        return head + body + f"{n_na}项因缺少可比的实际值或基期而无法评估。"
    body = "; ".join(named) + "; " if named else ""
    return (f"Of {g.name_en}'s {len(rows)} headline targets: " + body
            + f"{n_na} cannot be assessed for want of a comparable actual or baseline.")


def _path_points(kind: str, b: float, tb: float, v: float, tt: float) -> tuple[np.ndarray, np.ndarray]:
    ts = np.linspace(tb, tt, 24)
    if kind == "compound" and b > 0 and v > 0:
        return ts - 1, b * (v / b) ** ((ts - tb) / (tt - tb))
    return ts - 1, b + (v - b) * (ts - tb) / (tt - tb)


def trajectory_chart(ds: Dataset, p: pd.DataFrame, indicator: str, lang: str = "zh"):
    """Baseline → actuals → target per geography for one indicator (the measure/unit most targets use).

    Returns ``(fig, left_out)``: ``left_out`` names the targets of another measure or unit, drawn elsewhere or
    not at all. The national line is drawn only for rates, shares and scores (a nation's count dwarfs a city's).
    """
    # Only the columns drawn from, with the rows: the masks, the de-duplication and the row loops below then
    # take and read 11 columns instead of the table's 25.
    rows = p.loc[(p.indicator == indicator) & p.target_value.notna() & (p.path != "none"),
                 ["geo_code", "measure", "unit", "per", "target_value", "target_year", "target_month",
                  "baseline_value", "baseline_year", "actual_value", "path"]]
    if rows.empty or (rows.actual_value.isna() & rows.baseline_value.isna()).all():
        return None, []  # targets alone: the status table says it all
    key = rows.groupby(["measure", "unit", rows.per.fillna("")], sort=True).size().idxmax()
    pick = (rows.measure == key[0]) & (rows.unit == key[1]) & (rows.per.fillna("") == key[2])
    left_out = [f"{ds.geo(r.geo_code)[f'name_{lang}']} ({r.measure}, {r.unit})" for r in rows.loc[~pick, ["geo_code", "measure", "unit"]].itertuples()]
    rows = rows[pick].drop_duplicates(["geo_code", "target_value", "target_year"])
    intensive = bool(key[2]) or key[1] in ("percent", "points")
    if not intensive:
        rows = rows[rows.geo_code != "100000"]
    acts = actuals(ds)
    acts = acts.loc[(acts.indicator == indicator) & (acts.measure == key[0]) & (acts.unit == key[1])
                    & (acts.per.fillna("") == key[2]), ["geo_code", "t", "value", "flags"]]
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    for i, (geo, g) in enumerate(rows.groupby("geo_code", sort=True)):
        color = "#8c8c8c" if geo == "100000" else PALETTE[i % (len(PALETTE) - 1)]
        name = ds.geo(geo)[f"name_{lang}"]
        a = acts[acts.geo_code == geo].sort_values("t")
        if not a.empty:
            # x = t - 1: the tick "2021" stands for the end of 2021, so June 2023 sits half-way to "2023".
            ax.plot(a.t - 1, a.value, "o-", color=color, lw=1.4, ms=4, label=name)
            est = a[a["flags"].str.contains("estimate|mid_year|partial_year")]
            ax.plot(est.t - 1, est.value, "o", mfc="white", color=color, ms=4)
        for r in g.itertuples():
            tt = decimal_year(r.target_year, r.target_month)
            ax.plot([tt - 1], [r.target_value], "*", color=color, ms=11, label=None if not a.empty else name)
            if not pd.isna(r.baseline_value):
                tb = decimal_year(int(r.baseline_year), 12)
                ts, vs = _path_points(r.path, float(r.baseline_value), tb, float(r.target_value), tt)
                ax.plot(ts, vs, "--", color=color, lw=1)
    ax.set_title(f"{ds.label(indicator, lang)}（{_MEASURE[lang].get(key[0], key[0])}）" if lang == "zh"
                 else f"{ds.label(indicator, lang)} ({key[0]})", fontsize=11, loc="left", y=1.0)
    ax.set_ylabel(unit_label(key[1], key[2] or None, lang))
    ax.set_xlabel("年末" if lang == "zh" else "End of year")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="upper left", frameon=True)
    note = ("实心点：年末实际值；空心点：年中、部分年度或预计值；★：目标；虚线：从基期到目标所需路径" if lang == "zh" else
            "dots: year-end actuals; open dots: mid-year, part-year or estimated; ★ target; dashed: required path")
    fig.set_layout_engine(LabelLayout(rect=(0, 0.07, 1, 1)))  # run once, in the draw at the print dpi
    fig.text(0.01, 0.04, note, fontsize=7, color="#555555")
    _source_line(fig, "ipcompare data/tidy/outcomes, reference (national actuals), observations (targets, baselines)",
                 lang)
    return fig, left_out
