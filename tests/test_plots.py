"""Charts render Chinese with the project's own font; a missing glyph fails the test (pyproject filterwarnings)."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcompare import analysis as A
from ipcompare import plots as P


def _draw(fig):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "Glyph … missing from font" is a UserWarning
        fig.canvas.draw()
    plt.close(fig)


def test_font_is_the_pip_noto_sans_sc():
    assert "NotoSansSC" in P.FONT_PATH and P.FONT_FAMILY == "Noto Sans SC"


def test_missing_glyph_would_fail():
    """Sanity check that the guard bites: a font without CJK raises on Chinese text."""
    fig, ax = plt.subplots()
    ax.set_title("知识产权", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        _draw(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_all_charts_render(ds, lang):
    cmp = A.compare(ds, "high_value_invention_patents_per_10k")
    _draw(P.comparison_chart(cmp, ds.label("high_value_invention_patents_per_10k", lang), lang=lang))
    cov = A.coverage(ds)
    _draw(P.coverage_heatmap(cov.head(15), {c: ds.label(c, lang) for c in cov.index}, lang=lang))
    pairs = A.align_year(ds, "high_value_invention_patents_per_10k", 2025)
    _draw(P.slope_chart(pairs, "slope", lang=lang))
    _draw(P.gap_chart(A.gaps(ds, "suzhou", "national"), "gaps", lang=lang))


def test_report_png_is_rgb_at_print_dpi_and_shown_at_screen_size(ds):
    import io

    from PIL import Image

    cmp = A.compare(ds, "high_value_invention_patents_per_10k")
    fig = P.comparison_chart(cmp, "每万人口高价值发明专利拥有量", lang="zh")
    w, h = fig.get_size_inches()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph fails here too
        png = P.Png(fig)
    plt.close(fig)
    data, meta = png._repr_png_()
    img = Image.open(io.BytesIO(data))
    assert img.mode == "RGB"  # no alpha: WeasyPrint would split it off and encode it separately
    assert img.size == (round(w * P.PRINT_DPI), round(h * P.PRINT_DPI))
    assert meta == {"width": round(w * 110), "height": round(h * 110)}
    assert fig.dpi == 110  # the figure is left as it was


def test_no_chart_imports_seaborn_or_scipy():
    # A report kernel paid 0.9 CPU-s to import seaborn (and scipy) for the coverage heatmap alone.
    import subprocess
    import sys

    code = ("import sys, ipcompare, ipcompare.analysis as A, ipcompare.narrative as N, ipcompare.plots as P\n"
            "ds = ipcompare.load()\n"
            "cov = A.coverage(ds, N.comparable_indicators(ds, min_geos=2))\n"
            "P.coverage_heatmap(cov, lang='en')\n"
            "print(sorted(m for m in ('seaborn', 'scipy') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 40), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_rgb_png_holds_the_pixels_and_a_pdf_reads_its_idat_as_it_is(width, height, seed):
    import io

    from PIL import Image
    from pypdf.filters import FlateDecode
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    from ipcompare.report.pdf_images import png_idat

    rgba = np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)
    data = P.rgb_png(rgba)
    img = Image.open(io.BytesIO(data))
    assert (img.mode, img.size, img.info.get("interlace", 0)) == ("RGB", (width, height), 0)
    # Pillow's RGBA → RGB conversion (what the charts were encoded from before) gives the same pixels.
    expected = Image.fromarray(rgba, "RGBA").convert("RGB").tobytes()
    assert img.tobytes() == expected
    idat = png_idat(data, "RGB")  # what report/pdf_images.py copies into the PDF
    parms = DictionaryObject({NameObject("/Predictor"): NumberObject(15), NameObject("/Columns"): NumberObject(width),
                              NameObject("/Colors"): NumberObject(3)})
    assert idat is not None and FlateDecode.decode(idat, parms) == expected


def test_chart_png_has_the_pixels_of_the_draw(ds):
    """The report PNG of a chart is its Agg canvas, alpha dropped: nothing lost or added by the encoder."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig = P.comparison_chart(A.compare(ds, "high_value_invention_patents_per_10k"), "每万人口高价值发明专利拥有量")
    data = P.png_bytes(fig)
    fig.dpi = P.PRINT_DPI
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    plt.close(fig)
    assert Image.open(io.BytesIO(data)).tobytes() == np.asarray(canvas.buffer_rgba())[..., :3].tobytes()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["苏州市", "《苏州市“十四五”知识产权发展规划》", "doc:suzhou_2021_2025;", "Suzhou", "2025",
                                 "国家知识产权局", "reference:cnipa_2025", "", "a", "Zhengzhou 2025,"]), max_size=40),
       st.sampled_from([3.0, 7.0, 12.0]))
def test_source_line_wraps_as_matplotlib_does(words, width):
    """The source line's bisection finds the lines matplotlib's word-by-word scan finds (its own method is the
    oracle), for long and short lines of Chinese and Latin words, empty words (double spaces) and line breaks."""
    fig = plt.figure(figsize=(width, 3))
    text = " ".join(words)
    P._source_line(fig, text[:len(text) // 2] + "\n" + text[len(text) // 2:], "zh")
    fig.canvas.draw()  # gives the text its renderer, as in a chart's draw
    (line,) = fig.texts
    assert isinstance(line, P._SourceLine)
    assert line._get_wrapped_text() == plt.Text._get_wrapped_text(line)
    plt.close(fig)


def test_two_places_of_one_name_are_two_bars_told_apart():
    """苏州 and 宿州 are both "Suzhou" in English: two bars, each labelled with its code. matplotlib's category
    axis drew two equal labels as one bar, the second over the first."""
    cmp = pd.DataFrame({
        "geo_code": ["320500", "341300", "410100"], "geo_name_en": ["Suzhou", "Suzhou", "Zhengzhou"],
        "geo_name_zh": ["苏州市", "宿州市", "郑州市"], "year": [2025, 2025, 2025], "value": [32.0, 6.0, 11.5],
        "value_high": [np.nan] * 3, "unit": ["count"] * 3, "per": ["10k_residents"] * 3, "comparator": ["ge"] * 3,
        "commitment": ["binding"] * 3})
    fig = P.comparison_chart(cmp, "High-value invention patents per 10k", lang="en")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Suzhou 341300 (2025)", "Zhengzhou (2025)", "Suzhou 320500 (2025)"]  # by value
    assert sorted(round(p.get_y(), 3) for p in ax.patches[:3]) == sorted({round(p.get_y(), 3) for p in ax.patches[:3]})
    zh = P.comparison_chart(cmp, "每万人口高价值发明专利拥有量", lang="zh")
    assert [t.get_text() for t in zh.axes[0].get_yticklabels()] == ["宿州市 (2025)", "郑州市 (2025)", "苏州市 (2025)"]
    plt.close("all")
