"""Project hygiene: environment.yml agrees with pyproject.toml; notebooks are stored without outputs."""

import re
import tomllib
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies():
    proj = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(d) for d in proj["dependencies"]}
    for extra in proj["optional-dependencies"].values():
        declared |= {_name(d) for d in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(d) for d in dep["pip"] if not d.startswith("-e")}
        elif not dep.startswith(("python", "pip")):
            listed.add(_name(dep))
    assert listed == declared


def test_notebooks_have_parameters_and_no_outputs():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
