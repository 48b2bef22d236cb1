"""The whole-dataset results every report starts from, computed ahead of the reports.

A report asks for the national benchmarks, the resolved rows of every city, their per-indicator groups, the
actuals and the plans' start years before it looks at its own city; each is computed once per loaded dataset.
A batch computes them once in the process its kernels are forked from (:mod:`ipcompare.report.data_preload`),
so that no report pays for them: at 600 documents resolving the corpus is the part of a profile that grows
with the number of cities.
"""

from __future__ import annotations

from ipcompare.dataset import Dataset

__all__ = ["whole_dataset", "preload_dataset"]


def whole_dataset(ds: Dataset) -> None:
    """Compute and keep, for ``ds``, the results that do not depend on a report's parameters."""
    from ipcompare import progress
    from ipcompare.analysis import growth, lookup, pool

    pool.national_rows(ds)
    for indicator, kind in pool.group_keys(ds):  # resolved rows, grouped, as dicts shared with the next loop
        pool.records(ds, indicator, kind)
    for geo in ds.geographies.geo_code:  # each place's resolved and reference rows
        lookup.geo_records(ds, str(geo))
        lookup.reference_rows(ds, str(geo))
    progress.actuals(ds)
    growth._plan_starts(ds)
    ds._geo_keys, ds._indicator_rows  # noqa: B018  the lookup tables behind geo() and indicator()


def preload_dataset() -> None:
    """Load the dataset for this process's forks (:func:`ipcompare.dataset.preload`) and compute its
    whole-dataset results; quiet on any failure — a kernel's own ``load()`` then says what is wrong."""
    from ipcompare.dataset import preload

    try:
        whole_dataset(preload())
    except Exception:  # noqa: BLE001
        pass
