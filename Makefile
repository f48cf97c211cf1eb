# Quick start: `make run` (build the sample warehouse), `make test` (every check).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_DUCKDB_PATH ?= $(CURDIR)/license_utilization.duckdb

.PHONY: setup run build test test-dbt test-python lint docs lock sample-data clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed  ## create .venv with the pinned dependencies (quick when current)

run: setup  ## build the sample warehouse (seeds -> staging -> marts, with tests)
	$(DBT) build
	@$(BIN)/python scripts/print_marts.py "$(DBT_DUCKDB_PATH)"

build: run

test: setup lint test-python test-serve test-portability  ## every check: sqlfluff, pytest (incl. the sample dbt build), serving, DuckDB = Postgres = Spark suite

test-dbt: setup  ## just the dbt build of the sample data, with every data and unit test
	$(DBT) build

test-python: setup  ## pytest: fixtures with hand-computed answers, corruption tests
	$(BIN)/python -m pytest tests/python -q

lint: setup  ## sqlfluff on models, macros-free SQL, analyses and tests; staging again as it compiles from raw files
	$(BIN)/sqlfluff lint models analyses tests --processes 2
	$(BIN)/sqlfluff lint --config .sqlfluff-raw-files models/staging --processes 2

docs: setup  ## generate and serve dbt docs on localhost:8080
	$(DBT) docs generate
	$(DBT) docs serve --port 8080

sample-data: setup  ## regenerate the seed CSVs (deterministic)
	$(BIN)/python scripts/generate_sample_data.py --out seeds/sample

lock:  ## re-resolve requirements.in into requirements.txt
	$(PYTHON) -m venv /tmp/lu-lock && /tmp/lu-lock/bin/pip install -q -r requirements.in && \
	  { echo "# Pinned, resolved from requirements.in (make lock)."; /tmp/lu-lock/bin/pip freeze; } > requirements.txt

clean:
	rm -rf target logs license_utilization.duckdb .duckdb_tmp

# --- Portability (issue #3): the same project on PostgreSQL and Apache Spark ---
# A throw-away PostgreSQL server (scripts/portability/pg_server.sh, installed
# from Debian packages if missing) and Spark in local session mode (Java 17)
# build the sample data; every mart must equal DuckDB's (tests/portability).
.PHONY: setup-portability test-portability test-postgres test-spark

$(VENV)/.installed-portability: $(VENV)/.installed requirements-portability.txt
	$(BIN)/python -m pip install --quiet -r requirements-portability.txt
	touch $@

setup-portability: $(VENV)/.installed-portability  ## add dbt-postgres, dbt-spark[session] and pyspark to .venv

PORTABILITY_PYTEST = $(BIN)/python -m pytest tests/portability -q -p no:cacheprovider

test-portability: setup-portability  ## build on DuckDB, PostgreSQL and Spark; the marts must agree
	$(PORTABILITY_PYTEST)

test-postgres: setup-portability  ## build on a throw-away PostgreSQL server; marts must equal DuckDB's
	$(PORTABILITY_PYTEST) -m "not spark"

test-spark: setup-portability  ## build on Spark (local session mode); marts must equal DuckDB's
	$(PORTABILITY_PYTEST) -m "not postgres"

# --- benchmark (bench/README.md) ----------------------------------------------
SCALE ?= S
REPEAT ?= 1
SOURCE ?= files

.PHONY: bench
bench: setup  ## benchmark at SCALE=XS|S|M|L (REPEAT=N: best of N rounds; SOURCE=warehouse: from tables): generate data, full dbt build, one more day, hand-written query
	$(BIN)/python bench/run_bench.py --scale $(SCALE) --repeat $(REPEAT) --source $(SOURCE)

# --- Serving (issue #6): semantic layer, dashboard, static report, docs coverage ---
# requirements-serve.txt adds streamlit and dbt-metricflow (`mf`) on top of
# requirements.txt, constrained by it so dbt-core stays on 1.11.
.PHONY: setup-serve dashboard report docs-check test-serve
DASHBOARD_PORT ?= 8501

$(VENV)/.installed-serve: $(VENV)/.installed requirements-serve.txt
	$(BIN)/python -m pip install --quiet -r requirements-serve.txt
	touch $@

setup-serve: $(VENV)/.installed-serve  ## add streamlit and dbt-metricflow (mf) to .venv

dashboard: setup-serve  ## start the dashboard on http://localhost:8501 (builds the warehouse first if missing)
	@test -f "$(DBT_DUCKDB_PATH)" || $(MAKE) run
	$(BIN)/streamlit run dashboard/app.py --server.address localhost --server.port $(DASHBOARD_PORT) \
	  --server.headless true --browser.gatherUsageStats false --client.toolbarMode minimal

report: setup  ## write an HTML summary of the portfolio and the alert list to target/report/
	@test -f "$(DBT_DUCKDB_PATH)" || $(MAKE) run
	$(BIN)/python scripts/report.py

docs-check: setup  ## dbt docs generate; fail if a model, column, source, macro or var lacks a description
	@test -f "$(DBT_DUCKDB_PATH)" || $(MAKE) run
	$(DBT) docs generate --quiet
	$(BIN)/python scripts/check_docs_coverage.py

test-serve: setup-serve  ## mf validate + mf query vs marts, docs coverage, AppTest pages, headless Chromium, report
	$(BIN)/python -m pytest tests/dashboard -q -p no:cacheprovider
