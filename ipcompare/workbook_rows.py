"""A table sheet's data rows written as XlsxWriter writes them, in one pass instead of a cell object per cell.

XlsxWriter stores every cell as an object (``write_row`` → type dispatch → a tuple in the sheet's table) and
turns each into XML when the workbook closes — about 7 µs of Python a cell, 9 of the 11 CPU-s of the workbook
of a 600-document build (1.4 million cells). The data rows of a table sheet are plain values (text, numbers,
booleans, missing), so :class:`PrerenderedSheet` takes them already written as ``<row>``/``<c>`` XML from
:func:`rows_xml` and XlsxWriter writes everything else of the workbook (header rows, shared strings, styles,
column widths, panes, filter, zip) as before. The XML is the same, byte for byte, as XlsxWriter's own for the
same values (``tests/test_workbook.py`` compares whole workbooks, real tables and generated ones): the same cell
references and ``spans`` per block of 16 rows, numbers as ``%.16G``, booleans as 1/0, text as an index into the
workbook's shared strings counted in the order XlsxWriter counts them, ``None`` and ``""`` not written at all.
A value of any other type, an over-long string or a sheet past Excel's limits is left to XlsxWriter
(:func:`rows_xml` returns None) — this shortcut never writes what XlsxWriter would write differently.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

__all__ = ["PrerenderedSheet", "rows_xml"]

_MAX_ROWS = 1_048_576
_SAFE_LEN = 32_767 // 2  # XlsxWriter truncates strings of more than 32,767 UTF-16 units; shorter ones are safe


class PrerenderedSheet(Worksheet):
    """A worksheet that writes :attr:`data_rows` (XML from :func:`rows_xml`) after the rows written cell by cell."""

    data_rows: str = ""

    def _write_rows(self) -> None:
        super()._write_rows()
        self.fh.write(self.data_rows)


def rows_xml(cols: Sequence[list], first_row: int, shared_index, header_cols: int) -> tuple[str, int] | None:
    """The ``<row>`` elements of the cells ``cols`` (one list of values per column) from row ``first_row`` (0-based)
    and the last row written, or None when a value is not one this function writes exactly as XlsxWriter does.

    ``shared_index`` is the workbook's shared-string counter (called once per text cell, row by row, as
    ``write_row`` calls it); ``header_cols`` is how many columns the rows above ``first_row`` in the same block
    of 16 fill from column A (their part of the block's ``spans``).
    """
    n = len(cols[0]) if cols else 0
    if not cols or not n or first_row + n > _MAX_ROWS:
        return None
    for col in cols:
        for v in col:
            c = v.__class__
            if not (v is None or c is str and len(v) <= _SAFE_LEN or c is int or c is bool
                    or c is float and v - v == 0):  # v - v is nan for nan and inf
                return None
    letters = [xl_col_to_name(j) for j in range(len(cols))]
    rows: list[tuple[int, str, int, int]] = []  # row number (1-based), its cells, first and last column
    for i, values in enumerate(zip(*cols, strict=True)):
        r = first_row + i + 1
        cells = []
        lo = hi = -1
        for j, v in enumerate(values):
            c = v.__class__
            if c is str:
                if not v:  # "" is a blank cell without a format: XlsxWriter does not write it
                    continue
                cells.append(f'<c r="{letters[j]}{r}" t="s"><v>{shared_index(v)}</v></c>')
            elif v is None:
                continue
            elif c is bool:
                cells.append(f'<c r="{letters[j]}{r}" t="b"><v>{1 if v else 0}</v></c>')
            else:
                cells.append(f'<c r="{letters[j]}{r}"><v>{v:.16G}</v></c>')
            if lo < 0:
                lo = j
            hi = j
        if cells:
            rows.append((r, "".join(cells), lo, hi))
    if not rows:
        return "", first_row - 1
    spans: dict[int, tuple[int, int]] = {}
    if header_cols and first_row % 16:
        spans[(first_row - 1) // 16] = (0, header_cols - 1)
    for r, _, lo, hi in rows:
        block = (r - 1) // 16
        old = spans.get(block)
        spans[block] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))
    out = []
    for r, cells, _, _ in rows:
        lo, hi = spans[(r - 1) // 16]
        out.append(f'<row r="{r}" spans="{lo + 1}:{hi + 1}">{cells}</row>')
    return "".join(out), rows[-1][0] - 1
