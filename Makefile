# Two commands for a new user: `make demo` and `make test`. Everything else is a shortcut.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
# The Spark extras (dbt-spark, pyspark: ~630 MB) live in a venv of their own, so `make demo`
# never installs them.
SPARK_VENV := .venv-spark
SPARK_BIN := $(SPARK_VENV)/bin
SPARK_STAMP := $(SPARK_VENV)/.installed-$(shell cat requirements.lock requirements-spark.lock pyproject.toml | sha1sum | cut -c1-12)
# The organisation profile (HRKPI_PROFILE, SE by default). A profile other than SE has folders of
# its own (data/landing-fi, data/build-fi, data/published-fi: hrkpi_config.data_suffix), so
# `HRKPI_PROFILE=FI make demo` never loads into or publishes over a Swedish demo.
PROFILE := $(shell echo '$(or $(strip $(HRKPI_PROFILE)),SE)' | tr '[:lower:]' '[:upper:]')
SUFFIX := $(if $(filter SE,$(PROFILE)),,-$(shell echo '$(PROFILE)' | tr '[:upper:]' '[:lower:]'))
LANDING := $(or $(HRKPI_LANDING_DIR),$(CURDIR)/data/landing$(SUFFIX))
PUBLISHED := $(or $(HRKPI_PUBLISHED_DB),$(CURDIR)/data/published$(SUFFIX)/hr_kpi.duckdb)
AUDIT_STORE := $(or $(HRKPI_AUDIT_DB),$(dir $(PUBLISHED))audit/hr_kpi_audit.duckdb)
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup manifest demo-data refresh serve demo test dev sql sql-audit check-data bench lock clean \
  setup-spark test-spark lock-spark

help:
	@echo "make demo   set up, generate demo extracts, refresh and serve the dashboard on http://localhost:8501"
	@echo "HRKPI_PROFILE=FI make demo   the same for a Finnish wellbeing services county (data/landing-fi, ...)"
	@echo "make test   set up and run every test"
	@echo "make dev    open the Dagster UI (http://localhost:3000)"
	@echo "make refresh  run the refresh (load -> dbt build -> publish) on the landing folder"
	@echo "make sql    open the published file read-only in the DuckDB CLI"
	@echo "make sql-audit  open the audit store (with the pseudonymised microdata) read-only"
	@echo "make check-data  re-verify the published file"
	@echo "make bench  run the benchmarks (sizes S, M, L; BENCH_SIZES=XL for 300,000 x 60)"
	@echo "make test-spark  the same dbt models on Apache Spark (own venv .venv-spark, Java 17+)"

# The virtual environment, with exactly the locked versions.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# The same, plus the Spark extras pinned in requirements-spark.lock.
$(SPARK_STAMP): requirements.lock requirements-spark.lock pyproject.toml
	@test -x $(SPARK_BIN)/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_BIN)/python -m pip install --quiet -r requirements.lock -r requirements-spark.lock
	$(SPARK_BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(SPARK_BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(SPARK_VENV)/.installed-*
	@touch $@

setup-spark: $(SPARK_STAMP)

manifest: setup
	@$(BIN)/python -m dagster_project.dbt_project >/dev/null

# Demo extracts for the profile, once. The generator leaves .demo_profile in the folder, so a
# folder of another profile's demo (HRKPI_LANDING_DIR pointing at it) is refused, not mixed.
demo-data: setup
	@if [ -n "$$(find $(LANDING) -name '*.csv' -print -quit 2>/dev/null)" ]; then \
	  made="$$(cat $(LANDING)/.demo_profile 2>/dev/null)"; \
	  if [ -n "$$made" ] && [ "$$made" != "$(PROFILE)" ]; then \
	    echo "Landing folder $(LANDING) holds $$made demo extracts, but HRKPI_PROFILE is $(PROFILE):" \
	         "unset HRKPI_LANDING_DIR (each profile has its own folder) or empty that folder." >&2; \
	    exit 1; \
	  fi; \
	  echo "Landing folder $(LANDING) already has extracts: keeping them."; \
	else \
	  $(BIN)/python -m demo_data --out $(LANDING) --profile $(PROFILE); \
	fi

refresh: manifest
	$(BIN)/python -m dagster_project.refresh

serve: setup
	@echo ""
	@echo "  Dashboard ($(PROFILE)): http://localhost:8501   (Ctrl-C stops it)"
	@echo ""
	$(BIN)/streamlit run streamlit_app/app.py --server.port 8501 --server.address localhost \
	  --server.headless true --browser.gatherUsageStats false

demo: demo-data refresh serve

test: manifest
	$(BIN)/python -m pytest

# The dbt build on Spark (local mode) over the golden fixture, compared with DuckDB's.
test-spark: setup-spark
	$(SPARK_BIN)/python -m pytest -m spark tests/test_spark.py

dev: manifest
	@$(BIN)/python -c "from dagster_project.config import dagster_home; dagster_home()"
	$(BIN)/dagster dev -m dagster_project.definitions

sql: setup
	@echo "Opening $(PUBLISHED) read-only. Try: select * from marts.kpi_catalogue;"
	$(BIN)/duckdb -readonly $(PUBLISHED)

# The audit store: the same figures and the pseudonymised microdata (owner or HRKPI_AUDIT_GROUP only).
sql-audit: setup
	@echo "Opening $(AUDIT_STORE) read-only. Try: select * from intermediate.int_employee_months limit 5;"
	$(BIN)/duckdb -readonly $(AUDIT_STORE)

check-data: setup
	$(BIN)/python -m dagster_project.check_data

bench: manifest
	$(BIN)/python -m bench.run

# Re-resolve the locked versions from requirements.in (needs the package registry).
lock:
	rm -rf /tmp/hrkpi-lock && $(PYTHON) -m venv /tmp/hrkpi-lock
	/tmp/hrkpi-lock/bin/pip install --quiet -r requirements.in
	/tmp/hrkpi-lock/bin/pip freeze --exclude-editable > requirements.lock

# Re-resolve the Spark extras on top of requirements.lock: the lock holds only what they add.
lock-spark:
	rm -rf /tmp/hrkpi-lock-spark && $(PYTHON) -m venv /tmp/hrkpi-lock-spark
	/tmp/hrkpi-lock-spark/bin/pip install --quiet -r requirements.lock
	/tmp/hrkpi-lock-spark/bin/pip install --quiet -c requirements.lock -r requirements-spark.in
	{ echo "# Generated by \`make lock-spark\` from requirements-spark.in: what the Spark extras add to requirements.lock."; \
	  /tmp/hrkpi-lock-spark/bin/pip freeze --exclude-editable | grep -vxFf requirements.lock; } > requirements-spark.lock

clean:
	rm -rf $(VENV) $(SPARK_VENV) dbt/target dbt/logs
