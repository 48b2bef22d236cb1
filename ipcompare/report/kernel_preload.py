"""What every report kernel imports, imported once before kernels are forked (:mod:`ipcompare.report.warm`): by
the process a batch's workers are forked from (through :mod:`worker_preload`), or by the process running a job.

Imports only — no figure, no dataset, no thread — so that each forked kernel starts where a new kernel would be
after its imports. matplotlib's backend is named (the kernel's inline backend) but not loaded: it is loaded in
the kernel, where it hooks into the running IPython shell.
"""

import os

os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
# debugpy (imported by every kernel's init, below) warns about frozen modules unless told not to, as the kernels'
# environment tells it; and it sets PYDEVD_USE_FRAME_EVAL=NO, which each kernel would set itself.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

import ipykernel.debugger  # noqa: E402,F401  (debugpy: 0.07 CPU-s in every kernel's init)
import ipykernel.ipkernel  # noqa: E402,F401
import ipykernel.kernelapp  # noqa: E402,F401
import matplotlib.pyplot  # noqa: E402,F401
import pandas  # noqa: E402,F401
from IPython.display import Markdown, display  # noqa: E402,F401

import ipcompare.analysis  # noqa: E402,F401
import ipcompare.dataset  # noqa: E402,F401
import ipcompare.findings  # noqa: E402,F401
import ipcompare.narrative  # noqa: E402,F401
import ipcompare.plots  # noqa: E402,F401
import ipcompare.progress_report  # noqa: E402,F401
