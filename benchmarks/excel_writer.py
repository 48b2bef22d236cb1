"""What the Excel workbook costs at 600 documents, and what other ways of writing it would cost.

    .venv/bin/python benchmarks/excel_writer.py [--docs 600] [--repeat 3]

Builds the tables of a synthetic corpus (as ``benchmarks/scale.py`` does), then times, interleaved and
``--repeat`` times each (the minimum is printed; the machine is shared): ``ipcompare.workbook.xlsx_bytes`` as the
build calls it; the same cells of the two large sheets (observations, statements) through XlsxWriter with
``write_row``, and with ``constant_memory`` (rows streamed to a temporary file, inline strings); and, each when
its package is importable (none is a dependency — install them in a scratch environment to compare):
rvgsrust-xlsxwriter and rustpy-xlsxwriter (Rust, rust_xlsxwriter underneath), pyexcelerate (pure Python) and
wolfxl (Rust, openpyxl's API). Each line says whether two runs gave the same bytes and, if not, which zip entries
differed. Then each writer writes one row of awkward cells and the workbook is read back with openpyxl: are
integers integers in the sheet XML, do floats round-trip, is None an empty cell, does text that looks like a
formula, a number or a URL stay text. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
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


def _rustpy(sheets: dict[str, list[list]]) -> bytes:
    import rustpy_xlsxwriter as rp

    # Its API takes records (a dict per row, keys = the one header row); the column names stand in here.
    buf = io.BytesIO()
    rp.write_worksheets([(name, [dict(zip([f"c{j}" for j in range(len(r))], r, strict=True)) for r in rows])
                         for name, rows in sheets.items()], buf)
    return buf.getvalue()


def _pyexcelerate(sheets: dict[str, list[list]]) -> bytes:
    from pyexcelerate import Workbook

    wb = Workbook()
    for name, rows in sheets.items():
        wb.new_sheet(name, data=rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _wolfxl(sheets: dict[str, list[list]]) -> bytes:
    import wolfxl

    wb = wolfxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.properties.created = datetime(2020, 1, 1)  # pinned; `modified` is stamped at save whatever is set
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# One row of awkward cells: an int, a float that needs 17 digits, None, and text a writer might reinterpret.
_PROBE = [3, 0.1 + 0.2, None, "=SUM(A1)", "11.5", "https://www.gov.cn/", "超UOo名"]


def _probe(write) -> str:
    """What a writer makes of ``_PROBE`` (read back with openpyxl); "ok" or the problems found."""
    from openpyxl import load_workbook

    data = write({"probe": [list(_PROBE)]})
    z = zipfile.ZipFile(io.BytesIO(data))
    sheet = z.read(next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))).decode()
    ws = load_workbook(io.BytesIO(data))["probe"]
    last = ws.max_row  # rustpy-xlsxwriter writes a header row of its own above the data
    got = [ws.cell(row=last, column=j + 1).value for j in range(len(_PROBE))]
    problems = []
    a = re.search(rf'<c r="A{last}"(?: s="\d+")?><v>([^<]*)</v>', sheet)
    if not a or a[1] != "3":
        problems.append(f"int 3 written as {a[1] if a else '?'!r}")
    if got[1] != _PROBE[1]:
        problems.append(f"float 0.1+0.2 reads back as {got[1]!r}")
    if got[2] is not None:
        problems.append(f"None reads back as {got[2]!r}")
    changed = [f"{w!r} → {g!r}" for w, g in zip(_PROBE[3:], got[3:], strict=True)
               if g != w or isinstance(g, str) and ws.cell(row=last, column=_PROBE.index(w) + 1).data_type != "s"]
    if changed or "<f>" in sheet:
        problems.append("text not kept as text: " + ", ".join(changed or ["a formula element"]))
    return "ok" if not problems else "; ".join(problems)


def _differing_entries(outputs: set[bytes]) -> str:
    """Which zip entries differ between two outputs of one writer (e.g. docProps/core.xml)."""
    a, b = (zipfile.ZipFile(io.BytesIO(x)) for x in list(outputs)[:2])
    names = sorted(set(a.namelist()) | set(b.namelist()))
    differ = [n for n in names if n not in a.namelist() or n not in b.namelist() or a.read(n) != b.read(n)]
    dates = any(x.date_time != y.date_time for x, y in zip(a.infolist(), b.infolist(), strict=False))
    return ", ".join(differ) + (" and zip entry dates" if dates else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--probe-only", action="store_true", help="only the awkward cells, no corpus and no timing")
    args = ap.parse_args()

    from ipcompare.columns import TABLE_ORDER
    from ipcompare.gc_pause import paused_gc
    from ipcompare.workbook import _columns, _transpose, xlsx_bytes

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.probe_only:
        args.repeat, args.docs = 0, 6
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
    sheets = {n: _transpose(_columns(tables[n]), len(tables[n])) for n in ("observations", "statements")}
    cells = sum(v is not None for rows in sheets.values() for row in rows for v in row)
    print(f"{args.docs} documents: {cells:,} non-empty cells in the observations and statements sheets")
    ways = {
        "workbook (xlsx_bytes, as built)": lambda: xlsx_bytes(tables, TABLE_ORDER, reg, "bench"),
        "XlsxWriter write_row, two sheets": lambda: _xlsxwriter(sheets, False),
        "XlsxWriter constant_memory, two sheets": lambda: _xlsxwriter(sheets, True),
    }
    optional = {"rvgsrust-xlsxwriter": ("rvgsrust_xlsxwriter", _rust), "rustpy-xlsxwriter": ("rustpy_xlsxwriter", _rustpy),
                "pyexcelerate": ("pyexcelerate", _pyexcelerate), "wolfxl": ("wolfxl", _wolfxl)}
    writers = {"XlsxWriter": lambda sh: _xlsxwriter(sh, False)}
    for label, (module, write) in optional.items():
        try:
            __import__(module)
        except ImportError:
            print(f"{label} not installed: not compared")
            continue
        writers[label] = write
        ways[f"{label}, two sheets"] = lambda write=write: write(sheets)
    cpu: dict[str, list[float]] = {k: [] for k in ways}
    out: dict[str, set[bytes]] = {k: set() for k in ways}
    for _ in range(args.repeat):
        for k, f in ways.items():
            time.sleep(1.0)  # core.xml times are to the second: a writer that stamps the time shows it
            with paused_gc():  # as in the build
                c = time.process_time()
                out[k].add(f())
                cpu[k].append(time.process_time() - c)
    for k, v in cpu.items() if args.repeat else ():
        same = ("same bytes every run" if len(out[k]) == 1 else
                f"{len(out[k])} different outputs in {len(v)} runs (differing: {_differing_entries(out[k])})")
        print(f"{k:40s} min {min(v):5.2f} CPU-s ({' '.join(f'{x:.2f}' for x in v)}); {same}")
    for label, write in writers.items():
        print(f"{label:22s} awkward cells: {_probe(write)}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
