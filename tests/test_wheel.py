"""The built wheel, installed into a fresh virtualenv outside the repository, loads the data and renders a report.

Installing the ~300 MB of dependencies (pandas, WeasyPrint, Jupyter …) into the fresh venv would take minutes
and need the network, so the venv is made with ``--without-pip`` and a ``.pth`` file adds this test
environment's site-packages to its path; Jupyter's data files (nbconvert templates), which live under a
prefix rather than in site-packages, are found through ``JUPYTER_PATH``. Only ipcompare itself is installed,
from the wheel, with ``--no-deps``. The ``.pth`` line names a directory, so the ``.pth`` files inside it — among
them the checkout's editable install — are not processed: the checkout's code cannot be imported, and the test
checks that the code, the dataset and the notebook used all come from the new venv.
"""

import csv
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd: list, cwd: Path, env: dict | None = None) -> str:
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, f"{cmd[:4]} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv python, venv bin dir, env, an empty working folder outside the repository)."""
    tmp = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", ROOT],
         cwd=tmp)
    wheel = next((tmp / "dist").glob("ipcompare-*.whl"))
    _run([sys.executable, "-m", "venv", "--without-pip", tmp / "venv"], cwd=tmp)
    bindir = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    site = _run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp).strip()
    Path(site, "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", "--no-index", wheel], cwd=tmp)
    env = {k: v for k, v in os.environ.items() if k not in ("IPCOMPARE_HOME", "PYTHONPATH")}
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    work = tmp / "work"
    work.mkdir()
    assert not any(p == ROOT for p in (work, *work.parents))
    return py, bindir, env, work, Path(site)


def test_installed_wheel_loads_its_own_dataset(installed, ds):
    py, _, env, work, site = installed
    out = _run([py, "-c", "import ipcompare, ipcompare.paths as p; d = ipcompare.load(); "
                          "print(ipcompare.__file__); print(p.tidy_dir()); print(len(d.observations)); print(d.version)"],
               cwd=work, env=env).split("\n")
    assert Path(out[0]).is_relative_to(site) and Path(out[1]) == site / "ipcompare" / "_data" / "tidy"
    assert int(out[2]) == len(ds.observations) and out[3] == ds.version


def test_installed_wheel_renders_a_report_in_the_current_directory(installed):
    _, bindir, env, work, site = installed
    _run([bindir / "ipcompare", "report", "city_profile", "-p", "city=linhai", "-j", "1", "--no-progress"],
         cwd=work, env=env)
    assert (work / "city_profile_linhai.pdf").stat().st_size > 10_000
    with open(work / "index.csv", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert row["status"] == "ok"
    assert Path(row["notebook"]).is_relative_to(site / "ipcompare" / "_data" / "notebooks")
