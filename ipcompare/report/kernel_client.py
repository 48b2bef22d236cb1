"""The kernel client of report jobs: ready when the kernel has answered, not 0.2 s of silence later.

jupyter_client's ``wait_for_ready`` sends ``kernel_info`` until the kernel replies and IOPub is connected, then
"flushes" IOPub: it reads messages until none has come for 0.2 s. That quiet period is a fixed 0.2 s of every
report job in which neither the worker nor its kernel does anything (a trivial job takes 0.6 s; the default batch
runs 9). Here the exchange ends on the message that ends it: the kernel's ``status: idle`` for our
``kernel_info`` request, published after its reply. Nothing else is awaited at start-up — nbclient takes a cell's
output only from messages whose parent is that cell's request, so a start-up message read later is ignored as
before. As in jupyter_client, a reply without IOPub traffic within 0.2 s means IOPub is not connected yet, and
the request is sent again.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous.client import AsyncKernelClient

__all__ = ["ReadyClient"]


class ReadyClient(AsyncKernelClient):
    """An AsyncKernelClient whose ``wait_for_ready`` returns when the kernel_info exchange has ended."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" \
                    and await self._exchange_ended(request):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _exchange_ended(self, request: str) -> bool:
        """Read IOPub up to the ``idle`` status of ``request``; False when IOPub stays silent for 0.2 s."""
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                return False
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle" \
                    and msg.get("parent_header", {}).get("msg_id") == request:
                return True

    wait_for_ready = _async_wait_for_ready
