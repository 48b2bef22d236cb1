"""A city's page: the content of its profile report (``notebooks/city_profile.ipynb``), with every value
linked to its passage. The findings, sentences and tables come from :mod:`ipcompare.findings` and
:mod:`ipcompare.narrative`, as in the PDF; this module only adds the links."""

from __future__ import annotations

import pandas as pd

from ipcompare import analysis as A
from ipcompare import findings as F
from ipcompare import narrative as N
from ipcompare.analysis.comparability import join_caveats, row_caveats
from ipcompare.dataset import Dataset
from ipcompare.site import links as L
from ipcompare.site.labels import KIND, LABELS
from ipcompare.site.render import bar_chart, link_values, md

__all__ = ["city_context", "value_text", "gap_pairs"]


def value_text(r, lang: str, notes: N.Footnotes | None = None) -> str:
    """An observation's value as the profile writes it: comparator, value in words, 力争 said, caveat marks."""
    if pd.isna(r.value):
        return str(r.value_text) + LABELS[lang]["no_value"]
    v = N.fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high)
    if r.commitment == "aspirational":
        v += "（力争）" if lang == "zh" else " (aspirational)"
    if notes is not None:
        v += notes.mark(join_caveats([x for x in row_caveats(r._asdict()) if x != "aspirational"]))
    return v


def gap_pairs(ds: Dataset, code: str, lang: str, linker: L.Linker) -> list[tuple[str, str, str | None]]:
    """``(indicator, value as a finding writes it, passage)`` for both sides of the city's gaps and growth
    pairs, so the values in the key findings can be linked."""
    out = []
    for bench in ("national", "peer_median"):
        for r in A.gaps(ds, code, bench).itertuples():
            href = linker.source(r.source, quote=r.quote)
            out.append((r.indicator, N.fmt_value(r.value, r.unit, r.per, r.comparator, lang), href))
            if pd.notna(r.benchmark_value):
                out.append((r.indicator, N.fmt_value(r.benchmark_value, r.unit, r.per, "=", lang),
                            linker.source(r.benchmark_source, year=r.benchmark_year, value=r.benchmark_value)))
    for r in A.baseline_pairs(ds, code).itertuples():
        out.append((r.indicator, N.fmt_value(r.baseline, r.unit, r.per, "=", lang),
                    linker.source(r.baseline_source, quote=r.baseline_quote)))
        out.append((r.indicator, N.fmt_value(r.target, r.unit, r.per, r.comparator, lang),
                    linker.source(r.target_source, quote=r.target_quote)))
    return out


def _findings(ds: Dataset, code: str, lang: str, linker: L.Linker) -> str:
    """The key findings, each value linked within the finding that names its indicator."""
    pairs = gap_pairs(ds, code, lang, linker)
    items = []
    for line in F.summary(ds, code, lang).splitlines():
        named = {i for i, _, _ in pairs if f"**{ds.label(i, lang)}**" in line}
        items.append(str(link_values(line, [(t, h) for i, t, h in pairs if i in named])))
    return md("\n".join(items))


def _comparisons(ds: Dataset, code: str, lang: str, linker: L.Linker, pages: set[str]) -> list[dict]:
    out = []
    for ind, cmp in F.profile_comparisons(ds, code):
        notes = N.Footnotes(lang)
        pairs, bars = [], []
        for r in cmp.itertuples():
            href = linker.row(r)
            text = N.fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high)
            name = getattr(r, f"geo_name_{lang}")
            pairs.append((f"{name} {text}", href))
            mid = (r.value + r.value_high) / 2 if pd.notna(r.value_high) else r.value
            bars.append(dict(label=f"{name} {r.year}", value=float(mid), text=text + notes.mark(r.caveats),
                             href=href, highlight=r.geo_code == code, nation=r.geo_code == A.NATIONAL))
        first = cmp.iloc[0]
        unit = N.unit_label(first.unit, first.per, lang) + " · " + N.measure_label(
            first.measure, first.period_start, first.period_end, lang)
        out.append(dict(text=link_values(md(N.compare_text(ds, cmp, code, lang)), pairs),
                        chart=bar_chart(ds.label(ind, lang), unit, bars, md(N.sources_text(ds, cmp, lang))),
                        notes=md(notes.markdown())))
    return out


