"""The Excel workbook: every cell equals its table's value, text stays text, the look is kept, the bytes repeat.

Read back with openpyxl (what ``pd.read_excel`` uses), against the committed tables with Chinese edge cases
written into them: quotes that look like a formula, a number, a URL, a boolean; leading spaces, line breaks,
OCR garbage. Also the workbook written in a forked child (``ipcompare.workbook_job``, as ``ipcompare build``
does) against the same function in-process.
"""

import io
import os
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ipcompare.codebook import codebook_zh
from ipcompare.columns import TABLE_ORDER
from ipcompare.registry import load_registry
from ipcompare.workbook import xlsx_bytes
from ipcompare.workbook_job import FORK_FROM_CELLS, WorkbookError, forks, workbook_job

TIDY = Path(__file__).resolve().parent.parent / "data" / "tidy"

# Text a spreadsheet program would like to reinterpret; each must come back as the same string.
TRICKY = ["=SUM(A1:A3)", "11.5", "-3", "2025", "TRUE", "https://www.gov.cn/zhengce/content/2021-09/22/content_5638714.htm",
          "{=A1}", "@每万人口", "  到2025年，前导空格", "第一行\n第二行", "超UOo名", "知识产权质押融资金额突破25亿元", "0012"]


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def tables():
    out = {n: pd.read_parquet(TIDY / f"{n}.parquet") for n in TABLE_ORDER}
    st_ = out["statements"].copy()
    st_.loc[: len(TRICKY) - 1, "quote"] = TRICKY
    st_.loc[: len(TRICKY) - 1, "note"] = list(reversed(TRICKY))
    out["statements"] = st_
    return out


@pytest.fixture(scope="module")
def workbook(tables, registry):
    return xlsx_bytes(tables, TABLE_ORDER, registry, "data-test")


@pytest.fixture(scope="module")
def book(workbook):
    return load_workbook(io.BytesIO(workbook))


def _expected(v: object) -> object:
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def _width(v: object) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in ("" if v is None else str(v)))


def test_every_cell_equals_its_table_value_with_its_type(tables, book):
    wb = book
    assert wb.sheetnames == ["README", *TABLE_ORDER]
    zh = codebook_zh()["columns"]
    for name in TABLE_ORDER:
        df, ws = tables[name], wb[name]
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == list(df.columns)
        assert list(rows[1]) == [zh.get(c, {}).get("zh", c) for c in df.columns]
        assert len(rows) == len(df) + 2
        for col_idx, col in enumerate(df.columns):
            got = [r[col_idx] for r in rows[2:]]
            want = [_expected(v) for v in df[col].tolist()]
            for g, w in zip(got, want, strict=True):
                if isinstance(w, float):
                    # XlsxWriter writes 16 significant digits (Excel shows 15): 33.333333333333336 reads back
                    # as 33.33333333333334, one unit in the last place away.
                    assert isinstance(g, (int, float)) and g == pytest.approx(w, rel=1e-15, abs=0), (name, col)
                else:
                    assert g == w and type(g) is type(w), (name, col, g, w)


def test_text_that_looks_like_a_formula_number_or_link_stays_text(book):
    ws = book["statements"]
    header = [c.value for c in ws[1]]
    q = header.index("quote") + 1
    cells = [ws.cell(row=3 + i, column=q) for i in range(len(TRICKY))]
    assert [c.value for c in cells] == TRICKY
    assert {c.data_type for c in cells} == {"s"}  # no formula ("f"), number ("n") or bool ("b")
    assert not any(c.hyperlink for c in cells)


