"""data/tidy is one unit: a failed or killed build leaves a whole generation, validate checks every listed file,
load() refuses a mixed or foreign table."""

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ipcompare.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _whole(tidy: Path) -> bool:
    """Every file datapackage.json lists is there with its bytes and hash (checked here, independently)."""
    pkg = json.loads((tidy / "datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        data = (tidy / res["path"]).read_bytes()
        want = res.get("sha256") or res["hash"].removeprefix("sha256:")  # Parquet: sha256 only (frictionless)
        if ("bytes" in res and len(data) != res["bytes"]) or hashlib.sha256(data).hexdigest() != want:
            return False
    return True


def _change_a_statement_note(root: Path) -> None:
    """An input change that alters the tables and the version, so a mix of generations is detectable."""
    path = root / "data" / "raw" / "statements" / "zhengzhou_2022_2025.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0]["note"] += " (复核)"
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# ------------------------------------------------------------------------------------------- killed builds

_KILLER = textwrap.dedent("""
    import os, signal, sys
    name, at = sys.argv[1], int(sys.argv[2])
    calls = {"n": 0}
    real = getattr(os, name)
    def patched(*a, **k):
        calls["n"] += 1
        if calls["n"] == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*a, **k)
    setattr(os, name, patched)
    from ipcompare.cli import main
    sys.exit(main(["build"]))
""")


@pytest.mark.parametrize("call,kill_at", [("fsync", 5), ("rename", 1), ("rename", 2)])
def test_build_killed_mid_write_leaves_a_whole_generation(scratch, call, kill_at):
    """SIGKILL at the n-th os.fsync (writing files) or os.rename (moving them) of a build: data/tidy is the old
    or the new build, never a mix; the next build cleans up what the killed one left behind."""
    _change_a_statement_note(scratch)
    env = {**os.environ, "IPCOMPARE_HOME": str(scratch), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _KILLER, call, str(kill_at)], env=env, capture_output=True,
                          text=True, timeout=120)
    data = scratch / "data"
    assert proc.returncode == -signal.SIGKILL, proc.stderr  # the fault really struck
    left = [p for p in data.iterdir() if p.name.startswith(".tidy-")]
    if (data / "tidy").exists():
        assert _whole(data / "tidy"), "a killed build left a mix of old and new files"
    else:  # killed between the two renames: the moved-away generation is whole and is put back
        assert left and any(_whole(p) for p in left if p.name.startswith(".tidy-old-"))
    assert main(["build"]) == 0
    assert not [p for p in data.iterdir() if p.name.startswith(".tidy-")], "stale temporary folders remain"
    assert _whole(data / "tidy")
    assert main(["validate"]) == 0


def test_output_that_cannot_be_written_leaves_data_tidy_untouched(scratch, monkeypatch, capsys):
    """A write failing half-way (a read-only or full disk): one-line error, previous build whole, no temp left."""
    import ipcompare.tidy_io as tidy_io

    real = tidy_io._write_file

    def failing(path, data):
        if path.name == "reference.csv":
            raise PermissionError(13, "Permission denied")
        real(path, data)

    monkeypatch.setattr(tidy_io, "_write_file", failing)
    _change_a_statement_note(scratch)
    before = {p.name: p.read_bytes() for p in (scratch / "data" / "tidy").iterdir()}
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "reference.csv: cannot write (Permission denied)" in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in (scratch / "data" / "tidy").iterdir()} == before
    assert not [p for p in (scratch / "data").iterdir() if p.name.startswith(".tidy-")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_data_folder(scratch, capsys):
    data = scratch / "data"
    data.chmod(0o555)
    try:
        assert main(["build"]) == 1
    finally:
        data.chmod(0o755)
    assert "Permission denied" in capsys.readouterr().err
    assert _whole(data / "tidy")


def test_files_a_user_put_in_data_tidy_are_kept(scratch):
    notes = scratch / "data" / "tidy" / "NOTES.md"
    notes.write_text("mine\n", encoding="utf-8")
    assert main(["build"]) == 0
    assert notes.read_text(encoding="utf-8") == "mine\n"


# ----------------------------------------------------------------------------------- validate and load()


def test_validate_checks_every_listed_file(scratch, capsys):
    """A CSV (not only the Parquet files) differing from datapackage.json is caught."""
    path = scratch / "data" / "tidy" / "observations.csv"
    path.write_bytes(path.read_bytes().replace(b"Zhengzhou", b"Zhengzhuo", 1))
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "observations.csv: sha256 differs from datapackage.json" in err and "Traceback" not in err


def test_corrupted_datapackage_json(scratch, capsys):
    pkg = scratch / "data" / "tidy" / "datapackage.json"
    pkg.write_bytes(pkg.read_bytes()[:500])
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "datapackage.json:" in err and "damaged" in err and err.count("\n") == 1
    from ipcompare.dataset import load

    with pytest.raises(OSError, match="datapackage.json.*damaged"):
        load(scratch / "data" / "tidy")


def test_load_refuses_rows_newer_than_the_datapackage(scratch):
    """A Parquet file from another build under the old datapackage.json: refused, not served as that version."""
    from ipcompare.dataset import load

    tidy = scratch / "data" / "tidy"
    other = tidy / "geographies.parquet"
    (tidy / "observations.parquet").write_bytes(other.read_bytes())
    with pytest.raises(OSError, match="observations.parquet"):
        load(tidy)


def test_load_refuses_a_parquet_file_of_the_wrong_table(scratch):
    from ipcompare.dataset import load

    tidy = scratch / "data" / "tidy"
    (tidy / "datapackage.json").unlink()
    (tidy / "statements.parquet").write_bytes((tidy / "observations.parquet").read_bytes())
    with pytest.raises(OSError, match="statements.parquet is not the statements table"):
        load(tidy)
