"""Run a batch on Dask distributed: a local cluster (``--scheduler local``) or an existing one (``--scheduler ADDR``).

The same job function as the process pool (:func:`ipcompare.report.runner.run_job`) runs on the Dask workers, so
a job's failure is still a failed result of that job, a dead worker fails only the job it was running, and the
caller gets the same results for its progress bar and index. Dask does the scheduling; nothing here is a
scheduler. Requires the optional extra ``ipcompare[dask]``.

Workers must see the same paths as the client — the checkout (or the installed package), the notebooks and the
output folder — e.g. a shared filesystem; see the README. A worker runs one job at a time (a lock per worker
process): a job's kernel bookkeeping is per process, and a report saturates one core anyway.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from ipcompare.report.params import ReportError

if TYPE_CHECKING:
    from ipcompare.report.runner import Job, JobResult, RunContext

__all__ = ["run_on_dask", "DaskUnavailable"]

_ONE_AT_A_TIME = threading.Lock()


class DaskUnavailable(ReportError):
    """dask.distributed is not installed, or the scheduler cannot be reached."""


def _run_on_worker(job: Job, ctx: RunContext, env: dict[str, str]) -> JobResult:
    """The task each Dask worker runs: one report, with the kernels' environment of this batch."""
    from ipcompare.report import kernels, runner

    with _ONE_AT_A_TIME:
        kernels.KERNEL_ENV.clear()
        kernels.KERNEL_ENV.update(env)
        return runner.run_job(job, ctx)


def _client(scheduler: str, n_workers: int):
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskUnavailable("--scheduler needs Dask: pip install 'ipcompare[dask]'") from None
    if scheduler == "local":
        # Non-daemonic worker processes may start child processes: the warm kernels' fork server.
        with dask.config.set({"distributed.worker.daemon": False}):
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="20s"), None
    except (OSError, TimeoutError) as exc:
        raise DaskUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def run_on_dask(jobs: list[Job], ctx: RunContext, env: dict[str, str], *, scheduler: str, n_workers: int,
                done: Callable[[JobResult], None], crashed: Callable[[Job, BaseException], JobResult]) -> None:
    """Submit every job to the cluster and call ``done`` with each result as it arrives.

    ``crashed`` turns a task that raised (its worker died, or the cluster lost it) into that job's failed
    result. On SIGINT/SIGTERM (the runner's Stop) the remaining tasks are cancelled and the client closed.
    """
    from distributed import as_completed

    client, cluster = _client(scheduler, n_workers)
    batch = uuid.uuid4().hex[:8]
    futures = {}
    try:
        for job in jobs:
            fut = client.submit(_run_on_worker, job, ctx, env, key=f"ipcompare-{batch}-{job.name}", pure=False,
                                retries=0)
            futures[fut] = job
        for fut in as_completed(list(futures)):
            job = futures[fut]
            try:
                r = fut.result()
            except Exception as exc:  # the task did not return: its worker died or the cluster lost it
                r = crashed(job, exc)
            done(r)
    except BaseException:
        client.cancel(list(futures), force=True)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
