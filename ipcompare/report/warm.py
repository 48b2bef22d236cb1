"""Run inside a freshly started kernel, before its job: import the modules the batch's notebooks import.

The runner starts the next job's kernel while the current job's PDF renders, with
``--IPKernelApp.exec_lines=__import__('ipcompare.report.warm').report.warm.preload()``. Importing a module is
what the notebook's own import would do a moment later; this only does it earlier. No name is bound in the
notebook's namespace, and a module that fails to import is left for the notebook to report.
"""

from __future__ import annotations

import importlib
import os

__all__ = ["preload"]


def preload(modules: str | None = None) -> None:
    names = modules if modules is not None else os.environ.get("IPCOMPARE_PRELOAD", "")
    for name in filter(None, (n.strip() for n in names.split(","))):
        try:
            importlib.import_module(name)
        except Exception:  # the notebook's own import will raise it, in context
            continue
