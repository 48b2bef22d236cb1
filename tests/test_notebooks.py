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


def test_city_comparison_charts_the_coverage_of_the_compared_cities_only(tmp_path):
    """The coverage chart of a comparison shows the chosen cities and the nation, and says how many places it
    leaves out: with every place of a national corpus it was hundreds of columns (a 132,800-pixel-wide image at
    600 documents, blank in the PDF)."""
    import base64
    import struct

    out = tmp_path / "compare.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "compare_cities.ipynb"), str(out),
                        parameters={"cities": ["suzhou", "linhai"]}, kernel_name="python3", cwd=str(ROOT),
                        progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "数据集中另有3个地区的量化表述未列入" in text  # Zhengzhou, Ma'anshan, Nanchang
    png = base64.b64decode([o for o in outputs if "image/png" in o.get("data", {})][-1]["data"]["image/png"])
    width = struct.unpack(">I", png[16:20])[0]
    assert width <= 200 * (1.1 * 3 + 4) + 1  # three columns (Suzhou, Linhai, China) at the print dpi


def test_dataset_tour_prints_the_first_rows_and_says_what_it_leaves_out(tmp_path):
    """The tour's tables print ``max_rows`` rows and say how many they leave out and where the whole is: at 600
    documents it was 59 pages of every place and document."""
    out = tmp_path / "tour.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "dataset_tour.ipynb"), str(out), parameters={"max_rows": 3},
                        kernel_name="python3", cwd=str(ROOT), progress_bar=False)
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "（共6行，此处列出前3行；全部见 `data/tidy/documents.csv`。）" in text
    assert "全部见 `data/tidy/observations.parquet`" in text
    assert sum(text.count(f"- `{d}`") for d in ("zhengzhou", "suzhou", "nanchang", "maanshan", "linhai")) <= 3
