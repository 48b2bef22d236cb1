"""Warm kernels (ipcompare/report/warm.py): each job's kernel is forked from a pre-imported process that has
loaded the dataset, and no state one job leaves behind — matplotlib rcParams, module globals, caches, the
dataset's tables — reaches the next job."""

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
# The batch's dataset, loaded once before the kernels were forked: this kernel's load() takes it, as it was.
import ipcompare, ipcompare.dataset
from ipcompare.analysis import pool
handed = [kept for _, kept in ipcompare.dataset._KEPT.values()]
ds = ipcompare.load()
if not any(kept is ds for kept in handed):
    problems.append("dataset not handed over")
if (ds.observations.value == -1).all() or (pool.resolved(ds).value == -1).all():
    problems.append("dataset leaked")
# What the kernel inherited (the imports, the dataset) is out of the collector's sight: no full collection walks it.
import gc
if gc.get_freeze_count() < 50_000:
    problems.append(f"inherited objects not frozen ({gc.get_freeze_count()})")
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
import ipcompare.dataset
from ipcompare.analysis import pool
for _, ds in ipcompare.dataset._KEPT.values():  # the copy this kernel's load() will take
    ds.observations["value"] = -1.0
    pool.resolved(ds)["value"] = -1.0
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
    assert "dataset leaked" in by_job["first_dirty"].error
    # ... and none of it in the kernels of the jobs after it, which were forked from the warm process.
    for name in ("then_check", "check_again"):
        assert by_job[name].status == "ok", by_job[name].error
        assert (out / f"{name}.pdf").exists()


_SERVER_PROBE = r'''
import multiprocessing, os, sys
from multiprocessing import forkserver

def probe(queue):
    queue.put(("ipcompare.report.kernel_preload" in sys.modules, os.getppid()))

if __name__ == "__main__":
    from ipcompare.report import warm
    warm.serve_kernels_from_here()
    server = forkserver._forkserver._forkserver_pid
    with open(f"/proc/{server}/cmdline", "rb") as f:
        server_cmd = f.read()
    with open(f"/proc/{os.getpid()}/cmdline", "rb") as f:
        own_cmd = f.read()
    ctx = multiprocessing.get_context("forkserver")
    queue = ctx.SimpleQueue()
    p = ctx.Process(target=probe, args=(queue,))
    p.start()
    preloaded, parent = queue.get()
    p.join()
    print(server_cmd == own_cmd, preloaded, parent == server, p.exitcode)
'''


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/cmdline"), reason="needs /proc")
def test_kernel_server_is_a_fork_of_the_worker_not_a_new_interpreter(tmp_path):
    # multiprocessing's own fork server is a new interpreter ("python -c 'from multiprocessing.forkserver import
    # main; ...'") that imports the preload again; ours is forked from the process that imported it.
    import subprocess
    import sys

    script = tmp_path / "probe.py"
    script.write_text(_SERVER_PROBE, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         cwd=str(tmp_path), env={**__import__("os").environ,
                                                 "PYTHONPATH": str(__import__("pathlib").Path(__file__).parents[1])})
    assert out.returncode == 0, out.stderr[-2000:]
    same_cmdline, preloaded, parent_is_server, exitcode = out.stdout.split()
    assert same_cmdline == "True"  # the server runs this interpreter's command line: a fork, not a new one
    assert preloaded == "True" and parent_is_server == "True" and exitcode == "0"


def test_pool_workers_and_their_kernels_come_from_one_warm_process(notebook, tmp_path, monkeypatch):
    monkeypatch.delenv("IPCOMPARE_COLD_KERNELS", raising=False)
    # Two workers; the dirty job and the checks after it share workers, and no state crosses from one to another.
    jobs = [make_job(notebook, {"mode": "dirty"}, name="dirty")] + [
        make_job(notebook, {"mode": "check"}, name=f"check{i}") for i in range(3)]
    results, _ = run_jobs(jobs, tmp_path / "out", n_jobs=2, progress=False)
    by_job = {r.job: r for r in results}
    assert by_job["dirty"].status == "failed" and "rcParams leaked" in by_job["dirty"].error
    assert "dataset leaked" in by_job["dirty"].error
    for i in range(3):
        assert by_job[f"check{i}"].status == "ok", by_job[f"check{i}"].error


def test_report_kernels_are_ready_when_the_kernel_info_exchange_ends():
    # jupyter_client's client waits for 0.2 s of IOPub silence after the kernel answers; ours stops at the
    # kernel's "idle" for its own kernel_info request, and only there (not at another request's idle).
    import asyncio
    from queue import Empty

    from ipcompare.report.kernel_client import ReadyClient
    from ipcompare.report.kernels import manager_class as _kernel_manager_class

    assert _kernel_manager_class()().client_factory is ReadyClient

    class Channel:
        def __init__(self, msgs):
            self.msgs = list(msgs)

        async def get_msg(self, timeout=None):
            if not self.msgs:
                raise Empty
            return self.msgs.pop(0)

    def status(state, parent):
        return {"msg_type": "status", "content": {"execution_state": state}, "parent_header": {"msg_id": parent}}

    client = ReadyClient()
    client._iopub_channel = Channel([status("starting", ""), status("busy", "req"), status("idle", "other"),
                                     {"msg_type": "stream", "content": {}, "parent_header": {}},
                                     status("idle", "req"), status("idle", "later")])
    assert asyncio.run(client._exchange_ended("req")) is True
    assert [m["parent_header"]["msg_id"] for m in client._iopub_channel.msgs] == ["later"]  # read up to it only
    client._iopub_channel = Channel([status("busy", "req")])
    assert asyncio.run(client._exchange_ended("req")) is False  # IOPub silent: the caller asks again


def test_the_pool_server_ends_without_tearing_down_what_it_preloaded(tmp_path):
    # The batch waits for its pool server to end; its interpreter's teardown (atexit handlers registered before
    # the preload, module clean-up, every preloaded object) was 0.7 s of that wait. Registered first, this
    # handler would run last: it must not run at all, and the process must still end with status 0.
    import os
    import subprocess
    import sys
    from pathlib import Path

    marker = tmp_path / "teardown_ran"
    code = (f"import atexit\natexit.register(lambda: open({str(marker)!r}, 'w').close())\n"
            "import ipcompare.report.data_preload\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    assert out.returncode == 0, out.stderr[-2000:]
    assert not marker.exists()
