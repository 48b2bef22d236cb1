"""ipcompare: a tidy, sourced dataset of Chinese cities' IP-plan targets, and tools to compare them.

>>> ds = load()
>>> sorted(ds.geographies.slug)[:2]
['china', 'linhai']
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["load", "__version__"]


def load(path=None):
    """Load the tidy dataset (see :func:`ipcompare.dataset.load`); imported lazily to keep the CLI fast."""
    from ipcompare.dataset import load as _load

    return _load(path)
