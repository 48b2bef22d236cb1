"""Stopping a batch on SIGINT (Ctrl-C) or SIGTERM: promptly, with no worker or kernel left behind.

The main process turns either signal into :class:`Stop` (a BaseException, so that a job's own error handling
cannot swallow it), drops the queue, ends the workers — each ends its kernel on SIGTERM — and reports the jobs
that finished through :class:`BatchInterrupted`.
"""

from __future__ import annotations

import signal
import time
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from ipcompare.report.params import ReportError

if TYPE_CHECKING:
    from ipcompare.report.runner import JobResult, RunContext

__all__ = ["BatchInterrupted", "Stop", "raise_stop", "stop_pool"]


class BatchInterrupted(ReportError):
    """SIGINT or SIGTERM stopped a batch; ``results`` has every job (unfinished ones marked interrupted)."""

    def __init__(self, signum: int, results: list[JobResult], ctx: RunContext):
        self.signum, self.results, self.ctx = signum, results, ctx
        finished = sum(r.status != "interrupted" for r in results)
        super().__init__(f"interrupted by {signal.Signals(signum).name}: {finished} of {len(results)} job(s) finished")


class Stop(BaseException):
    """Raised in the main thread by the SIGINT/SIGTERM handler (a BaseException: run_job must not catch it)."""

    def __init__(self, signum: int):
        self.signum = signum


def raise_stop(signum, frame) -> None:
    # Further signals during the clean-up are ignored: one Ctrl-C stops the batch, a second must not
    # interrupt the stopping and leave workers or kernels behind.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stop(signum)


def stop_pool(pool: ProcessPoolExecutor, grace_s: float = 10.0) -> None:
    """Drop the queue, end every worker (each ends its kernel on SIGTERM) and wait for them, briefly."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + grace_s
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)
    # The pool's manager thread notices its workers gone and closes its wake-up pipe; at interpreter exit
    # concurrent.futures wakes every such thread through that pipe. Left running, the two raced (Python 3.11) and a
    # stopped batch could end with "OSError: Bad file descriptor" printed from threading._shutdown.
    if manager is not None:
        manager.join(max(1.0, deadline - time.monotonic()))
