"""Wheel build hook: ship the tidy dataset, the notebooks and the default report batch inside the package.

They live at the top of the repository (where students and the Makefile find them), so they are copied into
``ipcompare/_data/`` of the wheel; ``ipcompare.paths`` reads them from there when no checkout is around.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# data/tidy: every file a build writes (tables, workbook, datapackage.json, README.md); notebooks: the templates
# only (not the generator script); the default batch of `ipcompare report --batch`.
_SHIPPED = [("data/tidy", "*", "tidy"), ("notebooks", "*.ipynb", "notebooks"), ("reports", "batch.yaml", ".")]


class ShipDataHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if not (root / "data" / "tidy" / "datapackage.json").exists():
            raise RuntimeError(f"{root / 'data' / 'tidy'}: no datapackage.json; run `ipcompare build` before building a wheel")
        for folder, pattern, dest in _SHIPPED:
            for path in sorted((root / folder).glob(pattern)):
                if path.is_file() and not path.name.startswith("."):
                    build_data["force_include"][str(path)] = f"ipcompare/_data/{dest}/{path.name}".replace("/./", "/")
