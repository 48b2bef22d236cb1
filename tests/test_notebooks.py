"""Every notebook executes with papermill on the real dataset (the PDF route is tested in test_report*)."""

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNS = [("city_profile", {"city": c}) for c in ["zhengzhou", "suzhou", "nanchang", "maanshan", "linhai"]] + [
    ("city_profile", {"city": "linhai", "lang": "en"}),
    ("compare_cities", {}),
    ("gap_analysis", {}),
    ("gap_analysis", {"city": "maanshan", "benchmark": "peer_median"}),
    ("dataset_tour", {}),
]


@pytest.mark.parametrize("name, params", RUNS, ids=[f"{n}-{'-'.join(map(str, p.values())) or 'default'}" for n, p in RUNS])
def test_notebook_executes(tmp_path, name, params):
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(out), parameters=params,
                        kernel_name="python3", cwd=str(ROOT), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    stderr = [o["text"] for c in nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "stream" and o.get("name") == "stderr" and "Glyph" in o["text"]]
    assert not errors and not stderr
    if name != "dataset_tour":
        images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        text = " ".join(str(o.get("data", {}).get("text/markdown", "")) for c in nb.cells for o in c.get("outputs", []))
        # Nanchang's 2015–2017 plan has no peer of its era and no national target of its years: no chart, said so.
        nothing = "没有与可比城市或全国同口径、同时期的目标" in text
        assert images or nothing, "charts must be displayed as images (an Agg-only plt.show() shows nothing)"
