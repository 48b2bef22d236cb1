"""What every report kernel imports, imported once before kernels are forked (:mod:`ipcompare.report.warm`): by
the process a batch's workers are forked from (through :mod:`worker_preload`), or by the process running a job.

Imports only — no figure, no dataset, no thread — so that each forked kernel starts where a new kernel would be
after its imports (a batch's dataset is loaded afterwards, by :mod:`data_preload`). matplotlib's backend is named (the kernel's inline backend) but not loaded: it is loaded in
the kernel, where it hooks into the running IPython shell.
"""

import os

os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
# debugpy (imported by every kernel's init, below) warns about frozen modules unless told not to, as the kernels'
# environment tells it; and it sets PYDEVD_USE_FRAME_EVAL=NO, which each kernel would set itself.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

# Besides what notebooks import, what every report kernel imported after its fork (listed from inside the default
# batch's kernels: the modules a kernel had and this process had not): the kernel's own start (its history
# database, debugger, completer, network interfaces, event loop), Agg, pandas' Styler, reshaping and Parquet
# reading, pyzmq's zero-copy tracker — 0.1–0.2 CPU-s a kernel. Neither the inline backend (above) nor polars: only
# the dataset tour imports it, and it would delay every batch's start.
import sqlite3  # noqa: E402,F401

import ipykernel.debugger  # noqa: E402,F401  (debugpy: 0.07 CPU-s in every kernel's init)
import ipykernel.ipkernel  # noqa: E402,F401
import ipykernel.kernelapp  # noqa: E402,F401
import IPython.core.completerlib  # noqa: E402,F401
import IPython.core.debugger  # noqa: E402,F401
import IPython.core.logger  # noqa: E402,F401
import IPython.core.oinspect  # noqa: E402,F401
import IPython.core.pylabtools  # noqa: E402,F401
import IPython.extensions.storemagic  # noqa: E402,F401
import matplotlib.backends.backend_agg  # noqa: E402,F401
import matplotlib.pyplot  # noqa: E402,F401
import pandas  # noqa: E402,F401
import pandas.core.methods.to_dict  # noqa: E402,F401
import pandas.core.reshape.reshape  # noqa: E402,F401
import pandas.io.formats.style  # noqa: E402,F401
import PIL.Image  # noqa: E402
import psutil  # noqa: E402,F401
import pyarrow.dataset  # noqa: E402,F401
import pyarrow.parquet  # noqa: E402,F401
import tornado.platform.asyncio  # noqa: E402,F401
import zmq.utils.garbage  # noqa: E402,F401  (a figure's message is sent zero-copy: its first send imported it)
from IPython.display import Markdown, display  # noqa: E402,F401

PIL.Image.preinit()  # the image plugins a figure's save imports (Pillow imports them on first use)

import ipcompare.analysis  # noqa: E402,F401
import ipcompare.dataset  # noqa: E402,F401
import ipcompare.findings  # noqa: E402,F401
import ipcompare.narrative  # noqa: E402,F401
import ipcompare.plots  # noqa: E402,F401
import ipcompare.progress_report  # noqa: E402,F401
