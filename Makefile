# Two commands for a new user: `make demo` and `make test`. Everything else is a shortcut.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
LANDING := $(or $(HRKPI_LANDING_DIR),$(CURDIR)/data/landing)
PUBLISHED := $(or $(HRKPI_PUBLISHED_DB),$(CURDIR)/data/published/hr_kpi.duckdb)
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup manifest demo-data refresh serve demo test dev sql check-data bench lock clean

help:
	@echo "make demo   set up, generate demo extracts, refresh and serve the dashboard on http://localhost:8501"
	@echo "make test   set up and run every test"
	@echo "make dev    open the Dagster UI (http://localhost:3000)"
	@echo "make refresh  run the refresh (load -> dbt build -> publish) on the landing folder"
	@echo "make sql    open the published file read-only in the DuckDB CLI"
	@echo "make check-data  re-verify the published file"
	@echo "make bench  run the benchmarks (sizes S, M, L)"

# The virtual environment, with exactly the locked versions.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

manifest: setup
	@$(BIN)/python -m dagster_project.dbt_project >/dev/null

demo-data: setup
	@if [ -n "$$(find $(LANDING) -name '*.csv' -print -quit 2>/dev/null)" ]; then \
	  echo "Landing folder $(LANDING) already has extracts: keeping them."; \
	else \
	  $(BIN)/python -m demo_data --out $(LANDING); \
	fi

refresh: manifest
	$(BIN)/python -m dagster_project.refresh

serve: setup
	@echo ""
	@echo "  Dashboard: http://localhost:8501   (Ctrl-C stops it)"
	@echo ""
	$(BIN)/streamlit run streamlit_app/app.py --server.port 8501 --server.address localhost \
	  --server.headless true --browser.gatherUsageStats false

demo: demo-data refresh serve

test: manifest
	$(BIN)/python -m pytest

dev: manifest
	@$(BIN)/python -c "from dagster_project.config import dagster_home; dagster_home()"
	$(BIN)/dagster dev -m dagster_project.definitions

sql: setup
	@echo "Opening $(PUBLISHED) read-only. Try: select * from marts.kpi_catalogue;"
	$(BIN)/duckdb -readonly $(PUBLISHED)

check-data: setup
	$(BIN)/python -m dagster_project.check_data

bench: manifest
	$(BIN)/python -m bench.run

# Re-resolve the locked versions from requirements.in (needs the package registry).
lock:
	rm -rf /tmp/hrkpi-lock && $(PYTHON) -m venv /tmp/hrkpi-lock
	/tmp/hrkpi-lock/bin/pip install --quiet -r requirements.in
	/tmp/hrkpi-lock/bin/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) dbt/target dbt/logs
