"""The default batch (reports/batch.yaml) on the real notebooks and dataset, as `make reports` renders it."""

from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from test_report import pdf_text, unembedded_fonts

from ipcompare.registry import load_registry
from ipcompare.report.index import read_index
from ipcompare.report.runner import load_batch, run_jobs

BATCH = Path(__file__).resolve().parent.parent / "reports" / "batch.yaml"
SPEC = {j["name"]: j for j in yaml.safe_load(BATCH.read_text(encoding="utf-8"))["jobs"]}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    results, ctx = run_jobs(load_batch(BATCH), out, n_jobs=2, progress=False)
    from ipcompare.report.index import write_index

    write_index(results, ctx)
    return out, {r.job: r for r in results}


@pytest.mark.parametrize("job", list(SPEC))
def test_every_report_renders(rendered, job):
    out, results = rendered
    r = results[job]
    assert r.status == "ok", r.error
    assert r.warnings == []  # e.g. text past the right margin: the printed page would cut it off
    pdf = out / f"{job}.pdf"
    assert len(PdfReader(pdf).pages) >= 1
    assert unembedded_fonts(pdf) == []
    text = pdf_text(pdf)
    params = SPEC[job].get("parameters") or {}
    for key in [params["city"]] if "city" in params else params.get("cities", []):
        assert load_registry().geography(key).name_zh in text
    assert "def show(" not in text and "ipcompare.load()" not in text  # the notebooks' code cells are hidden


def test_index_lists_the_batch(rendered):
    out, _ = rendered
    rows = read_index(out)
    assert [r["job"] for r in rows] == list(SPEC)
    assert {r["status"] for r in rows} == {"ok"}
    assert all(r["dataset_version"] != "unknown" and r["git_commit"] for r in rows)
