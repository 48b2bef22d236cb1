"""Warm report kernels: every job's kernel is forked from a process that has already imported what notebooks use.

Half of a report's cost used to be start-up — a new Python, IPython, pandas, matplotlib and ipcompare imported
again for every job. Here the standard library's ``forkserver`` (with ``set_forkserver_preload``) imports them
once per worker, and each job's ipykernel is a fresh fork of that process: the imports are paid once, and every
job still starts from the same clean state — nothing a previous job set (matplotlib rcParams, module globals,
caches) can leak into the next, because no job runs in a process another job has used.

The fork-server process only imports; it never runs notebook code, opens the dataset or starts a thread.
``IPCOMPARE_COLD_KERNELS=1`` starts each kernel the classic way (a new interpreter), e.g. to measure the gain.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from typing import Any

__all__ = ["enabled", "fork_kernel", "ForkedKernel", "PRELOAD"]

# What the report notebooks import; imported once in each worker's fork server (see kernel_preload).
PRELOAD = ["ipcompare.report.kernel_preload"]

_CONTEXT: Any = None


def enabled() -> bool:
    """Warm kernels on POSIX systems unless IPCOMPARE_COLD_KERNELS is set.

    Not in a daemonic process (e.g. a Dask worker started with its default ``daemon: true``), which
    multiprocessing does not let start child processes: kernels are started the classic way there.
    """
    return (os.name == "posix" and os.environ.get("IPCOMPARE_COLD_KERNELS", "") in ("", "0")
            and not multiprocessing.current_process().daemon)


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        # End the fork server with this process and wait for it, rather than leave it to notice alone: no
        # process outlives the batch, and the kernels' CPU time is accounted to the batch that ran them.
        multiprocessing.util.Finalize(None, _stop_server, exitpriority=10)
        _CONTEXT = ctx
    return _CONTEXT


def _stop_server() -> None:
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)  # CPython's own clean-up
    if stop is not None:
        try:
            stop()
        except (OSError, ChildProcessError):
            pass


class ForkedKernel:
    """The part of ``subprocess.Popen`` that jupyter_client's provisioner uses, for a forked kernel process."""

    stdin = stdout = stderr = None

    def __init__(self, proc) -> None:
        self._proc = proc
        self.pid: int = proc.pid

    def poll(self) -> int | None:
        return self._proc.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._proc.join(timeout)
        return self._proc.exitcode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self._proc.terminate()

    def kill(self) -> None:
        self._proc.kill()


def _kernel_argv(cmd: list[str]) -> list[str]:
    """The ipykernel arguments of a kernel command (``python -m ipykernel_launcher -f FILE …``)."""
    for i, part in enumerate(cmd):
        if part in ("ipykernel_launcher", "ipykernel"):
            return list(cmd[i + 1:])
    raise ValueError(f"not an ipykernel command: {' '.join(cmd)}")


def fork_kernel(cmd: list[str], env: dict[str, str], cwd: str | None, log_path: str | None) -> ForkedKernel:
    """Start the kernel of ``cmd`` as a fork of the warm process, in its own session (like jupyter_client)."""
    proc = _context().Process(target=_kernel_main, args=(_kernel_argv(cmd), dict(env), cwd, log_path, os.getpid()),
                              name="ipcompare-kernel", daemon=True)
    proc.start()
    return ForkedKernel(proc)


def _outlive_not(owner: int) -> None:
    """End this kernel (and its process group) once the process that asked for it is gone.

    A kernel holds the fork server open (every fork keeps the server's "alive" pipe), and ipykernel only watches
    its parent — the server — so a kernel whose worker was killed before it could record it would keep both
    alive for ever; this watch closes that gap.
    """
    while True:
        time.sleep(0.5)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os.killpg(0, signal.SIGKILL)
        except PermissionError:
            pass


def _kernel_main(argv: list[str], env: dict[str, str], cwd: str | None, log_path: str | None, owner: int) -> None:
    """Runs in the forked child: become the job's kernel, with its environment, directory and log."""
    os.setsid()  # its own process group, ended as one on interrupt (see runner._kill_kernels)
    threading.Thread(target=_outlive_not, args=(owner,), name="owner-watch", daemon=True).start()
    if log_path:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    env = {**env, "JPY_PARENT_PID": str(os.getppid())}  # its parent is the fork server, not the worker
    os.environ.clear()
    os.environ.update(env)
    if cwd:
        os.chdir(cwd)
    from ipykernel.kernelapp import IPKernelApp

    # ipykernel read JPY_PARENT_PID when the fork server imported it: its parent (to watch) is given here.
    argv = [*argv, f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = ["ipykernel_launcher", *argv]
    IPKernelApp.launch_instance(argv=argv)
