"""An indicator's page: every place's latest target and baseline side by side, grouped by the comparability
model (:func:`ipcompare.analysis.compare`); the rows outside the comparable group listed with the reason."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ipcompare import analysis as A
from ipcompare import narrative as N
from ipcompare.analysis.comparability import BLOCKING, caveat_text, split_caveats
from ipcompare.dataset import Dataset
from ipcompare.site import links as L
from ipcompare.site.labels import KIND, LABELS, MEASURE_WORDS
from ipcompare.site.render import bar_chart, md

__all__ = ["indicator_context", "compared"]


def compared(ds: Dataset, indicators: list[str]) -> dict[tuple[str, str], pd.DataFrame]:
    """``compare(..., side_by_side=True)`` of every indicator and kind that has observations, computed once
    for the home page and the indicator pages."""
    out = {}
    have = ds.observations.groupby(["indicator", "kind"]).size()
    for ind in indicators:
        for kind in ("target", "baseline"):
            if (ind, kind) in have.index:
                out[(ind, kind)] = A.compare(ds, ind, kind=kind, side_by_side=True)
    return out


def _reason(caveats: str, lang: str) -> str:
    codes = split_caveats(caveats)
    blocking = [c for c in codes if c in BLOCKING] or codes
    sep = "；" if lang == "zh" else "; "
    return sep.join(caveat_text(c, lang) for c in blocking)


def _geo_page(ds: Dataset, code: str, cities: set[str]) -> str | None:
    slug = str(ds.geo(code)["slug"])
    return L.city_page(slug) if slug in cities else None


def indicator_context(ds: Dataset, code: str, lang: str, cmp: dict, linker: L.Linker, cities: set[str]) -> dict:
    """Everything the indicator template shows, in ``lang``."""
    t = LABELS[lang]
    ind = ds.indicator(code)
    kinds = []
    for kind in ("target", "baseline"):
        c = cmp.get((code, kind))
        if c is None or c.empty:
            continue
        notes = N.Footnotes(lang)
        # One pass over the frame as plain records: itertuples per subset costs more than the page itself.
        recs = [SimpleNamespace(**d) for d in c.to_dict("records")]
        ok, bad = [r for r in recs if r.comparable], [r for r in recs if not r.comparable]
        rows, bars = [], []
        for r in ok:
            text = N.fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high)
            name = getattr(r, f"geo_name_{lang}")
            href = linker.row(r)
            mark = notes.mark(r.caveats)
            rows.append(dict(geo=name, geo_page=_geo_page(ds, r.geo_code, cities), year=r.year, value=text,
                             href=href, mark=mark, commitment=MEASURE_WORDS[lang].get(r.commitment, r.commitment),
                             measure=N.measure_label(r.measure, r.period_start, r.period_end, lang), quote=r.quote))
            mid = (r.value + r.value_high) / 2 if pd.notna(r.value_high) else r.value
            bars.append(dict(label=f"{name} {r.year}", value=float(mid), text=text + mark, href=href,
                             highlight=False, nation=r.geo_code == A.NATIONAL))
        basis, chart = "", None
        if ok:
            f = ok[0]
            basis = N.measure_label(f.measure, f.period_start, f.period_end, lang) + " · " + N.unit_label(f.unit, f.per, lang)
            if len(ok) > 1 and all(pd.notna(r.value) for r in ok):
                chart = bar_chart(f"{ind[f'name_{lang}']} · {KIND[lang][kind]}", basis, bars,
                                  md(N.sources_text(ds, c[c.comparable], lang)))
        incomparable = [dict(geo=getattr(r, f"geo_name_{lang}"), geo_page=_geo_page(ds, r.geo_code, cities),
                             measure=N.measure_label(r.measure, r.period_start, r.period_end, lang), year=r.year,
                             value=(N.fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high)
                                    if pd.notna(r.value) else f"{r.value_text}{t['no_value']}"),
                             href=linker.row(r), reason=_reason(r.caveats, lang) or caveat_text("no_value", lang))
                        for r in bad]
        title = {"zh": {"target": "目标", "baseline": "基期值"},
                 "en": {"target": "Targets", "baseline": "Baselines"}}[lang][kind]
        kinds.append(dict(title=title, comparable=rows, incomparable=incomparable, basis=basis, chart=chart,
                          notes=md(notes.markdown())))
    return dict(title=str(ind[f"name_{lang}"]), code=code, unit=N.unit_label(ind.unit, ind.per, lang),
                description=str(ind.get("description", "") or "") if lang == "en" else "", kinds=kinds, t=t)
