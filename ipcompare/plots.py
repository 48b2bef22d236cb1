"""Themed charts for the analysis outputs, with Chinese rendered by a font the project installs itself.

The font is Noto Sans SC (OFL-1.1) from the PyPI package ``pylopdf-fonts-zh-cn``, registered with
matplotlib's font manager when this module is imported — no system font is assumed. The theme is seaborn's
``whitegrid`` written out as rcParams (:data:`THEME`), so that importing this module does not import seaborn (and
through it scipy, 0.8 s per report kernel); the coverage heatmap is drawn with matplotlib alone. Every chart
takes an analysis result, has a source line under it, and labels in zh or en (``lang``).
"""

from __future__ import annotations

import struct
import zlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pylopdf_fonts_zh_cn
from cycler import cycler
from matplotlib import font_manager
from matplotlib.text import Text

from ipcompare.analysis.lookup import place_labels
from ipcompare.chart_canvas import draw_rgba
from ipcompare.chart_layout import LabelLayout
from ipcompare.narrative import fmt_value, unit_label

__all__ = ["FONT_PATH", "FONT_FAMILY", "THEME", "setup_fonts", "comparison_chart", "coverage_heatmap", "slope_chart",
           "gap_chart", "TEXT", "PRINT_DPI", "png_bytes", "rgb_png", "Png"]

FONT_PATH = str(pylopdf_fonts_zh_cn.sans_path())
PALETTE = ["#1f4e79", "#c0504d", "#4f9a94", "#e0a030", "#7f6aa8", "#8c8c8c"]
TEXT = {
    "zh": {"source": "资料来源", "target": "目标", "baseline": "基期", "national": "全国", "year": "年份",
           "value": "数值", "gap": "差距", "modelled": "模型推算", "aspirational": "力争", "none": "未设定",
           "both": "目标+基期", "benchmark": "基准"},
    "en": {"source": "Source", "target": "target", "baseline": "baseline", "national": "China", "year": "Year",
           "value": "Value", "gap": "Gap", "modelled": "modelled", "aspirational": "aspirational", "none": "none",
           "both": "target+baseline", "benchmark": "benchmark"},
}

# seaborn 0.13's set_theme(style="whitegrid", context="notebook", palette="deep") as rcParams — the exact
# difference it makes to matplotlib's defaults (seaborn's "rocket" default colormap left out: no chart uses it).
_DEEP = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974",
         "#64b5cd"]
THEME: dict[str, object] = {
    "axes.axisbelow": True, "axes.edgecolor": ".8", "axes.grid": True, "axes.labelcolor": ".15",
    "axes.labelsize": 12.0, "axes.linewidth": 1.25, "axes.titlesize": 12.0, "axes.unicode_minus": False,
    "font.size": 12.0, "grid.color": ".8", "grid.linewidth": 1.0, "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0, "lines.solid_capstyle": "round", "patch.edgecolor": "w",
    "patch.force_edgecolor": True, "text.color": ".15", "xtick.bottom": False, "xtick.color": ".15",
    "xtick.labelsize": 11.0, "xtick.major.size": 6.0, "xtick.major.width": 1.25, "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0, "ytick.color": ".15", "ytick.labelsize": 11.0, "ytick.left": False,
    "ytick.major.size": 6.0, "ytick.major.width": 1.25, "ytick.minor.size": 4.0, "ytick.minor.width": 1.0,
}


# Reports print a chart at the page's text width (A4, about 6.9 in for a 7 in figure): 200 dpi is sharp for
# line art and CJK labels there; the kernels' retina default (2 × 110 = 220 dpi, plus a tight bounding box) cost
# a second draw and 20 % more pixels for no visible gain (measured, docs/decisions.md).
PRINT_DPI = 200
_SCREEN_DPI = 110  # the size a chart is shown at in a notebook and laid out at in the HTML → PDF step


def setup_fonts() -> str:
    """Register Noto Sans SC and apply the ipcompare theme; return the family name."""
    font_manager.fontManager.addfont(FONT_PATH)
    family = font_manager.FontProperties(fname=FONT_PATH).get_name()
    matplotlib.rcParams.update(THEME)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=_DEEP)
    matplotlib.rcParams["font.family"] = [family]
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["figure.dpi"] = _SCREEN_DPI
    matplotlib.rcParams["savefig.dpi"] = 150
    return family


