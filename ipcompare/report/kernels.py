"""The kernel each report job runs in: papermill's kernel manager, this interpreter's ipykernel started warm
(:mod:`ipcompare.report.warm`) or as a new process, its output in the job's log, and its process group ended
with the job.
"""

from __future__ import annotations

import os
import signal
from typing import IO

from ipcompare.report import warm

__all__ = ["KERNEL_ARGS", "KERNEL_ENV", "KERNELS", "kill_kernels", "manager_class"]

KERNEL_ENV: dict[str, str] = {}
# Figures at twice the pixel density (about 200 dpi at A4 text width): sharp in print, same size on the page.
KERNEL_ARGS = ["--InlineBackend.figure_formats=retina"]


def manager_class():
    """An AsyncKernelManager that always starts *this* interpreter's ipykernel and logs its output to a file.

    Named ``python3`` for papermill, but built from ipykernel's own spec (``sys.executable -m
    ipykernel_launcher``): a stray ``python3`` kernelspec in ``~/.local/share/jupyter`` can't hijack the run.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Type

    from ipcompare.report.kernel_client import ReadyClient

    class VenvKernelManager(AsyncKernelManager):
        # Ready when the kernel has answered, not after 0.2 s of silence (kernel_client.py).
        client_factory = Type(default_value=ReadyClient, klass=AsyncKernelClient)

        async def _async_wait(self, pollinterval: float = 0.01) -> None:
            # A killed kernel is seen gone within 10 ms instead of jupyter_client's 100 ms polls: the job's
            # PDF waits for it (papermill shuts the kernel down "immediately", i.e. kills it).
            await super()._async_wait(pollinterval=pollinterval)

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return self._kernel_spec

        async def _async_start_kernel(self, **kw):
            kw.setdefault("env", {**os.environ, **KERNEL_ENV})
            if KERNELS.log is not None:
                kw.setdefault("stdout", KERNELS.log)
                kw.setdefault("stderr", KERNELS.log)
            out = await super()._async_start_kernel(**kw)
            # jupyter_client starts kernels in a session of their own: Ctrl-C does not reach them and they
            # outlive a killed parent, so their process groups are recorded to be ended on interrupt.
            group = getattr(self.provisioner, "pgid", None) or getattr(self.provisioner, "pid", None)
            if group:
                KERNELS.groups.add(int(group))
            return out

        start_kernel = _async_start_kernel

        async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            # The kernel's CPU time, read while it is still there to read: papermill kills it ("immediate"). A
            # kernel that died on its own is not shut down by nbclient, and is not counted (gone, unreadable).
            try:
                KERNELS.count_cpu(getattr(self.provisioner, "pid", None))
            finally:
                await super()._async_shutdown_kernel(now=now, restart=restart)

        shutdown_kernel = _async_shutdown_kernel

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # jupyter_client's documented hook for launching kernels differently: fork a warm one (warm.py).
            if not warm.enabled():
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            prov = self.provisioner
            log = KERNELS.log.name if KERNELS.log is not None else None
            prov.process = warm.fork_kernel(kernel_cmd, kw.get("env") or dict(os.environ), kw.get("cwd"), log)
            prov.pid = prov.pgid = prov.process.pid  # the child calls setsid(): its pid is its process group
            prov.cwd = kw.get("cwd") or os.getcwd()
            self._reconcile_connection_info(prov.connection_info)

        _launch_kernel = _async_launch_kernel

    return VenvKernelManager


class KernelLog:
    """Where the kernel of the job running in this process prints outside cells: ``logs/<job>.log``.

    Every job gets a fresh kernel. (Starting the next job's kernel while the current PDF renders was tried and
    measured: on 2 cores the batch is CPU-bound, so it saved nothing — 31.5 s vs 30.0 s, mean of 3 runs each.)
    """

    log: IO[str] | None = None
    groups: set[int] = set()  # process groups of the kernels this process started and has not seen end
    cpu_s: float = 0.0  # CPU seconds of the kernels shut down since the job began (reset by the job)

    def count_cpu(self, pid: int | None) -> None:
        """Add the user + system CPU seconds of kernel ``pid`` so far; quiet if it is gone already."""
        import psutil

        try:
            t = psutil.Process(pid).cpu_times() if pid else None
        except (psutil.Error, OSError):
            return
        if t is not None:
            self.cpu_s += t.user + t.system


KERNELS = KernelLog()


def kill_kernels() -> None:
    """End every kernel this process started (SIGKILL to its process group); quiet if already gone."""
    for group in list(KERNELS.groups):
        for kill in (os.killpg, os.kill):  # os.kill too: a forked kernel may not have called setsid() yet
            try:
                kill(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
        KERNELS.groups.discard(group)
