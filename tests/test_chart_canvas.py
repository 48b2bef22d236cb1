"""The chart canvas keeps text measures and glyph layouts for the process: the pixels must be matplotlib's own."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

import ipcompare.plots as P  # noqa: E402  (fonts and theme)
from ipcompare import chart_canvas as C  # noqa: E402

LABELS = ["苏州市 (2025)", "郑州市 (2025)²", "马鞍山市 (2026)[5]", "≥7.5%", "1.4653万件", "Zhengzhou (2025)", "", " ",
          "每万人口高价值发明专利拥有量（件）", "$x^2$ 10%"]


def _figure(labels: list[str], size: float, rotation: float = 0, title: str = "知识产权",
            xlabel: str = "数值 (件/万人)") -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4, 0.3 * len(labels) + 1))
    ax.barh(range(len(labels)), range(1, len(labels) + 1), tick_label=labels)
    for i, s in enumerate(labels):
        ax.text(i + 1, i, s, fontsize=size, rotation=rotation)
    ax.set_title(title, fontsize=size + 2)
    ax.set_xlabel(xlabel)
    return fig


def _stock(fig, dpi: float) -> bytes:
    """The figure drawn by matplotlib's own Agg canvas: the oracle."""
    fig.dpi = dpi
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return bytes(canvas.buffer_rgba())


def _kept(fig, dpi: float) -> bytes:
    return bytes(C.draw_rgba(fig, dpi))


@pytest.fixture(autouse=True)
def _empty_caches():
    C.forget()
    yield
    plt.close("all")


@pytest.mark.parametrize("rotation", [0, 90, 33])
def test_pixels_are_matplotlibs_first_and_from_the_cache(rotation):
    """Chinese, Latin, superscripts, empty and blank strings, mathtext, rotated text: drawn once to fill the
    caches and again from them, both as the stock canvas draws them."""
    for _ in range(2):
        a, b = _figure(LABELS, 8, rotation), _figure(LABELS, 8, rotation)
        assert _kept(a, 150) == _stock(b, 150)
    assert C._MEASURES and C._LAYOUTS


def test_same_string_at_other_sizes_dpis_and_hinting_is_not_served_from_the_cache():
    """A measure or layout kept for one size, dpi or hinting setting must not be used for another."""
    for size, dpi, hinting in [(8, 100, "default"), (11, 100, "default"), (8, 200, "default"), (8, 100, "no_hinting"),
                               (8, 100, "force_autohint")]:
        with matplotlib.rc_context({"text.hinting": hinting}):
            a, b = _figure(LABELS[:5], size), _figure(LABELS[:5], size)
            assert _kept(a, dpi) == _stock(b, dpi), (size, dpi, hinting)


def test_other_font_family_is_not_served_from_the_cache():
    """The face is part of the key: the same string in DejaVu Sans after Noto Sans SC is drawn in DejaVu Sans."""
    latin = {"title": "Suzhou", "xlabel": "value"}
    _kept(_figure(["Suzhou 2025"], 9, **latin), 100)
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        a, b = _figure(["Suzhou 2025"], 9, **latin), _figure(["Suzhou 2025"], 9, **latin)
        assert _kept(a, 100) == _stock(b, 100)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(LABELS + ["合成46市 (2025)", "0", "2.5", "全国 (2025): 12"]), min_size=1, max_size=6),
       st.sampled_from([7.0, 8.0, 11.0]))
def test_any_sequence_of_charts_draws_as_matplotlib(labels, size):
    """Whatever was drawn before (the caches persist across examples), a chart is matplotlib's pixels."""
    a, b = _figure(labels, size), _figure(labels, size)
    assert _kept(a, 120) == _stock(b, 120)
    plt.close("all")


def test_the_figure_keeps_its_canvas_and_dpi():
    """Rendering a report PNG does not change what the notebook's figure is attached to or its dpi."""
    fig = _figure(LABELS[:3], 8)
    canvas, dpi = fig.canvas, fig.dpi
    P.png_bytes(fig)
    assert fig.canvas is canvas and fig.dpi == dpi


def test_caches_are_bounded(monkeypatch):
    """A long interactive session does not grow the caches without limit: past the limit they start afresh."""
    monkeypatch.setattr(C, "_LIMIT", 5)
    fig = _figure([f"城市{i}" for i in range(12)], 8)
    C.draw_rgba(fig, 72)
    assert 0 < len(C._MEASURES) <= 5 and 0 < len(C._LAYOUTS) <= 5


def test_without_matplotlibs_private_layout_the_stock_text_path_draws(monkeypatch):
    """With a matplotlib lacking FT2Font._layout the stock draw_text is used: same pixels, no layouts kept."""
    monkeypatch.setattr(C, "_CAN_LAY_OUT", False)
    a, b = _figure(LABELS, 8), _figure(LABELS, 8)
    assert _kept(a, 100) == _stock(b, 100)
    assert not C._LAYOUTS


def test_report_chart_from_warm_caches_is_matplotlibs():
    """A whole report chart (long names, caveat marks, hatching, a benchmark line, the wrapped source line) drawn
    when an identical chart has filled the caches has the pixels matplotlib's own canvas gives it."""
    import pandas as pd

    cmp = pd.DataFrame({
        "geo_code": ["320500", "410100", "100000"], "geo_name_zh": ["苏州市", "郑州市", "全国"],
        "year": [2025, 2025, 2025], "value": [32.0, 11.5, 12.0], "value_high": [np.nan] * 3,
        "unit": ["count"] * 3, "per": ["10k_residents"] * 3, "comparator": ["ge", "eq", "eq"],
        "commitment": ["binding", "aspirational", "binding"], "comparable": [True] * 3})

    def chart():
        return P.comparison_chart(cmp, "每万人口高价值发明专利拥有量", source="doc:suzhou_2021_2025; " * 9)

    C.draw_rgba(chart(), P.PRINT_DPI)
    kept = np.asarray(C.draw_rgba(chart(), P.PRINT_DPI)).copy()
    assert np.array_equal(kept, np.frombuffer(_stock(chart(), P.PRINT_DPI), np.uint8).reshape(kept.shape))


def _one_text(s: str, **props) -> plt.Figure:
    fig = plt.figure(figsize=(3, 1))
    fig.text(0.05, 0.4, s, fontsize=14, **props)
    return fig


@pytest.mark.parametrize("first, then", [
    ({}, {"fontfeatures": ["-kern"]}),  # kerning off moves "AV", "Ty"
    ({"family": "DejaVu Sans", "language": "ru"}, {"family": "DejaVu Sans", "language": "sr"}),  # Serbian б, г, д, п, т
], ids=["features", "language"])
def test_font_features_and_language_are_part_of_the_key(first, then):
    """The same string laid out with other font features or in another language is laid out again: each pair
    differs in matplotlib's own drawing, and the kept canvas draws each as matplotlib does."""
    s = "AVAWAY Ty бгдпт" if "language" in first else "AVAWAY To Ty 直角门关骨"
    assert _stock(_one_text(s, **first), 100) != _stock(_one_text(s, **then), 100)  # the pair is a real test
    _kept(_one_text(s, **first), 100)  # fills the caches
    assert _kept(_one_text(s, **then), 100) == _stock(_one_text(s, **then), 100)
