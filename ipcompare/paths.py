"""Where the project's data lives. The only place that knows the folder layout."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "raw_dir", "tidy_dir", "reports_dir", "notebooks_dir"]


def project_root() -> Path:
    """The project folder: $IPCOMPARE_HOME, else the nearest parent of the cwd holding data/raw, else the checkout."""
    env = os.environ.get("IPCOMPARE_HOME")
    if env:
        return Path(env).resolve()
    for p in (Path.cwd(), *Path.cwd().parents):
        if (p / "data" / "raw" / "documents.yaml").exists():
            return p
    return Path(__file__).resolve().parent.parent


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def tidy_dir() -> Path:
    return project_root() / "data" / "tidy"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
