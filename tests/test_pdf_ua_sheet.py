"""WeasyPrint's user-agent sheet without its bare pseudo-element rules (ipcompare/report/ua_sheet.py), and the
collector paused while a report renders (ipcompare/report/pdf.py)."""

from __future__ import annotations

import gc
from collections import Counter

import pytest
import weasyprint
from pypdf import PdfReader
from weasyprint import html as wp_html
from weasyprint.css import StyleFor

from ipcompare.report import pdf, ua_sheet
from ipcompare.report.pdf import html_to_pdf
from ipcompare.report.ua_sheet import html_class, lean_ua_css, needs_full_sheet

_BARE = ["::marker", "::footnote-call", "::footnote-marker", "::note-call", "::note-marker", "::note-callback"]

_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>苏州</title></head><body>
<h2>要点</h2><ol><li>苏州市：每万人口高价值发明专利拥有量 <q>32件</q></li><li>进展：未实现<br>见下表</li></ol>
<ul><li>临海市</li></ul>
<table><thead><tr><th>指标</th><th>数值</th></tr></thead><tbody>{rows}</tbody></table></body></html>"""


def _page(n: int = 30) -> str:
    return _PAGE.format(rows="".join(f"<tr><td>知识产权质押融资金额</td><td>{i}.5亿元</td></tr>" for i in range(n)))


def test_the_real_ua_sheet_loses_only_the_bare_pseudo_element_rules():
    lean = lean_ua_css(wp_html.UA)
    assert lean is not None
    ua_lines = wp_html.UA.splitlines()
    lean_lines = lean.splitlines()
    assert len(ua_lines) == len(lean_lines)  # dropped rules leave an empty line
    changed = [(a, b) for a, b in zip(ua_lines, lean_lines, strict=True) if a != b]
    assert sorted(a.split(" ")[0] for a, _ in changed) == sorted(_BARE)
    assert [b for _, b in changed if b] == [ua_lines[ua_lines.index(a)].replace("::marker", "li::marker", 1)
                                            for a, _ in changed if a.startswith("::marker")]


@pytest.mark.parametrize("css", ["", "li { color: red }", "::marker { color: red }\n::footnote-call { a: b }"])
def test_a_sheet_without_the_expected_rules_is_not_rewritten(css):
    assert lean_ua_css(css) is None


@pytest.mark.parametrize("text, full", [
    ('<span style="float: footnote">注</span>', True),
    ('<p style="position: NOTE()">注</p>', True),
    ("<div style='display: List-Item'>一</div>", True),
    (_page(), False),
])
def test_pages_that_may_need_a_dropped_rule_keep_weasyprints_sheet(text, full):
    assert needs_full_sheet(text, "td { color: red }") is full


def _pseudo_styles(html_cls, page: str, monkeypatch) -> Counter:
    seen: Counter = Counter()
    original = StyleFor.set_computed_styles

    def spy(self, element, parent, root=None, pseudo_type=None, **kw):
        if pseudo_type and not str(pseudo_type).startswith("@"):  # margin boxes are pages' pseudo-elements
            seen[(getattr(element, "tag", None), pseudo_type)] += 1
        return original(self, element, parent, root, pseudo_type, **kw)

    monkeypatch.setattr(StyleFor, "set_computed_styles", spy)
    html_cls(string=page).render()
    return seen


def test_only_list_items_get_a_marker_style(monkeypatch):
    """WeasyPrint's own sheet gives each of the page's elements six pseudo-element styles; the lean one gives
    the list items their ::marker and, for <q> and <br>, the ::before/::after its tag rules ask for."""
    page = _page()
    full = _pseudo_styles(weasyprint.HTML, page, monkeypatch)
    lean = _pseudo_styles(html_class(), page, monkeypatch)
    assert full[("td", "footnote-call")] == 60
    assert set(lean) == {("li", "marker"), ("q", "before"), ("q", "after"), ("br", "before")}
    assert lean[("li", "marker")] == 3


def test_same_pdf_with_either_sheet():
    page = _page(80)  # more than a page
    ours = html_class()(string=page).render()
    theirs = weasyprint.HTML(string=page).render()
    assert len(ours.pages) == len(theirs.pages) > 1
    assert ours.write_pdf() == theirs.write_pdf()


def test_a_page_with_a_footnote_still_gets_its_call_and_marker(tmp_path):
    page = _page(3).replace("</ol>", '</ol><p>质押融资<span style="float: footnote">含专利与商标</span>。</p>')
    info = html_to_pdf(page, tmp_path / "note.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "note.pdf").pages)
    assert info.pages == 1 and "含专利与商标" in text and "质押融资1" in text.replace(" ", "")


def test_another_weasyprint_keeps_its_own_sheet(monkeypatch):
    monkeypatch.setattr(wp_html, "UA", "p { margin: 0 }")
    html_class.cache_clear()
    try:
        assert html_class() is weasyprint.HTML
    finally:
        monkeypatch.undo()
        html_class.cache_clear()
    assert html_class() is not weasyprint.HTML


def test_the_collector_is_paused_while_a_report_renders_and_resumes_after(tmp_path, monkeypatch):
    states = []
    lay_out = ua_sheet.html_class()

    class Spy(lay_out):
        def render(self, *a, **kw):
            states.append(gc.isenabled())
            return super().render(*a, **kw)

    monkeypatch.setattr(ua_sheet, "html_class", lambda: Spy)
    assert gc.isenabled()
    html_to_pdf(_page(3), tmp_path / "a.pdf")
    assert states == [False] and gc.isenabled()
    gc.disable()  # a caller that paused it itself finds it paused still
    try:
        pdf.html_to_pdf(_page(3), tmp_path / "b.pdf")
        assert not gc.isenabled()
    finally:
        gc.enable()
