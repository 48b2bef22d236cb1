"""Write notebooks/progress.ipynb (stored without outputs). Run: python notebooks/_make_progress_notebook.py

Kept apart from _make_notebooks.py, whose four notebooks are edited elsewhere; same conventions: a parameters
cell, then calls into ipcompare only.
"""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent
# The setup cell and notebook builder of _make_notebooks.py, copied: importing that script would rewrite its
# notebooks as a side effect.
SETUP = """from IPython.display import Markdown, display
import matplotlib.pyplot as plt
import ipcompare
from ipcompare import analysis as A, narrative as N, plots as P

ds = ipcompare.load()
def show(md): display(Markdown(md))
def table(df): display(df.style.hide(axis="index").set_properties(subset=list(df.columns[1:-1]), **{"white-space": "nowrap"}))
def chart(fig): display(fig); plt.close(fig)"""


def nb(cells):
    """A notebook from (kind, source, *tags) tuples, with stable cell ids so that rewriting it changes nothing."""
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    out = []
    for i, (kind, src, *tags) in enumerate(cells):
        c = nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
        c.id = f"progress-{i}"
        if tags:
            c.metadata["tags"] = tags
        out.append(c)
    book.cells = out
    return book

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
             'table(o[["geo_name_zh" if lang == "zh" else "geo_name_en", "indicator", "as_of", "value_text", "source_grade", "publisher", "source_url"]])'),
])

nbf.write(PROGRESS, HERE / "progress.ipynb")
print("wrote progress")
