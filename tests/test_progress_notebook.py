"""The progress notebook executes in both languages, shows its status table and trajectory charts, and prints."""

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
    # It must also print: the English annex of actuals was wider than A4 even at 6 pt (long names kept nowrap).
    from ipcompare.report.pdf import TitleBlock, render_pdf

    info = render_pdf(nb, tmp_path / "progress.pdf", TitleBlock(title="progress", lang=params.get("lang", "zh")))
    assert info.pages >= 2 and info.warnings == []
