"""The tidy dataset: required facts, every value against its quote, golden files, determinism."""

import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest

from ipcompare.build import build_tables, read_inputs
from ipcompare.documents import load_documents, read_document
from ipcompare.export import render_files
from ipcompare.statements import measured_value
from ipcompare.validate import quote_problems
from ipcompare.version import dataset_version

ROOT = Path(__file__).resolve().parent.parent
RAW, TIDY, GOLDEN = ROOT / "data" / "raw", ROOT / "data" / "tidy", Path(__file__).parent / "golden"
GOLDEN_DOCS = ["zhengzhou_2022_2025", "maanshan_2024_2026", "national_outline_2021_2035"]
GOLDEN_COLS = ["obs_id", "indicator", "kind", "measure", "year", "month", "period_start", "period_end", "value",
               "value_high", "unit", "per", "comparator", "commitment", "value_text", "char_start", "char_end",
               "n_mentions", "flags"]


def _fresh_files():
    inputs = read_inputs(RAW)
    tables = build_tables(inputs)
    files = render_files(tables, dataset_version(tables), inputs.registry,
                         [d.meta for d in inputs.documents.values()])
    return tables, files


@pytest.fixture(scope="module")
def fresh():
    return _fresh_files()


def _one(ds, geo, indicator, year, kind="target"):
    o = ds.observations
    hit = o[(o.geo_code == geo) & (o.indicator == indicator) & (o.year == year) & (o.kind == kind)]
    assert len(hit) >= 1, f"no {kind} {indicator} {year} for {geo}"
    return hit.iloc[0]


def test_required_facts(ds):
    """The six facts the foundation issue names, exactly."""
    zz = _one(ds, "410100", "high_value_invention_patents_per_10k", 2025)
    assert (zz.value, zz.comparator, zz.commitment, zz.month, zz.per) == (11.5, "=", "firm", 6, "10k_population")
    ma = _one(ds, "340500", "ip_pledge_financing", 2026)
    assert (ma.value, ma.comparator, ma.unit) == (2.5e9, ">=", "CNY")
    sz = _one(ds, "320500", "ip_protection_satisfaction", 2025)
    assert (sz.value, sz.comparator, sz.unit) == (85, ">=", "points")
    lh = _one(ds, "331082", "invention_patents_per_10k", 2020, kind="baseline")
    assert (lh.value, lh.per) == (26.9, "10k_population")
    nc = _one(ds, "360100", "invention_patents_per_10k", 2017)
    assert (nc.value, nc.comparator) == (10, ">=")
    cn = _one(ds, "100000", "high_value_invention_patents_per_10k", 2025)
    assert (cn.value, cn.comparator) == (12, "=")


def test_every_value_matches_its_quote(ds):
    """Quote at its offsets, value_text inside the quote, value parsed back from value_text (under its measure:
    增长1.51倍 coded growth_rate is 151 %)."""
    texts = {d: read_document(RAW, m).text for d, m in load_documents(RAW).items()}
    assert quote_problems(ds.observations, texts) == []
    assert quote_problems(ds.statements.rename(columns={"stmt_id": "obs_id"}), texts) == []
    for r in ds.observations.dropna(subset=["value"]).itertuples():
        assert measured_value(r.value_text, r.measure).value == pytest.approx(r.value), r.obs_id


def test_unreadable_numbers_are_kept_without_value(ds):
    unread = ds.statements[ds.statements["flags"].fillna("").str.contains("ocr_unreadable")]
    assert {"超UOo名", "超00名"} <= set(unread.value_text)
    assert unread.value.isna().all()


def test_restatements_fold_and_conflicts_are_kept(ds):
    obs = ds.observations
    assert obs.n_mentions.max() > 1
    assert obs.n_mentions.sum() == len(ds.statements)
    conflicts = obs[obs["flags"].fillna("").str.contains("conflict")]
    for _, grp in conflicts.groupby(["geo_code", "indicator", "kind", "measure", "year"]):
        assert grp.value.nunique() > 1


@pytest.mark.parametrize("doc_id", GOLDEN_DOCS)
def test_golden_observations(fresh, doc_id):
    """Pinned observations of three documents; regenerate with `python tests/update_golden.py` after review."""
    tables, _ = fresh
    got = tables["observations"].query("doc_id == @doc_id")[GOLDEN_COLS]
    want = (GOLDEN / f"observations_{doc_id}.csv").read_text(encoding="utf-8")
    assert got.to_csv(index=False, lineterminator="\n") == want


def test_committed_tidy_matches_a_fresh_build(fresh):
    _, files = fresh
    stale = [n for n, data in files.items() if (TIDY / n).read_bytes() != data]
    assert not stale, f"data/tidy is stale ({stale}); run `ipcompare build` and commit"


def test_build_is_deterministic(fresh):
    _, files = fresh
    _, again = _fresh_files()
    assert {n: hashlib.sha256(b).hexdigest() for n, b in files.items()} == {
        n: hashlib.sha256(b).hexdigest() for n, b in again.items()}


def test_csv_and_parquet_agree_and_read_in_polars():
    import polars as pl

    csv_obs = pd.read_csv(TIDY / "observations.csv", dtype={"geo_code": str})
    pq_obs = pd.read_parquet(TIDY / "observations.parquet")
    assert list(csv_obs.columns) == list(pq_obs.columns)
    assert len(csv_obs) == len(pq_obs)
    assert pl.read_parquet(TIDY / "observations.parquet").height == len(pq_obs)
    # Row 2 of each table sheet holds the Chinese labels of the column names in row 1.
    xl = pd.read_excel(TIDY / "ipcompare.xlsx", sheet_name=None, skiprows=[1])
    assert {"README", "observations", "statements", "indicators", "geographies", "documents", "reference"} <= set(xl)
    assert len(xl["observations"]) == len(pq_obs)
    assert list(xl["observations"].columns) == list(pq_obs.columns)


def test_datapackage_describes_every_column_and_hash():
    import json

    pkg = json.loads((TIDY / "datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        data = (TIDY / res["path"]).read_bytes()
        # Parquet checksums sit under sha256: frictionless cannot check a Parquet source's bytes/hash.
        declared = res["hash"] if "hash" in res else "sha256:" + res["sha256"]
        assert declared == "sha256:" + hashlib.sha256(data).hexdigest()
        if res["format"] == "csv":
            header = io.StringIO(data.decode("utf-8-sig")).readline().strip().split(",")
            assert [f["name"] for f in res["schema"]["fields"]] == header
            assert all(f["description"] for f in res["schema"]["fields"])
