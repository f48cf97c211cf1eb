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

test: setup lint test-python  ## every check: sqlfluff, dbt build + tests, pytest suite

test-dbt: setup
	$(DBT) build

test-python: setup  ## pytest: fixtures with hand-computed answers, corruption tests
	$(BIN)/python -m pytest tests/python -q

lint: setup  ## sqlfluff on models, macros-free SQL, analyses and tests
	$(BIN)/sqlfluff lint models analyses tests --processes 2

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
