"""The report pipeline end to end on a small fixture notebook: parallel batch, PDF, fonts, failures, index.

The real notebooks are executed by test_notebooks.py; rendering them all is `make reports`
(and tests/test_report_real.py renders one of them).
"""

import csv
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from ipcompare.cli import main
from ipcompare.report.params import ReportError
from ipcompare.report.pdf import MissingGlyphError, TitleBlock, figure_glyph_problems, html_to_pdf, render_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "report_fixture.ipynb"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def unembedded_fonts(path: Path) -> list[str]:
    """Names of fonts in the PDF whose descriptor carries no font file (Type 3 fonts are embedded by nature)."""
    missing, seen = [], set()

    def walk(resources):
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            if font.get("/Subtype") == "/Type3":
                continue
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont")))
        for xobj in (resources.get("/XObject") or {}).values():
            xobj = xobj.get_object()
            if xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    for page in PdfReader(path).pages:
        walk(page.get("/Resources"))
    return missing


def font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """One batch through the CLI: two good jobs and one that raises inside the notebook, two workers."""
    tmp = tmp_path_factory.mktemp("batch")
    batch = tmp / "batch.yaml"
    batch.write_text(
        "jobs:\n"
        f"  - {{name: fixture_suzhou, notebook: {FIXTURE}, parameters: {{city: 苏州, cities: [suzhou, linhai]}}}}\n"
        f"  - {{name: fixture_broken, notebook: {FIXTURE}, parameters: {{city: nanchang, fail: true}}}}\n"
        f"  - {{name: fixture_linhai, notebook: {FIXTURE}, parameters: {{city: Linhai, year: 2030}}}}\n",
        encoding="utf-8",
    )
    out = tmp / "out"
    code = main(["report", "--batch", str(batch), "--out", str(out), "--jobs", "2", "--no-progress"])
    rows = {r["job"]: r for r in csv.DictReader((out / "index.csv").open(encoding="utf-8"))}
    return code, out, rows


def test_failing_job_does_not_stop_the_others(batch_run):
    code, out, rows = batch_run
    assert code == 1  # one job failed
    assert rows["fixture_broken"]["status"] == "failed"
    assert "RuntimeError" in rows["fixture_broken"]["error"] and "deliberate failure" in rows["fixture_broken"]["error"]
    assert not (out / "fixture_broken.pdf").exists()
    assert (out / "executed" / "fixture_broken.ipynb").exists()  # kept, to see where it failed
    for job in ("fixture_suzhou", "fixture_linhai"):
        assert rows[job]["status"] == "ok", rows[job]["error"]
        assert (out / f"{job}.pdf").exists() and (out / "executed" / f"{job}.ipynb").exists()


def test_pdf_reads_like_a_report(batch_run):
    _, out, _ = batch_run
    pdf = out / "fixture_suzhou.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    text = pdf_text(pdf)
    assert "测试报告：知识产权规划指标" in text  # the markdown heading, moved into the title block
    assert "苏州市" in text and "临海市" in text  # display(Markdown) heading and the DataFrame
    assert "数据版本" in text and "第 1 页" in text  # title block and page numbers
    for code in ("import", "use_in_matplotlib", "load_registry", "sys.executable", "使用说明"):
        assert code not in text  # no code, no remove_cell output, no how-to-use intro above the parameters
    assert reader.metadata.title == "测试报告：知识产权规划指标"


def test_pdf_fonts_are_embedded_and_ours(batch_run):
    _, out, _ = batch_run
    pdf = out / "fixture_suzhou.pdf"
    assert unembedded_fonts(pdf) == []
    assert any("Noto-Sans-SC" in n for n in font_names(pdf))


def test_kernel_is_this_interpreter(batch_run):
    _, out, _ = batch_run
    nb = nbformat.read(out / "executed" / "fixture_suzhou.ipynb", as_version=4)
    printed = [o["text"].strip() for c in nb.cells if "remove_cell" in c.metadata.get("tags", [])
               for o in c.outputs if o.get("name") == "stdout"]
    assert printed == [sys.executable]


