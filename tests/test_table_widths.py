"""Report tables laid out with column widths measured from the font (ipcompare/report/table_widths.py)."""

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from ipcompare.report import pdf
from ipcompare.report.pdf import html_to_pdf
from ipcompare.report.table_widths import (
    CELL_PADDING_PT,
    CONTENT_WIDTH_PT,
    SHORT_EM,
    TYPE_LADDER,
    cell_widths,
    column_widths,
    nowrap_ids,
    plan_table,
    text_width,
)


def _cell(html: str):
    return BeautifulSoup(f"<table><tr><td>{html}</td></tr></table>", "html.parser").td


def test_text_width_from_the_fonts_advances():
    assert text_width("知识产权", 10) == pytest.approx(40)  # every hanzi is one em
    assert text_width("（力争）", 10) == pytest.approx(40)  # full-width brackets too
    assert text_width("2025", 10) == pytest.approx(4 * 5.55)  # tabular digits of Noto Sans SC
    assert text_width("14,653件", 10) > text_width("14653件", 10)
    # Outside the core font (CJK extension B): a wide character counts as one em, never as nothing.
    assert text_width("𠀀", 10) == pytest.approx(10)


def test_cell_widths_lines_spaces_and_nowrap():
    size = 8.5
    lo, hi = cell_widths(_cell("存量"), size)
    assert lo == hi == pytest.approx(2 * size + CELL_PADDING_PT)  # a short label is never wrapped
    lo, hi = cell_widths(_cell("到2025年，每万人口高价值发明专利拥有量达到11.5件"), size)
    assert lo == pytest.approx(SHORT_EM * size + CELL_PADDING_PT) and hi > lo  # long text wraps within 8 em
    lo, hi = cell_widths(_cell("到2025年，每万人口高价值发明专利拥有量达到11.5件"), size, nowrap=True)
    assert lo == hi  # a nowrap cell keeps its width
    # <br> breaks the line, runs of white space collapse to one space, as CSS white-space: normal prints them.
    assert cell_widths(_cell("郑州<br/>苏州市"), size)[1] == pytest.approx(3 * size + CELL_PADDING_PT)
    assert cell_widths(_cell("a \n\t  b"), size)[1] == pytest.approx(text_width("a b", size) + CELL_PADDING_PT)


def test_column_widths_follow_automatic_layout():
    assert column_widths([20, 30], [50, 60], 200) == [50, 60]  # fits: every column at its max-content
    w = column_widths([20, 30], [120, 60], 100)  # squeezed: min + a share of (max - min)
    assert sum(w) == pytest.approx(100) and w[0] - 20 == pytest.approx((w[1] - 30) * 100 / 30)
    assert column_widths([60, 60], [80, 80], 100) is None  # not even the minimums fit


@given(st.lists(st.tuples(st.floats(1, 300), st.floats(0, 300)), min_size=1, max_size=12), st.floats(50, 600))
def test_column_widths_properties(cols, available):
    mins = [m for m, _ in cols]
    maxs = [m + extra for m, extra in cols]
    w = column_widths(mins, maxs, available)
    if sum(mins) > available:
        assert w is None
        return
    assert w is not None and sum(w) <= available * (1 + 1e-9)
    assert all(lo - 1e-9 <= x <= hi + 1e-9 for x, lo, hi in zip(w, mins, maxs, strict=True))
    if sum(maxs) > available:
        assert sum(w) == pytest.approx(available)


def test_nowrap_ids_from_pandas_styler_rules():
    soup = BeautifulSoup("<style>#T_a_row0_col1, #T_a_row1_col1 { white-space: nowrap; }\n"
                         "#T_a_row0_col2 { white-space: pre-wrap; } #T_a_row0_col3 { color: red }</style>",
                         "html.parser")
    assert nowrap_ids(soup) == {"T_a_row0_col1", "T_a_row1_col1"}
    # A cell's own nowrap style keeps the cell's width too.
    long = "到2025年，每万人口高价值发明专利拥有量达到11.5件"
    table = BeautifulSoup(_table([[f'<span>{long}</span>', "说明" * 200]]).replace("<td><span>", '<td style="white-space:nowrap"><span>'),
                          "html.parser")
    assert plan_table(table, table.table)
    first = float(re.search(r"width: ([\d.]+)pt", str(table.find("col"))).group(1))
    assert first == pytest.approx(cell_widths(_cell(long), 8.5)[1] + 0.5, abs=0.01)


def _table(rows: list[list[str]], head: list[str] | None = None) -> str:
    head_html = "".join(f"<th>{h}</th>" for h in head or [])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<table data-ipc-table="0"><thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>'
            if head else f'<table data-ipc-table="0"><tbody>{body}</tbody></table>')


def test_plan_table_sets_fixed_widths_or_leaves_the_table_alone():
    soup = BeautifulSoup(_table([["郑州市", "11.5件/万人 (2025)"]], ["城市", "目标"]), "html.parser")
    assert plan_table(soup, soup.table)
    assert "ipc-fixed" in soup.table["class"] and len(soup.find_all("col")) == 2
    assert float(re.search(r"[\d.]+", soup.table["style"]).group()) < CONTENT_WIDTH_PT  # shrinks to its content
    # Not a plain grid: automatic layout stays.
    spans = BeautifulSoup('<table><tr><th colspan="2">指标</th></tr><tr><td>a</td><td>b</td></tr></table>',
                          "html.parser")
    assert not plan_table(spans, spans.table) and spans.find("col") is None
    # Too wide even at the smallest type: automatic layout stays, and the page-width check decides.
    wide = BeautifulSoup(_table([["1,234,567.89"] * 40]), "html.parser")
    assert not plan_table(wide, wide.table) and "ipc-fixed" not in wide.table.get("class", [])
    # Too wide at 8.5 pt, fits one step down the ladder.
    nine = BeautifulSoup(_table([["知识产权质押"] * 9]), "html.parser")
    assert plan_table(nine, nine.table) and TYPE_LADDER[1][0] in nine.table["class"]


