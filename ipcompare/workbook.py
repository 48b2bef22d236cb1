"""The Excel workbook: one sheet per table for readers without Python, and the codebook in a README sheet.

Each table sheet has two header rows (row 1 the column names as in the CSV, row 2 their Chinese labels), both
bold and shaded, frozen, an auto-filter on row 2, and column widths fitted to the content (CJK characters count
double, capped so a long quote does not make a column screen-wide). Text stays text: nothing is turned into a
formula, a link or a number. Written with XlsxWriter, about twice as fast as openpyxl per cell; the table
sheets' data rows reach it as ready XML in XlsxWriter's own format (:mod:`ipcompare.workbook_rows`: same bytes,
at 600 documents 3.6 instead of 11 CPU-s), and ``ipcompare build`` writes the workbook in a forked child while
it validates and versions the tables (:mod:`ipcompare.workbook_job`). The README sheet comes
first in the workbook but is filled in last, so the dataset version can arrive after the table sheets are
written. Writers without per-cell Python (Rust-backed rvgsrust-xlsxwriter, rustpy-xlsxwriter, wolfxl;
pyexcelerate) were measured and not taken: none keeps integers, text and the pinned times as this one does
(docs/decisions.md). Byte-deterministic: XlsxWriter dates every zip entry 1980-01-01 and takes the core
properties' times from ``created`` (pinned).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import datetime

import pandas as pd

from ipcompare.codebook import (
    COLUMN_HEADERS,
    LICENCE,
    cite_as,
    code_lists,
    codebook_zh,
    column_rows,
    indicator_rows,
    table_names,
)
from ipcompare.registry import Registry
from ipcompare.workbook_rows import PrerenderedSheet, rows_xml

__all__ = ["xlsx_bytes"]

_FIXED_TIME = datetime(2020, 1, 1)
_MAX_WIDTH = 60


def _display_width(v: object) -> int:
    s = "" if v is None else str(v)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _fit_widths(ws, rows: list[list[object]]) -> None:
    if not rows:
        return
    for j in range(max(len(r) for r in rows)):
        # 200 rows are plenty to size a column; scanning every quote would only make long columns wider.
        width = max((_display_width(r[j]) for r in rows[:200] if j < len(r)), default=8)
        # XlsxWriter takes the width Excel shows and stores it plus a 5-pixel padding (of 7-pixel digits):
        # less 5/7 here, the stored width is the character count (as the workbook has always recorded it).
        ws.set_column(j, j, min(max(width + 2, 6), _MAX_WIDTH) - 5 / 7)


def _columns(df: pd.DataFrame) -> list[list[object]]:
    """The frame's cells as Python values (missing → None), column by column.

    Converted a column at a time (``Series.tolist`` gives Python ints, floats, bools and strs): a per-cell
    conversion took 3 of the 14 CPU-s the workbook cost at 600 documents.
    """
    return [[None if missing else v for v, missing in zip(df[c].tolist(), df[c].isna().tolist(), strict=True)]
            for c in df.columns]


def _transpose(cols: list[list[object]], n_rows: int) -> list[list[object]]:
    """Columns of ``n_rows`` values → rows."""
    return [list(row) for row in zip(*cols, strict=True)] if cols else [[] for _ in range(n_rows)]


def _readme_sheet(ws, registry: Registry, version: str, bold, wrap) -> None:
    rows: list[tuple[list[object], bool]] = []

    def add(row: list[object], *, strong: bool = False) -> None:
        rows.append((row, strong))

    add(["ipcompare dataset · 城市知识产权规划量化目标数据集"], strong=True)
    add([f"Dataset version 数据版本: {version}"])
    add(["Cite as 引用", cite_as(version)])
    add([f"Licence 许可: {LICENCE['id']}", LICENCE["url"]])
    add(["", LICENCE["en"]])
    add(["", LICENCE["zh"]])
    add(["Sheets", "Row 1: column names (as in the CSV files); row 2: Chinese labels. 第1行为字段名，第2行为中文名。"])
    add([])
    add(["table 表", *COLUMN_HEADERS], strong=True)
    for name in table_names():
        for r in column_rows(name):
            add([name, *r])
    add([])
    add(["code list 代码表", "code 代码", "中文", "meaning 含义"], strong=True)
    for field, codes in code_lists(registry).items():
        for r in codes:
            add([field, *r])
    add([])
    add(["indicator 指标", "code 代码", "中文名称", "name", "group", "unit", "per"], strong=True)
    for r in indicator_rows(registry):
        add(["indicator", *r])
    values = [r for r, _ in rows]
    _fit_widths(ws, [r[:1] + [""] + r[2:] if len(r) > 3 else r for r in values[7:]])
    for n, (row, strong) in enumerate(rows):
        ws.write_row(n, 0, row, bold if strong else wrap if 2 <= n <= 5 else None)
    ws.freeze_panes(9, 0)


def xlsx_bytes(tables: dict[str, pd.DataFrame], order: list[str], registry: Registry,
               version: str | Callable[[], str]) -> bytes:
    """The workbook as bytes: README sheet, then one sheet per table in ``order``.

    ``version`` may be a function that returns it: it is asked for only after the table sheets are written (the
    README sheet, first in the workbook, is filled in last), so that :mod:`ipcompare.workbook_job` can write the
    tables while the build is still computing the version.
    """
    import xlsxwriter

    raw = io.BytesIO()
    # Text stays text: no quote that starts with "=" becomes a formula, no URL a hyperlink, no "11.5" a number.
    wb = xlsxwriter.Workbook(raw, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    readme = wb.add_worksheet("README")
    bold, wrap = wb.add_format({"bold": True}), wb.add_format({"text_wrap": True, "valign": "top"})
    zh = codebook_zh()["columns"]
    head = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "pattern": 1})
    for name in order:
        df = tables[name]
        ws = wb.add_worksheet(name, worksheet_class=PrerenderedSheet)
        labels = [zh.get(c, {}).get("zh", c) for c in df.columns]
        cols = _columns(df)
        _fit_widths(ws, [list(df.columns), labels, *_transpose([c[:200] for c in cols], min(len(df), 200))])
        ws.write_row(0, 0, list(df.columns), head)
        ws.write_row(1, 0, labels, head)
        # The data rows as XlsxWriter writes them, without a cell object each (workbook_rows): same bytes.
        done = rows_xml(cols, 2, ws.str_table._get_shared_string_index, len(df.columns))
        if done is None:
            for i, row in enumerate(_transpose(cols, len(df)), start=2):
                ws.write_row(i, 0, row)
        else:
            ws.data_rows, last = done
            if last >= 2:
                ws._check_dimensions(last, 0)  # the sheet's <dimension>, as the last row's cells would set it
        ws.freeze_panes(2, 0)
        ws.autofilter(1, 0, len(df) + 1, len(df.columns) - 1)
    version = version if isinstance(version, str) else version()
    wb.set_properties({"title": f"ipcompare dataset {version}", "author": "ipcompare", "created": _FIXED_TIME})
    _readme_sheet(readme, registry, version, bold, wrap)
    wb.close()  # zip entries dated 1980-01-01 and the pinned creation time: the same bytes every build
    return raw.getvalue()
