"""Imported once by each worker's kernel fork server (:mod:`ipcompare.report.warm`): what every report imports.

Imports only — no figure, no dataset, no thread — so that each forked kernel starts where a new kernel would be
after its imports. matplotlib's backend is named (the kernel's inline backend) but not loaded: it is loaded in
the kernel, where it hooks into the running IPython shell.
"""

import os

os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

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
