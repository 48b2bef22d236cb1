"""The data dictionary (codebook), generated from the registry: data/tidy/README.md and the Excel README sheet.

Everything here is derived from ``registry/columns.yaml`` (columns, types, English meaning), ``codebook_zh.yaml``
(Chinese labels and meanings, units), ``vocab.yaml`` (code lists), ``units.yaml`` and ``indicators.yaml``, so a
table added to columns.yaml appears here without touching this module. ``missing_entries`` lists what the
Chinese half lacks (tests/test_publication.py fails on any).
"""

from __future__ import annotations

from functools import lru_cache
from typing import get_args

import pandas as pd
import yaml

from ipcompare.documents import DocumentMeta
from ipcompare.registry import REGISTRY_DIR, Group, Per, Registry, RegistryError
from ipcompare.schema import column_specs, table_specs

__all__ = ["codebook_zh", "column_rows", "code_lists", "missing_entries", "readme_markdown", "LICENCE",
           "cite_as", "table_names", "indicator_rows", "TABLE_TITLES", "COLUMN_HEADERS"]

TABLE_TITLES = {
    "observations": ("观测值", "Observations: one row per distinct quantified fact (restatements folded)"),
    "statements": ("陈述", "Statements: one row per mention in a document, as curated"),
    "indicators": ("指标", "Indicator registry"),
    "geographies": ("地区", "Geographies (GB/T 2260 codes)"),
    "documents": ("文件", "Source documents"),
    "reference": ("参考数据", "Reference numbers: population, GDP, national targets and actuals"),
    "outcomes": ("实际值", "Outcomes: actual values reported after the plans' baselines, each with its source and quote"),
}
COLUMN_HEADERS = ["column 字段", "中文", "type 类型", "unit 单位", "meaning", "含义"]

# The licence statement, in one place: README, datapackage.json and the Excel README sheet all print it.
LICENCE = {
    "id": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "en": ("The compiled dataset (the tidy tables, their structure, codes, English translations, curators' notes "
           "and flags) is licensed under Creative Commons Attribution 4.0 International (CC BY 4.0): reuse freely, "
           "citing it as below. The quotes are short excerpts of Chinese government documents (plans issued by "
           "municipal governments and their bureaus, and the national outline issued by the CPC Central Committee "
           "and State Council). Article 5 of the Copyright Law of the PRC excludes such official documents of a "
           "legislative, administrative or judicial nature from copyright protection; the project claims no rights "
           "in them and cannot license them. The licence covers what the project added. Reference numbers "
           "were compiled from the public pages named in each row, some of them third-party mirrors "
           "(each row's source_url and note say which); the numbers are facts, but check the original publisher "
           "before relying on one."),
    "zh": ("本数据集（整理后的表格、结构、代码、英文翻译、整理者备注与质量标记）采用知识共享署名 4.0 国际许可协议"
           "（CC BY 4.0）发布，可自由使用，请按下文方式引用。引文摘自中国政府公文（市政府及其部门发布的规划、中共中央"
           "和国务院印发的纲要）；依《中华人民共和国著作权法》第五条，此类具有立法、行政、司法性质的文件不适用该法保护，"
           "本项目对其不主张任何权利，也无权授予许可。许可仅涵盖本项目添加的内容。参考数据取自各行所列公开网页，部分为"
           "第三方转载，使用前请核对原始发布者。"),
}


def cite_as(version: str) -> str:
    """The "cite as" line of the dataset (also in CITATION.cff)."""
    return (f"ipcompare contributors (2026). ipcompare: quantified targets of Chinese cities' intellectual-property "
            f"plans [dataset], version {version}. Licensed CC BY 4.0.")


@lru_cache(maxsize=1)
def codebook_zh() -> dict:
    """``codebook_zh.yaml``: Chinese labels and meanings of columns and codes."""
    path = REGISTRY_DIR / "codebook_zh.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None


def table_names() -> list[str]:
    """Every table of columns.yaml: the six core tables first, then any others by name."""
    order = list(TABLE_TITLES)
    return order + sorted(t for t in table_specs() if t not in order)


def column_rows(table: str) -> list[list[str]]:
    """One row per column of ``table``: name, zh label, type, unit, English and Chinese meaning."""
    specs, zh = column_specs(), codebook_zh()["columns"]
    rows = []
    for col in table_specs()[table]["columns"]:
        z = zh.get(col, {})
        rows.append([col, z.get("zh", ""), specs[col]["type"], str(z.get("unit", "")), specs[col]["description"],
                     z.get("zh_description", "")])
    return rows


def code_lists(registry: Registry) -> dict[str, list[list[str]]]:
    """Every code list as rows of [code, zh, meaning]: vocab lists, per, group, vintage, source grade, units."""
    zh, enums = codebook_zh()["codes"], codebook_zh()["enums"]
    lists: dict[str, list[list[str]]] = {}
    for field, codes in registry.vocab.items():
        lists[field] = [[code, zh.get(field, {}).get(code, ""), meaning] for code, meaning in codes.items()]
    for field, codes in enums.items():
        lists[field] = [[code, v["zh"], v["en"]] for code, v in codes.items()]
    lists["unit"] = [[u.code, u.name_zh, f"{u.name_en}; written as {'、'.join(u.counters)}"]
                     for u in registry.units.values()]
    return lists