def test_headers_bold_and_shaded_frozen_filtered_and_widths_fitted(tables, book):
    wb = book
    for name in TABLE_ORDER:
        ws, df = wb[name], tables[name]
        for cell in [*ws[1], *ws[2]]:
            assert cell.font.b and cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == "FFDDE6F0"
        if len(df):
            assert not ws.cell(row=3, column=1).font.b and ws.cell(row=3, column=1).fill.fill_type is None
        assert ws.freeze_panes == "A3"
        assert ws.auto_filter.ref == f"A2:{get_column_letter(len(df.columns))}{len(df) + 2}"
        zh = codebook_zh()["columns"]
        widths = _widths(ws)
        for j, col in enumerate(df.columns):
            # Fitted to the first 200 rows of the sheet (the two header rows and 198 data rows), capped at 60.
            sample = [col, zh.get(col, {}).get("zh", col), *df[col].head(198).tolist()]
            fitted = max(_width(_expected(v)) for v in sample)
            assert widths[j + 1] == min(max(fitted + 2, 6), 60), (name, col)


def _widths(ws) -> dict[int, float]:
    """Each column's width; openpyxl keeps neighbouring columns of one width as one entry (min..max)."""
    return {i: d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}


def test_readme_sheet_names_the_version_and_is_frozen_below_its_header(book):
    ws = book["README"]
    assert ws["A2"].value == "Dataset version 数据版本: data-test"
    assert ws["A1"].font.b and ws["A9"].font.b and ws["B3"].alignment.wrap_text
    assert ws.freeze_panes == "A10"


def test_same_bytes_every_time_and_from_the_forked_child(tables, registry, workbook):
    assert xlsx_bytes(tables, TABLE_ORDER, registry, lambda: "data-test") == workbook
    with workbook_job(tables, TABLE_ORDER, registry, concurrent=True) as finish:
        assert finish("data-test") == workbook


def test_the_default_is_a_forked_child_on_linux_only_and_for_a_large_workbook(tables, registry, workbook):
    import sys

    assert forks() == sys.platform.startswith("linux")
    small = {n: df.head(3) for n, df in tables.items()}
    assert sum(df.size for df in small.values()) < FORK_FROM_CELLS
    before = set(_children())  # other tests may have left workers of their own running
    with workbook_job(small, TABLE_ORDER, registry) as finish:
        assert set(_children()) <= before  # written in-process: a child would only compete for a core
        assert finish("data-test") == xlsx_bytes(small, TABLE_ORDER, registry, "data-test")


def test_a_failing_child_is_one_clear_error_and_leaves_no_process(registry):
    bad = {"observations": pd.DataFrame({"x": [object()]})}  # a cell XlsxWriter cannot write
    before = set(_children())
    with pytest.raises(WorkbookError, match=r"^ipcompare\.xlsx: not written \(TypeError: .*\); nothing in data/tidy"):
        with workbook_job(bad, ["observations"], registry, concurrent=True) as finish:
            finish("v")
    assert set(_children()) <= before


def test_a_child_that_failed_before_the_version_was_sent_still_says_why(registry):
    # The child fails on its first sheet, long before it asks for the version; a parent slower to send it (a
    # busy machine) found the pipe closed and reported "ended early (exit code 0)" instead of the child's error.
    import time

    bad = {"observations": pd.DataFrame({"x": [object()]})}
    before = set(_children())
    with pytest.raises(WorkbookError, match=r"^ipcompare\.xlsx: not written \(TypeError: .*\); nothing in data/tidy"):
        with workbook_job(bad, ["observations"], registry, concurrent=True) as finish:
            deadline = time.monotonic() + 30
            while set(_children()) - before and time.monotonic() < deadline:  # the child has failed and ended
                time.sleep(0.01)
            finish("v")
    assert set(_children()) <= before


def test_a_killed_child_is_one_clear_error(tables, registry):
    import signal

    before = set(_children())
    with pytest.raises(WorkbookError, match=r"^ipcompare\.xlsx: the process writing it ended early \(exit code -9\)"):
        with workbook_job(tables, TABLE_ORDER, registry, concurrent=True) as finish:
            (child,) = set(_children()) - before
            os.kill(int(child), signal.SIGKILL)  # as the kernel's out-of-memory killer would
            finish("v")
    assert set(_children()) <= before


