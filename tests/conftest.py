"""Shared fixtures: the real dataset, and a scratch copy of the project for bad-input tests."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def ds():
    from ipcompare.dataset import load

    return load(ROOT / "data" / "tidy")


@pytest.fixture()
def scratch(tmp_path, monkeypatch):
    """A copy of data/ in a temporary project folder, used as IPCOMPARE_HOME."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("IPCOMPARE_HOME", str(tmp_path))
    return tmp_path
