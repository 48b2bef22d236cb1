"""Rewrite the golden observation files from a fresh build (review the diff before committing)."""

from pathlib import Path

from test_dataset import GOLDEN, GOLDEN_COLS, GOLDEN_DOCS, RAW

from ipcompare.build import build_tables, read_inputs

obs = build_tables(read_inputs(RAW))["observations"]
for doc in GOLDEN_DOCS:
    path = Path(GOLDEN) / f"observations_{doc}.csv"
    path.write_text(obs.query("doc_id == @doc")[GOLDEN_COLS].to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    print("wrote", path)

# The progress status table, rated as of a fixed date so that it does not change with the calendar.
from test_progress import GOLDEN_PROGRESS, progress_table  # noqa: E402

GOLDEN_PROGRESS.write_text(progress_table().to_csv(index=False, lineterminator="\n"), encoding="utf-8")
print("wrote", GOLDEN_PROGRESS)
