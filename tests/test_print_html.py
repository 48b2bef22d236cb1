"""Executed notebook → print HTML (ipcompare/report/print_html.py): nbconvert's page, parsed once."""

from __future__ import annotations

import base64
import io

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from PIL import Image

from ipcompare.report import print_html
from ipcompare.report.print_html import NO_ALT, TitleBlock, notebook_to_html


def _png() -> str:
    buf = io.BytesIO()
    Image.new("RGB", (8, 4), (29, 78, 137)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def _notebook():
    outputs = [
        new_output("display_data", data={"text/markdown": "## 一、与可比城市比较\n\n**每万人口高价值发明专利拥有量** 32件"}),
        new_output("display_data", data={"text/html": "<table><tr><td>苏州市</td><td>32</td></tr></table>",
                                         "text/plain": "table"}),
        new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"},
                   metadata={"image/png": {"width": 770, "height": 418}}),
        new_output("stream", name="stdout", text="到2025年 <达到> 11.5件\n"),
        new_output("execute_result", data={"text/plain": "14653 ÷ 11.5 ≈ 1274万"}, execution_count=3),
    ]
    cells = [new_markdown_cell("# 如何使用\n\n用法说明"),
             new_code_cell("city = 'suzhou'", metadata={"tags": ["parameters"]}),
             new_code_cell("title()", outputs=[new_output("display_data",
                                                          data={"text/markdown": "# 苏州市知识产权规划"})]),
             new_code_cell("show()", outputs=outputs),
             new_markdown_cell("注：数据来自 `data/tidy`。\n\n```python\nipcompare.load()\n```")]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"  # not random, so that two conversions compare
    nb = new_notebook(cells=cells, metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    return nbformat.from_dict(nb)


def test_print_exporter_gives_nbconverts_page_less_the_alt_text():
    """Our exporter is HTMLExporter's from_notebook_node less its BeautifulSoup pass; if a new nbconvert
    changes that method, this shows how."""
    opts = {"template_name": "basic", "exclude_input": True, "exclude_input_prompt": True,
            "exclude_output_prompt": True, "language_code": "zh"}
    theirs, _ = HTMLExporter(**opts).from_notebook_node(_notebook())
    ours, _ = print_html._print_exporter_class()(**opts).from_notebook_node(_notebook())
    assert "No description" not in ours  # no second pass
    soup = BeautifulSoup(ours, "html.parser")
    for img in soup.find_all("img"):
        img["alt"] = NO_ALT
    assert str(soup) == theirs


def test_report_page_has_one_title_alt_text_and_no_code():
    page = notebook_to_html(_notebook(), TitleBlock(rows=[("数据版本 Dataset", "data-1")]))
    soup = BeautifulSoup(page, "html.parser")
    assert [h.get_text() for h in soup.find_all("h1")] == ["苏州市知识产权规划"]  # moved into the title block
    assert "如何使用" not in page and "用法说明" not in page and "city = " not in page and "show()" not in page
    assert [img["alt"] for img in soup.find_all("img")] == [NO_ALT]
    assert "32件" in page and "11.5件" in page and "1274万" in page
    assert soup.find("a", class_="anchor-link") is None
    assert "ipcompare.load()" in soup.get_text()  # a code block in markdown is the text of the report, not code


def _page_rules(page: str) -> str:
    return BeautifulSoup(page, "html.parser").head.style.get_text()


def test_running_heads_get_fixed_widths_when_their_texts_fit():
    """Fails before _margin_box_widths: WeasyPrint measured both boxes' texts on every page to size them."""
    block = TitleBlock(title="苏州市知识产权规划量化目标概况", footer="ipcompare · 数据版本 data-2026.12 · 2026-12-01")
    rules = _page_rules(notebook_to_html(_notebook(), block))
    assert "@top-left { width: 80%; } @top-right { width: 20%; }" in rules
    assert "@bottom-left { width: 80%; } @bottom-right { width: 20%; }" in rules


def test_a_text_that_might_not_fit_its_box_keeps_automatic_widths():
    block = TitleBlock(title="知识产权" * 30, footer="ipcompare", lang="en")  # 120 characters: two lines
    rules = _page_rules(notebook_to_html(_notebook(), block))
    assert "@top-left { width" not in rules and "@bottom-left { width: 80%; }" in rules


def test_fixed_widths_print_the_heads_where_automatic_ones_did(tmp_path):
    from ipcompare.report.pdf import html_to_pdf

    block = TitleBlock(title="郑州市知识产权强市建设规划（2022–2025年）", footer="ipcompare · 数据版本 data-x · 2026-12-01")
    nb = _notebook()
    nb.cells.append(new_markdown_cell("\n\n".join(["到2025年，每万人口高价值发明专利拥有量达到11.5件。"] * 60)))
    page = notebook_to_html(nb, block)
    auto = page.replace(print_html._margin_box_widths(block.title or "", block.footer, False), "")
    assert auto != page
    assert html_to_pdf(page, tmp_path / "fixed.pdf").pages > 1  # the first page has no running head
    html_to_pdf(auto, tmp_path / "auto.pdf")
    assert (tmp_path / "fixed.pdf").read_bytes() == (tmp_path / "auto.pdf").read_bytes()
