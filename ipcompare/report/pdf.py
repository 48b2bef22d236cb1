"""Executed notebook → print HTML (nbconvert, code hidden; :mod:`ipcompare.report.print_html`) → A4 PDF
(WeasyPrint, the project's own CJK font).

Measured route (``../shared/notes/pdf-routes-measured.md``): nbconvert's ``basic`` template with our own
stylesheet, ``lang="zh"`` so Han characters take Simplified Chinese forms, and one ``FontConfiguration``
shared by ``CSS()`` and the render, otherwise ``@font-face`` is silently ignored. A missing glyph is an error,
in the text (WeasyPrint's ``.notdef`` warning) and in figures (matplotlib's ``Glyph … missing`` warning).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ipcompare.gc_pause import paused_gc
from ipcompare.report import pdf_images, ua_sheet
from ipcompare.report.fonts import CORE_FAMILY, FONT_FAMILY, core_path, sans_path
from ipcompare.report.params import ReportError
from ipcompare.report.print_html import TitleBlock, notebook_to_html

__all__ = ["MissingGlyphError", "TitleBlock", "PdfInfo", "notebook_to_html", "html_to_pdf", "render_pdf", "text_past_margin",
           "figure_glyph_problems", "stylesheet"]

_MPL_GLYPH = re.compile(r"Glyph (\d+) \(?(.*?)\)? missing from (?:current )?font")
class MissingGlyphError(ReportError):
    """Some character would print as a tofu box: the font lacks it."""


@dataclass
class PdfInfo:
    path: Path
    pages: int
    title: str
    warnings: list[str] = field(default_factory=list)
    layouts: int = 1  # whole-document layouts it took: 1, plus one per re-render (text loose in a cell, wide table)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The report CSS with ``@font-face`` rules for the core copy and the full pip-installed font file."""
    css = resources.files("ipcompare.report").joinpath("report.css").read_text(encoding="utf-8")
    faces = (f'@font-face {{ font-family: "{CORE_FAMILY}"; src: url("{core_path().as_uri()}"); }}\n'
             f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{sans_path().as_uri()}"); }}\n')
    return faces + css


def figure_glyph_problems(nb) -> list[str]:
    """Characters matplotlib could not draw (its ``Glyph N missing from font`` warnings in cell stderr)."""
    missing: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for m in _MPL_GLYPH.finditer(out.get("text", "")):
                    ch = chr(int(m.group(1)))
                    if ch not in missing:
                        missing.append(ch)
    return missing


class _GlyphWatch(logging.Handler):
    """Collects WeasyPrint's ``.notdef glyph rendered`` warnings while a document is drawn."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if ".notdef" in msg:
            m = re.search(r'fonts: "(.)"', msg)
            ch = m.group(1) if m else msg
            if ch not in self.missing:
                self.missing.append(ch)


@lru_cache(maxsize=1)
def _shared_styles():
    """One font configuration and parsed stylesheet per process (a batch worker renders several reports):
    loading the two font faces again cost about 0.15 CPU-s a report."""
    import multiprocessing.util

    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    # Released while the interpreter still works (atexit in a main process, multiprocessing's exit in a worker):
    # its __del__ deletes the temporary copies of the fonts, and fails at interpreter teardown.
    multiprocessing.util.Finalize(None, _release_shared_styles, exitpriority=0)
    return fc, weasyprint.CSS(string=stylesheet(), font_config=fc)


def _release_shared_styles() -> None:
    import gc

    _shared_styles.cache_clear()
    gc.collect()  # rendered documents refer to the configuration in reference cycles


def _page_boxes(document) -> list | None:
    """The pages' layout trees — WeasyPrint's, not a public API: None where a version does not have them, and
    the checks that read them then find nothing."""
    try:
        return [p._page_box for p in document.pages]
    except AttributeError:
        return None


def _descendants(boxes) -> Iterator:
    """Every box under ``boxes`` (and they themselves), depth first."""
    stack = list(boxes)
    while stack:
        b = stack.pop()
        yield b
        stack.extend(getattr(b, "children", []))


def _text_past(boxes, right: float) -> bool:
    """Whether some text under ``boxes`` ends to the right of ``right``."""
    return any(type(b).__name__ == "TextBox" and b.position_x + b.width > right for b in _descendants(boxes))


def _overflowing_tables(document) -> set[str]:
    """``data-ipc-table`` ids of tables wider than the page's content box."""
    wide: set[str] = set()
    for box in _page_boxes(document) or []:
        right = box.margin_left + box.padding_left + box.border_left_width + box.width + 0.5
        for b in _descendants([box]):
            el = getattr(b, "element", None)
            if el is not None and getattr(el, "tag", None) == "table" and el.get("data-ipc-table") is not None \
                    and b.position_x + b.margin_width() > right:
                wide.add(el.get("data-ipc-table"))
    return wide


def _overflowing_cells(document) -> set[str]:
    """``data-ipc-table`` ids of fixed-layout tables (``ipc-fixed``) where some text runs past its cell.

    Their column widths were measured from the font (:mod:`ipcompare.report.table_widths`); a piece of text
    WeasyPrint will not break where the measure expected it to would be printed over the next column.
    """
    loose: set[str] = set()
    stack = [(box, None) for box in _page_boxes(document) or []]
    while stack:
        b, table = stack.pop()
        el = getattr(b, "element", None)
        if el is not None and getattr(el, "tag", None) == "table" and "ipc-fixed" in (el.get("class") or ""):
            table = el.get("data-ipc-table")
        if table is not None and table not in loose and type(b).__name__ == "TableCellBox":
            if _text_past(getattr(b, "children", []), b.content_box_x() + b.width + 0.5):
                loose.add(table)
            continue
        stack.extend((c, table) for c in getattr(b, "children", []))
    return loose


def text_past_margin(document, slack: float = 0.5) -> list[int]:
    """Page numbers (1-based) where some text runs past the right edge of the page's content box — text the
    printed page cuts off (an unbroken URL, a label that will not wrap). Running heads and page numbers in the
    margin boxes are not content and are skipped."""
    pages = enumerate(_page_boxes(document) or [], start=1)
    return [n for n, pb in pages if _text_past([c for c in pb.children if type(c).__name__ != "MarginBox"],
                                               pb.content_box_x() + pb.width + slack)]


def _automatic_layout(doc_html: str, ids: set[str]) -> str:
    """Return the tables ``ids`` from measured fixed widths to WeasyPrint's automatic table layout."""
    def sub(m: re.Match) -> str:
        tag = m.group(1)
        if m.group(2) not in ids:
            return m.group(0)
        tag = re.sub(r'\s*style="width: [\d.]+pt"', "", tag).replace(" ipc-fixed", "").replace("ipc-fixed", "")
        return tag

    return re.sub(r'(<table[^>]*data-ipc-table="(\d+)"[^>]*>)<colgroup>(?:<col[^>]*/?>)*</colgroup>', sub, doc_html)


@paused_gc()
def html_to_pdf(doc_html: str, pdf_path: str | Path, *, base_url: str | None = None) -> PdfInfo:
    """Lay out and write the PDF; tables wider than the page are set smaller, a missing glyph raises.
    The cyclic collector is paused meanwhile (see :func:`render_pdf`)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    pdf_images.install()  # charts' PNG data copied into the PDF, not decoded and compressed again
    pdf_path = Path(pdf_path)
    if "@font-face" in doc_html:  # the document brings fonts of its own: they must not reach the next report
        fc = FontConfiguration()
        css = weasyprint.CSS(string=stylesheet(), font_config=fc)
    else:
        fc, css = _shared_styles()
    watch = _GlyphWatch()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watch)
    warnings: list[str] = []
    layouts = 0  # whole-document layouts: 1, plus one per re-render

    # Charts' data URIs out of the text WeasyPrint parses, their bytes handed over by a fetcher (pdf_images.py).
    page_html, images = pdf_images.detach_data_uris(doc_html)
    fetcher = pdf_images.image_fetcher(images)
    # WeasyPrint's user-agent sheet without the pseudo-element rules every element matched (ua_sheet.py).
    html_class = weasyprint.HTML if ua_sheet.needs_full_sheet(page_html, stylesheet()) else ua_sheet.html_class()

    def lay_out(page: str):
        nonlocal layouts
        layouts += 1
        return html_class(string=page, base_url=base_url, url_fetcher=fetcher).render(stylesheets=[css],
                                                                                      font_config=fc)

    try:
        document = lay_out(page_html)
        # A measured table whose text does not fit its columns is laid out again by WeasyPrint itself.
        if loose := _overflowing_cells(document):
            page_html = _automatic_layout(page_html, loose)
            document = lay_out(page_html)
        # A table wider than the page is set in smaller type (7 pt, then 6 pt) rather than cut at the margin.
        while wide := _overflowing_tables(document):
            smaller = _smaller_tables(page_html, wide)
            if smaller == page_html:
                # A table cut at the margin would be reported "ok" while a reader loses columns: fail the job.
                raise ReportError(f"{len(wide)} table(s) wider than the page even at 6 pt; no PDF written")
            page_html = smaller
            document = lay_out(page_html)
        if cut := text_past_margin(document):
            warnings.append("text runs past the right margin on page(s) " + ", ".join(map(str, cut)))
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(pdf_path)
    finally:
        logger.removeHandler(watch)
    if watch.missing:
        pdf_path.unlink(missing_ok=True)
        chars = "".join(watch.missing[:20])
        raise MissingGlyphError(f"missing glyphs in the PDF text: {chars!r} "
                                f"(U+{', U+'.join(f'{ord(c[0]):04X}' for c in watch.missing[:5])})")
    title = ""
    m = re.search(r"<title>(.*?)</title>", doc_html)
    if m:
        title = html.unescape(m.group(1))
    return PdfInfo(pdf_path, len(document.pages), title, warnings, layouts)


def _smaller_tables(doc_html: str, ids: set[str]) -> str:
    """Move the tables ``ids`` one step down the type ladder: normal → ipc-narrow → ipc-narrower."""
    def sub(m: re.Match) -> str:
        tag = m.group(0)
        if m.group(1) not in ids or "ipc-narrower" in tag:
            return tag
        if "ipc-narrow" in tag:
            return tag.replace("ipc-narrow", "ipc-narrower", 1)
        if 'class="' in tag:
            return tag.replace('class="', 'class="ipc-narrow ', 1)
        return tag[:-1] + ' class="ipc-narrow">'

    return re.sub(r'<table[^>]*data-ipc-table="(\d+)"[^>]*>', sub, doc_html)


@paused_gc()
def render_pdf(nb: Any, pdf_path: str | Path, block: TitleBlock) -> PdfInfo:
    """Executed notebook (a NotebookNode or a path) → PDF. Fails if a figure or the text lacks a glyph.

    Python's cyclic collector is paused meanwhile: a report allocates some hundred thousand styles, boxes and
    tree nodes that live until it is written, and the collector walked them again and again — about a sixth of
    the step's CPU time (``gc.callbacks``: 0.2 of the Suzhou profile's 1.2 CPU-s). Reference counting still
    frees what is unused at once; the few cycles a report leaves are found by the first collection after it
    (0.07 CPU-s for 27 reports), and the peak memory of a batch's worker grew by about 4 MB."""
    import nbformat

    if not hasattr(nb, "cells"):
        nb = nbformat.read(nb, as_version=4)
    missing = figure_glyph_problems(nb)
    if missing:
        raise MissingGlyphError(f"missing glyphs in a figure: {''.join(missing[:20])!r} "
                                "(call ipcompare.report.fonts.use_in_matplotlib() before plotting)")
    return html_to_pdf(notebook_to_html(nb, block), pdf_path)
