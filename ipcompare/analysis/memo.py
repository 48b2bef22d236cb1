"""Results computed once per loaded dataset.

A city profile asks for the same gaps, growth pairs and checks several times (findings, not-compared,
comparisons), and the static site asks for them for every city in two languages. The functions are pure, so a
result depends only on the dataset and the arguments; it is kept for the dataset most recently used (like
:func:`~ipcompare.analysis.pool.resolved`) and every caller gets its own copy.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from ipcompare.dataset import Dataset

__all__ = ["per_dataset", "kept_per_dataset"]

F = TypeVar("F", bound=Callable[..., pd.DataFrame])


def per_dataset(fn: F) -> F:
    """Memoise ``fn(ds, *args, **kwargs)`` (hashable arguments) for the dataset ``ds`` last seen."""
    cache: dict[tuple, pd.DataFrame] = {}
    owner: list[weakref.ref] = []
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(ds, *args, **kwargs):
        if not owner or owner[0]() is not ds:
            cache.clear()
            owner[:] = [weakref.ref(ds)]
        try:
            # Keyed on the bound arguments, defaults filled in: f(ds, x) and f(ds, x, rules=RULES) are one result.
            bound = sig.bind(ds, *args, **kwargs)
            bound.apply_defaults()
            key = tuple(bound.arguments.items())[1:]
            hash(key)
        except TypeError:
            return fn(ds, *args, **kwargs)
        if key not in cache:
            cache[key] = fn(ds, *args, **kwargs)
        return cache[key].copy()

    return wrapper  # type: ignore[return-value]


T = TypeVar("T")


def kept_per_dataset(build: Callable[[Dataset], T]) -> Callable[[Dataset], T]:
    """``build(ds)`` once for the dataset last seen, handed out as it is — no copy: for the indexes and frames
    the analysis reads and never modifies (:func:`~ipcompare.analysis.pool.resolved`, its groups and rows)."""
    kept: list = []

    @functools.wraps(build)
    def get(ds: Dataset) -> T:
        if not kept or kept[0]() is not ds:
            kept[:] = [weakref.ref(ds), build(ds)]
        return kept[1]

    return get
