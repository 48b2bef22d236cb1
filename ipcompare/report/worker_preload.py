"""Imported once per batch by the process the batch's workers are forked from (:func:`warm.pool_context`): what
a worker uses to run a job and render its PDF, and what its kernels import (:mod:`kernel_preload`).

Imports only, as kernel_preload: no font configuration, dataset, figure or thread — each worker sets up its own
fonts after the fork (``runner._worker_init``), and its kernels are forked from it before it runs anything.
"""

import ipcompare.report.kernel_preload  # noqa: F401
import nbconvert  # noqa: F401
import papermill  # noqa: F401
import weasyprint  # noqa: F401
from nbconvert import HTMLExporter  # noqa: F401
from nbconvert.preprocessors import TagRemovePreprocessor  # noqa: F401

import ipcompare.report.pdf  # noqa: F401
import ipcompare.report.runner  # noqa: F401
import ipcompare.report.table_widths  # noqa: F401