def _obs_row(ds, r, lang, notes, linker, pages) -> dict:
    return dict(indicator=getattr(r, f"indicator_name_{lang}"), page=_ind_page(r.indicator, pages),
                kind=KIND[lang][r.kind], measure=N.measure_label(r.measure, r.period_start, r.period_end, lang),
                year=f"{r.year}" + (f"-{int(r.month):02d}" if pd.notna(r.month) else ""),
                value=value_text(r, lang, notes), mark="", href=linker.obs(r.obs_id),
                quote=r.quote if len(r.quote) <= 60 else r.quote[:58] + "…")


def _ind_page(code: str, pages: set[str]) -> str:
    return L.indicator_page(code) if code in pages else "data.html"


def city_context(ds: Dataset, slug: str, lang: str, linker: L.Linker, headline: set[str], pages: set[str],
                 pdfs: list[dict]) -> dict:
    """Everything the city template shows, in ``lang``."""
    t = LABELS[lang]
    g = ds.geo(slug)
    code, name = str(g.geo_code), str(g[f"name_{lang}"])
    obs = ds.observations[ds.observations.geo_code == code]
    tnotes = N.Footnotes(lang)
    targets = obs[(obs.kind == "target") & obs.indicator.isin(headline)].sort_values(["indicator_name_" + lang, "year"])
    target_rows = [_obs_row(ds, r, lang, tnotes, linker, pages) for r in targets.itertuples()]
    gnotes = N.Footnotes(lang)
    growth = []
    for r in A.baseline_pairs(ds, code).itertuples():
        yr = "年" if lang == "zh" else "yr"
        if r.path == "compound" and pd.notna(r.required_growth):
            gr = f"{r.required_growth:+.1%}/{yr}"
        else:
            u = "个百分点" if lang == "zh" and r.unit == "percent" else ("分" if lang == "zh" else " pts" if r.unit == "points" else " pp")
            gr = f"{r.change_per_year:+.2f}{u}/{yr}"
        growth.append(dict(indicator=ds.label(r.indicator, lang), page=_ind_page(r.indicator, pages),
                           measure=N.measure_label(r.measure, r.period_start, r.period_end, lang),
                           baseline=N.fmt_value(r.baseline, r.unit, r.per, "=", lang), baseline_year=r.baseline_year,
                           baseline_href=linker.source(r.baseline_source, quote=r.baseline_quote),
                           target=N.fmt_value(r.target, r.unit, r.per, r.comparator, lang), target_year=r.target_year,
                           target_href=linker.source(r.target_source, quote=r.target_quote),
                           mark=gnotes.mark(r.caveats), growth=gr))
    nc = F.not_compared(ds, code, lang, obs_ids=True)
    by_id = obs.set_index("obs_id")
    not_compared = [dict(indicator=row.iloc[0], measure=row.iloc[1], value=row.iloc[2], reason=row.iloc[3],
                         href=linker.obs(row.obs_id), page=_ind_page(by_id.loc[row.obs_id, "indicator"], pages))
                    for _, row in nc.iterrows()]
    st = ds.statements[ds.statements.geo_code == code]
    owner = {m: o.obs_id for o in obs.itertuples() for m in str(o.mentions).split(";")}
    statements = [dict(n=int(s.n), indicator=ds.label(s.indicator, lang), page=_ind_page(s.indicator, pages),
                       kind=KIND[lang][s.kind], measure=N.measure_label(s.measure, s.period_start, s.period_end, lang),
                       year=s.year, value=s.value_text, href=L.passage_href(s.doc_id, s.char_start, s.char_end),
                       obs_href=L.obs_href(owner.get(s.stmt_id, "")), quote=s.quote)
                  for s in st.sort_values(["doc_id", "n"]).itertuples()]
    title = f"{name}知识产权规划目标画像" if lang == "zh" else f"{name}: IP plan targets"
    return dict(
        title=title, pdfs=pdfs, attribution=md(F.attribution_note(ds, code, lang)),
        findings=_findings(ds, code, lang, linker), overview=md(N.city_overview(ds, code, lang)),
        comparisons=_comparisons(ds, code, lang, linker, pages), targets=target_rows,
        targets_notes=md(tnotes.markdown()), growth=growth, growth_notes=md(gnotes.markdown()),
        growth_head=N.COLS[lang]["growth"], checks=md(N.checks_text(ds, code, lang)),
        not_compared=not_compared, statements=statements, t=t,
    )
