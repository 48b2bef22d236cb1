"""Parameterised notebooks → PDF reports: validate parameters, run a batch in parallel, render, index.

- :mod:`ipcompare.report.params` — what a notebook accepts, checked before a kernel starts
- :mod:`ipcompare.report.runner` — jobs, batch files, the process pool (workers forked from one pre-imported
  process: :mod:`ipcompare.report.warm`)
- :mod:`ipcompare.report.print_html` — executed notebook → print HTML (title block, no code, measured tables)
- :mod:`ipcompare.report.pdf` — print HTML → A4 PDF, missing glyphs are errors, tables never cut
- :mod:`ipcompare.report.table_widths`, :mod:`ipcompare.report.lean_html`, :mod:`ipcompare.report.pdf_images` —
  what keeps the PDF step cheap: measured column widths, cells styled once per kind, charts' PNG data copied
- :mod:`ipcompare.report.index` — index.md and index.csv
- :mod:`ipcompare.report.fonts` — the project's Chinese font, for matplotlib and the PDF
"""