FONT_FAMILY = setup_fonts()


def png_bytes(fig, dpi: int = PRINT_DPI) -> bytes:
    """``fig`` as an RGB PNG at ``dpi``: one draw at the final size (the charts lay themselves out, so no tight
    bounding box and no second draw) on the canvas of :mod:`ipcompare.chart_canvas` (text measured and laid out
    once per process), no alpha channel (the page is white; WeasyPrint would otherwise split and re-encode one),
    encoded by :func:`rgb_png`."""
    return rgb_png(np.asarray(draw_rgba(fig, dpi)))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgb_png(rgba: np.ndarray) -> bytes:
    """An (height, width, 4) uint8 RGBA image as an 8-bit RGB PNG (the alpha channel dropped, as Pillow's
    RGBA → RGB conversion drops it), non-interlaced, every scanline unfiltered, zlib level 1 — a PNG whose IDAT
    data a PDF reads as it is (``report/pdf_images.py``).

    Written here rather than with Pillow, which picks a filter for every scanline by trying four of them: that
    search was 40 % of encoding a chart, and the charts' flat colours compress as well unfiltered (58.5 against
    58.6 KiB for a profile chart; the pixels are the same, docs/decisions.md)."""
    height, width = rgba.shape[:2]
    lines = np.empty((height, 1 + 3 * width), dtype=np.uint8)  # each scanline: filter byte 0 (none), then RGB
    lines[:, 0] = 0
    np.copyto(lines[:, 1:].reshape(height, width, 3), rgba[..., :3])  # one copy (a reshape of the slice made two)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(lines, 1)) + _chunk(b"IEND", b""))


class Png:
    """A chart rendered once for display (``display(Png(fig))``): the PNG of :func:`png_bytes`, shown at the
    figure's screen size so that notebooks and reports lay it out as before; the figure can be closed after."""

    def __init__(self, fig, dpi: int = PRINT_DPI) -> None:
        self.data = png_bytes(fig, dpi)
        w, h = fig.get_size_inches()
        self.width, self.height = round(w * _SCREEN_DPI), round(h * _SCREEN_DPI)

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        return self.data, {"width": self.width, "height": self.height}


class _SourceLine(Text):
    """The source line under a chart, wrapped at the figure's edge as matplotlib wraps text (``wrap=True``), the
    break of each line found by bisection. matplotlib measures every prefix of a line's words, a text layout
    each, to find the first that is too wide; a source line naming a dozen plans has dozens of words (7 % of a
    120-document profile's cells). A prefix is never narrower than a shorter one (its words are laid out after
    theirs), so the first one too wide is the one the scan finds: the same lines, the same pixels (the 46 charts
    of the default reports and those of a 120-document corpus compared)."""

    def _get_wrapped_text(self) -> str:
        if not self.get_wrap() or self.get_usetex():
            return super()._get_wrapped_text()
        limit = self._get_wrap_line_width()
        out = []
        for line in self.get_text().split("\n"):
            words = line.split(" ")
            while words:
                if len(words) == 1:
                    out.append(words.pop())
                    continue
                lo, hi = 2, len(words) + 1  # the least i ≥ 2 with words[:i] too wide, or len(words) + 1 for none
                while lo < hi:
                    mid = (lo + hi) // 2
                    if self._get_rendered_text_width(" ".join(words[:mid])) > limit:
                        hi = mid
                    else:
                        lo = mid + 1
                out.append(" ".join(words[:lo - 1]))
                words = words[lo - 1:]
        return "\n".join(out)


def _source_line(fig, text: str, lang: str) -> None:
    line = fig.text(0.01, 0.005, f"{TEXT[lang]['source']}: {text}", fontsize=7, color="#555555", ha="left",
                    va="bottom", wrap=True)
    line.__class__ = _SourceLine  # the figure's own Text, its wrapping method replaced: no other state differs


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}"