def test_leaving_early_stops_the_child(tables, registry):
    before = set(_children())
    with pytest.raises(RuntimeError):
        with workbook_job(tables, TABLE_ORDER, registry, concurrent=True):
            raise RuntimeError("validation failed in the parent")
    assert set(_children()) <= before


def _children() -> list[str]:
    """Live (not zombie) child processes of this test process."""
    me, out = os.getpid(), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == me and fields[0] != "Z":
            out.append(pid)
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
                min_size=1, max_size=8))
def test_any_text_comes_back_as_written(registry, texts):
    # Control characters are left out: XLSX cannot hold them raw (XlsxWriter escapes them as _xHHHH_).
    df = pd.DataFrame({"quote": pd.array(texts, dtype="string")})
    ws = load_workbook(io.BytesIO(xlsx_bytes({"statements": df}, ["statements"], registry, "v")))["statements"]
    assert [ws.cell(row=3 + i, column=1).value for i in range(len(texts))] == texts


# The data rows are written by ipcompare.workbook_rows, not cell by cell through XlsxWriter: the workbook must be
# the very bytes XlsxWriter writes for the same cells.
def _cell_by_cell(monkeypatch, tables, order, registry):
    import ipcompare.workbook as workbook_module

    with monkeypatch.context() as m:
        m.setattr(workbook_module, "rows_xml", lambda *a, **k: None)  # every sheet through XlsxWriter's write_row
        return xlsx_bytes(tables, order, registry, "v")


def test_prerendered_rows_are_xlsxwriters_own_bytes(tables, registry, monkeypatch):
    import ipcompare.workbook as workbook_module

    taken = []
    real = workbook_module.rows_xml
    with monkeypatch.context() as m:
        m.setattr(workbook_module, "rows_xml", lambda *a: taken.append(real(*a)) or taken[-1])
        fast = xlsx_bytes(tables, TABLE_ORDER, registry, "v")
    assert len(taken) == len(TABLE_ORDER) and all(t is not None for t in taken)  # every sheet took the shortcut
    assert fast == _cell_by_cell(monkeypatch, tables, TABLE_ORDER, registry)


_VALUE = st.one_of(
    st.none(), st.just(""), st.booleans(), st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=False), st.sampled_from(TRICKY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=1, max_value=4).flatmap(
    lambda k: st.lists(st.lists(_VALUE, min_size=k, max_size=k), min_size=0, max_size=40)))
def test_any_cells_give_xlsxwriters_bytes(registry, monkeypatch, rows):
    # Mixed types per column (object columns), blank rows and blank leading columns (the <row> spans per block
    # of 16 rows), big integers and floats (%.16G), control characters, "" (not written): same bytes either way.
    width = len(rows[0]) if rows else 2
    df = pd.DataFrame(rows or None, columns=[f"c{j}" for j in range(width)], dtype=object)
    tables = {"statements": df}
    assert xlsx_bytes(tables, ["statements"], registry, "v") == _cell_by_cell(monkeypatch, tables, ["statements"],
                                                                              registry)


def test_rows_xml_leaves_what_it_cannot_write_exactly_to_xlsxwriter():
    from ipcompare.workbook_rows import rows_xml

    index = {}.setdefault
    assert rows_xml([[1.5, float("inf")]], 2, lambda s: index(s, 0), 1) is None  # XlsxWriter refuses inf
    assert rows_xml([["x" * 20_000]], 2, lambda s: index(s, 0), 1) is None  # XlsxWriter truncates past 32,767
    assert rows_xml([[pd.Timestamp("2025-01-01")]], 2, lambda s: index(s, 0), 1) is None  # a date
    xml, last = rows_xml([[None, "", 3], [None, "郑州", True]], 2, lambda s: 7, 2)
    assert last == 4 and xml == ('<row r="4" spans="1:2"><c r="B4" t="s"><v>7</v></c></row>'
                                 '<row r="5" spans="1:2"><c r="A5"><v>3</v></c><c r="B5" t="b"><v>1</v></c></row>')
