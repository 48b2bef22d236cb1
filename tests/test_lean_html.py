"""Report tables styled once per kind of cell (ipcompare/report/lean_html.py): classes instead of pandas' per-cell
ids and inline styles, with the same alignment and wrapping in the PDF."""

from __future__ import annotations

import nbformat
import pandas as pd
import weasyprint
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook, new_output

from ipcompare.report.lean_html import NOWRAP_CLASS, TEXT_CLASS, drop_table_whitespace, needed_ids, share_cell_styles
from ipcompare.report.pdf import TitleBlock, _shared_styles, notebook_to_html

QUOTE = "到2025年，每万人口高价值发明专利拥有量达到11.5件"


def _styled_table() -> str:
    """A table as the report notebooks display it (``table()`` in notebooks/city_profile.ipynb)."""
    df = pd.DataFrame({"指标": ["每万人口高价值发明专利拥有量", "知识产权质押融资金额", "PCT国际专利申请量"],
                       "口径": ["存量", "2021–2025年累计", "年度"], "数值": ["11.5", "≥200亿元", "1200件"],
                       "原文": [QUOTE, "突破200亿元", "PCT国际专利申请量达到1200件"]})
    return df.style.hide(axis="index").set_properties(subset=["口径", "数值"], **{"white-space": "nowrap"}).to_html()


def _notebook(*html: str):
    cells = [new_code_cell("city = 'zhengzhou'", metadata={"tags": ["parameters"]}),
             new_code_cell("table(df)", outputs=[new_output("display_data", data={"text/html": h}) for h in html])]
    return nbformat.from_dict(new_notebook(cells=cells))


def test_report_cells_carry_classes_not_ids_or_inline_styles():
    """Fails before lean_html: every cell had pandas' id, every text cell an inline ``text-align``."""
    soup = BeautifulSoup(notebook_to_html(_notebook(_styled_table()), TitleBlock(title="t")), "html.parser")
    cells = soup.select("main table td")
    assert len(cells) == 12
    assert all(c.get("id") is None and c.get("style") is None for c in cells)
    assert all(c.get("id") is None for c in soup.select("main table th"))
    by_text = {c.get_text(strip=True): c.get("class", []) for c in cells}
    assert TEXT_CLASS in by_text["每万人口高价值发明专利拥有量"] and TEXT_CLASS in by_text[QUOTE]
    assert TEXT_CLASS not in by_text["11.5"]  # numbers stay right-aligned
    assert NOWRAP_CLASS in by_text["存量"] and NOWRAP_CLASS in by_text["≥200亿元"]
    assert NOWRAP_CLASS not in by_text[QUOTE]


def _cell_boxes(document) -> dict[str, object]:
    boxes, stack = {}, [p._page_box for p in document.pages]
    while stack:
        b = stack.pop()
        if type(b).__name__ == "TableCellBox" and b.element.tag == "td":
            boxes["".join(b.element.itertext()).strip()] = b
        stack.extend(getattr(b, "children", []))
    return boxes


def test_cells_print_aligned_and_wrapped_as_pandas_and_pdf_py_asked_and_share_styles():
    fc, css = _shared_styles()
    plain = pd.DataFrame({"城市": ["郑州市"], "目标": [14653]}).to_html(index=False)  # class="dataframe"
    page = notebook_to_html(_notebook(_styled_table(), plain), TitleBlock(title="t"))
    cells = _cell_boxes(weasyprint.HTML(string=page).render(stylesheets=[css], font_config=fc))
    assert cells["每万人口高价值发明专利拥有量"].style["text_align_all"] == "left"
    assert cells["郑州市"].style["text_align_all"] == "left"  # words left, over report.css's .dataframe td
    assert cells["14653"].style["text_align_all"] == "right"  # numbers as pandas set them
    assert cells["2021–2025年累计"].style["white_space"] == "nowrap"
    assert cells[QUOTE].style["white_space"] == "normal"
    # The point of it: cells of a kind share one computed style (before: one per cell, as each had an id);
    # rows 1 and 3, as even rows have a background of their own.
    assert cells["存量"].style is cells["年度"].style


