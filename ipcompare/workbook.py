"""The Excel workbook: one sheet per table for readers without Python, and the codebook in a README sheet.

Each table sheet has two header rows (row 1 the column names as in the CSV, row 2 their Chinese labels), both
frozen, an auto-filter on row 2, and column widths fitted to the content (CJK characters count double, capped so
a long quote does not make a column screen-wide). Byte-deterministic: openpyxl writes the save time into the
core properties, so those are pinned and the zip entries re-stamped.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
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

__all__ = ["xlsx_bytes"]

_FIXED_TIME = datetime(2020, 1, 1)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_MAX_WIDTH = 60


def _display_width(v: object) -> int:
    s = "" if v is None else str(v)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _fit_widths(ws, rows: list[list[object]]) -> None:
    from openpyxl.utils import get_column_letter

    if not rows:
        return
    for j in range(max(len(r) for r in rows)):
        # 200 rows are plenty to size a column; scanning every quote would only make long columns wider.
        width = max((_display_width(r[j]) for r in rows[:200] if j < len(r)), default=8)
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(width + 2, 6), _MAX_WIDTH)


def _cell(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _readme_sheet(wb, registry: Registry, version: str) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = "README"
    bold = Font(bold=True)
    rows: list[list[object]] = []

    def add(row: list[object], *, strong: bool = False) -> None:
        ws.append(row)
        rows.append(row)
        if strong:
            for c in ws[ws.max_row]:
                c.font = bold

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
    _fit_widths(ws, [r[:1] + [""] + r[2:] if len(r) > 3 else r for r in rows[7:]])
    for row in ws.iter_rows(min_row=3, max_row=6):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A10"


def xlsx_bytes(tables: dict[str, pd.DataFrame], order: list[str], registry: Registry, version: str) -> bytes:
    """The workbook as bytes: README sheet, then one sheet per table in ``order``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    _readme_sheet(wb, registry, version)
    zh = codebook_zh()["columns"]
    head_fill = PatternFill("solid", fgColor="DDE6F0")
    for name in order:
        df = tables[name]
        ws = wb.create_sheet(name)
        labels = [zh.get(c, {}).get("zh", c) for c in df.columns]
        ws.append(list(df.columns))
        ws.append(labels)
        for row in ws.iter_rows(min_row=1, max_row=2):
            for cell in row:
                cell.font = Font(bold=True)
                cell.fill = head_fill
        values = [[_cell(v) for v in row] for row in df.itertuples(index=False)]
        for row in values:
            ws.append(row)
        ws.freeze_panes = "A3"
        ws.auto_filter.ref = f"A2:{ws.cell(row=2, column=len(df.columns)).column_letter}{len(values) + 2}"
        _fit_widths(ws, [list(df.columns), labels, *values])
    wb.properties.creator = "ipcompare"
    wb.properties.title = f"ipcompare dataset {version}"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    raw = io.BytesIO()
    wb.save(raw)
    return _restamp_zip(raw.getvalue())


def _restamp_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl writes the save time into dcterms:modified regardless of the properties set.
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 rb"\g<1>2020-01-01T00:00:00Z\g<2>", content)
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()
