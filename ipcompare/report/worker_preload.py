"""Imported once per batch by the process the batch's workers are forked from (:func:`warm.pool_context`): what
a worker needs to start its first job (papermill, the runner, the report modules) and what its kernels import
(:mod:`kernel_preload`; the dataset follows, :mod:`data_preload`).

Imports only, as kernel_preload — no font configuration, dataset, figure or thread. The PDF stack (nbconvert,
WeasyPrint, their templates and stylesheets, about 0.8 CPU-s) is not imported here but by each worker beside its
first kernel (``runner._warm_pdf_stack``): here it held back every worker while the other core waited, and a
worker needs it only when its first notebook has run. Measured, six pairs alternated: the first job starts
1.0–1.2 s earlier, the batch ends 0.8 s earlier on average (docs/decisions.md).
"""

import papermill  # noqa: F401

import ipcompare.report.kernel_preload  # noqa: F401
import ipcompare.report.pdf  # noqa: F401  (its own imports only: WeasyPrint and nbconvert are imported on use)
import ipcompare.report.runner  # noqa: F401
