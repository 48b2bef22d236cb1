"""Charts laid out by ipcompare.chart_layout (not matplotlib's tight layout engine) clip nothing: every label,
title, value, legend and source line drawn at the print dpi lies inside the figure, for long Chinese and English
place names with caveat markers, many bars, and every kind of chart the reports draw."""

from datetime import date

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ipcompare import analysis as A
from ipcompare import narrative as N
from ipcompare import plots as P
from ipcompare import progress_report as R
from ipcompare.chart_layout import LabelLayout
from ipcompare.progress import progress

IND = "high_value_invention_patents_per_10k"
LONG = {"zh": "西双版纳傣族自治州景洪市高新技术产业开发区", "en": "Xishuangbanna Dai Autonomous Prefecture (Jinghong)"}


def clipped(fig) -> list[str]:
    """What a draw at the print dpi puts (partly) outside the figure: axes decorations and figure texts."""
    canvas = FigureCanvasAgg(fig)
    fig.dpi = P.PRINT_DPI
    canvas.draw()
    renderer = canvas.get_renderer()
    page = fig.bbox
    out = []
    boxes = [(f"axes {i}", ax.get_tightbbox(renderer)) for i, ax in enumerate(fig.axes)]
    boxes += [(f"text {t.get_text()[:30]!r}", t.get_window_extent(renderer)) for t in fig.texts if t.get_text()]
    for name, bb in boxes:
        if bb.x0 < page.x0 - 0.5 or bb.y0 < page.y0 - 0.5 or bb.x1 > page.x1 + 0.5 or bb.y1 > page.y1 + 0.5:
            out.append(f"{name}: {bb.bounds} outside {page.bounds}")
    plt.close(fig)
    return out


def _many(ds, n: int) -> pd.DataFrame:
    """A comparison of ``n`` + 1 bars: the real rows repeated under new codes, the last city with a long name,
    every caveat marker and an aspirational (hatched) target, plus the nation as a dashed line."""
    cmp = A.compare(ds, IND)
    city = cmp[cmp.geo_code != A.NATIONAL].iloc[[0]]
    rows = [city.assign(geo_code=f"99{i:04d}", value=float(5 + 3 * i), geo_name_zh=f"城市{i}", geo_name_en=f"City {i}")
            for i in range(n)]
    rows[-1] = rows[-1].assign(geo_name_zh=LONG["zh"], geo_name_en=LONG["en"], commitment="aspirational",
                               caveats="years_differ;aspirational;range")
    return pd.concat([cmp[cmp.geo_code == A.NATIONAL], *rows], ignore_index=True)


def test_the_check_sees_a_clipped_label():
    """The check bites: a long label on a chart with no layout at all is cut off at the left edge."""
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.barh([LONG["en"]], [1.0])
    assert clipped(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("n", [1, 11])
def test_comparison_chart_fits(ds, lang, n):
    fn = N.Footnotes(lang)
    fig = P.comparison_chart(_many(ds, n), ds.label(IND, lang) + ("（测试）" if lang == "zh" else " (test)"), lang=lang,
                             notes=fn, highlight="990000", source=N.sources_text(ds, A.compare(ds, IND), lang))
    assert isinstance(fig.get_layout_engine(), LabelLayout)
    assert clipped(fig) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_other_report_charts_fit(ds, lang):
    gp = A.gaps(ds, "suzhou", "national")
    figs = [P.gap_chart(gp[gp.comparable], "gaps", lang=lang),
            P.slope_chart(A.align_year(ds, IND, 2025), "slope", lang=lang)]
    cov = A.coverage(ds, N.comparable_indicators(ds, min_geos=2))
    figs.append(P.coverage_heatmap(cov, {c: ds.label(c, lang) for c in cov.index}, lang=lang))
    p = progress(ds, today=date(2026, 12, 1))
    figs += [f for ind in R.HEADLINE if (f := R.trajectory_chart(ds, p, ind, lang)[0]) is not None]
    assert len(figs) > 5
    assert [c for f in figs for c in clipped(f)] == []


def test_layout_gives_tight_layouts_margins(ds):
    """Same margins as matplotlib's tight layout engine (which it replaces) where that cut nothing off."""
    cmp = A.compare(ds, IND)
    figs = [P.comparison_chart(cmp, ds.label(IND, "en"), lang="en", notes=N.Footnotes("en")) for _ in range(2)]
    figs[1].set_layout_engine("tight", rect=(0, 0.04, 1, 1))
    pars = []
    for fig in figs:
        fig.dpi = P.PRINT_DPI
        FigureCanvasAgg(fig).draw()
        sp = fig.subplotpars
        pars.append((sp.left, sp.right, sp.bottom, sp.top))
        plt.close(fig)
    assert pars[0] == pytest.approx(pars[1], abs=1e-9)


def test_a_second_panel_falls_back_to_tight_layout(ds):
    """Not a one-panel chart any more (a colorbar added by a reader): laid out as tight layout would."""
    figs = [P.coverage_heatmap(A.coverage(ds).head(8), lang="en") for _ in range(2)]
    figs[1].set_layout_engine("tight", rect=(0, 0.04, 1, 1))
    pars = []
    for fig in figs:
        fig.colorbar(fig.axes[0].collections[0], ax=fig.axes[0])
        FigureCanvasAgg(fig).draw()
        sp = fig.subplotpars
        pars.append((sp.left, sp.right, sp.bottom, sp.top))
        plt.close(fig)
    assert pars[0] == pytest.approx(pars[1], abs=1e-9)
