"""Parameterised notebooks → PDF reports: validate parameters, run a batch in parallel, render, index.

- :mod:`ipcompare.report.params` — what a notebook accepts, checked before a kernel starts
- :mod:`ipcompare.report.runner` — jobs, batch files, the spawn process pool
- :mod:`ipcompare.report.pdf` — executed notebook → HTML (no code) → A4 PDF, missing glyphs are errors
- :mod:`ipcompare.report.index` — index.md and index.csv
- :mod:`ipcompare.report.fonts` — the project's Chinese font, for matplotlib and the PDF
"""
