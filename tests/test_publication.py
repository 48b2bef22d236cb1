"""Publication: codebook complete, datapackage valid, files open cleanly, versions and licence stated."""

import json
import tomllib
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from openpyxl import load_workbook

from ipcompare import codebook
from ipcompare.cli import main
from ipcompare.registry import load_registry
from ipcompare.schema import table_specs

ROOT = Path(__file__).resolve().parent.parent
TIDY = ROOT / "data" / "tidy"


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_codebook_has_every_column_and_code(registry):
    """Expectations come from the registry, so a table or code added later is covered without editing this."""
    assert codebook.missing_entries(registry) == []
    readme = (TIDY / "README.md").read_text(encoding="utf-8")
    for table, spec in table_specs().items():
        assert f"### `{table}`" in readme
        for col in spec["columns"]:
            assert f"| `{col}` |" in readme, f"{table}.{col} not in data/tidy/README.md"
    for field, codes in registry.vocab.items():
        for code in codes:
            assert f"| `{code}` |" in readme, f"{field}={code} not in data/tidy/README.md"
    for ind in registry.indicators.values():
        assert f"| {ind.code} | {ind.name_zh} | {ind.name_en} |" in readme
    for unit in registry.units:
        assert f"| `{unit}` |" in readme
    assert "CC BY 4.0" in readme and "著作权法" in readme and "How to cite" in readme


def test_codebook_reports_a_missing_label(registry, monkeypatch):
    """Drop one column's and one flag's Chinese entry: both are reported, naming table, column and code."""
    import copy

    cb = copy.deepcopy(codebook.codebook_zh())
    del cb["columns"]["n_mentions"]
    del cb["codes"]["flags"]["conflict"]
    monkeypatch.setattr(codebook, "codebook_zh", lambda: cb)
    missing = codebook.missing_entries(registry)
    assert "column observations.n_mentions: no zh / zh_description in codebook_zh.yaml" in missing
    assert "code flags=conflict: no zh label in codebook_zh.yaml" in missing


def test_frictionless_validates_the_datapackage():
    from frictionless import Package

    report = Package(str(TIDY / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "message"])[:5]


@pytest.mark.parametrize("table", list(table_specs()))
def test_csv_headers_are_clean_in_pandas_and_polars(table):
    """The BOM that makes Excel read UTF-8 must not leak into the first column name."""
    path = TIDY / f"{table}.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    cols = table_specs()[table]["columns"]
    assert list(pd.read_csv(path, nrows=1).columns) == cols
    assert pl.read_csv(path, n_rows=1, infer_schema=False).columns == cols
    assert pd.read_csv(path, dtype=str)[cols[0]].notna().all()


def test_excel_observations_sheet_has_frozen_filtered_bilingual_headers():
    wb = load_workbook(TIDY / "ipcompare.xlsx")
    ws = wb["observations"]
    cols = table_specs()["observations"]["columns"]
    zh = codebook.codebook_zh()["columns"]
    assert [c.value for c in ws[1]] == cols
    assert [c.value for c in ws[2]] == [zh[c]["zh"] for c in cols]
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2:") and ws.auto_filter.ref.endswith(str(ws.max_row))
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert all(6 <= w <= 60 for w in widths) and max(widths) == 60  # quotes capped, not screen-wide
    readme = [[c for c in row if c is not None] for row in wb["README"].iter_rows(values_only=True)]
    flat = {str(v) for row in readme for v in row}
    assert {"ambiguous_measure", "new_in_period", "aspirational", "10k_population"} <= flat
    assert any("CC-BY-4.0" in v for v in flat)


def test_version_prints_code_and_dataset_versions(capsys):
    from ipcompare import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    dataset = json.loads((TIDY / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert f"ipcompare {__version__} (code)" in out and f"dataset {dataset}" in out


def test_dataset_version_follows_the_values_only():
    from ipcompare.version import dataset_version

    tables = {n: pd.read_parquet(TIDY / f"{n}.parquet") for n in table_specs()}
    v = dataset_version(tables)
    assert v == json.loads((TIDY / "datapackage.json").read_text(encoding="utf-8"))["version"]
    changed = dict(tables, observations=tables["observations"].assign(value=tables["observations"]["value"] * 1))
    assert dataset_version(changed) == v  # same values, new frame
    bumped = tables["observations"].copy()
    bumped.loc[0, "value"] = (bumped.loc[0, "value"] or 0) + 1
    assert dataset_version(dict(tables, observations=bumped)) != v


def test_licences_and_citation_are_declared():
    proj = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert proj["license"] == "MIT" and proj["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    from ipcompare import __version__

    assert cff["license"] == "MIT" and cff["version"] == __version__
    data = [r for r in cff["references"] if r["type"] == "data"]
    assert data and data[0]["license"] == "CC-BY-4.0"
    assert "CC BY 4.0" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (ROOT / "CHANGELOG.md").exists()


def test_pdf_carries_document_metadata(tmp_path):
    import nbformat
    from pypdf import PdfReader

    from ipcompare.report.pdf import TitleBlock, html_to_pdf, notebook_to_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 郑州市 · 城市概况\n\n正文。")])
    html = notebook_to_html(nb, TitleBlock(keywords=["city_profile", "zhengzhou"]))
    html_to_pdf(html, tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    meta = reader.metadata
    assert meta.title == "郑州市 · 城市概况"
    assert meta.author == "ipcompare"
    assert meta.subject and "ipcompare" in meta.subject
    assert "zhengzhou" in meta["/Keywords"] and "知识产权" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_report_batch_without_a_file_means_the_default_batch(capsys):
    """`ipcompare report --batch` alone resolves to reports/batch.yaml here (the packaged copy elsewhere)."""
    assert main(["report", "--batch", "--only", "no_such_job*"]) == 1
    err = capsys.readouterr().err
    assert f"matches no job in {ROOT / 'reports' / 'batch.yaml'}" in err


def test_paths_use_the_packaged_copy_only_outside_a_checkout(tmp_path, monkeypatch):
    from ipcompare import paths

    monkeypatch.delenv("IPCOMPARE_HOME", raising=False)
    monkeypatch.setattr(paths, "_PACKAGE", tmp_path / "site-packages" / "ipcompare")  # as if installed
    monkeypatch.chdir(tmp_path)
    packaged = tmp_path / "site-packages" / "ipcompare" / "_data"
    assert paths.checkout_root() is None
    assert (paths.tidy_dir(), paths.notebooks_dir(), paths.default_batch()) == (
        packaged / "tidy", packaged / "notebooks", packaged / "batch.yaml")
    assert paths.report_out_dir() == tmp_path
    clone = tmp_path / "clone"
    (clone / "data" / "raw").mkdir(parents=True)
    (clone / "data" / "raw" / "documents.yaml").write_text("[]\n", encoding="utf-8")
    (clone / "notebooks").mkdir()
    monkeypatch.chdir(clone / "notebooks")
    assert paths.tidy_dir() == clone / "data" / "tidy" and paths.report_out_dir() == clone / "reports" / "out"
