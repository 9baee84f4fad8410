# Two commands on a fresh machine with only Python and pip: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint bench sample render-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install leaves bantar's bytecode uncompiled (pip compiles a wheel's); where
# PYTHONDONTWRITEBYTECODE is set, every run would then compile bantar_cli again (~70 ms).
COMPILE := $(BIN)/python -m compileall -q bantar_cli

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(COMPILE)
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed  ## set up, then score the 2024 sample and print the top of the ranking
	$(BIN)/bantar score sample_data/penilaian_2024.xlsx --top 20

test: $(VENV)/.installed-test  ## set up, then lint and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed  ## the performance figures of README.md
	$(BIN)/python benchmarks/bench_score.py

render-check: $(VENV)/.installed  ## the sample's award workbook through LibreOffice, to PDF (not in CI)
	scripts/render_check.sh

sample: $(VENV)/.installed  ## regenerate sample_data/penilaian_2023.xlsx and _2024.xlsx
	$(BIN)/python sample_data/generate.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache benchmarks/.cache