def test_index_has_every_job(batch_run):
    _, out, rows = batch_run
    assert list(rows) == ["fixture_suzhou", "fixture_broken", "fixture_linhai"]  # batch order, not finish order
    r = rows["fixture_suzhou"]
    assert r["parameters"] == '{"city":"suzhou","cities":["suzhou","linhai"]}'  # 苏州 normalised to the slug
    assert r["git_commit"] and r["dataset_version"] and float(r["duration_s"]) > 0
    # Every job's CPU seconds are written (what they count is tested by test_cpu_of_a_job_counts_its_kernel),
    # and their sum heads index.md.
    cpu = [float(rows[j]["cpu_s"]) for j in rows]
    md = (out / "index.md").read_text(encoding="utf-8")
    assert "| [fixture_suzhou](fixture_suzhou.pdf) |" in md and "2 ok, 1 failed" in md
    assert f"CPU time of the jobs listed {sum(cpu):.1f} s" in md


def test_single_job_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["report", str(FIXTURE), "-p", "city=马鞍山", "-p", "cities=maanshan,china", "-o", "one",
                 "--out", str(out), "--no-progress"])
    assert code == 0, capsys.readouterr().err
    assert "马鞍山市" in pdf_text(out / "one.pdf")
    rows = list(csv.DictReader((out / "index.csv").open(encoding="utf-8")))
    assert [r["job"] for r in rows] == ["one"] and rows[0]["status"] == "ok"


# ------------------------------------------------------------------------------------------ glyph checks


def test_missing_glyph_in_text_fails(tmp_path):
    html = '<html lang="zh"><body><p>郑州 \ue123</p></body></html>'  # a private-use character no font has
    with pytest.raises(MissingGlyphError, match="U\\+E123"):
        html_to_pdf(html, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_missing_glyph_in_figure_fails(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()", outputs=[
        nbformat.v4.new_output("stream", name="stderr",
                               text="UserWarning: Glyph 37073 (\\N{CJK UNIFIED IDEOGRAPH-90D1}) missing from font(s) "
                                    "DejaVu Sans.\n  fig.canvas.print_figure(bytes_io, **kw)\n")])])
    assert figure_glyph_problems(nb) == ["郑"]
    with pytest.raises(MissingGlyphError, match="figure"):
        render_pdf(nb, tmp_path / "x.pdf", TitleBlock(title="t"))


def _table(n_cols: int) -> str:
    head = "".join(f"<th>列{i}</th>" for i in range(n_cols))
    row = "".join("<td>1,234,567.89</td>" for _ in range(n_cols))  # numbers do not wrap
    return (f'<html lang="zh"><body><table data-ipc-table="0"><thead><tr>{head}</tr></thead>'
            f"<tbody><tr>{row}</tr></tbody></table></body></html>")


def test_wide_table_is_set_smaller_not_cut(tmp_path):
    assert html_to_pdf(_table(9), tmp_path / "wide.pdf").warnings == []  # too wide at 8.5 pt, fits smaller
    # Cannot fit even at 6 pt: the job fails rather than print a table cut at the margin as "ok".
    with pytest.raises(ReportError, match="wider than the page even at 6 pt"):
        html_to_pdf(_table(40), tmp_path / "wider.pdf")
    assert not (tmp_path / "wider.pdf").exists()


def test_each_step_down_the_type_ladder_is_counted_as_a_layout(tmp_path):
    nowrap = _table(9).replace("<td>", '<td style="white-space: nowrap">')  # 9 numbers: too wide at 8.5 pt
    info = html_to_pdf(nowrap, tmp_path / "wide.pdf")
    assert info.warnings == [] and info.layouts == 2  # laid out at 8.5 pt, then again at 7 pt
    assert html_to_pdf(_table(3), tmp_path / "narrow.pdf").layouts == 1