def comparison_chart(cmp: pd.DataFrame, title: str, lang: str = "zh", benchmark: float | None = None,
                     source: str = "ipcompare data/tidy/observations", notes=None, highlight: str | None = None):
    """Horizontal bar chart of the comparable rows of a :func:`~ipcompare.analysis.compare` result, years in
    the labels and caveat markers from ``notes`` (a :class:`~ipcompare.narrative.Footnotes`) after the names.

    A comparable national row (geo 100000) is drawn as a dashed benchmark line; aspirational targets are
    hatched; ``highlight`` (a geo code) is drawn in the accent colour. Values are drawn where they are; the
    chart never shows a row the comparability model refused.
    """
    # The columns drawn, taken once with the comparable rows: each further mask and sort takes only these.
    cols = ["geo_code", f"geo_name_{lang}", "year", "value", "value_high", "unit", "per", "comparator", "commitment",
            *(["caveats"] if "caveats" in cmp else [])]
    df = cmp.loc[cmp.comparable, cols] if "comparable" in cmp else cmp[cols]
    cmp = df
    nat = df[df.geo_code == "100000"]
    df = df[df.geo_code != "100000"].sort_values("value")
    intensive = not cmp.empty and (pd.notna(cmp.per.iloc[0]) or cmp.unit.iloc[0] in ("percent", "points"))
    if not intensive:
        # A nation's absolute count would dwarf every city's bar; only rates, shares and scores get the line.
        nat = nat.iloc[0:0]
    if benchmark is None and not nat.empty:
        benchmark = float(nat.value.iloc[0])
    benchmark_raw = benchmark
    marks = [notes.mark(c) if notes is not None else "" for c in df.get("caveats", pd.Series([""] * len(df)))]
    # Two places of one name (苏州 and 宿州 are both Suzhou) are told apart by their codes.
    names = [f"{place} ({year}){mark}" for place, year, mark in
             zip(place_labels(df[f"geo_name_{lang}"], df.geo_code, "{name} {code}"), df.year, marks, strict=True)]
    # Large amounts are drawn in 亿/万 so the axis reads 25 (亿元), not 2.5e9.
    top = float(pd.concat([df.value, nat.value]).abs().max()) if len(df) else 0.0
    scale, prefix = next(((10.0**p, w) for p, w in ((8, ("亿", "100m ")), (4, ("万", "10k "))) if top >= 10.0**p),
                         (1.0, ("", "")))
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(df) + 1.6))
    colors = [PALETTE[3] if highlight is not None and g == highlight else PALETTE[0] for g in df.geo_code]
    # Bars by position, labels set on them: matplotlib's category axis draws two equal labels as one bar.
    bars = ax.barh(range(len(df)), df.value / scale, color=colors)
    ax.set_yticks(range(len(df)), labels=names)
    for bar, r in zip(bars, df.itertuples(index=False), strict=True):
        if r.commitment == "aspirational":
            bar.set_hatch("//")
            bar.set_facecolor("#7ea6c9" if bar.get_facecolor()[:3] == matplotlib.colors.to_rgb(PALETTE[0]) else "#eccb8a")
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                " " + fmt_value(r.value, r.unit, r.per, r.comparator, lang, r.value_high), va="center", fontsize=8)
    if benchmark is not None:
        year = f" ({int(nat.year.iloc[0])})" if not nat.empty else ""
        ax.axvline(benchmark_raw / scale, color=PALETTE[1], ls="--", lw=1.2,
                   label=f"{TEXT[lang]['national']}{year}: {_fmt(benchmark_raw / scale)}")
        ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.set_title(title, fontsize=11, loc="left", y=1.0)
    unit = unit_label(str(cmp.unit.iloc[0]), cmp.per.iloc[0], lang) if not cmp.empty else ""
    unit = (prefix[0] if lang == "zh" else prefix[1]) + unit
    ax.set_xlabel(f"{TEXT[lang]['value']} ({unit})" if unit.strip() else TEXT[lang]["value"])
    ax.margins(x=0.15)
    fig.set_layout_engine(LabelLayout(rect=(0, 0.04, 1, 1)))  # run once, in the draw at the print dpi
    _source_line(fig, source, lang)
    return fig


