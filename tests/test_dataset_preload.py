"""A batch loads the dataset once, before its kernels are forked (dataset.preload, report/data_preload.py); each
kernel's first load() takes that copy — only while the files it was read from are still there, unchanged."""

from __future__ import annotations

import os
import shutil

import pytest

from ipcompare import dataset
from ipcompare.analysis import pool
from ipcompare.analysis.prewarm import preload_dataset
from ipcompare.paths import tidy_dir


@pytest.fixture()
def tidy(tmp_path, monkeypatch):
    folder = tmp_path / "tidy"
    shutil.copytree(tidy_dir(), folder)
    monkeypatch.setattr(dataset, "_KEPT", {})
    return folder


def test_first_load_takes_the_preloaded_copy_and_later_loads_read_the_files(tidy):
    kept = dataset.preload(tidy)
    assert dataset.load(tidy) is kept
    again = dataset.load(tidy)
    assert again is not kept  # every later load() gives a Dataset of its own
    assert again.version == kept.version and again.observations.equals(kept.observations)


def test_a_rebuilt_file_is_read_again_not_served_from_the_copy(tidy):
    kept = dataset.preload(tidy)
    obs = tidy / "observations.parquet"
    # A rebuild writes whole new files (a new inode); rewriting the same bytes is enough to count as a new file.
    data = obs.read_bytes()
    obs.unlink()
    obs.write_bytes(data)
    assert dataset.load(tidy) is not kept


def test_a_touched_file_is_read_again(tidy):
    kept = dataset.preload(tidy)
    st = (tidy / "reference.parquet").stat()
    os.utime(tidy / "reference.parquet", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert dataset.load(tidy) is not kept


def test_another_folder_is_not_served_the_copy(tidy, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(tidy, other)
    kept = dataset.preload(tidy)
    assert dataset.load(other) is not kept
    assert dataset.load(tidy) is kept  # still there for its own folder


def test_preloading_a_missing_dataset_is_quiet_and_load_still_says_what_is_wrong(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset, "_KEPT", {})
    monkeypatch.setenv("IPCOMPARE_HOME", str(tmp_path))  # no data/tidy there
    preload_dataset()
    assert dataset._KEPT == {}
    with pytest.raises(dataset.DatasetNotBuiltError, match="ipcompare build"):
        dataset.load()


def test_preload_computes_the_whole_dataset_results_once(tidy, monkeypatch):
    monkeypatch.setattr(dataset, "tidy_dir", lambda: tidy)
    preload_dataset()
    ds = dataset.load(tidy)
    calls = []
    monkeypatch.setattr(pool, "resolve", lambda *a, **k: calls.append(1))
    pool.resolved(ds)
    pool.records(ds, "high_value_invention_patents_per_10k", "target")
    from ipcompare.analysis import lookup

    lookup.geo_records(ds, "410100")
    assert calls == []  # resolved before the report asked
    monkeypatch.setattr(lookup, "column_records", lambda *a: calls.append(2))
    lookup.reference_rows(ds, "410100")
    assert calls == []  # and each place's reference rows indexed


def test_the_process_workers_are_forked_from_freezes_what_it_preloaded():
    """data_preload (the pool's server, a Dask worker's kernel server) leaves its imports and dataset frozen out
    of the collector's sight, so no full collection in a worker or kernel forked from it walks them again."""
    import subprocess
    import sys

    code = "import gc, ipcompare.report.data_preload; print(gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert int(out.stdout.strip()) > 50_000
