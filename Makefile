# Two commands do all the set-up: `make lab` and `make test`.
# Both create .venv with the machine's Python (3.11 or newer) on first use and reinstall only
# when pyproject.toml changes (stamp files inside .venv).
# `make test-fast` is the inner loop (lint, unit tests, doctests: no notebooks, no browser, no
# wheel build, no exhaustive widget grids); `make bench` is the timing gate.

PYTHON ?= python3
PORT ?= 8888
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
# Turns on course_lib.server_extension (kernel messages without Nagle's delay) in the venv.
SERVER_EXTENSION := jupyter-config/jupyter_server_config.d/course_lib.server_extension.json
TEST_STAMP := $(VENV)/.installed-test
PRESENT_STAMP := $(VENV)/.installed-present
SITE_STAMP := $(VENV)/.installed-site
# make present LESSON=04 [PRESENT_PORT=8866]
LESSON ?= 00
PRESENT_PORT ?= 8866
PYTEST_ARGS ?=
# Test markers (pyproject.toml) that `make test-fast` leaves to `make test`.
FAST_MARKERS := not (slow or notebooks or browser or packaging)
# make bench ONLY=serum,liver times a subset; BENCH_TARGET_SCALE=0.01 shows the gate failing.
ONLY ?=
# make grade SUBMISSIONS=submitted [OUT=grading] [GRADE_ARGS="--jobs 4 --force"]
SUBMISSIONS ?=
OUT ?= grading
GRADE_ARGS ?=

.PHONY: lab present site test test-fast test-nbgrader exercises release grade bench lint format clean-venv help
.DEFAULT_GOAL := help

help:
	@echo "make lab        start JupyterLab on notebooks/00_start_here.ipynb (PORT=$(PORT))"
	@echo "make present LESSON=04   serve a lesson as an app for the projector (Voila; code"
	@echo "                hidden, only the presenter's cells; PRESENT_PORT=$(PRESENT_PORT))"
	@echo "make site       build the offline course website site/_build/html (jupyter-book 1.x,"
	@echo "                executed lessons, widget snapshots, internal link check)"
	@echo "make test       run the whole test suite (lint, unit, notebooks, exercises, wheel, browser)"
	@echo "make test-fast  lint + unit tests + doctests only (no notebooks, browser, wheel, grids)"
	@echo "make exercises  regenerate exercises/ from solutions/ (FORCE=1 to overwrite student work)"
	@echo "make release    build the student copy dist/student/ and dist/student.zip (no solutions)"
	@echo "make test-nbgrader  check that nbgrader 0.9 generates and grades as course_lib does (~3 min)"
	@echo "make grade SUBMISSIONS=submitted   grade a class in a sandbox: grades.csv, feedback pages,"
	@echo "                report.html, grading-log.json in OUT=$(OUT) (GRADE_ARGS='--jobs 4 --force')"
	@echo "make bench      time models and widget updates; fails when a median misses its target"
	@echo "                (ONLY=serum,liver for a subset; BENCH_TARGET_SCALE=0.01 to see it fail;"
	@echo "                ONLY=grading: grade 100 generated notebooks, --jobs 2, < 3 min; opt-in)"
	@echo "make lint       ruff check and ruff format --check; make format fixes what it can"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "error: this course needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "       Run again with PYTHON=/path/to/python3.11 (or newer), e.g. make lab PYTHON=python3.12"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install leaves out data files: the server extension's switch is copied here.
$(RUN_STAMP): pyproject.toml $(SERVER_EXTENSION) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@mkdir -p $(VENV)/etc/jupyter/jupyter_server_config.d
	@cp $(SERVER_EXTENSION) $(VENV)/etc/jupyter/jupyter_server_config.d/
	@touch $@

$(TEST_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

lab: $(RUN_STAMP)
	@$(BIN)/python tools/lab.py --port $(PORT)

$(PRESENT_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[present]'
	@touch $@

$(SITE_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[site]'
	@touch $@

present: $(PRESENT_STAMP)
	@$(BIN)/python tools/present.py --lesson '$(LESSON)' --port $(PRESENT_PORT)

site: $(SITE_STAMP)
	$(BIN)/python tools/build_site.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check course_lib tests tools
	$(BIN)/ruff format --check course_lib tests tools

test: lint
	MPLBACKEND=Agg $(BIN)/python -m pytest --nbval-lax course_lib tests notebooks solutions $(PYTEST_ARGS)

# -p no:nbval: no notebooks here, so skip loading the nbval plugin (about a second).
test-fast: lint
	HYPOTHESIS_PROFILE=quick MPLBACKEND=Agg $(BIN)/python -m pytest -q -p no:nbval -m "$(FAST_MARKERS)" course_lib tests $(PYTEST_ARGS)

# nbgrader is in the test extras; this runs only the round trip (tests/test_nbgrader.py).
test-nbgrader: $(TEST_STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -p no:nbval tests/test_nbgrader.py $(PYTEST_ARGS)

exercises: $(RUN_STAMP)
	$(BIN)/python -m course_lib.grading.assign solutions exercises $(if $(FORCE),--force,)

# The student copy: lessons, exercises, the library without its instructor modules, set-up files.
release: $(RUN_STAMP)
	$(BIN)/python tools/release.py

grade: $(RUN_STAMP)
	@test -n "$(SUBMISSIONS)" || { \
	  echo "error: say which class folder to grade, e.g. make grade SUBMISSIONS=submitted"; exit 2; }
	$(BIN)/python -m course_lib.grading.batch '$(SUBMISSIONS)' --out '$(OUT)' $(GRADE_ARGS)

bench: $(TEST_STAMP)
	MPLBACKEND=Agg $(BIN)/python tools/bench.py $(if $(ONLY),--only '$(ONLY)',)

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix course_lib tests tools
	$(BIN)/ruff format course_lib tests tools

clean-venv:
	rm -rf $(VENV)
