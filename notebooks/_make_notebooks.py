"""Regenerate the four report notebooks (stored without outputs). Run: python notebooks/_make_notebooks.py

The notebooks are thin: a parameters cell, then calls into ipcompare. Editing them in JupyterLab is fine too;
this script is how they were first written and keeps them consistent.
"""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent
SETUP = """from IPython.display import Markdown, display
import matplotlib.pyplot as plt
import ipcompare
from ipcompare import analysis as A, findings as F, narrative as N, plots as P

ds = ipcompare.load()
def show(md): display(Markdown(md))
def table(df): display(df.style.hide(axis="index").set_properties(subset=list(df.columns[1:-1]), **{"white-space": "nowrap"}))
def chart(fig): display(P.Png(fig)); plt.close(fig)
def notes(fn):
    if fn.markdown(): show(fn.markdown())"""


def nb(cells, prefix: str = "cell"):
    """A notebook from (kind, source, *tags) tuples, with stable cell ids so that rewriting it changes nothing."""
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    out = []
    for i, (kind, src, *tags) in enumerate(cells):
        c = nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
        c.id = f"{prefix}-{i}"
        if tags:
            c.metadata["tags"] = tags
        out.append(c)
    book.cells = out
    return book


CITY_PROFILE = nb([
    ("md", "# City profile 城市画像\n\nThe targets and baselines of one city's IP plan, the findings that matter, its "
           "position against a bounded set of comparable peer cities and the nation (only like with like), the growth "
           "its targets require, and what is not compared and why. Change `city` below (a slug, 中文名 or GB/T 2260 "
           "code) and run all cells; `ipcompare report city_profile -p city=suzhou` renders the PDF."),
    ("code", 'city = "zhengzhou"\nlang = "zh"', "parameters"),
    ("code", SETUP + '\ng = ds.geo(city)\nname = g[f"name_{lang}"]'),
    ("code", 'show(N.title_block(ds, f"{name}知识产权规划目标画像" if lang == "zh" else f"{name}: IP plan targets", '
             '{"city": city, "lang": lang}, lang))\nshow(F.attribution_note(ds, city, lang))\n'
             'show("## 要点" if lang == "zh" else "## Key findings")\nshow(F.summary(ds, city, lang))\n'
             'show(N.city_overview(ds, city, lang))'),
    ("code", 'show("## 一、与可比城市及全国比较" if lang == "zh" else "## 1. Against comparable peers and the nation")\n'
             'drawn, rest = F.profile_comparison_plan(ds, city)\n'
             'if not drawn and rest.empty:\n'
             '    show("没有与可比城市或全国同口径、同时期的目标。" if lang == "zh" else "No target is comparable on the same basis and period with peers or the nation.")\n'
             'for ind, cmp in drawn:\n'
             '    fn = N.Footnotes(lang)\n'
             '    show(N.compare_text(ds, cmp, city, lang))\n'
             '    chart(P.comparison_chart(cmp, ds.label(ind, lang), lang=lang, notes=fn, highlight=g["geo_code"], source=N.sources_text(ds, cmp, lang)))\n'
             '    notes(fn)\n'
             '# Beyond a few charts the comparisons are tabulated: a report\'s length and cost do not grow with the corpus.\n'
             'if not rest.empty:\n'
             '    show(f"**其余{rest.indicator.nunique()}项可比指标**（未逐项绘图；可比城市中位数取不超过{A.RULES.max_peers}个目标年份最近的可比城市）：" if lang == "zh" else f"**{rest.indicator.nunique()} more comparable indicators** (not charted; the peer median is of at most {A.RULES.max_peers} comparable cities, nearest target years first):")\n'
             '    fn = N.Footnotes(lang)\n'
             '    table(N.comparisons_table(ds, rest, lang, notes=fn))\n'
             '    notes(fn)\n'
             '    show("<small>" + ("资料来源：" if lang == "zh" else "Sources: ") + N.sources_text(ds, rest, lang) + "</small>")\n'
             '# Counts and money meet the nation only as intensities, each side divided by a named, sourced denominator.\n'
             'gn = A.gaps(ds, city, "national")\n'
             'gi = gn[gn.comparable & gn.caveats.fillna("").str.contains("intensity")]\n'
             'if not gi.empty:\n'
             '    show("**按人口或GDP换算的强度与全国比较：**" if lang == "zh" else "**Against the nation as intensities (per 10k residents or per 100亿元 GDP):**")\n'
             '    fn = N.Footnotes(lang)\n'
             '    table(N.gaps_table(ds, gi, lang, notes=fn))\n'
             '    notes(fn)\n'
             '    show("<small>" + ("分母：" if lang == "zh" else "Denominators: ") + "；".join(sorted(set(gi.denominator) | set(gi.benchmark_denominator) - {""})) + "</small>")'),
    ("code", 'show("## 二、主要量化目标" if lang == "zh" else "## 2. Main quantified targets")\n'
             'fn = N.Footnotes(lang)\ntable(N.targets_table(ds, city, lang, kind="target", headline_only=True, notes=fn))\nnotes(fn)'),
    ("code", 'show("## 三、从基期到目标所需的增速" if lang == "zh" else "## 3. Growth required from baseline to target")\n'
             'fn = N.Footnotes(lang)\ngt = N.growth_table(ds, city, lang, notes=fn)\n'
             'if gt.empty:\n'
             '    show("规划未给出与目标同口径的基期值，无法计算所需增速。" if lang == "zh" else "The plan gives no baseline on the same basis as its targets, so no required growth can be computed.")\n'
             'else:\n'
             '    show(("基期值由规划本身给出，与目标同一指标、同一口径；计数与人均存量按复合年增长率，得分与占比按每年变化计算：" if lang == "zh" else "Baselines as the plan states them, same indicator and basis; compound growth for counts and per-capita stocks, change per year for scores and shares:"))\n'
             '    table(gt)\n    notes(fn)'),
    ("code", 'from ipcompare import progress_report as PR\n'
             'show("## 四、进展：目标是否实现" if lang == "zh" else "## 4. Progress: did the plan deliver?")\n'
             'pg = A.progress(ds, geo=city)\nshow(PR.city_sentence(ds, pg, city, lang))\n'
             'st = PR.status_table(ds, pg, lang, headline_only=True)\n'
             'table(st) if not st.empty else None\n'
             'show(("实际值来自统计公报、知识产权部门发布及官方媒体，每一数值附原文与网址（data/tidy/outcomes）；评级规则见 docs/decisions.md。" if lang == "zh" else "Actuals from statistical bulletins, IP-office releases and official press, each with its quote and URL (data/tidy/outcomes); rating rules in docs/decisions.md."))'),
    ("code", 'show("## 五、一致性检查" if lang == "zh" else "## 5. Consistency checks")\nshow(N.checks_text(ds, city, lang))'),
    ("code", 'show("## 六、未比较的指标及原因" if lang == "zh" else "## 6. Not compared, and why")\n'
             'nc = F.not_compared(ds, city, lang)\n'
             'table(nc) if not nc.empty else show("所有目标均已比较。" if lang == "zh" else "Every target was compared.")'),
    ("code", 'show("## 附：全部量化表述" if lang == "zh" else "## Annex: all quantified statements")\n'
             'fn = N.Footnotes(lang)\ntable(N.targets_table(ds, city, lang, notes=fn))\nnotes(fn)\n'
             'show(("资料来源：ipcompare 数据集 data/tidy/observations；每一数值均可追溯至原文引文与字符位置。" if lang == "zh" else "Source: ipcompare data/tidy/observations; every value is traceable to its quote and character offsets."))'),
], "profile")

