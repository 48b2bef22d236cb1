"""Imported once per batch by the process the batch's workers are forked from (:func:`warm.pool_context`): what
a worker uses to run a job and render its PDF, and what its kernels import (:mod:`kernel_preload`).

Imports only, as kernel_preload — no font configuration, dataset, figure or thread: each worker sets up its own
fonts after the fork (``runner._worker_init``), and its kernels are forked from it before it runs anything. One
exception: nbconvert compiles its Jinja templates on first use (0.5 CPU-s), so that is done here once rather than
in every worker's first report; the exporter holds only the compiled templates, the same for every job — and so
is the lean user-agent stylesheet (report/ua_sheet.py), a parsed stylesheet and nothing else.
"""

import nbconvert  # noqa: F401
import papermill  # noqa: F401
import weasyprint  # noqa: F401
from nbformat.v4 import new_notebook

import ipcompare.report.kernel_preload  # noqa: F401
import ipcompare.report.runner  # noqa: F401
import ipcompare.report.table_widths  # noqa: F401
from ipcompare.report.print_html import _exporter
from ipcompare.report.ua_sheet import html_class

_exporter().from_notebook_node(new_notebook())
html_class()  # WeasyPrint's user-agent sheet, parsed lean once (0.07 CPU-s) rather than in each worker's first PDF