def indicator_rows(registry: Registry) -> list[list[str]]:
    """[code, name_zh, name_en, group, unit, per] of every indicator."""
    return [[i.code, i.name_zh, i.name_en, i.group, i.unit, i.per or ""] for i in registry.indicators.values()]


def missing_entries(registry: Registry) -> list[str]:
    """Columns and codes the codebook lacks (a Chinese label or meaning), one line each; empty when complete."""
    zh = codebook_zh()
    missing = []
    for table in table_names():
        for col in table_specs()[table]["columns"]:
            z = zh["columns"].get(col) or {}
            if not z.get("zh") or not z.get("zh_description"):
                missing.append(f"column {table}.{col}: no zh / zh_description in codebook_zh.yaml")
    for field, codes in registry.vocab.items():
        missing += [f"code {field}={c}: no zh label in codebook_zh.yaml" for c in codes
                    if not zh["codes"].get(field, {}).get(c)]
    for field, declared in (("per", get_args(Per)), ("group", get_args(Group))):
        missing += [f"code {field}={c}: not in codebook_zh.yaml enums" for c in declared
                    if c not in zh["enums"].get(field, {})]
    return missing


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def cell(v: object) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def readme_markdown(tables: dict[str, pd.DataFrame], version: str, registry: Registry,
                    docs: list[DocumentMeta]) -> str:
    """data/tidy/README.md: files, how to cite, licence, every table and column, every code list, sources."""
    out = [
        "# ipcompare dataset · 城市知识产权规划量化目标数据集",
        "",
        f"Dataset version 数据版本: **{version}** (changes exactly when a value in a table changes). "
        "Generated by `ipcompare build` from the registry (`ipcompare/registry/`); do not edit by hand.",
        "",
        "Every value in `observations` and `statements` comes with the exact quote (`quote`) and its character "
        "offsets (`char_start`, `char_end`) in the stored source text. 每个数值都附有原文引文及其在原文中的位置。",
        "",
        "## Files 文件",
        "",
        _md_table(["table 表", "rows 行数", "中文", "what", "files"],
                  [[n, len(tables[n]), TABLE_TITLES.get(n, ("", ""))[0], TABLE_TITLES.get(n, ("", n))[1],
                    f"`{n}.csv`, `{n}.parquet`"] for n in table_names() if n in tables]),
        "",
        "`ipcompare.xlsx` holds every table (one sheet each, zh/en headers, filters) and this codebook in its "
        "README sheet; `datapackage.json` is the Frictionless descriptor (schemas, checksums, sources).",
        "",
        "**Opening the files.** CSVs are UTF-8 with a byte-order mark, so Excel (any locale) shows Chinese "
        "correctly on double-click; pandas (`pd.read_csv(path, dtype={'geo_code': str})`), polars "
        "(`pl.read_csv(path)`), R readr (`readr::read_csv(path)`) and data.table (`fread`) skip the mark. "
        "Base R: `read.csv(path, fileEncoding = 'UTF-8-BOM')`. Keep `geo_code` as text (leading digits matter). "
        "In the workbook, row 1 holds the column names and row 2 their Chinese labels: "
        "`pd.read_excel(path, sheet_name='observations', skiprows=[1])`.",
        "",
        "## How to cite 引用",
        "",
        cite_as(version),
        "",
        "See also `CITATION.cff` in the repository (software and dataset).",
        "",
        "## Licence 许可",
        "",
        f"[{LICENCE['id']}]({LICENCE['url']}). {LICENCE['en']}",
        "",
        LICENCE["zh"],
        "",
        "## Tables and columns 表与字段",
        "",
        "Types: `string`, `integer`, `number` (floating point), `boolean`. Empty cells are missing values.",
    ]
    for name in table_names():
        title_zh, title_en = TABLE_TITLES.get(name, ("", name))
        key = ", ".join(f"`{k}`" for k in table_specs()[name]["primary_key"])
        out += ["", f"### `{name}` · {title_zh} — {title_en}", "", f"Primary key 主键: {key}", "",
                _md_table(COLUMN_HEADERS, [[f"`{r[0]}`", *r[1:]] for r in column_rows(name)])]
    out += ["", "## Code lists 代码表"]
    for field, rows in code_lists(registry).items():
        out += ["", f"### `{field}`", "", _md_table(["code 代码", "中文", "meaning 含义"], [[f"`{r[0]}`", *r[1:]] for r in rows])]
    out += ["", "### `indicator` · 指标", "",
            "Values are in the indicator's base `unit`; `per` names the denominator of a rate (empty: absolute).",
            "", _md_table(["code 代码", "中文名称", "name", "group", "unit", "per"], indicator_rows(registry))]
    out += ["", "## Sources 来源", "",
            _md_table(["doc_id", "title 标题", "issuer 发文机关", "source_url", "grade 等级"],
                      [[d.doc_id, d.title_zh, d.issuer_zh, d.source_url, d.source_grade]
                       for d in sorted(docs, key=lambda d: d.doc_id)]), ""]
    return "\n".join(out)
