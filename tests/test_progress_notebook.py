"""The progress notebook executes in both languages and shows its status table and trajectory charts."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("params", [{"as_of": "2026-12-01"}, {"lang": "en", "geos": ["zhengzhou", "china"]}])
def test_progress_notebook_executes(tmp_path, params):
    out = tmp_path / "progress.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "progress.ipynb"), str(out), parameters=params,
                        kernel_name="python3", cwd=str(ROOT), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr" and "Glyph" in o.get("text", "")]
    assert [o for o in outputs if "image/png" in o.get("data", {})], "trajectory charts missing"
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert ("on track" if params.get("lang") == "en" else "进度正常") in html