COMPARE_CITIES = nb([
    ("md", "# Compare cities 城市比较\n\nSide-by-side targets of several cities (and the national plan) for chosen "
           "indicators. Only comparable targets are compared (same indicator, measure, per, unit and period length; "
           "absolute amounts only between places of the same level; target years within ±1 year); the others are "
           "listed with the reason. `year` optionally restricts to one target year."),
    ("code", 'cities = ["zhengzhou", "suzhou", "maanshan", "linhai", "nanchang"]\n'
             'indicators = ["high_value_invention_patents_per_10k", "ip_pledge_financing", "ip_protection_satisfaction"]\n'
             'year = 0\nlang = "zh"', "parameters"),
    ("code", SETUP),
    ("code", 'show(N.title_block(ds, "城市知识产权目标比较" if lang == "zh" else "Comparing cities\' IP targets", '
             '{"cities": ", ".join(cities), "indicators": ", ".join(indicators), "year": year or "latest"}, lang))'),
    ("code", 'for i, ind in enumerate(indicators, 1):\n'
             '    show(f"## {i}. {ds.label(ind, lang)}")\n'
             '    cmp = A.compare(ds, ind, geos=cities + ["china"], year=year or None, side_by_side=True)\n'
             '    if cmp.empty:\n'
             '        show("所选城市均未设定该指标目标。" if lang == "zh" else "None of the chosen cities sets a target for this indicator.")\n'
             '        continue\n'
             '    odd = cmp[~cmp.comparable]\n'
             '    fn = N.Footnotes(lang)\n'
             '    show(N.compare_text(ds, cmp, None, lang))\n'
             '    if cmp.comparable.any():\n'
             '        chart(P.comparison_chart(cmp, ds.label(ind, lang), lang=lang, notes=fn, source=N.sources_text(ds, cmp[cmp.comparable], lang)))\n'
             '    notes(fn)\n'
             '    if not odd.empty:\n'
             '        show(("**未比较及原因：** " if lang == "zh" else "**Not compared, and why:** ")\n'
             '             + ("；" if lang == "zh" else "; ").join(f"{r.geo_name_zh if lang == \'zh\' else r.geo_name_en} {N.fmt_value(r.value, r.unit, r.per, r.comparator, lang)}（{N.measure_label(r.measure, r.period_start, r.period_end, lang)}，{r.year}）— {A.caveat_text(r.caveats.split(\';\')[0], lang)}" for r in odd.itertuples()))'),
    ("code", 'show("## 指标覆盖情况" if lang == "zh" else "## Coverage")\n'
             '# The compared cities and the nation only: a national corpus has hundreds of places, a chart of them all is\n'
             '# unreadable (and its image larger than a page can hold). How many are left out is said.\n'
             'shown = cities + ["china"]\n'
             'cov = A.coverage(ds, N.comparable_indicators(ds, min_geos=2), geos=shown, label=f"name_{lang}")\n'
             'others = len(set(ds.observations.geo_code) - {ds.geo(g)["geo_code"] for g in shown})\n'
             'if others:\n'
             '    show(f"图中只列本报告比较的城市与全国；数据集中另有{others}个地区的量化表述未列入（见 data/tidy/observations）。" if lang == "zh" else f"Only the compared cities and the nation are shown; the statements of {others} other places in the dataset are not (see data/tidy/observations).")\n'
             'if cov.empty:\n'
             '    show("所选城市均未设定可比较的指标。" if lang == "zh" else "None of the chosen cities sets a comparable indicator.")\n'
             'else:\n'
             '    chart(P.coverage_heatmap(cov, {c: ds.label(c, lang) for c in cov.index}, lang=lang))'),
], "compare")

