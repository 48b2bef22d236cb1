"""What the Excel workbook costs at 600 documents, and what other ways of writing it would cost.

    .venv/bin/python benchmarks/excel_writer.py [--docs 600] [--repeat 3]

Builds the tables of a synthetic corpus (as ``benchmarks/scale.py`` does), then times, interleaved and
``--repeat`` times each (the minimum is printed; the machine is shared): ``ipcompare.workbook.xlsx_bytes`` as the
build calls it; the same cells of the two large sheets (observations, statements) through XlsxWriter with
``write_row``, and with ``constant_memory`` (rows streamed to a temporary file, inline strings); and, when the
package is importable, through rvgsrust-xlsxwriter (Rust, rust_xlsxwriter underneath; not a dependency —
install it in a scratch environment to compare). Each line says whether two runs gave the same bytes.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402  (the corpus and build of the scale benchmark)

_OPTS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _xlsxwriter(sheets: dict[str, list[list]], constant_memory: bool) -> bytes:
    import xlsxwriter

    tmp = Path(tempfile.mkdtemp())
    target = tmp / "w.xlsx" if constant_memory else io.BytesIO()
    wb = xlsxwriter.Workbook(target, {**_OPTS, "constant_memory": constant_memory, "in_memory": not constant_memory})
    wb.set_properties({"created": datetime(2020, 1, 1)})  # pinned, as the build's workbook
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
    wb.close()
    data = target.read_bytes() if constant_memory else target.getvalue()
    shutil.rmtree(tmp)
    return data


def _rust(sheets: dict[str, list[list]]) -> bytes:
    import rvgsrust_xlsxwriter as rx

    wb = rx.Workbook()  # its core properties take the current time: no way to pin them in this binding
    for name, rows in sheets.items():
        wb.add_worksheet(name).write_rows(0, 0, rows)
    return wb.save_to_buffer()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from ipcompare.columns import TABLE_ORDER
    from ipcompare.gc_pause import paused_gc
    from ipcompare.workbook import _rows, xlsx_bytes

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    home = Path(tempfile.mkdtemp(prefix="ipcompare-excel-"))
    try:
        geos = scale.make_corpus(home, args.docs)
        import ipcompare.build as B
        from ipcompare.registry import Geography, load_registry

        base = load_registry()
        reg = base.model_copy(update={"geographies": {**base.geographies,
                                                      **{g["geo_code"]: Geography(**g) for g in geos}}})
        B.load_registry = lambda *a, **kw: reg  # benchmark only, as in scale.py
        tables = B.build_tables(B.read_inputs(home / "data" / "raw"))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    sheets = {n: _rows(tables[n]) for n in ("observations", "statements")}
    cells = sum(v is not None for rows in sheets.values() for row in rows for v in row)
    print(f"{args.docs} documents: {cells:,} non-empty cells in the observations and statements sheets")
    ways = {
        "workbook (xlsx_bytes, as built)": lambda: xlsx_bytes(tables, TABLE_ORDER, reg, "bench"),
        "XlsxWriter write_row, two sheets": lambda: _xlsxwriter(sheets, False),
        "XlsxWriter constant_memory, two sheets": lambda: _xlsxwriter(sheets, True),
    }
    try:
        import rvgsrust_xlsxwriter  # noqa: F401
        ways["rvgsrust-xlsxwriter, two sheets"] = lambda: _rust(sheets)
    except ImportError:
        print("rvgsrust-xlsxwriter not installed: not compared")
    cpu: dict[str, list[float]] = {k: [] for k in ways}
    out: dict[str, set[bytes]] = {k: set() for k in ways}
    for _ in range(args.repeat):
        for k, f in ways.items():
            with paused_gc():  # as in the build
                c = time.process_time()
                out[k].add(f())
                cpu[k].append(time.process_time() - c)
    for k, v in cpu.items():
        same = "same bytes every run" if len(out[k]) == 1 else f"{len(out[k])} different outputs in {len(v)} runs"
        print(f"{k:40s} min {min(v):5.2f} CPU-s ({' '.join(f'{x:.2f}' for x in v)}); {same}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
