"""Write the tidy tables: Parquet, UTF-8 CSV, one Excel workbook, and a Frictionless datapackage.json.

Byte-for-byte deterministic: no timestamps in any file (Excel's document properties and zip entry times are
pinned), stable row and column order. The folder is replaced as one generation
(``tidy_io``), so a failed or killed build leaves the previous outputs whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ipcompare.documents import DocumentMeta
from ipcompare.registry import Registry
from ipcompare.schema import column_specs, table_specs

__all__ = ["write_tidy", "TABLE_ORDER", "datapackage"]

TABLE_ORDER = ["observations", "statements", "indicators", "geographies", "documents", "reference"]
_FIXED_TIME = datetime(2020, 1, 1)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_TABLE_TITLES = {
    "observations": ("观测值", "Observations: one row per distinct quantified fact (restatements folded)"),
    "statements": ("陈述", "Statements: one row per mention in a document, as curated"),
    "indicators": ("指标", "Indicator registry"),
    "geographies": ("地区", "Geographies (GB/T 2260 codes)"),
    "documents": ("文件", "Source documents"),
    "reference": ("参考数据", "Reference numbers: population, GDP, national targets and actuals"),
}


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(df, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table plus a README sheet with zh/en column labels; zip entries re-stamped."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    readme.append(["table 表", "column 列", "type", "description"])
    specs = column_specs()
    for name in TABLE_ORDER:
        for col in table_specs()[name]["columns"]:
            readme.append([name, col, specs[col]["type"], specs[col]["description"]])
    for name in TABLE_ORDER:
        df = tables[name]
        ws = wb.create_sheet(name)
        ws.append(list(df.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in df.itertuples(index=False):
            ws.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row])
        ws.freeze_panes = "A2"
    wb.properties.creator = "ipcompare"
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
                content = _pin_core_times(content)
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()


def _pin_core_times(xml: bytes) -> bytes:
    import re

    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2020-01-01T00:00:00Z\g<2>", xml)


def _field(col: str) -> dict:
    spec = column_specs()[col]
    field = {"name": col, "type": spec["type"], "description": spec["description"]}
    constraints = {k: spec[k] for k in ("min", "max", "pattern") if k in spec}
    if "min" in constraints:
        constraints["minimum"] = constraints.pop("min")
    if "max" in constraints:
        constraints["maximum"] = constraints.pop("max")
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(files: dict[str, bytes], version: str, registry: Registry, docs: list[DocumentMeta]) -> dict:
    """A Frictionless data package descriptor: resources with generated schemas, hashes and sources."""
    resources = []
    for name in TABLE_ORDER:
        for fmt in ("csv", "parquet"):
            path = f"{name}.{fmt}"
            data = files[path]
            res = {
                "name": f"{name}_{fmt}",
                "path": path,
                "title": _TABLE_TITLES[name][1],
                "title_zh": _TABLE_TITLES[name][0],
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": {
                    "fields": [_field(c) for c in table_specs()[name]["columns"]],
                    "primaryKey": table_specs()[name]["primary_key"],
                },
            }
            if fmt == "csv":
                res["encoding"] = "utf-8"
            resources.append(res)
    xlsx = files["ipcompare.xlsx"]
    resources.append({"name": "workbook", "path": "ipcompare.xlsx", "format": "xlsx", "bytes": len(xlsx),
                      "hash": "sha256:" + hashlib.sha256(xlsx).hexdigest(),
                      "description": "All tables, one sheet each, with a README sheet of column descriptions."})
    return {
        "name": "ipcompare",
        "title": "ipcompare: quantified targets of Chinese cities' intellectual-property plans",
        "version": version,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Data compiled by ipcompare; source documents are public government texts"}],
        "sources": [{"title": d.title_zh, "title_en": d.title_en, "path": d.source_url, "doc_id": d.doc_id,
                     "sha256": d.sha256} for d in docs],
        "indicators": len(registry.indicators),
        "resources": resources,
    }


def render_files(tables: dict[str, pd.DataFrame], version: str, registry: Registry,
                 docs: list[DocumentMeta]) -> dict[str, bytes]:
    """All output files as bytes, keyed by file name (pure)."""
    files: dict[str, bytes] = {}
    for name in TABLE_ORDER:
        files[f"{name}.csv"] = _csv_bytes(tables[name])
        files[f"{name}.parquet"] = _parquet_bytes(tables[name])
    files["ipcompare.xlsx"] = _xlsx_bytes(tables)
    pkg = datapackage(files, version, registry, docs)
    files["datapackage.json"] = (json.dumps(pkg, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def write_tidy(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Replace ``out_dir`` with ``files`` as one generation (see :mod:`ipcompare.tidy_io`)."""
    from ipcompare.tidy_io import write_generation

    write_generation(files, out_dir)
    return [out_dir / name for name in files]
