# Two commands do all the set-up: `make lab` and `make test`.
# Both create .venv with the machine's Python (3.11 or newer) on first use and reinstall only
# when pyproject.toml changes (stamp files inside .venv).

PYTHON ?= python3
PORT ?= 8888
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PYTEST_ARGS ?=

.PHONY: lab test exercises bench lint format clean-venv help
.DEFAULT_GOAL := help

help:
	@echo "make lab        start JupyterLab on notebooks/00_start_here.ipynb (PORT=$(PORT))"
	@echo "make test       run the whole test suite (lint, unit, notebooks, exercises, browser)"
	@echo "make exercises  regenerate exercises/ from solutions/ (FORCE=1 to overwrite student work)"
	@echo "make bench      print timing figures for the models and widget updates"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "error: this course needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "       Run again with PYTHON=/path/to/python3.11 (or newer), e.g. make lab PYTHON=python3.12"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

lab: $(RUN_STAMP)
	@$(BIN)/python tools/lab.py --port $(PORT)

test: $(TEST_STAMP)
	$(BIN)/ruff check course_lib tests tools
	$(BIN)/ruff format --check course_lib tests tools
	MPLBACKEND=Agg $(BIN)/python -m pytest --nbval-lax course_lib tests notebooks solutions $(PYTEST_ARGS)

exercises: $(RUN_STAMP)
	$(BIN)/python -m course_lib.grading.assign solutions exercises $(if $(FORCE),--force,)

bench: $(TEST_STAMP)
	MPLBACKEND=Agg $(BIN)/python tools/bench.py

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix course_lib tests tools
	$(BIN)/ruff format course_lib tests tools

clean-venv:
	rm -rf $(VENV)