def _cells_lines(document) -> list[tuple[str, int]]:
    """(text, number of lines) of every table cell in a rendered document."""
    out = []
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            b = stack.pop()
            if type(b).__name__ == "TableCellBox":
                lines = [c for c in b.children if type(c).__name__ == "LineBox"]
                out.append(("".join(t.text for line in lines for t in _texts(line)), len(lines)))
                continue
            stack.extend(getattr(b, "children", []))
    return out


def _texts(box):
    if type(box).__name__ == "TextBox":
        yield box
    for c in getattr(box, "children", []):
        yield from _texts(c)


def _render(doc_html: str):
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    css = weasyprint.CSS(string=pdf.stylesheet(), font_config=fc)
    return weasyprint.HTML(string=doc_html).render(stylesheets=[css], font_config=fc)


def test_measured_widths_are_never_narrower_than_printed():
    """A table that fits at max-content prints every cell on one line: the measure is not below WeasyPrint's."""
    cells = ["每万人口高价值发明专利拥有量", "1.4653万件（力争）¹", "≥7.5% (2025)", "2022–2025年新增",
             "official_press", "Zhengzhou", "WWW MMM", "郑州市 (2021-12, mirror)", "+0.9%/年", "约83分"]
    soup = BeautifulSoup(f'<html lang="zh-CN"><body>{_table([cells[:5], cells[5:]])}</body></html>', "html.parser")
    assert plan_table(soup, soup.table)
    printed = _cells_lines(_render(str(soup)))
    assert len(printed) == 10 and all(n == 1 for _, n in printed), printed


def test_text_that_will_not_wrap_sends_the_table_back_to_automatic_layout(tmp_path):
    # A nowrap inside the cell, which the measure does not read: squeezed to 8 em, the text would run over the
    # next column.
    long = "知识产权质押融资登记金额年度累计目标值"
    doc = (f'<html lang="zh-CN"><body><table data-ipc-table="0"><tbody><tr><td><span style="white-space: nowrap">'
           f'{long}</span></td><td>{"说明文字" * 60}</td></tr></tbody></table></body></html>')
    soup = BeautifulSoup(doc, "html.parser")
    assert plan_table(soup, soup.table)
    planned = str(soup)
    assert pdf._overflowing_cells(_render(planned)) == {"0"}
    automatic = pdf._automatic_layout(planned, {"0"})
    assert "ipc-fixed" not in automatic and "<col" not in automatic
    assert pdf._overflowing_cells(_render(automatic)) == set()
    assert [n for t, n in _cells_lines(_render(automatic)) if t == long] == [1]  # WeasyPrint widened the column
    assert html_to_pdf(planned, tmp_path / "x.pdf").layouts == 2  # and html_to_pdf does this by itself
    assert (tmp_path / "x.pdf").stat().st_size > 0


def test_constants_match_the_stylesheet():
    """The measure assumes report.css's page margins, cell padding and table type sizes: they must agree."""
    css = pdf.stylesheet()
    margin = re.search(r"@page \{[^}]*?margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm", css)
    assert (210 - float(margin.group(2)) - float(margin.group(4))) * 72 / 25.4 == pytest.approx(CONTENT_WIDTH_PT)
    assert "size: A4;" in css
    pad = re.search(r"th, td \{ padding: [\d.]+pt ([\d.]+)pt;", css)
    assert 2 * float(pad.group(1)) == pytest.approx(CELL_PADDING_PT)
    sizes = {"": re.search(r"\ntable \{[^}]*?font-size: ([\d.]+)pt", css).group(1)}
    for cls, _ in TYPE_LADDER[1:]:
        sizes[cls] = re.search(rf"table\.{cls} \{{ font-size: ([\d.]+)pt", css).group(1)
    assert [(cls, float(sizes[cls])) for cls, _ in TYPE_LADDER] == TYPE_LADDER


def test_a_long_source_url_wraps_inside_the_margin(tmp_path):
    # Zhengzhou's GDP source: a percent-encoded Chinese title, one unbroken string of 300 characters, ran past
    # the right margin of the profile's page 3 and was cut off in print.
    from ipcompare.report.pdf import html_to_pdf

    url = "https://www.stheadline.com/zh-hans/realtime-china/3548371/" + "%E5%85%A8%E5%9B%BD2025%E5%B9%B4GDP" * 8
    page = (f'<html lang="zh"><head><title>t</title></head><body><p>分母：GDP 2025 (reported; city_stats.csv#35; '
            f'<a href="{url}">{url}</a>)</p></body></html>')
    info = html_to_pdf(page, tmp_path / "url.pdf")
    assert info.warnings == []


def test_text_past_the_margin_is_reported(tmp_path):
    from ipcompare.report.pdf import html_to_pdf

    page = ('<html lang="zh"><head><title>t</title></head><body><p style="white-space: nowrap">'
            + "知识产权质押融资金额" * 20 + "</p></body></html>")
    info = html_to_pdf(page, tmp_path / "nowrap.pdf")
    assert info.warnings == ["text runs past the right margin on page(s) 1"]
