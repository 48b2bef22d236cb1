"""Write the tidy tables: Parquet, UTF-8 CSV, one Excel workbook, a Frictionless datapackage.json and README.md.

CSVs carry a UTF-8 byte-order mark: without it Excel on a Chinese-locale Windows decodes them as GBK (mojibake),
and pandas, polars, readr, data.table and frictionless all skip it (tests/test_publication.py checks the first
two). Byte-for-byte deterministic: no timestamps in any file (see ``ipcompare.workbook``), stable row and column
order. The folder is replaced as one generation (``tidy_io``), so a failed or killed build leaves the previous
outputs whole.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ipcompare.build import Inputs, build_tables
from ipcompare.codebook import LICENCE, TABLE_TITLES, cite_as, codebook_zh, readme_markdown
from ipcompare.columns import TABLE_ORDER
from ipcompare.documents import DocumentMeta
from ipcompare.gc_pause import paused_gc
from ipcompare.registry import Registry
from ipcompare.schema import column_specs, table_specs, validate_tables
from ipcompare.version import dataset_version, table_csv
from ipcompare.workbook_job import in_process, workbook_job

__all__ = ["write_tidy", "TABLE_ORDER", "datapackage", "render_files", "tidy_files", "TidyFiles"]



def _parquet_bytes(df: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(df, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def _csv_bytes(text: str) -> bytes:
    return text.encode("utf-8-sig")


def _field(col: str) -> dict:
    spec = column_specs()[col]
    zh = codebook_zh()["columns"].get(col, {})
    field = {"name": col, "title": zh.get("zh", col), "type": spec["type"], "description": spec["description"]}
    if zh.get("unit"):
        field["unit"] = str(zh["unit"])
    constraints = {k: spec[k] for k in ("min", "max", "pattern") if k in spec}
    if "min" in constraints:
        constraints["minimum"] = constraints.pop("min")
    if "max" in constraints:
        constraints["maximum"] = constraints.pop("max")
    if constraints:
        field["constraints"] = constraints
    return field


def _checksums(fmt: str, data: bytes) -> dict:
    """bytes + hash for CSV; Parquet's go under ``sha256`` only, because frictionless cannot count the bytes of
    a Parquet source and reports every declared ``bytes``/``hash`` of one as an error."""
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "csv":
        return {"bytes": len(data), "hash": "sha256:" + digest}
    return {"sha256": digest}


def datapackage(files: dict[str, bytes], version: str, registry: Registry, docs: list[DocumentMeta]) -> dict:
    """A Frictionless data package descriptor: resources with generated schemas, hashes and sources."""
    resources = []
    for name in TABLE_ORDER:
        for fmt in ("csv", "parquet"):
            path = f"{name}.{fmt}"
            data = files[path]
            title_zh, title_en = TABLE_TITLES.get(name, ("", name))
            res = {
                "name": f"{name}_{fmt}",
                "path": path,
                "title": title_en,
                "title_zh": title_zh,
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                **_checksums(fmt, data),
                "schema": {
                    "fields": [_field(c) for c in table_specs()[name]["columns"]],
                    "primaryKey": table_specs()[name]["primary_key"],
                },
            }
            if fmt == "csv":
                res["encoding"] = "utf-8"
            resources.append(res)
    xlsx = files["ipcompare.xlsx"]
    readme = files["README.md"]
    # type "file": frictionless checks their size and hash but does not read them as one table.
    resources.append({"name": "codebook", "path": "README.md", "type": "file", "format": "md",
                      "mediatype": "text/markdown", "bytes": len(readme),
                      "hash": "sha256:" + hashlib.sha256(readme).hexdigest(),
                      "description": "Codebook: every table, column and code list (zh/en), how to cite, licence."})
    resources.append({"name": "workbook", "path": "ipcompare.xlsx", "type": "file", "format": "xlsx",
                      "bytes": len(xlsx),
                      "hash": "sha256:" + hashlib.sha256(xlsx).hexdigest(),
                      "description": "All tables, one sheet each (column names and Chinese labels, frozen and filtered), and the codebook in a README sheet."})
    return {
        "name": "ipcompare",
        "title": "ipcompare: quantified targets of Chinese cities' intellectual-property plans",
        "description": "城市知识产权规划量化目标数据集. Codebook: README.md (generated from the registry).",
        "version": version,
        "licenses": [{"name": LICENCE["id"], "path": LICENCE["url"], "title": "Creative Commons Attribution 4.0"}],
        "licence_note": LICENCE["en"],
        "licence_note_zh": LICENCE["zh"],
        "citation": cite_as(version),
        "sources": [{"title": d.title_zh, "title_en": d.title_en, "path": d.source_url, "doc_id": d.doc_id,
                     "source_grade": d.source_grade, "sha256": d.sha256} for d in docs],
        "indicators": len(registry.indicators),
        "resources": resources,
    }


@paused_gc()
def render_files(tables: dict[str, pd.DataFrame], version: str, registry: Registry,
                 docs: list[DocumentMeta], csv: dict[str, str] | None = None,
                 workbook: Callable[[str], bytes] | None = None) -> dict[str, bytes]:
    """All output files as bytes, keyed by file name (pure); ``csv`` is ``table_csv(tables)`` when at hand, and
    ``workbook`` the ``finish`` of a :func:`ipcompare.workbook_job.workbook_job` already writing the workbook
    (default: written here, :func:`ipcompare.workbook_job.in_process`)."""
    csv = table_csv(tables) if csv is None else csv
    workbook = in_process(tables, TABLE_ORDER, registry) if workbook is None else workbook
    files: dict[str, bytes] = {}
    for name in TABLE_ORDER:
        files[f"{name}.csv"] = _csv_bytes(csv[name])
        files[f"{name}.parquet"] = _parquet_bytes(tables[name])
    files["README.md"] = readme_markdown(tables, version, registry, docs).encode("utf-8")
    # Last: a workbook written in a child process (ipcompare.workbook_job) has had the most time to finish.
    files["ipcompare.xlsx"] = workbook(version)
    pkg = datapackage(files, version, registry, docs)
    files["datapackage.json"] = (json.dumps(pkg, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


class TidyFiles(NamedTuple):
    """A build's tables, its dataset version and every file of data/tidy as bytes."""

    tables: dict[str, pd.DataFrame]
    version: str
    files: dict[str, bytes]


def tidy_files(inputs: Inputs, concurrent: bool | None = None) -> TidyFiles:
    """The build from checked inputs to the files of data/tidy, nothing written: tables, validation, version,
    files — the one sequence ``ipcompare build`` and ``benchmarks/scale.py`` run. The workbook is written
    meanwhile in a child process where :func:`~ipcompare.workbook_job.workbook_job` forks one (``concurrent``
    chooses); same bytes as in-process."""
    tables = build_tables(inputs)
    with workbook_job(tables, TABLE_ORDER, inputs.registry, concurrent) as workbook:
        validate_tables(tables, inputs.registry)
        csv = table_csv(tables)
        version = dataset_version(tables, csv)
        files = render_files(tables, version, inputs.registry, [d.meta for d in inputs.documents.values()], csv,
                             workbook)
    return TidyFiles(tables, version, files)


def write_tidy(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Replace ``out_dir`` with ``files`` as one generation (see :mod:`ipcompare.tidy_io`)."""
    from ipcompare.tidy_io import write_generation

    write_generation(files, out_dir)
    return [out_dir / name for name in files]