def coverage_heatmap(cov: pd.DataFrame, labels: dict[str, str] | None = None, lang: str = "zh",
                     source: str = "ipcompare data/tidy/observations"):
    """Heatmap of a :func:`~ipcompare.analysis.coverage` matrix (target / baseline / both / none)."""
    codes = {"": 0, "baseline": 1, "target": 2, "both": 3}
    mat = cov.replace(codes).astype(int)
    if labels:
        mat.index = [labels.get(i, i) for i in mat.index]
    fig, ax = plt.subplots(figsize=(1.1 * len(mat.columns) + 4, 0.32 * len(mat) + 1.4))
    cmap = matplotlib.colors.ListedColormap(["#f2f2f2", "#b7d3e9", "#1f4e79", "#4f9a94"])
    # Drawn as seaborn's heatmap draws it (cells with white edges, labels at the cell centres, first row on top)
    # without importing seaborn: its import (with scipy) was 0.9 CPU-s of a 3.5 s report.
    ax.pcolormesh(mat.to_numpy(), cmap=cmap, vmin=-0.5, vmax=3.5, edgecolors="white", linewidth=0.5)
    ax.set_xticks([i + 0.5 for i in range(mat.shape[1])], labels=[str(c) for c in mat.columns])
    ax.set_yticks([i + 0.5 for i in range(mat.shape[0])], labels=[str(i) for i in mat.index])
    ax.set_xlim(0, mat.shape[1])
    ax.set_ylim(mat.shape[0], 0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(axis="both", length=0)
    ax.tick_params(axis="y", labelsize=8)
    handles = [matplotlib.patches.Patch(color=c, label=TEXT[lang][k]) for k, c in
               zip(["none", "baseline", "target", "both"], cmap.colors, strict=True)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    fig.set_layout_engine(LabelLayout(rect=(0, 0.04, 1, 1)))  # run once, in the draw at the print dpi
    _source_line(fig, source, lang)
    return fig


def slope_chart(pairs: pd.DataFrame, title: str, lang: str = "zh", source: str = "ipcompare data/tidy/observations"):
    """Baseline → target lines per geography, from :func:`~ipcompare.analysis.align_year`-style pairs
    (columns baseline, baseline_year, target, target_year, required_growth)."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, r in enumerate(pairs.itertuples(index=False)):
        color = PALETTE[i % len(PALETTE)]
        ax.plot([r.baseline_year, r.target_year], [r.baseline, r.target], marker="o", color=color)
        name = getattr(r, f"geo_name_{lang}")
        growth = f"{r.required_growth:+.1%}/{'年' if lang == 'zh' else 'yr'}" if pd.notna(r.required_growth) else ""
        ax.annotate(f"{name} {growth}", (r.target_year, r.target), xytext=(5, 0), textcoords="offset points",
                    fontsize=8, color=color, va="center")
    ax.set_title(title, fontsize=11, loc="left", y=1.0)
    ax.set_xlabel(TEXT[lang]["year"])
    ax.margins(x=0.25)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    fig.set_layout_engine(LabelLayout(rect=(0, 0.04, 1, 1)))  # run once, in the draw at the print dpi
    _source_line(fig, source, lang)
    return fig


def gap_chart(gp: pd.DataFrame, title: str, lang: str = "zh", source: str = "ipcompare data/tidy/observations"):
    """Relative gaps of a :func:`~ipcompare.analysis.gaps` result as diverging bars (percent of benchmark)."""
    df = gp.dropna(subset=["gap_relative"]).sort_values("gap_relative")
    names = df[f"indicator_name_{lang}"] + " (" + df.year.astype(str) + " vs " + df.benchmark_year.astype(str) + ")"
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(df) + 1.6))
    colors = [PALETTE[2] if v >= 0 else PALETTE[1] for v in df.gap_relative]
    ax.barh(range(len(df)), df.gap_relative * 100, color=colors)  # by position: equal labels stay two bars
    ax.set_yticks(range(len(df)), labels=list(names))
    ax.axvline(0, color="#333333", lw=0.8)
    for y, v in enumerate(df.gap_relative * 100):
        ax.text(v, y, f" {v:+.0f}%", va="center", ha="left" if v >= 0 else "right", fontsize=8)
    ax.set_xlabel(f"{TEXT[lang]['gap']} (% {TEXT[lang]['benchmark']})")
    ax.set_title(title, fontsize=11, loc="left", y=1.0)
    ax.tick_params(axis="y", labelsize=8)
    ax.margins(x=0.2)
    fig.set_layout_engine(LabelLayout(rect=(0, 0.04, 1, 1)))  # run once, in the draw at the print dpi
    _source_line(fig, source, lang)
    return fig