GAP_ANALYSIS = nb([
    ("md", "# Gap analysis 差距分析\n\nEach indicator of a city against a benchmark whose membership is stated: "
           "`national` (the 纲要 and national plan targets; a city's counts and amounts only as intensities per 10k "
           "residents or per 100亿元 GDP), `peer_median` (at least 3 comparable cities within ±1 year, named), "
           "`baseline` (the city's own baseline, with required growth) or another city."),
    ("code", 'city = "suzhou"\nbenchmark = "national"\nlang = "zh"', "parameters"),
    ("code", SETUP + '\nname = ds.geo(city)[f"name_{lang}"]'),
    ("code", 'show(N.title_block(ds, f"{name}：与基准的差距" if lang == "zh" else f"{name}: gaps to benchmark", '
             '{"city": city, "benchmark": benchmark}, lang))\n'
             'gp = A.gaps(ds, city, benchmark)\nshow(N.gaps_text(ds, gp, city, lang))'),
    ("code", 'ok = gp[gp.comparable] if not gp.empty else gp\n'
             'if not ok.empty:\n'
             '    fn = N.Footnotes(lang)\n'
             '    chart(P.gap_chart(ok, ("相对差距（目标相对基准）" if lang == "zh" else "Relative gap (target vs benchmark)"), lang=lang, source=N.sources_text(ds, ok, lang)))\n'
             '    table(N.gaps_table(ds, ok, lang, notes=fn))\n    notes(fn)'),
    ("code", 'show("## 从基期到目标所需的增速" if lang == "zh" else "## Growth required from baseline to target")\n'
             'fn = N.Footnotes(lang)\ngt = N.growth_table(ds, city, lang, notes=fn)\n'
             'table(gt) if not gt.empty else show("无同口径的基期与目标。" if lang == "zh" else "No baseline and target on the same basis.")\nnotes(fn)'),
    ("code", 'show("## 未比较的指标及原因" if lang == "zh" else "## Not compared, and why")\n'
             '# The reasons are about the benchmark this report compares with, not the profile\'s nation and peers.\n'
             'nc = F.not_compared(ds, city, lang, benchmarks=(benchmark,))\n'
             'table(nc) if not nc.empty else show("所有目标均已比较。" if lang == "zh" else "Every target was compared.")'),
], "gaps")

