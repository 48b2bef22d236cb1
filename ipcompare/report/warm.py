"""Warm report kernels: every job's kernel is forked from a process that has already imported what notebooks use.

Half of a report's cost used to be start-up — a new Python, IPython, pandas, matplotlib and ipcompare imported
again for every job. Here the standard library's ``forkserver`` (with ``set_forkserver_preload``) imports them
once per worker, and each job's ipykernel is a fresh fork of that process: the imports are paid once, and every
job still starts from the same clean state — nothing a previous job set (matplotlib rcParams, module globals,
caches) can leak into the next, because no job runs in a process another job has used.

The fork-server process never runs notebook code. It imports, and a batch's also loads the dataset once and
computes its whole-dataset results (:mod:`~ipcompare.report.data_preload`): each kernel's first ``load()`` takes
its own copy of it (a fork's memory is its own), instead of reading, hash-checking and resolving it again.
``IPCOMPARE_COLD_KERNELS=1`` starts each kernel the classic way (a new interpreter), e.g. to measure the gain.

Imports are paid once per batch, not once per worker and again per worker's fork server: the batch's workers are
themselves forked from one process that imported everything (:func:`pool_context`, preloading
:mod:`~ipcompare.report.worker_preload`), and each worker's kernel server is a fork of the worker taken before it
runs anything (:func:`serve_kernels_from_here`), rather than a new interpreter importing it all again (measured:
a trivial 8-job batch on 2 workers, 16.4–17.0 → 9.6–11.4 CPU-s; see docs/decisions.md).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.util
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

__all__ = ["enabled", "fork_kernel", "ForkedKernel", "PRELOAD", "WORKER_PRELOAD", "pool_context",
           "serve_kernels_from_here"]

# What the report notebooks import (see kernel_preload); and what a batch worker imports besides (worker_preload).
PRELOAD = ["ipcompare.report.kernel_preload"]
WORKER_PRELOAD = ["ipcompare.report.worker_preload", "ipcompare.report.data_preload"]

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
        if not _server_running():
            # Nobody forked a server at a clean point (a Dask worker thread, a direct run_job): multiprocessing's
            # own, a new interpreter importing PRELOAD — never a fork of a process whose threads may hold locks.
            _new_interpreter_server()
        _CONTEXT = multiprocessing.get_context("forkserver")
    return _CONTEXT


def _new_interpreter_server() -> None:
    """multiprocessing's own way: its fork server, when started, is a new interpreter importing PRELOAD — and
    loading the dataset, as a batch's pool server does (a Dask worker's kernels then share one load)."""
    multiprocessing.set_forkserver_preload([*PRELOAD, "ipcompare.report.data_preload"])
    _stop_at_exit()


def _server_running() -> bool:
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        return pid is not None and os.waitpid(pid, os.WNOHANG)[0] == 0
    except ChildProcessError:
        return False


def pool_context(start: bool = False):
    """The start method for a batch's worker processes: forks of one process that imported what workers and
    kernels use (multiprocessing's fork server with :data:`WORKER_PRELOAD`), ended with this process.

    ``start``: start that process now, so that its imports (about 3.5 CPU-s, on one core) overlap what this
    process does before the first worker is needed (reading the batch, checking its parameters).
    """
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_PRELOAD)
    _stop_at_exit()
    if start:
        forkserver.ensure_running()
    return ctx


def _stop_at_exit() -> None:
    # End the fork server with this process and wait for it, rather than leave it to notice alone: no process
    # outlives the batch, and the kernels' CPU time is accounted to the batch that ran them.
    global _FINALIZER
    if _FINALIZER is None:
        _FINALIZER = multiprocessing.util.Finalize(None, _stop_server, exitpriority=10)


_FINALIZER: Any = None


def serve_kernels_from_here() -> None:
    """Make this process's fork server (the one ``get_context("forkserver")`` uses) a fork of this process.

    multiprocessing starts its fork server as a new interpreter that imports the preload modules again (1.9 CPU-s
    per worker); a worker has imported them already, so the server is forked from it instead — before the worker
    starts a thread or an event loop, so the server and every kernel it forks start from that clean state. The
    server is multiprocessing's own (``forkserver.main``): kernels are started, watched and reaped as before. Does
    nothing if this process's fork server is already running; falls back to multiprocessing's way on a Python
    whose fork server this does not know (then the preload is imported by a new interpreter, as before).
    """
    from multiprocessing import connection, forkserver, resource_tracker

    for name in PRELOAD:
        __import__(name)
    server = forkserver._forkserver
    known = all(hasattr(server, a) for a in ("_lock", "_forkserver_pid", "_forkserver_address",
                                             "_forkserver_alive_fd"))
    # 3.14's fork server authenticates its clients (not mirrored here); and only the main thread may fork it,
    # at a point where no other thread of this process can be holding a lock the server would inherit.
    if not known or sys.version_info >= (3, 14) or threading.current_thread() is not threading.main_thread():
        _new_interpreter_server()
        return
    with server._lock:
        if _server_running():
            return  # e.g. the batch's own pool server, which has imported PRELOAD too
        resource_tracker.ensure_running()
        # As ForkServer.ensure_running does it, but fork() instead of a new interpreter.
        with socket.socket(socket.AF_UNIX) as listener:
            address = connection.arbitrary_address("AF_UNIX")
            listener.bind(address)
            if not multiprocessing.util.is_abstract_socket_namespace(address):
                os.chmod(address, 0o600)
            listener.listen()
            alive_r, alive_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the server: serve until every client has closed the "alive" pipe, then exit
                code = 1
                try:
                    # Forked holding the lock: a process the server forks (a worker, a kernel) that starts a
                    # fork server of its own must find it free, not wait for ever.
                    server._lock = threading.Lock()
                    # What the kernels inherit (modules, the preloaded dataset: ~185,000 objects) lives as long as
                    # they do: out of the collector's sight, a kernel's full collection no longer walks it
                    # (0.10-0.14 CPU-s of a 120-document profile's kernel, now 0.01) nor touches its pages.
                    gc.freeze()
                    os.close(alive_w)
                    forkserver.main(listener.fileno(), alive_r, [])
                    code = 0
                finally:
                    os._exit(code)
            os.close(alive_r)
        server._forkserver_address = address
        server._forkserver_alive_fd = alive_w
        server._forkserver_pid = pid
    _stop_at_exit()


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
    os.setsid()  # its own process group, ended as one on interrupt (see kernels.kill_kernels)
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
