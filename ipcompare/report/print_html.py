"""Executed notebook → print HTML: the title block, then the notebook's markdown and outputs, no code.

nbconvert's ``basic`` template (code hidden) and one BeautifulSoup pass over its page: the report title moves into
the title block, tables get measured column widths (:mod:`ipcompare.report.table_widths`) and classes instead of
per-cell styles (:mod:`ipcompare.report.lean_html`), and a figure stays with the sentence that introduces it.
:mod:`ipcompare.report.pdf` lays the page out and writes the PDF.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ipcompare.report.lean_html import drop_table_whitespace, share_cell_styles
from ipcompare.report.table_widths import nowrap_ids, plan_table

__all__ = ["TitleBlock", "notebook_to_html"]

NO_ALT = "No description has been provided for this image"  # nbconvert's alt text for a figure without one
_NUMERIC = re.compile(r"^[\s\-−+]*[\d.,]+\s*(%|‰|倍|万|亿)?\s*$|^(nan|NaN|None|—|–|-|<NA>)?$")
_REMOVE_TAGS = {"remove_cell", "remove-cell", "hide", "hide-cell", "no-report"}
# Running heads and feet (report.css's @page margin boxes): their type size, and the share of the line that the
# left box (title, footer) takes when its width is set (_margin_box_widths); the right holds "ipcompare" and
# the page numbers.
_MARGIN_PT = 7.5
_LEFT_SHARE = 0.8
_MARGIN_SLACK_PT = 2.0


_KEYWORDS = ["知识产权", "intellectual property", "规划目标", "policy targets", "China", "ipcompare"]
_KICKER = {"zh": "城市知识产权规划量化目标 · ipcompare", "en": "Quantified targets of Chinese cities' IP plans · ipcompare"}


@dataclass
class TitleBlock:
    """What the first page says about the report, above the notebook's content."""

    title: str = ""
    kicker: str = ""  # the line above the title; default by language
    lang: str = "zh"  # zh | en: language of the page furniture (page numbers, kicker)
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value), e.g. ("数据版本 Dataset", "data-…")
    footer: str = ""  # short text repeated at the bottom of every page
    # PDF document information (WeasyPrint maps <meta> author/description/keywords and <html lang> onto the
    # PDF's Author, Subject, Keywords and /Lang), so a report found on a shared drive says what it is.
    author: str = "ipcompare"
    subject: str = ""  # default: the kicker
    keywords: list[str] = field(default_factory=list)  # added to _KEYWORDS


def _print_exporter_class():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PrintExporter(HTMLExporter):
        """nbconvert's HTMLExporter without the BeautifulSoup pass that ends its ``from_notebook_node``: it
        parses and prints the whole page again to add alt text to images (and focus order to JupyterLab
        templates' cells), and notebook_to_html parses the page anyway and adds the alt text there. The rest is
        HTMLExporter's method as in nbconvert 7 (tests/test_print_html.py compares the two)."""

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                           parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PrintExporter


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert.preprocessors import TagRemovePreprocessor

    # optimistic_validation: the notebook is validated once, after the preprocessors, not after each of the 13
    # registered (most disabled) — 12 schema validations of the notebook less per report.
    exp = _print_exporter_class()(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                  exclude_output_prompt=True, language_code="zh", optimistic_validation=True)
    exp.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=_REMOVE_TAGS,
                                                    remove_input_tags={"remove_input", "remove-input"},
                                                    remove_all_outputs_tags={"remove_output", "remove-output"},
                                                    enabled=True), enabled=True)
    return exp


def _drop_stderr(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def _report_cells(nb) -> None:
    """Keep what a reader of the report should see: cells above the ``parameters`` cell are the notebook's
    how-to-use introduction for JupyterLab, and the parameters cells themselves are code; both are dropped."""
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in nb.cells]
    first = next((i for i, t in enumerate(tags) if "parameters" in t), None)
    if first is not None:
        nb.cells = [c for i, (c, t) in enumerate(zip(nb.cells, tags, strict=True))
                    if i > first and "injected-parameters" not in t]