# ------------------------------------------------------------------------------------------ batch order


def test_batch_runs_longest_first_from_the_last_index(tmp_path):
    from ipcompare.report.index import COLUMNS
    from ipcompare.report.runner import Job, _longest_first

    def job(name: str, notebook: str) -> Job:
        return Job(name=name, notebook=Path(f"notebooks/{notebook}.ipynb"), parameters={})

    jobs = [job("tour", "dataset_tour"), job("nanchang", "city_profile"), job("suzhou", "city_profile"),
            job("hefei", "city_profile"), job("new_kind", "brand_new"), job("progress", "progress"),
            job("gap", "gap_analysis")]
    assert _longest_first(jobs, tmp_path) == jobs  # no index yet: the batch file's order
    rows = [("tour", "dataset_tour", "4.0", "ok"), ("nanchang", "city_profile", "9.0", "ok"),
            ("suzhou", "city_profile", "25.0", "ok"), ("progress", "progress", "11.0", "ok"),
            ("gap", "gap_analysis", "0.5", "failed")]  # failed early: its time is no estimate
    lines = [",".join(COLUMNS)] + [",".join({"job": j, "notebook": f"notebooks/{nb}.ipynb", "duration_s": d,
                                             "status": st}.get(c, "") for c in COLUMNS) for j, nb, d, st in rows]
    (tmp_path / "index.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    order = [j.name for j in _longest_first(jobs, tmp_path)]
    # Never-run notebooks first (they may be the longest), then by duration; hefei, a new city profile,
    # takes the profiles' mean (17 s).
    assert order == ["new_kind", "gap", "suzhou", "hefei", "progress", "nanchang", "tour"]


def test_dead_kernel_leaves_no_stale_notebook_and_points_to_its_log(tmp_path):
    # The executed notebook is written when the notebook ends or a cell fails; a kernel that dies leaves none —
    # and last run's notebook must not stay behind looking like this run's.
    from nbformat.v4 import new_code_cell, new_notebook

    from ipcompare.report.runner import make_job, run_jobs

    nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                             new_code_cell("import os\nos._exit(3)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "dies.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "out"
    stale = out / "executed" / "dies.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    (result,), _ = run_jobs([make_job(path, {}, name="dies")], out, n_jobs=1, progress=False)
    assert result.status == "failed"
    assert not stale.exists() and result.executed == ""
    assert "kernel log: logs/dies.log" in result.error


def test_cpu_of_a_job_counts_its_kernel(tmp_path):
    """cpu_s is what a report costs: the kernel's CPU is in it (the kernel is another process, killed when the
    job ends), not only the worker's. A notebook burning 1 CPU-s in its kernel costs about that much more than
    one that does not."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from ipcompare.report.runner import make_job, run_jobs

    def notebook(name: str, burn: float) -> Path:
        nb = new_notebook(cells=[new_code_cell(f"burn = {burn}", metadata={"tags": ["parameters"]}),
                                 new_markdown_cell("# 测试 CPU"),
                                 new_code_cell("import time\nt = time.process_time()\n"
                                               "while time.process_time() - t < burn:\n    pass")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        return tmp_path / f"{name}.ipynb"

    # A worker's first job also pays its one-time costs (the PDF stack's imports): the two compared come after.
    idle = notebook("idle", 0.0)
    jobs = [make_job(idle, {}, name="first"), make_job(idle, {}, name="idle"),
            make_job(notebook("burns", 1.0), {}, name="burns")]
    (first, idle, burns), _ = run_jobs(jobs, tmp_path / "out", n_jobs=1, progress=False)
    assert first.status == idle.status == burns.status == "ok"
    assert 0 < idle.cpu_s and burns.cpu_s - idle.cpu_s >= 0.8, (idle.cpu_s, burns.cpu_s)
