"""Where the project's data lives. The only place that knows the folder layout.

Two layouts exist. In a **checkout** (a clone of the repository, or any folder named by ``IPCOMPARE_HOME``)
everything is read from and written to that folder: ``data/raw``, ``data/tidy``, ``notebooks``, ``reports``.
An **installed wheel** used outside a checkout carries a read-only copy of ``data/tidy``, the notebooks and the
default report batch inside the package (``ipcompare/_data``, put there by ``hatch_build.py``); reports are
then written to the current directory. A checkout always wins, so a researcher editing the data in a clone
never reads the stale packaged copy.

``IPCOMPARE_HOME=/some/folder`` makes that folder the checkout (tests use it for scratch copies of ``data/``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["checkout_root", "project_root", "packaged_dir", "raw_dir", "tidy_dir", "reports_dir",
           "notebooks_dir", "report_out_dir", "default_batch"]

_PACKAGE = Path(__file__).resolve().parent


def _is_checkout(p: Path) -> bool:
    return (p / "data" / "raw" / "documents.yaml").exists()


def checkout_root() -> Path | None:
    """$IPCOMPARE_HOME, else the nearest parent of the cwd that is a checkout, else the package's own checkout.

    None when ipcompare is an installed wheel used outside any checkout.
    """
    env = os.environ.get("IPCOMPARE_HOME")
    if env:
        return Path(env).resolve()
    for p in (Path.cwd(), *Path.cwd().parents):
        if _is_checkout(p):
            return p
    return _PACKAGE.parent if _is_checkout(_PACKAGE.parent) else None


def project_root() -> Path:
    """The checkout, or the current directory outside one (where reports are written)."""
    return checkout_root() or Path.cwd()


def packaged_dir() -> Path:
    """The copy of data/tidy, notebooks and the default batch shipped inside the wheel."""
    return _PACKAGE / "_data"


def raw_dir() -> Path:
    """data/raw of the checkout (the wheel ships no raw documents: building needs a clone)."""
    return project_root() / "data" / "raw"


def tidy_dir() -> Path:
    """data/tidy of the checkout, else the copy shipped in the wheel."""
    root = checkout_root()
    return root / "data" / "tidy" if root is not None else packaged_dir() / "tidy"


def notebooks_dir() -> Path:
    """notebooks/ of the checkout, else the copies shipped in the wheel."""
    root = checkout_root()
    return root / "notebooks" if root is not None else packaged_dir() / "notebooks"


def reports_dir() -> Path:
    """reports/ of the checkout, else the current directory."""
    root = checkout_root()
    return root / "reports" if root is not None else Path.cwd()


def report_out_dir() -> Path:
    """Default output folder of ``ipcompare report``: reports/out in a checkout, else the current directory."""
    root = checkout_root()
    return root / "reports" / "out" if root is not None else Path.cwd()


def default_batch() -> Path:
    """The default report batch: reports/batch.yaml of the checkout, else the copy shipped in the wheel."""
    root = checkout_root()
    return root / "reports" / "batch.yaml" if root is not None else packaged_dir() / "batch.yaml"
