"""The Dask executor (``ipcompare report --batch … --scheduler local``): a job of the default batch rendered on a
local cluster, next to a failing job that fails alone; results, progress lines and index as with the pool."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ipcompare.paths import default_batch
from ipcompare.report import cli as report_cli
from ipcompare.report.batch import read_batch

FIXTURE = Path(__file__).parent / "fixtures" / "report_fixture.ipynb"


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    jobs, _ = read_batch(default_batch())
    (profile,) = [j for j in jobs if j.name == "city_profile_linhai"]
    batch = folder / "batch.yaml"
    batch.write_text(
        "jobs:\n"
        f"  - {{name: {profile.name}, notebook: {profile.notebook}, parameters: {{city: linhai}}}}\n"
        f"  - {{name: fixture_broken, notebook: {FIXTURE}, parameters: {{city: nanchang, fail: true}}}}\n",
        encoding="utf-8")
    out = folder / "out"
    args = report_cli.argparse.ArgumentParser()
    sub = args.add_subparsers()
    report_cli.register(sub)
    ns = args.parse_args(["report", "--batch", str(batch), "--scheduler", "local", "-j", "2", "--out", str(out),
                          "--no-progress"])
    code = ns.func(ns)
    return code, out


def test_default_batch_job_renders_on_a_local_cluster(dask_run):
    code, out = dask_run
    assert code == 1  # one job failed, on purpose
    with open(out / "index.csv", encoding="utf-8-sig") as fh:
        rows = {r["job"]: r for r in csv.DictReader(fh)}
    assert rows["city_profile_linhai"]["status"] == "ok"
    assert (out / "city_profile_linhai.pdf").read_bytes().startswith(b"%PDF")
    assert int(rows["city_profile_linhai"]["pages"]) >= 2


def test_failing_job_fails_alone_on_the_cluster(dask_run):
    _, out = dask_run
    with open(out / "index.csv", encoding="utf-8-sig") as fh:
        rows = {r["job"]: r for r in csv.DictReader(fh)}
    assert rows["fixture_broken"]["status"] == "failed"
    assert "deliberate failure" in rows["fixture_broken"]["error"]
    assert not (out / "fixture_broken.pdf").exists()
