# ipcompare — the front door. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help setup data validate reports site test lint bench dist clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[test]"
	touch $@

setup: $(VENV)/.installed  ## create the virtualenv and install ipcompare with its fonts and test tools

data: setup  ## build data/tidy from data/raw and validate it
	$(BIN)/ipcompare build
	$(BIN)/ipcompare validate

validate: setup  ## validate data/tidy against the schema and the source texts
	$(BIN)/ipcompare validate

reports: data  ## build the dataset, render every report in reports/batch.yaml to PDF, then the site
	$(BIN)/ipcompare report --batch reports/batch.yaml
	$(BIN)/ipcompare site

site: setup  ## build the static website in site/ (open site/index.html; links to PDFs already in reports/out)
	$(BIN)/ipcompare site

test: setup  ## run the test suite (unit, property, golden-file, notebook execution)
	$(PY) -m pytest

lint: setup  ## ruff
	$(BIN)/ruff check ipcompare tests benchmarks

bench: setup  ## run the benchmarks (figures printed, nothing asserted)
	$(PY) benchmarks/extract_speed.py
	$(PY) benchmarks/extract_quality.py
	$(PY) benchmarks/report_batch.py
	$(PY) benchmarks/add_plan_quality.py
	$(PY) benchmarks/site_build.py

dist: setup  ## build the wheel (code + data/tidy + notebooks + default batch) into dist/
	$(BIN)/ipcompare build --check
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w dist .

clean:  ## remove the virtualenv, rendered reports and the site (keeps data/tidy, which is committed)
	rm -rf $(VENV) reports/out dist site