DATASET_TOUR = nb([
    ("md", "# Dataset tour 数据集导览\n\nWhat is in `data/tidy/`, how to open it without writing much code, and how to cite it."),
    ("code", 'lang = "zh"\nmax_rows = 12  # how many rows a table prints: a national corpus has hundreds of places and documents',
     "parameters"),
    ("code", SETUP + "\nimport json, pathlib\nimport pandas as pd\nimport polars as pl\nfrom ipcompare.paths import tidy_dir\ntidy = tidy_dir()"),
    ("code", 'show(N.title_block(ds, "数据集导览" if lang == "zh" else "A tour of the dataset", {"lang": lang}, lang))\n'
             'pkg = json.loads((tidy / "datapackage.json").read_text(encoding="utf-8"))\n'
             'rows = [(r["path"], r.get("title_zh", ""), f\'{(tidy / r["path"]).stat().st_size:,}\', r.get("title", r.get("description", ""))) for r in pkg["resources"]]\n'
             '# The long description goes last and wraps; file names stay whole (observations.parquet, not observations.parqu|et).\n'
             'files = pd.DataFrame(rows, columns=["file", "表", "bytes", "table"])\n'
             'display(files.style.hide(axis="index").set_properties(subset=["file", "表", "bytes"], **{"white-space": "nowrap"}))'),
    ("md", "## Observations 观测值\n\nOne row per distinct quantified fact: a city, an indicator, target or baseline, "
           "a measure and a year, with the value in base units and the exact quote with its character offsets."),
    ("code", 'obs = ds.observations\n'
             'show(f"{len(obs)} observations from {obs.doc_id.nunique()} documents, {obs.indicator.nunique()} indicators.")\n'
             'head = obs[["geo_name_en", "indicator", "kind", "year", "value", "unit", "value_text", "quote"]].head(8)\n'
             'table(head.assign(quote=head.quote.str.slice(0, 24) + "…", indicator=head.indicator.str.slice(0, 28)))'),
    ("md", "## Opening the files\n\n**pandas**\n\n```python\nimport pandas as pd\nobs = pd.read_parquet(\"data/tidy/observations.parquet\")\n# or: pd.read_csv(\"data/tidy/observations.csv\", dtype={\"geo_code\": str})\n```\n\n"
           "**polars**\n\n```python\nimport polars as pl\nobs = pl.read_parquet(\"data/tidy/observations.parquet\")\n```\n\n"
           "**Excel**: open `data/tidy/ipcompare.xlsx` — one sheet per table, a README sheet with every column described. "
           "(The CSV files are UTF-8; in Excel use *Data → From Text/CSV* and choose UTF-8, or simply use the workbook.)"),
    ("code", 'pl_obs = pl.read_parquet(tidy / "observations.parquet")\n'
             '# By code: two places can share a name (苏州 and 宿州 are both Suzhou).\n'
             'summary = (pl_obs.filter(pl.col("kind") == "target").group_by("geo_code", "geo_name_en").len().sort("geo_code"))\n'
             'table(summary.head(max_rows).to_pandas())\n'
             'if more := N.rows_left_out(summary.height, max_rows, "data/tidy/observations.parquet", lang):\n'
             '    show(more)'),
    ("md", "## Comparing like with like\n\nThe library refuses to compare a stock with an annual flow, or a score "
           "with a percentage, unless asked to show them side by side with a flag:"),
    ("code", 'cmp = A.compare(ds, "high_value_invention_patents_per_10k")\n'
             'table(cmp.head(max_rows)[["geo_name_zh", "geo_name_en", "year", "value", "comparator", "commitment", "quote"]])\n'
             'if more := N.rows_left_out(len(cmp), max_rows, \'A.compare(ds, "high_value_invention_patents_per_10k")\', lang):\n'
             '    show(more)'),
    ("md", "## How to cite\n\nipcompare dataset, version as printed below, compiled from the public plans listed in "
           "`data/tidy/documents.csv` (titles, issuers, URLs and SHA-256 of the stored texts). Every value carries "
           "its quote: please quote it with the number."),
    ("code", 'show(f"**Version:** `{ds.version}`")\n'
             'docs = ds.documents.head(max_rows)\n'
             'table(docs[["doc_id", "date_issued", "source_grade", "title_zh"]])\n'
             '# URLs are long and do not wrap in a table cell: listed below it.\n'
             'show("\\n".join(f"- `{d.doc_id}`: {d.source_url}" for d in docs.itertuples()))\n'
             'if more := N.rows_left_out(len(ds.documents), max_rows, "data/tidy/documents.csv", lang):\n'
             '    show(more)'),
], "tour")

if __name__ == "__main__":
    for name, book in {"city_profile": CITY_PROFILE, "compare_cities": COMPARE_CITIES, "gap_analysis": GAP_ANALYSIS,
                       "dataset_tour": DATASET_TOUR}.items():
        nbf.write(book, HERE / f"{name}.ipynb")
        print("wrote", name)
