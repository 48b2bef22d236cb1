"""Imported once per batch, after :mod:`worker_preload`, by the process the batch's workers — and so their
kernels — are forked from: the dataset read and hash-checked once, and its whole-dataset results computed once
(:func:`ipcompare.analysis.prewarm.preload_dataset`), instead of in every report's kernel.

Each kernel's first ``ipcompare.load()`` takes this copy if no file of the dataset has been replaced since
(:func:`ipcompare.dataset.preload`); a fork's copy is its own, so nothing one job does to it reaches another.
A missing or broken dataset is left for the kernels' own ``load()`` to report, with its one-line message.
"""

import atexit
import gc
import os
import sys

from ipcompare.analysis.prewarm import preload_dataset

preload_dataset()
# Everything imported and preloaded lives as long as the batch: frozen out of the collector's sight, so that no
# full collection in a worker or kernel forked from here walks it again (see warm.serve_kernels_from_here).
gc.freeze()


def _exit_now() -> None:
    # The batch's end waits for this process (warm._stop_server); tearing down its interpreter — every module and
    # object it preloaded — took 0.7 s of that wait, for nothing: it holds no file or state to clean up. Its
    # children (workers, kernels) end through os._exit and never run this.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


atexit.register(_exit_now)
