"""The home page, the dataset browser, the reference page and the source-document pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ipcompare import narrative as N
from ipcompare.dataset import Dataset
from ipcompare.findings import HEADLINE, attribution_note
from ipcompare.site import links as L
from ipcompare.site.city import value_text
from ipcompare.site.highlight import Span, highlight
from ipcompare.site.labels import KIND, LABELS, MEASURE_WORDS
from ipcompare.site.render import md

__all__ = ["home_context", "browser_context", "reference_context", "doc_context", "progress_rows", "DOWNLOADS"]

# What each published file holds, for the downloads table (the codebook README.md says it in full).
DOWNLOADS = {
    "observations": ("观测值：每个不同的量化事实一行", "observations: one row per distinct quantified fact"),
    "statements": ("表述：文件中每次提及一行", "statements: one row per mention in a document"),
    "indicators": ("指标登记表", "the indicator registry"),
    "geographies": ("地区代码（GB/T 2260）", "geographies (GB/T 2260 codes)"),
    "documents": ("来源文件", "the source documents"),
    "reference": ("参考数据（人口、GDP、全国值）及来源", "reference numbers (population, GDP, national values) with sources"),
    "ipcompare": ("全部表格的 Excel 工作簿", "all tables in one Excel workbook"),
    "datapackage": ("Frictionless 数据包描述", "Frictionless data package descriptor"),
    "README": ("数据字典（codebook）", "the codebook (data dictionary)"),
}


GROUPS = {"creation": ("创造", "Creation"), "utilisation": ("运用", "Utilisation"), "protection": ("保护", "Protection"),
          "management": ("管理", "Management"), "service": ("服务", "Services"), "talent": ("人才", "Talent"),
          "funding": ("资金", "Funding"), "economy": ("经济", "Economy")}


def _s(x) -> str:
    """A text cell, '' when missing (pandas NA has no truth value)."""
    return "" if x is None or pd.isna(x) else str(x)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _period(d, lang: str) -> str:
    return f"{d.plan_start}–{d.plan_end}" + ("年" if lang == "zh" else "")


def progress_rows(ds: Dataset, lang: str, linker: L.Linker) -> list[dict]:
    """The home page's "progress where known": every target :func:`ipcompare.progress.progress` could rate
    (achieved / on track / off track / missed), each linked to its passage; the unrated ones are not listed."""
    from ipcompare.progress import progress
    from ipcompare.progress_report import STATUS_LABEL

    p = progress(ds)
    p = p[p.status != "not assessable"]
    written = ds.observations.set_index("obs_id").value_text
    rows = []
    for r in p.itertuples():
        rows.append(dict(geo=ds.geo_label(r.geo_code, lang), indicator=ds.label(r.indicator, lang),
                         target=str(written.get(r.obs_id, "")), href=linker.obs(r.obs_id),
                         year=int(r.target_year), status=STATUS_LABEL[lang][r.status]))
    return rows


def home_context(ds: Dataset, lang: str, linker: L.Linker, cmp: Mapping, headline: list[str], cities: set[str],
                 pages: set[str], tidy_files: Mapping[str, int], cite: str = "") -> dict:
    t = LABELS[lang]
    geos = []
    order = ds.geographies.assign(_n=ds.geographies.level.eq("national")).sort_values(["_n", "name_en"])
    head = cmp.get((HEADLINE, "target"))
    for g in order.itertuples():
        obs = ds.observations[ds.observations.geo_code == g.geo_code]
        docs = ds.documents[ds.documents.geo_code == g.geo_code]
        hl = None
        if head is not None:
            h = head[head.geo_code == g.geo_code]
            if len(h):
                r = h.iloc[0]
                hl = dict(name=ds.label(HEADLINE, lang), year=int(r.year), href=linker.row(r),
                          text=N.fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high))
        geos.append(dict(name=getattr(g, f"name_{lang}"), code=g.geo_code,
                         page=L.city_page(g.slug) if g.slug in cities else None,
                         docs=[dict(title=getattr(d, f"title_{lang}"), page=L.doc_page(d.doc_id), period=_period(d, lang))
                               for d in docs.itertuples()],
                         n_targets=int((obs.kind == "target").sum()), n_baselines=int((obs.kind == "baseline").sum()),
                         headline=hl))
    rows = []
    for ind in headline:
        c = cmp[(ind, "target")]
        c = c[c.comparable]
        by = {r.geo_code: r for r in c.itertuples()}
        f = c.iloc[0]
        cells = [dict(text=N.fmt_value(by[g["code"]].value, f.unit, f.per, by[g["code"]].comparator, lang,
                                       by[g["code"]].value_high),
                      href=linker.row(by[g["code"]]), year=by[g["code"]].year) if g["code"] in by else None
                 for g in geos]
        rows.append(dict(name=ds.label(ind, lang), page=L.indicator_page(ind), cells=cells,
                         measure=N.measure_label(f.measure, f.period_start, f.period_end, lang)))
    downloads = [dict(name=n, href=f"../downloads/{n}", size=_size(size),
                      what=DOWNLOADS.get(n.split(".")[0], ("", ""))[0 if lang == "zh" else 1])
                 for n, size in sorted(tidy_files.items())]
    ind = ds.indicators.set_index("code")
    groups: dict[str, list[dict]] = {}
    for i in sorted(pages, key=lambda c: (str(ind.loc[c, "group"]), ds.label(c, lang))):
        n_geo = int(ds.observations.loc[ds.observations.indicator == i, "geo_code"].nunique())
        groups.setdefault(str(ind.loc[i, "group"]), []).append(
            {"name": ds.label(i, lang), "page": L.indicator_page(i), "n": n_geo})
    indicators = [{"group": GROUPS.get(g, (g, g))[0 if lang == "zh" else 1], "items": items}
                  for g, items in groups.items()]
    n_obs, n_st, n_docs = len(ds.observations), len(ds.statements), len(ds.documents)
    stats = (f"{n_docs} 份规划文件，{n_st} 处量化表述，归并为 {n_obs} 项观测值；数据版本 {ds.version}。" if lang == "zh" else
             f"{n_docs} plans, {n_st} quantified statements folded into {n_obs} observations; dataset version {ds.version}.")
    return dict(title=t["site"], stats=stats, geos=geos, headline=rows, progress=progress_rows(ds, lang, linker),
                downloads=downloads, indicators=indicators, cite=cite or _citation(ds), t=t)


def _citation(ds: Dataset) -> str:
    return ("ipcompare contributors (2026). ipcompare: quantified targets of Chinese cities' intellectual-property "
            f"plans [dataset], version {ds.version}. Licensed CC BY 4.0.")


def browser_context(ds: Dataset, lang: str, linker: L.Linker, cities: set[str], pages: set[str]) -> dict:
    t = LABELS[lang]
    geo = ds.geographies.set_index("geo_code")
    obs = ds.observations.sort_values(["geo_code", "indicator", "kind", "year", "obs_id"])
    rows = []
    for r in obs.itertuples():
        slug = str(geo.loc[r.geo_code, "slug"])
        rows.append(dict(
            anchor=L.obs_anchor(r.obs_id), geo_slug=slug, geo=getattr(r, f"geo_name_{lang}"),
            geo_page=L.city_page(slug) if slug in cities else None, indicator=r.indicator,
            indicator_name=getattr(r, f"indicator_name_{lang}"),
            indicator_page=L.indicator_page(r.indicator) if r.indicator in pages else "data.html",
            kind=r.kind, kind_words=KIND[lang][r.kind], measure=r.measure,
            measure_words=N.measure_label(r.measure, r.period_start, r.period_end, lang), year=int(r.year),
            year_text=f"{r.year}" + (f"-{int(r.month):02d}" if pd.notna(r.month) else ""),
            value=value_text(r, lang), sort_value="" if pd.isna(r.value) else repr(float(r.value)),
            href=linker.obs(r.obs_id), commitment=MEASURE_WORDS[lang].get(r.commitment, r.commitment),
            quote=r.quote, flags=_s(r.flags).replace(";", " "), n_mentions=int(r.n_mentions)))

    def opts(values: dict) -> list[dict]:
        return [dict(value=k, label=v) for k, v in values.items()]

    g_opts = {s: n for s, n in sorted({(x["geo_slug"], x["geo"]) for x in rows}, key=lambda p: p[1])}
    i_opts = dict(sorted({(x["indicator"], x["indicator_name"]) for x in rows}, key=lambda p: p[1]))
    m_opts = {m: N.measure_label(m, None, None, lang) for m in sorted({x["measure"] for x in rows})}
    y_opts = {str(y): str(y) for y in sorted({x["year"] for x in rows})}
    filters = [dict(key="geo", label=t["geo"], options=opts(g_opts)),
               dict(key="indicator", label=t["indicator"], options=opts(i_opts)),
               dict(key="kind", label=t["kind"], options=opts(KIND[lang])),
               dict(key="measure", label=t["measure"], options=opts(m_opts)),
               dict(key="year", label=t["year"], options=opts(y_opts))]
    sort_keys = [(k, t[k]) for k in ("geo", "indicator", "kind", "measure", "year", "value")]
    return dict(title=t["browser"], rows=rows, filters=filters, sort_keys=sort_keys, t=t)


def reference_context(ds: Dataset, lang: str) -> dict:
    t = LABELS[lang]
    geo = ds.geographies.set_index("geo_code")
    rows = []
    for r in ds.reference.itertuples():
        name = geo.loc[r.geo_code, f"name_{lang}"] if r.geo_code in geo.index else r.geo_code
        value = "—" if pd.isna(r.value) else f"{r.value:,.10g} {r.unit}"
        note = ("" if r.usable else f"[{t['not_usable']}] ") + _s(r.note)
        rows.append(dict(anchor=L.ref_anchor(r.ref_id), ref_id=r.ref_id, geo=name, variable=r.variable,
                         year=r.year, value=value, url=_s(r.source_url) if _s(r.source_url).startswith("http") else "",
                         publisher=_s(r.publisher), date=_s(r.published),
                         grade=_s(r.source_grade), quote=_s(r.source_quote), note=note))
    return dict(title=t["reference"], rows=rows, t=t)


def doc_context(ds: Dataset, doc_id: str, text: str, lang: str, cities: set[str]) -> dict:
    """A source document with every statement's quote marked at its offsets, each mark linking back to the
    observations read from it."""
    t = LABELS[lang]
    d = ds.documents[ds.documents.doc_id == doc_id].iloc[0]
    st = ds.statements[ds.statements.doc_id == doc_id]
    obs = ds.observations[ds.observations.doc_id == doc_id]
    back: dict[str, list[tuple[str, str]]] = {}
    for o in obs.itertuples():
        label = f"{getattr(o, f'indicator_name_{lang}')} · {KIND[lang][o.kind]} {o.year}"
        for m in str(o.mentions).split(";"):
            back.setdefault(m, []).append((L.obs_href(o.obs_id), label))
    spans = [Span(int(s.char_start), int(s.char_end), tuple(back.get(s.stmt_id, ()))) for s in st.itertuples()]
    slug = str(ds.geo(d.geo_code)["slug"])
    return dict(title=str(d[f"title_{lang}"]), t=t, doc=dict(
        title=str(d[f"title_{lang}"]), geo=ds.geo_label(d.geo_code, lang),
        geo_page=L.city_page(slug) if slug in cities else None, issuer=str(d[f"issuer_{lang}"]),
        date=str(d.date_issued), period=_period(d, lang), url=str(d.source_url), grade=str(d.source_grade),
        sha256=str(d.sha256), attribution=md(attribution_note(ds, d.geo_code, lang)) if _s(d.attribution) else "",
        html=_markup(_highlight(doc_id, text, spans))))


def _highlight(doc_id: str, text: str, spans: list[Span]) -> str:
    try:
        return highlight(text, spans)
    except ValueError as exc:
        raise ValueError(f"{doc_id}: {exc}; data/tidy does not match data/raw/docs (run `ipcompare build`)") from None


def _markup(html: str):
    from markupsafe import Markup

    return Markup(html)


def tidy_listing(folder: Path) -> dict[str, int]:
    """The published files of data/tidy and their sizes."""
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}
