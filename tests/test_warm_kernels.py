"""Warm kernels (ipcompare/report/warm.py): each job's kernel is forked from a pre-imported process, and no
state one job leaves behind — matplotlib rcParams, module globals, caches — reaches the next job."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ipcompare.report.runner import make_job, run_jobs

# Job "dirty" changes every kind of process state a notebook can touch; job "check" (run after it, by the same
# worker) fails if it sees any of it, or if its kernel was not forked from the warm process.
_CHECK = '''
import sys
import matplotlib
import ipcompare.columns, ipcompare.plots
problems = []
if "ipcompare.report.kernel_preload" not in sys.modules:
    problems.append("kernel not forked from the warm process")
if matplotlib.rcParams["lines.linewidth"] == 9.5 or matplotlib.rcParams["font.size"] == 3.0:
    problems.append("rcParams leaked")
if "leak" in ipcompare.plots.TEXT:
    problems.append("module global leaked")
if "__leak__" in ipcompare.columns.table_specs():
    problems.append("cache leaked")
if getattr(sys, "_ipcompare_leak", False):
    problems.append("interpreter state leaked")
if problems:
    raise RuntimeError("; ".join(problems))
'''
_DIRTY = '''
import sys
import matplotlib
import ipcompare.columns, ipcompare.plots
matplotlib.rcParams["lines.linewidth"] = 9.5
matplotlib.rcParams["font.size"] = 3.0
ipcompare.plots.TEXT["leak"] = {}
ipcompare.columns.table_specs()["__leak__"] = {}
sys._ipcompare_leak = True
'''


@pytest.fixture()
def notebook(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell('mode = "check"', metadata={"tags": ["parameters"]}),
        new_code_cell(f"if mode == 'dirty':\n    exec({_DIRTY!r})\n"),
        new_code_cell(_CHECK),
        new_code_cell('print("clean")'),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "state.ipynb"
    nbformat.write(nb, path)
    return path


def test_jobs_share_the_warm_imports_but_no_state(notebook, tmp_path, monkeypatch):
    monkeypatch.delenv("IPCOMPARE_COLD_KERNELS", raising=False)
    jobs = [make_job(notebook, {"mode": "dirty"}, name="first_dirty"),
            make_job(notebook, {"mode": "check"}, name="then_check"),
            make_job(notebook, {"mode": "check"}, name="check_again")]
    out = tmp_path / "out"
    # One worker: the three jobs run one after the other from the same warm process.
    results, _ = run_jobs(jobs, out, n_jobs=1, progress=False)
    by_job = {r.job: r for r in results}
    # The check sees state changed in its own kernel (so it can fail) ...
    assert by_job["first_dirty"].status == "failed" and "rcParams leaked" in by_job["first_dirty"].error
    assert "module global leaked" in by_job["first_dirty"].error and "cache leaked" in by_job["first_dirty"].error
    # ... and none of it in the kernels of the jobs after it, which were forked from the warm process.
    for name in ("then_check", "check_again"):
        assert by_job[name].status == "ok", by_job[name].error
        assert (out / f"{name}.pdf").exists()