def notebook_to_html(nb, block: TitleBlock) -> str:
    """A standalone print HTML document: title block, then the notebook's markdown and outputs, no code."""
    from bs4 import BeautifulSoup

    nb = _copy(nb)
    _report_cells(nb)
    _drop_stderr(nb)
    body, _ = _exporter().from_notebook_node(nb)
    soup = BeautifulSoup(body, "html.parser")
    # The first level-1 heading is the report title (often from display(Markdown(...)), with the city name);
    # it moves into the title block so it is not printed twice, and so does a "参数/Parameters" line under it,
    # which the title block shows with labels.
    title = block.title
    h1 = soup.find("h1")
    if h1 is not None:
        for a in h1.find_all("a", class_="anchor-link"):
            a.decompose()
        text = h1.get_text(" ", strip=True)
        if not title or text == title:
            title = text
            nxt = h1.find_next_sibling()
            if nxt is not None and nxt.name == "p" and re.match(r"\s*(参数|Parameters)\s*[:：]", nxt.get_text()):
                nxt.decompose()
            h1.decompose()
    for a in soup.find_all("a", class_="anchor-link"):
        a.decompose()
    for img in soup.find_all("img"):
        if "alt" not in img.attrs:
            img["alt"] = NO_ALT
    nowrap = nowrap_ids(soup)
    for i, table in enumerate(soup.find_all("table")):
        table["data-ipc-table"] = str(i)
        drop_table_whitespace(table)
        first_row = table.find("tr")
        many = first_row is not None and len(first_row.find_all(("th", "td"))) >= 7
        if many:
            table["class"] = [*table.get("class", []), "ipc-narrow"]  # many columns: smaller type from the start
        plan_table(soup, table, "ipc-narrow" if many else "", nowrap)
    # Pandas right-aligns every cell; words read better left-aligned, numbers stay right-aligned. By class, and
    # without pandas' per-cell ids, so that WeasyPrint styles the cells of a table once (lean_html).
    share_cell_styles(soup, [td for td in soup.find_all("td") if not _NUMERIC.match(td.get_text(strip=True))],
                      nowrap)
    _keep_figures_with_their_text(soup)
    en = block.lang == "en"
    title = title or ("Report" if en else "报告")
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in block.rows)
    header = (
        '<header class="report-title">'
        f'<p class="kicker">{html.escape(block.kicker or _KICKER[block.lang])}</p>'
        f"<h1>{html.escape(title)}</h1>"
        f'<table class="report-meta">{rows}</table>'
        "</header>"
    )
    pages = ('"Page " counter(page) " of " counter(pages)' if en
             else '"第 " counter(page) " 页 / 共 " counter(pages) " 页"')
    page_css = (f"@page {{ @bottom-left {{ content: {_css_string(block.footer)}; }} "
                f"@bottom-right {{ content: {pages}; }} {_margin_box_widths(title, block.footer, en)}}}")
    subject = block.subject or block.kicker or _KICKER[block.lang]
    keywords = ", ".join(dict.fromkeys([*block.keywords, *_KEYWORDS]))
    return (
        f'<!DOCTYPE html>\n<html lang="{"en" if en else "zh-CN"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        '<meta name="generator" content="ipcompare">'
        f'<meta name="author" content="{html.escape(block.author)}">'
        f'<meta name="description" content="{html.escape(subject)}">'
        f'<meta name="keywords" content="{html.escape(keywords)}">'
        f"<style>{page_css}</style>"
        f"</head><body>{header}<main>{soup}</main></body></html>"
    )


def _keep_figures_with_their_text(soup) -> None:
    """Wrap each figure with the short text output just before it (its lead sentence) in an unbreakable block."""
    # The areas that hold a figure, found from the figures up: searching every area's subtree for one walked
    # every cell of every table.
    areas = []
    for figure in soup.find_all(class_=("output_png", "output_jpeg", "output_svg")):
        area = figure.find_parent("div", class_="output_area")
        if area is not None and not any(a is area for a in areas):
            areas.append(area)
    for img_area in areas:
        prev = img_area.find_previous_sibling("div")
        if prev is None or "output_area" not in prev.get("class", []) or prev.find("table") is not None \
                or len(prev.get_text(strip=True)) > 400:
            continue
        group = [prev, img_area]
        head = prev.find_previous_sibling("div")
        if head is not None and "output_area" in head.get("class", []) and head.find(("h1", "h2", "h3", "h4")) \
                and len(head.get_text(strip=True)) < 80:
            group.insert(0, head)  # and the heading above the sentence
        wrapper = soup.new_tag("div", attrs={"class": "ipc-keep"})
        group[0].insert_before(wrapper)
        for part in group:
            wrapper.append(part.extract())


def _margin_box_widths(title: str, footer: str, en: bool) -> str:
    """Widths for the running heads' and feet's left and right boxes when each text fits its box on one line.

    With ``width: auto`` WeasyPrint sizes the two boxes of a side from their texts' max- and min-content widths,
    laid out through Pango on every page (the min-content of a Chinese title one character per line): about
    2 % of the PDF step. A left text in the left ``_LEFT_SHARE`` of the line and a right one in the rest print
    exactly where the automatic widths put them — flush left, flush right, one line; a side where either text
    might not fit keeps the automatic widths."""
    from ipcompare.report.table_widths import CONTENT_WIDTH_PT, text_width

    def fits(left: str, right: str) -> bool:
        return text_width(left, _MARGIN_PT) + _MARGIN_SLACK_PT <= _LEFT_SHARE * CONTENT_WIDTH_PT \
            and text_width(right, _MARGIN_PT) + _MARGIN_SLACK_PT <= (1 - _LEFT_SHARE) * CONTENT_WIDTH_PT

    left, right = f"{_LEFT_SHARE:.0%}", f"{1 - _LEFT_SHARE:.0%}"
    widest_pages = "Page 9999 of 9999" if en else "第 9999 页 / 共 9999 页"
    return "".join(f"@{side}-left {{ width: {left}; }} @{side}-right {{ width: {right}; }} "
                   for side, texts in (("top", (title, "ipcompare")), ("bottom", (footer, widest_pages)))
                   if fits(*texts))


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    out = "".join(c if c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} " for c in text)
    return f'"{out}"'

def _copy(nb):
    import copy

    return copy.deepcopy(nb)