def test_ids_something_refers_to_are_kept():
    html = ('<style>#T_a_row0_col1, #T_a_row1_col1 { white-space: nowrap; }\n#T_a_row0_col2 { color: red }</style>'
            '<style>@media print { #T_a_row1_col2 { color: blue } }</style><a href="#T_a_row1_col0">see</a>'
            '<table><tr><td id="T_a_row0_col1">a</td><td id="T_a_row0_col2">b</td></tr>'
            '<tr><td id="T_a_row1_col0">c</td><td id="T_a_row1_col1">d</td><td id="T_a_row1_col2">e</td></tr></table>')
    soup = BeautifulSoup(html, "html.parser")
    assert needed_ids(soup) == {"T_a_row0_col2", "T_a_row1_col0", "T_a_row1_col2"}
    share_cell_styles(soup, [], {"T_a_row0_col1", "T_a_row1_col1"})
    assert [td.get("id") for td in soup.find_all("td")] == [None, "T_a_row0_col2", "T_a_row1_col0", None,
                                                            "T_a_row1_col2"]
    assert [NOWRAP_CLASS in td.get("class", []) for td in soup.find_all("td")] == [True, False, False, True, False]
    # The nowrap rule named only ids that are gone: dropped; the rule with a kept id and the @media block stay.
    assert [s.get_text() for s in soup.find_all("style")] == ["\n#T_a_row0_col2 { color: red }\n",
                                                              "@media print { #T_a_row1_col2 { color: blue } }"]


def test_pandas_style_blocks_that_name_only_dropped_ids_leave_the_page():
    """Fails before drop_dead_rules: pandas' <style> listing every nowrap cell stayed, for WeasyPrint to parse."""
    page = notebook_to_html(_notebook(_styled_table(), _styled_table()), TitleBlock(title="t"))
    main = BeautifulSoup(page, "html.parser").find("main")
    assert main.find("style") is None and "#T_" not in str(main)
    assert len(main.find_all("td", class_=NOWRAP_CLASS)) == 12


def test_rules_the_pattern_cannot_read_whole_or_that_style_more_than_ids_stay():
    css = ["/* {x} */ #T_b_row0_col0 { white-space: nowrap }", "#T_b_row0_col0 td { white-space: nowrap }",
           "#T_b_row0_col0, .note { white-space: nowrap }"]
    soup = BeautifulSoup("".join(f"<style>{c}</style>" for c in css) + "<table><tr><td>x</td></tr></table>",
                         "html.parser")
    share_cell_styles(soup, [], set())
    assert [s.get_text() for s in soup.find_all("style")] == css


def test_white_space_between_table_parts_goes_and_inside_cells_stays():
    html = ("<table>\n<caption> 表 1 </caption>\n<colgroup>\n<col>\n</colgroup>\n<thead>\n<tr>\n<th> 城市 </th>\n"
            "</tr>\n</thead>\n<tbody>\n<tr>\n<td>郑州市 <b>32</b> 件</td>\n<td><pre> 1 \n 2 </pre></td>\n</tr>\n"
            "</tbody>\n</table>")
    soup = BeautifulSoup(html, "html.parser")
    drop_table_whitespace(soup.table)
    assert str(soup) == ("<table><caption> 表 1 </caption><colgroup><col/></colgroup><thead><tr><th> 城市 </th></tr>"
                         "</thead><tbody><tr><td>郑州市 <b>32</b> 件</td><td><pre> 1 \n 2 </pre></td></tr></tbody>"
                         "</table>")


def test_report_tables_carry_no_white_space_between_rows_and_cells():
    """Fails before drop_table_whitespace: pandas' line breaks between rows and cells reached WeasyPrint."""
    page = notebook_to_html(_notebook(_styled_table()), TitleBlock(title="t"))
    main = page[page.index("<main>"):]
    table = main[main.index("<table"):main.index("</table>")]
    assert "\n<t" not in table and "\n</t" not in table and table.count("<td") == 12
