"""Doctests run against the real dataset: `load` is in every docstring's namespace."""

import pytest


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    from ipcompare.dataset import load

    doctest_namespace["load"] = load
