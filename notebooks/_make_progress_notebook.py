"""Write notebooks/progress.ipynb (stored without outputs). Run: python notebooks/_make_progress_notebook.py

Kept apart from _make_notebooks.py, whose four notebooks are edited elsewhere; same conventions: a parameters
cell, then calls into ipcompare only.
"""

import sys
from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from _make_notebooks import SETUP, nb  # noqa: E402  (the shared setup cell and builder; writing is guarded)

PROGRESS = nb([
    ("md", "# Progress 目标进展\n\nDid the plans deliver? Every headline target of the chosen geographies against "
           "its baseline and the latest sourced actual, rated achieved / on track / off track / missed / not "
           "assessable by the rules in docs/decisions.md. `as_of` (YYYY-MM-DD, empty = today) fixes the date the "
           "ratings are made on."),
    ("code", 'geos = ["zhengzhou", "suzhou", "nanchang", "maanshan", "linhai", "china"]\nas_of = ""\nlang = "zh"',
     "parameters"),
    ("code", SETUP + "\nfrom datetime import date\nfrom ipcompare import progress_report as R\n"
             "from ipcompare.progress import progress\n"
             "today = date.fromisoformat(as_of) if as_of else date.today()\n"
             "codes = [ds.geo(g)['geo_code'] for g in geos]\n"
             "p = progress(ds, today=today)\np = p[p.geo_code.isin(codes)]"),
    ("code", 'show(N.title_block(ds, "规划目标进展评估" if lang == "zh" else "Did the plans deliver?", '
             '{"geos": ", ".join(geos), "as_of": today.isoformat()}, lang))\n'
             'show(("## 概要\\n\\n各地区主要目标的评估结果（条数）：\\n\\n" if lang == "zh" else '
             '"## Summary\\n\\nHeadline targets by status (count):\\n\\n") + R.status_summary(p, ds, lang))'),
    ("code", 'show("## 一、主要目标状态表" if lang == "zh" else "## 1. Status of the headline targets")\n'
             'for code in codes:\n'
             '    rows = p[(p.geo_code == code) & p.indicator.isin(R.HEADLINE)]\n'
             '    if not rows.empty:\n'
             '        show(f"### {ds.geo(code)[f\'name_{lang}\']}")\n'
             '        table(R.status_table(ds, rows, lang))\n'
             'show(("“无法评估”均注明原因：未找到实际值、无同口径基期、口径不同（如期内累计目标）等。实际值来源见 data/tidy/outcomes。" '
             'if lang == "zh" else "Every \'not assessable\' row says why: no actual found, no baseline on the same '
             'basis, not comparable (period totals) …; the actuals and their sources are in data/tidy/outcomes."))'),
    ("code", 'show("## 二、各指标轨迹" if lang == "zh" else "## 2. Trajectories")\n'
             'for ind in R.HEADLINE:\n'
             '    fig, left = R.trajectory_chart(ds, p, ind, lang)\n'
             '    if fig is None:\n'
             '        continue\n'
             '    chart(fig)\n'
             '    if left:\n'
             '        show(("口径不同、未画入：" if lang == "zh" else "Other measure or unit, not drawn: ") + "; ".join(left))'),
    ("code", 'show("## 附：实际值及来源" if lang == "zh" else "## Annex: actuals and their sources")\n'
             'o = ds.outcomes[ds.outcomes.geo_code.isin(codes)]\n'
             'o = o.assign(indicator=o.indicator.map(lambda c: ds.label(c, lang)))\n'
             'heads = (["地区", "指标", "截至", "原文数值", "来源等级", "发布者", "网址"] if lang == "zh" else\n'
             '         ["Place", "Indicator", "As of", "As written", "Source grade", "Publisher", "URL"])\n'
             'annex = o[["geo_name_zh" if lang == "zh" else "geo_name_en", "indicator", "as_of", "value_text", "source_grade", "publisher", "source_url"]].set_axis(heads, axis=1)\n'
             '# Short codes stay on one line; indicator names, publishers and URLs wrap (English names are long).\n'
             'display(annex.style.hide(axis="index").set_properties(subset=[heads[0]] + heads[2:5], **{"white-space": "nowrap"}))'),
], "progress")

nbf.write(PROGRESS, HERE / "progress.ipynb")
print("wrote progress")
